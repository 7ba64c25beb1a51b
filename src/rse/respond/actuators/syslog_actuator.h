// SyslogActuator: the "syslog" response device. A notify_syslog action sends one RFC 5424
// message to [respond] syslog_target, for a SIEM or log server to record or alert on:
//   udp://HOST:PORT   one datagram (RFC 5426), at most 2048 bytes
//   tcp://HOST:PORT   one connection per message, octet-counting framing (RFC 6587 3.4.1,
//                     "LEN SP MSG"), at most 8192 bytes
//   unix:///dev/log   one datagram to a local socket (the syslog daemon's)
// HOST may be a name, an IPv4 address or an IPv6 address in brackets ("udp://[::1]:514").
//
// The message (FormatSyslogMessage): facility auth (4), severity warning (4), so PRI 36;
// APP-NAME "mamori", MSGID "respond", structured data `[mamori@32473 action_id="12"
// kind="notify_syslog" target="203.0.113.7" playbook="ssh-brute" device="syslog"]` (32473 is the
// example enterprise number of RFC 5612: mamori has no registered one), and a one-line text with
// the reason and the expected effect. A message longer than the transport's limit is cut at the
// end of its text.
//
// One-shot: not reversible, IsInPlace() is true. Each Apply() opens its own socket: nothing is
// shared between calls, so the actuator is thread-compatible like the others.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "rse/respond/actuator.h"

namespace mamori::rse::respond {

struct SyslogTarget {
  enum class Transport { kUdp, kTcp, kUnix };
  Transport transport = Transport::kUdp;
  std::string host;  // udp/tcp, without brackets
  std::string port;  // udp/tcp
  std::string path;  // unix
};

// Parses "udp://HOST:PORT", "tcp://HOST:PORT" or "unix:///PATH"; kInvalidArgument saying the
// accepted forms otherwise.
Expected<SyslogTarget> ParseSyslogTarget(std::string_view text);

// The RFC 5424 message for `action` at `now` (no framing, no trailing newline).
std::string FormatSyslogMessage(const store::ActionRecord& action, UnixSeconds now,
                                std::string_view hostname, int pid);

class SyslogActuator final : public Actuator {
 public:
  // `target` as [respond] syslog_target; `timeout` bounds a TCP connect and send.
  static Expected<std::unique_ptr<SyslogActuator>> Make(std::string_view target, Clock& clock,
                                                        std::chrono::milliseconds timeout);

  std::string_view name() const override { return "syslog"; }
  bool Supports(std::string_view kind) const override { return kind == kNotifySyslog; }
  bool reversible() const override { return false; }
  Status Apply(const store::ActionRecord& action) override;
  Status Revert(const store::ActionRecord&) override { return Ok(); }
  Expected<bool> IsInPlace(const store::ActionRecord&) override { return true; }

 private:
  SyslogActuator(SyslogTarget target, std::string text, Clock& clock,
                 std::chrono::milliseconds timeout);
  Status Send(const std::string& message) const;

  SyslogTarget target_;
  std::string target_text_;  // for errors
  Clock& clock_;
  std::chrono::milliseconds timeout_;
};

}  // namespace mamori::rse::respond
