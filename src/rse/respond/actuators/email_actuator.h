// EmailActuator: the "email" response device. A notify_email action becomes an RFC 5322
// message piped to the local MTA, [respond] email_command split on whitespace (no shell), e.g.
// `/usr/sbin/sendmail -t -i`: with -t the MTA takes the recipients from the To header, with -i
// a line holding a single dot does not end the message.
//
// The message (FormatEmailMessage): From [respond] email_from; To the action's params "to" or
// [respond] email_to (comma-separated addresses); Subject "[mamori] KIND TARGET (playbook P)";
// Date; Message-ID; Auto-Submitted: auto-generated (RFC 3834, so vacation responders stay
// quiet); a plain-text UTF-8 body with the action, its reason, expected effect and a summary of
// the evidence (its JSON, cut at 100 lines). Header values come from detections and playbooks,
// so line breaks in them are replaced (no header injection) and non-ASCII subjects are RFC 2047
// encoded.
//
// A non-zero exit of the command is an error with its output. One-shot: not reversible,
// IsInPlace() is true. Holds only its settings; thread-compatible like every actuator.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "rse/respond/actuator.h"

namespace mamori::rse::respond {

struct EmailActuatorOptions {
  std::string command;                       // [respond] email_command
  std::string from = "mamori@localhost";     // [respond] email_from
  std::string to;                            // [respond] email_to; "" = params "to" required
  std::chrono::milliseconds timeout{30000};  // per run of the command
};

// The whole message, lines ending in "\n" (what sendmail reads on standard input).
std::string FormatEmailMessage(const store::ActionRecord& action, std::string_view from,
                               const std::vector<std::string>& to, UnixSeconds now,
                               std::string_view hostname);

// "a@x, b@y" -> {"a@x", "b@y"}; kInvalidArgument (naming `origin`) for an entry without '@' or
// with characters that do not belong in an address header.
Expected<std::vector<std::string>> ParseRecipients(std::string_view list, std::string_view origin);

class EmailActuator final : public Actuator {
 public:
  static Expected<std::unique_ptr<EmailActuator>> Make(EmailActuatorOptions options, Clock& clock);

  std::string_view name() const override { return "email"; }
  bool Supports(std::string_view kind) const override { return kind == kNotifyEmail; }
  bool reversible() const override { return false; }
  Status Apply(const store::ActionRecord& action) override;
  Status Revert(const store::ActionRecord&) override { return Ok(); }
  Expected<bool> IsInPlace(const store::ActionRecord&) override { return true; }

 private:
  EmailActuator(EmailActuatorOptions options, std::vector<std::string> argv, Clock& clock);

  EmailActuatorOptions options_;
  std::vector<std::string> argv_;
  Clock& clock_;
};

}  // namespace mamori::rse::respond
