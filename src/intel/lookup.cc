#include "intel/lookup.h"

#include "core/domain_name.h"
#include "core/indicator.h"
#include "intel/allowlist.h"

namespace mamori::intel {

namespace {

bool HasOpenInterval(const store::IndicatorHistory& h) {
  for (const auto& i : h.intervals) {
    if (i.delisted_at == 0) return true;
  }
  return false;
}

}  // namespace

Expected<LookupResult> LookupIndicator(store::Store& store, std::string_view text,
                                       UnixSeconds now) {
  auto normalized = NormalizeIndicator(text);
  if (!normalized) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not an indicator (IP, CIDR, domain, URL or MD5/SHA-1/SHA-256 hash): " +
                         normalized.error().message,
                     std::string(text.substr(0, 120)));
  }
  LookupResult result;
  result.indicator = normalized->indicator;
  MAMORI_ASSIGN_OR_RETURN(result.exact, store.Lookup(result.indicator));
  // An indicator row left behind by a removed source, with no history and no sightings, is
  // not knowledge.
  if (result.exact && result.exact->intervals.empty() && result.exact->sightings.empty()) {
    result.exact.reset();
  }

  const Indicator& ind = result.indicator;
  if (ind.type == IndicatorType::kIpv4 || ind.type == IndicatorType::kIpv6) {
    MAMORI_ASSIGN_OR_RETURN(result.covering, store.LookupCoveringCidrs(ind.value));
  } else if (ind.type == IndicatorType::kDomain) {
    auto name = DomainName::Parse(ind.value);
    std::optional<std::string> registered = name ? name->RegisteredDomain() : std::nullopt;
    std::optional<std::string> parent = name ? name->Parent() : std::nullopt;
    // Walk up to the registered domain: a listed parent covers its subdomains, but a PSL
    // public suffix (e.g. blogspot.com) is a shared platform and never covers them.
    while (parent && registered && parent->size() >= registered->size()) {
      MAMORI_ASSIGN_OR_RETURN(auto h, store.Lookup(Indicator{IndicatorType::kDomain, *parent}));
      if (h && !h->intervals.empty()) result.covering.push_back(std::move(*h));
      auto p = DomainName::Parse(*parent);
      parent = p ? p->Parent() : std::nullopt;
    }
  }

  result.listed_now = result.exact && HasOpenInterval(*result.exact);
  for (const auto& h : result.covering) result.listed_now = result.listed_now || HasOpenInterval(h);

  MAMORI_ASSIGN_OR_RETURN(auto entries, store.ListAllowlist());
  result.allowlisted_by = AllowlistMatcher::Build(entries, now).Match(ind);
  return result;
}

}  // namespace mamori::intel
