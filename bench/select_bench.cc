// Selection within capacity (issue 4 figure): 5,000,000 scored indicators from 20 sources,
// budgets of 10k, 50k, 150k and 300k entries, one core. Target: < 5 s each, peak RSS < 2 GiB.
//
// The candidates are made here, seeded, in the shape real feeds have: 3.0M IPv4 hosts (half of
// them clustered in 40,000 /24s of "bulletproof hosting", the rest scattered), 200k listed CIDRs
// (/16../30), 1.5M domains (a third of them subdomains of other listed domains), 300k URLs. Each
// candidate has 1-3 of 20 sources and a priority drawn from a skewed distribution. What is
// measured is Select() alone (the store scan and scoring are separate: see docs/benchmarks.md).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <random>
#include <unordered_set>

#include "core/ip.h"
#include "rse/blocklist/selector.h"

namespace {

using namespace mamori;
using namespace mamori::rse::blocklist;

const SelectionInput& Input() {
  static SelectionInput input = [] {
    SelectionInput in;
    std::mt19937_64 rng(20261130);
    for (int s = 0; s < 20; ++s) in.source_names.push_back("feed-" + std::to_string(s));
    const char* categories[] = {"c2", "malware", "phishing", "scanner", "spam"};
    for (const char* c : categories) in.InternCategory(c);
    std::vector<uint32_t> source_sets;
    for (int k = 0; k < 400; ++k) {
      std::vector<uint16_t> set;
      int n = 1 + static_cast<int>(rng() % 3);
      for (int j = 0; j < n; ++j) set.push_back(static_cast<uint16_t>(rng() % 20));
      source_sets.push_back(in.InternSourceSet(set));
    }
    auto add = [&](IndicatorType type, std::string value) {
      Candidate c;
      c.indicator = {type, std::move(value)};
      // Skewed: most indicators are low priority, a few are high.
      double u = static_cast<double>(rng() % 1000000) / 1e6;
      c.priority = 1 + 99 * u * u * u;
      c.category = 1 + static_cast<uint32_t>(rng() % 5);
      c.source_set = source_sets[rng() % source_sets.size()];
      in.candidates.push_back(std::move(c));
    };
    in.candidates.reserve(5'000'000);
    std::unordered_set<uint32_t> hosts;
    hosts.reserve(3'200'000);
    std::vector<uint32_t> clusters(40000);
    for (auto& c : clusters) c = (static_cast<uint32_t>(rng()) | 0x01000000u) & 0xdfffff00u;
    while (hosts.size() < 3'000'000) {
      uint32_t a = hosts.size() % 2 ? clusters[rng() % clusters.size()] | (rng() % 256)
                                    : (static_cast<uint32_t>(rng()) & 0xdfffffffu) | 0x01000000u;
      if (hosts.insert(a).second) add(IndicatorType::kIpv4, IpAddress::FromV4(a).ToString());
    }
    std::unordered_set<std::string> nets;
    while (nets.size() < 200'000) {
      int prefix = 16 + static_cast<int>(rng() % 15);
      std::string text = Cidr::Of(IpAddress::FromV4((static_cast<uint32_t>(rng()) & 0xdfffffffu) |
                                                    0x01000000u),
                                  prefix)
                             .ToString();
      if (nets.insert(text).second) add(IndicatorType::kCidr, text);
    }
    std::vector<std::string> parents;
    for (int i = 0; i < 1'000'000; ++i) {
      std::string name = "d" + std::to_string(i) + "x" + std::to_string(rng() % 100000) + ".example";
      parents.push_back(name);
      add(IndicatorType::kDomain, std::move(name));
    }
    for (int i = 0; i < 500'000; ++i) {
      add(IndicatorType::kDomain, "s" + std::to_string(i) + "." + parents[rng() % parents.size()]);
    }
    for (int i = 0; i < 300'000; ++i) {
      add(IndicatorType::kUrl, "http://" + parents[rng() % parents.size()] + "/p/" + std::to_string(i));
    }
    return in;
  }();
  return input;
}

void BM_Select(benchmark::State& state) {
  const SelectionInput& input = Input();
  SelectOptions options;
  options.capacity.ip = state.range(0);
  options.capacity.domain = state.range(0);
  options.capacity.url = state.range(0);
  options.wildcard_domains = true;
  int64_t entries = 0;
  double covered_priority = 0, total_priority = 0;
  for (auto _ : state) {
    auto selection = Select(input, options);
    if (!selection) state.SkipWithError(selection.error().message.c_str());
    entries = static_cast<int64_t>(selection->list.entries.size());
    covered_priority = selection->coverage.covered_priority;
    total_priority = selection->coverage.total_priority;
    benchmark::DoNotOptimize(selection);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["candidates"] = static_cast<double>(input.candidates.size());
  state.counters["entries"] = static_cast<double>(entries);
  // The objective (share of all candidates' priority covered), so that a faster selector is
  // also seen not to select worse.
  state.counters["covered_pct"] = 100.0 * covered_priority / total_priority;
  state.counters["peak_rss_mib"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

BENCHMARK(BM_Select)
    ->Arg(10'000)
    ->Arg(50'000)
    ->Arg(150'000)
    ->Arg(300'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
