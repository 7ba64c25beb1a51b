// mamori domain train | score | explain | eval: domain reputation (domain/reputation/,
// docs/domain-reputation.md). Evidence comes from the store (`mamori domain ingest`, `intel
// import`); the model from --model FILE or the built-in one.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/context.h"
#include "cli/domain_support.h"
#include "core/indicator.h"
#include "core/atomic_file.h"
#include "domain/reputation/eval.h"
#include "domain/reputation/json.h"
#include "domain/reputation/scorer.h"
#include "domain/reputation/train.h"

namespace mamori::cli {

namespace {

namespace rep = domain::reputation;
using nlohmann::json;

struct ReputationArgs {
  std::vector<std::string> items, files;
  std::string model_path;
  std::vector<std::string> address_databases;
  std::string at;  // prediction date
  bool no_store = false;
  bool publish = false;
  bool json = false;
  size_t top = 5;
  // train / eval
  std::string out, until, split, truth;
  std::string test_set = "unknown";
  int horizon_days = 90;
  int rounds = 150;
  int max_depth = 5;
  double target_fpr = 0.005;
  uint64_t seed = 1;
  int threads = 2;
};

Expected<UnixSeconds> DateOption(const std::string& text, std::string_view flag,
                                 UnixSeconds fallback) {
  if (text.empty()) return fallback;
  const UnixSeconds t = ParseTimestamp(text);
  if (t < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("'{}' is not a date (YYYY-MM-DD, an ISO 8601 time or Unix seconds)",
                                 text),
                     std::string(flag));
  }
  return t;
}

void Progress(std::string_view stage) {
  if (StderrIsTerminal()) std::cerr << "mamori: " << stage << "…\n";
}

// The evidence index of the store (empty with --no-store).
Expected<std::unique_ptr<rep::EvidenceIndex>> LoadIndex(Context& ctx, const ReputationArgs& a) {
  if (a.no_store) return std::unique_ptr<rep::EvidenceIndex>();
  MAMORI_ASSIGN_OR_RETURN(store::Store * store, ctx.GetStore());
  MAMORI_ASSIGN_OR_RETURN(rep::AddressAnnotator annotate, OpenAddressAnnotator(a.address_databases));
  MAMORI_ASSIGN_OR_RETURN(rep::EvidenceIndex index,
                          rep::LoadEvidenceIndex(*store, std::move(annotate), Progress));
  return std::make_unique<rep::EvidenceIndex>(std::move(index));
}

int RunScore(Context& ctx, const ReputationArgs& a, bool explain) {
  std::vector<std::string> items;
  if (auto s = CollectDomainItems(a.items, a.files, items); !s) return Fail(s.error());
  if (items.empty()) {
    return Fail(Error{ErrorCode::kInvalidArgument,
                      "nothing to score: give names, --file FILE, or - for stdin",
                      explain ? "domain explain" : "domain score"});
  }
  auto at = DateOption(a.at, "--at", std::time(nullptr));
  if (!at) return Fail(at.error());
  auto model = LoadReputationModel(a.model_path);
  if (!model) return Fail(model.error());
  auto index = LoadIndex(ctx, a);
  if (!index) return Fail(index.error());
  const rep::ReputationScorer scorer(*model, index->get());
  store::Store* publish_to = nullptr;
  if (a.publish) {
    auto store = ctx.GetStore();
    if (!store) return Fail(store.error());
    publish_to = *store;
  }
  int failed = 0, published = 0;
  for (const std::string& item : items) {
    auto r = explain ? scorer.Explain(item, *at, a.top) : scorer.Score(item, *at);
    if (!r) {
      ++failed;
      if (a.json || !explain) {
        std::cout << json{{"input", item}, {"error", r.error().message}}.dump() << "\n";
      } else {
        std::cerr << fmt::format("mamori: {}: {}\n", item, r.error().message);
      }
      continue;
    }
    if (publish_to && r->malicious) {
      // An own finding (observer "analysis:…"): blocklist builds take it as a candidate even
      // when no feed lists it (rse/blocklist/builder.cc), categorization still decides the scope.
      store::Sighting s;
      s.indicator = Indicator{IndicatorType::kDomain, r->name};
      s.observed_at = std::time(nullptr);
      s.observer = "analysis:domain-reputation";
      s.context_json = json{{"score", r->score}, {"threshold", r->threshold}, {"at", FormatIso8601(r->at)}}.dump();
      if (auto added = publish_to->AddSighting(s); !added) return Fail(added.error());
      ++published;
    }
    if (a.json || !explain) {
      std::cout << rep::ScoreResultToJson(*r).dump(-1, ' ', false, json::error_handler_t::replace)
                << "\n";
      continue;
    }
    std::cout << fmt::format("{}  score {}/100 ({}; threshold {})\n", r->name, r->score,
                             r->malicious ? "malicious" : "not malicious", r->threshold);
    for (const auto& reason : r->reasons) std::cout << "  - " << reason.text << "\n";
  }
  std::cout << std::flush;
  if (publish_to && StderrIsTerminal()) {
    std::cerr << fmt::format("mamori: {} domain(s) at or above the threshold recorded as own findings\n",
                             published);
  }
  return failed == 0 ? 0 : 1;
}

rep::ReputationTrainOptions TrainOptions(const ReputationArgs& a) {
  rep::ReputationTrainOptions o;
  o.horizon_days = a.horizon_days;
  o.target_fpr = a.target_fpr;
  o.seed = a.seed;
  o.boost.rounds = a.rounds;
  o.boost.max_depth = a.max_depth;
  o.boost.seed = a.seed;
  o.boost.threads = a.threads;
  return o;
}

int RunTrain(Context& ctx, const ReputationArgs& a) {
  if (a.out.empty()) {
    return Fail(Error{ErrorCode::kInvalidArgument, "--out FILE is required", "domain train"});
  }
  auto until = DateOption(a.until, "--until", rep::kNever);
  if (!until) return Fail(until.error());
  auto language = LoadReputationModel(a.model_path, /*language_only=*/true);
  if (!language) return Fail(language.error());
  auto index = LoadIndex(ctx, a);
  if (!index) return Fail(index.error());
  rep::ReputationTrainOptions o = TrainOptions(a);
  o.train_until = *until;
  const auto started = std::chrono::steady_clock::now();
  auto model = rep::TrainReputationModel(**index, *language, o, Progress);
  if (!model) return Fail(model.error());
  model->training["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (auto s = WriteFileAtomically(a.out, rep::SerializeReputationModel(*model)); !s) {
    return Fail(s.error());
  }
  if (a.json) {
    PrintJson({{"model", a.out}, {"threshold", model->threshold}, {"training", model->training}});
  } else {
    std::cout << fmt::format("wrote {} (threshold {}; {})\n", a.out, model->threshold,
                             model->training.dump());
  }
  return 0;
}

int RunEval(Context& ctx, const ReputationArgs& a) {
  auto split = DateOption(a.split, "--split", -1);
  if (!split) return Fail(split.error());
  if (*split < 0) {
    return Fail(Error{ErrorCode::kInvalidArgument, "--split DATE is required", "domain eval"});
  }
  auto until = DateOption(a.until, "--until", rep::kNever);
  if (!until) return Fail(until.error());
  auto language = LoadReputationModel(a.model_path, /*language_only=*/true);
  if (!language) return Fail(language.error());
  auto index = LoadIndex(ctx, a);
  if (!index) return Fail(index.error());
  rep::Truth truth;
  if (!a.truth.empty()) {
    auto t = ReadTruthFile(a.truth);
    if (!t) return Fail(t.error());
    truth = std::move(*t);
  }
  auto test_set = rep::ParseTestSet(a.test_set);
  if (!test_set) return Fail(Error{test_set.error().code, test_set.error().message, "--test"});
  rep::EvalOptions o;
  o.test_set = *test_set;
  o.truth = a.truth.empty() ? nullptr : &truth;
  o.split = *split;
  o.until = *until;
  o.horizon_days = a.horizon_days;
  o.train = TrainOptions(a);
  auto r = rep::EvaluateTimeSplit(**index, *language, o, Progress);
  if (!r) return Fail(r.error());
  json points = json::array();
  for (const auto& p : r->points) {
    points.push_back({{"target_fpr", p.target_fpr},
                      {"fpr", p.fpr},
                      {"tpr", p.tpr},
                      {"threshold_score", p.threshold * 100},
                      {"true_positives", p.true_positives},
                      {"flagged_before_known", p.flagged_before_known},
                      {"median_lead_days", p.median_lead_days}});
  }
  json out = {{"split", FormatIso8601(*split)},
              {"until", FormatIso8601(r->until)},
              {"train", {{"malicious", r->train_malicious}, {"benign", r->train_benign}}},
              {"test",
               {{"set", a.test_set},
                {"malicious", r->test_malicious},
                {"benign", r->test_benign},
                {"malicious_known_later", r->test_malicious_known},
                {"median_possible_lead_days", r->median_possible_lead_days}}},
              {"scorings", r->scorings},
              {"roc_auc", r->roc_auc},
              {"operating_points", points}};
  if (!r->kinds.empty()) {
    json kinds = json::array();
    for (const auto& k : r->kinds) {
      json kind = {{"kind", k.kind}, {"malicious", k.malicious}, {"domains", k.domains},
                   {"flagged_at_0.5%", k.flagged}};
      if (k.malicious) {
        kind["median_lead_days"] = k.median_lead_days;
        kind["median_possible_lead_days"] = k.median_possible_lead_days;
      }
      kinds.push_back(std::move(kind));
    }
    out["kinds"] = kinds;
  }
  if (!a.out.empty()) {
    if (auto s = WriteFileAtomically(a.out, rep::SerializeReputationModel(r->model)); !s) {
      return Fail(s.error());
    }
  }
  if (a.json) {
    PrintJson(out);
    return 0;
  }
  std::cout << fmt::format(
      "time split at {}: trained on {} malicious / {} benign domains known by then\n"
      "tested on {} malicious / {} benign domains {} ({} daily scorings)\n"
      "ROC-AUC {:.4f}\n",
      FormatIso8601(*split), r->train_malicious, r->train_benign, r->test_malicious,
      r->test_benign,
      o.test_set == rep::TestSet::kFirstSeenAfter ? "first seen after it"
                                                  : "with evidence after it and unknown at it",
      r->scorings, r->roc_auc);
  for (const auto& p : r->points) {
    std::cout << fmt::format(
        "  at FPR {:>5.1f}% (measured {:.2f}%): TPR {:.3f}; {} of {} true positives flagged "
        "before they were known, median lead {:.1f} days\n",
        100 * p.target_fpr, 100 * p.fpr, p.tpr, p.flagged_before_known, p.true_positives,
        p.median_lead_days);
  }
  std::cout << fmt::format(
      "  the test's malicious domains became known a median {:.1f} days after their first "
      "scoring (the ceiling of any lead)\n",
      r->median_possible_lead_days);
  if (!r->kinds.empty()) std::cout << "per kind, flagged at the 0.5% point:\n";
  for (const auto& k : r->kinds) {
    std::cout << fmt::format("  {:<16} {:<9} {:>5} of {:>5} ({:.1f}%)", k.kind,
                             k.malicious ? "malicious" : "benign", k.flagged, k.domains,
                             k.domains ? 100.0 * k.flagged / k.domains : 0.0);
    if (k.malicious) {
      std::cout << fmt::format("; median lead {:.1f} days; known a median {:.1f} days after "
                               "first scoring",
                               k.median_lead_days, k.median_possible_lead_days);
    }
    std::cout << "\n";
  }
  return 0;
}

void AddAsnOption(CLI::App* cmd, ReputationArgs& a) {
  cmd->add_option("--asn", a.address_databases,
                  "IP → ASN/country database: MaxMind .mmdb or iptoasn TSV (repeatable)")
      ->type_name("FILE");
}

void AddScoringOptions(CLI::App* cmd, ReputationArgs& a) {
  cmd->add_option("--at", a.at, "Prediction date (default: now); evidence after it is not read")
      ->type_name("DATE");
  cmd->add_option("--model", a.model_path, "Reputation model file (default: the built-in one)")
      ->type_name("FILE");
  AddAsnOption(cmd, a);
  cmd->add_flag("--no-store", a.no_store, "Use no stored evidence: lexical features only");
}

void AddTrainingOptions(CLI::App* cmd, ReputationArgs& a) {
  cmd->add_option("--horizon", a.horizon_days, "Days before a domain became known to sample (90)");
  cmd->add_option("--rounds", a.rounds, "Boosting rounds (150)");
  cmd->add_option("--max-depth", a.max_depth, "Tree depth (5)");
  cmd->add_option("--target-fpr", a.target_fpr, "False-positive rate the threshold aims at (0.005)");
  cmd->add_option("--seed", a.seed, "Seed (1)");
  cmd->add_option("--threads", a.threads, "XGBoost threads (2)");
  cmd->add_option("--language-model", a.model_path,
                  "Take the lexical language model from this reputation model file "
                  "(default: the built-in DGA model's)")
      ->type_name("FILE");
  AddAsnOption(cmd, a);
}

}  // namespace

