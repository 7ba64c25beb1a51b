// Response engine figures (issue 11), with the real nftables device in a network namespace of
// its own (entered first thing in main, as nft_bench does) and a file-backed SQLite store:
//
//   BM_HandleToApplied      Responder::Handle of one new detection (playbook evaluation, safety
//                           checks, duplicate lookup, action and audit rows written, the element
//                           added over netlink, state "active" stored): p50/p95/p99/max over
//                           RESPOND_BENCH_HANDLES (1,000) fresh addresses, and the device call
//                           (NftablesActuator::Apply) alone.
//   BM_TimedBlocksExpiry    RESPOND_BENCH_BLOCKS (10,000) block actions in force at once with
//                           staggered durations (RESPOND_BENCH_MIN_S..MAX_S, 60..120 s), created
//                           through Handle() with SystemClock; then Start() and wait until all
//                           expired. Per action: lateness = time its element left the set
//                           (Revert returned) − expires_at; p50/p99/max; all expired; the set is
//                           empty; the process's CPU while waiting; how long one Reconcile() of
//                           all 10,000 takes (it holds the engine's lock meanwhile).
//
// Figures are reported as counters (ms unless named otherwise); nothing is asserted on timing.
// Run alone: `build/bench/respond_engine_bench` (~2.5 min), or with
// --benchmark_filter=HandleToApplied for the first figure only (seconds).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "rse/blocklist/connectors/testing/netns.h"
#include "rse/respond/actuators/nftables_actuator.h"
#include "rse/respond/playbook.h"
#include "rse/respond/responder.h"
#include "store/store.h"

namespace mamori::rse::respond {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

double WallMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double CpuSeconds() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(std::max(0.0, std::ceil(p / 100.0 * v.size()) - 1));
  return v[std::min(k, v.size() - 1)];
}

// The real device, with the time of each call: how long Apply took, and when (wall clock, ms)
// each element was added and left the set.
class TimedDevice final : public Actuator {
 public:
  explicit TimedDevice(std::unique_ptr<Actuator> inner) : inner_(std::move(inner)) {}
  std::string_view name() const override { return inner_->name(); }
  bool Supports(std::string_view kind) const override { return inner_->Supports(kind); }
  bool reversible() const override { return inner_->reversible(); }
  Status Apply(const store::ActionRecord& a) override {
    auto t0 = Clock::now();
    Status s = inner_->Apply(a);
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    std::lock_guard lock(mu_);
    apply_ms_.push_back(ms);
    if (s) applied_at_[a.target] = WallMs();
    return s;
  }
  Status Revert(const store::ActionRecord& a) override {
    Status s = inner_->Revert(a);
    if (s) {
      std::lock_guard lock(mu_);
      reverted_at_[a.target] = WallMs();
      reverted_.fetch_add(1);
    }
    return s;
  }
  Expected<bool> IsInPlace(const store::ActionRecord& a) override { return inner_->IsInPlace(a); }

  int reverted() const { return reverted_.load(); }
  std::vector<double> apply_ms() {
    std::lock_guard lock(mu_);
    return apply_ms_;
  }
  std::map<std::string, double> applied_at() {
    std::lock_guard lock(mu_);
    return applied_at_;
  }
  std::map<std::string, double> reverted_at() {
    std::lock_guard lock(mu_);
    return reverted_at_;
  }

 private:
  std::unique_ptr<Actuator> inner_;
  std::mutex mu_;
  std::vector<double> apply_ms_;
  std::map<std::string, double> applied_at_;
  std::map<std::string, double> reverted_at_;
  std::atomic<int> reverted_{0};
};

// A table name of its own per benchmark, so the two never see each other's elements.
struct Engine {
  fs::path dir;
  std::unique_ptr<store::Store> store;
  SystemClock clock;
  TimedDevice* device = nullptr;
  std::unique_ptr<Responder> responder;
  std::string table;

