// Thin RAII wrappers over XGBoost's C API (libxgboost-dev) shared by the domain models (DGA
// classifier, reputation model): fit binary:logistic trees on a row-major float matrix, predict,
// compute per-feature SHAP contributions, save and load the model JSON. NaN marks a missing
// value (XGBoost routes it down each split's learned default branch).
// XGBoost's global configuration (verbosity) is process-wide: one training at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mamori::domain::internal {

struct DMatrixFree {
  void operator()(void* h) const;
};
struct BoosterFree {
  void operator()(void* h) const;
};
using DMatrix = std::unique_ptr<void, DMatrixFree>;
using Booster = std::unique_ptr<void, BoosterFree>;

// Training rows: `x` row-major with `columns` floats per row, a label and a weight per row.
struct FeatureRows {
  size_t columns = 0;
  std::vector<float> x;
  std::vector<float> y;
  std::vector<float> w;
  size_t size() const { return y.size(); }
  void Add(const float* row, float label, float weight) {
    x.insert(x.end(), row, row + columns);
    y.push_back(label);
    w.push_back(weight);
  }
};

struct BoostParams {
  int rounds = 200;
  int max_depth = 6;
  double eta = 0.15;
  double subsample = 0.8;
  double colsample = 0.8;
  uint64_t seed = 1;
  int threads = 1;
};

// `what` names the caller in errors ("DGA model training").
Expected<Booster> FitBooster(const FeatureRows& rows, const std::vector<size_t>& index,
                             const BoostParams& params, std::string_view what);
// Probabilities of the rows in `index`.
Expected<std::vector<float>> PredictBooster(void* booster, const FeatureRows& rows,
                                            const std::vector<size_t>& index, std::string_view what);
// SHAP contributions (TreeSHAP, XGBoost's pred_contribs) of one row: columns + 1 values in
// log-odds, the last being the bias; they sum to the row's margin.
Expected<std::vector<float>> ContributionsOf(void* booster, const float* row, size_t columns,
                                             std::string_view what);
Expected<std::string> SaveBoosterJson(void* booster, std::string_view what);
Expected<Booster> LoadBoosterJson(std::string_view json, std::string_view what);

// Seeded Fisher-Yates with splitmix64 (same on every platform, unlike std::shuffle).
void SeededShuffle(std::vector<size_t>& v, uint64_t seed);

}  // namespace mamori::domain::internal
