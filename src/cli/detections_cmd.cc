// mamori detections list|show: what the rules found (stored by `ingest --rules`, `collect` and
// `serve`). The JSON shapes are those of GET /api/v1/detections (docs/api.md).
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "rse/detect/detection_json.h"
#include "rse/ingest/event_json.h"

namespace mamori::cli {
namespace {

using nlohmann::json;
namespace detect = rse::detect;

struct DetectionsArgs {
  std::map<std::string, std::string> filters;  // since, until, rule, group, level, before, limit
  bool ongoing = false;
  bool json = false;
  int64_t id = 0;
};

std::string Short(int64_t micros) {
  // "2026-11-30T08:00:01" — the list is read by people; show prints full precision.
  return rse::ingest::IsoMicros(micros).substr(0, 19);
}

int RunList(Context& ctx, const DetectionsArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto filters = a.filters;
  if (a.ongoing) filters["ongoing"] = "1";
  auto query = detect::ParseDetectionQuery(filters, SystemClock::Instance().Now());
  if (!query) return Fail(query.error());
  auto found = (*store)->ListDetections(*query);
  if (!found) return Fail(found.error());
  if (a.json) {
    json list = json::array();
    for (const auto& d : *found) list.push_back(detect::DetectionRecordToJson(d, false));
    std::cout << rse::ingest::DumpJson(list, 2) << '\n';
    return 0;
  }
  if (found->empty()) {
    std::cout << "no detections match (widen --since, or run `mamori ingest FILE --format F "
                 "--rules rules/`)\n";
    return 0;
  }
  std::cout << fmt::format("{:>6}  {:<19}  {:<19}  {:<8}  {:>7}  {:<30}  {}\n", "ID", "FIRST",
                           "LAST", "LEVEL", "COUNT", "RULE", "GROUP");
  for (const auto& d : *found) {
    std::cout << fmt::format("{:>6}  {:<19}  {:<19}  {:<8}  {:>7}  {:<30}  {}{}\n", d.id,
                             Short(d.first_time), Short(d.last_time), d.level, d.count,
                             d.rule_id, d.group_value.empty() ? "-" : d.group_value,
                             d.ongoing ? "  (ongoing)" : "");
  }
  if (found->size() == static_cast<size_t>(query->limit)) {
    std::cout << fmt::format("(more: --before {})\n", found->back().id);
  }
  return 0;
}

int RunShow(Context& ctx, const DetectionsArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto found = (*store)->GetDetection(a.id);
  if (!found) return Fail(found.error());
  if (!*found) {
    return Fail(Error{ErrorCode::kNotFound, fmt::format("no detection with id {}", a.id),
                      "mamori detections show"});
  }
  const auto& d = **found;
  if (a.json) {
    std::cout << rse::ingest::DumpJson(detect::DetectionRecordToJson(d, true), 2) << '\n';
    return 0;
  }
  std::cout << fmt::format("detection {}: {} ({})\n", d.id, d.title, d.rule_id);
  std::cout << fmt::format("  level     {}\n", d.level);
  std::cout << fmt::format("  {:<9} {}\n", d.group_field.empty() ? "group" : d.group_field,
                           d.group_value.empty() ? "(all events)" : d.group_value);
  std::cout << fmt::format("  target    {}\n", d.target.empty() ? "-" : d.target);
  std::cout << fmt::format("  input     {}\n", d.input);
  std::cout << fmt::format("  first     {}\n  last      {}\n", rse::ingest::IsoMicros(d.first_time),
                           rse::ingest::IsoMicros(d.last_time));
  std::cout << fmt::format("  count     {}{}\n", d.count,
                           d.distinct_count ? fmt::format(" ({} distinct)", d.distinct_count) : "");
  std::cout << fmt::format("  state     {}\n", d.ongoing ? "ongoing" : "closed");
  auto evidence = json::parse(d.evidence_json, nullptr, false);
  std::cout << "  evidence:\n";
  if (evidence.is_array()) {
    for (const auto& e : evidence) {
      std::string line = e.value("event.original", std::string());
      std::cout << "    " << (line.empty() ? rse::ingest::DumpJson(e) : line) << '\n';
    }
  }
  if (d.evidence_dropped > 0) std::cout << fmt::format("    ... {} more\n", d.evidence_dropped);
  return 0;
}

}  // namespace

void RegisterDetectionsCommands(CLI::App& app, Context& ctx) {
  auto* cmd = AddCommand(
      app, "detections",
      "What the detection rules found in the logs: list and show stored detections.\n"
      "Detections come from `mamori ingest FILE --rules DIR`, `mamori collect` and `mamori serve`.\n"
      "Examples:\n"
      "  mamori detections list --since 24h --level high\n"
      "  mamori detections list --group 203.0.113.7 --json\n"
      "  mamori detections show 12");
  cmd->require_subcommand(1);
  {
    auto args = std::make_shared<DetectionsArgs>();
    auto* list = AddCommand(*cmd, "list",
                            "Newest first. Filters combine (AND).\n"
                            "Example:\n  mamori detections list --since 2026-11-30 --rule "
                            "mamori-ssh-brute-force");
    list->add_option("--since", args->filters["since"],
                     "Last event at or after: a time (2026-11-30T08:00:00Z), Unix seconds, or "
                     "a duration back from now (24h, 7d)");
    list->add_option("--until", args->filters["until"], "First event before this time");
    list->add_option("--rule", args->filters["rule"], "Only this rule id");
    list->add_option("--group", args->filters["group"], "Only this group value (an address)");
    list->add_option("--level", args->filters["level"],
                     "Minimum level: informational, low, medium, high, critical");
    list->add_flag("--ongoing", args->ongoing, "Only detections still ongoing");
    list->add_option("--before", args->filters["before"], "Page: only ids below this");
    list->add_option("--limit", args->filters["limit"], "At most N (1-1000, default 100)");
    list->add_flag("--json", args->json, "Print JSON (without evidence; `show` has it)");
    list->callback([&ctx, args] { ctx.exit_code = RunList(ctx, *args); });
  }
  {
    auto args = std::make_shared<DetectionsArgs>();
    auto* show = AddCommand(*cmd, "show", "One detection with its evidence lines.\n"
                                          "Example:\n  mamori detections show 12 --json");
    show->add_option("id", args->id, "Detection id (from `list`)")->required();
    show->add_flag("--json", args->json, "Print JSON");
    show->callback([&ctx, args] { ctx.exit_code = RunShow(ctx, *args); });
  }
}

}  // namespace mamori::cli
