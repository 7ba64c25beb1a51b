// Optional evidence a caller can give the categorizer beyond the name itself. Each piece comes
// from another subsystem and may be missing; the categorizer says in its evidence strings what
// it did not have. Passive DNS and RDAP stores (the reputation issue) fill DnsEvidence and
// RegistrationEvidence; the warning lists (intel/warninglists.h) answer PopularityLookup.
// Plain values and an interface; implementations of PopularityLookup must be thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"

namespace mamori::domain {

// What passive DNS saw for the name.
struct DnsEvidence {
  // The CNAME chain from the name, in resolution order ("x.example" -> "d1.cloudfront.net").
  // A chain that reaches a listed platform puts the name on that platform.
  std::vector<std::string> cname_chain;
};

// What registration data (RDAP / WHOIS history, lifecycle) says about the registered domain.
struct RegistrationEvidence {
  std::optional<UnixSeconds> created;  // creation of the current registration
  // End (expiry or deletion) of an earlier registration of the same domain; with `created`
  // after it, the domain was re-registered after it lapsed.
  std::optional<UnixSeconds> previous_registration_ended;
  std::string registrar;
  std::string abuse_contact;  // the RDAP abuse contact (registrar's or hosting platform's)
};

struct Evidence {
  const DnsEvidence* dns = nullptr;
  const RegistrationEvidence* registration = nullptr;
};

// Which popularity list, if any, holds a registered domain ("tranco10k", "top-sites").
class PopularityLookup {
 public:
  virtual ~PopularityLookup() = default;
  virtual std::optional<std::string> ListOf(std::string_view registered_domain) const = 0;
};

// A PopularityLookup over an in-memory map (tests, benchmarks, user lists).
class PopularSet final : public PopularityLookup {
 public:
  void Add(std::string domain, std::string list) { lists_[std::move(domain)] = std::move(list); }
  std::optional<std::string> ListOf(std::string_view registered_domain) const override {
    auto it = lists_.find(registered_domain);  // no temporary string: transparent lookup
    if (it == lists_.end()) return std::nullopt;
    return it->second;
  }
  size_t size() const { return lists_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> lists_;
};

}  // namespace mamori::domain
