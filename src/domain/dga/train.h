// TrainDgaModel: fits a DGA model file (docs/formats/dga-model.md) from DGA and benign domains,
// with XGBoost (C API, libxgboost-dev) as the tree learner. The CLI (`mamori domain train-dga`)
// and bench/dga_eval call it.
//
// Steps: registrable labels of both sides (features.h); the benign n-gram model cross-fitted in
// two halves, so no label's features come from a language model that counted that label
// (otherwise benign training rows look more benign than unseen benign names do); XGBoost
// binary:logistic trees; the decision threshold from out-of-fold scores of the benign names, the
// lowest probability at which at most `target_fpr` of them are called DGA; finally the trees are
// copied into our own format and checked to give XGBoost's own predictions.
// Not thread-safe with respect to XGBoost's global configuration (it sets verbosity); one
// training at a time per process. Deterministic for a seed and thread count.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"

namespace mamori::domain {

struct DgaTrainOptions {
  int rounds = 200;
  int max_depth = 6;
  double eta = 0.15;
  double subsample = 0.8;
  double colsample = 0.8;
  uint64_t seed = 1;
  int threads = 1;
  // Threshold choice: out-of-fold benign scores over `threshold_folds` folds; 0 skips it and
  // stores `fixed_threshold` (callers that pick their own threshold on held-out data).
  double target_fpr = 0.001;
  int threshold_folds = 5;
  double fixed_threshold = 0.5;
  // Word list text (data/dga/words.txt format); empty means the shipped one.
  std::string lexicon_text;
  // Per-positive weights (e.g. to balance DGA families); empty means equal. Either way the
  // positives together weigh as much as the negatives.
  std::vector<double> positive_weights;
  nlohmann::json notes = nlohmann::json::object();  // copied into the model's "training"
};

// `positives` are DGA domains, `negatives` benign ones (registrable domains or full names).
// Names that are not valid domains are skipped and counted in the notes. Errors: fewer than
// 10 usable names on a side (kInvalidArgument), an XGBoost failure (kInternal, with its message).
// Returns the model file text.
Expected<std::string> TrainDgaModel(const std::vector<std::string>& positives,
                                    const std::vector<std::string>& negatives,
                                    const DgaTrainOptions& options = {});

struct DgaTrainResult {
  std::string model_json;    // our model file
  std::string xgboost_json;  // XGBoost's own model of the same trees (to compare speed with it)
};
Expected<DgaTrainResult> TrainDgaModelWithXgboost(const std::vector<std::string>& positives,
                                                  const std::vector<std::string>& negatives,
                                                  const DgaTrainOptions& options = {});

}  // namespace mamori::domain
