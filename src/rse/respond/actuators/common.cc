#include "rse/respond/actuators/common.h"

#include <fmt/format.h>
#include <unistd.h>

#include "core/ip.h"

namespace mamori::rse::respond::actuators {

Expected<Indicator> ParseAddressTarget(std::string_view device, std::string_view target) {
  auto refuse = [&](std::string why) {
    return MakeError(ErrorCode::kInvalidArgument, std::move(why),
                     fmt::format("{} target '{}'", device, OneLine(target, 100)));
  };
  auto parsed = NormalizeIndicator(target);
  if (!parsed) return refuse("not an IPv4 or IPv6 address or CIDR: " + parsed.error().message);
  const Indicator& ind = parsed->indicator;
  if (ind.type != IndicatorType::kIpv4 && ind.type != IndicatorType::kIpv6 &&
      ind.type != IndicatorType::kCidr) {
    return refuse(fmt::format("a block_address action takes an address or CIDR, not a {}",
                              IndicatorTypeName(ind.type)));
  }
  if (parsed->host_bits_cleared) {
    return refuse(fmt::format("the CIDR has host bits set; write the network ({})", ind.value));
  }
  if (ind.type == IndicatorType::kCidr) {
    auto cidr = Cidr::Parse(ind.value);
    if (!cidr) return refuse(cidr.error().message);
    if (cidr->cidr.prefix() == 0) return refuse("a /0 would block every address");
  }
  return ind;
}

Expected<nlohmann::json> ParamsOf(std::string_view device, const store::ActionRecord& action) {
  if (action.params_json.empty()) return nlohmann::json::object();
  nlohmann::json params = nlohmann::json::parse(action.params_json, nullptr, false);
  if (params.is_discarded() || !params.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "params_json is not a JSON object",
                     fmt::format("{} action {}", device, action.id));
  }
  return params;
}

std::string StringParam(const nlohmann::json& params, const char* name, std::string fallback) {
  auto it = params.find(name);
  if (it == params.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

nlohmann::json ActionPayload(const store::ActionRecord& action, UnixSeconds now) {
  nlohmann::json evidence = nlohmann::json::parse(action.evidence_json, nullptr, false);
  if (evidence.is_discarded()) evidence = action.evidence_json;
  nlohmann::json params = nlohmann::json::parse(action.params_json, nullptr, false);
  if (params.is_discarded()) params = action.params_json;
  return {
      {"action_id", action.id},
      {"kind", action.kind},
      {"device", action.device},
      {"target", action.target},
      {"playbook", action.playbook},
      {"mode", action.mode},
      {"state", action.state},
      {"reason", action.reason},
      {"expected_effect", action.expected_effect},
      {"evidence", std::move(evidence)},
      {"params", std::move(params)},
      {"detection_id", action.detection_id},
      {"duration_seconds", action.duration_seconds},
      {"expires_at", action.expires_at},
      {"time", FormatIso8601(now)},
  };
}

std::vector<std::string> SplitCommand(std::string_view command) {
  std::vector<std::string> argv;
  size_t i = 0;
  while (i < command.size()) {
    while (i < command.size() && (command[i] == ' ' || command[i] == '\t')) ++i;
    size_t start = i;
    while (i < command.size() && command[i] != ' ' && command[i] != '\t') ++i;
    if (i > start) argv.emplace_back(command.substr(start, i - start));
  }
  return argv;
}

std::string OneLine(std::string_view text, size_t max) {
  std::string out(text.substr(0, max));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

std::string HostName() {
  char name[256] = {0};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

}  // namespace mamori::rse::respond::actuators
