#include "rse/blocklist/internal/prefix_forest.h"

#include <algorithm>
#include <cmath>

#include "core/huge_pages.h"
#include "core/ip.h"

namespace mamori::rse::blocklist::internal {
namespace {

AddressValue Mask(AddressValue value, int prefix, int bits) {
  if (prefix <= 0) return 0;
  if (prefix >= bits) return value;
  AddressValue host = (AddressValue{1} << (bits - prefix)) - 1;
  return value & ~host;
}

AddressValue LastOf(AddressValue network, int prefix, int bits) {
  if (prefix <= 0) return bits == 32 ? AddressValue{0xffffffffu} : ~AddressValue{0};
  if (prefix >= bits) return network;
  return network | ((AddressValue{1} << (bits - prefix)) - 1);
}

int CommonPrefix(AddressValue a, AddressValue b, int bits) {
  AddressValue diff = a ^ b;
  if (diff == 0) return bits;
  uint64_t high = static_cast<uint64_t>(diff >> 64);
  int leading = high ? __builtin_clzll(high) : 64 + __builtin_clzll(static_cast<uint64_t>(diff));
  return leading - (128 - bits);
}

struct Building {
  AddressValue network;
  int prefix;
  int32_t candidate;
  double own;
  int32_t parent = -1;
};

std::string Key(AddressValue network, int prefix, int bits) {
  bool host = prefix == bits;
  std::string type = host ? (bits == 32 ? "ipv4:" : "ipv6:") : "cidr:";
  return type + PrefixText(network, prefix, bits);
}

}  // namespace

std::string PrefixText(AddressValue network, int prefix, int bits) {
  IpAddress address = FromAddressValue(network, bits == 32 ? IpFamily::kV4 : IpFamily::kV6);
  if (prefix == bits) return address.ToString();
  return address.ToString() + "/" + std::to_string(prefix);
}

PrefixForest BuildPrefixForest(std::vector<PrefixItem> items, int bits,
                               const AggregationRules& rules) {
  // Sorted by network, wider prefixes first, so a containing CIDR precedes what it contains.
  std::sort(items.begin(), items.end(), [](const PrefixItem& a, const PrefixItem& b) {
    if (a.network != b.network) return a.network < b.network;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return a.candidate < b.candidate;  // equal prefixes nest in input order: deterministic
  });

  std::vector<Building> built;
  ReserveHuge(built, items.size() * 2);
  std::vector<int32_t> order;  // post-order: the order nodes leave the stack
  ReserveHuge(order, items.size() * 2);
  std::vector<int32_t> stack;
  auto link = [&](int32_t child, int32_t parent) {
    built[child].parent = parent;
    order.push_back(child);
  };

  for (const PrefixItem& item : items) {
    int32_t x = static_cast<int32_t>(built.size());
    built.push_back({item.network, item.prefix, item.candidate, item.own});
    if (stack.empty()) {
      stack.push_back(x);
      continue;
    }
    const Building& top = built[stack.back()];
    int lca_prefix = std::min({CommonPrefix(top.network, item.network, bits), top.prefix,
                               item.prefix});
    while (stack.size() >= 2 && built[stack[stack.size() - 2]].prefix >= lca_prefix) {
      link(stack.back(), stack[stack.size() - 2]);
      stack.pop_back();
    }
    if (built[stack.back()].prefix > lca_prefix) {
      // The top is deeper than the branching point: create the aggregate node there.
      int32_t aggregate = static_cast<int32_t>(built.size());
      built.push_back({Mask(item.network, lca_prefix, bits), lca_prefix, -1, 0.0});
      link(stack.back(), aggregate);
      stack.back() = aggregate;
    }
    stack.push_back(x);
  }
  while (!stack.empty()) {
    int32_t node = stack.back();
    stack.pop_back();
    if (stack.empty()) {
      order.push_back(node);
    } else {
      link(node, stack.back());
    }
  }

  // Renumber into post-order and compute the subtree sums and emit values.
  const size_t n = built.size();
  std::vector<int32_t> new_index;
  ReserveHuge(new_index, n);
  new_index.resize(n);
  for (size_t i = 0; i < order.size(); ++i) new_index[order[i]] = static_cast<int32_t>(i);
  PrefixForest out;
  ReserveHuge(out.nodes, n);
  ReserveHuge(out.forest.parent, n);
  ReserveHuge(out.forest.value, n);
  out.nodes.resize(n);
  out.forest.parent.resize(n);
  out.forest.value.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Building& b = built[order[i]];
    PrefixNode& node = out.nodes[i];
    node.network = b.network;
    node.prefix = b.prefix;
    node.candidate = b.candidate;
    node.own = b.own;
    out.forest.parent[i] = b.parent >= 0 ? new_index[b.parent] : -1;
  }
  std::vector<double> child_own, child_listed;
  std::vector<int32_t> child_count;
  ReserveHuge(child_own, n);
  ReserveHuge(child_listed, n);
  ReserveHuge(child_count, n);
  child_own.assign(n, 0.0);
  child_listed.assign(n, 0.0);
  child_count.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    PrefixNode& node = out.nodes[i];
    double size = std::ldexp(1.0, bits - node.prefix);
    node.subtree_own = node.own + child_own[i];
    node.listed_addresses = node.candidate >= 0 ? size : child_listed[i];
    if (node.candidate >= 0) {
      node.emit_value = node.subtree_own;  // listed: blocks only what its source listed
    } else if (rules.aggregate && node.prefix >= rules.min_prefix && child_count[i] >= 2) {
      AddressValue last = LastOf(node.network, node.prefix, bits);
      bool touches_protected =
          rules.protected_addresses &&
          (bits == 32 ? rules.protected_addresses->IntersectsV4(static_cast<uint32_t>(node.network),
                                                                static_cast<uint32_t>(last))
                      : rules.protected_addresses->IntersectsV6(node.network, last));
      if (!touches_protected) {
        node.emit_value =
            node.subtree_own - rules.collateral_penalty * (size - node.listed_addresses);
      }
    }
    double decision = node.emit_value;
    if (decision > 0 && rules.previous && !rules.previous->empty() &&
        rules.previous->count(Key(node.network, node.prefix, bits))) {
      decision *= 1.0 + rules.churn_bonus;
    }
    out.forest.value[i] = decision;
    int32_t p = out.forest.parent[i];
    if (p >= 0) {
      child_own[p] += node.subtree_own;
      child_listed[p] += node.listed_addresses;
      child_count[p] += 1;
    }
  }
  return out;
}

}  // namespace mamori::rse::blocklist::internal
