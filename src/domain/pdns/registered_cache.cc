#include "domain/pdns/registered_cache.h"

#include <libpsl.h>

#include "core/domain_name.h"
#include "core/public_suffix_list.h"

namespace mamori::domain::pdns {

// The same context DomainName answers from, so cached answers equal DomainName's
// (registered_cache_test checks it).
RegisteredCache::RegisteredCache() : psl_(PublicSuffixList()) {}

std::string RegisteredCache::Direct(std::string_view name) {
  auto parsed = DomainName::Parse(name);
  if (!parsed) return {};
  return parsed->RegisteredDomain().value_or("");
}

bool RegisteredCache::IsPublicSuffix(std::string_view name) {
  scratch_.assign(name);
  // psl_is_public_suffix is type 0 (any section, with the prevailing '*' rule): the test
  // psl_registrable_domain itself applies at every level.
  return psl_is_public_suffix(static_cast<const psl_ctx_t*>(psl_), scratch_.c_str()) != 0;
}

std::string_view RegisteredCache::Get(std::string_view name) {
  size_t dot = name.find('.');
  std::string_view parent = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  // Two labels or fewer: the parent is a single label, and DomainName's checks (numeric
  // top-level label, …) decide; such names are few, ask directly.
  if (parent.find('.') == std::string_view::npos) {
    scratch_ = Direct(name);
    return scratch_;
  }
  auto it = parents_.find(parent);
  if (it == parents_.end()) {
    Parent p;
    // A parent DomainName refuses (numeric top-level label) makes every child refused too:
    // remembered as a "public suffix" with no answer would be wrong, so mark it by asking
    // directly for the children (registered empty and is_public_suffix false never happens
    // otherwise for a multi-label parent).
    if (DomainName::Parse(parent)) {
      p.is_public_suffix = IsPublicSuffix(parent);
      if (!p.is_public_suffix) p.registered = Direct(parent);
    }
    it = parents_.emplace(std::string(parent), std::move(p)).first;
  }
  const Parent& p = it->second;
  if (!p.is_public_suffix && p.registered.empty()) {
    scratch_ = Direct(name);
    return scratch_;
  }
  if (IsPublicSuffix(name)) return {};
  if (p.is_public_suffix) return name;
  return p.registered;
}

}  // namespace mamori::domain::pdns
