// The previous build's entry keys (SelectOptions::previous, "type:value" strings) in the shapes
// the selector looks them up by, so that its hot loops build no strings: names by (type, value)
// pieces, and address entries by (network, prefix, family width).
//
// Speed: the forests look up every node (6M in the issue-4 benchmark); making a "type:value"
// string for each, as before, meant millions of allocations and text conversions of
// aggregates whenever a previous build exists. These lookups allocate nothing. Holds views into
// `previous`, which must outlive it. Const lookups may be shared between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/address_range_set.h"

namespace mamori::rse::blocklist::internal {

class PreviousKeys {
 public:
  explicit PreviousKeys(const std::unordered_set<std::string>& previous);

  bool empty() const { return keys_.empty(); }
  // True when "type:value" is a previous key.
  bool Contains(std::string_view type, std::string_view value) const;
  // True when the key of this prefix ("ipv4:1.2.3.4", "ipv6:…" for a host, "cidr:…/n"
  // otherwise, exactly as PrefixText writes it) is a previous key. `bits` is 32 or 128.
  bool ContainsPrefix(AddressValue network, int prefix, int bits) const;

 private:
  struct KeyParts {
    std::string_view type;
    std::string_view value;
  };
  // Hashes "type:value" the same whether it comes whole or in its two pieces.
  struct PiecewiseHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const;
    size_t operator()(const KeyParts& parts) const;
  };
  struct PiecewiseEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
    bool operator()(const KeyParts& a, std::string_view b) const;
    bool operator()(std::string_view a, const KeyParts& b) const { return (*this)(b, a); }
  };
  struct Prefix {
    AddressValue network = 0;
    int prefix = 0;
    int bits = 0;
    bool operator==(const Prefix&) const = default;
  };
  struct PrefixHash {
    size_t operator()(const Prefix& p) const;
  };

  std::unordered_set<std::string_view, PiecewiseHash, PiecewiseEqual> keys_;
  std::unordered_set<Prefix, PrefixHash> prefixes_;
};

}  // namespace mamori::rse::blocklist::internal
