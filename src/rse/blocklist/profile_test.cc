#include "rse/blocklist/profile.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

namespace mamori::rse::blocklist {
namespace {

namespace fs = std::filesystem;

// The error text for `toml` parsed as "p.toml", or "OK".
std::string ErrorFor(std::string_view toml) {
  auto profile = ParseProfile(toml, "p.toml", "p");
  if (profile) return "OK";
  return profile.error().ToString();
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mamori_profile_XXXXXX");
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  fs::path Write(const std::string& relative, std::string_view text) const {
    fs::path p = path_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  fs::path path_;
};

fs::path ShippedProfilesDir() {
  const char* env = std::getenv("MAMORI_SOURCE_DIR");
  return fs::path(env != nullptr ? env : MAMORI_SOURCE_DIR) / "data" / "profiles";
}

TEST(DeviceKindTest, NamesRoundTrip) {
  for (DeviceKind kind :
       {DeviceKind::kPaloAltoEdl, DeviceKind::kFortigateFeed, DeviceKind::kNftables,
        DeviceKind::kIpset, DeviceKind::kPf, DeviceKind::kUnboundRpz, DeviceKind::kBindRpz,
        DeviceKind::kHosts, DeviceKind::kCsv, DeviceKind::kStix}) {
    auto parsed = ParseDeviceKind(DeviceKindName(kind));
    ASSERT_TRUE(parsed) << DeviceKindName(kind);
    EXPECT_EQ(*parsed, kind);
  }
  EXPECT_EQ(DeviceKindName(DeviceKind::kPaloAltoEdl), "paloalto-edl");
  EXPECT_EQ(DeviceKindName(DeviceKind::kUnboundRpz), "unbound-rpz");
  EXPECT_FALSE(ParseDeviceKind("PaloAlto-EDL"));
  EXPECT_FALSE(ParseDeviceKind(""));
}

TEST(ParseProfileTest, ReadsEveryKey) {
  auto p = ParseProfile(R"(
name = "edge.fw-1"
description = "edge firewall"
kind = "unbound-rpz"
refresh = "15m"
min_score = 40
categories = ["c2", "malware"]
sources = ["feodo"]
cidr = "per-address"
wildcard_domains = false

[capacity]
ip = 10
domain = 20
total = 25

[output]
nft_table = "t1"
set_name = "s_1"
rpz_zone = "RPZ.Example."
rpz_action = "walled-garden.example"

[delivery]
bearer_token_sha256 = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
basic_user = "fw"
basic_password_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
)",
                        "x.toml", "x");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->name, "edge.fw-1");
  EXPECT_EQ(p->description, "edge firewall");
  EXPECT_EQ(p->kind, DeviceKind::kUnboundRpz);
  EXPECT_EQ(p->refresh_seconds, 900);
  EXPECT_EQ(p->min_score, 40);
  EXPECT_EQ(p->categories, (std::vector<std::string>{"c2", "malware"}));
  EXPECT_EQ(p->sources, (std::vector<std::string>{"feodo"}));
  EXPECT_EQ(p->cidr, CidrPolicy::kPerAddress);
  EXPECT_FALSE(p->wildcard_domains);
  EXPECT_EQ(p->capacity.ip, 10);
  EXPECT_EQ(p->capacity.domain, 20);
  EXPECT_EQ(p->capacity.url, 0);
  EXPECT_EQ(p->capacity.hash, 0);
  EXPECT_EQ(p->capacity.total, 25);
  EXPECT_EQ(p->nft_table, "t1");
  EXPECT_EQ(p->set_name, "s_1");
  EXPECT_EQ(p->rpz_zone, "rpz.example");
  EXPECT_EQ(p->rpz_action, "walled-garden.example");
  // Digests are stored lower case.
  EXPECT_EQ(p->auth.bearer_token_sha256,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  EXPECT_EQ(p->auth.basic_user, "fw");
}

TEST(ParseProfileTest, DefaultsComeFromTheKindAndTheFileName) {
  auto p = ParseProfile("kind = \"unbound-rpz\"\n", "dns.toml", "dns");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->name, "dns");
  EXPECT_EQ(p->refresh_seconds, 3600);
  EXPECT_EQ(p->min_score, 0);
  EXPECT_EQ(p->capacity.domain, 1'000'000);
  EXPECT_EQ(p->capacity.ip, 100'000);
  EXPECT_TRUE(p->wildcard_domains);
  EXPECT_EQ(p->cidr, CidrPolicy::kOneEntry);
  EXPECT_EQ(p->rpz_zone, "rpz.mamori");
  EXPECT_EQ(p->rpz_action, "nxdomain");
  EXPECT_TRUE(p->auth.bearer_token_sha256.empty());

  auto ipset = ParseProfile("kind = \"ipset\"\n", "i.toml", "i");
  ASSERT_TRUE(ipset);
  EXPECT_EQ(ipset->capacity.ip, 65'536);
  EXPECT_FALSE(ipset->wildcard_domains);

  // [capacity] replaces the kind's defaults as a whole.
  auto only_ip = ParseProfile("kind = \"bind-rpz\"\n[capacity]\nip = 5\n", "b.toml", "b");
  ASSERT_TRUE(only_ip);
  EXPECT_EQ(only_ip->capacity.ip, 5);
  EXPECT_EQ(only_ip->capacity.domain, 0);
}

TEST(ParseProfileTest, RefreshForms) {
  auto refresh = [](std::string_view value) -> int64_t {
    auto p = ParseProfile(fmt::format("kind = \"pf\"\nrefresh = {}\n", value), "p.toml", "p");
    return p ? p->refresh_seconds : -1;
  };
  EXPECT_EQ(refresh("\"1h\""), 3600);
  EXPECT_EQ(refresh("\"15m\""), 900);
  EXPECT_EQ(refresh("\"3600\""), 3600);
  EXPECT_EQ(refresh("\"90s\""), 90);
  EXPECT_EQ(refresh("\"1d\""), 86400);
  EXPECT_EQ(refresh("7200"), 7200);
  EXPECT_EQ(refresh("\"30s\""), -1);   // below a minute
  EXPECT_EQ(refresh("\"31d\""), -1);   // above 30 days
  EXPECT_EQ(refresh("\"1 h\""), -1);
  EXPECT_EQ(refresh("\"h\""), -1);
  EXPECT_EQ(refresh("\"99999999999999999h\""), -1);
  EXPECT_EQ(refresh("1.5"), -1);
}

TEST(ParseProfileTest, ErrorsNameTheFileLineAndKey) {
  EXPECT_EQ(ErrorFor("kind = \"pf\"\ncolour = \"red\"\n"),
            "p.toml:2: unknown key 'colour' (known keys: name, description, kind, refresh, "
            "min_score, categories, sources, cidr, wildcard_domains, [capacity], [output], "
            "[delivery])");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\n\n[capacity]\nip = 5\nipv4 = 3\n"),
            "p.toml:5: unknown key 'capacity.ipv4' (known keys in [capacity]: ip, domain, url, "
            "hash, total)");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\n[output]\nzone = \"x\"\n"),
            "p.toml:3: unknown key 'output.zone' (known keys in [output]: nft_table, set_name, "
            "rpz_zone, rpz_action)");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\n[delivery]\ntoken = \"x\"\n"),
            "p.toml:3: unknown key 'delivery.token' (known keys in [delivery]: "
            "bearer_token_sha256, basic_user, basic_password_sha256)");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\nmin_score = 101\n"),
            "p.toml:2: key 'min_score' must be an integer in 0..100, got 101");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\nmin_score = \"high\"\n"),
            "p.toml:2: key 'min_score' must be an integer in 0..100, got a string");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\n[capacity]\nip = -1\n"),
            "p.toml:3: key 'capacity.ip' must be an integer in 0..1000000000, got -1");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\nwildcard_domains = \"yes\"\n"),
            "p.toml:2: key 'wildcard_domains' must be a boolean (true or false), got a string");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\ncidr = \"split\"\n"),
            "p.toml:2: key 'cidr' must be one of one-entry|per-address|unsupported, got 'split'");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\ncategories = [\"c2\", 3]\n"),
            "p.toml:2: key 'categories' must be an array of non-empty strings, got an integer");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\ncapacity = 5\n"),
            "p.toml:2: 'capacity' must be a table ([capacity]), got an integer");
  EXPECT_EQ(ErrorFor("kind = \"checkpoint\"\n"),
            "p.toml:1: unknown kind 'checkpoint' (known kinds: paloalto-edl, fortigate-feed, "
            "nftables, ipset, pf, unbound-rpz, bind-rpz, hosts, csv, stix)");
  EXPECT_EQ(ErrorFor("description = \"x\"\n"),
            "p.toml: missing key 'kind' (one of paloalto-edl, fortigate-feed, nftables, ipset, "
            "pf, unbound-rpz, bind-rpz, hosts, csv, stix)");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\nname = \"Edge FW\"\n"),
            "p.toml:2: key 'name' must match [a-z0-9][a-z0-9._-]* (at most 64 characters), got "
            "'Edge FW'");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\n[output]\nset_name = \"a-b\"\n"),
            "p.toml:3: key 'output.set_name' must be a name of letters, digits and '_' (at most "
            "28 characters), got 'a-b'");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\n[output]\nrpz_action = \"not a name!\"\n"),
            "p.toml:3: key 'output.rpz_action' must be one of "
            "nxdomain|nodata|drop|passthru|tcp-only or a DNS name to answer with as CNAME, got "
            "'not a name!'");
  EXPECT_NE(ErrorFor("kind = \"pf\"\nrefresh = \"soon\"\n").find("p.toml:2: key 'refresh'"),
            std::string::npos);
  // TOML syntax errors carry line and column.
  EXPECT_EQ(ErrorFor("kind = \"pf\"\nrefresh = \n").rfind("p.toml:2:", 0), 0u);
}

