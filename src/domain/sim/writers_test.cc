// Tests of `mamori sim domains`' world and writers on a small world (N=500, M=60): determinism,
// that every file parses in its format, and that the ground truth is consistent with the data.
#include "domain/sim/writers.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/test_temp_dir.h"
#include "domain/sim/world.h"

namespace mamori::domain::sim {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) out.push_back(line);
  return out;
}

std::vector<std::string> Split(const std::string& line, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = line.find(sep, start);
    out.push_back(line.substr(start, pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

uint32_t ParseIp(const std::string& s) {
  auto parts = Split(s, '.');
  EXPECT_EQ(parts.size(), 4u) << s;
  uint32_t ip = 0;
  for (const auto& p : parts) ip = ip * 256 + static_cast<uint32_t>(std::stoul(p));
  return ip;
}

WorldConfig SmallConfig(uint64_t seed = 1) {
  WorldConfig c;
  c.domains = 500;
  c.days = 60;
  c.seed = seed;
  return c;
}

// One small world, built and written once for the whole suite.
class SimDomainsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir("sim-domains");
    auto world = BuildWorld(SmallConfig());
    ASSERT_TRUE(world.has_value()) << world.error().ToString();
    world_ = new World(std::move(*world));
    auto written = WriteWorld(*world_, dir_->path().string());
    ASSERT_TRUE(written.has_value()) << written.error().ToString();
    result_ = new WriteResult(std::move(*written));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete world_;
    delete dir_;
  }
  static fs::path Path(const std::string& relative) { return dir_->path() / relative; }
  static std::map<std::string, std::vector<std::string>> Truth() {
    std::map<std::string, std::vector<std::string>> out;
    auto lines = Lines(ReadAll(Path("truth.csv")));
    for (size_t i = 1; i < lines.size(); ++i) {
      auto cols = Split(lines[i], ',');
      out[cols[0]] = cols;
    }
    return out;
  }
  static int Day(const std::string& date) { return *ParseDate(date) - world_->config.start_epoch_day; }

  static testing::TempDir* dir_;
  static World* world_;
  static WriteResult* result_;
};
testing::TempDir* SimDomainsTest::dir_ = nullptr;
World* SimDomainsTest::world_ = nullptr;
WriteResult* SimDomainsTest::result_ = nullptr;

TEST(SimDomainsCalendar, ParsesAndFormatsDates) {
  EXPECT_EQ(*ParseDate("2025-01-01"), 20089);
  EXPECT_EQ(FormatDate(20089), "2025-01-01");
  EXPECT_EQ(FormatDate(*ParseDate("2024-02-29") + 1), "2024-03-01");
  EXPECT_FALSE(ParseDate("2025-02-30").has_value());
  EXPECT_FALSE(ParseDate("2025-1-01").has_value());
}

TEST(SimDomainsMix, OverridesAndNormalizes) {
  WorldConfig c;
  ASSERT_TRUE(ApplyMix("dga:0.5,fast-flux:0", c).has_value());
  double total = 0;
  for (double s : c.mix) total += s;
  EXPECT_NEAR(total, 1.0, 1e-9);
  EXPECT_EQ(c.mix[static_cast<int>(Kind::kFastFlux)], 0);
  EXPECT_GT(c.mix[static_cast<int>(Kind::kDga)], 0.3);
  auto bad = ApplyMix("nonsense:0.1", c);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("unknown kind"), std::string::npos);
  EXPECT_FALSE(ApplyMix("dga:-1", c).has_value());
  EXPECT_FALSE(ApplyMix("dga", c).has_value());
  WorldConfig small = SmallConfig();
  ASSERT_TRUE(ApplyMix("dga:1,popular:0,stable:0,new:0,random-looking:0,dropcatch:0,"
                       "moved-shared:0,reregistered:0,attacker:0,fast-flux:0,compromised:0",
                       small)
                  .has_value());
  auto world = BuildWorld(small);
  ASSERT_TRUE(world.has_value());
  EXPECT_EQ(world->counts[static_cast<int>(Kind::kDga)], 500);
}

