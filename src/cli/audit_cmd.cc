// mamori audit list|verify: the append-only, hash-chained record of what operators and automatic
// responses did (docs/formats/store.md, "The audit log's chain").
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/context.h"

namespace mamori::cli {
namespace {

using nlohmann::json;

struct AuditArgs {
  int64_t before = 0;
  int limit = 50;
  std::string expect_head;
  bool json = false;
};

json EntryJson(const store::AuditEntry& e) {
  json details = json::parse(e.details_json, nullptr, /*allow_exceptions=*/false);
  return {{"id", e.id},
          {"at", FormatIso8601(e.at)},
          {"actor", e.actor},
          {"action", e.action},
          {"target", e.target},
          {"details", details.is_discarded() ? json(e.details_json) : details},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

int RunList(Context& ctx, const AuditArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto rows = (*store)->ListAudit(a.before, a.limit);
  if (!rows) return Fail(rows.error());
  if (a.json) {
    json out = json::array();
    for (const auto& e : *rows) out.push_back(EntryJson(e));
    PrintJson(out);
    return 0;
  }
  if (rows->empty()) {
    std::cout << "the audit log is empty\n";
    return 0;
  }
  for (const auto& e : *rows) {
    std::cout << fmt::format("{:>6}  {}  {:<24} {:<10} {}  {}\n", e.id, FormatIso8601(e.at),
                             e.actor, e.action, e.target, e.details_json);
  }
  return 0;
}

int RunVerify(Context& ctx, const AuditArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto v = (*store)->VerifyAudit();
  if (!v) return Fail(v.error());
  bool head_ok = a.expect_head.empty() || a.expect_head == v->head_hash;
  bool ok = v->first_bad_id == 0 && head_ok;
  if (a.json) {
    PrintJson({{"ok", ok},
               {"entries", v->entries},
               {"first_bad_id", v->first_bad_id},
               {"reason", v->reason},
               {"head_hash", v->head_hash},
               {"expected_head", a.expect_head}});
  } else if (v->first_bad_id != 0) {
    std::cout << fmt::format("BROKEN at row {}: {} ({} rows)\n", v->first_bad_id, v->reason,
                             v->entries);
  } else if (!head_ok) {
    std::cout << fmt::format("BROKEN: the chain holds but its head is {}, not the expected {}: "
                             "the log was rewritten or rows were removed from its end\n",
                             v->head_hash, a.expect_head);
  } else {
    std::cout << fmt::format("ok: {} rows, head {}\n", v->entries,
                             v->head_hash.empty() ? "-" : v->head_hash);
  }
  return ok ? 0 : 1;
}

}  // namespace

void RegisterAuditCommands(CLI::App& app, Context& ctx) {
  auto* cmd = AddCommand(app, "audit",
                         "The audit log: every approval and action, append-only and hash-chained.\n"
                         "Examples:\n"
                         "  mamori audit list -n 20\n"
                         "  mamori audit verify --expect-head 3f1c...   (a head hash kept elsewhere)");
  cmd->require_subcommand(1);
  {
    auto args = std::make_shared<AuditArgs>();
    auto* list = AddCommand(*cmd, "list", "Newest first.\nExample:\n  mamori audit list --json");
    list->add_option("-n,--limit", args->limit, "At most N rows (default 50)");
    list->add_option("--before", args->before, "Page: only ids below this");
    list->add_flag("--json", args->json, "Print JSON");
    list->callback([&ctx, args] { ctx.exit_code = RunList(ctx, *args); });
  }
  {
    auto args = std::make_shared<AuditArgs>();
    auto* verify = AddCommand(
        *cmd, "verify",
        "Recompute the hash chain; exit 1 and name the first bad row when it is broken.\n"
        "Keep the printed head hash somewhere else (a ticket, a log server): with --expect-head\n"
        "a log rewritten from scratch or cut at its end is caught too.\n"
        "Example:\n  mamori audit verify --json");
    verify->add_option("--expect-head", args->expect_head, "The head hash seen earlier");
    verify->add_flag("--json", args->json, "Print JSON");
    verify->callback([&ctx, args] { ctx.exit_code = RunVerify(ctx, *args); });
  }
}

}  // namespace mamori::cli
