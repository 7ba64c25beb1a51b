// nftables connector figures (issue 4): replace a 1,000,000-entry blocklist atomically (goal:
// under 2 s, everything included: from the Blocklist to the kernel's acknowledgement) and add a
// single address or network to the loaded sets (goal: under 10 ms). The connector keeps
// addresses in hash sets and networks in interval sets (exporters/nftables_script.h) and writes
// them over netlink (connectors/nft_netlink.h). Peers in the same run: the `nft -f` CLI applying
// the exported script (BM_NftReplace100k_NftCli, on a tenth of the list: at 1M `nft -f` takes
// minutes), and the layout before the split, one interval set per family, written over netlink
// the same way (BM_NftOneIntervalSet_Netlink).
//
// Runs inside a network namespace of its own (entered first thing in main), so it never touches
// the host's ruleset; needs root or unprivileged user namespaces. Without either it prints why
// and exits 0, so `make bench` carries on.
//
// The list: 1,000,000 entries, seeded: 940,000 random IPv4 hosts, 30,000 random IPv4 networks
// (/16 to /24; hosts inside them are left out as covered) and 30,000 IPv6 hosts. Addresses of
// 100.64.0.0/10 are kept out, for the single adds. About 2 minutes in all.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/ip.h"
#include "rse/blocklist/connectors/nft_netlink.h"
#include "rse/blocklist/connectors/nftables.h"
#include "rse/blocklist/connectors/subprocess.h"
#include "rse/blocklist/connectors/testing/netns.h"