TEST(SimDomainsOutputDir, RefusesNonEmptyUnlessForced) {
  testing::TempDir dir("sim-out");
  std::ofstream(dir.File("mine.txt")) << "keep";
  fs::create_directories(dir.path() / "zones");
  std::ofstream(dir.File("zones/old.txt")) << "stale";
  auto refused = PrepareOutputDir(dir.path().string(), false);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kAlreadyExists);
  ASSERT_TRUE(PrepareOutputDir(dir.path().string(), true).has_value());
  EXPECT_TRUE(fs::exists(dir.File("mine.txt")));
  EXPECT_FALSE(fs::exists(dir.File("zones/old.txt")));
}

TEST(SimDomainsDeterminism, SameSeedSameBytesOtherSeedDiffers) {
  testing::TempDir a("sim-a"), b("sim-b"), c("sim-c");
  auto write = [](const WorldConfig& config, const testing::TempDir& dir) {
    auto world = BuildWorld(config);
    EXPECT_TRUE(world.has_value());
    auto result = WriteWorld(*world, dir.path().string());
    EXPECT_TRUE(result.has_value());
    return result->files;
  };
  auto files_a = write(SmallConfig(1), a);
  auto files_b = write(SmallConfig(1), b);
  write(SmallConfig(2), c);
  ASSERT_EQ(files_a, files_b);
  for (const std::string& f : files_a) {
    ASSERT_EQ(ReadAll(a.path() / f), ReadAll(b.path() / f)) << f;
  }
  EXPECT_NE(ReadAll(a.path() / "truth.csv"), ReadAll(c.path() / "truth.csv"));
  EXPECT_NE(ReadAll(a.path() / "pdns/dnsdb.jsonl"), ReadAll(c.path() / "pdns/dnsdb.jsonl"));
}

TEST_F(SimDomainsTest, WorldJsonListsEveryFile) {
  auto j = nlohmann::json::parse(ReadAll(Path("world.json")));
  EXPECT_EQ(j["seed"], 1);
  EXPECT_EQ(j["start"], "2025-01-01");
  EXPECT_EQ(j["days"], 60);
  std::set<std::string> listed = j["files"].get<std::set<std::string>>();
  std::set<std::string> on_disk;
  for (const auto& e : fs::recursive_directory_iterator(dir_->path())) {
    if (e.is_regular_file()) on_disk.insert(fs::relative(e.path(), dir_->path()).string());
  }
  EXPECT_EQ(listed, on_disk);
  int total = 0;
  for (const auto& [name, kind] : j["kinds"].items()) total += kind["count"].get<int>();
  EXPECT_EQ(total, 500);
  // Every layout family is there: 60 days of zones for 10 TLDs, rdap, popularity, 3 feeds.
  EXPECT_TRUE(listed.count("zones/com-2025-03-01.txt"));
  EXPECT_TRUE(listed.count("rdap/rdap-2025-01-01.jsonl"));
  EXPECT_TRUE(listed.count("popularity/simtop-2025-02-14.csv"));
  EXPECT_TRUE(listed.count("blocklists/simfeed-broad/simfeed-broad-2025-01-31.txt"));
  EXPECT_TRUE(listed.count("pdns/zeek/dns-2025-02-28.log"));
  EXPECT_TRUE(listed.count("pdns/zeek/dns-2025-03-01.log"));
  EXPECT_FALSE(listed.count("pdns/zeek/dns-2025-02-27.log"));
  EXPECT_TRUE(listed.count("asn/ip2asn.tsv"));
}

TEST_F(SimDomainsTest, DnsdbLinesParse) {
  auto lines = Lines(ReadAll(Path("pdns/dnsdb.jsonl")));
  ASSERT_GT(lines.size(), 500u);
  std::set<std::string> types;
  for (const auto& line : lines) {
    auto j = nlohmann::json::parse(line);
    std::string rrname = j.at("rrname"), bailiwick = j.at("bailiwick");
    ASSERT_EQ(rrname.back(), '.') << line;
    ASSERT_EQ(bailiwick.back(), '.') << line;
    ASSERT_TRUE(rrname.size() >= bailiwick.size() &&
                rrname.compare(rrname.size() - bailiwick.size(), bailiwick.size(), bailiwick) == 0)
        << line;
    types.insert(j.at("rrtype").get<std::string>());
    ASSERT_TRUE(j.at("rdata").is_array() && j["rdata"].size() == 1) << line;
    if (j["rrtype"] == "A") ParseIp(j["rdata"][0]);
    ASSERT_LE(j.at("time_first").get<int64_t>(), j.at("time_last").get<int64_t>()) << line;
    ASSERT_GE(j.at("count").get<int64_t>(), 1) << line;
  }
  EXPECT_EQ(types, (std::set<std::string>{"A", "NS"}));
}

