// mamori serve: the main job — store, sample feeds on first start, scheduler, HTTP API, and
// log collection with detection when [collect] inputs are set.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/context.h"
#include "cli/domain_assessor.h"
#include "cli/domain_support.h"
#include "domain/category/toolkit.h"
#include "domain/reputation/service.h"
#include "cli/feeds_support.h"
#include "feeds/sample_feeds.h"
#include "cli/collect_support.h"
#include "cli/respond_support.h"
#include "feeds/scheduler.h"
#include "feeds/updater.h"
#include "rse/blocklist/published.h"
#include "rse/blocklist/publisher.h"
#include "rse/blocklist/rebuild_scheduler.h"
#include "server/api_server.h"
#include "server/sample_queue.h"

namespace mamori::cli {

namespace {

struct ServeArgs {
  std::string listen;
  int port = 0;
  bool no_scheduler = false;
  std::string reputation_model;
  std::vector<std::string> asn;
};

int Serve(Context& ctx, const ServeArgs& args) {
  // Block the stop signals in every thread we start; the main thread waits for them below.
  sigset_t signals = BlockStopSignals();
  ctx.options.quiet_info = false;

  auto config = ctx.GetConfig();
  if (!config) return Fail(config.error());
  Config& cfg = **config;
  if (!args.listen.empty()) cfg.server.listen = args.listen;
  if (args.port != 0) cfg.server.port = args.port;
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  Clock& clock = SystemClock::Instance();
  // Bad [collect] inputs fail the start before anything runs.
  auto collect_options = CollectorOptionsForConfig(cfg);
  if (!collect_options) return Fail(collect_options.error());

  auto sources = (*store)->ListSources();
  if (!sources) return Fail(sources.error());
  if (sources->empty() && cfg.feeds.load_sample_feeds) {
    std::string dir = feeds::FindSampleFeedsDir(cfg.feeds.sample_feeds_dir);
    if (dir.empty()) {
      spdlog::warn("no sample feeds found (looked for {}/sources.json); starting empty",
                   cfg.feeds.sample_feeds_dir);
    } else {
      auto added = feeds::AddSampleFeeds(**store, dir, clock.Now());
      if (!added) return Fail(added.error());
      spdlog::info("first start: added {} sample feeds from {}", added->size(), dir);
    }
  }

  auto http = feeds::MakeCurlHttpClient(HttpOptionsForConfig(cfg), clock);
  feeds::FeedUpdater updater(**store, *http, clock, UpdateOptionsForConfig(cfg));
  feeds::Scheduler scheduler(**store, updater, clock);

  // Device lists: what was last published is served at once; rebuilds follow in the background.
  auto profiles = rse::blocklist::LoadProfilesForConfig(cfg);
  if (!profiles) return Fail(profiles.error());
  auto warnings = rse::blocklist::LoadWarningListsForConfig(cfg);
  if (!warnings) return Fail(warnings.error());
  rse::blocklist::PublishedLists published{std::filesystem::path(cfg.blocklist.output_dir)};
  if (auto loaded = published.LoadFromDisk(*profiles); !loaded) {
    spdlog::warn("previous blocklists not loaded: {}", loaded.error().ToString());
  }
  rse::blocklist::RebuildScheduler rebuilds(**store, clock, *profiles, &*warnings,
                                            rse::blocklist::SettingsFromConfig(cfg), published);

  // Domain categorization for GET /api/v1/domains/<name>/category (docs/domain-categories.md).
  // Without it the endpoint answers 503; the rest of the server does not need it.
  std::unique_ptr<domain::CategorizerToolkit> domains;
  if (auto kit = domain::CategorizerToolkit::Build({}); kit) {
    domains = std::move(*kit);
  } else {
    spdlog::warn("domain categorization is off: {}", kit.error().ToString());
  }

  // Domain reputation for GET /api/v1/domains/<name> (docs/domain-reputation.md): the model of
  // --reputation-model or the built-in one, over the store's evidence, reloaded every 5 minutes.
  std::unique_ptr<domain::reputation::ReputationService> reputation;
  {
    auto model = LoadReputationModel(args.reputation_model);
    auto annotate = OpenAddressAnnotator(args.asn);
    if (model && annotate) {
      reputation = std::make_unique<domain::reputation::ReputationService>(
          **store, clock, std::move(*model), std::move(*annotate));
    } else {
      const Error& e = model ? annotate.error() : model.error();
      if (!args.reputation_model.empty() || !args.asn.empty()) return Fail(e);
      spdlog::warn("domain reputation is off: {}", e.ToString());
    }
  }

  // The response engine: new detections go to the playbooks (docs/respond.md).
  std::optional<ResponderSetup> responding;
  if (cfg.respond.enabled) {
    auto setup = MakeResponderForConfig(cfg, **store, clock);
    if (!setup) return Fail(setup.error());
    responding = std::move(*setup);
    rse::respond::Responder* responder = responding->responder.get();
    // The engine asks the domain subsystem about domains it would act on: playbook conditions
    // on reputation and category, and the reasons and countermeasure in an action's evidence.
    // (Declared before the engine, the services outlive it.)
    if (domains || reputation) {
      responder->set_domain_assessor(
          MakeDomainAssessor(domains ? &domains->categorizer() : nullptr, reputation.get()));
    }
    collect_options->on_new_detections = [responder](std::vector<store::DetectionRecord> d) {
      responder->Submit(std::move(d));
    };
    responder->Start();
    spdlog::info("responding with {} playbooks on devices {}{}{}",
                 responder->playbooks()->playbooks.size(), fmt::join(responder->devices(), ", "),
                 responder->dry_run() ? " (dry run)" : "",
                 responder->kill_switch() ? " (kill switch on: recommending only)" : "");
  }

  // Log collection and detection, when [collect] inputs are configured.
  std::optional<RunningCollector> collecting;
  if (!collect_options->inputs.empty()) {
    auto running = StartCollector(cfg.collect.rules, *collect_options, **store, clock);
    if (!running) return Fail(running.error());
    spdlog::info("collecting from {} inputs with {} rules (`mamori detections list`)",
                 collect_options->inputs.size(), running->rules);
    collecting = std::move(*running);
  }

  // Malware samples submitted to the API, analysed in worker processes (docs/malware.md).
  std::unique_ptr<server::SampleQueue> samples;
  if (cfg.analysis.enabled) {
    samples = std::make_unique<server::SampleQueue>(**store, clock,
                                                    server::SampleQueueOptionsForConfig(cfg));
    if (auto started = samples->Start(); !started) return Fail(started.error());
  }

  server::ServerOptions server_options;
  server_options.categorizer = domains ? &domains->categorizer() : nullptr;
  server_options.reputation = reputation.get();
  server_options.samples = samples.get();
  server_options.max_sample_bytes = static_cast<size_t>(cfg.analysis.max_sample_mb) << 20;
  server_options.collector = collecting ? collecting->collector.get() : nullptr;
  server_options.responder = responding ? responding->responder.get() : nullptr;
  server_options.listen = cfg.server.listen;
  server_options.port = cfg.server.port;
  server_options.require_auth = cfg.server.require_auth;
  server_options.session_hours = cfg.server.session_hours;
  server_options.tls_cert = cfg.server.tls_cert;
  server_options.tls_key = cfg.server.tls_key;
  server_options.published = &published;
  server_options.profiles = *profiles;
  server::ApiServer api(**store, clock, server_options);
  if (auto started = api.Start(); !started) return Fail(started.error());

  std::string base = fmt::format("{}://{}:{}", cfg.server.tls_cert.empty() ? "http" : "https",
                                 cfg.server.listen, api.port());
  if (cfg.server.require_auth) {
    auto users = (*store)->ListUsers();
    if (users && users->empty()) {
      spdlog::warn("no accounts yet: the API needs one (mamori users add NAME --role admin, or "
                   "mamori tokens create NAME --role viewer for scripts)");
    }
  }
  std::cout << fmt::format(
                   "mamori is serving on {} (store: {})\n"
                   "  open   {}/                       the web console (log in with an account)\n"
                   "  try    curl {}/api/v1/health\n"
                   "         curl -H \"Authorization: Bearer $TOKEN\" {}/api/v1/sources\n"
                   "           (TOKEN=$(mamori tokens create me --role viewer --db {}))\n"
                   "         mamori intel lookup 1.11.234.99 --db {}\n"
                   "Press Ctrl-C to stop.\n",
                   base, cfg.store.path, base, base, base, cfg.store.path, cfg.store.path)
            << std::flush;

  if (cfg.scheduler.enabled && !args.no_scheduler) {
    scheduler.Start(std::chrono::seconds(cfg.scheduler.tick_seconds));
  }
  if (cfg.blocklist.build_on_serve && !profiles->empty()) {
    rebuilds.Start(std::chrono::seconds(cfg.scheduler.tick_seconds));
  }
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("received signal {}, stopping", signal_number);
  if (collecting) collecting->collector->Stop();
  if (responding) responding->responder->Stop();
  rebuilds.Stop();
  scheduler.Stop();
  api.Stop();
  if (samples) samples->Stop();
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ServeArgs>();
  auto* serve = AddCommand(
      app, "serve",
      "Run mamori: the web console and JSON API, the feed scheduler, log collection\n"
      "([collect] inputs) and the response engine ([respond] playbooks).\n"
      "On the first start with an empty store it adds the sample feeds from data/feeds/.\n"
      "Examples:\n  mamori serve\n  mamori serve --port 9090 --db /var/lib/mamori/mamori.db");
  serve->add_option("--listen", args->listen, "Address to bind (default [server] listen)");
  serve->add_option("--port", args->port, "Port (default [server] port, 8080)")
      ->check(CLI::Range(1, 65535));
  serve->add_flag("--no-scheduler", args->no_scheduler, "Serve only; do not refresh feeds");
  serve->add_option("--reputation-model", args->reputation_model,
                    "Reputation model for GET /api/v1/domains/<name> (default: the built-in one)")
      ->type_name("FILE");
  serve->add_option("--asn", args->asn,
                    "IP → ASN/country database for reputation: .mmdb or iptoasn TSV (repeatable)")
      ->type_name("FILE");
  serve->callback([&ctx, args] { ctx.exit_code = Serve(ctx, *args); });
}

}  // namespace mamori::cli
