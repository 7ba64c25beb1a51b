// IP → ASN/country lookup speed (issue 5 point 1; target ≥ 2M lookups/s on one core for the
// table form). Not a Google Benchmark binary (so not *_bench.cc): run by hand, pinned.
//   ipinfo_lookup [--lookups N] [--seed S]
//       synthetic data shaped like iptoasn.com's combined table (480,000 IPv4 and 100,000 IPv6
//       ranges, 70,000 ASNs), written as TSV and as an MMDB (domain/ipinfo/testing/mmdb_writer.h)
//       in a temporary directory; reports load time and single-thread lookups/s of each form.
//   ipinfo_lookup [--lookups N] FILE...
//       the same measurement on real files (OpenIpInfo: .mmdb and/or iptoasn TSV), with random
//       IPv4 (80%) and IPv6 (20%) addresses.
// Addresses: half inside a range of the synthetic data (hits), half uniformly random.
#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/ip.h"
#include "domain/ipinfo/asn_table.h"
#include "domain/ipinfo/ip_info.h"
#include "domain/ipinfo/testing/mmdb_writer.h"

namespace {

using mamori::Cidr;
using mamori::IpAddress;
using namespace mamori::domain::ipinfo;
using Clock = std::chrono::steady_clock;

struct Block {
  IpAddress network;
  int prefix = 0;
  uint32_t asn = 0;
};

IpAddress V6(uint64_t high, uint64_t low) {
  std::array<uint8_t, 16> b{};
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(high >> (56 - 8 * i));
    b[8 + i] = static_cast<uint8_t>(low >> (56 - 8 * i));
  }
  return IpAddress::FromV6(b);
}

std::string Org(uint32_t asn) { return fmt::format("AS{}-NET Example Networks Ltd", asn); }
std::string Country(uint32_t asn) {
  static const char* kCodes[] = {"US", "DE", "JP", "BR", "FR", "CN", "RU", "NL", "GB", "IN"};
  return kCodes[asn % 10];
}

std::vector<Block> MakeBlocks(std::mt19937_64& rng) {
  std::vector<Block> blocks;
  std::uniform_int_distribution<int> v4_prefix(19, 24), v6_prefix(32, 48);
  std::uniform_int_distribution<uint32_t> asn(1, 70000);
  // IPv4: one /19-aligned slot per block from 1.0.0.0, a random /19../24 at its start.
  for (uint32_t i = 0; i < 480000; ++i) {
    blocks.push_back({IpAddress::FromV4(16777216u + i * 8192u), v4_prefix(rng), asn(rng)});
  }
  // IPv6: one /32 slot per block in 2000::/3.
  for (uint64_t i = 0; i < 100000; ++i) {
    blocks.push_back({V6((uint64_t{0x2000} << 48) | (i << 32), 0), v6_prefix(rng), asn(rng)});
  }
  return blocks;
}

std::vector<IpAddress> MakeAddresses(const std::vector<Block>& blocks, size_t n,
                                     std::mt19937_64& rng) {
  std::vector<IpAddress> out;
  out.reserve(n);
  std::uniform_int_distribution<size_t> pick(0, blocks.size() - 1);
  std::uniform_int_distribution<uint64_t> any;
  for (size_t i = 0; i < n; ++i) {
    bool v6 = (i % 5) == 4;
    if (i % 2 == 0 && !blocks.empty()) {
      const Block& b = blocks[pick(rng)];
      uint64_t r = any(rng);
      if (b.network.is_v4()) {
        uint32_t host_mask = b.prefix == 32 ? 0 : (0xffffffffu >> b.prefix);
        out.push_back(IpAddress::FromV4(b.network.v4() | (static_cast<uint32_t>(r) & host_mask)));
      } else {
        auto bytes = b.network.bytes();
        for (int k = 8; k < 16; ++k) bytes[k] = static_cast<uint8_t>(r >> (8 * (k - 8)));
        out.push_back(IpAddress::FromV6(bytes));
      }
    } else if (!v6) {
      out.push_back(IpAddress::FromV4(static_cast<uint32_t>(any(rng))));
    } else {
      out.push_back(V6((uint64_t{0x2000} << 48) | (any(rng) >> 16), any(rng)));
    }
  }
  return out;
}

// CPU time of this thread: the machine may be shared, and wall time then mostly measures others.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

