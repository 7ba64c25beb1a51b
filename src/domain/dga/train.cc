#include "domain/dga/train.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>

#include "domain/dga/embedded_data.h"
#include "domain/dga/features.h"
#include "domain/dga/model_file.h"
#include "domain/internal/xgboost.h"

namespace mamori::domain {

namespace {

using internal::Booster;
using internal::FeatureRows;
using dga::FeatureVector;
using dga::kFeatureCount;
using dga::LabelParts;

constexpr std::string_view kWhat = "DGA model training";

std::vector<LabelParts> Labels(const std::vector<std::string>& domains, std::vector<size_t>* kept,
                               size_t* skipped) {
  std::vector<LabelParts> out;
  for (size_t i = 0; i < domains.size(); ++i) {
    std::optional<LabelParts> p = dga::SplitLabel(domains[i]);
    if (!p || p->label.empty()) {
      ++*skipped;
      continue;
    }
    out.push_back(std::move(*p));
    if (kept) kept->push_back(i);
  }
  return out;
}

internal::BoostParams Params(const DgaTrainOptions& o) {
  return {o.rounds, o.max_depth, o.eta, o.subsample, o.colsample, o.seed, o.threads};
}

}  // namespace

Expected<std::string> TrainDgaModel(const std::vector<std::string>& positives,
                                    const std::vector<std::string>& negatives,
                                    const DgaTrainOptions& options) {
  MAMORI_ASSIGN_OR_RETURN(DgaTrainResult r,
                          TrainDgaModelWithXgboost(positives, negatives, options));
  return std::move(r.model_json);
}

Expected<DgaTrainResult> TrainDgaModelWithXgboost(const std::vector<std::string>& positives,
                                                  const std::vector<std::string>& negatives,
                                                  const DgaTrainOptions& options) {
  size_t skipped_pos = 0, skipped_neg = 0;
  std::vector<size_t> pos_kept;
  const std::vector<LabelParts> pos = Labels(positives, &pos_kept, &skipped_pos);
  const std::vector<LabelParts> neg = Labels(negatives, nullptr, &skipped_neg);
  if (pos.size() < 10 || neg.size() < 10) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("too few usable names to train on ({} DGA, {} benign; need at "
                                 "least 10 of each)",
                                 pos.size(), neg.size()),
                     "DGA model training");
  }

  std::string_view lexicon_text = options.lexicon_text;
  if (lexicon_text.empty()) lexicon_text = dga::EmbeddedDgaFile("words.txt").value_or("");
  dga::DgaModel model;
  model.lexicon = dga::Lexicon::FromText(lexicon_text);

  // Cross-fitted language models: half h is scored with the model of the other half.
  std::vector<std::string> halves[2], all_neg;
  for (size_t i = 0; i < neg.size(); ++i) {
    halves[i % 2].push_back(neg[i].label);
    all_neg.push_back(neg[i].label);
  }
  const dga::NgramModel half_lm[2] = {dga::NgramModel::Fit(halves[1]),
                                      dga::NgramModel::Fit(halves[0])};
  model.ngrams = dga::NgramModel::Fit(all_neg);

  FeatureRows rows;
  rows.columns = kFeatureCount;
  double pos_weight_sum = 0;
  std::vector<double> pos_w(pos.size(), 1.0);
  if (!options.positive_weights.empty()) {
    for (size_t i = 0; i < pos.size(); ++i) {
      pos_w[i] = pos_kept[i] < options.positive_weights.size()
                     ? options.positive_weights[pos_kept[i]]
                     : 1.0;
    }
  }
  for (double w : pos_w) pos_weight_sum += w;
  const double pos_scale = pos_weight_sum > 0 ? neg.size() / pos_weight_sum : 1.0;
  auto add = [&](const LabelParts& p, int half, float y, double w) {
    const dga::FeatureExtractor fx(half_lm[half], model.lexicon);
    const FeatureVector f = fx.Extract(p);
    rows.Add(f.data(), y, static_cast<float>(w));
  };
  for (size_t i = 0; i < neg.size(); ++i) add(neg[i], i % 2, 0.0f, 1.0);
  // Positives are split between the two half-models too, so both classes see the same kind of
  // language model (one that never counted the label at hand).
  for (size_t i = 0; i < pos.size(); ++i) add(pos[i], i % 2, 1.0f, pos_w[i] * pos_scale);

  const size_t n = rows.size();
  std::vector<size_t> all(n);
  std::iota(all.begin(), all.end(), 0);

  double threshold = options.fixed_threshold;
  nlohmann::json threshold_notes;
  if (options.threshold_folds > 1) {
    std::vector<size_t> order = all;
    internal::SeededShuffle(order, options.seed);
    std::vector<float> oof(n, 0.0f);
    const size_t k = static_cast<size_t>(options.threshold_folds);
    for (size_t fold = 0; fold < k; ++fold) {
      std::vector<size_t> train, test;
      for (size_t i = 0; i < n; ++i) (i % k == fold ? test : train).push_back(order[i]);
      MAMORI_ASSIGN_OR_RETURN(Booster b, internal::FitBooster(rows, train, Params(options), kWhat));
      MAMORI_ASSIGN_OR_RETURN(std::vector<float> p,
                              internal::PredictBooster(b.get(), rows, test, kWhat));
      for (size_t i = 0; i < test.size(); ++i) oof[test[i]] = p[i];
    }
    std::vector<float> neg_scores(oof.begin(), oof.begin() + neg.size());
    std::sort(neg_scores.begin(), neg_scores.end(), std::greater<>());
    const size_t allowed = static_cast<size_t>(std::floor(options.target_fpr * neg.size()));
    // Everything at or above the threshold is DGA: put it just above the (allowed+1)-th highest
    // benign score, so at most `allowed` benign names reach it.
    threshold = allowed < neg_scores.size()
                    ? std::nextafter(static_cast<double>(neg_scores[allowed]), 2.0)
                    : 0.5;
    threshold = std::min(threshold, 1.0);
    size_t fp = 0, tp = 0;
    for (size_t i = 0; i < n; ++i) {
      if (oof[i] < threshold) continue;
      (i < neg.size() ? fp : tp)++;
    }
    threshold_notes = {{"folds", k},
                       {"target_fpr", options.target_fpr},
                       {"oof_fpr", static_cast<double>(fp) / neg.size()},
                       {"oof_tpr", static_cast<double>(tp) / pos.size()}};
  }

  MAMORI_ASSIGN_OR_RETURN(Booster final_booster,
                          internal::FitBooster(rows, all, Params(options), kWhat));
  MAMORI_ASSIGN_OR_RETURN(std::string xgb_json,
                          internal::SaveBoosterJson(final_booster.get(), kWhat));
  MAMORI_ASSIGN_OR_RETURN(model.trees, dga::TreeEnsemble::FromXgboostJson(xgb_json));

  // Our tree walk must reproduce XGBoost's predictions; check on a spread of training rows.
  std::vector<size_t> probe;
  for (size_t i = 0; i < n; i += std::max<size_t>(1, n / 200)) probe.push_back(i);
  MAMORI_ASSIGN_OR_RETURN(std::vector<float> xgb_p,
                          internal::PredictBooster(final_booster.get(), rows, probe, kWhat));
  for (size_t i = 0; i < probe.size(); ++i) {
    std::span<const float> x(rows.x.data() + probe[i] * kFeatureCount, kFeatureCount);
    const double ours = model.trees.Probability(x);
    if (std::abs(ours - xgb_p[i]) > 1e-4) {
      return MakeError(ErrorCode::kInternal,
                       fmt::format("tree copy disagrees with XGBoost on row {} ({} vs {})",
                                   probe[i], ours, xgb_p[i]),
                       "DGA model training");
    }
  }

  model.threshold = threshold;
  model.training = options.notes;
  model.training["positives"] = pos.size();
  model.training["negatives"] = neg.size();
  model.training["skipped_invalid"] = skipped_pos + skipped_neg;
  model.training["xgboost"] = {{"rounds", options.rounds},
                               {"max_depth", options.max_depth},
                               {"eta", options.eta},
                               {"subsample", options.subsample},
                               {"colsample_bytree", options.colsample},
                               {"seed", options.seed}};
  if (!threshold_notes.is_null()) model.training["threshold"] = threshold_notes;
  return DgaTrainResult{dga::SerializeDgaModel(model), std::move(xgb_json)};
}

}  // namespace mamori::domain