TEST(ParseProfileTest, ReportsTheFirstProblemInTheFileAndCountsTheRest) {
  EXPECT_EQ(ErrorFor("kind = \"pf\"\nzzz = 1\naaa = 2\n"),
            "p.toml:2: unknown key 'zzz' (known keys: name, description, kind, refresh, "
            "min_score, categories, sources, cidr, wildcard_domains, [capacity], [output], "
            "[delivery]) (and 1 more problem after fixing this one)");
}

TEST(ParseProfileTest, SecretsAreCheckedButNeverEchoed) {
  std::string error = ErrorFor("kind = \"pf\"\n[delivery]\nbearer_token_sha256 = \"hunter2\"\n");
  EXPECT_EQ(error.rfind("p.toml:3: key 'delivery.bearer_token_sha256' must be the hex SHA-256", 0),
            0u)
      << error;
  EXPECT_EQ(error.find("hunter2"), std::string::npos);
  EXPECT_EQ(ErrorFor("kind = \"pf\"\n[delivery]\nbasic_user = \"fw\"\n"),
            "p.toml:2: [delivery] needs both basic_user and basic_password_sha256 for basic auth, "
            "or neither");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\n[delivery]\nbasic_user = \"a:b\"\n")
                .rfind("p.toml:3: key 'delivery.basic_user' must be a user name without ':'", 0),
            0u);
}

