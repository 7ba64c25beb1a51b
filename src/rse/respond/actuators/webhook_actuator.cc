#include "rse/respond/actuators/webhook_actuator.h"

#include <fmt/format.h>

#include <utility>

#include "core/ip.h"
#include "rse/respond/actuators/common.h"
#include "rse/respond/actuators/signed_post.h"

namespace mamori::rse::respond {

WebhookActuator::WebhookActuator(HttpActuatorOptions options,
                                 std::shared_ptr<feeds::HttpClient> http, Clock& clock)
    : options_(std::move(options)), http_(std::move(http)), clock_(clock) {}

Status WebhookActuator::Apply(const store::ActionRecord& action) {
  MAMORI_ASSIGN_OR_RETURN(nlohmann::json params, actuators::ParamsOf("webhook", action));
  actuators::SignedPost post;
  post.device = "webhook";
  post.url = actuators::StringParam(params, "url", options_.url);
  post.secret_file = options_.secret_file;
  post.secret_key_name = "[respond] webhook_secret_file";
  post.body = actuators::ActionPayload(action, clock_.Now()).dump();
  post.target = action.target;
  return actuators::PostSigned(*http_, clock_, post);
}

bool IsHostTarget(std::string_view target) {
  if (IpAddress::Parse(target)) return true;
  if (target.empty() || target.size() > 253) return false;
  for (char c : target) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

EdrActuator::EdrActuator(HttpActuatorOptions options, std::shared_ptr<feeds::HttpClient> http,
                         Clock& clock)
    : options_(std::move(options)), http_(std::move(http)), clock_(clock) {}

Status EdrActuator::Send(const store::ActionRecord& action, std::string_view what) {
  if (!IsHostTarget(action.target)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "an isolate_host action takes a host name or an IP address",
                     fmt::format("edr target '{}'", actuators::OneLine(action.target, 100)));
  }
  nlohmann::json payload = actuators::ActionPayload(action, clock_.Now());
  payload["action"] = what;
  payload["host"] = action.target;
  actuators::SignedPost post;
  post.device = "edr";
  post.url = options_.url;
  post.secret_file = options_.secret_file;
  post.secret_key_name = "[respond] edr_secret_file";
  post.body = payload.dump();
  post.target = action.target;
  return actuators::PostSigned(*http_, clock_, post);
}

Status EdrActuator::Apply(const store::ActionRecord& action) { return Send(action, "isolate"); }

Status EdrActuator::Revert(const store::ActionRecord& action) { return Send(action, "release"); }

Expected<bool> EdrActuator::IsInPlace(const store::ActionRecord& action) {
  if (!IsHostTarget(action.target)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "an isolate_host action takes a host name or an IP address",
                     fmt::format("edr target '{}'", actuators::OneLine(action.target, 100)));
  }
  return true;
}

}  // namespace mamori::rse::respond
