#include "rse/blocklist/exporters/nftables_script.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "rse/blocklist/exporters/exporter.h"
#include "rse/blocklist/exporters/internal/test_util.h"

namespace mamori::rse::blocklist {
namespace {

using exporters::testing::AllClassesProfile;
using exporters::testing::Entry;
using exporters::testing::Fixture;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(NftScriptTest, DeclaresFlushesAndFillsTheFourSets) {
  NftElementCounts counts;
  std::string script = NftReplaceScript(Fixture(), "inet", "mamori", NftSetNames{}, &counts);
  EXPECT_EQ(script,
            "table inet mamori {\n"
            "\tset mamori_block {\n\t\ttype ipv4_addr\n\t}\n"
            "\tset mamori_block_net {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t}\n"
            "\tset mamori_block_v6 {\n\t\ttype ipv6_addr\n\t}\n"
            "\tset mamori_block_v6_net {\n\t\ttype ipv6_addr\n\t\tflags interval\n\t}\n"
            "}\n"
            "flush set inet mamori mamori_block\n"
            "flush set inet mamori mamori_block_net\n"
            "flush set inet mamori mamori_block_v6\n"
            "flush set inet mamori mamori_block_v6_net\n"
            "add element inet mamori mamori_block {\n"
            "\t192.0.2.7,\n\t203.0.113.9\n}\n"
            "add element inet mamori mamori_block_net {\n"
            "\t198.51.100.0/24\n}\n"
            "add element inet mamori mamori_block_v6 {\n"
            "\t2001:db8::1\n}\n"
            "add element inet mamori mamori_block_v6_net {\n"
            "\t2001:db8:0:0:1::/80\n}\n");
  EXPECT_EQ(counts.v4_hosts, 2);
  EXPECT_EQ(counts.v4_networks, 1);
  EXPECT_EQ(counts.v6_hosts, 1);
  EXPECT_EQ(counts.v6_networks, 1);
  EXPECT_EQ(counts.covered, 1);  // 198.51.100.77 is inside 198.51.100.0/24
  EXPECT_EQ(counts.skipped, 6);  // domains, URL, hashes
  EXPECT_EQ(NftDeclareScript("inet", "mamori", NftSetNames{}),
            script.substr(0, script.find("flush")));
}

TEST(NftScriptTest, SetNamesFromABase) {
  NftSetNames n = NftSetNames::WithBase("blk");
  EXPECT_EQ(n.hosts_v4, "blk");
  EXPECT_EQ(n.networks_v4, "blk_net");
  EXPECT_EQ(n.hosts_v6, "blk_v6");
  EXPECT_EQ(n.networks_v6, "blk_v6_net");
  NftSetNames d = NftSetNames::WithBase("mamori_block");
  NftSetNames defaults;
  EXPECT_EQ(d.hosts_v4, defaults.hosts_v4);
  EXPECT_EQ(d.networks_v4, defaults.networks_v4);
  EXPECT_EQ(d.hosts_v6, defaults.hosts_v6);
  EXPECT_EQ(d.networks_v6, defaults.networks_v6);
}

Blocklist ListOf(const std::vector<std::pair<IndicatorType, std::string>>& values) {
  Blocklist list;
  for (const auto& [type, value] : values) list.entries.push_back(Entry(type, value, 50, "", {}));
  SortCanonical(list.entries);
  return list;
}

std::vector<std::string> Texts(const std::vector<uint32_t>& v4) {
  std::vector<std::string> out;
  for (uint32_t a : v4) out.push_back(IpAddress::FromV4(a).ToString());
  return out;
}
template <typename T>
std::vector<std::string> Texts(const std::vector<T>& values) {
  std::vector<std::string> out;
  for (const T& v : values) out.push_back(v.ToString());
  return out;
}

// Addresses to the hash sets, networks to the interval sets; an address or network inside a
// listed network, and a second listing of the same address, are left out as covered.
TEST(NftElementsTest, SplitsAddressesAndNetworks) {
  using T = IndicatorType;
  Blocklist list = ListOf({{T::kIpv4, "192.0.2.1"},
                           {T::kIpv4, "10.1.2.3"},  // inside 10.0.0.0/8
                           {T::kCidr, "10.0.0.0/8"},
                           {T::kCidr, "10.1.0.0/16"},      // inside 10.0.0.0/8
                           {T::kCidr, "192.0.2.1/32"},     // the same address again
                           {T::kCidr, "198.51.100.9/32"},  // an address written as a CIDR
                           {T::kCidr, "198.51.100.64/26"},
                           {T::kIpv4, "198.51.100.63"},   // just before the /26
                           {T::kIpv4, "198.51.100.128"},  // just after it
                           {T::kIpv4, "198.51.100.100"},  // inside it
                           {T::kIpv4, "255.255.255.255"},
                           {T::kIpv6, "2001:db8::1"},
                           {T::kIpv6, "2001:db8:1::5"},  // inside 2001:db8:1::/48
                           {T::kCidr, "2001:db8:1::/48"},
                           {T::kCidr, "2001:db8::2/128"},
                           {T::kIpv4, "not an address"},
                           {T::kDomain, "evil.example"}});
  NftElements e = NftElementsOf(list);
  EXPECT_EQ(Texts(e.hosts_v4),
            (std::vector<std::string>{"192.0.2.1", "198.51.100.9", "198.51.100.63",
                                      "198.51.100.128", "255.255.255.255"}));
  EXPECT_EQ(Texts(e.networks_v4), (std::vector<std::string>{"10.0.0.0/8", "198.51.100.64/26"}));
  EXPECT_EQ(Texts(e.hosts_v6), (std::vector<std::string>{"2001:db8::1", "2001:db8::2"}));
  EXPECT_EQ(Texts(e.networks_v6), (std::vector<std::string>{"2001:db8:1::/48"}));
  EXPECT_EQ(e.counts.v4_hosts, 5);
  EXPECT_EQ(e.counts.v4_networks, 2);
  EXPECT_EQ(e.counts.v6_hosts, 2);
  EXPECT_EQ(e.counts.v6_networks, 1);
  EXPECT_EQ(e.counts.covered, 5);
  EXPECT_EQ(e.counts.skipped, 2);

  // A reused NftElements gives the same result (the connector reuses one per Replace).
  NftElements reused = NftElementsOf(ListOf({{T::kIpv4, "203.0.113.1"}}));
  NftElementsOf(list, reused);
  EXPECT_EQ(reused.hosts_v4, e.hosts_v4);
  EXPECT_EQ(reused.networks_v4, e.networks_v4);
  EXPECT_EQ(reused.counts.covered, 5);
}

// A larger random list, checked against a plain sort and Cidr::Contains.
TEST(NftElementsTest, LargeListsMatchAPlainSortAndContainment) {
  std::mt19937 rng(7);
  std::vector<std::pair<IndicatorType, std::string>> values;
  std::vector<Cidr> nets;
  for (int i = 0; i < 200; ++i) {
    int prefix = 12 + static_cast<int>(rng() % 13);
    Cidr c = Cidr::Of(IpAddress::FromV4(rng()), prefix);
    nets.push_back(c);
    values.push_back({IndicatorType::kCidr, c.ToString()});
  }
  std::vector<uint32_t> hosts;
  for (int i = 0; i < 50000; ++i) {
    uint32_t a = rng();
    if (i % 7 == 0) a = hosts.empty() ? a : hosts[rng() % hosts.size()];  // duplicates
    hosts.push_back(a);
    values.push_back({IndicatorType::kIpv4, IpAddress::FromV4(a).ToString()});
  }
  NftElements e = NftElementsOf(ListOf(values));
  std::vector<uint32_t> want;
  for (uint32_t a : hosts) {
    bool inside = std::any_of(nets.begin(), nets.end(),
                              [&](const Cidr& c) { return c.Contains(IpAddress::FromV4(a)); });
    if (!inside) want.push_back(a);
  }
  std::sort(want.begin(), want.end());
  want.erase(std::unique(want.begin(), want.end()), want.end());
  EXPECT_EQ(e.hosts_v4, want);
  EXPECT_TRUE(std::is_sorted(e.networks_v4.begin(), e.networks_v4.end()));
  for (size_t i = 1; i < e.networks_v4.size(); ++i) {
    EXPECT_FALSE(e.networks_v4[i - 1].Contains(e.networks_v4[i]));
  }
  EXPECT_EQ(e.counts.covered + e.counts.v4_hosts + e.counts.v4_networks,
            static_cast<int64_t>(values.size()));
}

TEST(NftScriptTest, EmptyListStillFlushes) {
  NftElementCounts counts;
  std::string script =
      NftReplaceScript(Blocklist{}, "ip", "t", NftSetNames::WithBase("s"), &counts);
  EXPECT_THAT(script, HasSubstr("flush set ip t s\nflush set ip t s_net\nflush set ip t s_v6\n"
                                "flush set ip t s_v6_net\n"));
  EXPECT_THAT(script, Not(HasSubstr("add element")));
  EXPECT_EQ(counts.v4_elements() + counts.v6_elements() + counts.covered + counts.skipped, 0);
  EXPECT_EQ(NftReplaceScript(Blocklist{}, "ip", "t", NftSetNames::WithBase("s"), nullptr), script);
}

TEST(NftScriptTest, ChunksLargeListsAndDropsNestedEntries) {
  Blocklist list;
  for (int i = 0; i < 2500; ++i) {
    list.entries.push_back(
        Entry(IndicatorType::kIpv4, fmt::format("10.{}.{}.1", i / 256, i % 256), 50, "", {}));
  }
  // 10.0.0.0/8 holds every address above; 10.1.0.0/16 is inside it too.
  list.entries.push_back(Entry(IndicatorType::kCidr, "10.0.0.0/8", 50, "", {}));
  list.entries.push_back(Entry(IndicatorType::kCidr, "10.1.0.0/16", 50, "", {}));
  list.entries.push_back(Entry(IndicatorType::kCidr, "11.0.0.0/8", 50, "", {}));
  SortCanonical(list.entries);
  NftElementCounts counts;
  NftSetNames names = NftSetNames::WithBase("s");
  std::string script = NftReplaceScript(list, "inet", "t", names, &counts);
  EXPECT_EQ(counts.v4_hosts, 0);
  EXPECT_EQ(counts.v4_networks, 2);
  EXPECT_EQ(counts.covered, 2501);
  EXPECT_THAT(script, HasSubstr("add element inet t s_net {\n\t10.0.0.0/8,\n\t11.0.0.0/8\n}\n"));
  EXPECT_THAT(script, Not(HasSubstr("add element inet t s {")));

  Blocklist disjoint;
  for (int i = 0; i < 2500; ++i) {
    disjoint.entries.push_back(
        Entry(IndicatorType::kIpv4, fmt::format("10.{}.{}.1", i / 256, i % 256), 50, "", {}));
  }
  script = NftReplaceScript(disjoint, "inet", "t", names, &counts);
  EXPECT_EQ(counts.v4_hosts, 2500);
  size_t statements = 0;
  for (size_t p = script.find("add element"); p != std::string::npos;
       p = script.find("add element", p + 1)) {
    ++statements;
  }
  EXPECT_EQ(statements, 3u);  // 1000 + 1000 + 500
  // In address order (10.0.2.1 before 10.0.10.1, unlike the list's text order).
  EXPECT_LT(script.find("\t10.0.2.1,"), script.find("\t10.0.10.1,"));
}

TEST(NftScriptTest, Identifiers) {
  EXPECT_TRUE(IsNftIdentifier("mamori_block"));
  EXPECT_TRUE(IsNftIdentifier("_x.y-z9"));
  EXPECT_FALSE(IsNftIdentifier(""));
  EXPECT_FALSE(IsNftIdentifier("9lives"));
  EXPECT_FALSE(IsNftIdentifier("a b"));
  EXPECT_FALSE(IsNftIdentifier("a;flush ruleset"));
  EXPECT_FALSE(IsNftIdentifier(std::string(256, 'a')));
}

TEST(NftScriptTest, RenderRejectsBadNames) {
  DeviceProfile p = AllClassesProfile(DeviceKind::kNftables);
  p.nft_table = "t; flush ruleset";
  auto r = Render(Fixture(), p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  p = AllClassesProfile(DeviceKind::kNftables);
  p.set_name = "";
  EXPECT_FALSE(Render(Fixture(), p));
}

// The real nft parses and applies the exported script: in check mode, then for real twice in a
// throwaway network namespace (the second run replaces what the first added).
TEST(NftScriptTest, RealNftAcceptsAndAppliesTheScript) {
  std::string nft = exporters::testing::FindTool("nft");
  if (nft.empty()) GTEST_SKIP() << "nft is not installed (Debian package nftables)";
  std::string probe_file = exporters::testing::WriteTemp("probe.nft", "table inet probe {}\n");
  std::string prefix = exporters::testing::NetnsPrefix(nft + " -f " + probe_file);
  if (prefix.empty()) {
    GTEST_SKIP() << "cannot create a network namespace (unshare -rn / -n) to run nft in";
  }
  auto rendered = Render(Fixture(), AllClassesProfile(DeviceKind::kNftables));
  ASSERT_TRUE(rendered);
  std::string file = exporters::testing::WriteTemp("mamori.nft", rendered->content);
  std::string output;
  std::string cmd = fmt::format(
      "sh -c '{0} -c -f {1} && {0} -f {1} && {0} -f {1} && {0} list set inet mamori "
      "mamori_block && {0} list set inet mamori mamori_block_net && {0} list set inet mamori "
      "mamori_block_v6 && {0} list set inet mamori mamori_block_v6_net'",
      nft, file);
  ASSERT_EQ(exporters::testing::RunShell(prefix + cmd, &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("192.0.2.7"));
  EXPECT_THAT(output, HasSubstr("198.51.100.0/24"));
  EXPECT_THAT(output, Not(HasSubstr("198.51.100.77")));
  EXPECT_THAT(output, HasSubstr("2001:db8:0:0:1::/80"));
}

}  // namespace
}  // namespace mamori::rse::blocklist
