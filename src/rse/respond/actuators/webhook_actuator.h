// WebhookActuator ("webhook") and EdrActuator ("edr"): the response devices that speak HTTP.
//
// The webhook sends a one-shot notification: a signed JSON POST describing the action
// (docs/formats/response-webhook.md) to [respond] webhook_url, or to the action's params "url"
// when a playbook names another receiver. It takes actions of kind notify_webhook, and of any
// other kind too, so a playbook can hand a block or isolation to a system mamori does not drive
// itself (that receiver then owns undoing it: the action ends "done").
//
// The EDR actuator isolates a host (isolate_host; target: a host name or address) through a
// generic EDR integration endpoint, [respond] edr_url: Apply() POSTs the action with
// "action":"isolate" and "host", Revert() the same with "action":"release". Its IsInPlace()
// answers true: a generic API has no standard way to ask whether a host is still isolated, and
// answering false would make the engine isolate the host again at every reconciliation.
//
// Both sign with the HMAC scheme of signed_post.h, the key read from [respond]
// webhook_secret_file / edr_secret_file on every send. Any non-2xx answer is an error with its
// status. Not thread-safe beyond what the Actuator contract asks (the HttpClient is).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "feeds/http_client.h"
#include "rse/respond/actuator.h"

namespace mamori::rse::respond {

struct HttpActuatorOptions {
  std::string url;          // [respond] webhook_url / edr_url
  std::string secret_file;  // [respond] webhook_secret_file / edr_secret_file
};

class WebhookActuator final : public Actuator {
 public:
  WebhookActuator(HttpActuatorOptions options, std::shared_ptr<feeds::HttpClient> http,
                  Clock& clock);

  std::string_view name() const override { return "webhook"; }
  // Every kind but "recommend" (which carries nothing out).
  bool Supports(std::string_view kind) const override { return kind != kRecommendOnly; }
  bool reversible() const override { return false; }
  Status Apply(const store::ActionRecord& action) override;
  Status Revert(const store::ActionRecord&) override { return Ok(); }
  Expected<bool> IsInPlace(const store::ActionRecord&) override { return true; }

 private:
  HttpActuatorOptions options_;
  std::shared_ptr<feeds::HttpClient> http_;
  Clock& clock_;
};

class EdrActuator final : public Actuator {
 public:
  EdrActuator(HttpActuatorOptions options, std::shared_ptr<feeds::HttpClient> http, Clock& clock);

  std::string_view name() const override { return "edr"; }
  bool Supports(std::string_view kind) const override { return kind == kIsolateHost; }
  bool reversible() const override { return true; }
  Status Apply(const store::ActionRecord& action) override;
  Status Revert(const store::ActionRecord& action) override;
  // True: see the header comment.
  Expected<bool> IsInPlace(const store::ActionRecord& action) override;

 private:
  Status Send(const store::ActionRecord& action, std::string_view what);

  HttpActuatorOptions options_;
  std::shared_ptr<feeds::HttpClient> http_;
  Clock& clock_;
};

// True for an EDR target: a host name (1..253 characters of letters, digits, '.', '-', '_') or
// an IPv4/IPv6 address.
bool IsHostTarget(std::string_view target);

}  // namespace mamori::rse::respond
