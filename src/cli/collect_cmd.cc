// mamori collect: follow logs and detect in the foreground (what `serve` does with
// [collect] inputs, without the API) — for trying inputs and rules, and for systemd units that
// run collection apart from the API.
#include <fmt/format.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/collect_support.h"
#include "cli/respond_support.h"
#include "cli/context.h"
#include "rse/detect/rule.h"
#include "rse/ingest/event_json.h"

namespace mamori::cli {

namespace collect = rse::collect;

Expected<std::shared_ptr<const rse::detect::RuleSet>> LoadRulesForDetection(
    const std::string& rules_path) {
  auto loaded = rse::detect::LoadRules(rules_path);
  // An invalid rule is rejected with file, line and reason; the others keep working.
  for (const auto& e : loaded.errors) spdlog::warn("rule rejected: {}", e.ToString());
  if (loaded.rules.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("no valid detection rule in {} (check with `mamori rules check "
                                 "{}`)",
                                 rules_path, rules_path),
                     rules_path);
  }
  return rse::detect::RuleSet::Compile(std::move(loaded.rules));
}

Expected<RunningCollector> StartCollector(const std::string& rules_path,
                                          collect::CollectorOptions options, store::Store& store,
                                          Clock& clock) {
  RunningCollector running;
  MAMORI_ASSIGN_OR_RETURN(auto rules, LoadRulesForDetection(rules_path));
  running.rules = rules->rules().size();
  running.intel = std::make_unique<rse::detect::StoreIndicatorLookup>(store);
  MAMORI_ASSIGN_OR_RETURN(running.collector,
                          collect::Collector::Start(std::move(options), rules, &store,
                                                    running.intel.get(), clock));
  return running;
}

Expected<collect::CollectorOptions> CollectorOptionsForConfig(const Config& cfg) {
  collect::CollectorOptions options;
  MAMORI_ASSIGN_OR_RETURN(options.inputs, collect::ParseInputSpecs(cfg.collect.inputs));
  options.queue_capacity = static_cast<size_t>(cfg.collect.queue_capacity);
  options.sync_interval = std::chrono::milliseconds(cfg.collect.sync_interval_ms);
  options.start_at = cfg.collect.start_at == "end" ? collect::FileFollowerOptions::StartAt::kEnd
                                                   : collect::FileFollowerOptions::StartAt::kBeginning;
  return options;
}