TEST_F(SimDomainsTest, ZeekLogsHaveTheRealHeaderAndRows) {
  const std::vector<std::string> fields = {
      "ts",     "uid",         "id.orig_h", "id.orig_p",  "id.resp_h", "id.resp_p",
      "proto",  "trans_id",    "rtt",       "query",      "qclass",    "qclass_name",
      "qtype",  "qtype_name",  "rcode",     "rcode_name", "AA",        "TC",
      "RD",     "RA",          "Z",         "answers",    "TTLs",      "rejected"};
  for (const char* day : {"2025-02-28", "2025-03-01"}) {
    auto lines = Lines(ReadAll(Path(std::string("pdns/zeek/dns-") + day + ".log")));
    ASSERT_GT(lines.size(), 20u);
    EXPECT_EQ(lines[0], "#separator \\x09");
    EXPECT_EQ(lines[1], "#set_separator\t,");
    EXPECT_EQ(lines[2], "#empty_field\t(empty)");
    EXPECT_EQ(lines[3], "#unset_field\t-");
    EXPECT_EQ(lines[4], "#path\tdns");
    EXPECT_EQ(lines[5].rfind("#open\t", 0), 0u);
    auto f = Split(lines[6], '\t');
    ASSERT_EQ(f[0], "#fields");
    EXPECT_EQ(std::vector<std::string>(f.begin() + 1, f.end()), fields);
    auto t = Split(lines[7], '\t');
    ASSERT_EQ(t[0], "#types");
    EXPECT_EQ(t.size(), f.size());
    EXPECT_EQ(lines.back().rfind("#close\t", 0), 0u);
    double previous = 0;
    int nx = 0;
    for (size_t i = 8; i + 1 < lines.size(); ++i) {
      auto cols = Split(lines[i], '\t');
      ASSERT_EQ(cols.size(), fields.size()) << lines[i];
      double ts = std::stod(cols[0]);
      ASSERT_GE(ts, previous);
      previous = ts;
      ASSERT_EQ(cols[15] == "NXDOMAIN", cols[21] == "-") << lines[i];
      nx += cols[15] == "NXDOMAIN";
      if (cols[21] != "-") {
        EXPECT_EQ(Split(cols[21], ',').size(), Split(cols[22], ',').size());
      }
    }
    EXPECT_GT(nx, 0);  // the DGA bots' unregistered names
  }
}

TEST_F(SimDomainsTest, RdapObjectsAreRfc9083Domains) {
  int objects = 0;
  for (const auto& e : fs::directory_iterator(Path("rdap"))) {
    for (const auto& line : Lines(ReadAll(e.path()))) {
      auto j = nlohmann::json::parse(line);
      ++objects;
      ASSERT_EQ(j.at("objectClassName"), "domain");
      ASSERT_FALSE(j.at("ldhName").get<std::string>().empty());
      std::set<std::string> actions;
      for (const auto& ev : j.at("events")) {
        actions.insert(ev.at("eventAction").get<std::string>());
        ASSERT_EQ(ev.at("eventDate").get<std::string>().size(), 20u);
      }
      EXPECT_TRUE(actions.count("registration") && actions.count("expiration") &&
                  actions.count("last changed"));
      // ISO 8601 UTC strings compare in time order.
      std::map<std::string, std::string> at;
      for (const auto& ev : j["events"]) at[ev["eventAction"]] = ev["eventDate"];
      EXPECT_LE(at["registration"], at["last changed"]) << line;
      EXPECT_LE(at["last changed"], at["last update of RDAP database"]) << line;
      EXPECT_LT(at["registration"], at["expiration"]) << line;
      const auto& registrar = j.at("entities").at(0);
      EXPECT_EQ(registrar.at("roles").at(0), "registrar");
      EXPECT_EQ(registrar.at("publicIds").at(0).at("type"), "IANA Registrar ID");
      EXPECT_EQ(registrar.at("vcardArray").at(1).at(1).at(0), "fn");
      const auto& abuse = registrar.at("entities").at(0);
      EXPECT_EQ(abuse.at("roles").at(0), "abuse");
      EXPECT_EQ(abuse.at("vcardArray").at(1).at(3).at(0), "email");
      EXPECT_EQ(j.at("nameservers").size(), 2u);
      EXPECT_FALSE(j.at("status").empty());
    }
  }
  EXPECT_GT(objects, 100);
}