void RegisterDomainReputationCommands(CLI::App& domain_cmd, Context& ctx) {
  auto a = std::make_shared<ReputationArgs>();

  auto* score = AddCommand(
      domain_cmd, "score",
      "Score domains 0–100 for maliciousness, from stored evidence and the name itself.\n"
      "One JSON object per input name on stdout: {domain, registered_domain, score, malicious,\n"
      "has_history, at}; an invalid name gives {input, error} and the batch goes on (exit 1).\n"
      "Evidence: passive DNS, popularity lists, zone snapshots, RDAP and labels ingested with\n"
      "`mamori domain ingest`, blocklist histories from `mamori intel import|feeds update`.\n"
      "A name with no history is scored on its name (and its registered domain's evidence).\n"
      "See docs/domain-reputation.md.\n"
      "Examples:\n"
      "  mamori domain score example.com qxjzvbwkpl.net\n"
      "  mamori domain score --file new-domains.txt --at 2026-06-01 | jq 'select(.malicious)'\n"
      "  zcat zone-diff.gz | mamori domain score - --no-store\n"
      "  mamori domain score --file newly-registered.txt --publish   # then: blocklist build");
  score->add_option("items", a->items, "Names (- reads them from stdin, one per line)")
      ->type_name("NAME");
  score->add_option("-f,--file", a->files, "Read names from FILE, one per line (- = stdin)")
      ->type_name("FILE");
  score->add_flag("--publish", a->publish,
                  "Record names at or above the threshold as our own findings (sightings by "
                  "analysis:domain-reputation), so blocklist builds can ship them before any "
                  "feed lists them");
  AddScoringOptions(score, *a);
  score->callback([&ctx, a] { ctx.exit_code = RunScore(ctx, *a, false); });

  auto* explain = AddCommand(
      domain_cmd, "explain",
      "A domain's score with the reasons behind it, in plain words.\n"
      "Reasons come from the exact SHAP contributions of the model's trees (TreeSHAP), largest\n"
      "first; the lexical features are summed into one reason about the name itself.\n"
      "Examples:\n"
      "  mamori domain explain login-secure-update.com\n"
      "  mamori domain explain evil.example --at 2026-05-01 --json");
  explain->add_option("items", a->items, "Names")->type_name("NAME");
  explain->add_option("--top", a->top, "Reasons to show (5)");
  explain->add_flag("--json", a->json,
                    "JSON output (as `score`, with reasons and every feature's value; null = no "
                    "evidence)");
  AddScoringOptions(explain, *a);
  explain->callback([&ctx, a] { ctx.exit_code = RunScore(ctx, *a, true); });

  auto* train = AddCommand(
      domain_cmd, "train",
      "Train a reputation model on the store's evidence and labels.\n"
      "Malicious domains are seen on dates before they became known (label or listing), benign\n"
      "ones on dates after their first evidence; labels known after --until are left out.\n"
      "The file lists its features and is refused by a build that computes others.\n"
      "Examples:\n"
      "  mamori domain train --out reputation.json\n"
      "  mamori domain train --until 2026-01-01 --out jan.json --rounds 300");
  train->add_option("-o,--out", a->out, "Model file to write")->type_name("FILE");
  train->add_option("--until", a->until, "Use only labels known by this date")->type_name("DATE");
  train->add_flag("--json", a->json, "Print the summary as JSON");
  AddTrainingOptions(train, *a);
  train->callback([&ctx, a] { ctx.exit_code = RunTrain(ctx, *a); });

  auto* eval = AddCommand(
      domain_cmd, "eval",
      "Time-split evaluation of the reputation model, with lead times before listing.\n"
      "Trains on what was known before --split, then tests on the domains nobody knew about at\n"
      "the split (--test unknown: no label, no listing, evidence after it; DomainProfiler's\n"
      "protocol) or only those first seen after it (--test new), scoring each daily from the\n"
      "split or its first evidence until it became known (at most --horizon days).\n"
      "Reports ROC-AUC, TPR at FPR 0.1% / 0.5% / 1% and how many days before becoming known\n"
      "(first label or blocklist listing) the true positives were flagged.\n"
      "Examples:\n"
      "  mamori domain eval --split 2025-07-01\n"
      "  mamori domain eval --split 2025-07-01 --json --out split-model.json\n"
      "  mamori domain eval --split 2025-05-01 --truth world/truth.csv --asn world/asn/ip2asn.tsv");
  eval->add_option("--split", a->split, "Split date T")->type_name("DATE");
  eval->add_option("--until", a->until, "End of the data (default: the latest evidence)")
      ->type_name("DATE");
  eval->add_option("-o,--out", a->out, "Also write the model trained before the split")
      ->type_name("FILE");
  eval->add_option("--truth", a->truth,
                   "Judge test domains by this CSV (domain + malicious|label [+ kind]), e.g. a "
                   "simulated world's truth.csv, instead of the stored labels")
      ->type_name("FILE");
  eval->add_option("--test", a->test_set,
                   "Test set: unknown (every domain unknown at the split, default) or new "
                   "(first seen after it)")
      ->type_name("SET");
  eval->add_flag("--json", a->json, "Print the report as JSON");
  AddTrainingOptions(eval, *a);
  eval->callback([&ctx, a] { ctx.exit_code = RunEval(ctx, *a); });
}

}  // namespace mamori::cli
