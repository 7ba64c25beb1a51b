// IndicatorLookup: what the `|intel` modifier of a rule asks — "is this value an indicator that
// the intel store lists now?" — behind an interface, so the matcher does not depend on a store
// and tests use a fixed set (SetIndicatorLookup).
//
// StoreIndicatorLookup answers from store::Store (Lookup, LookupCoveringCidrs for addresses,
// parent domains for names) and caches answers for the run (bounded; the cache is cleared when
// full). Neither implementation is thread-safe: one per matching thread.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/clock.h"
#include "store/store.h"

namespace mamori::rse::detect {

enum class IntelKind { kAddress, kDomain, kUrl };

class IndicatorLookup {
 public:
  virtual ~IndicatorLookup() = default;
  // True when `value` (as logged) is currently listed by one of `sources` (source names), or by
  // any enabled source when `sources` is empty.
  virtual bool IsListed(IntelKind kind, std::string_view value,
                        const std::vector<std::string>& sources) = 0;
};

// A fixed set of listed values (tests, `mamori rules test --intel FILE`): addresses, CIDRs,
// domains (their subdomains match too) and URLs, each listed by the given source name.
class SetIndicatorLookup final : public IndicatorLookup {
 public:
  void Add(std::string_view value, std::string_view source = "test");
  bool IsListed(IntelKind kind, std::string_view value,
                const std::vector<std::string>& sources) override;

 private:
  std::unordered_map<std::string, std::vector<std::string>> listed_;  // normalized -> sources
  std::vector<std::pair<std::string, std::string>> cidrs_;            // (cidr text, source)
};

class StoreIndicatorLookup final : public IndicatorLookup {
 public:
  explicit StoreIndicatorLookup(store::Store& store, size_t max_cache = 100'000);
  bool IsListed(IntelKind kind, std::string_view value,
                const std::vector<std::string>& sources) override;
  // Store errors seen (the lookup answers "not listed" on error and counts it).
  int64_t errors() const { return errors_; }

 private:
  // Names of the sources listing the value now (enabled sources only).
  std::vector<std::string> ListingSources(IntelKind kind, std::string_view value);
  void AddOpen(const store::IndicatorHistory& h, std::vector<std::string>& out);

  store::Store& store_;
  size_t max_cache_;
  std::unordered_set<std::string> enabled_sources_;
  bool sources_loaded_ = false;
  std::unordered_map<std::string, std::vector<std::string>> cache_;
  int64_t errors_ = 0;
};

}  // namespace mamori::rse::detect
