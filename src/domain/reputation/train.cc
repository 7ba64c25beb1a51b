#include "domain/reputation/train.h"

#include "domain/internal/splitmix.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace mamori::domain::reputation {

namespace {

constexpr std::string_view kWhat = "reputation model training";


}  // namespace

std::vector<TrainingExample> SelectExamples(const EvidenceIndex& index,
                                            const ReputationTrainOptions& o) {
  std::vector<TrainingExample> out;
  internal::SplitMix64 rng{o.seed};  // a fixed, portable sequence for the sample dates
  const UnixSeconds horizon = static_cast<UnixSeconds>(o.horizon_days) * 86400;
  for (uint32_t id = 0; id < index.domain_count(); ++id) {
    const DomainEvidence& d = *index.Domain(id);
    const bool known_bad_by_then = d.known_malicious_at != kNever && d.known_malicious_at <= o.train_until;
    if (d.labelled_malicious_at == kNever && d.labelled_benign_at == kNever) {
      if (!o.unlabelled_as_benign || known_bad_by_then || d.first_seen == kNever ||
          d.first_seen > o.train_until - horizon) {
        continue;
      }
      const UnixSeconds hi = std::min(o.train_until, d.first_seen + horizon);
      for (int i = 0; i < o.dates_per_domain; ++i) out.push_back({id, rng.Between(d.first_seen, hi), false});
      continue;
    }
    if (d.labelled_malicious_at != kNever) {
      if (d.labelled_malicious_at > o.train_until) continue;
      // Dates before anyone knew: up to a day before the first label or listing.
      const UnixSeconds known = d.known_malicious_at;
      const UnixSeconds hi = known - 86400;
      const UnixSeconds lo = d.first_seen == kNever ? hi : std::max(d.first_seen, known - horizon);
      for (int i = 0; i < o.dates_per_domain; ++i) {
        out.push_back({id, lo > hi ? d.first_seen : rng.Between(lo, hi), true});
      }
    } else if (d.labelled_benign_at <= o.train_until) {
      const UnixSeconds hi = std::min(o.train_until, d.labelled_benign_at + horizon);
      const UnixSeconds lo = d.first_seen == kNever ? hi : std::min(d.first_seen, hi);
      for (int i = 0; i < o.dates_per_domain; ++i) out.push_back({id, rng.Between(lo, hi), false});
    }
  }
  return out;
}

namespace {

struct FittedEnsemble {
  std::string xgboost_json;
  dga::TreeEnsemble trees;
  int threshold = 50;
  nlohmann::json notes;
};

// Fits one ensemble on `rows` and picks its threshold from out-of-fold scores of the benign rows
// (folds by domain, so one domain's dates never sit on both sides).
Expected<FittedEnsemble> FitWithThreshold(const internal::FeatureRows& rows,
                                          const std::vector<uint32_t>& row_domain,
                                          size_t domain_count, const ReputationTrainOptions& o) {
  const size_t n = rows.size();
  std::vector<size_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  FittedEnsemble fitted;
  if (o.threshold_folds > 1) {
    std::vector<size_t> domain_order(domain_count);
    std::iota(domain_order.begin(), domain_order.end(), 0);
    internal::SeededShuffle(domain_order, o.seed);
    std::vector<size_t> fold_of(domain_count);
    for (size_t i = 0; i < domain_order.size(); ++i) fold_of[domain_order[i]] = i % o.threshold_folds;
    std::vector<float> oof(n, 0.0f);
    for (int fold = 0; fold < o.threshold_folds; ++fold) {
      std::vector<size_t> train, test;
      for (size_t i = 0; i < n; ++i) {
        (fold_of[row_domain[i]] == static_cast<size_t>(fold) ? test : train).push_back(i);
      }
      if (test.empty()) continue;
      MAMORI_ASSIGN_OR_RETURN(internal::Booster b, internal::FitBooster(rows, train, o.boost, kWhat));
      MAMORI_ASSIGN_OR_RETURN(std::vector<float> p, internal::PredictBooster(b.get(), rows, test, kWhat));
      for (size_t i = 0; i < test.size(); ++i) oof[test[i]] = p[i];
    }
    // Lowest integer score with benign OOF FPR <= target.
    std::vector<int> benign_scores;
    size_t positives = 0;
    for (size_t i = 0; i < n; ++i) {
      if (rows.y[i] == 0) benign_scores.push_back(ScoreOf(oof[i]));
      positives += rows.y[i] != 0;
    }
    fitted.threshold = 100;
    for (int t = 1; t <= 100; ++t) {
      const size_t fp = std::count_if(benign_scores.begin(), benign_scores.end(),
                                      [t](int s) { return s >= t; });
      if (static_cast<double>(fp) <= o.target_fpr * benign_scores.size()) {
        fitted.threshold = t;
        break;
      }
    }
    size_t fp = 0, tp = 0;
    for (size_t i = 0; i < n; ++i) {
      if (ScoreOf(oof[i]) < fitted.threshold) continue;
      (rows.y[i] == 0 ? fp : tp)++;
    }
    fitted.notes = {{"folds", o.threshold_folds},
                    {"target_fpr", o.target_fpr},
                    {"oof_fpr", static_cast<double>(fp) / std::max<size_t>(1, benign_scores.size())},
                    {"oof_tpr", static_cast<double>(tp) / std::max<size_t>(1, positives)}};
  }
  MAMORI_ASSIGN_OR_RETURN(internal::Booster booster, internal::FitBooster(rows, all, o.boost, kWhat));
  MAMORI_ASSIGN_OR_RETURN(fitted.xgboost_json, internal::SaveBoosterJson(booster.get(), kWhat));
  MAMORI_ASSIGN_OR_RETURN(fitted.trees, dga::TreeEnsemble::FromXgboostJson(fitted.xgboost_json));
  return fitted;
}

}  // namespace