void Measure(const char* name, const IpInfoSource& source, const std::vector<IpAddress>& addrs) {
  // One untimed pass warms caches and page-ins of the mapped MMDB.
  uint64_t found = 0, checksum = 0;
  for (const IpAddress& a : addrs) {
    if (auto info = source.Lookup(a)) ++found;
  }
  found = 0;
  auto start = Clock::now();
  double cpu_start = ThreadCpuSeconds();
  for (const IpAddress& a : addrs) {
    if (auto info = source.Lookup(a)) {
      ++found;
      checksum += info->asn + info->as_org.size() + info->country.size();
    }
  }
  double cpu = ThreadCpuSeconds() - cpu_start;
  double wall = Seconds(start);
  fmt::print(
      "{:<22} {:>9} lookups  cpu {:>6.3f} s = {:>5.2f} M lookups/s ({:>4.0f} ns each)  "
      "wall {:>6.3f} s = {:>5.2f} M/s  found {:.1f}%  (checksum {})\n",
      name, addrs.size(), cpu, addrs.size() / cpu / 1e6, cpu * 1e9 / addrs.size(), wall,
      addrs.size() / wall / 1e6, 100.0 * found / addrs.size(), checksum);
}

// Baseline: no search at all, the same IpInfo (with an organisation name long enough to need a
// heap allocation, as most do) for every address — the floor of the loop and the result copy.
class ConstantSource final : public IpInfoSource {
 public:
  std::optional<IpInfo> Lookup(const IpAddress& address) const override {
    return IpInfo{1, "AS1-NET Example Networks Ltd", "US"};
  }
};

}  // namespace

int main(int argc, char** argv) {
  size_t lookups = 5000000;
  uint64_t seed = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--lookups" && i + 1 < argc) {
      lookups = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg.rfind("--", 0) == 0) {
      fmt::print(stderr, "usage: ipinfo_lookup [--lookups N] [--seed S] [FILE...]\n");
      return 2;
    } else {
      files.push_back(arg);
    }
  }
  std::mt19937_64 rng(seed);

  if (!files.empty()) {
    auto start = Clock::now();
    std::vector<IpInfoFileReport> report;
    auto source = OpenIpInfo(files, &report);
    if (!source) {
      fmt::print(stderr, "{}\n", source.error().ToString());
      return 1;
    }
    fmt::print("opened {} file(s) in {:.2f} s\n", files.size(), Seconds(start));
    for (const auto& r : report) {
      fmt::print("  {}: {} ({} entries, {} malformed lines)\n", r.path, r.description, r.entries,
                 r.malformed_lines);
    }
    Measure("files", **source, MakeAddresses({}, lookups, rng));
    return 0;
  }

  std::vector<Block> blocks = MakeBlocks(rng);
  std::vector<IpAddress> addrs = MakeAddresses(blocks, lookups, rng);
  char dir_template[] = "/tmp/ipinfo-lookup-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) return 1;
  std::filesystem::path dir = dir_template;

  // TSV table.
  std::string tsv_path = (dir / "ip2asn-combined.tsv").string();
  {
    std::ofstream tsv(tsv_path);
    for (const Block& b : blocks) {
      Cidr cidr = Cidr::Of(b.network, b.prefix);
      tsv << cidr.network().ToString() << '\t' << cidr.LastAddress().ToString() << '\t' << b.asn
          << '\t' << Country(b.asn) << '\t' << Org(b.asn) << '\n';
    }
  }
  auto start = Clock::now();
  AsnTableLoadReport load;
  auto table = AsnTable::Load(tsv_path, &load);
  if (!table) {
    fmt::print(stderr, "{}\n", table.error().ToString());
    return 1;
  }
  fmt::print("table: loaded {} ranges ({} v4, {} v6) from {} MB in {:.2f} s\n", load.ranges,
             table->v4_ranges(), table->v6_ranges(), std::filesystem::file_size(tsv_path) / 1000000,
             Seconds(start));
  Measure("baseline (no search)", ConstantSource(), addrs);
  Measure("table (AsnTable)", *table, addrs);

  // MMDB with the same networks; 28-bit records, as the data section outgrows 24 bits.
  std::string mmdb_path = (dir / "synthetic-asn.mmdb").string();
  {
    testing::MmdbWriterOptions options;
    options.record_size = 28;
    options.database_type = "GeoLite2-ASN";
    testing::MmdbWriter writer(options);
    for (const Block& b : blocks) {
      auto st = writer.Insert(Cidr::Of(b.network, b.prefix), testing::AsnRecord(b.asn, Org(b.asn)));
      if (!st) return 1;
    }
    auto st = writer.WriteFile(mmdb_path);
    if (!st) {
      fmt::print(stderr, "{}\n", st.error().ToString());
      return 1;
    }
  }
  auto mmdb = OpenIpInfo({mmdb_path});
  if (!mmdb) {
    fmt::print(stderr, "{}\n", mmdb.error().ToString());
    return 1;
  }
  fmt::print("mmdb: {} MB\n", std::filesystem::file_size(mmdb_path) / 1000000);
  Measure("mmdb (libmaxminddb)", **mmdb, addrs);
  std::filesystem::remove_all(dir);
  return 0;
}
