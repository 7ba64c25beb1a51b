// mamori rules list|check|test: inspect, validate and try detection rules (docs/formats/rules.md).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "rse/detect/detector.h"
#include "rse/detect/indicator_lookup.h"
#include "rse/detect/matcher.h"
#include "rse/detect/rule.h"
#include "rse/ingest/log_parser.h"

namespace mamori::cli {

namespace {

using nlohmann::json;
namespace detect = rse::detect;
namespace ingest = rse::ingest;

struct RulesArgs {
  std::string path = "rules";
  std::string rule;
  std::string file;
  std::string format;
  std::string rules_dir = "rules";
  std::string intel_file;
  bool intel_store = false;
  bool json = false;
  int max_lines = 0;  // test: stop after this many matching lines are printed (0 = all)
};

void PrintErrors(const std::vector<detect::RuleError>& errors) {
  for (const auto& e : errors) std::cerr << "mamori: " << e.ToString() << "\n";
}

json ErrorsJson(const std::vector<detect::RuleError>& errors) {
  json out = json::array();
  for (const auto& e : errors) out.push_back({{"file", e.file}, {"line", e.line}, {"reason", e.reason}});
  return out;
}

std::string Datasets(const detect::Rule& r) {
  return r.datasets.empty() ? std::string("any") : fmt::format("{}", fmt::join(r.datasets, ","));
}

int RunList(const RulesArgs& a) {
  auto loaded = detect::LoadRules(a.path);
  if (a.json) {
    json rules = json::array();
    for (const auto& r : loaded.rules) {
      rules.push_back({{"id", r.id},
                       {"title", r.title},
                       {"level", detect::LevelName(r.level)},
                       {"status", r.status},
                       {"tags", r.tags},
                       {"datasets", r.datasets},
                       {"condition", r.condition_text},
                       {"timeframe_seconds", r.timeframe_seconds},
                       {"file", r.file},
                       {"line", r.line}});
    }
    PrintJson({{"rules", rules}, {"errors", ErrorsJson(loaded.errors)}});
  } else {
    std::cout << fmt::format("{:<36} {:<13} {:<44} {}\n", "ID", "LEVEL", "TITLE", "CONDITION");
    for (const auto& r : loaded.rules) {
      std::cout << fmt::format("{:<36} {:<13} {:<44} {}{}\n", r.id, detect::LevelName(r.level),
                               r.title, r.condition_text,
                               r.timeframe_seconds ? " within " + FormatDuration(
                                                                      static_cast<int>(
                                                                          r.timeframe_seconds))
                                                   : "");
    }
    PrintErrors(loaded.errors);
  }
  return loaded.errors.empty() ? 0 : 1;
}

int RunCheck(const RulesArgs& a) {
  auto loaded = detect::LoadRules(a.path);
  size_t count = loaded.rules.size();
  auto set = detect::RuleSet::Compile(std::move(loaded.rules));
  if (!set) return Fail(set.error());
  const auto& s = (*set)->stats();
  if (a.json) {
    PrintJson({{"rules", count},
               {"errors", ErrorsJson(loaded.errors)},
               {"hyperscan_patterns", s.hyperscan_patterns},
               {"equality_values", s.equality_values},
               {"prefiltered_regexes", s.prefiltered_regexes},
               {"re2_only_regexes", s.re2_only_regexes},
               {"always_evaluated_rules", s.always_evaluated_rules}});
  } else {
    PrintErrors(loaded.errors);
    std::cout << fmt::format(
        "{} rules loaded, {} rejected; {} Hyperscan patterns in {} databases, {} equality "
        "values, {} regexes confirmed by RE2 ({} RE2 only), {} rules evaluated on every event\n",
        count, loaded.errors.size(), s.hyperscan_patterns, s.hyperscan_databases,
        s.equality_values, s.prefiltered_regexes + s.re2_only_regexes, s.re2_only_regexes,
        s.always_evaluated_rules);
  }
  return loaded.errors.empty() ? 0 : 1;
}

std::string FormatMicros(ingest::UnixMicros t) {
  return t == 0 ? std::string("-") : FormatIso8601(t / 1'000'000);
}

json DetectionJson(const detect::Detection& d) {
  json evidence = json::array();
  for (const auto& e : d.evidence) evidence.push_back(e.raw);
  return {{"id", d.id},
          {"rule", d.rule_id},
          {"title", d.title},
          {"level", detect::LevelName(d.level)},
          {"group_field", d.group_field},
          {"group", d.group},
          {"first", FormatMicros(d.first_time)},
          {"last", FormatMicros(d.last_time)},
          {"count", d.count},
          {"distinct", d.distinct},
          {"evidence", evidence},
          {"evidence_dropped", d.evidence_dropped}};
}

int RunTest(Context& ctx, const RulesArgs& a) {
  // RULE: a rule file (or directory), or the id of a rule under --rules.
  std::vector<detect::Rule> rules;
  if (std::filesystem::exists(a.rule)) {
    auto loaded = detect::LoadRules(a.rule);
    PrintErrors(loaded.errors);
    if (!loaded.errors.empty()) return 1;
    rules = std::move(loaded.rules);
  } else {
    auto loaded = detect::LoadRules(a.rules_dir);
    for (auto& r : loaded.rules) {
      if (r.id == a.rule) rules.push_back(std::move(r));
    }
    if (rules.empty()) {
      return Fail(Error{ErrorCode::kNotFound,
                        fmt::format("no rule file and no rule with this id under {} (see `mamori "
                                    "rules list {}`)",
                                    a.rules_dir, a.rules_dir),
                        a.rule});
    }
  }
  if (rules.empty()) return Fail(Error{ErrorCode::kInvalidArgument, "no rules", a.rule});

  ingest::ParserOptions popts;
  popts.now = SystemClock::Instance().Now();
  auto parser = ingest::MakeLogParser(a.format, popts);
  if (!parser) return Fail(parser.error());

  std::unique_ptr<detect::IndicatorLookup> intel;
  if (!a.intel_file.empty()) {
    auto set = std::make_unique<detect::SetIndicatorLookup>();
    std::ifstream in(a.intel_file);
    if (!in) return Fail(Error{ErrorCode::kIo, "cannot read the indicator list", a.intel_file});
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] != '#') set->Add(line, a.intel_file);
    }
    intel = std::move(set);
  } else if (a.intel_store) {
    auto store = ctx.GetStore();
    if (!store) return Fail(store.error());
    intel = std::make_unique<detect::StoreIndicatorLookup>(**store);
  }

  auto compiled = detect::RuleSet::Compile(std::move(rules));
  if (!compiled) return Fail(compiled.error());
  detect::Matcher matcher(*compiled, intel.get());
  detect::Detector detector(*compiled, SystemClock::Instance());

  std::ifstream in(a.file, std::ios::binary);
  if (!in) return Fail(Error{ErrorCode::kIo, "cannot read the log file", a.file});
  std::string line;
  int64_t line_no = 0, events = 0, skipped = 0, malformed = 0, matched_lines = 0;
  std::vector<detect::Detection> detections;
  json matches = json::array();
  std::vector<detect::Detection> out;
  ingest::Event event;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    event.Clear();
    auto result = (*parser)->Parse(line, event);
    if (result.outcome == ingest::ParseOutcome::kSkip) {
      ++skipped;
      continue;
    }
    if (result.outcome == ingest::ParseOutcome::kMalformed) {
      ++malformed;
      if (!a.json) std::cerr << fmt::format("line {}: malformed: {}\n", line_no, result.reason);
      continue;
    }
    ++events;
    if (event.raw.empty()) event.raw = line;
    const auto& hits = matcher.Match(event);
    if (!hits.empty()) ++matched_lines;
    for (uint32_t r : hits) {
      const auto& rule = (*compiled)->rules()[r];
      detect::Explanation why;
      detect::ReferenceMatch(rule, event, intel.get(), &why);
      if (a.json) {
        json sels = json::array();
        for (const auto& s : why.selections) {
          if (!s.matched) continue;
          json hits_json = json::array();
          for (const auto& h : s.hits) {
            hits_json.push_back({{"field", h.field},
                                 {"modifiers", h.modifiers},
                                 {"pattern", h.pattern},
                                 {"value", h.value}});
          }
          sels.push_back({{"selection", s.name}, {"hits", hits_json}});
        }
        matches.push_back({{"line", line_no}, {"rule", rule.id}, {"selections", sels}});
      } else if (a.max_lines == 0 || matched_lines <= a.max_lines) {
        std::cout << fmt::format("line {}: {} ({})\n", line_no, rule.id, rule.title);
        for (const auto& s : why.selections) {
          if (!s.matched) continue;
          for (const auto& h : s.hits) {
            std::cout << fmt::format("  {}: {}{}{} {:?} matched {:?}\n", s.name, h.field,
                                     h.modifiers.empty() ? "" : "|", h.modifiers, h.pattern,
                                     h.value.size() > 200 ? h.value.substr(0, 200) + "..."
                                                          : h.value);
          }
        }
      }
    }
    out.clear();
    detector.Process(event, hits, &out);
    for (auto& d : out) {
      if (d.state == detect::Detection::State::kClosed) detections.push_back(std::move(d));
    }
  }
  out.clear();
  detector.Flush(&out);
  for (auto& d : out) detections.push_back(std::move(d));

  if (a.json) {
    json ds = json::array();
    for (const auto& d : detections) ds.push_back(DetectionJson(d));
    PrintJson({{"lines", line_no},
               {"events", events},
               {"skipped", skipped},
               {"malformed", malformed},
               {"matched_lines", matched_lines},
               {"matches", matches},
               {"detections", ds}});
    return 0;
  }
  std::cout << fmt::format("\n{} lines: {} events, {} skipped, {} malformed; {} lines matched\n",
                           WithThousands(line_no), WithThousands(events), WithThousands(skipped),
                           WithThousands(malformed), WithThousands(matched_lines));
  std::cout << fmt::format("{} detections\n", detections.size());
  for (const auto& d : detections) {
    std::cout << fmt::format("  #{} {} [{}] {}{}{} count {}{} from {} to {}\n", d.id, d.rule_id,
                             detect::LevelName(d.level), d.group_field,
                             d.group_field.empty() ? "" : "=", d.group, d.count,
                             d.distinct ? fmt::format(" ({} distinct)", d.distinct) : "",
                             FormatMicros(d.first_time), FormatMicros(d.last_time));
    for (const auto& e : d.evidence) std::cout << "      " << e.raw << "\n";
    if (d.evidence_dropped) std::cout << fmt::format("      ... {} more\n", d.evidence_dropped);
  }
  return 0;
}

}  // namespace

