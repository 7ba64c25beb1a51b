#include "domain/reputation/eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

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

// The latest evidence about one domain.
UnixSeconds LastEvidenceOf(const DomainEvidence& d) {
  UnixSeconds latest = 0;
  for (const auto& r : d.resolutions) latest = std::max(latest, r.last_seen);
  for (const auto& r : d.popularity) latest = std::max(latest, StartOf(r.last_day));
  for (const auto& r : d.zone) latest = std::max(latest, StartOf(r.last_day));
  for (const auto& r : d.registrations) latest = std::max(latest, r.observed_at);
  for (const auto& l : d.listings) latest = std::max(latest, l.listed_at);
  return latest;
}

UnixSeconds LatestEvidence(const EvidenceIndex& index) {
  UnixSeconds latest = 0;
  for (uint32_t id = 0; id < index.domain_count(); ++id) {
    latest = std::max(latest, LastEvidenceOf(*index.Domain(id)));
  }
  return latest;
}

// The first day a domain is scored in the test, or kNever when it is not a test domain.
UnixSeconds TestStart(const DomainEvidence& d, const EvalOptions& o, UnixSeconds until) {
  if (d.first_seen == kNever || d.first_seen > until) return kNever;
  if (o.test_set == TestSet::kFirstSeenAfter) return d.first_seen > o.split ? d.first_seen : kNever;
  // Unknown at the split: no label or listing by then, and something on record after it (a
  // domain deleted long before T is not a prediction target).
  if (d.known_malicious_at <= o.split || d.labelled_benign_at <= o.split) return kNever;
  if (LastEvidenceOf(d) <= o.split) return kNever;
  return std::max(d.first_seen, o.split);
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double DaysBetween(UnixSeconds from, UnixSeconds to) {
  return static_cast<double>(to - from) / 86400.0;
}

// Days before it became known that a test domain first reached `threshold`, if it did.
std::optional<double> LeadOf(const TestDomain& t, double threshold) {
  if (t.known_at == kNever) return std::nullopt;
  for (const auto& [at, prob] : t.daily) {
    if (prob >= threshold) return DaysBetween(at, t.known_at);
  }
  return std::nullopt;
}

// Days from a test domain's first scoring to when it became known: no detector scoring daily
// could be ahead of it by more.
std::optional<double> PossibleLeadOf(const TestDomain& t) {
  if (t.known_at == kNever) return std::nullopt;
  return DaysBetween(t.daily.front().first, t.known_at);
}

}  // namespace

Expected<TestSet> ParseTestSet(std::string_view text) {
  if (text == "unknown") return TestSet::kUnknownAtSplit;
  if (text == "new") return TestSet::kFirstSeenAfter;
  return MakeError(ErrorCode::kInvalidArgument,
                   fmt::format("unknown test set '{}': use 'unknown' (every domain not known at "
                               "the split) or 'new' (domains first seen after it)", text));
}

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
    const UnixSeconds start = TestStart(d, o, result.until);
    if (start == kNever) continue;
    auto target = ParseScoreTarget(index.DomainName(id));
    if (!target) continue;
    TestDomain t;
    t.id = id;
    t.malicious = truth ? truth->malicious : d.labelled_malicious_at != kNever;
    if (truth) t.kind = truth->kind;
    t.known_at = t.malicious ? d.known_malicious_at : kNever;
    UnixSeconds end = std::min(start + horizon, result.until);
    if (t.malicious && t.known_at != kNever) end = std::min(end, t.known_at - 1);
    for (UnixSeconds at = start; at <= end; at += step) {
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
      if (auto lead = LeadOf(t, p.threshold)) p.leads.push_back(*lead);
    }
    p.fpr = neg.empty() ? 0 : static_cast<double>(fp) / neg.size();
    p.tpr = pos.empty() ? 0 : static_cast<double>(p.true_positives) / pos.size();
    p.flagged_before_known = p.leads.size();
    p.median_lead_days = Median(p.leads);
    result.points.push_back(std::move(p));
  }
  std::vector<double> possible;
  for (const auto& t : tests) {
    if (auto l = PossibleLeadOf(t); l && t.malicious) possible.push_back(*l);
  }
  result.median_possible_lead_days = Median(possible);
  if (o.truth) {
    const double threshold = result.points[1].threshold;
    std::map<std::string, KindResult> kinds;
    std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> leads;
    for (const auto& t : tests) {
      KindResult& k = kinds[t.kind];
      k.kind = t.kind;
      k.malicious = t.malicious;
      ++k.domains;
      k.flagged += t.best >= threshold;
      auto& [lead, possible_lead] = leads[t.kind];
      if (auto l = LeadOf(t, threshold)) lead.push_back(*l);
      if (auto l = PossibleLeadOf(t)) possible_lead.push_back(*l);
    }
    for (auto& [name, k] : kinds) {
      k.median_lead_days = Median(leads[name].first);
      k.median_possible_lead_days = Median(leads[name].second);
      result.kinds.push_back(std::move(k));
    }
  }
  return result;
}

}  // namespace mamori::domain::reputation