TEST_F(SimDomainsTest, CsvListsAndIp2AsnParse) {
  auto truth = Lines(ReadAll(Path("truth.csv")));
  ASSERT_EQ(truth[0], "domain,kind,malicious,registered_day,active_from,first_listed");
  EXPECT_EQ(truth.size(), 501u);
  for (const auto& l : truth) ASSERT_EQ(Split(l, ',').size(), 6u) << l;
  auto labels = Lines(ReadAll(Path("labels.csv")));
  ASSERT_EQ(labels[0], "domain,label,date,source");
  for (const auto& l : labels) ASSERT_EQ(Split(l, ',').size(), 4u) << l;
  // Top lists: rank,domain with ranks 1..n, each domain once.
  auto top = Lines(ReadAll(Path("popularity/simtop-2025-02-01.csv")));
  ASSERT_FALSE(top.empty());
  std::set<std::string> seen;
  for (size_t i = 0; i < top.size(); ++i) {
    auto cols = Split(top[i], ',');
    ASSERT_EQ(cols.size(), 2u);
    EXPECT_EQ(cols[0], std::to_string(i + 1));
    EXPECT_TRUE(seen.insert(cols[1]).second);
  }
  // Zone lists: sorted names under their TLD.
  auto zone = Lines(ReadAll(Path("zones/com-2025-01-15.txt")));
  ASSERT_FALSE(zone.empty());
  EXPECT_TRUE(std::is_sorted(zone.begin(), zone.end()));
  for (const auto& name : zone) ASSERT_EQ(name.substr(name.size() - 4), ".com");
  // ip2asn: five fields, ordered, non-overlapping ranges.
  auto asn = Lines(ReadAll(Path("asn/ip2asn.tsv")));
  ASSERT_GT(asn.size(), 40u);
  int64_t previous_end = -1;
  for (const auto& l : asn) {
    auto cols = Split(l, '\t');
    ASSERT_EQ(cols.size(), 5u) << l;
    int64_t start = ParseIp(cols[0]), end = ParseIp(cols[1]);
    ASSERT_LE(start, end) << l;
    ASSERT_GT(start, previous_end) << l;
    previous_end = end;
    std::stoul(cols[2]);
  }
}

TEST_F(SimDomainsTest, MaliciousDomainsHaveConsistentDates) {
  int malicious = 0, listed = 0;
  for (const auto& [name, cols] : Truth()) {
    if (cols[2] != "1") {
      EXPECT_TRUE(cols[4].empty()) << name;
      continue;
    }
    ++malicious;
    ASSERT_FALSE(cols[4].empty()) << name << " has no active_from";
    EXPECT_LT(Day(cols[4]), world_->config.days) << name << " active only after the end";
    if (!cols[5].empty()) {
      ++listed;
      EXPECT_GE(Day(cols[5]), Day(cols[4])) << name << " listed before it was active";
    }
  }
  EXPECT_GT(malicious, 100);
  EXPECT_GT(listed, malicious / 3);
  EXPECT_LT(listed, malicious);  // some are never listed
}