namespace mamori::rse::blocklist {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kEntries = 1'000'000;
constexpr int kV4Networks = 30'000;
constexpr int kV6Hosts = 30'000;
constexpr int kV4Hosts = kEntries - kV4Networks - kV6Hosts;

bool Reserved(uint32_t a) {
  uint8_t first = a >> 24;
  return first == 0 || first == 127 || first >= 224 || (a & 0xFFC00000u) == 0x64400000u;
}

std::string V4(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

const Blocklist& MillionList() {
  static const Blocklist list = [] {
    std::mt19937_64 rng(20240601);
    Blocklist l;
    l.profile = "bench";
    l.built_at = 1'700'000'000;
    l.entries.reserve(kEntries);
    auto add = [&](IndicatorType type, std::string value) {
      BlocklistEntry e;
      e.indicator = {type, std::move(value)};
      l.entries.push_back(std::move(e));
    };
    std::set<uint32_t> hosts;
    while (static_cast<int>(hosts.size()) < kV4Hosts) {
      uint32_t a = static_cast<uint32_t>(rng());
      if (!Reserved(a)) hosts.insert(a);
    }
    for (uint32_t a : hosts) add(IndicatorType::kIpv4, V4(a));
    std::set<std::pair<uint32_t, int>> nets;
    while (static_cast<int>(nets.size()) < kV4Networks) {
      int prefix = 16 + static_cast<int>(rng() % 9);
      uint32_t a = static_cast<uint32_t>(rng()) & ~((1u << (32 - prefix)) - 1);
      if (!Reserved(a)) nets.insert({a, prefix});
    }
    for (auto [a, prefix] : nets) add(IndicatorType::kCidr, fmt::format("{}/{}", V4(a), prefix));
    std::set<std::pair<uint64_t, uint64_t>> v6;
    while (static_cast<int>(v6.size()) < kV6Hosts) v6.insert({rng(), rng()});
    for (auto [hi, lo] : v6) {
      // 2001:db8::/32 prefix + random rest, written in full (canonical enough for nft).
      uint64_t h = (0x20010db8ull << 32) | (hi & 0xFFFFFFFFull);
      add(IndicatorType::kIpv6,
          fmt::format("{:x}:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}", h >> 48, (h >> 32) & 0xFFFF,
                      (h >> 16) & 0xFFFF, h & 0xFFFF, lo >> 48, (lo >> 32) & 0xFFFF,
                      (lo >> 16) & 0xFFFF, lo & 0xFFFF));
    }
    SortCanonical(l.entries);
    return l;
  }();
  return list;
}

NftablesConnector& Connector() {
  static NftablesConnector connector(NftablesTarget{});
  return connector;
}

// The sets loaded once, so that each measured Replace swaps a full list for a full list.
bool loaded = false;
void EnsureLoaded(benchmark::State& state) {
  if (loaded) return;
  auto r = Connector().Replace(MillionList());
  if (!r) {
    state.SkipWithError(("initial load: " + r.error().ToString()).c_str());
    return;
  }
  loaded = true;
}

void ReportCounts(benchmark::State& state, const NftApplyReport& r) {
  state.counters["v4_hosts"] = static_cast<double>(r.v4_hosts);
  state.counters["v4_networks"] = static_cast<double>(r.v4_networks);
  state.counters["v6_hosts"] = static_cast<double>(r.v6_hosts);
  state.counters["covered"] = static_cast<double>(r.covered);
}

// The whole Replace: choosing the elements from the Blocklist (parse, sort, coverage), declaring
// the sets, building the netlink batch, the kernel's transaction. The phases are counters (ms).
void BM_NftReplace1M_Connector(benchmark::State& state) {
  EnsureLoaded(state);
  NftApplyReport last;
  for (auto _ : state) {
    auto r = Connector().Replace(MillionList());
    if (!r) {
      state.SkipWithError(r.error().ToString().c_str());
      return;
    }
    last = *r;
  }
  ReportCounts(state, last);
  const auto& t = Connector().last_replace_timings();
  state.counters["elements_ms"] = t.elements_ms;
  state.counters["declare_ms"] = t.declare_ms;
  state.counters["build_ms"] = t.build_ms;
  state.counters["kernel_ms"] = t.kernel_ms;
  state.counters["batch_MB"] = static_cast<double>(t.batch_bytes) / 1e6;
}
BENCHMARK(BM_NftReplace1M_Connector)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The element choice alone, split: parsing the values, then NftElementsOf() as a whole (parse,
// sort, coverage), with a reused NftElements as the connector does.
void BM_NftElementsParse1M(benchmark::State& state) {
  const Blocklist& list = MillionList();
  for (auto _ : state) {
    size_t ok = 0;
    for (const BlocklistEntry& e : list.entries) {
      if (e.indicator.type == IndicatorType::kIpv4) {
        ok += IpAddress::Parse(e.indicator.value).has_value();
      } else {
        ok += Cidr::Parse(e.indicator.value).has_value();
      }
    }
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_NftElementsParse1M)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same values all through Cidr::Parse (what the element choice did before its fast path).
void BM_NftElementsParse1M_CidrParse(benchmark::State& state) {
  const Blocklist& list = MillionList();
  for (auto _ : state) {
    size_t ok = 0;
    for (const BlocklistEntry& e : list.entries) ok += Cidr::Parse(e.indicator.value).has_value();
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_NftElementsParse1M_CidrParse)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_NftElementsOf1M(benchmark::State& state) {
  NftElements elements;
  for (auto _ : state) {
    NftElementsOf(MillionList(), elements);
    benchmark::DoNotOptimize(elements.hosts_v4.data());
  }
  ReportCounts(state, elements.counts);
}
BENCHMARK(BM_NftElementsOf1M)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

// The nft script (what the exporter writes; not used by Replace).
void BM_NftReplaceScript1M(benchmark::State& state) {
  const Blocklist& list = MillionList();
  for (auto _ : state) {
    std::string s = Connector().ReplaceScript(list);
    benchmark::DoNotOptimize(s.data());
  }
}
BENCHMARK(BM_NftReplaceScript1M)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

// Runs op(0), op(1), ... 100 times (no new one started after `budget`) and reports the median and
// maximum time of one call in milliseconds. Each call is timed on its own.
void TimeSingleOps(benchmark::State& state, std::chrono::seconds budget,
                   const std::function<Status(uint32_t)>& op) {
  std::vector<double> ms;
  for (auto _ : state) {
    auto stop = std::chrono::steady_clock::now() + budget;
    for (uint32_t i = 0; ms.size() < 100 && std::chrono::steady_clock::now() < stop; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      Status s = op(i);
      auto t1 = std::chrono::steady_clock::now();
      if (!s) {
        state.SkipWithError(s.error().ToString().c_str());
        return;
      }
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
  }
  std::sort(ms.begin(), ms.end());
  state.counters["ops"] = static_cast<double>(ms.size());
  state.counters["median_ms"] = ms.empty() ? 0 : ms[ms.size() / 2];
  state.counters["max_ms"] = ms.empty() ? 0 : ms.back();
}

// Fresh addresses 100.64.0.1, .3, ... and fresh networks 100.96.0.0/24, 100.96.2.0/24, ...:
// none in the list, none inside another.
Indicator FreshAddress(uint32_t i) { return {IndicatorType::kIpv4, V4(0x64400001u + 2 * i)}; }
Indicator FreshNetwork(uint32_t i) {
  return {IndicatorType::kCidr, V4(0x64600000u + 512 * i) + "/24"};
}

// One Add of an address into the loaded sets: a lookup in the IPv4 network set (is it covered?)
// and an add to the 836,000-element hash set.
void BM_NftAddAddressTo1M_Connector(benchmark::State& state) {
  EnsureLoaded(state);
  TimeSingleOps(state, 120s, [](uint32_t i) { return Connector().Add(FreshAddress(i)); });
}
BENCHMARK(BM_NftAddAddressTo1M_Connector)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One Add of a /24 into the loaded IPv4 network (interval) set of 27,000 networks.
void BM_NftAddNetworkTo1M_Connector(benchmark::State& state) {
  EnsureLoaded(state);
  TimeSingleOps(state, 120s, [](uint32_t i) { return Connector().Add(FreshNetwork(i)); });
}
BENCHMARK(BM_NftAddNetworkTo1M_Connector)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Removing what the Add benchmarks put in.
void BM_NftRemoveAddressFrom1M_Connector(benchmark::State& state) {
  EnsureLoaded(state);
  TimeSingleOps(state, 120s, [](uint32_t i) { return Connector().Remove(FreshAddress(i)); });
}
BENCHMARK(BM_NftRemoveAddressFrom1M_Connector)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_NftRemoveNetworkFrom1M_Connector(benchmark::State& state) {
  EnsureLoaded(state);
  TimeSingleOps(state, 120s, [](uint32_t i) { return Connector().Remove(FreshNetwork(i)); });
}
BENCHMARK(BM_NftRemoveNetworkFrom1M_Connector)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Peer, on a tenth of the list (every tenth entry: 100,000): `nft -f FILE` with the exported
// script, i.e. what a user of the exported file runs, against the connector on the same list, in
// table `small`. The 1M table is deleted first: nft 1.0.6 would fetch the elements of its
// interval sets before changing any interval set.
const Blocklist& TenthList() {
  static const Blocklist list = [] {
    Blocklist l;
    l.profile = "bench";
    for (size_t i = 0; i < MillionList().entries.size(); i += 10) {
      l.entries.push_back(MillionList().entries[i]);
    }
    return l;
  }();
  return list;
}

const NftablesTarget kSmall{"inet", "small", NftSetNames{}};

void DropTable(const std::string& table) {
  NftablesConnector nft(NftablesTarget{});
  (void)nft.RunScript(fmt::format("table inet {0} {{}}\ndelete table inet {0}\n", table));
  if (table == "mamori") loaded = false;
}

void BM_NftReplace100k_Connector(benchmark::State& state) {
  DropTable("mamori");
  NftablesConnector nft(kSmall);
  NftApplyReport last;
  for (auto _ : state) {
    auto r = nft.Replace(TenthList());
    if (!r) {
      state.SkipWithError(r.error().ToString().c_str());
      return;
    }
    last = *r;
  }
  ReportCounts(state, last);
}
BENCHMARK(BM_NftReplace100k_Connector)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_NftReplace100k_NftCli(benchmark::State& state) {
  DropTable("mamori");
  fs::path file = fs::temp_directory_path() / fmt::format("mamori-nft-bench-{}.nft", ::getpid());
  {
    std::ofstream out(file, std::ios::binary);
    out << NftablesConnector(kSmall).ReplaceScript(TenthList());
  }
  for (auto _ : state) {
    auto run = connectors::RunProcess({"nft", "-f", file.string()}, 1800s);
    if (!run || run->exit_code != 0) {
      state.SkipWithError(run ? run->err.substr(0, 500).c_str() : run.error().ToString().c_str());
      break;
    }
  }
  fs::remove(file);
}
BENCHMARK(BM_NftReplace100k_NftCli)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Peer: the layout before the split, one interval set per family holding addresses and
// networks, written over netlink the same way (the elements chosen beforehand: the kernel's and
// the batch's part only). Replace of the whole list (median of 3), then single adds of an
// address (median of 100, at most 2 minutes).
void BM_NftOneIntervalSet_Netlink(benchmark::State& state) {
  DropTable("small");
  DropTable("mamori");
  NftElements e = NftElementsOf(MillionList());
  // Addresses and networks of a family in one sorted, disjoint list (NftElementsOf left out
  // the addresses inside networks).
  std::vector<Cidr> v4, v6;
  for (uint32_t a : e.hosts_v4) v4.push_back(Cidr::Of(IpAddress::FromV4(a), 32));
  v4.insert(v4.end(), e.networks_v4.begin(), e.networks_v4.end());
  for (const IpAddress& a : e.hosts_v6) v6.push_back(Cidr::Of(a, 128));
  v6.insert(v6.end(), e.networks_v6.begin(), e.networks_v6.end());
  std::sort(v4.begin(), v4.end());
  std::sort(v6.begin(), v6.end());
  NftablesConnector nft(NftablesTarget{});
  Status declared = nft.RunScript(
      "table inet one_interval {\n"
      "\tset v4 { type ipv4_addr; flags interval; }\n"
      "\tset v6 { type ipv6_addr; flags interval; }\n"
      "}\n");
  auto nl = NftNetlink::Open();
  if (!declared || !nl) {
    state.SkipWithError(!declared ? declared.error().ToString().c_str()
                                  : nl.error().ToString().c_str());
    return;
  }
  using Kind = NftSetContents::Kind;
  std::vector<NftSetContents> sets = {
      {{"inet", "one_interval", "v4"}, Kind::kNetworks, {}, {}, v4},
      {{"inet", "one_interval", "v6"}, Kind::kNetworks, {}, {}, v6},
  };
  if (Status s = (*nl)->Replace(sets); !s) {
    state.SkipWithError(s.error().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    if (Status s = (*nl)->Replace(sets); !s) {
      state.SkipWithError(s.error().ToString().c_str());
      return;
    }
  }
  state.counters["build_ms"] = (*nl)->last_batch().build_ms;
  state.counters["kernel_ms"] = (*nl)->last_batch().kernel_ms;
  std::vector<double> ms;
  auto stop = std::chrono::steady_clock::now() + 120s;
  for (uint32_t a = 0x64400001u; ms.size() < 100 && std::chrono::steady_clock::now() < stop;
       a += 2) {
    auto t0 = std::chrono::steady_clock::now();
    Status s = (*nl)->Add(sets[0].name, Cidr::Of(IpAddress::FromV4(a), 32), true);
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (!s) {
      state.SkipWithError(s.error().ToString().c_str());
      break;
    }
  }
  std::sort(ms.begin(), ms.end());
  state.counters["add_median_ms"] = ms.empty() ? 0 : ms[ms.size() / 2];
  (void)nft.RunScript("delete table inet one_interval\n");
}
BENCHMARK(BM_NftOneIntervalSet_Netlink)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace mamori::rse::blocklist

int main(int argc, char** argv) {
  // Before anything else: the whole benchmark, and the nft processes it starts, live in a new
  // network namespace that disappears with the process.
  mamori::Status entered = mamori::rse::blocklist::testing::EnterNewNetns();
  if (!entered) {
    std::printf("nft_bench skipped: %s\n", entered.error().message.c_str());
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
