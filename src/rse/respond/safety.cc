#include "rse/respond/safety.h"

#include <fmt/format.h>

#include "core/indicator.h"
#include "intel/special_ranges.h"
#include "rse/respond/actuator.h"

namespace mamori::rse::respond {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool DomainAtOrBelow(std::string_view name, std::string_view domain) {
  if (name == domain) return true;
  return name.size() > domain.size() && name.ends_with(domain) &&
         name[name.size() - domain.size() - 1] == '.';
}

// Drops entries older than `window` seconds; true when fewer than `limit` remain.
bool Fits(std::deque<UnixSeconds>& times, UnixSeconds now, int64_t window, int limit) {
  while (!times.empty() && times.front() <= now - window) times.pop_front();
  return limit <= 0 || static_cast<int>(times.size()) < limit;
}

bool ActsOnTarget(std::string_view kind) {
  return kind == kBlockAddress || kind == kBlockDomain || kind == kBlocklistBoost ||
         kind == kIsolateHost;
}

}  // namespace

Status ParseOwnInfrastructure(std::string_view text, SafetyOptions* options) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = Trim(text.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) continue;
    if (auto cidr = Cidr::Parse(item)) {
      options->own_networks.push_back(cidr->cidr);
      continue;
    }
    auto normalized = NormalizeIndicator(item);
    if (!normalized || normalized->indicator.type != IndicatorType::kDomain) {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("[respond] own_infrastructure: '{}' is neither an address, a "
                                   "CIDR nor a domain",
                                   item));
    }
    options->own_domains.push_back(normalized->indicator.value);
  }
  return Ok();
}

SafetyGate::SafetyGate(SafetyOptions options, const intel::WarningLists* warning_lists)
    : options_(std::move(options)), warning_lists_(warning_lists) {}

std::optional<std::string> SafetyGate::Refusal(const Playbook& playbook, std::string_view kind,
                                               const std::string& value) const {
  if (!ActsOnTarget(kind)) return std::nullopt;
  if (value.empty()) return "the detection has no value for this action";
  auto normalized = NormalizeIndicator(value);
  if (!normalized) return fmt::format("'{}' is not an indicator", value);
  const Indicator& indicator = normalized->indicator;
  if (auto allowed = allowlist_.Match(indicator)) {
    return fmt::format("{} is allowlisted ({})", indicator.value,
                       allowed->reason.empty() ? allowed->value : allowed->reason);
  }
  bool address = indicator.type == IndicatorType::kIpv4 ||
                 indicator.type == IndicatorType::kIpv6 || indicator.type == IndicatorType::kCidr;
  if (address) {
    auto cidr = Cidr::Parse(indicator.value);
    if (!playbook.allow_own_infrastructure && cidr) {
      for (const auto& own : options_.own_networks) {
        if (own.Contains(cidr->cidr) || cidr->cidr.Contains(own)) {
          return fmt::format("{} is our own infrastructure ({})", indicator.value,
                             own.ToString());
        }
      }
    }
    if (!playbook.allow_private && intel::IsSpecialPurposeAddress(indicator)) {
      return fmt::format("{} is a private or special-purpose address (the playbook does not "
                         "say allow_private: true)",
                         indicator.value);
    }
    return std::nullopt;
  }
  if (indicator.type == IndicatorType::kDomain || indicator.type == IndicatorType::kUrl) {
    std::string host = indicator.type == IndicatorType::kDomain ? indicator.value : "";
    if (!playbook.allow_own_infrastructure && !host.empty()) {
      for (const auto& own : options_.own_domains) {
        if (DomainAtOrBelow(host, own)) {
          return fmt::format("{} is our own infrastructure ({})", host, own);
        }
      }
    }
    if (kind == kBlockDomain && warning_lists_ != nullptr) {
      if (auto warned = warning_lists_->Match(indicator)) {
        return fmt::format("{} is protected by the warning list {} ({}): blocking it whole "
                           "would break a legitimate service",
                           indicator.value, warned->list, warned->reason);
      }
      if (!host.empty() && warning_lists_->IsPlatform(host)) {
        return fmt::format("{} is a shared platform: block the abusive name below it instead",
                           host);
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> SafetyGate::TakeRate(const Playbook& playbook, std::string_view kind,
                                                const std::string& target, UnixSeconds now) {
  if (!ActsOnTarget(kind)) return std::nullopt;
  auto& mine = per_playbook_[playbook.id];
  auto& on_target = per_target_[target];
  if (!Fits(global_, now, 60, options_.rate_per_minute)) {
    return fmt::format("rate limit: {} automatic actions per minute", options_.rate_per_minute);
  }
  if (!Fits(mine, now, 60, playbook.rate_per_minute)) {
    return fmt::format("rate limit of playbook {}: {} automatic actions per minute", playbook.id,
                       playbook.rate_per_minute);
  }
  int per_target = playbook.rate_per_target_per_hour > 0 ? playbook.rate_per_target_per_hour
                                                         : options_.rate_per_target_per_hour;
  if (!Fits(on_target, now, 3600, per_target)) {
    return fmt::format("rate limit: {} automatic actions per hour on {}", per_target, target);
  }
  global_.push_back(now);
  mine.push_back(now);
  on_target.push_back(now);
  return std::nullopt;
}

}  // namespace mamori::rse::respond
