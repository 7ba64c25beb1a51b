// mamori sim domains: writes a seeded synthetic world of domains (lifecycle, passive DNS,
// popularity, blocklists, ASNs) with ground truth, for demos, tests and evaluation
// (domain/sim/, docs/domain-sim.md).
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/context.h"
#include "domain/sim/world.h"
#include "domain/sim/writers.h"

namespace mamori::cli {

namespace {

namespace dsim = domain::sim;

struct SimDomainsArgs {
  dsim::WorldConfig config;
  std::string start = "2025-01-01";
  std::string mix;
  std::string out;
  bool force = false;
  bool json = false;
};

int RunSimDomains(SimDomainsArgs& a) {
  auto start = dsim::ParseDate(a.start);
  if (!start) return Fail(start.error().WithContext("--start"));
  a.config.start_epoch_day = *start;
  if (!a.mix.empty()) {
    if (auto status = dsim::ApplyMix(a.mix, a.config); !status) {
      return Fail(status.error().WithContext("--mix"));
    }
  }
  if (auto status = dsim::PrepareOutputDir(a.out, a.force); !status) {
    return Fail(status.error().WithContext("--out"));
  }
  bool show = StderrIsTerminal();
  auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  auto progress = [&](std::string_view phase, std::string_view detail) {
    if (!show) return;
    std::fprintf(stderr, "\r\033[Ksim domains: %.*s %.*s (%.1fs)", static_cast<int>(phase.size()),
                 phase.data(), static_cast<int>(detail.size()), detail.data(), elapsed());
    std::fflush(stderr);
  };
  progress("building the world", "");
  auto world = dsim::BuildWorld(a.config);
  if (!world) return Fail(world.error());
  auto written = dsim::WriteWorld(*world, a.out, progress);
  if (show) std::fprintf(stderr, "\r\033[K");
  if (!written) return Fail(written.error());

  auto summary = dsim::WorldSummary(*world);
  if (a.json) {
    nlohmann::json out = nlohmann::json::parse(summary.dump());
    out["out"] = a.out;
    out["files"] = written->files.size();
    out["bytes"] = written->bytes;
    out["seconds"] = elapsed();
    PrintJson(out);
    return 0;
  }
  std::cout << fmt::format("Wrote a synthetic domain world to {} ({} files, {:.1f} MB, {:.1f}s)\n",
                           a.out, written->files.size(), written->bytes / 1e6, elapsed());
  std::cout << fmt::format("  {} domains over {} days from {} (seed {}): {} benign, {} malicious\n",
                           a.config.domains, a.config.days, summary["start"].get<std::string>(),
                           a.config.seed, summary["benign"].get<int>(),
                           summary["malicious"].get<int>());
  for (const auto& [name, kind] : summary["kinds"].items()) {
    std::cout << fmt::format("  {:<15} {:>8}  {}\n", name, kind["count"].get<int>(),
                             kind["malicious"].get<bool>() ? "malicious" : "benign");
  }
  std::cout << fmt::format(
      "  listed by some feed: {} ({} of them benign: feed noise)\n"
      "Ground truth: {}/truth.csv; a defender's labels: {}/labels.csv. Synthetic data: report\n"
      "results on it separately from real data (docs/domain-sim.md).\n",
      summary["listed"].get<int>(), summary["listed_benign"].get<int>(), a.out, a.out);
  return 0;
}

}  // namespace

void RegisterSimDomainsCommand(CLI::App& sim_cmd, Context& ctx) {
  auto args = std::make_shared<SimDomainsArgs>();
  auto& c = args->config;
  auto* cmd = AddCommand(
      sim_cmd, "domains",
      "Write a seeded synthetic world of domains with ground truth (for demos and tests).\n"
      "N domains over M days: stable and new benign sites, random-looking CDN names, drop-caught\n"
      "and moved sites, DGA bursts, re-registered expired domains, attacker domains on reused\n"
      "bulletproof IPs, fast flux and compromised sites. Writes daily zone lists, RDAP, DNSDB\n"
      "JSON lines, Zeek dns.log, top lists, blocklists, ip2asn, truth.csv and labels.csv.\n"
      "Assumptions and what the data can and cannot show: docs/domain-sim.md.\n"
      "Examples:\n"
      "  mamori sim domains --out /tmp/world\n"
      "  mamori sim domains --domains 500 --days 60 --seed 7 --out /tmp/small --force\n"
      "  mamori sim domains --mix dga:0.3,fast-flux:0.05 --out /tmp/dga-heavy --json");
  cmd->add_option("--domains", c.domains, "Number of registrable domains N")->capture_default_str();
  cmd->add_option("--days", c.days, "Number of days M")->capture_default_str();
  cmd->add_option("--seed", c.seed, "Random seed (same parameters, same bytes)")
      ->capture_default_str();
  cmd->add_option("--start", args->start, "First day, YYYY-MM-DD")->capture_default_str();
  cmd->add_option("--zeek-days", c.zeek_days, "Days (the last ones) with Zeek dns.log files")
      ->capture_default_str();
  cmd->add_option("--mix", args->mix,
                  "Kind shares to override, e.g. dga:0.2,compromised:0.1 (kinds: popular, stable, "
                  "new, random-looking, dropcatch, moved-shared, dga, reregistered, attacker, "
                  "fast-flux, compromised; normalized)");
  cmd->add_option("--out", args->out, "Output directory (must be empty unless --force)")
      ->required();
  cmd->add_flag("--force", args->force,
                "Write into a non-empty directory, replacing an earlier world there");
  cmd->add_flag("--json", args->json, "Print the summary as JSON");
  cmd->callback([&ctx, args] { ctx.exit_code = RunSimDomains(*args); });
}

}  // namespace mamori::cli
