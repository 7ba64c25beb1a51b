#include "domain/dga/tree_ensemble.h"

#include <fmt/format.h>

#include <cmath>

namespace mamori::domain::dga {

namespace {

using nlohmann::json;

// Checks a tree's shape: equal array sizes, children in range and after their parent (so a walk
// always ends), features in range.
Status CheckTree(const Tree& t, size_t feature_count, size_t index, const std::string& context) {
  const size_t n = t.left.size();
  auto bad = [&](std::string what) {
    return MakeError(ErrorCode::kCorrupt, fmt::format("tree {}: {}", index, what), context);
  };
  if (n == 0) return bad("has no nodes");
  if (t.right.size() != n || t.feature.size() != n || t.split.size() != n) {
    return bad("left/right/feature/split arrays differ in length");
  }
  for (size_t i = 0; i < n; ++i) {
    if (t.left[i] == -1) continue;
    if (t.left[i] <= static_cast<int32_t>(i) || t.right[i] <= static_cast<int32_t>(i) ||
        t.left[i] >= static_cast<int32_t>(n) || t.right[i] >= static_cast<int32_t>(n)) {
      return bad(fmt::format("node {} has a child out of range", i));
    }
    if (t.feature[i] < 0 || static_cast<size_t>(t.feature[i]) >= feature_count) {
      return bad(fmt::format("node {} splits on feature {} (the model has {})", i, t.feature[i],
                             feature_count));
    }
  }
  return Ok();
}

template <typename T>
Expected<std::vector<T>> ReadArray(const json& j, const char* key, const std::string& context,
                                   size_t tree) {
  if (!j.contains(key) || !j[key].is_array()) {
    return MakeError(ErrorCode::kCorrupt,
                     fmt::format("tree {}: \"{}\" must be an array", tree, key), context);
  }
  std::vector<T> out;
  out.reserve(j[key].size());
  for (const json& v : j[key]) {
    if (!v.is_number()) {
      return MakeError(ErrorCode::kCorrupt,
                       fmt::format("tree {}: \"{}\" holds a non-number", tree, key), context);
    }
    out.push_back(v.get<T>());
  }
  return out;
}

}  // namespace

TreeEnsemble::TreeEnsemble(float base_margin, std::vector<Tree> trees)
    : base_margin_(base_margin), trees_(std::move(trees)) {
  Flatten();
}

void TreeEnsemble::Flatten() {
  nodes_.clear();
  roots_.clear();
  for (const Tree& t : trees_) {
    const int32_t base = static_cast<int32_t>(nodes_.size());
    roots_.push_back(base);
    for (size_t i = 0; i < t.left.size(); ++i) {
      const bool leaf = t.left[i] == -1;
      nodes_.push_back({leaf ? -1 : t.feature[i], t.split[i], leaf ? -1 : base + t.left[i],
                        leaf ? -1 : base + t.right[i]});
    }
  }
}

double TreeEnsemble::Margin(std::span<const float> x) const {
  double sum = base_margin_;
  const Node* nodes = nodes_.data();
  for (int32_t root : roots_) {
    const Node* n = nodes + root;
    while (n->feature >= 0) n = nodes + (x[n->feature] < n->value ? n->left : n->right);
    sum += n->value;
  }
  return sum;
}

double TreeEnsemble::Probability(std::span<const float> x) const {
  return 1.0 / (1.0 + std::exp(-Margin(x)));
}

Expected<TreeEnsemble> TreeEnsemble::FromXgboostJson(std::string_view text) {
  const std::string context = "XGBoost model JSON";
  try {
    const json j = json::parse(text);
    const json& learner = j.at("learner");
    const std::string objective = learner.at("objective").at("name").get<std::string>();
    if (objective != "binary:logistic") {
      return MakeError(ErrorCode::kUnsupported,
                       fmt::format("objective {} (only binary:logistic is read)", objective),
                       context);
    }
    // base_score is a probability stored as a string ("5E-1"); the trees add to its log-odds.
    const double base_score =
        std::stod(learner.at("learner_model_param").at("base_score").get<std::string>());
    const size_t features =
        std::stoul(learner.at("learner_model_param").at("num_feature").get<std::string>());
    std::vector<Tree> trees;
    size_t index = 0;
    for (const json& jt : learner.at("gradient_booster").at("model").at("trees")) {
      Tree t;
      t.left = jt.at("left_children").get<std::vector<int32_t>>();
      t.right = jt.at("right_children").get<std::vector<int32_t>>();
      t.feature = jt.at("split_indices").get<std::vector<int32_t>>();
      t.split = jt.at("split_conditions").get<std::vector<float>>();
      MAMORI_RETURN_IF_ERROR(CheckTree(t, features, index++, context));
      trees.push_back(std::move(t));
    }
    return TreeEnsemble(static_cast<float>(std::log(base_score / (1 - base_score))),
                        std::move(trees));
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kCorrupt, fmt::format("unexpected layout: {}", e.what()), context);
  }
}

Expected<TreeEnsemble> TreeEnsemble::FromJson(const json& j, size_t feature_count,
                                              const std::string& context) {
  if (!j.is_object() || !j.contains("base_margin") || !j["base_margin"].is_number() ||
      !j.contains("trees") || !j["trees"].is_array()) {
    return MakeError(ErrorCode::kCorrupt,
                     "\"trees\" must be an object with a number \"base_margin\" and an array "
                     "\"trees\"",
                     context);
  }
  std::vector<Tree> trees;
  size_t index = 0;
  for (const json& jt : j["trees"]) {
    if (!jt.is_object()) {
      return MakeError(ErrorCode::kCorrupt, fmt::format("tree {} is not an object", index),
                       context);
    }
    Tree t;
    MAMORI_ASSIGN_OR_RETURN(t.left, ReadArray<int32_t>(jt, "left", context, index));
    MAMORI_ASSIGN_OR_RETURN(t.right, ReadArray<int32_t>(jt, "right", context, index));
    MAMORI_ASSIGN_OR_RETURN(t.feature, ReadArray<int32_t>(jt, "feature", context, index));
    MAMORI_ASSIGN_OR_RETURN(t.split, ReadArray<float>(jt, "split", context, index));
    MAMORI_RETURN_IF_ERROR(CheckTree(t, feature_count, index, context));
    trees.push_back(std::move(t));
    ++index;
  }
  return TreeEnsemble(j["base_margin"].get<float>(), std::move(trees));
}

json TreeEnsemble::ToJson() const {
  json trees = json::array();
  for (const Tree& t : trees_) {
    trees.push_back(
        {{"left", t.left}, {"right", t.right}, {"feature", t.feature}, {"split", t.split}});
  }
  return {{"base_margin", base_margin_}, {"trees", std::move(trees)}};
}

}  // namespace mamori::domain::dga