Expected<ReputationModel> TrainReputationModel(const EvidenceIndex& index,
                                               const ReputationModel& language,
                                               const ReputationTrainOptions& o,
                                               const std::function<void(std::string_view)>& progress) {
  auto say = [&](std::string_view s) {
    if (progress) progress(s);
  };
  say("selecting examples");
  const std::vector<TrainingExample> examples = SelectExamples(index, o);
  size_t positives = 0;
  for (const auto& e : examples) positives += e.malicious;
  const size_t negatives = examples.size() - positives;
  if (positives < 10 || negatives < 10) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("too few labelled examples known by the training date ({} "
                                 "malicious, {} benign; need at least 10 of each): ingest labels "
                                 "(docs/formats/domain-labels.md) or move --until later",
                                 positives, negatives),
                     std::string(kWhat));
  }
  say("extracting features");
  const FeatureExtractor fx(&index, language.ngrams, language.lexicon);
  internal::FeatureRows rows, lexical_rows;
  rows.columns = lexical_rows.columns = kFeatureCount;
  std::vector<uint32_t> row_domain;  // the example's domain, per row (folds go by domain)
  // Classes weigh the same in total, so the threshold search sees a balanced model.
  const float pos_weight = static_cast<float>(negatives) / static_cast<float>(positives);
  for (const TrainingExample& e : examples) {
    auto target = ParseScoreTarget(index.DomainName(e.domain));
    if (!target) continue;
    FeatureResult f = fx.Extract(*target, e.at);
    const float weight = e.malicious ? pos_weight : 1.0f;
    rows.Add(f.values.data(), e.malicious ? 1.0f : 0.0f, weight);
    row_domain.push_back(e.domain);
    if (o.lexical_model) {
      std::fill(f.values.begin() + kLexicalFeatureCount, f.values.end(),
                std::numeric_limits<float>::quiet_NaN());
      lexical_rows.Add(f.values.data(), e.malicious ? 1.0f : 0.0f, weight);
    }
  }

  ReputationModel model;
  model.ngrams = language.ngrams;
  model.lexicon = language.lexicon;
  say("training (with evidence)");
  MAMORI_ASSIGN_OR_RETURN(FittedEnsemble full,
                          FitWithThreshold(rows, row_domain, index.domain_count(), o));
  model.threshold = full.threshold;
  model.xgboost_json = std::move(full.xgboost_json);
  model.trees = std::move(full.trees);
  model.training = {{"examples", rows.size()},
                    {"malicious_examples", positives},
                    {"benign_examples", negatives},
                    {"train_until", o.train_until == kNever ? nlohmann::json(nullptr)
                                                            : nlohmann::json(o.train_until)},
                    {"horizon_days", o.horizon_days},
                    {"dates_per_domain", o.dates_per_domain},
                    {"unlabelled_as_benign", o.unlabelled_as_benign},
                    {"xgboost",
                     {{"rounds", o.boost.rounds},
                      {"max_depth", o.boost.max_depth},
                      {"eta", o.boost.eta},
                      {"seed", o.boost.seed}}}};
  if (!full.notes.is_null()) model.training["threshold"] = full.notes;
  if (o.lexical_model) {
    say("training (name only)");
    // Two thirds of the rounds: twenty lexical columns need fewer trees, and the name-only path
    // is the one that must score a quarter-million never-seen names a second on one core.
    ReputationTrainOptions lexical_options = o;
    lexical_options.boost.rounds = std::max(1, o.boost.rounds * 2 / 3);
    MAMORI_ASSIGN_OR_RETURN(FittedEnsemble lexical,
                            FitWithThreshold(lexical_rows, row_domain, index.domain_count(),
                                             lexical_options));
    model.lexical = ReputationModel::Lexical{lexical.threshold, std::move(lexical.xgboost_json),
                                             std::move(lexical.trees)};
    model.training["lexical_rounds"] = lexical_options.boost.rounds;
    if (!lexical.notes.is_null()) model.training["lexical_threshold"] = lexical.notes;
  }
  return model;
}

}  // namespace mamori::domain::reputation
