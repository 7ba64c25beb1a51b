#include "domain/reputation/scorer.h"

#include <algorithm>
#include <cmath>

#include "domain/reputation/reasons.h"

namespace mamori::domain::reputation {

int ScoreOf(double probability) {
  return static_cast<int>(std::clamp(std::lround(probability * 100.0), 0L, 100L));
}

ReputationScorer::ReputationScorer(const ReputationModel& model, const EvidenceIndex* index)
    : model_(model), index_(index), extractor_(index, model.ngrams, model.lexicon) {}

ReputationScorer::~ReputationScorer() = default;

ScoreResult ReputationScorer::Score(const ScoreTarget& target, UnixSeconds at) const {
  return ScoreFeatures(target, at, extractor_.Extract(target, at));
}

bool ReputationScorer::NameOnly(const FeatureResult& f) const {
  // A name with no history at T goes to the name-only model when the file has one.
  return !f.has_history && model_.lexical.has_value();
}

ScoreResult ReputationScorer::ScoreFeatures(const ScoreTarget& target, UnixSeconds at,
                                            const FeatureResult& f) const {
  ScoreResult r;
  r.name = target.name;
  r.registered = target.registered;
  const bool name_only = NameOnly(f);
  r.probability = name_only ? model_.lexical->trees.Probability(f.values)
                            : model_.trees.Probability(f.values);
  r.score = ScoreOf(r.probability);
  r.threshold = name_only ? model_.lexical->threshold : model_.threshold;
  r.malicious = r.score >= r.threshold;
  r.has_history = f.has_history;
  r.at = at;
  return r;
}

Expected<ScoreResult> ReputationScorer::Score(std::string_view name, UnixSeconds at) const {
  MAMORI_ASSIGN_OR_RETURN(ScoreTarget target, ParseScoreTarget(name));
  return Score(target, at);
}

Expected<ScoreResult> ReputationScorer::Explain(std::string_view name, UnixSeconds at,
                                                size_t top) const {
  MAMORI_ASSIGN_OR_RETURN(ScoreTarget target, ParseScoreTarget(name));
  const FeatureResult f = extractor_.Extract(target, at);
  ScoreResult r = ScoreFeatures(target, at, f);
  std::vector<float> contributions;
  {
    std::lock_guard lock(booster_mutex_);
    const bool name_only = NameOnly(f);
    internal::Booster& booster = name_only ? lexical_booster_ : booster_;
    if (!booster) {
      MAMORI_ASSIGN_OR_RETURN(
          booster, internal::LoadBoosterJson(name_only ? model_.lexical->xgboost_json
                                                       : model_.xgboost_json,
                                             "reputation model"));
    }
    MAMORI_ASSIGN_OR_RETURN(contributions, internal::ContributionsOf(booster.get(), f.values.data(),
                                                                     kFeatureCount,
                                                                     "reputation explanation"));
  }
  r.reasons = ReasonsFrom(f.values, contributions, f.has_history, top);
  r.features = f.values;
  return r;
}

}  // namespace mamori::domain::reputation
