// AllowlistMatcher: answers "must this indicator never be blocked?" from allowlist entries.
//
// Three kinds of entry (store::AllowlistEntry::kind): "value" matches one normalized indicator
// exactly; "cidr" matches addresses and networks inside it; "suffix" matches a domain and every
// name below it, and URLs whose host is such a name. Build once from the store's entries, then
// query; expired entries (expires_at <= now) are ignored at build time. Immutable after Build,
// so queries are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/indicator.h"
#include "core/ip.h"
#include "store/records.h"

namespace mamori::intel {

class AllowlistMatcher {
 public:
  static AllowlistMatcher Build(const std::vector<store::AllowlistEntry>& entries, UnixSeconds now);

  // The entry that allowlists `indicator`, if any.
  std::optional<store::AllowlistEntry> Match(const Indicator& indicator) const;
  size_t size() const { return size_; }

 private:
  std::optional<store::AllowlistEntry> MatchDomain(const std::string& name) const;
  std::optional<store::AllowlistEntry> MatchAddress(const IpAddress& address) const;

  std::unordered_map<std::string, store::AllowlistEntry> values_;    // "type:value"
  std::unordered_map<std::string, store::AllowlistEntry> suffixes_;  // domain names
  std::vector<std::pair<Cidr, store::AllowlistEntry>> cidrs_;
  size_t size_ = 0;
};

}  // namespace mamori::intel
