// Passive DNS ingest figures (issue 5, point 1): generates a seeded DNSDB JSON-lines file and
// times, on it, (1) parsing only, (2) the same steps one at a time on one thread — parsing +
// aggregation, the aggregator's flush, MergePdns of the batch into a fresh store — to split the
// time, (3) the whole IngestPdnsFile into a fresh SQLite store (parsing on a second thread). Not a Google Benchmark binary (one long run per phase, not repetitions),
// so not named *_bench. The goal: 10,000,000 records at >= 500,000 records/s end to end.
//
//   pdns_ingest [--records N] [--seed S] [--dir DIR] [--keep] [--skip-parse]
//
// The data is shaped like a real export: about N/3 distinct names, each with 1-3 rdata of one
// type (A 75 %, AAAA 10 %, CNAME 8 %, NS 4 %, MX 3 %), under 3,000 registered domains, addresses
// from 4,000 /24s, so that records repeat rrsets and the aggregation has work to do.
#include <fmt/format.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "domain/pdns/aggregator.h"
#include "domain/pdns/ingest.h"
#include "domain/pdns/reader.h"
#include "store/store.h"

namespace {

using namespace mamori;
using Steady = std::chrono::steady_clock;

uint64_t Mix(uint64_t x) {  // splitmix64: a stable per-name hash, independent of the RNG
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

struct Shape {
  int64_t names;
  std::vector<std::string> registered;
  std::vector<uint32_t> nets;  // /24 prefixes, host order
};

Shape MakeShape(int64_t records, std::mt19937_64& rng) {
  static const char* kTlds[] = {"com", "net", "org",  "de",  "co.uk",
                                "io",  "ru",  "info", "xyz", "com.br"};
  static const char* kWords[] = {"shop", "cloud",  "bank",  "mail",  "news",
                                 "data", "secure", "media", "login", "web"};
  Shape s;
  s.names = std::max<int64_t>(1, records / 3);
  for (int i = 0; i < 3000; ++i) {
    s.registered.push_back(fmt::format("{}{}{:x}.{}", kWords[rng() % 10], kWords[rng() % 10],
                                       rng() % 0xfffff, kTlds[rng() % 10]));
  }
  for (int i = 0; i < 4000; ++i) {
    s.nets.push_back(
        static_cast<uint32_t>((rng() % 223 + 1) << 24 | (rng() % 256) << 16 | (rng() % 256) << 8));
  }
  return s;
}

std::string NameOf(const Shape& s, uint64_t i) {
  static const char* kHosts[] = {"www", "mail", "api", "cdn", "m", "static", "app", "vpn"};
  uint64_t h = Mix(i);
  const std::string& reg = s.registered[h % s.registered.size()];
  if ((h >> 20) % 5 == 0) return fmt::format("{}.{}", kHosts[(h >> 12) % 8], reg);
  return fmt::format("{}{:x}.{}", kHosts[(h >> 12) % 8], i, reg);
}

std::string Ipv4(uint32_t v) {
  return fmt::format("{}.{}.{}.{}", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
}

void Generate(const std::string& path, int64_t records, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Shape s = MakeShape(records, rng);
  std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!out) {
    fmt::print(stderr, "cannot write {}: {}\n", path, std::strerror(errno));
    std::exit(1);
  }
  std::setvbuf(out.get(), nullptr, _IOFBF, 1 << 20);
  std::string line;
  for (int64_t n = 0; n < records; ++n) {
    uint64_t i = rng() % static_cast<uint64_t>(s.names);
    uint64_t h = Mix(i ^ 0x5555);
    int options = 1 + static_cast<int>(h % 3);
    int choice = static_cast<int>(rng() % options);
    uint64_t rh = Mix(h + static_cast<uint64_t>(choice));
    int kind = static_cast<int>((h >> 8) % 100);
    std::string name = NameOf(s, i);
    const char* type;
    std::string rdata;
    if (kind < 75) {
      type = "A";
      rdata = Ipv4(s.nets[rh % s.nets.size()] | static_cast<uint32_t>(1 + (rh >> 32) % 254));
    } else if (kind < 85) {
      type = "AAAA";
      rdata =
          fmt::format("2001:db8:{:x}:{:x}::{:x}", rh % 4000, (rh >> 16) % 16, (rh >> 32) % 65536);
    } else if (kind < 93) {
      type = "CNAME";
      rdata = NameOf(s, rh % static_cast<uint64_t>(s.names)) + ".";
    } else if (kind < 97) {
      type = "NS";
      rdata = fmt::format("ns{}.{}.", choice + 1, s.registered[rh % 50]);  // few DNS hosters
    } else {
      type = "MX";
      rdata = fmt::format("{} mx{}.{}.", 10 * (choice + 1), choice, s.registered[rh % 200]);
    }
    int64_t first = 1'420'000'000 + static_cast<int64_t>(rng() % 315'000'000);
    int64_t last = first + static_cast<int64_t>(rng() % 31'536'000);
    int64_t count = 1 + static_cast<int64_t>(rng() % 1000 < 900 ? rng() % 20 : rng() % 100000);
    line.clear();
    fmt::format_to(std::back_inserter(line),
                   "{{\"count\":{},\"time_first\":{},\"time_last\":{},\"rrname\":\"{}.\","
                   "\"rrtype\":\"{}\",\"bailiwick\":\"{}.\",\"rdata\":[\"{}\"]}}\n",
                   count, first, last, name, type, name.substr(name.find('.') + 1), rdata);
    std::fwrite(line.data(), 1, line.size(), out.get());
  }
}

double Seconds(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

// This process's CPU time: on a shared, loaded machine wall time also counts the waits for a
// core, so both are printed.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

struct Timer {
  Steady::time_point wall = Steady::now();
  double cpu = CpuSeconds();
};

void Print(const char* phase, int64_t records, const Timer& t, const std::string& extra = {}) {
  double wall = Seconds(t.wall);
  double cpu = CpuSeconds() - t.cpu;
  fmt::print(
      "{:<24} {:>10} records  wall {:>7.2f} s {:>9.0f} rec/s  cpu {:>7.2f} s {:>9.0f} rec/s{}\n",
      phase, records, wall, records / wall, cpu, records / cpu, extra);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t records = 10'000'000;
  uint64_t seed = 42;
  std::string dir;
  bool keep = false, skip_parse = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--records" && i + 1 < argc) {
      records = std::stoll(argv[++i]);
    } else if (arg == "--seed" && i + 1 < argc) {
      seed = std::stoull(argv[++i]);
    } else if (arg == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (arg == "--keep") {
      keep = true;
    } else if (arg == "--skip-parse") {
      skip_parse = true;
    } else {
      fmt::print(
          stderr,
          "usage: pdns_ingest [--records N] [--seed S] [--dir DIR] [--keep] [--skip-parse]\n");
      return 2;
    }
  }
  if (dir.empty()) {
    std::string templ = (std::filesystem::temp_directory_path() / "pdns-ingest-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) {
      fmt::print(stderr, "mkdtemp failed\n");
      return 1;
    }
    dir = templ;
  }
  std::error_code made;
  std::filesystem::create_directories(dir, made);  // --dir may name a folder not made yet
  if (made) {
    fmt::print(stderr, "cannot create {}: {}\n", dir, made.message());
    return 1;
  }
  const std::string input = dir + "/dnsdb.json";
  const std::string db = dir + "/pdns.db";

  auto start = Steady::now();
  Generate(input, records, seed);
  fmt::print("generated {} DNSDB lines ({:.0f} MiB) in {:.1f} s: {}\n", records,
             std::filesystem::file_size(input) / 1048576.0, Seconds(start), input);

  if (!skip_parse) {
    // 1. Parse and normalise only.
    domain::ingest::IngestReport report;
    int64_t seen = 0;
    Timer parse_timer;
    auto read = domain::pdns::ReadPdnsFile(input, "dnsdb", report,
                                           [&](const domain::pdns::PdnsRecord&) { ++seen; });
    if (!read) {
      fmt::print(stderr, "parse: {}\n", read.error().ToString());
      return 1;
    }
    Print("parse", report.records, parse_timer);

    // 2. The same work one step at a time on this thread, to split the time: parse +
    // aggregate (Add), the flush that builds the sorted batch, and MergePdns of that batch into
    // a fresh store of its own (then deleted).
    domain::ingest::IngestReport report2;
    int64_t distinct = 0;
    double store_cpu = 0, store_wall = 0;
    const std::string split_db = dir + "/split.db";
    std::filesystem::remove(split_db);
    auto split_store = store::OpenSqliteStore(split_db);
    if (!split_store) {
      fmt::print(stderr, "open: {}\n", split_store.error().ToString());
      return 1;
    }
    domain::pdns::PdnsAggregator aggregator([&](std::vector<mamori::store::PdnsRrset>& batch) {
      distinct += static_cast<int64_t>(batch.size());
      Timer t;
      auto merged = (*split_store)->MergePdns(batch);
      store_cpu += CpuSeconds() - t.cpu;
      store_wall += Seconds(t.wall);
      if (!merged) return mamori::Status(tl::unexpected(merged.error()));
      return mamori::Ok();
    });
    Timer aggregate_timer;
    read = domain::pdns::ReadPdnsFile(
        input, "dnsdb", report2,
        [&](const domain::pdns::PdnsRecord& r) { (void)aggregator.Add(r); });
    Print("parse+aggregate", report2.records, aggregate_timer,
          fmt::format("  ({} rrsets pending)", aggregator.pending()));
    Timer flush_timer;
    if (auto flushed = aggregator.Flush(); !flushed) {
      fmt::print(stderr, "flush: {}\n", flushed.error().ToString());
      return 1;
    }
    const double flush_cpu = CpuSeconds() - flush_timer.cpu - store_cpu;
    fmt::print("  split: flush (sort, registered domains, batch) cpu {:.2f} s; MergePdns of {} "
               "rrsets wall {:.2f} s cpu {:.2f} s ({:.2f} us/rrset)\n",
               flush_cpu, distinct, store_wall, store_cpu, store_cpu * 1e6 / std::max<int64_t>(distinct, 1));
    split_store->reset();
    std::filesystem::remove(split_db);
    std::filesystem::remove(split_db + "-wal");
    std::filesystem::remove(split_db + "-shm");
  }

  // 3. The whole ingest into a fresh SQLite store.
  std::filesystem::remove(db);
  auto opened = store::OpenSqliteStore(db);
  if (!opened) {
    fmt::print(stderr, "open: {}\n", opened.error().ToString());
    return 1;
  }
  Timer ingest_timer;
  auto report = domain::pdns::IngestPdnsFile(**opened, input, "dnsdb", {});
  Print("parse+aggregate+store", report ? report->records : 0, ingest_timer);
  if (!report) {
    fmt::print(stderr, "ingest: {}\n", report.error().ToString());
    return 1;
  }
  int64_t rows = 0;
  (void)(*opened)->ForEachPdns([&](const store::PdnsRrset&) {
    ++rows;
    return true;
  });
  opened->reset();
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  fmt::print("stored: {} rrsets merged, {} rows, db {:.0f} MiB, peak RSS {} MiB\n", report->stored,
             rows, std::filesystem::file_size(db) / 1048576.0, usage.ru_maxrss / 1024);
  if (report->malformed != 0) fmt::print("malformed lines: {}\n", report->malformed);
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
