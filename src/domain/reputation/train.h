// Training a reputation model from an evidence index and its labels (`mamori domain train`).
//
// Examples. DomainProfiler's question is "will this domain be used for an attack?", asked before
// blocklists know it. So a malicious domain is seen at dates *before* it became known malicious
// (its first malicious label or blocklist listing), sampled within `horizon_days` of that; a
// benign one at dates between its first evidence and `train_until`. Only labels known by
// `train_until` are used, and each example's features are taken at its own date (features.h
// never looks later). The decision threshold comes from out-of-fold scores of the benign
// examples: the lowest score at which at most `target_fpr` of them are called malicious.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "domain/internal/xgboost.h"
#include "domain/reputation/evidence_index.h"
#include "domain/reputation/features.h"
#include "domain/reputation/model.h"
#include "domain/reputation/scorer.h"

namespace mamori::domain::reputation {

struct ReputationTrainOptions {
  UnixSeconds train_until = kNever;  // labels known after it are not used
  int horizon_days = 90;
  int dates_per_domain = 3;
  // Domains with evidence but no label, not known malicious by `train_until` although they were
  // seen at least `horizon_days` before it, are taken as benign, on dates early in their life.
  // Labelled benign sets are usually popular sites; without these the model learns "unpopular
  // means malicious" and flags every new benign site (docs/domain-reputation.md, "Model").
  bool unlabelled_as_benign = true;
  // Also fit a name-only model (lexical features, the rest missing) on the same examples, for
  // names with no history at the scoring date: trees trained on examples that all had history
  // extrapolate badly to a name seen nowhere (model.h, ReputationModel::lexical).
  bool lexical_model = true;
  double target_fpr = 0.005;
  int threshold_folds = 3;
  uint64_t seed = 1;
  internal::BoostParams boost{.rounds = 150, .max_depth = 5, .eta = 0.15};
};

struct TrainingExample {
  uint32_t domain = 0;
  UnixSeconds at = 0;
  bool malicious = false;
};

// The examples the options give (deterministic for a seed).
std::vector<TrainingExample> SelectExamples(const EvidenceIndex& index,
                                            const ReputationTrainOptions& options);

// `language` supplies the n-gram model and word list of the lexical features (copied into the
// model). Errors: fewer than 10 examples of a class (kInvalidArgument), XGBoost failures.
Expected<ReputationModel> TrainReputationModel(const EvidenceIndex& index,
                                               const ReputationModel& language,
                                               const ReputationTrainOptions& options,
                                               const std::function<void(std::string_view)>& progress = {});

}  // namespace mamori::domain::reputation