TEST(ParseProfileTest, CapacityMustFitTheKind) {
  EXPECT_EQ(ErrorFor("kind = \"hosts\"\n[capacity]\ndomain = 5\nip = 5\n"),
            "p.toml:4: kind 'hosts' cannot hold IP addresses; set capacity.ip = 0 (it takes: "
            "domain)");
  EXPECT_EQ(ErrorFor("kind = \"ipset\"\n[capacity]\ndomain = 5\n"),
            "p.toml:3: kind 'ipset' cannot hold domain names; set capacity.domain = 0 (it takes: "
            "ip)");
  EXPECT_EQ(ErrorFor("kind = \"nftables\"\n[capacity]\nurl = 1\n"),
            "p.toml:3: kind 'nftables' cannot hold URLs; set capacity.url = 0 (it takes: ip)");
  EXPECT_EQ(ErrorFor("kind = \"bind-rpz\"\n[capacity]\nhash = 1\nip = 1\n"),
            "p.toml:3: kind 'bind-rpz' cannot hold file hashes; set capacity.hash = 0 (it takes: "
            "ip, domain)");
  EXPECT_EQ(ErrorFor("kind = \"unbound-rpz\"\n[capacity]\nip = 5\ndomain = 5\n"), "OK");
  EXPECT_EQ(ErrorFor("kind = \"pf\"\n[capacity]\nip = 0\ntotal = 5\n"),
            "p.toml:2: the profile holds nothing: set at least one of capacity.{ip} above 0");
  EXPECT_EQ(ErrorFor("kind = \"paloalto-edl\"\n[capacity]\nip = 5\ndomain = 5\n"),
            "p.toml:2: a paloalto-edl list holds one class of entries only (the device rejects "
            "mixed lists); make one profile per class");
  EXPECT_EQ(ErrorFor("kind = \"fortigate-feed\"\n[capacity]\nhash = 5\n"), "OK");
  EXPECT_EQ(ErrorFor("kind = \"stix\"\n[capacity]\nip = 1\ndomain = 1\nurl = 1\nhash = 1\n"),
            "OK");
}