TEST_F(SimDomainsTest, MaliciousLabelsAreTheFirstListing) {
  auto truth = Truth();
  std::map<std::string, std::string> malicious_label;
  int benign_labels = 0;
  for (const auto& l : Lines(ReadAll(Path("labels.csv")))) {
    auto cols = Split(l, ',');
    if (cols[1] == "malicious") malicious_label[cols[0]] = cols[2];
    if (cols[1] == "benign") {
      ++benign_labels;
      EXPECT_EQ(cols[3], "simtop");
    }
  }
  EXPECT_GT(benign_labels, 0);
  for (const auto& [name, cols] : truth) {
    if (cols[5].empty()) {
      EXPECT_EQ(malicious_label.count(name), 0u) << name;
    } else {
      EXPECT_EQ(malicious_label[name], cols[5]) << name;
    }
  }
  // The feed named in the label did list the domain that day.
  for (const auto& l : Lines(ReadAll(Path("labels.csv")))) {
    auto cols = Split(l, ',');
    if (cols[1] != "malicious") continue;
    auto list = Lines(ReadAll(Path("blocklists/" + cols[3] + "/" + cols[3] + "-" + cols[2] + ".txt")));
    EXPECT_TRUE(std::binary_search(list.begin(), list.end(), cols[0])) << l;
  }
}

TEST_F(SimDomainsTest, ReregisteredDomainsHaveAZoneGapAndANewRegistrar) {
  auto truth = Truth();
  // Days each domain is in its zone, from the zone files.
  std::map<std::string, std::set<int>> in_zone;
  for (const auto& e : fs::directory_iterator(Path("zones"))) {
    std::string file = e.path().filename().string();  // <tld>-YYYY-MM-DD.txt
    int day = Day(file.substr(file.size() - 14, 10));
    for (const auto& name : Lines(ReadAll(e.path()))) in_zone[name].insert(day);
  }
  // Registrations seen in RDAP: domain -> {(registration date, registrar id)}.
  std::map<std::string, std::set<std::pair<std::string, std::string>>> rdap;
  for (const auto& e : fs::directory_iterator(Path("rdap"))) {
    for (const auto& line : Lines(ReadAll(e.path()))) {
      auto j = nlohmann::json::parse(line);
      std::string created;
      for (const auto& ev : j["events"]) {
        if (ev["eventAction"] == "registration") created = ev["eventDate"];
      }
      rdap[j["ldhName"]].insert(
          {created.substr(0, 10), j["entities"][0]["publicIds"][0]["identifier"]});
    }
  }
  int checked = 0;
  for (const auto& [name, cols] : truth) {
    if (cols[1] != "reregistered" && cols[1] != "dropcatch") continue;
    ++checked;
    const std::set<int>& days = in_zone[name];
    ASSERT_FALSE(days.empty()) << name;
    int rereg = Day(cols[3]);
    // In the zone before, absent for a while, back from the re-registration day.
    EXPECT_TRUE(days.count(0)) << name;
    EXPECT_FALSE(days.count(rereg - 1)) << name;
    EXPECT_TRUE(days.count(rereg)) << name;
    const auto& regs = rdap[name];
    ASSERT_GE(regs.size(), 2u) << name;
    auto second = std::find_if(regs.begin(), regs.end(),
                               [&](const auto& r) { return r.first == cols[3]; });
    ASSERT_NE(second, regs.end()) << name;
    for (const auto& r : regs) {
      if (r.first < cols[3]) {
        EXPECT_NE(r.second, second->second) << name << " kept its registrar";
      }
    }
    if (cols[1] == "reregistered") {
      EXPECT_GE(Day(cols[4]), rereg) << name;
    }
  }
  EXPECT_GT(checked, 10);
}

TEST_F(SimDomainsTest, DgaDomainsFirstResolveWithinTheirBurst) {
  std::map<std::string, int64_t> first_seen;
  for (const auto& line : Lines(ReadAll(Path("pdns/dnsdb.jsonl")))) {
    auto j = nlohmann::json::parse(line);
    if (j["rrtype"] != "A") continue;
    std::string name = j["rrname"];
    name.pop_back();
    int64_t t = j["time_first"];
    auto [it, fresh] = first_seen.emplace(name, t);
    if (!fresh) it->second = std::min(it->second, t);
  }
  int checked = 0;
  for (const Domain& d : world_->domains) {
    if (d.kind != Kind::kDga) continue;
    ASSERT_TRUE(first_seen.count(d.name)) << d.name;
    int day = static_cast<int>(first_seen[d.name] / 86400) - world_->config.start_epoch_day;
    bool inside = false;
    for (const auto& b : world_->families.at(d.group).bursts) inside |= b.from <= day && day <= b.to;
    EXPECT_TRUE(inside) << d.name << " first seen on day " << day;
    ++checked;
  }
  EXPECT_GT(checked, 20);
}

