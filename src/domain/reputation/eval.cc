#include "domain/reputation/eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "domain/reputation/scorer.h"

namespace mamori::domain::reputation {

double RocAuc(const std::vector<double>& positives, const std::vector<double>& negatives) {
  if (positives.empty() || negatives.empty()) return 0;
  std::vector<std::pair<double, bool>> all;
  for (double p : positives) all.emplace_back(p, true);
  for (double n : negatives) all.emplace_back(n, false);
  std::sort(all.begin(), all.end());
  // Mann-Whitney U with mid-ranks for ties.
  double rank_sum = 0;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j].first == all[i].first) ++j;
    const double mid = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (all[k].second) rank_sum += mid;
    }
    i = j;
  }
  const double np = static_cast<double>(positives.size());
  const double nn = static_cast<double>(negatives.size());
  return (rank_sum - np * (np + 1) / 2) / (np * nn);
}

namespace {

struct TestDomain {
  uint32_t id = 0;
  std::string kind;
  bool malicious = false;
  UnixSeconds known_at = kNever;
  std::vector<std::pair<UnixSeconds, double>> daily;  // (date, probability)
  double best = 0;
};

UnixSeconds LatestEvidence(const EvidenceIndex& index) {
  UnixSeconds latest = 0;
  for (uint32_t id = 0; id < index.domain_count(); ++id) {
    const DomainEvidence& d = *index.Domain(id);
    for (const auto& r : d.resolutions) latest = std::max(latest, r.last_seen);
    for (const auto& r : d.popularity) latest = std::max(latest, StartOf(r.last_day));
    for (const auto& r : d.zone) latest = std::max(latest, StartOf(r.last_day));
    for (const auto& r : d.registrations) latest = std::max(latest, r.observed_at);
    for (const auto& l : d.listings) latest = std::max(latest, l.listed_at);
  }
  return latest;
}

}  // namespace

Expected<EvalResult> EvaluateTimeSplit(const EvidenceIndex& index, const ReputationModel& language,
                                       const EvalOptions& o,
                                       const std::function<void(std::string_view)>& progress) {
  EvalResult result;
  result.until = o.until == kNever ? LatestEvidence(index) : o.until;
  if (o.split >= result.until) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the split date is not before the end of the data: nothing to test on");
  }
  ReputationTrainOptions train = o.train;
  train.train_until = o.split;
  MAMORI_ASSIGN_OR_RETURN(result.model, TrainReputationModel(index, language, train, progress));
  // Domains, from the example counts the training recorded (dates_per_domain examples each).
  const size_t dates = static_cast<size_t>(std::max(1, train.dates_per_domain));
  result.train_malicious = result.model.training["malicious_examples"].get<size_t>() / dates;
  result.train_benign = result.model.training["benign_examples"].get<size_t>() / dates;

  if (progress) progress("scoring the test domains day by day");
  const ReputationScorer scorer(result.model, &index);
  const UnixSeconds step = static_cast<UnixSeconds>(std::max(1, o.step_days)) * 86400;
  const UnixSeconds horizon = static_cast<UnixSeconds>(o.horizon_days) * 86400;
  std::vector<TestDomain> tests;
  std::vector<std::pair<uint32_t, const TruthEntry*>> candidates;
  if (o.truth) {
    for (const auto& [name, entry] : *o.truth) {
      const uint32_t id = index.DomainId(name);
      if (id != kNone) candidates.emplace_back(id, &entry);
    }
    std::sort(candidates.begin(), candidates.end());
  } else {
    for (uint32_t id : index.LabelledDomains()) candidates.emplace_back(id, nullptr);
  }
  for (const auto& [id, truth] : candidates) {
    const DomainEvidence& d = *index.Domain(id);
    if (d.first_seen == kNever || d.first_seen <= o.split || d.first_seen > result.until) continue;
    auto target = ParseScoreTarget(index.DomainName(id));
    if (!target) continue;
    TestDomain t;
    t.id = id;
    t.malicious = truth ? truth->malicious : d.labelled_malicious_at != kNever;
    if (truth) t.kind = truth->kind;
    t.known_at = t.malicious ? d.known_malicious_at : kNever;
    UnixSeconds end = std::min(d.first_seen + horizon, result.until);
    if (t.malicious && t.known_at != kNever) end = std::min(end, t.known_at - 1);
    for (UnixSeconds at = d.first_seen; at <= end; at += step) {
      const double p = scorer.Score(*target, at).probability;
      t.daily.emplace_back(at, p);
      t.best = std::max(t.best, p);
      ++result.scorings;
    }
    if (t.daily.empty()) continue;  // known on its first day: nothing to predict
    (t.malicious ? result.test_malicious : result.test_benign)++;
    if (t.malicious && t.known_at != kNever) ++result.test_malicious_known;
    tests.push_back(std::move(t));
  }
  std::vector<double> pos, neg;
  for (const auto& t : tests) (t.malicious ? pos : neg).push_back(t.best);
  result.roc_auc = RocAuc(pos, neg);
  std::vector<double> sorted_neg = neg;
  std::sort(sorted_neg.begin(), sorted_neg.end(), std::greater<>());
  for (double target_fpr : {0.001, 0.005, 0.01}) {
    OperatingPoint p;
    p.target_fpr = target_fpr;
    // Just above the (allowed+1)-th highest benign score: at most `allowed` benign reach it.
    const size_t allowed = static_cast<size_t>(std::floor(target_fpr * sorted_neg.size()));
    p.threshold = allowed < sorted_neg.size() ? std::nextafter(sorted_neg[allowed], 2.0) : 0.0;
    size_t fp = 0;
    for (double s : neg) fp += s >= p.threshold;
    for (const auto& t : tests) {
      if (!t.malicious || t.best < p.threshold) continue;
      ++p.true_positives;
      if (t.known_at == kNever) continue;
      for (const auto& [at, prob] : t.daily) {
        if (prob >= p.threshold) {
          p.leads.push_back(static_cast<double>(t.known_at - at) / 86400.0);
          break;
        }
      }
    }
    p.fpr = neg.empty() ? 0 : static_cast<double>(fp) / neg.size();
    p.tpr = pos.empty() ? 0 : static_cast<double>(p.true_positives) / pos.size();
    p.flagged_before_known = p.leads.size();
    if (!p.leads.empty()) {
      std::vector<double> l = p.leads;
      std::sort(l.begin(), l.end());
      p.median_lead_days = l.size() % 2 ? l[l.size() / 2] : (l[l.size() / 2 - 1] + l[l.size() / 2]) / 2;
    }
    result.points.push_back(std::move(p));
  }
  if (o.truth) {
    const double threshold = result.points[1].threshold;
    std::map<std::string, KindResult> kinds;
    for (const auto& t : tests) {
      KindResult& k = kinds[t.kind];
      k.kind = t.kind;
      k.malicious = t.malicious;
      ++k.domains;
      k.flagged += t.best >= threshold;
    }
    for (auto& [name, k] : kinds) result.kinds.push_back(std::move(k));
  }
  return result;
}

}  // namespace mamori::domain::reputation