void RegisterRulesCommands(CLI::App& app, Context& ctx) {
  auto* rules = AddCommand(
      app, "rules",
      "List, check and try detection rules (YAML, a subset of Sigma).\n"
      "Rule format: docs/formats/rules.md; the shipped pack is in rules/.\n"
      "Examples:\n"
      "  mamori rules list\n"
      "  mamori rules check my-rules/\n"
      "  mamori rules test mamori-ssh-brute-force /var/log/auth.log --format sshd");
  rules->require_subcommand(1);

  {
    auto args = std::make_shared<RulesArgs>();
    auto* cmd = AddCommand(*rules, "list",
                           "List the rules of a file or directory (default: rules/).\n"
                           "Rules that fail to load are reported on stderr (exit status 1).\n"
                           "Example:\n  mamori rules list rules/ --json");
    cmd->add_option("path", args->path, "Rule file or directory")->type_name("DIR");
    cmd->add_flag("--json", args->json, "Print JSON");
    cmd->callback([&ctx, args] { ctx.exit_code = RunList(*args); });
  }
  {
    auto args = std::make_shared<RulesArgs>();
    auto* cmd = AddCommand(*rules, "check",
                           "Load and compile rules; print each error as file:line: reason.\n"
                           "Exit status 1 when any rule is invalid (the valid ones still load).\n"
                           "Example:\n  mamori rules check rules/");
    cmd->add_option("path", args->path, "Rule file or directory")->required()->type_name("PATH");
    cmd->add_flag("--json", args->json, "Print JSON");
    cmd->callback([&ctx, args] { ctx.exit_code = RunCheck(*args); });
  }
  {
    auto args = std::make_shared<RulesArgs>();
    auto* cmd = AddCommand(
        *rules, "test",
        "Run a rule over a log file: which lines match, which selection and why, and the\n"
        "detections (thresholds and deduplication as `ingest` would apply them).\n"
        "RULE is a rule file (or directory) or the id of a rule under --rules.\n"
        "Examples:\n"
        "  mamori rules test rules/sql_injection.yml access.log --format nginx-combined\n"
        "  mamori rules test mamori-intel-dns-query dns.log --format zeek-dns --intel bad.txt");
    cmd->add_option("rule", args->rule, "Rule file or rule id")->required()->type_name("RULE");
    cmd->add_option("file", args->file, "Log file")->required()->type_name("FILE");
    cmd->add_option("--format", args->format, "Log format (`mamori ingest --format help`)")
        ->required();
    cmd->add_option("--rules", args->rules_dir, "Directory to find RULE ids in (default: rules)");
    cmd->add_option("--intel", args->intel_file,
                    "Indicators (one per line) that `|intel` tests treat as listed")
        ->type_name("FILE");
    cmd->add_flag("--intel-store", args->intel_store,
                  "Answer `|intel` tests from the store (enabled sources listing now)");
    cmd->add_option("--max-lines", args->max_lines, "Print at most N matching lines");
    cmd->add_flag("--json", args->json, "Print JSON");
    cmd->callback([&ctx, args] { ctx.exit_code = RunTest(ctx, *args); });
  }
}

}  // namespace mamori::cli
