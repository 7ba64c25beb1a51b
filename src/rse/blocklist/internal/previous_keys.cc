#include "rse/blocklist/internal/previous_keys.h"

#include "core/ip.h"
#include "rse/blocklist/internal/prefix_forest.h"

namespace mamori::rse::blocklist::internal {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t Fnv(uint64_t h, std::string_view bytes) {
  for (char c : bytes) h = (h ^ static_cast<uint8_t>(c)) * kFnvPrime;
  return h;
}

std::string PrefixKey(AddressValue network, int prefix, int bits) {
  std::string key = prefix < bits ? "cidr:" : (bits == 32 ? "ipv4:" : "ipv6:");
  return key + PrefixText(network, prefix, bits);
}

}  // namespace

size_t PreviousKeys::PiecewiseHash::operator()(std::string_view key) const {
  return Fnv(kFnvOffset, key);
}

size_t PreviousKeys::PiecewiseHash::operator()(const KeyParts& parts) const {
  return Fnv(Fnv(Fnv(kFnvOffset, parts.type), ":"), parts.value);
}

bool PreviousKeys::PiecewiseEqual::operator()(const KeyParts& a, std::string_view b) const {
  return b.size() == a.type.size() + 1 + a.value.size() && b.substr(0, a.type.size()) == a.type &&
         b[a.type.size()] == ':' && b.substr(a.type.size() + 1) == a.value;
}

size_t PreviousKeys::PrefixHash::operator()(const Prefix& p) const {
  uint64_t h = static_cast<uint64_t>(p.network) ^ (static_cast<uint64_t>(p.network >> 64) * 31);
  h ^= (static_cast<uint64_t>(p.prefix) << 56) ^ (static_cast<uint64_t>(p.bits) << 48);
  h *= 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 29);
}

PreviousKeys::PreviousKeys(const std::unordered_set<std::string>& previous) {
  keys_.reserve(previous.size());
  for (const std::string& key : previous) {
    keys_.insert(key);
    std::string_view view = key;
    size_t colon = view.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view type = view.substr(0, colon);
    if (type != "ipv4" && type != "ipv6" && type != "cidr") continue;
    auto parsed = Cidr::Parse(view.substr(colon + 1));
    if (!parsed) continue;
    Prefix p{ToAddressValue(parsed->cidr.network()), parsed->cidr.prefix(),
             parsed->cidr.network().bit_length()};
    // Only a key spelled exactly as a node's key would be can match it: "cidr:1.2.3.4/32" or
    // "ipv4:01.2.3.4" never did, and must not start to.
    if (PrefixKey(p.network, p.prefix, p.bits) == key) prefixes_.insert(p);
  }
}

bool PreviousKeys::Contains(std::string_view type, std::string_view value) const {
  return keys_.find(KeyParts{type, value}) != keys_.end();
}

bool PreviousKeys::ContainsPrefix(AddressValue network, int prefix, int bits) const {
  return !prefixes_.empty() && prefixes_.count(Prefix{network, prefix, bits}) > 0;
}

}  // namespace mamori::rse::blocklist::internal