TEST_F(SimDomainsTest, BulletproofIpsAreReusedAcrossCampaigns) {
  auto j = nlohmann::json::parse(ReadAll(Path("world.json")));
  std::set<uint32_t> bp_asns;
  for (const auto& n : j["asns"]["bulletproof"]) bp_asns.insert(n.get<uint32_t>());
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> ranges;  // start, end, asn
  for (const auto& l : Lines(ReadAll(Path("asn/ip2asn.tsv")))) {
    auto cols = Split(l, '\t');
    ranges.emplace_back(ParseIp(cols[0]), ParseIp(cols[1]), std::stoul(cols[2]));
  }
  auto is_bp = [&](uint32_t ip) {
    for (const auto& [s, e, asn] : ranges) {
      if (s <= ip && ip <= e) return bp_asns.count(asn) > 0;
    }
    return false;
  };
  auto truth = Truth();
  // ip -> (domain -> first day seen on it), malicious domains only.
  std::map<uint32_t, std::map<std::string, int64_t>> users;
  for (const auto& line : Lines(ReadAll(Path("pdns/dnsdb.jsonl")))) {
    auto r = nlohmann::json::parse(line);
    if (r["rrtype"] != "A") continue;
    std::string rrname = r["rrname"], apex = r["bailiwick"];
    apex.pop_back();
    if (truth[apex][2] != "1") continue;
    uint32_t ip = ParseIp(r["rdata"][0]);
    if (!is_bp(ip)) continue;
    int64_t t = r["time_first"];
    auto [it, fresh] = users[ip].emplace(apex, t);
    if (!fresh) it->second = std::min(it->second, t);
  }
  ASSERT_FALSE(users.empty());
  int reused_over_time = 0;
  for (const auto& [ip, domains] : users) {
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (const auto& [name, t] : domains) lo = std::min(lo, t), hi = std::max(hi, t);
    // More than one malicious domain, first seen at least a week apart: successive campaigns.
    if (domains.size() > 1 && hi - lo > 7 * 86400) ++reused_over_time;
  }
  EXPECT_GE(reused_over_time, 2);
}

TEST_F(SimDomainsTest, CompromisedSitesKeepTheirAddresses) {
  int checked = 0;
  for (const Domain& d : world_->domains) {
    if (d.kind != Kind::kCompromised) continue;
    ASSERT_NE(d.active_from, kNoDay);
    EXPECT_LT(d.regs.front().created, 0) << d.name;
    // The same addresses all along: nothing in DNS marks the compromise.
    for (const DnsSegment& s : d.dns) {
      EXPECT_EQ(s.from, std::max(d.regs.front().created, -kPdnsHistoryDays)) << d.name;
      EXPECT_EQ(s.to, world_->config.days - 1) << d.name;
    }
    ++checked;
  }
  EXPECT_GT(checked, 5);
}

TEST_F(SimDomainsTest, FastFluxUsesManyResidentialAsns) {
  int checked = 0;
  for (const Domain& d : world_->domains) {
    if (d.kind != Kind::kFastFlux) continue;
    std::set<uint32_t> asns;
    for (const DnsSegment& s : d.dns) {
      const Asn* a = world_->AsnOf(s.ip);
      ASSERT_NE(a, nullptr);
      EXPECT_EQ(a->kind, AsnKind::kResidential);
      asns.insert(a->number);
    }
    EXPECT_FALSE(d.dns.empty()) << d.name;
    int live_days = std::min(d.active_until, world_->config.days - 1) - d.active_from + 1;
    if (live_days >= 5) {
      EXPECT_GE(asns.size(), 8u) << d.name;
      ++checked;
    }
  }
  EXPECT_GT(checked, 3);
}

}  // namespace
}  // namespace mamori::domain::sim
