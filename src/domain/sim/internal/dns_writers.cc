// Writers of the DNS side of the domain world: Farsight DNSDB JSON lines, Zeek dns.log for the
// last days, and the iptoasn.com table (layout: docs/domain-sim.md).
#include <algorithm>
#include <cmath>

#include "domain/sim/internal/output.h"
#include "domain/sim/names.h"
#include "domain/sim/random.h"

namespace mamori::domain::sim::internal {

namespace {

uint64_t Hash(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  return Mix64(Mix64(Mix64(seed ^ a) ^ b) ^ c);
}

std::string QueryName(const Domain& d, uint8_t name) {
  return name == 0 ? d.name : "www." + d.name;
}

// Poisson draw by inversion (means here are small; capped for safety).
int Poisson(Rng& rng, double mean) {
  if (mean <= 0) return 0;
  double l = std::exp(-std::min(mean, 60.0)), p = 1;
  int k = 0;
  do {
    ++k;
    p *= rng.Uniform();
  } while (p > l && k < 200);
  return k - 1;
}

constexpr std::string_view kZeekFields =
    "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\t"
    "qclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected";
constexpr std::string_view kZeekTypes =
    "time\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\t"
    "string\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool";
constexpr int kClients = 12;
constexpr int kInfectedClients = 3;  // clients 0..2 run malware and look up C2 names

}  // namespace

Status WriteDnsdb(const World& world, OutputDir& dir, const ProgressFn& progress) {
  if (progress) progress("pdns", "dnsdb.jsonl");
  const int last = world.config.days - 1;
  const uint64_t seed = world.config.seed;
  auto f = OutFile::Open(dir, "pdns/dnsdb.jsonl");
  if (!f) return tl::unexpected(f.error());
  for (size_t i = 0; i < world.domains.size(); ++i) {
    const Domain& d = world.domains[i];
    for (size_t s = 0; s < d.dns.size(); ++s) {
      const DnsSegment& seg = d.dns[s];
      uint64_t h = Hash(seed, i, s, 0xd5);
      // First and last sighting fall inside the first and last day of the period.
      int64_t first = DayEpoch(world, seg.from) + static_cast<int64_t>(h % 43200);
      int64_t last_seen = DayEpoch(world, seg.to) + 43200 + static_cast<int64_t>((h >> 20) % 43199);
      double share = seg.name == 0 ? 0.6 : 0.4;
      auto count = std::max<int64_t>(
          1, std::llround(d.queries_per_day * share * (seg.to - seg.from + 1) *
                          (0.5 + static_cast<double>((h >> 40) % 1000) / 1000.0)));
      (*f)->Print(
          "{{\"count\":{},\"time_first\":{},\"time_last\":{},\"rrname\":\"{}.\",\"rrtype\":\"A\","
          "\"bailiwick\":\"{}.\",\"rdata\":[\"{}\"]}}\n",
          count, first, last_seen, QueryName(d, seg.name), d.name, FormatIp(seg.ip));
    }
    // Delegation (NS) records as the TLD's servers return them, per registration.
    for (size_t r = 0; r < d.regs.size(); ++r) {
      const Registration& reg = d.regs[r];
      int from = std::max(reg.zone_from, -kPdnsHistoryDays);
      int to = std::min(reg.zone_to, last);
      if (from > to) continue;
      uint64_t h = Hash(seed, i, r, 0x45);
      for (const std::string& ns : world.ns_sets[reg.ns_set]) {
        (*f)->Print(
            "{{\"count\":{},\"time_first\":{},\"time_last\":{},\"rrname\":\"{}.\","
            "\"rrtype\":\"NS\",\"bailiwick\":\"{}.\",\"rdata\":[\"{}.\"]}}\n",
            std::max<int64_t>(1, std::llround(d.queries_per_day * 0.05 * (to - from + 1))),
            DayEpoch(world, from) + static_cast<int64_t>(h % 43200),
            DayEpoch(world, to) + 43200 + static_cast<int64_t>((h >> 20) % 43199), d.name,
            world.tlds[d.tld], ns);
      }
    }
  }
  return (*f)->Close();
}

Status WriteZeek(const World& world, OutputDir& dir, const ProgressFn& progress) {
  const int days = world.config.days;
  struct Row {
    int64_t micros;
    std::string line;
  };
  for (int day = days - world.config.zeek_days; day < days; ++day) {
    if (progress) progress("zeek", DayDate(world, day));
    Rng rng(world.config.seed, "zeek:" + std::to_string(day));
    std::vector<Row> rows;
    auto add = [&](int client, const std::string& query, const std::vector<uint32_t>& ips,
                   const std::vector<uint32_t>& ttls) {
      int64_t micros = DayEpoch(world, day) * 1000000 +
                       static_cast<int64_t>(rng.Below(uint64_t{86400} * 1000000));
      std::string uid = "C";
      constexpr std::string_view kB62 =
          "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
      for (int k = 0; k < 17; ++k) uid += kB62[rng.Below(kB62.size())];
      std::string answers = "-", ttl_text = "-";
      if (!ips.empty()) {
        answers.clear(), ttl_text.clear();
        for (size_t k = 0; k < ips.size(); ++k) {
          answers += (k ? "," : "") + FormatIp(ips[k]);
          ttl_text += fmt::format("{}{}.000000", k ? "," : "", ttls[k]);
        }
      }
      bool nx = ips.empty();
      rows.push_back(
          {micros,
           fmt::format("{}.{:06d}\t{}\t10.20.0.{}\t{}\t10.20.0.53\t53\tudp\t{}\t{:.6f}\t{}\t1\t"
                       "C_INTERNET\t1\tA\t{}\t{}\tF\tF\tT\tT\t0\t{}\t{}\tF\n",
                       micros / 1000000, micros % 1000000, uid, 11 + client,
                       rng.Between(1024, 65535), rng.Below(65536),
                       0.0005 + 0.08 * rng.Uniform(), query, nx ? 3 : 0,
                       nx ? "NXDOMAIN" : "NOERROR", answers, ttl_text)});
    };
    for (const Domain& d : world.domains) {
      for (uint8_t name = 0; name < 2; ++name) {
        std::vector<uint32_t> ips, ttls;
        for (const DnsSegment& s : d.dns) {
          if (s.name == name && s.from <= day && day <= s.to) {
            ips.push_back(s.ip);
            ttls.push_back(s.ttl);
          }
        }
        bool c2 = d.malicious && d.active_from <= day && day <= d.active_until;
        if (ips.empty() && !c2) continue;
        if (name == 1 && ips.empty()) continue;
        // Infected clients look up live C2 names often; everyone else browses by popularity.
        double mean = c2 ? std::clamp(d.queries_per_day * 0.02, 1.0, 20.0)
                         : std::clamp(d.queries_per_day * 0.002, 0.02, 30.0);
        if (name == 1) mean *= 0.7;
        int n = Poisson(rng, mean);
        for (int k = 0; k < n; ++k) {
          int client = c2 ? static_cast<int>(rng.Below(kInfectedClients))
                          : static_cast<int>(rng.Below(kClients));
          add(client, QueryName(d, name), ips, ttls);
        }
      }
    }
    // A DGA family active within the last month also makes its bots look up names that were
    // never registered: NXDOMAIN answers (these names are not in truth.csv).
    for (const DgaFamily& fam : world.families) {
      bool recent = false;
      for (const auto& b : fam.bursts) recent |= b.from <= day && day - b.from <= 30;
      if (!recent) continue;
      int scheme_bias = static_cast<int>(fam.name.size() % 3);
      for (int k = 0; k < 15; ++k) {
        std::string name = DgaLabel(rng, fam.scheme, scheme_bias) + "." +
                           world.tlds[fam.tlds[rng.Below(fam.tlds.size())]];
        add(static_cast<int>(rng.Below(kInfectedClients)), name, {}, {});
      }
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return a.micros < b.micros; });
    auto f = OutFile::Open(dir, fmt::format("pdns/zeek/dns-{}.log", DayDate(world, day)));
    if (!f) return tl::unexpected(f.error());
    std::string date = DayDate(world, day);
    (*f)->Print("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
                "#path\tdns\n#open\t{}-00-00-00\n#fields\t{}\n#types\t{}\n",
                date, kZeekFields, kZeekTypes);
    for (const Row& r : rows) (*f)->Write(r.line);
    (*f)->Print("#close\t{}-23-59-59\n", date);
    MAMORI_RETURN_IF_ERROR((*f)->Close());
  }
  return Ok();
}

Status WriteIp2Asn(const World& world, OutputDir& dir) {
  auto f = OutFile::Open(dir, "asn/ip2asn.tsv");
  if (!f) return tl::unexpected(f.error());
  // Like the real table, address space between announced ranges is listed as "Not routed".
  for (size_t i = 0; i < world.asns.size(); ++i) {
    const Asn& a = world.asns[i];
    if (i > 0 && world.asns[i - 1].last_ip + 1 < a.first_ip) {
      (*f)->Print("{}\t{}\t0\tNone\tNot routed\n", FormatIp(world.asns[i - 1].last_ip + 1),
                  FormatIp(a.first_ip - 1));
    }
    (*f)->Print("{}\t{}\t{}\t{}\t{}\n", FormatIp(a.first_ip), FormatIp(a.last_ip), a.number,
                a.country, a.description);
  }
  return (*f)->Close();
}

}  // namespace mamori::domain::sim::internal