  // Playbooks: one per duration (rule bench-dN blocks the source for N seconds).
  Engine(const std::string& name, int min_s, int max_s, int64_t reconcile_seconds) : table(name) {
    dir = fs::temp_directory_path() / fmt::format("mamori-respond-bench-{}-{}", ::getpid(), name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto opened = store::OpenSqliteStore((dir / "mamori.db").string(), {});
    if (!opened) std::abort();
    store = std::move(*opened);
    std::string yaml;
    for (int d = min_s; d <= max_s; ++d) {
      if (!yaml.empty()) yaml += "---\n";
      yaml += fmt::format(
          "id: bench-d{0}\nmode: auto\nwhen: {{rules: [bench-d{0}]}}\nactions:\n"
          "  - {{type: block_address, value: source, duration: {0}s}}\n",
          d);
    }
    auto set = std::make_shared<PlaybookSet>(ParsePlaybooks(yaml, "bench.yml"));
    if (!set->errors.empty()) {
      std::fprintf(stderr, "playbook error: %s\n", set->errors.front().ToString().c_str());
      std::abort();
    }
    auto nft = NftablesActuator::Make("inet", table);
    if (!nft) std::abort();
    auto timed = std::make_unique<TimedDevice>(std::move(*nft));
    device = timed.get();
    ActuatorList devices;
    devices.push_back(std::move(timed));
    ResponderOptions options;
    options.reconcile_seconds = reconcile_seconds;
    options.safety.rate_per_minute = 0;  // unlimited: every action is automatic
    options.safety.rate_per_target_per_hour = 0;
    responder = std::make_unique<Responder>(*store, clock, set, std::move(devices), options);
    if (!responder->Initialize()) std::abort();
  }
  ~Engine() {
    responder.reset();
    store.reset();
    fs::remove_all(dir);
  }
};

// Public-looking IPv4 addresses in 45.0.0.0/8, distinct for i < 16M (never special-purpose).
std::string Address(int i) {
  int net = i / 250;
  return fmt::format("45.{}.{}.{}", (net >> 8) & 255, net & 255, 1 + i % 250);
}

store::DetectionRecord Detection(int64_t id, const std::string& rule, const std::string& ip) {
  store::DetectionRecord d;
  d.id = id;
  d.rule_id = rule;
  d.title = "SSH password guessing";
  d.level = "high";
  d.group_field = "source.ip";
  d.group_value = ip;
  d.target = "web1";
  d.input = "file:/var/log/auth.log";
  d.count = 8;
  d.evidence_json =
      fmt::format(R"([{{"message":"Failed password for root from {} port 50001 ssh2"}}])", ip);
  return d;
}

int ElementsInSet(const std::string& table, const char* set) {
  std::string cmd = fmt::format("nft list set inet {} {} 2>/dev/null", table, set);
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  // Elements are separated by ", "; an empty set has no "elements =" line.
  auto at = out.find("elements = {");
  if (at == std::string::npos) return 0;
  return static_cast<int>(std::count(out.begin() + at, out.end(), ',')) + 1;
}

void BM_HandleToApplied(benchmark::State& state) {
  const int n = EnvInt("RESPOND_BENCH_HANDLES", 1000);
  Engine engine("bench_handle", 3600, 3600, 3600);
  std::vector<double> handle_ms;
  for (auto _ : state) {
    for (int i = 0; i < n; ++i) {
      auto t0 = Clock::now();
      auto made = engine.responder->Handle(Detection(i + 1, "bench-d3600", Address(i)));
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      if (!made || made->size() != 1 || (*made)[0].state != "active") {
        state.SkipWithError("Handle did not leave one active action");
        return;
      }
      handle_ms.push_back(ms);
    }
  }
  auto apply = engine.device->apply_ms();
  state.counters["handles"] = static_cast<double>(handle_ms.size());
  state.counters["handle_p50_ms"] = Percentile(handle_ms, 50);
  state.counters["handle_p95_ms"] = Percentile(handle_ms, 95);
  state.counters["handle_p99_ms"] = Percentile(handle_ms, 99);
  state.counters["handle_max_ms"] = Percentile(handle_ms, 100);
  state.counters["apply_p50_ms"] = Percentile(apply, 50);
  state.counters["apply_p99_ms"] = Percentile(apply, 99);
  state.counters["in_set"] = ElementsInSet(engine.table, "mamori_block");
}
BENCHMARK(BM_HandleToApplied)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TimedBlocksExpiry(benchmark::State& state) {
  const int n = EnvInt("RESPOND_BENCH_BLOCKS", 10000);
  const int min_s = EnvInt("RESPOND_BENCH_MIN_S", 60);
  const int max_s = EnvInt("RESPOND_BENCH_MAX_S", 120);
  const int span = max_s - min_s + 1;
  // Default reconcile interval (60 s), as a deployment would run it.
  Engine engine("bench_expiry", min_s, max_s, 60);
  for (auto _ : state) {
    double cpu0 = CpuSeconds();
    auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) {
      // Durations spread evenly over min_s..max_s, interleaved so expiries are staggered.
      auto made = engine.responder->Handle(
          Detection(i + 1, fmt::format("bench-d{}", min_s + (i * 7919) % span), Address(i)));
      if (!made || made->size() != 1 || (*made)[0].state != "active") {
        state.SkipWithError("Handle did not leave one active action");
        return;
      }
    }
    double create_s = std::chrono::duration<double>(Clock::now() - t0).count();
    double create_cpu = CpuSeconds() - cpu0;
    int in_set_before = ElementsInSet(engine.table, "mamori_block");

    // One reconcile of everything in force (what Tick does every reconcile_seconds, under the
    // engine's lock).
    auto r0 = Clock::now();
    auto reconciled = engine.responder->Reconcile();
    double reconcile_ms = std::chrono::duration<double, std::milli>(Clock::now() - r0).count();
    if (!reconciled) {
      state.SkipWithError("Reconcile failed");
      return;
    }

    double cpu1 = CpuSeconds();
    auto w0 = Clock::now();
    engine.responder->Start();
    auto deadline = Clock::now() + std::chrono::seconds(max_s + 120);
    while (engine.device->reverted() < n && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    engine.responder->Stop();
    double wait_s = std::chrono::duration<double>(Clock::now() - w0).count();
    double wait_cpu = CpuSeconds() - cpu1;

    store::ActionQuery expired;
    expired.states = {"expired"};
    expired.limit = 0;
    auto rows = engine.store->ListActions(expired);
    if (!rows) {
      state.SkipWithError("ListActions failed");
      return;
    }
    auto reverted_at = engine.device->reverted_at();
    auto applied_at = engine.device->applied_at();
    std::vector<double> late_ms, late_exact_ms, ended_late_s;
    for (const auto& a : *rows) {
      auto r = reverted_at.find(a.target);
      if (r == reverted_at.end()) continue;
      late_ms.push_back(r->second - static_cast<double>(a.expires_at) * 1000.0);
      ended_late_s.push_back(static_cast<double>(a.ended_at - a.expires_at));
      auto ap = applied_at.find(a.target);
      if (ap != applied_at.end()) {
        late_exact_ms.push_back(r->second - (ap->second + a.duration_seconds * 1000.0));
      }
    }
    state.counters["blocks"] = n;
    state.counters["in_set_at_start"] = in_set_before;
    state.counters["create_s"] = create_s;
    state.counters["create_per_s"] = n / create_s;
    state.counters["create_cpu_s"] = create_cpu;
    state.counters["reconcile_all_ms"] = reconcile_ms;
    state.counters["expired"] = static_cast<double>(rows->size());
    state.counters["reverted"] = engine.device->reverted();
    state.counters["in_set_at_end"] = ElementsInSet(engine.table, "mamori_block");
    state.counters["late_p50_ms"] = Percentile(late_ms, 50);
    state.counters["late_p99_ms"] = Percentile(late_ms, 99);
    state.counters["late_max_ms"] = Percentile(late_ms, 100);
    state.counters["late_min_ms"] = Percentile(late_ms, 0);
    state.counters["vs_apply+dur_p99_ms"] = Percentile(late_exact_ms, 99);
    state.counters["vs_apply+dur_max_ms"] = Percentile(late_exact_ms, 100);
    state.counters["ended_late_max_s"] = Percentile(ended_late_s, 100);
    state.counters["wait_s"] = wait_s;
    state.counters["wait_cpu_s"] = wait_cpu;
    state.counters["wait_cpu_pct"] = 100.0 * wait_cpu / wait_s;
  }
}
BENCHMARK(BM_TimedBlocksExpiry)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
}  // namespace mamori::rse::respond

int main(int argc, char** argv) {
  // Before anything else (single-threaded): the bench and the nft processes it starts live in a
  // network namespace that disappears with the process.
  mamori::Status entered = mamori::rse::blocklist::testing::EnterNewNetns();
  if (!entered) {
    std::printf("respond_engine_bench skipped: %s\n", entered.error().message.c_str());
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
