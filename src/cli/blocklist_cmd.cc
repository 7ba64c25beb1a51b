// mamori blocklist profiles|build|explain|history
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/context.h"
#include "core/indicator.h"
#include "rse/blocklist/publisher.h"

namespace mamori::cli {

namespace {

using nlohmann::json;
namespace bl = rse::blocklist;

std::string Time(UnixSeconds t) { return t ? FormatIso8601(t) : std::string("-"); }

std::string CapacityText(const bl::Capacity& c) {
  std::string out;
  auto add = [&](const char* name, int64_t n) {
    if (n <= 0) return;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", WithThousands(n), name);
  };
  add("ip", c.ip);
  add("domain", c.domain);
  add("url", c.url);
  add("hash", c.hash);
  if (c.total > 0) out += fmt::format(" (total {})", WithThousands(c.total));
  return out;
}

// Everything a build needs from the configuration, loaded once.
struct BuildContext {
  Config* config = nullptr;
  store::Store* store = nullptr;
  std::vector<bl::DeviceProfile> profiles;
  std::optional<intel::WarningLists> warnings;
  bl::BuildSettings settings;
};

Expected<BuildContext> LoadBuildContext(Context& ctx) {
  BuildContext b;
  MAMORI_ASSIGN_OR_RETURN(b.config, ctx.GetConfig());
  MAMORI_ASSIGN_OR_RETURN(b.store, ctx.GetStore());
  MAMORI_ASSIGN_OR_RETURN(b.profiles, bl::LoadProfilesForConfig(*b.config));
  MAMORI_ASSIGN_OR_RETURN(auto warnings, bl::LoadWarningListsForConfig(*b.config));
  b.warnings = std::move(warnings);
  b.settings = bl::SettingsFromConfig(*b.config);
  return b;
}

int Profiles(Context& ctx, bool as_json) {
  auto config = ctx.GetConfig();
  if (!config) return Fail(config.error());
  auto profiles = bl::LoadProfilesForConfig(**config);
  if (!profiles) return Fail(profiles.error());
  if (as_json) {
    json out = json::array();
    for (const auto& p : *profiles) {
      out.push_back({{"name", p.name},
                     {"kind", bl::DeviceKindName(p.kind)},
                     {"description", p.description},
                     {"capacity",
                      {{"ip", p.capacity.ip},
                       {"domain", p.capacity.domain},
                       {"url", p.capacity.url},
                       {"hash", p.capacity.hash},
                       {"total", p.capacity.total}}},
                     {"wildcard_domains", p.wildcard_domains},
                     {"refresh_seconds", p.refresh_seconds},
                     {"served", !p.auth.bearer_token_sha256.empty() || !p.auth.basic_user.empty()},
                     {"path", p.path.string()}});
    }
    PrintJson(out);
    return 0;
  }
  if (profiles->empty()) {
    std::cout << "no device profiles found (see [blocklist] profiles_dir in mamori.toml)\n";
    return 0;
  }
  for (const auto& p : *profiles) {
    std::cout << fmt::format("{:<22} {:<15} {}\n", p.name, bl::DeviceKindName(p.kind),
                             CapacityText(p.capacity));
  }
  return 0;
}

void PrintLines(const std::vector<bl::CoverageLine>& lines, const char* heading) {
  if (lines.empty()) return;
  std::cout << fmt::format("  {:<24} {:>12} {:>12} {:>8}\n", heading, "listed", "kept", "priority");
  for (const auto& l : lines) {
    double share = l.priority > 0 ? 100.0 * l.covered / l.priority : 0.0;
    std::cout << fmt::format("  {:<24} {:>12} {:>12} {:>7.1f}%\n", l.name.empty() ? "-" : l.name,
                             WithThousands(l.candidates), WithThousands(l.selected), share);
  }
}

void PrintBuild(const bl::DeviceProfile& profile, const bl::ProfileBuild& build, bool verbose) {
  const auto& c = build.selection.coverage;
  double share = c.total_priority > 0 ? 100.0 * c.covered_priority / c.total_priority : 0.0;
  std::cout << fmt::format(
      "{}: {} entries ({} aggregates) of capacity {}; covers {} of {} candidates, {:.1f}% of "
      "the total priority\n",
      profile.name, WithThousands(c.entries), WithThousands(c.aggregates),
      CapacityText(profile.capacity), WithThousands(c.covered_candidates),
      WithThousands(c.candidates), share);
  std::cout << fmt::format("  since the last build: +{} added, -{} removed, {} kept\n",
                           WithThousands(c.added), WithThousands(c.removed), WithThousands(c.kept));
  if (c.dropped_protected > 0) {
    std::cout << fmt::format("  {} listed values touch protected addresses (kept out or split)\n",
                             WithThousands(c.dropped_protected));
  }
  if (build.render.skipped > 0) {
    std::cout << fmt::format("  {} entries the {} format cannot express were skipped\n",
                             WithThousands(build.render.skipped), bl::DeviceKindName(profile.kind));
  }
  if (!build.written.empty()) std::cout << "  written to " << build.written.string() << "\n";
  if (verbose) {
    PrintLines(c.by_category, "category");
    PrintLines(c.by_source, "source");
  }
}

struct BuildArgs {
  std::vector<std::string> profiles;
  bool all = false;
  std::string out;
  bool dry_run = false;
  bool json = false;
  bool verbose = false;
};

int Build(Context& ctx, const BuildArgs& a) {
  auto b = LoadBuildContext(ctx);
  if (!b) return Fail(b.error());
  std::vector<const bl::DeviceProfile*> chosen;
  if (a.all) {
    for (const auto& p : b->profiles) chosen.push_back(&p);
  }
  for (const auto& name : a.profiles) {
    const bl::DeviceProfile* p = bl::FindProfile(b->profiles, name);
    if (!p) {
      std::string known;
      for (const auto& q : b->profiles) known += (known.empty() ? "" : ", ") + q.name;
      return Fail(Error{ErrorCode::kNotFound,
                        fmt::format("no device profile named '{}' (known: {})", name, known),
                        "--profile"});
    }
    chosen.push_back(p);
  }
  if (chosen.empty()) {
    return Fail(Error{ErrorCode::kInvalidArgument, "name a profile with --profile, or use --all",
                      "blocklist build"});
  }
  if (!a.out.empty() && chosen.size() != 1) {
    return Fail(Error{ErrorCode::kInvalidArgument, "--out needs exactly one --profile", a.out});
  }
  UnixSeconds now = SystemClock::Instance().Now();
  bool terminal = StderrIsTerminal() && !a.json;
  auto scored = bl::ScoreAll(*b->store, &*b->warnings, b->settings, now, [&](int64_t n) {
    if (terminal) std::cerr << fmt::format("\rscoring: {} listings read", WithThousands(n));
  });
  if (terminal) std::cerr << "\r\033[K";
  if (!scored) return Fail(scored.error());

  bl::PublishedLists published{std::filesystem::path(b->config->blocklist.output_dir)};
  bl::PublishOptions options;
  options.dry_run = a.dry_run;
  if (!a.out.empty()) options.out = std::filesystem::path(a.out);
  json report = json::array();
  int exit_code = 0;
  for (const bl::DeviceProfile* profile : chosen) {
    bl::ProfileBuild build =
        bl::BuildAndPublish(*b->store, *scored, *profile, b->settings, &published, options, now);
    if (!build.status) {
      exit_code = Fail(build.status.error());
      if (a.json)
        report.push_back({{"profile", profile->name}, {"error", build.status.error().ToString()}});
      continue;
    }
    if (a.json) {
      json one = bl::CoverageJson(*profile, build.selection.coverage);
      one["written"] = build.written.string();
      one["skipped"] = build.render.skipped;
      report.push_back(std::move(one));
    } else {
      PrintBuild(*profile, build, a.verbose);
    }
  }
  if (a.json) {
    PrintJson({{"built_at", FormatIso8601(now)},
               {"candidates", scored->input.candidates.size()},
               {"listings_read", scored->listings_read},
               {"excluded",
                {{"allowlist", scored->excluded.allowlist},
                 {"warninglist", scored->excluded.warninglist},
                 {"zero_priority", scored->excluded.zero_priority}}},
               {"profiles", report}});
  } else if (scored->excluded.allowlist + scored->excluded.warninglist > 0) {
    std::cout << fmt::format("never blocked: {} allowlisted, {} on warning lists\n",
                             WithThousands(scored->excluded.allowlist),
                             WithThousands(scored->excluded.warninglist));
  }
  return exit_code;
}

json ExplanationJson(const bl::Explanation& e) {
  const auto& p = e.priority;
  json sources = json::array();
  for (const auto& s : p.sources) {
    sources.push_back({{"source", s.evidence.source},
                       {"reliability", s.evidence.reliability},
                       {"confidence", s.evidence.confidence},
                       {"category", s.evidence.category},
                       {"first_listed", Time(s.evidence.first_listed)},
                       {"last_seen", Time(s.evidence.last_seen)},
                       {"delisted_at", s.evidence.delisted_at ? Time(s.evidence.delisted_at) : ""},
                       {"age_days", s.age_seconds / 86400.0},
                       {"decay", s.decay},
                       {"accumulating_source", s.evidence.accumulating},
                       {"probability", s.probability}});
  }
  return {
      {"indicator", {{"type", IndicatorTypeName(p.indicator.type)}, {"value", p.indicator.value}}},
      {"known", e.known},
      {"sources", sources},
      {"evidence", p.evidence},
      {"own_findings", p.own_finding},
      {"malice", p.combined},
      {"sightings", p.sightings},
      {"relevance", p.relevance},
      {"category", p.category},
      {"severity", p.severity},
      {"priority", p.priority},
      {"excluded", e.excluded_by ? json(*e.excluded_by) : json(nullptr)}};
}

int Explain(Context& ctx, const std::string& value, bool as_json) {
  auto b = LoadBuildContext(ctx);
  if (!b) return Fail(b.error());
  auto normalized = NormalizeIndicator(value);
  if (!normalized) return Fail(normalized.error());
  UnixSeconds now = SystemClock::Instance().Now();
  auto e = bl::ExplainIndicator(*b->store, &*b->warnings, normalized->indicator, b->settings, now);
  if (!e) return Fail(e.error());
  if (as_json) {
    PrintJson(ExplanationJson(*e));
    return e->known ? 0 : 3;
  }
  const auto& p = e->priority;
  std::cout << fmt::format("{} {}\n", IndicatorTypeName(p.indicator.type), p.indicator.value);
  if (e->excluded_by) std::cout << "  NEVER BLOCKED: " << *e->excluded_by << "\n";
  if (!e->known) std::cout << "  not listed by any source and never sighted\n";
  for (const auto& s : p.sources) {
    std::cout << fmt::format(
        "  {:<24} reliability {:>3} × confidence {:>3} × decay {:.3f} (last seen {}, {:.1f} d "
        "ago{}) = {:.3f}  [{}]\n",
        s.evidence.source, s.evidence.reliability,
        s.evidence.confidence >= 0 ? std::to_string(s.evidence.confidence) : "-", s.decay,
        Time(s.evidence.last_seen), s.age_seconds / 86400.0,
        s.evidence.delisted_at    ? ", delisted"
        : s.evidence.accumulating ? ", aged from first listing: the source never delists"
                                  : "",
        s.probability,
        s.evidence.category.empty() ? "-" : s.evidence.category);
  }
  std::cout << fmt::format("  sources combined (noisy-OR)  {:.3f}\n", p.evidence);
  std::cout << fmt::format("  our own findings             {:.3f}\n", p.own_finding);
  std::cout << fmt::format("  malice (with own findings)   {:.3f}\n", p.combined);
  std::cout << fmt::format("  log sightings                {:.3f}{}\n", p.sightings,
                           e->logs_connected ? "" : " (no logs connected: relevance not judged)");
  std::cout << fmt::format("  relevance                    {:.3f}\n", p.relevance);
  std::cout << fmt::format("  severity ({})  {:.2f}\n", p.category.empty() ? "unknown" : p.category,
                           p.severity);
  std::cout << fmt::format("  priority = 100 × {:.2f} × {:.3f} × {:.3f} = {:.1f}{}\n", p.severity,
                           p.combined, p.relevance, p.priority,
                           p.excluded ? " → 0 (excluded)" : "");
  return e->known ? 0 : 3;
}

int History(Context& ctx, const std::string& profile, int limit, bool as_json) {
  auto store = ctx.GetStore();
  if (!store) return Fail(store.error());
  auto builds = (*store)->ListBlocklistBuilds(profile, limit);
  if (!builds) return Fail(builds.error());
  if (as_json) {
    json out = json::array();
    for (const auto& b : *builds) {
      out.push_back({{"id", b.id},
                     {"built_at", Time(b.built_at)},
                     {"status", b.status},
                     {"error", b.error},
                     {"entries", b.entries},
                     {"share", b.total_priority > 0 ? b.covered_priority / b.total_priority : 0.0},
                     {"report", json::parse(b.report_json, nullptr, false)}});
    }
    PrintJson(out);
    return 0;
  }
  if (builds->empty()) std::cout << "no builds of " << profile << " yet\n";
  for (const auto& b : *builds) {
    if (b.status == "ok") {
      std::cout << fmt::format(
          "{}  ok      {} entries, {:.1f}% of the priority\n", Time(b.built_at),
          WithThousands(b.entries),
          b.total_priority > 0 ? 100 * b.covered_priority / b.total_priority : 0.0);
    } else {
      std::cout << fmt::format("{}  FAILED  {}\n", Time(b.built_at), b.error);
    }
  }
  return 0;
}

}  // namespace

void RegisterBlocklistCommands(CLI::App& app, Context& ctx) {
  auto* cmd = AddCommand(app, "blocklist",
                         "Build prioritized blocklists that fit each firewall/UTM's capacity");
  cmd->require_subcommand(1);

  auto profiles_json = std::make_shared<bool>(false);
  auto* profiles = AddCommand(*cmd, "profiles",
                              "Device profiles: kind and capacity of each device list.\n"
                              "Shipped profiles come from data/profiles; yours from [blocklist]\n"
                              "profiles_dir (docs/formats/device-profile.md).\n"
                              "Example:\n  mamori blocklist profiles --json");
  profiles->add_flag("--json", *profiles_json, "Print as JSON");
  profiles->callback([&ctx, profiles_json] { ctx.exit_code = Profiles(ctx, *profiles_json); });

  auto build_args = std::make_shared<BuildArgs>();
  auto* build = AddCommand(
      *cmd, "build",
      "Score every listed indicator and select, per device profile, the entries worth most\n"
      "within its capacity, in the device's format. The list is written to [blocklist]\n"
      "output_dir/<profile>.<ext> (what `mamori serve` hands out at /edl/<profile>.txt) or to\n"
      "--out, atomically; a failed build leaves the previous list in place.\n"
      "Examples:\n  mamori blocklist build --profile paloalto-ip\n"
      "  mamori blocklist build --all --json\n"
      "  mamori blocklist build --profile nftables --out /etc/nftables.d/mamori.nft\n"
      "  mamori blocklist build --profile paloalto-domain --dry-run -v");
  build->add_option("-p,--profile", build_args->profiles, "Device profile (repeatable)");
  build->add_flag("--all", build_args->all, "Build every profile");
  build->add_option("-o,--out", build_args->out, "Write the list to this file instead");
  build->add_flag("-n,--dry-run", build_args->dry_run, "Select and report; write nothing");
  build->add_flag("-v,--verbose", build_args->verbose, "Coverage per category and per source");
  build->add_flag("--json", build_args->json, "Print the coverage report as JSON");
  build->callback([&ctx, build_args] { ctx.exit_code = Build(ctx, *build_args); });

  auto explain_value = std::make_shared<std::string>();
  auto explain_json = std::make_shared<bool>(false);
  auto* explain = AddCommand(
      *cmd, "explain",
      "Why an indicator has the priority it has: each source's reliability, confidence and\n"
      "decay, the noisy-OR, local sightings, severity, and any allowlist that protects it.\n"
      "Exit status: 0 known, 3 unknown, 1 error.\n"
      "Examples:\n  mamori blocklist explain 203.0.113.7\n"
      "  mamori blocklist explain evil.example --json");
  explain->add_option("indicator", *explain_value, "IP, CIDR, domain, URL or hash")->required();
  explain->add_flag("--json", *explain_json, "Print as JSON");
  explain->callback([&ctx, explain_value, explain_json] {
    ctx.exit_code = Explain(ctx, *explain_value, *explain_json);
  });

  auto history_profile = std::make_shared<std::string>();
  auto history_limit = std::make_shared<int>(20);
  auto history_json = std::make_shared<bool>(false);
  auto* history = AddCommand(*cmd, "history",
                             "Recent builds of a profile, failed ones with their error.\n"
                             "Example:\n  mamori blocklist history paloalto-ip --json");
  history->add_option("profile", *history_profile, "Device profile")->required();
  history->add_option("-n,--limit", *history_limit, "How many builds")->check(CLI::Range(1, 1000));
  history->add_flag("--json", *history_json, "Print as JSON");
  history->callback([&ctx, history_profile, history_limit, history_json] {
    ctx.exit_code = History(ctx, *history_profile, *history_limit, *history_json);
  });
}

}  // namespace mamori::cli
