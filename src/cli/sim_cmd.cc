// mamori sim blocklist
#include <fmt/format.h>

#include <cstdio>
#include <iostream>

#include "cli/context.h"
#include "rse/blocklist/sim/simulator.h"

namespace mamori::cli {

namespace {

namespace sim = rse::blocklist::sim;

struct SimArgs {
  sim::SimConfig config;
  std::string item_class = "ipv4";
  std::string category_mix, category_rate, category_lifetime;
  std::vector<int> cluster_size, cdn_size;
  double decay_days = -1, decay_delta = -1;
  std::string severity;
  bool json = false;
};

// Applies "name:value" overrides to the class's categories; new names are added (rate 1,
// lifetime 10 days, share 0 unless given).
Status ApplyCategoryOverrides(const SimArgs& a, std::vector<sim::CategoryModel>& categories) {
  struct Field {
    const std::string& text;
    const char* flag;
    double sim::CategoryModel::*member;
  };
  for (const Field& field : {Field{a.category_mix, "--category-mix", &sim::CategoryModel::share},
                             Field{a.category_rate, "--category-rate",
                                   &sim::CategoryModel::attempt_rate},
                             Field{a.category_lifetime, "--category-lifetime",
                                   &sim::CategoryModel::lifetime_days}}) {
    if (field.text.empty()) continue;
    auto values = sim::ParseNamedValues(field.text);
    if (!values) return tl::unexpected(values.error().WithContext(field.flag));
    for (const auto& [name, value] : *values) {
      auto it = std::find_if(categories.begin(), categories.end(),
                             [&](const auto& c) { return c.name == name; });
      if (it == categories.end()) {
        categories.push_back({name, 0, 1, 10});
        it = categories.end() - 1;
      }
      (*it).*field.member = value;
    }
  }
  return Ok();
}

int RunSim(SimArgs& a) {
  sim::SimConfig& c = a.config;
  if (a.item_class == "ipv4") {
    c.item_class = sim::SimClass::kIpv4;
  } else if (a.item_class == "domain") {
    c.item_class = sim::SimClass::kDomain;
  } else {
    return Fail(Error{ErrorCode::kInvalidArgument, "expected ipv4 or domain", "--class"});
  }
  if (a.cluster_size.size() == 2) c.cluster_min = a.cluster_size[0], c.cluster_max = a.cluster_size[1];
  if (a.cdn_size.size() == 2) c.cdn_min = a.cdn_size[0], c.cdn_max = a.cdn_size[1];
  c.categories = sim::DefaultCategories(c.item_class);
  auto& decay = c.item_class == sim::SimClass::kIpv4 ? c.scoring.ip : c.scoring.domain;
  if (a.decay_days > 0) decay.tau_seconds = a.decay_days * 86400;
  if (a.decay_delta > 0) decay.delta = a.decay_delta;
  if (!a.severity.empty()) {
    auto values = sim::ParseNamedValues(a.severity);
    if (!values) return Fail(values.error().WithContext("--severity"));
    for (const auto& [name, value] : *values) c.scoring.severity[name] = value;
  }
  if (auto status = ApplyCategoryOverrides(a, c.categories); !status) return Fail(status.error());

  bool show = StderrIsTerminal();
  auto start = std::chrono::steady_clock::now();
  auto progress = [&](std::string_view phase, std::string_view detail) {
    if (!show) return;
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "\r\033[Ksim: %.*s %.*s (%.1fs)", static_cast<int>(phase.size()),
                 phase.data(), static_cast<int>(detail.size()), detail.data(), elapsed);
    std::fflush(stderr);
  };
  auto report = sim::RunBlocklistSim(c, progress);
  if (show) std::fprintf(stderr, "\r\033[K");
  if (!report) return Fail(report.error());
  if (a.json) {
    PrintJson(sim::ToJson(*report));
  } else {
    std::cout << sim::FormatReport(*report);
  }
  return 0;
}

}  // namespace