namespace {

using nlohmann::json;

struct CollectArgs {
  std::vector<std::string> inputs;
  std::string rules;
  int status_seconds = 0;
  bool json = false;
  bool respond = false;
};

void PrintStatus(const collect::CollectorStatus& s) {
  for (const auto& i : s.inputs) {
    std::cerr << fmt::format(
        "{}: {} lines, {} events, {} malformed, {} matched, {} detections{}\n", i.input,
        WithThousands(static_cast<int64_t>(i.counts.lines)),
        WithThousands(static_cast<int64_t>(i.counts.events)),
        WithThousands(static_cast<int64_t>(i.counts.malformed)), WithThousands(i.matched_events),
        i.detections_opened, i.last_error.empty() ? "" : "; last error: " + i.last_error);
  }
  uint64_t drops = s.udp.dropped_queue_full + s.udp.kernel_drops;
  if (drops > 0) {
    std::cerr << fmt::format("syslog UDP: {} messages dropped ({} queue full, {} by the kernel)\n",
                             drops, s.udp.dropped_queue_full, s.udp.kernel_drops);
  }
}

int Collect(Context& ctx, const CollectArgs& args) {
  // Stop signals go to the main thread's sigtimedwait below, never to the collector's threads.
  sigset_t signals = BlockStopSignals();
  ctx.options.quiet_info = false;

  auto config = ctx.GetConfig();
  if (!config) return Fail(config.error());
  auto options = CollectorOptionsForConfig(**config);
  if (!options) return Fail(options.error());
  if (!args.inputs.empty()) {
    options->inputs.clear();
    for (const auto& text : args.inputs) {
      auto spec = collect::ParseInputSpec(text);
      if (!spec) return Fail(spec.error());
      options->inputs.push_back(std::move(*spec));
    }
  }
  if (options->inputs.empty()) {
    return Fail(Error{ErrorCode::kInvalidArgument,
                      "nothing to collect: give --input FORMAT@SOURCE (or set [collect] inputs)",
                      "mamori collect"});
  }
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  std::string rules = args.rules.empty() ? (*config)->collect.rules : args.rules;
  // With --respond, new detections go to the playbooks as in `mamori serve`.
  std::optional<ResponderSetup> responding;
  if (args.respond) {
    auto setup = MakeResponderForConfig(**config, **store, SystemClock::Instance());
    if (!setup) return Fail(setup.error());
    responding = std::move(*setup);
    rse::respond::Responder* responder = responding->responder.get();
    options->on_new_detections = [responder](std::vector<store::DetectionRecord> d) {
      responder->Submit(std::move(d));
    };
    responder->Start();
  }
  auto running = StartCollector(rules, *options, **store, SystemClock::Instance());
  if (!running) return Fail(running.error());
  auto& collector = *running->collector;
  for (const auto& e : collector.status().endpoints) {
    spdlog::info("listening for syslog on {} {}", e.transport == collect::Transport::kUdp ? "udp" : "tcp",
                 e.address);
  }
  spdlog::info("collecting from {} inputs with {} rules; Ctrl-C stops", options->inputs.size(),
               running->rules);

  auto last_status = std::chrono::steady_clock::now();
  while (!collector.Finished()) {
    timespec wait{0, 200'000'000};
    int sig = sigtimedwait(&signals, nullptr, &wait);
    if (sig == SIGINT || sig == SIGTERM) {
      spdlog::info("received signal {}, stopping", sig);
      break;
    }
    if (args.status_seconds > 0 &&
        std::chrono::steady_clock::now() - last_status >= std::chrono::seconds(args.status_seconds)) {
      last_status = std::chrono::steady_clock::now();
      PrintStatus(collector.status());
    }
  }
  collector.Stop();
  if (responding) {
    responding->responder->Drain();
    responding->responder->Stop();
  }
  auto status = collector.status();
  if (args.json) {
    std::cout << rse::ingest::DumpJson(collect::CollectorStatusToJson(status), 2) << '\n';
  } else {
    PrintStatus(status);
  }
  return 0;
}

}  // namespace

void RegisterCollectCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CollectArgs>();
  auto* cmd = AddCommand(
      app, "collect",
      "Follow logs and detect attacks in them, in the foreground, until Ctrl-C (or until stdin\n"
      "ends when it is the only input). Each input is FORMAT@SOURCE: a file followed like\n"
      "`tail -F` (offsets kept in the store: a restart neither loses nor repeats lines), syslog\n"
      "over udp:// or tcp://, or '-' for stdin. Detections and intel sightings go to the store\n"
      "(`mamori detections list`). `mamori serve` does the same for [collect] inputs.\n"
      "Examples:\n"
      "  mamori collect --input sshd@/var/log/auth.log --input nginx-combined@/var/log/nginx/access.log\n"
      "  mamori collect --input syslog-auto@udp://0.0.0.0:5514 --status 10\n"
      "  journalctl -f -o short-iso -u ssh | mamori collect --input sshd@-");
  cmd->add_option("--input", args->inputs, "FORMAT@SOURCE (repeatable; default [collect] inputs)")
      ->type_name("SPEC");
  cmd->add_option("--rules", args->rules, "Rule file or directory (default [collect] rules)")
      ->type_name("PATH");
  cmd->add_option("--status", args->status_seconds, "Print counters every N seconds (stderr)")
      ->type_name("N");
  cmd->add_flag("--json", args->json, "At the end, print the counters as JSON");
  cmd->add_flag("--respond", args->respond,
                "Run the playbooks ([respond] playbooks) on new detections, as mamori serve does");
  cmd->callback([&ctx, args] { ctx.exit_code = Collect(ctx, *args); });
}

}  // namespace mamori::cli
