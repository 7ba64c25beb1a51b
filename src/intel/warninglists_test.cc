#include "intel/warninglists.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "intel/internal/embedded_warninglists.h"

namespace mamori::intel {
namespace {

namespace fs = std::filesystem;

Indicator I(std::string_view text) {
  auto n = NormalizeIndicator(text);
  EXPECT_TRUE(n.has_value()) << text;
  return n ? n->indicator : Indicator{};
}

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("mamori_warninglists_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  void Write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name) << content;
  }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

class BuiltinTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = WarningLists::LoadBuiltin();
    ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
    lists_ = new WarningLists(std::move(*loaded));
  }
  static void TearDownTestSuite() {
    delete lists_;
    lists_ = nullptr;
  }
  static std::optional<WarningMatch> M(std::string_view text) { return lists_->Match(I(text)); }
  static WarningLists* lists_;
};
WarningLists* BuiltinTest::lists_ = nullptr;

TEST_F(BuiltinTest, PublicResolverIsProtected) {
  auto m = M("8.8.8.8");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "public-dns-v4");
  EXPECT_EQ(m->reason, "public DNS resolver");
  m = M("2001:4860:4860::8888");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "public-dns-v6");
}

TEST_F(BuiltinTest, SpecialRangesGiveTheirLineReason) {
  auto m = M("10.1.2.3");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "special-ranges");
  EXPECT_EQ(m->reason, "private network (RFC 1918)");
  m = M("10.0.0.0/8");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->reason, "private network (RFC 1918)");
  m = M("203.0.113.5");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->reason, "documentation, TEST-NET-3 (RFC 5737)");
  m = M("100.64.1.1");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->reason, "shared address space, carrier-grade NAT (RFC 6598)");
  m = M("fe80::1");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "special-ranges");
  EXPECT_EQ(m->reason, "link-local unicast (RFC 4291)");
  m = M("::1");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->reason, "loopback (RFC 4291)");
  m = M("255.255.255.255");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->reason, "limited broadcast (RFC 919, RFC 8190)");
}

TEST_F(BuiltinTest, CidrIntersectingAProtectedRangeIsProtected) {
  // 9.0.0.0/7 normalizes to 8.0.0.0/7, which contains 8.8.8.8.
  auto m = M("9.0.0.0/7");
  ASSERT_TRUE(m);
  EXPECT_EQ(I("9.0.0.0/7").value, "8.0.0.0/7");
  // A wide network containing private space is protected too.
  m = M("0.0.0.0/0");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "special-ranges");
  EXPECT_TRUE(M("2001:db8:1::/48"));
}

TEST_F(BuiltinTest, CloudRangesNameTheProvider) {
  auto m = M("104.16.0.1");  // 104.16.0.0/13
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "cloudflare");
  EXPECT_EQ(m->reason, "Cloudflare address range (shared CDN)");
}

TEST_F(BuiltinTest, OrdinaryPublicAddressIsNotProtected) {
  EXPECT_FALSE(M("45.33.32.156"));
  EXPECT_FALSE(M("45.33.32.0/24"));
  EXPECT_FALSE(M("2a01:4f8:1:2::3"));
  EXPECT_FALSE(M("11.22.33.44"));
}

TEST_F(BuiltinTest, PopularDomainAndItsWww) {
  auto m = M("google.com");
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->list == "top-sites" || m->list == "tranco10k") << m->list;
  EXPECT_EQ(m->reason.rfind("popular domain", 0), 0u) << m->reason;
  EXPECT_TRUE(M("www.google.com"));
  EXPECT_FALSE(M("evil.google.com"));
  EXPECT_FALSE(M("www.evil.google.com"));
  EXPECT_FALSE(M("not-a-popular-site-example.com"));
}

TEST_F(BuiltinTest, PlatformItselfButNotBelowIt) {
  auto m = M("bit.ly");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "shorteners");
  EXPECT_FALSE(M("x.bit.ly"));
  m = M("cloudfront.net");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "cdn-suffixes");
  EXPECT_EQ(m->reason, "CDN/cloud provider domain (amazon)");
  EXPECT_FALSE(M("d111111abcdef8.cloudfront.net"));
  // blogspot.com is a PSL private suffix (and popular): protected; a blog below it is not.
  EXPECT_TRUE(M("blogspot.com"));
  EXPECT_FALSE(M("x.blogspot.com"));
  EXPECT_TRUE(lists_->IsPlatform("blogspot.com"));
  EXPECT_FALSE(lists_->IsPlatform("x.blogspot.com"));
  EXPECT_TRUE(lists_->IsPlatform("bit.ly"));
  EXPECT_FALSE(lists_->IsPlatform("google.com"));
  EXPECT_FALSE(lists_->IsPlatform("com"));
}

