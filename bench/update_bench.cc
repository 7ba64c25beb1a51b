// End-to-end incremental feed update: a 1,000,000-entry feed file where 1% changed since the
// last update (5,000 entries removed, 5,000 added), through FeedUpdater::Update — read the file,
// parse, normalize, de-duplicate, diff against the stored snapshot, write the changes — on a
// file-backed SQLite store. Goal (issue 3): under 2 s.
//
// Also: the first import of the same feed into an empty store (every entry new).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "feeds/updater.h"
#include "store/store.h"

namespace mamori {
namespace {

namespace fs = std::filesystem;

constexpr int kEntries = 1'000'000;
constexpr int kChanged = kEntries / 200;  // 0.5% removed + 0.5% added = 1% changed

// Entry i of the feed: a mix of 60% IPv4 addresses and 40% domains, deterministic.
std::string Entry(int i) {
  if (i % 5 < 3) {
    uint32_t v = 0x0B000000u + static_cast<uint32_t>(i) * 2654435761u % 0xD0000000u;
    return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
           std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255);
  }
  static const char* kTlds[] = {"com", "net", "org", "info", "ru", "top", "xyz", "de"};
  std::mt19937 rng(static_cast<uint32_t>(i));
  std::string label;
  int len = 6 + static_cast<int>(rng() % 10);
  for (int k = 0; k < len; ++k) label += static_cast<char>('a' + rng() % 26);
  return label + std::to_string(i) + "." + kTlds[rng() % 8];
}

// Writes entries [begin, end) to `path`.
void WriteFeed(const fs::path& path, int begin, int end) {
  std::ofstream out(path, std::ios::binary);
  out << "# generated benchmark feed\n";
  for (int i = begin; i < end; ++i) out << Entry(i) << '\n';
}

struct Fixture {
  fs::path dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<feeds::HttpClient> http;
  std::unique_ptr<feeds::FeedUpdater> updater;
  FakeClock clock{1'700'000'000};

  Fixture() {
    dir = fs::temp_directory_path() / ("mamori-update-bench-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    store = std::move(*store::OpenSqliteStore((dir / "mamori.db").string()));
    http = feeds::MakeCurlHttpClient({}, clock);
    updater = std::make_unique<feeds::FeedUpdater>(*store, *http, clock, feeds::UpdateOptions{});
  }
  ~Fixture() { fs::remove_all(dir); }

  int64_t AddSource(const std::string& name, const fs::path& file) {
    store::SourceRecord s;
    s.name = name;
    s.url = file.string();
    s.format = "plain";
    return store->AddSource(s)->id;
  }
};

void BM_IncrementalUpdate1MWith1PercentChanged(benchmark::State& state) {
  Fixture f;
  // Two versions of the feed that differ by 1%: A = [0, N), B = [kChanged, N + kChanged).
  fs::path a = f.dir / "a.txt", b = f.dir / "b.txt", live = f.dir / "feed.txt";
  WriteFeed(a, 0, kEntries);
  WriteFeed(b, kChanged, kEntries + kChanged);
  fs::copy_file(a, live);
  f.AddSource("bench", live);
  auto first = f.updater->Update("bench");
  if (!first || first->status != feeds::UpdateStatus::kOk) {
    state.SkipWithError("initial import failed");
    return;
  }
  bool use_b = true;
  for (auto _ : state) {
    state.PauseTiming();
    fs::copy_file(use_b ? b : a, live, fs::copy_options::overwrite_existing);
    use_b = !use_b;
    f.clock.Advance(std::chrono::hours(1));
    state.ResumeTiming();
    auto report = f.updater->Update("bench");
    if (!report || report->status != feeds::UpdateStatus::kOk ||
        report->diff.added != kChanged || report->diff.removed != kChanged) {
      state.SkipWithError("update did not apply the expected 1% change");
      return;
    }
    state.counters["parse_s"] = report->parse_seconds;
    state.counters["store_s"] = report->store_seconds;
  }
  state.counters["entries"] = kEntries;
}
BENCHMARK(BM_IncrementalUpdate1MWith1PercentChanged)->Unit(benchmark::kMillisecond)->Iterations(4);

void BM_FirstImport1M(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    Fixture f;
    fs::path live = f.dir / "feed.txt";
    WriteFeed(live, 0, kEntries);
    f.AddSource("bench", live);
    state.ResumeTiming();
    auto report = f.updater->Update("bench");
    if (!report || report->status != feeds::UpdateStatus::kOk) {
      state.SkipWithError("import failed");
      return;
    }
    state.PauseTiming();
    f.store.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kEntries);
}
BENCHMARK(BM_FirstImport1M)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
}  // namespace mamori

BENCHMARK_MAIN();
