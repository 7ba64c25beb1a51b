// ReputationScorer: a domain's score (0–100) at a date, and on request the reasons behind it.
// Scoring extracts the features (features.h) from the evidence index, when there is one, and
// walks the model's trees with our own evaluator. Explaining also computes exact TreeSHAP
// contributions through XGBoost and turns the largest into plain sentences (reasons.h).
// A name with no history (no evidence about it or its registered domain at the date) is scored by
// the model's name-only trees when the file has them, and says so in its reasons.
// Thread-safe: Score() is const and lock-free; Explain() serializes on the XGBoost booster.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/internal/xgboost.h"
#include "domain/reputation/evidence_index.h"
#include "domain/reputation/features.h"
#include "domain/reputation/model.h"

namespace mamori::domain::reputation {

struct Reason {
  std::string feature;        // feature name, or the group ("lexical") for grouped ones
  double contribution = 0;    // log-odds pushed toward malicious (> 0) or benign (< 0)
  std::string text;           // plain words
};

struct ScoreResult {
  std::string name;
  std::string registered;
  int score = 0;  // 0–100
  double probability = 0;
  int threshold = 0;        // of the model that scored it (name-only or with evidence)
  bool malicious = false;  // score >= threshold
  bool has_history = false;
  UnixSeconds at = 0;  // the scoring date
  std::vector<Reason> reasons;  // Explain() only
  std::optional<FeatureVector> features;  // Explain() only: every feature's value (NaN: missing)
};

class ReputationScorer {
 public:
  // Borrows the model and the index (null: lexical evidence only); both must outlive it.
  ReputationScorer(const ReputationModel& model, const EvidenceIndex* index);
  ~ReputationScorer();

  Expected<ScoreResult> Score(std::string_view name, UnixSeconds at) const;
  ScoreResult Score(const ScoreTarget& target, UnixSeconds at) const;
  // Score plus up to `top` reasons, largest contributions first.
  Expected<ScoreResult> Explain(std::string_view name, UnixSeconds at, size_t top = 5) const;

  const ReputationModel& model() const { return model_; }
  const FeatureExtractor& features() const { return extractor_; }

 private:
  bool NameOnly(const FeatureResult& features) const;
  ScoreResult ScoreFeatures(const ScoreTarget& target, UnixSeconds at,
                            const FeatureResult& features) const;

  const ReputationModel& model_;
  const EvidenceIndex* index_;
  FeatureExtractor extractor_;
  mutable std::mutex booster_mutex_;
  mutable internal::Booster booster_;          // loaded on the first Explain()
  mutable internal::Booster lexical_booster_;  // the name-only model's, likewise
};

// Probability → score: round(100 p), clamped.
int ScoreOf(double probability);

}  // namespace mamori::domain::reputation
