#include "domain/internal/xgboost.h"

#include "domain/internal/splitmix.h"

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <limits>
#include <mutex>

namespace mamori::domain::internal {

void DMatrixFree::operator()(void* h) const { XGDMatrixFree(h); }
void BoosterFree::operator()(void* h) const { XGBoosterFree(h); }

namespace {

tl::unexpected<Error> XgbError(std::string_view call, std::string_view what) {
  return MakeError(ErrorCode::kInternal,
                   fmt::format("XGBoost {} failed: {}", call, XGBGetLastError()),
                   std::string(what));
}

void QuietOnce() {
  static std::once_flag once;
  std::call_once(once, [] { XGBSetGlobalConfig(R"({"verbosity": 0})"); });
}

Expected<DMatrix> MakeDMatrix(const float* x, size_t rows, size_t columns, std::string_view what) {
  DMatrixHandle h = nullptr;
  if (XGDMatrixCreateFromMat(x, rows, columns, std::numeric_limits<float>::quiet_NaN(), &h) != 0) {
    return XgbError("XGDMatrixCreateFromMat", what);
  }
  return DMatrix(h);
}

Expected<DMatrix> MakeDMatrix(const FeatureRows& rows, const std::vector<size_t>& index,
                              bool with_labels, std::string_view what) {
  std::vector<float> x, y, w;
  x.reserve(index.size() * rows.columns);
  for (size_t i : index) {
    x.insert(x.end(), rows.x.begin() + i * rows.columns, rows.x.begin() + (i + 1) * rows.columns);
    y.push_back(rows.y[i]);
    w.push_back(rows.w[i]);
  }
  MAMORI_ASSIGN_OR_RETURN(DMatrix m, MakeDMatrix(x.data(), index.size(), rows.columns, what));
  if (with_labels && (XGDMatrixSetFloatInfo(m.get(), "label", y.data(), y.size()) != 0 ||
                      XGDMatrixSetFloatInfo(m.get(), "weight", w.data(), w.size()) != 0)) {
    return XgbError("XGDMatrixSetFloatInfo", what);
  }
  return m;
}

Expected<std::vector<float>> PredictMatrix(void* booster, void* matrix, int type, size_t expect,
                                           std::string_view what) {
  const std::string config = fmt::format(
      R"({{"type": {}, "training": false, "iteration_begin": 0, "iteration_end": 0,
          "strict_shape": false}})",
      type);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  if (XGBoosterPredictFromDMatrix(booster, matrix, config.c_str(), &shape, &dim, &out) != 0) {
    return XgbError("XGBoosterPredictFromDMatrix", what);
  }
  return std::vector<float>(out, out + expect);
}

}  // namespace

Expected<Booster> FitBooster(const FeatureRows& rows, const std::vector<size_t>& index,
                             const BoostParams& o, std::string_view what) {
  QuietOnce();
  MAMORI_ASSIGN_OR_RETURN(DMatrix train, MakeDMatrix(rows, index, true, what));
  DMatrixHandle dm[] = {train.get()};
  BoosterHandle h = nullptr;
  if (XGBoosterCreate(dm, 1, &h) != 0) return XgbError("XGBoosterCreate", what);
  Booster b(h);
  const std::pair<std::string, std::string> params[] = {
      {"objective", "binary:logistic"},
      {"tree_method", "hist"},
      {"max_depth", std::to_string(o.max_depth)},
      {"eta", fmt::format("{}", o.eta)},
      {"subsample", fmt::format("{}", o.subsample)},
      {"colsample_bytree", fmt::format("{}", o.colsample)},
      {"seed", std::to_string(o.seed)},
      {"nthread", std::to_string(std::max(1, o.threads))},
      {"base_score", "0.5"},
  };
  for (const auto& [k, v] : params) {
    if (XGBoosterSetParam(h, k.c_str(), v.c_str()) != 0) return XgbError("XGBoosterSetParam", what);
  }
  for (int i = 0; i < o.rounds; ++i) {
    if (XGBoosterUpdateOneIter(h, i, train.get()) != 0) {
      return XgbError("XGBoosterUpdateOneIter", what);
    }
  }
  return b;
}

Expected<std::vector<float>> PredictBooster(void* booster, const FeatureRows& rows,
                                            const std::vector<size_t>& index,
                                            std::string_view what) {
  MAMORI_ASSIGN_OR_RETURN(DMatrix m, MakeDMatrix(rows, index, false, what));
  return PredictMatrix(booster, m.get(), 0, index.size(), what);
}

Expected<std::vector<float>> ContributionsOf(void* booster, const float* row, size_t columns,
                                             std::string_view what) {
  MAMORI_ASSIGN_OR_RETURN(DMatrix m, MakeDMatrix(row, 1, columns, what));
  return PredictMatrix(booster, m.get(), 2, columns + 1, what);
}

Expected<std::string> SaveBoosterJson(void* booster, std::string_view what) {
  bst_ulong len = 0;
  const char* buf = nullptr;
  if (XGBoosterSaveModelToBuffer(booster, R"({"format": "json"})", &len, &buf) != 0) {
    return XgbError("XGBoosterSaveModelToBuffer", what);
  }
  return std::string(buf, len);
}

Expected<Booster> LoadBoosterJson(std::string_view json, std::string_view what) {
  QuietOnce();
  BoosterHandle h = nullptr;
  if (XGBoosterCreate(nullptr, 0, &h) != 0) return XgbError("XGBoosterCreate", what);
  Booster b(h);
  if (XGBoosterLoadModelFromBuffer(h, json.data(), json.size()) != 0) {
    return XgbError("XGBoosterLoadModelFromBuffer", what);
  }
  return b;
}

void SeededShuffle(std::vector<size_t>& v, uint64_t seed) {
  SplitMix64 rng{seed};
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.Next() % i]);
}

}  // namespace mamori::domain::internal
