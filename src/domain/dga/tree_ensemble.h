// TreeEnsemble: the boosted trees of a DGA model, evaluated by mamori itself rather than by
// XGBoost. XGBoost trains the trees (train.h); scoring one domain at a time through its C API
// costs a DMatrix/prediction call per domain, so the trees are copied into flat arrays and
// walked here (docs/benchmarks.md, "Issue 6: DGA classifier", has both speeds). A node goes left
// when feature < split, as in XGBoost; leaves hold their value in `split`.
// Immutable after construction; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"

namespace mamori::domain::dga {

struct Tree {
  std::vector<int32_t> left;  // child index, -1 for a leaf
  std::vector<int32_t> right;
  std::vector<int32_t> feature;  // column; unused for a leaf
  std::vector<float> split;      // threshold, or the leaf value
};

class TreeEnsemble {
 public:
  TreeEnsemble() = default;
  TreeEnsemble(float base_margin, std::vector<Tree> trees);

  // From the JSON XGBoost writes (XGBoosterSaveModelToBuffer, format "json", binary:logistic).
  static Expected<TreeEnsemble> FromXgboostJson(std::string_view text);
  // Our own form (docs/formats/dga-model.md, "trees"). Checks every index against
  // `feature_count`, so a damaged file cannot make Margin read out of bounds.
  static Expected<TreeEnsemble> FromJson(const nlohmann::json& j, size_t feature_count,
                                         const std::string& context);
  nlohmann::json ToJson() const;

  // Sum of base margin and leaf values (log-odds); Probability() applies the logistic function.
  double Margin(std::span<const float> features) const;
  double Probability(std::span<const float> features) const;
  size_t tree_count() const { return trees_.size(); }

 private:
  // All trees' nodes in one array (children as absolute indices), built from trees_: one
  // contiguous 16-byte record per node halves the scoring time of four separate arrays per tree.
  struct Node {
    int32_t feature;  // -1 for a leaf
    float value;      // split threshold, or the leaf value
    int32_t left, right;
  };
  void Flatten();
  float base_margin_ = 0;
  std::vector<Tree> trees_;
  std::vector<Node> nodes_;
  std::vector<int32_t> roots_;
};

}  // namespace mamori::domain::dga
