// Time-split evaluation of the reputation model (`mamori domain eval`), the way DomainProfiler
// was evaluated: train on what was known before a split date T, then predict which of the
// domains nobody knew about at T turn out malicious. Two test sets (TestSet):
// - kUnknownAtSplit (default, DomainProfiler's): every domain with evidence after T that had no
//   label (malicious or benign) and no listing at T — old domains that are re-registered,
//   compromised or put to use later included;
// - kFirstSeenAfter: only domains first seen after T (the "brand-new name" case).
// A test domain is scored once a day from max(T, its first evidence) for up to `horizon_days`
// — a malicious one only until the day before it became known (first malicious label or
// blocklist listing), since flagging it later is no prediction. Its result is its highest daily
// score; the first day it reached the threshold gives the lead time (days before it became
// known). ROC-AUC and TPR at FPR 0.1 %, 0.5 % and 1 % come from those highest scores.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "domain/reputation/evidence_index.h"
#include "domain/reputation/model.h"
#include "domain/reputation/train.h"

namespace mamori::domain::reputation {

// The truth about a domain when it is known independently of the labels (a simulated world's
// truth.csv): every domain it names is a test domain, with its kind for per-kind results.
struct TruthEntry {
  bool malicious = false;
  std::string kind;  // free text ("dga", "reregistered", …); may be empty
};
using Truth = std::unordered_map<std::string, TruthEntry>;  // by registered domain

enum class TestSet { kUnknownAtSplit, kFirstSeenAfter };
// "unknown" | "new" (the CLI's --test values) → TestSet.
Expected<TestSet> ParseTestSet(std::string_view text);

struct EvalOptions {
  UnixSeconds split = 0;
  TestSet test_set = TestSet::kUnknownAtSplit;
  UnixSeconds until = kNever;  // end of the data; default: the latest evidence in the index
  int horizon_days = 90;
  int step_days = 1;
  ReputationTrainOptions train;  // train_until is set to `split`
  // When set, test domains are drawn from the truth's domains and judged by it; otherwise from
  // the labelled domains, judged by their labels.
  const Truth* truth = nullptr;
};

struct KindResult {
  std::string kind;
  bool malicious = false;
  size_t domains = 0;
  size_t flagged = 0;             // at the 0.5 % operating point
  double median_lead_days = 0;    // of those flagged before they were known
  double median_possible_lead_days = 0;  // known − first scoring day, of those that became known
};

struct OperatingPoint {
  double target_fpr = 0;
  double threshold = 0;  // probability
  double fpr = 0;
  double tpr = 0;
  size_t true_positives = 0;
  size_t flagged_before_known = 0;  // true positives whose first flag came before they were known
  double median_lead_days = 0;      // over those
  std::vector<double> leads;        // days, per such true positive
};

struct EvalResult {
  size_t train_malicious = 0, train_benign = 0;
  size_t test_malicious = 0, test_benign = 0;
  size_t test_malicious_known = 0;  // test malicious domains that became known (have a lead time)
  // The ceiling for the lead time: over test malicious domains that became known, the median of
  // (known − first day scored). No detector scoring daily can be ahead by more.
  double median_possible_lead_days = 0;
  size_t scorings = 0;
  double roc_auc = 0;
  std::vector<OperatingPoint> points;  // 0.1 %, 0.5 %, 1 %
  std::vector<KindResult> kinds;       // with a truth: per kind, at the 0.5 % point
  ReputationModel model;               // the model trained on data before the split
  UnixSeconds until = 0;
};

Expected<EvalResult> EvaluateTimeSplit(const EvidenceIndex& index, const ReputationModel& language,
                                       const EvalOptions& options,
                                       const std::function<void(std::string_view)>& progress = {});

// Area under the ROC curve of scores (ties count half).
double RocAuc(const std::vector<double>& positives, const std::vector<double>& negatives);

}  // namespace mamori::domain::reputation