TEST(ParseProfileTest, NameFromFileMustBeValid) {
  auto p = ParseProfile("kind = \"pf\"\n", "My Profile.toml", "My Profile");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().ToString(),
            "My Profile.toml: profile name 'My Profile' (from the file name) must match "
            "[a-z0-9][a-z0-9._-]*; rename the file or set `name`");
  EXPECT_TRUE(ParseProfile("kind = \"pf\"\nname = \"ok\"\n", "My Profile.toml", "My Profile"));
  EXPECT_FALSE(ParseProfile("kind = \"pf\"\n", ".hidden.toml", ".hidden"));
}

TEST(LoadProfilesTest, EveryShippedProfileLoads) {
  fs::path dir = ShippedProfilesDir();
  auto profiles = LoadProfiles({dir});
  ASSERT_TRUE(profiles) << profiles.error().ToString();
  std::set<std::string> names;
  for (const auto& p : *profiles) {
    names.insert(p.name);
    EXPECT_FALSE(p.description.empty()) << p.name;
    // Shipped profiles carry no secrets, so nothing is served until the user sets a token.
    EXPECT_TRUE(p.auth.bearer_token_sha256.empty()) << p.name;
    EXPECT_TRUE(p.auth.basic_user.empty()) << p.name;
    EXPECT_EQ(p.path.parent_path(), dir) << p.name;
  }
  for (const char* expected :
       {"paloalto-ip", "paloalto-ip-large", "paloalto-domain", "paloalto-url", "fortigate-ip",
        "fortigate-domain", "nftables", "ipset", "pf", "unbound-rpz", "bind-rpz", "hosts", "csv",
        "stix"}) {
    EXPECT_EQ(names.count(expected), 1u) << expected;
  }
  // Sorted by name.
  for (size_t i = 1; i < profiles->size(); ++i) {
    EXPECT_LT((*profiles)[i - 1].name, (*profiles)[i].name);
  }
  auto find = [&](std::string_view name) -> const DeviceProfile& {
    for (const auto& p : *profiles) {
      if (p.name == name) return p;
    }
    static DeviceProfile none;
    ADD_FAILURE() << "missing " << name;
    return none;
  };
  // The documented limits.
  EXPECT_EQ(find("paloalto-ip").capacity.ip, 50'000);
  EXPECT_EQ(find("paloalto-ip-large").capacity.ip, 150'000);
  EXPECT_EQ(find("paloalto-domain").capacity.domain, 50'000);
  EXPECT_TRUE(find("paloalto-domain").wildcard_domains);
  EXPECT_EQ(find("paloalto-url").capacity.url, 50'000);
  EXPECT_EQ(find("fortigate-ip").capacity.ip, 300'000);
  EXPECT_EQ(find("fortigate-domain").capacity.domain, 1'000'000);
  EXPECT_EQ(find("nftables").capacity.ip, 1'000'000);
  EXPECT_EQ(find("ipset").capacity.ip, 65'536);
  EXPECT_EQ(find("pf").capacity.ip, 200'000);
  EXPECT_EQ(find("unbound-rpz").capacity.domain, 1'000'000);
  EXPECT_EQ(find("unbound-rpz").capacity.ip, 100'000);
  EXPECT_TRUE(find("bind-rpz").wildcard_domains);
  EXPECT_EQ(find("hosts").capacity.domain, 200'000);
  EXPECT_EQ(find("stix").capacity.hash, 1'000'000);
}

TEST(LoadProfilesTest, LaterDirectoriesOverrideEarlierOnes) {
  TempDir tmp;
  tmp.Write("shipped/fw.toml", "kind = \"pf\"\ndescription = \"shipped\"\n");
  tmp.Write("shipped/dns.toml", "kind = \"hosts\"\n");
  tmp.Write("shipped/README.md", "not a profile");
  tmp.Write("user/fw.toml",
            "kind = \"pf\"\ndescription = \"mine\"\n[delivery]\nbearer_token_sha256 = "
            "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"\n");
  tmp.Write("user/extra.toml", "kind = \"csv\"\n");
  auto profiles =
      LoadProfiles({tmp.path() / "shipped", tmp.path() / "missing", tmp.path() / "user"});
  ASSERT_TRUE(profiles) << profiles.error().ToString();
  ASSERT_EQ(profiles->size(), 3u);
  EXPECT_EQ((*profiles)[0].name, "dns");
  EXPECT_EQ((*profiles)[1].name, "extra");
  EXPECT_EQ((*profiles)[2].name, "fw");
  EXPECT_EQ((*profiles)[2].description, "mine");
  EXPECT_EQ((*profiles)[2].path, tmp.path() / "user" / "fw.toml");
  EXPECT_FALSE((*profiles)[2].auth.bearer_token_sha256.empty());
}

TEST(LoadProfilesTest, ErrorsNameTheFile) {
  TempDir tmp;
  fs::path bad = tmp.Write("p/broken.toml", "kind = \"pf\"\nmin_score = -3\n");
  auto profiles = LoadProfiles({tmp.path() / "p"});
  ASSERT_FALSE(profiles);
  EXPECT_EQ(profiles.error().ToString(),
            bad.string() + ":2: key 'min_score' must be an integer in 0..100, got -3");

  // Two files of one directory defining the same name.
  TempDir dup;
  dup.Write("a.toml", "kind = \"pf\"\nname = \"same\"\n");
  fs::path second = dup.Write("b.toml", "kind = \"pf\"\nname = \"same\"\n");
  auto duplicated = LoadProfiles({dup.path()});
  ASSERT_FALSE(duplicated);
  EXPECT_EQ(duplicated.error().context, second.string());
  EXPECT_NE(duplicated.error().message.find("'same' is also defined in"), std::string::npos);

  // A file where a directory is expected.
  auto not_dir = LoadProfiles({bad});
  ASSERT_FALSE(not_dir);
  EXPECT_EQ(not_dir.error().context, bad.string());
}

TEST(DeviceProfileDocTest, ExampleParses) {
  fs::path doc = ShippedProfilesDir().parent_path().parent_path() / "docs" / "formats" /
                 "device-profile.md";
  std::ifstream in(doc);
  ASSERT_TRUE(in) << doc;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t begin = text.find("```toml\n");
  ASSERT_NE(begin, std::string::npos);
  begin += 8;
  size_t end = text.find("```", begin);
  ASSERT_NE(end, std::string::npos);
  auto p = ParseProfile(text.substr(begin, end - begin), "device-profile.md", "edge-fw");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->refresh_seconds, 900);
  EXPECT_EQ(p->capacity.ip, 40000);
  EXPECT_EQ(p->auth.basic_user, "pa-edge");
}

TEST(LoadProfileTest, SetsThePathAndTheNameFromTheFile) {
  TempDir tmp;
  fs::path file = tmp.Write("edge-fw.toml", "kind = \"nftables\"\n");
  auto p = LoadProfile(file);
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->name, "edge-fw");
  EXPECT_EQ(p->path, file);
  EXPECT_FALSE(LoadProfile(tmp.path() / "nope.toml"));
}

}  // namespace
}  // namespace mamori::rse::blocklist