TEST_F(BuiltinTest, PslPrivateSuffixOnlyListIsAPlatform) {
  // duckdns.org is in the PSL private section; a name only the PSL knows as a platform.
  ASSERT_TRUE(lists_->IsPlatform("duckdns.org"));
  auto m = M("duckdns.org");
  ASSERT_TRUE(m);
  EXPECT_FALSE(M("evil.duckdns.org"));
  // With no lists at all, the PSL still names platforms.
  EXPECT_EQ(WarningLists::LoadFrom({}).value().Match(I("github.io"))->list, "psl-private");
}

TEST_F(BuiltinTest, UrlsMatchOnlyAPopularSitesFrontPage) {
  EXPECT_TRUE(M("https://www.google.com/"));
  EXPECT_TRUE(M("https://google.com"));
  // A path on a popular site is what should be blocked instead of the site.
  EXPECT_FALSE(M("https://google.com/search?q=x"));
  EXPECT_FALSE(M("https://docs.google.com/forms/d/phish"));
  EXPECT_FALSE(M("https://evil.google.com/"));
  EXPECT_FALSE(M("https://bit.ly/abc"));  // a URL on a platform is what should be blocked
  EXPECT_FALSE(M("https://x.blogspot.com/post"));
  EXPECT_FALSE(M("https://blogspot.com/"));
  EXPECT_FALSE(M("http://8.8.8.8/x"));
  EXPECT_FALSE(M("http://evil-site-example.com/a"));
}

