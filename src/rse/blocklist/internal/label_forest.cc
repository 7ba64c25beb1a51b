#include "rse/blocklist/internal/label_forest.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace mamori::rse::blocklist::internal {

LabelForest BuildLabelForest(const std::vector<LabelItem>& items, bool nest,
                             const std::unordered_set<std::string>* previous, double churn_bonus) {
  const size_t n = items.size();
  // Deeper names first, so children precede parents (post-order for a forest of chains).
  std::vector<int32_t> order(n);
  std::vector<int> depth(n, 0);
  for (size_t i = 0; i < n; ++i) {
    order[i] = static_cast<int32_t>(i);
    if (nest) depth[i] = static_cast<int>(std::count(items[i].name->begin(), items[i].name->end(), '.'));
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return depth[a] > depth[b]; });
  std::vector<int32_t> position(n);
  for (size_t i = 0; i < n; ++i) position[order[i]] = static_cast<int32_t>(i);

  LabelForest out;
  out.forest.parent.assign(n, -1);
  out.forest.value.assign(n, 0);
  out.candidate.resize(n);
  out.subtree_own.assign(n, 0);
  out.has_children.assign(n, 0);
  if (nest) {
    std::unordered_map<std::string_view, int32_t> by_name;
    by_name.reserve(n * 2);
    for (size_t i = 0; i < n; ++i) by_name.emplace(*items[i].name, static_cast<int32_t>(i));
    for (size_t i = 0; i < n; ++i) {
      std::string_view name = *items[i].name;
      for (size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.', dot + 1)) {
        auto it = by_name.find(name.substr(dot + 1));
        if (it != by_name.end()) {
          out.forest.parent[position[i]] = position[it->second];
          break;
        }
      }
    }
  }
  for (size_t p = 0; p < n; ++p) {
    int32_t i = order[p];
    out.candidate[p] = items[i].candidate;
    out.subtree_own[p] += items[i].own;
    double value = out.subtree_own[p];
    if (previous && !previous->empty()) {
      std::string key(items[i].type);
      key += ':';
      key += *items[i].name;
      if (previous->count(key)) value *= 1.0 + churn_bonus;
    }
    out.forest.value[p] = value;
    int32_t parent = out.forest.parent[p];
    if (parent >= 0) {
      out.subtree_own[parent] += out.subtree_own[p];
      out.has_children[parent] = 1;
    }
  }
  return out;
}

}  // namespace mamori::rse::blocklist::internal
