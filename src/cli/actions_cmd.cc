// mamori actions list|show|approve|reject|rollback and mamori respond status|kill-switch|
// playbooks|tick|run: the response engine from the command line (docs/respond.md). JSON shapes
// are those of GET /api/v1/actions (rse/respond/action_json.h).
//
// Deciding from the CLI drives the devices from this process (same machine as `mamori serve`,
// same store), with the actor "cli:<login name>" in the audit log.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "cli/respond_support.h"
#include "rse/detect/detection_json.h"
#include "rse/ingest/event_json.h"
#include "rse/respond/action_json.h"

namespace mamori::cli {
namespace {

using nlohmann::json;
namespace respond = rse::respond;

struct ActionsArgs {
  std::map<std::string, std::string> filters;  // state, kind, target, playbook, before_id, limit
  int64_t id = 0;
  std::string comment;
  int64_t duration_seconds = -1;  // -1: unchanged
  std::string target;
  std::string playbooks;  // override of [respond] playbooks
  std::string on_off;
  int64_t detection_id = 0;
  std::string since = "24h";
  bool json = false;
};

std::string Actor() {
  const char* login = getlogin();
  const char* user = login ? login : getenv("USER");
  return fmt::format("cli:{}", user ? user : "unknown");
}

std::string Short(UnixSeconds t) { return t > 0 ? FormatIso8601(t).substr(0, 19) : "-"; }

void PrintActions(const std::vector<store::ActionRecord>& rows) {
  std::cout << fmt::format("{:>6}  {:<11}  {:<6}  {:<15}  {:<9}  {:<24}  {:<19}  {}\n", "ID",
                           "STATE", "MODE", "KIND", "DEVICE", "TARGET", "EXPIRES", "PLAYBOOK");
  for (const auto& a : rows) {
    std::cout << fmt::format("{:>6}  {:<11}  {:<6}  {:<15}  {:<9}  {:<24}  {:<19}  {}\n", a.id,
                             a.state, a.mode, a.kind, a.device.empty() ? "-" : a.device,
                             a.target.empty() ? "-" : a.target, Short(a.expires_at), a.playbook);
  }
}

void PrintAction(const store::ActionRecord& a, bool as_json) {
  if (as_json) {
    std::cout << rse::ingest::DumpJson(respond::ActionToJson(a, true), 2) << '\n';
    return;
  }
  std::cout << fmt::format("action {}: {} {} at {} — {}\n", a.id, a.kind, a.target,
                           a.device.empty() ? "-" : a.device, a.state);
  std::cout << fmt::format("  playbook  {} ({})\n", a.playbook, a.mode);
  std::cout << fmt::format("  effect    {}\n", a.expected_effect);
  std::cout << fmt::format("  reason    {}\n", a.reason);
  if (a.detection_id) std::cout << fmt::format("  detection {}\n", a.detection_id);
  std::cout << fmt::format("  created   {}\n", Short(a.created_at));
  if (a.decided_at) {
    std::cout << fmt::format("  decided   {} by {}{}\n", Short(a.decided_at), a.decided_by,
                             a.comment.empty() ? "" : ": " + a.comment);
  }
  if (a.applied_at) std::cout << fmt::format("  applied   {}\n", Short(a.applied_at));
  if (a.expires_at) std::cout << fmt::format("  expires   {}\n", Short(a.expires_at));
  if (a.ended_at) std::cout << fmt::format("  ended     {}\n", Short(a.ended_at));
  if (!a.last_error.empty()) std::cout << fmt::format("  error     {}\n", a.last_error);
}

int RunList(Context& ctx, const ActionsArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  std::map<std::string, std::string> filters;
  for (const auto& [k, v] : a.filters) {
    if (!v.empty()) filters[k] = v;
  }
  auto query = respond::ParseActionQuery(filters);
  if (!query) return Fail(query.error());
  auto rows = (*store)->ListActions(*query);
  if (!rows) return Fail(rows.error());
  if (a.json) {
    json list = json::array();
    for (const auto& r : *rows) list.push_back(respond::ActionToJson(r, false));
    std::cout << rse::ingest::DumpJson(list, 2) << '\n';
    return 0;
  }
  if (rows->empty()) {
    std::cout << "no actions match (playbooks act on new detections: docs/respond.md)\n";
    return 0;
  }
  PrintActions(*rows);
  return 0;
}

int RunShow(Context& ctx, const ActionsArgs& a) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto found = (*store)->GetAction(a.id);
  if (!found) return Fail(found.error());
  if (!*found) {
    return Fail(Error{ErrorCode::kNotFound, fmt::format("no action with id {}", a.id),
                      "mamori actions list"});
  }
  PrintAction(**found, a.json);
  return 0;
}

// Runs `fn` with an engine built from the configuration (devices included).
template <typename Fn>
int WithResponder(Context& ctx, const ActionsArgs& a, Fn&& fn) {
  auto config = ctx.GetConfig();
  if (!config) return Fail(config.error());
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto setup = MakeResponderForConfig(**config, **store, SystemClock::Instance(), a.playbooks);
  if (!setup) return Fail(setup.error());
  return fn(*setup->responder, **store);
}

int RunDecision(Context& ctx, const ActionsArgs& a, const std::string& verb) {
  return WithResponder(ctx, a, [&](respond::Responder& r, store::Store&) {
    Expected<store::ActionRecord> done = MakeError(ErrorCode::kInternal, "");
    if (verb == "approve") {
      respond::Approval approval{.actor = Actor(), .comment = a.comment};
      if (a.duration_seconds >= 0) approval.duration_seconds = a.duration_seconds;
      if (!a.target.empty()) approval.target = a.target;
      done = r.Approve(a.id, approval);
    } else if (verb == "reject") {
      done = r.Reject(a.id, Actor(), a.comment);
    } else {
      done = r.Rollback(a.id, Actor(), a.comment);
    }
    if (!done) return Fail(done.error());
    PrintAction(*done, a.json);
    // Approved but the device refused it (it is retried by the engine): say so in the status.
    if (done->state == "pending" || done->state == "failed") {
      std::cerr << fmt::format("mamori: action {} is {}: {}\n", done->id, done->state,
                               done->last_error);
      return 1;
    }
    return 0;
  });
}

int RunStatus(Context& ctx, const ActionsArgs& a) {
  return WithResponder(ctx, a, [&](respond::Responder& r, store::Store& store) {
    auto counts = store.CountActionsByState();
    if (!counts) return Fail(counts.error());
    json by_state = json::object();
    for (const auto& [state, n] : *counts) by_state[state] = n;
    json out = {{"kill_switch", r.kill_switch()},
                {"dry_run", r.dry_run()},
                {"devices", r.devices()},
                {"playbooks", r.playbooks()->playbooks.size()},
                {"playbook_errors", r.playbooks()->errors.size()},
                {"counts", by_state}};
    if (a.json) {
      std::cout << rse::ingest::DumpJson(out, 2) << '\n';
      return 0;
    }
    std::cout << fmt::format("kill switch  {}\ndry run      {}\ndevices      {}\nplaybooks    {}"
                             " ({} skipped)\nactions      {}\n",
                             r.kill_switch() ? "ON (automatic actions held)" : "off",
                             r.dry_run() ? "yes" : "no", fmt::join(r.devices(), ", "),
                             r.playbooks()->playbooks.size(), r.playbooks()->errors.size(),
                             by_state.dump());
    return 0;
  });
}

int RunKillSwitch(Context& ctx, const ActionsArgs& a) {
  if (a.on_off != "on" && a.on_off != "off") {
    return Fail(Error{ErrorCode::kInvalidArgument, "say `on` or `off`", "kill-switch"});
  }
  return WithResponder(ctx, a, [&](respond::Responder& r, store::Store&) {
    auto set = r.SetKillSwitch(a.on_off == "on", Actor(), a.comment);
    if (!set) return Fail(set.error());
    std::cout << fmt::format("kill switch {}\n", a.on_off);
    return 0;
  });
}

int RunPlaybooks(Context& ctx, const ActionsArgs& a) {
  auto config = ctx.GetConfig();
  if (!config) return Fail(config.error());
  std::string path = a.playbooks.empty() ? (*config)->respond.playbooks : a.playbooks;
  auto set = respond::LoadPlaybooks(path);
  for (const auto& e : set.errors) std::cerr << "error: " << e.ToString() << '\n';
  for (const auto& p : set.playbooks) {
    std::vector<std::string> kinds;
    for (const auto& act : p.actions) kinds.push_back(act.type);
    std::cout << fmt::format("{:<28}  {:<9}  {:<8}  {}  [{}]\n", p.id, p.mode,
                             p.enabled ? "enabled" : "disabled", p.title,
                             fmt::join(kinds, ", "));
  }
  std::cout << fmt::format("{} playbooks, {} errors ({})\n", set.playbooks.size(),
                           set.errors.size(), path);
  return set.errors.empty() ? 0 : 1;
}

// Evaluates the playbooks against stored detections (or one) now: with [respond] dry_run or
// --dry-run in the config, nothing is touched.
int RunRun(Context& ctx, const ActionsArgs& a) {
  return WithResponder(ctx, a, [&](respond::Responder& r, store::Store& store) {
    std::vector<store::DetectionRecord> detections;
    if (a.detection_id > 0) {
      auto d = store.GetDetection(a.detection_id);
      if (!d) return Fail(d.error());
      if (!*d) {
        return Fail(Error{ErrorCode::kNotFound,
                          fmt::format("no detection with id {}", a.detection_id), "--detection"});
      }
      detections.push_back(**d);
    } else {
      auto query = rse::detect::ParseDetectionQuery({{"since", a.since}, {"limit", "1000"}},
                                                    SystemClock::Instance().Now());
      if (!query) return Fail(query.error());
      auto found = store.ListDetections(*query);
      if (!found) return Fail(found.error());
      detections.assign(found->rbegin(), found->rend());  // oldest first
    }
    std::vector<store::ActionRecord> created;
    for (const auto& d : detections) {
      auto made = r.Handle(d);
      if (!made) return Fail(made.error());
      created.insert(created.end(), made->begin(), made->end());
    }
    if (a.json) {
      json list = json::array();
      for (const auto& c : created) list.push_back(respond::ActionToJson(c, false));
      std::cout << rse::ingest::DumpJson(list, 2) << '\n';
    } else {
      std::cout << fmt::format("{} detections evaluated, {} actions{}\n", detections.size(),
                               created.size(), r.dry_run() ? " (dry run)" : "");
      if (!created.empty()) PrintActions(created);
    }
    return 0;
  });
}

int RunTick(Context& ctx, const ActionsArgs& a) {
  return WithResponder(ctx, a, [&](respond::Responder& r, store::Store&) {
    if (auto ticked = r.Tick(); !ticked) return Fail(ticked.error());
    auto s = r.stats();
    std::cout << fmt::format("expired {}, applied {}, re-applied {}, errors {}\n", s.expired,
                             s.applied, s.reapplied, s.apply_errors);
    return 0;
  });
}

}  // namespace