TEST_F(BuiltinTest, HashesNeverMatch) {
  EXPECT_FALSE(M("d41d8cd98f00b204e9800998ecf8427e"));
  EXPECT_FALSE(M("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

TEST_F(BuiltinTest, ProtectedAddressesCoverTheRanges) {
  const auto& set = lists_->protected_addresses();
  EXPECT_FALSE(set.empty());
  EXPECT_TRUE(set.Contains(*IpAddress::Parse("192.168.1.1")));
  EXPECT_TRUE(set.Contains(*IpAddress::Parse("8.8.4.4")));
  EXPECT_FALSE(set.Contains(*IpAddress::Parse("45.33.32.156")));
}

// Every embedded list is reported with as many entries as its file in data/warninglists has.
TEST_F(BuiltinTest, StatsMatchTheDataFiles) {
  auto stats = lists_->Stats();
  ASSERT_FALSE(stats.empty());
  std::map<std::string, WarningListStats> by_name;
  for (const auto& s : stats) by_name[s.list] = s;
  const auto& embedded = internal::EmbeddedWarningLists();
  EXPECT_EQ(stats.size(), embedded.size());
  EXPECT_EQ(stats.front().list, "special-ranges");

  int files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(MAMORI_SOURCE_DIR) / "data/warninglists")) {
    if (entry.path().extension() != ".txt") continue;
    ++files;
    std::string name = entry.path().stem().string();
    ASSERT_TRUE(by_name.contains(name)) << name;
    std::ifstream in(entry.path());
    std::stringstream buf;
    buf << in.rdbuf();
    int64_t lines = 0;
    int64_t declared = -1;
    std::string line;
    while (std::getline(buf, line)) {
      if (line.rfind("# entries: ", 0) == 0) declared = std::stoll(line.substr(11));
      if (!line.empty() && line[0] != '#') ++lines;
    }
    EXPECT_GT(lines, 0) << name;
    EXPECT_EQ(by_name[name].entries, lines) << name;
    EXPECT_EQ(declared, lines) << name;
    // The embedded copy is the file.
    auto it = std::find_if(embedded.begin(), embedded.end(),
                           [&](const auto& e) { return e.first == name; });
    ASSERT_NE(it, embedded.end());
    EXPECT_EQ(it->second, buf.str()) << name;
  }
  EXPECT_EQ(files, static_cast<int>(embedded.size()));
  EXPECT_EQ(by_name["public-dns-v4"].kind, "cidr");
  EXPECT_EQ(by_name["tranco10k"].kind, "domain");
  EXPECT_EQ(by_name["shorteners"].kind, "platform");
  EXPECT_EQ(by_name["cdn-suffixes"].kind, "platform");
  EXPECT_EQ(by_name["special-ranges"].entries, 28);
}

TEST(WarningListsTest, LoadBuiltinIsFast) {
  // Best of three, so a busy machine does not make the number meaningless.
  int64_t ms = INT64_MAX;
  for (int i = 0; i < 3; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto lists = WarningLists::LoadBuiltin();
    ms = std::min<int64_t>(ms, std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count());
    ASSERT_TRUE(lists.has_value()) << lists.error().ToString();
  }
  std::cout << "LoadBuiltin: " << ms << " ms (best of 3)\n";
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
  EXPECT_LT(ms, 250);  // target < 100 ms; slack for loaded CI machines
#endif
}

TEST(WarningListsTest, ExtraDirKindsFromHeaderOrInference) {
  TempDir dir;
  // Raw list without a header: name says hoster -> platform.
  dir.Write("hosters.txt", "000webhostapp.com\nweebly.com\n");
  // Header decides the kind and the reason.
  dir.Write("mine.txt", "# kind: domain\n# reason: our own site\nIntranet.Example-Corp.NET\n");
  // Addresses are inferred from the first entry; per-line comments give the reason.
  dir.Write("office.txt", "198.51.100.0/24\n192.0.2.7  # the office gateway\n\n");
  dir.Write("README.md", "not a list");
  auto lists = WarningLists::LoadBuiltin({dir.path()});
  ASSERT_TRUE(lists.has_value()) << lists.error().ToString();
  auto m = lists->Match(I("000webhostapp.com"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "hosters");
  EXPECT_EQ(m->reason, "shared platform");
  EXPECT_TRUE(lists->IsPlatform("weebly.com"));
  EXPECT_FALSE(lists->Match(I("evil.weebly.com")));
  EXPECT_FALSE(lists->Match(I("https://weebly.com/x")));  // popular or not, a platform URL
  m = lists->Match(I("intranet.example-corp.net"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "mine");
  EXPECT_EQ(m->reason, "our own site");
  EXPECT_FALSE(lists->IsPlatform("intranet.example-corp.net"));

  auto only = WarningLists::LoadFrom({dir.path()});
  ASSERT_TRUE(only.has_value()) << only.error().ToString();
  EXPECT_FALSE(only->Match(I("8.8.8.8")));  // no built-ins
  m = only->Match(I("192.0.2.7"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "office");
  EXPECT_EQ(m->reason, "the office gateway");
  m = only->Match(I("198.51.100.9"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->reason, "protected address range");
  auto stats = only->Stats();
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats[0].list, "hosters");
  EXPECT_EQ(stats[0].kind, "platform");
  EXPECT_EQ(stats[0].entries, 2);
  EXPECT_EQ(stats[1].kind, "domain");
  EXPECT_EQ(stats[2].kind, "cidr");
  EXPECT_EQ(stats[2].entries, 2);
}

TEST(WarningListsTest, BuiltinReasonsWinOverExtraLists) {
  TempDir dir;
  dir.Write("mine.txt", "# reason: ours\n10.0.0.0/16\n");
  auto lists = WarningLists::LoadBuiltin({dir.path()});
  ASSERT_TRUE(lists.has_value());
  EXPECT_EQ(lists->Match(I("10.0.1.1"))->list, "special-ranges");
  auto only = WarningLists::LoadFrom({dir.path()});
  EXPECT_EQ(only->Match(I("10.0.1.1"))->reason, "ours");
  EXPECT_FALSE(only->Match(I("10.1.0.0")));
}

TEST(WarningListsTest, OverlapsResolveToFirstListThenNarrowestRange) {
  TempDir dir;
  dir.Write("a.txt",
            "10.0.0.0/8  # wide\n10.1.2.0/24  # narrowest\n10.1.0.0/16  # narrow\n"
            "2001:db8::/32  # v6 wide\n2001:db8::1  # v6 host\n");
  dir.Write("b.txt", "10.0.0.0/7  # b wide\n");
  auto lists = WarningLists::LoadFrom({dir.path()});
  ASSERT_TRUE(lists.has_value()) << lists.error().ToString();
  auto reason = [&](std::string_view text) {
    auto m = lists->Match(I(text));
    return m ? m->list + ": " + m->reason : std::string("-");
  };
  EXPECT_EQ(reason("10.1.2.3"), "a: narrowest");
  EXPECT_EQ(reason("10.1.3.3"), "a: narrow");
  EXPECT_EQ(reason("10.1.255.255"), "a: narrow");
  EXPECT_EQ(reason("10.2.0.0"), "a: wide");
  EXPECT_EQ(reason("10.0.0.0"), "a: wide");
  EXPECT_EQ(reason("11.0.0.1"), "b: b wide");
  EXPECT_EQ(reason("11.255.255.255"), "b: b wide");
  EXPECT_EQ(reason("9.255.255.255"), "-");
  EXPECT_EQ(reason("12.0.0.0"), "-");
  EXPECT_EQ(reason("11.0.0.0/8"), "b: b wide");
  EXPECT_EQ(reason("8.0.0.0/7"), "-");
  EXPECT_EQ(reason("0.0.0.0/0"), "a: wide");
  EXPECT_EQ(reason("2001:db8::1"), "a: v6 host");
  EXPECT_EQ(reason("2001:db8::2"), "a: v6 wide");
  EXPECT_EQ(reason("2001:db9::"), "-");
  EXPECT_EQ(reason("::/0"), "a: v6 wide");
  EXPECT_EQ(lists->protected_addresses().v4().size(), 1u);  // 10.0.0.0 - 11.255.255.255
}

TEST_F(BuiltinTest, MatchAgreesWithProtectedAddresses) {
  uint32_t x = 12345;
  int matched = 0;
  for (int i = 0; i < 20000; ++i) {
    x = x * 1664525u + 1013904223u;  // LCG: deterministic spread over the IPv4 space
    IpAddress ip = IpAddress::FromV4(x);
    bool m = lists_->Match(Indicator{IndicatorType::kIpv4, ip.ToString()}).has_value();
    ASSERT_EQ(m, lists_->protected_addresses().Contains(ip)) << ip.ToString();
    matched += m;
  }
  EXPECT_GT(matched, 0);
  EXPECT_LT(matched, 20000);
}

TEST(WarningListsTest, MalformedCidrNamesFileAndLine) {
  TempDir dir;
  dir.Write("bad.txt", "# kind: cidr\n10.0.0.0/8\n\n10.0.0.0/33\n");
  auto lists = WarningLists::LoadFrom({dir.path()});
  ASSERT_FALSE(lists.has_value());
  EXPECT_EQ(lists.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(lists.error().context, (dir.path() / "bad.txt").string() + ":4");
  EXPECT_NE(lists.error().message.find("10.0.0.0/33"), std::string::npos);
}

TEST(WarningListsTest, OtherLoadErrors) {
  TempDir dir;
  dir.Write("a.txt", "# kind: ipset\n1.2.3.4\n");
  auto lists = WarningLists::LoadFrom({dir.path()});
  ASSERT_FALSE(lists.has_value());
  EXPECT_EQ(lists.error().context, (dir.path() / "a.txt").string() + ":1");

  TempDir dir2;
  dir2.Write("popular.txt", "example.com\nnot a domain\n");
  lists = WarningLists::LoadFrom({dir2.path()});
  ASSERT_FALSE(lists.has_value());
  EXPECT_EQ(lists.error().context, (dir2.path() / "popular.txt").string() + ":2");

  TempDir dir3;
  dir3.Write("popular.txt", "example.com\nexa..mple.com\n");
  lists = WarningLists::LoadFrom({dir3.path()});
  ASSERT_FALSE(lists.has_value());
  EXPECT_EQ(lists.error().context, (dir3.path() / "popular.txt").string() + ":2");

  lists = WarningLists::LoadFrom({dir.path() / "missing"});
  ASSERT_FALSE(lists.has_value());
  EXPECT_EQ(lists.error().code, ErrorCode::kNotFound);
}

// The GPL lists of the shared fixtures load as platforms when passed as an extra directory
// (skipped where /work/shared is absent).
TEST(WarningListsTest, SharedServicesDirectoryLoads) {
  fs::path dir = fs::path(MAMORI_SOURCE_DIR) / "../shared/data/domains/services";
  if (!fs::is_directory(dir)) GTEST_SKIP() << dir;
  auto lists = WarningLists::LoadBuiltin({dir});
  ASSERT_TRUE(lists.has_value()) << lists.error().ToString();
  std::map<std::string, std::string> kinds;
  for (const auto& s : lists->Stats()) kinds[s.list] = s.kind;
  EXPECT_EQ(kinds["hosters"], "platform");
  EXPECT_EQ(kinds["dyndns"], "platform");
  EXPECT_TRUE(lists->IsPlatform("github.com") || lists->IsPlatform("000webhostapp.com"));
}

TEST(WarningListsTest, OneBuiltinListAlone) {
  auto special = WarningLists::LoadBuiltinList("special-ranges");
  ASSERT_TRUE(special) << special.error().ToString();
  auto m = special->Match({IndicatorType::kIpv4, "10.1.2.3"});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->list, "special-ranges");
  EXPECT_FALSE(special->Match({IndicatorType::kDomain, "google.com"}));  // only that list
  EXPECT_FALSE(special->Match({IndicatorType::kIpv4, "8.8.8.8"}));
  auto unknown = WarningLists::LoadBuiltinList("nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace mamori::intel