void RegisterSimDomainsCommand(CLI::App& sim_cmd, Context& ctx);  // sim_domains_cmd.cc

void RegisterSimCommands(CLI::App& app, Context& ctx) {
  auto* sim_cmd = AddCommand(app, "sim", "Simulations that evaluate mamori's choices");
  sim_cmd->require_subcommand(1);

  auto args = std::make_shared<SimArgs>();
  auto& c = args->config;
  auto* bl = AddCommand(
      *sim_cmd, "blocklist",
      "Compare blocklist strategies on a seeded model of feeds and attempts.\n"
      "Generates malicious infrastructure (Zipf popularity, activity windows, bulletproof /24s),\n"
      "feeds that list overlapping subsets late, with false positives and stale entries, and\n"
      "connection attempts; reports per budget the share of malicious and of benign attempts\n"
      "blocked by our selection, by 'newest first', by the best single feed, and by the union of\n"
      "all feeds. The model and its limits: docs/simulator.md.\n"
      "Examples:\n"
      "  mamori sim blocklist                       (headline: ~1M-entry union, 4 budgets)\n"
      "  mamori sim blocklist --scale 0.05 --seed 7\n"
      "  mamori sim blocklist --class domain --budgets 50000 --json");
  bl->add_option("--seed", c.seed, "Random seed (same seed, same world)")->capture_default_str();
  bl->add_option("--class", args->item_class, "ipv4 or domain")->capture_default_str();
  bl->add_option("--scale", c.scale, "Multiplies item counts, attempts and budgets")
      ->capture_default_str();
  bl->add_option("--union-size", c.union_size,
                 "Calibrate item counts so the union has about this many entries (0: off)")
      ->capture_default_str();
  bl->add_option("--budgets", c.budgets, "List capacities to evaluate (comma-separated)")
      ->delimiter(',')
      ->capture_default_str();
  bl->add_option("--malicious", c.malicious, "Malicious items (0: class default, 1,100,000)");
  bl->add_option("--benign", c.benign, "Benign destinations (0: class default, 2,000,000)");
  bl->add_option("--days", c.days, "Days of feed history before the build")->capture_default_str();
  bl->add_option("--eval-days", c.eval_days, "Days the list is deployed and evaluated")
      ->capture_default_str();
  bl->add_option("--feeds", c.feeds, "Number of feeds")->capture_default_str();
  bl->add_option("--zipf", c.zipf, "Popularity exponent of malicious items")->capture_default_str();
  bl->add_option("--benign-zipf", c.benign_zipf, "Popularity exponent of benign destinations")
      ->capture_default_str();
  bl->add_option("--category-mix", args->category_mix,
                 "Category shares, e.g. c2:0.1,malware:0.25,phishing:0.1,scanner:0.55");
  bl->add_option("--category-rate", args->category_rate,
                 "Attempt rate per category, e.g. c2:2,scanner:1.5");
  bl->add_option("--category-lifetime", args->category_lifetime,
                 "Mean active days per category, e.g. c2:14,phishing:5");
  bl->add_option("--cluster-share", c.cluster_share,
                 "Share of malicious IPv4 hosts in bulletproof /24s")
      ->capture_default_str();
  bl->add_option("--cluster-size", args->cluster_size, "Malicious hosts per such /24: MIN,MAX")
      ->delimiter(',')
      ->expected(2);
  bl->add_option("--cluster-benign", c.cluster_benign,
                 "Benign hosts per malicious host inside those /24s")
      ->capture_default_str();
  bl->add_option("--cdn-share", c.cdn_share, "Share of benign hosts (the most popular) in CDN /24s")
      ->capture_default_str();
  bl->add_option("--cdn-size", args->cdn_size, "Benign hosts per CDN /24: MIN,MAX")
      ->delimiter(',')
      ->expected(2);
  bl->add_option("--cloud-malicious-share", c.cloud_malicious_share,
                 "Share of malicious IPv4 hosts inside CDN/cloud /24s")
      ->capture_default_str();
  bl->add_option("--well-known-share", c.well_known_share,
                 "Share of benign destinations (the top) that no feed lists")
      ->capture_default_str();
  bl->add_option("--warninglist-top", c.warninglist_top,
                 "Share of benign destinations (the top) on our warning lists")
      ->capture_default_str();
  bl->add_option("--warninglist-cdn", c.warninglist_cdn,
                 "Share of CDN/cloud /24s on our warning lists (IPv4)")
      ->capture_default_str();
  bl->add_option("--visibility-exponent", c.visibility_exponent,
                 "How much more likely feeds are to see popular items")
      ->capture_default_str();
  bl->add_option("--coverage-scale", c.coverage_scale, "Multiplies every feed's coverage")
      ->capture_default_str();
  bl->add_option("--delay-scale", c.delay_scale, "Multiplies every feed's listing delay")
      ->capture_default_str();
  bl->add_option("--delist-scale", c.delist_scale, "Multiplies every feed's delisting delay")
      ->capture_default_str();
  bl->add_option("--fp-scale", c.fp_scale, "Multiplies every feed's false-positive share")
      ->capture_default_str();
  bl->add_option("--fp-popularity-exponent", c.fp_popularity_exponent,
                 "False positives pick benign items with probability ∝ popularity^this")
      ->capture_default_str();
  bl->add_option("--reliability-noise", c.reliability_noise,
                 "Configured reliability = true precision ± this many points")
      ->capture_default_str();
  bl->add_flag("--all-delist", c.all_delist,
               "What if: feeds that never delist expire their entries 5-15 days after activity");
  bl->add_option("--attempts", c.attempts, "Malicious attempts in the evaluation window")
      ->capture_default_str();
  bl->add_option("--benign-ratio", c.benign_ratio, "Benign attempts per malicious attempt")
      ->capture_default_str();
  bl->add_option("--local-days", c.local_days,
                 "Days before the build our logs saw (log sightings; 0: none)")
      ->capture_default_str();
  bl->add_option("--local-fraction", c.local_fraction, "Share of our attempts that were logged")
      ->capture_default_str();
  // The product's settings, for "what if" runs.
  bl->add_option("--decay-days", args->decay_days,
                 "Product: lifetime τ of this class's evidence (default: scoring default)");
  bl->add_option("--decay-delta", args->decay_delta,
                 "Product: decay speed δ of this class's evidence (default: scoring default)");
  bl->add_option("--severity", args->severity,
                 "Product: category severities to override, e.g. scanner:1,c2:1");
  bl->add_option("--sighting-weight", c.scoring.sighting_weight,
                 "Product: share w of the priority that depends on log hits (relevance)")
      ->capture_default_str();
  bl->add_option("--sighting-full-hits", c.scoring.sighting_full_hits,
                 "Product: log hits in the window that give full relevance")
      ->capture_default_str();
  bl->add_option("--observed-collateral", c.scoring.observed_collateral,
                 "Product: what an aggregate pays for unlisted addresses our logs saw, as a "
                 "multiple of that traffic's priority (0: off)")
      ->capture_default_str();
  bl->add_option("--aggregate", c.aggregate, "Product: allow aggregate CIDRs (true/false)")
      ->capture_default_str();
  bl->add_option("--collateral-penalty", c.collateral_penalty,
                 "Product: priority points per unlisted address an aggregate blocks")
      ->capture_default_str();
  bl->add_option("--min-prefix", c.min_prefix_v4, "Product: shortest IPv4 aggregate")
      ->capture_default_str();
  bl->add_option("--dump-dir", c.dump_dir,
                 "Write our list per budget (ours-<budget>.tsv: entry, priority, what it blocks)");
  bl->add_flag("--json", args->json, "Print the report as JSON");
  bl->callback([&ctx, args] { ctx.exit_code = RunSim(*args); });

  RegisterSimDomainsCommand(*sim_cmd, ctx);
}

}  // namespace mamori::cli