void RegisterActionsCommands(CLI::App& app, Context& ctx) {
  auto* cmd = AddCommand(
      app, "actions",
      "Countermeasures and recommendations of the response engine (docs/respond.md).\n"
      "Playbooks (rules/playbooks/) turn new detections into actions: automatic ones are\n"
      "applied to the devices, recommendations wait for an operator here or in the console.\n"
      "Examples:\n"
      "  mamori actions list --state proposed\n"
      "  mamori actions approve 12 --comment \"confirmed\" --duration 7200\n"
      "  mamori actions approve 12 --target 203.0.113.0/24   (widen the scope)\n"
      "  mamori actions rollback 9 --comment \"customer VPN\"");
  cmd->require_subcommand(1);
  {
    auto args = std::make_shared<ActionsArgs>();
    auto* list = AddCommand(*cmd, "list", "Newest first. Filters combine (AND).");
    list->add_option("--state", args->filters["state"],
                     "States, comma-separated: proposed, pending, active, done, failed, "
                     "expired, rolled_back, rejected, refused, dry_run");
    list->add_option("--kind", args->filters["kind"], "block_address, block_domain, ...");
    list->add_option("--target", args->filters["target"], "Only this target");
    list->add_option("--playbook", args->filters["playbook"], "Only this playbook id");
    list->add_option("--before", args->filters["before_id"], "Page: only ids below this");
    list->add_option("--limit", args->filters["limit"], "At most N (1-1000, default 100)");
    list->add_flag("--json", args->json, "Print JSON (without evidence; `show` has it)");
    list->callback([&ctx, args] { ctx.exit_code = RunList(ctx, *args); });
  }
  {
    auto args = std::make_shared<ActionsArgs>();
    auto* show = AddCommand(*cmd, "show", "One action with its evidence.");
    show->add_option("id", args->id, "Action id")->required();
    show->add_flag("--json", args->json, "Print JSON");
    show->callback([&ctx, args] { ctx.exit_code = RunShow(ctx, *args); });
  }
  for (const char* verb : {"approve", "reject", "rollback"}) {
    auto args = std::make_shared<ActionsArgs>();
    std::string help =
        std::string(verb) == "approve"
            ? "Carry out a recommendation (optionally for another duration or a wider target)."
        : std::string(verb) == "reject" ? "Decline a recommendation."
                                        : "Undo an active action now.";
    auto* sub = AddCommand(*cmd, verb, help);
    sub->add_option("id", args->id, "Action id")->required();
    sub->add_option("--comment", args->comment, "Why (goes to the audit log)");
    if (std::string(verb) == "approve") {
      sub->add_option("--duration", args->duration_seconds, "Seconds (0: until rolled back)")
          ->check(CLI::Range(int64_t{0}, int64_t{366} * 86400));
      sub->add_option("--target", args->target, "A wider scope, e.g. the /24 of the address");
    }
    sub->add_option("--playbooks", args->playbooks, "Playbook path (default [respond] playbooks)");
    sub->add_flag("--json", args->json, "Print JSON");
    std::string v = verb;
    sub->callback([&ctx, args, v] { ctx.exit_code = RunDecision(ctx, *args, v); });
  }

  auto* resp = AddCommand(app, "respond",
                          "The response engine: status, kill switch, playbooks, and running the\n"
                          "playbooks over stored detections.\n"
                          "Examples:\n"
                          "  mamori respond status\n"
                          "  mamori respond kill-switch on --comment \"incident drill\"\n"
                          "  mamori respond playbooks\n"
                          "  mamori respond run --since 1h\n"
                          "  mamori respond tick   (expire due actions, re-apply lost ones)");
  resp->require_subcommand(1);
  {
    auto args = std::make_shared<ActionsArgs>();
    auto* sub = AddCommand(*resp, "status", "Kill switch, devices, playbooks, actions by state.");
    sub->add_flag("--json", args->json, "Print JSON");
    sub->callback([&ctx, args] { ctx.exit_code = RunStatus(ctx, *args); });
  }
  {
    auto args = std::make_shared<ActionsArgs>();
    auto* sub = AddCommand(*resp, "kill-switch",
                           "Stop (on) or resume (off) automatic actions; while on, playbooks\n"
                           "only recommend. Kept in the store: mamori serve follows it.");
    sub->add_option("state", args->on_off, "on or off")->required();
    sub->add_option("--comment", args->comment, "Why (goes to the audit log)");
    sub->callback([&ctx, args] { ctx.exit_code = RunKillSwitch(ctx, *args); });
  }
  {
    auto args = std::make_shared<ActionsArgs>();
    auto* sub = AddCommand(*resp, "playbooks", "Load and check the playbooks; list them.");
    sub->add_option("--playbooks", args->playbooks, "Path (default [respond] playbooks)");
    sub->callback([&ctx, args] { ctx.exit_code = RunPlaybooks(ctx, *args); });
  }
  {
    auto args = std::make_shared<ActionsArgs>();
    auto* sub = AddCommand(*resp, "run",
                           "Evaluate the playbooks against stored detections now (set\n"
                           "[respond] dry_run = true to see what would happen without acting).");
    sub->add_option("--detection", args->detection_id, "Only this detection id");
    sub->add_option("--since", args->since, "Detections since (default 24h)");
    sub->add_option("--playbooks", args->playbooks, "Path (default [respond] playbooks)");
    sub->add_flag("--json", args->json, "Print the created actions as JSON");
    sub->callback([&ctx, args] { ctx.exit_code = RunRun(ctx, *args); });
  }
  {
    auto args = std::make_shared<ActionsArgs>();
    auto* sub = AddCommand(*resp, "tick",
                           "Expire due actions, retry pending ones, re-apply lost ones (what\n"
                           "mamori serve does every second).");
    sub->callback([&ctx, args] { ctx.exit_code = RunTick(ctx, *args); });
  }
}

}  // namespace mamori::cli
