// RegisteredCache: a name's registrable domain under the PSL (the same list and answer as
// core/domain_name.h, DomainName::RegisteredDomain) with one PSL query per distinct name
// instead of one per label, and the rest cached by the name's parent.
//
// libpsl's psl_registrable_domain(name) walks up the labels and returns the last name before
// the first public suffix, so for a name N with parent P:
//   N is itself a public suffix  -> none
//   P is a public suffix         -> N
//   otherwise                    -> registered(P)
// The first test must be asked of N (wildcard and exception rules such as "*.ck"/"!www.ck" are
// about N's own labels); the other two depend only on P, which millions of host names share, so
// they are cached per parent. Names that DomainName::Parse would refuse (fewer than two labels,
// numeric top-level label) have none, as there. Not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace mamori::domain::pdns {

class RegisteredCache {
 public:
  RegisteredCache();
  // `name` must be normalised (record.h, NormalizeName). The view is valid until the next call
  // or until it is `name` itself (the answer can be the name).
  std::string_view Get(std::string_view name);
  size_t parents() const { return parents_.size(); }
  // Drops the parent cache (memory bound); answers stay the same.
  void Clear() { parents_.clear(); }

 private:
  struct Parent {
    bool is_public_suffix = false;
    std::string registered;  // registered(P) when P is not a public suffix
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };
  std::string Direct(std::string_view name);
  bool IsPublicSuffix(std::string_view name);

  const void* psl_;  // psl_ctx_t, kept out of this header
  std::unordered_map<std::string, Parent, Hash, std::equal_to<>> parents_;
  std::string scratch_;  // NUL-terminated copy for libpsl; the answer for Direct
};

}  // namespace mamori::domain::pdns
