// The nftables connector against the real kernel and the real `nft`: each test that applies sets
// runs in a forked child inside a network namespace of its own (testing/netns.h), so the host's
// ruleset is never touched, and reads the result back both through the connector and with the
// `nft` binary run inside the same namespace.
#include "rse/blocklist/connectors/nftables.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "rse/blocklist/connectors/subprocess.h"
#include "rse/blocklist/connectors/testing/netns_checks.h"
#include "rse/blocklist/exporters/exporter.h"
#include "rse/blocklist/exporters/nftables_script.h"

namespace mamori::rse::blocklist {
namespace {

using Strings = std::vector<std::string>;

Blocklist ListOf(const Strings& values) {
  Blocklist list;
  list.profile = "test";
  list.built_at = 1700000000;
  for (const std::string& v : values) {
    auto n = NormalizeIndicator(v);
    EXPECT_TRUE(n.has_value()) << v;
    if (!n) continue;
    BlocklistEntry e;
    e.indicator = n->indicator;
    list.entries.push_back(e);
  }
  SortCanonical(list.entries);
  return list;
}

// n distinct IPv4 hosts 198.18.0.0 + 2*i (no two adjacent, so nft keeps them apart).
Strings Hosts(int n, uint32_t base = (198u << 24) | (18u << 16)) {
  Strings out;
  for (int i = 0; i < n; ++i) {
    uint32_t a = base + 2u * static_cast<uint32_t>(i);
    out.push_back(fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255));
  }
  return out;
}

Strings Sorted(Strings v) {
  std::sort(v.begin(), v.end());
  return v;
}

using Checks = testing::NetnsChecks;
using testing::InNetns;

// The elements of a set as the `nft` binary prints them (`nft list set`), sorted.
Expected<Strings> NftCliElements(const std::string& family, const std::string& table,
                                 const std::string& set) {
  MAMORI_ASSIGN_OR_RETURN(
      auto run,
      connectors::RunProcess({"nft", "list", "set", family, table, set}, std::chrono::seconds(60)));
  if (run.exit_code != 0) return MakeError(ErrorCode::kIo, "nft list set: " + run.err);
  Strings out;
  size_t start = run.out.find("elements = {");
  if (start == std::string::npos) return out;  // an empty set lists no elements line
  size_t end = run.out.find('}', start);
  std::string body = run.out.substr(start + 12, end - start - 12);
  std::string token;
  for (char c : body) {
    if (c == ',' || c == ' ' || c == '\n' || c == '\t') {
      if (!token.empty()) out.push_back(token);
      token.clear();
    } else {
      token += c;
    }
  }
  if (!token.empty()) out.push_back(token);
  return Sorted(out);
}

bool NftBinaryPresent() {
  auto run = connectors::RunProcess({"nft", "--version"}, std::chrono::seconds(10));
  return run && run->exit_code == 0;
}

TEST(NftablesConnector, ReplaceScriptIsTheExportersScript) {
  Blocklist list = ListOf({"192.0.2.1", "10.0.0.0/24", "10.0.0.7", "2001:db8::1", "2001:db8:1::/48",
                           "evil.example", "http://evil.example/x"});
  NftablesConnector nft(NftablesTarget{});
  NftApplyReport report;
  std::string script = nft.ReplaceScript(list, &report);
  EXPECT_EQ(script, NftReplaceScript(list, "inet", "mamori", NftSetNames{}, nullptr));
  EXPECT_EQ(report.v4_hosts, 1);     // 192.0.2.1
  EXPECT_EQ(report.v4_networks, 1);  // 10.0.0.0/24
  EXPECT_EQ(report.v6_hosts, 1);
  EXPECT_EQ(report.v6_networks, 1);
  EXPECT_EQ(report.covered, 1);  // 10.0.0.7 is inside 10.0.0.0/24
  EXPECT_EQ(report.skipped, 2);  // the domain and the URL

  // What `nft -f` users get from the exporter is the same script after a comment header.
  DeviceProfile profile;
  profile.name = "fw";
  profile.kind = DeviceKind::kNftables;
  profile.capacity.ip = 1000000;
  auto rendered = Render(list, profile);
  ASSERT_TRUE(rendered.has_value()) << rendered.error().ToString();
  ASSERT_GE(rendered->content.size(), script.size());
  EXPECT_EQ(rendered->content.substr(rendered->content.size() - script.size()), script);
}

TEST(NftablesConnector, RefusesBadTargetsAndIndicatorsBeforeTouchingNftables) {
  NftablesTarget bad;
  bad.table = "bad name; flush ruleset";
  NftablesConnector with_bad_table(bad);
  auto replaced = with_bad_table.Replace(ListOf({"192.0.2.1"}));
  ASSERT_FALSE(replaced.has_value());
  EXPECT_EQ(replaced.error().code, ErrorCode::kInvalidArgument);

  NftablesTarget bad_family;
  bad_family.family = "arp";
  EXPECT_EQ(NftablesConnector(bad_family).ListElements().error().code, ErrorCode::kInvalidArgument);

  NftablesConnector nft(NftablesTarget{});
  auto added = nft.Add(Indicator{IndicatorType::kDomain, "evil.example"});
  ASSERT_FALSE(added.has_value());
  EXPECT_EQ(added.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(nft.Remove(Indicator{IndicatorType::kIpv4, "not an address"}).has_value());
}

// The four sets as the `nft` binary lists them, in the order of NftSetNames.
struct FourSets {
  Strings hosts_v4, networks_v4, hosts_v6, networks_v6;
  bool operator==(const FourSets&) const = default;
};

Expected<FourSets> NftCliSets(const NftablesTarget& t = NftablesTarget{}) {
  FourSets out;
  MAMORI_ASSIGN_OR_RETURN(out.hosts_v4, NftCliElements(t.family, t.table, t.sets.hosts_v4));
  MAMORI_ASSIGN_OR_RETURN(out.networks_v4, NftCliElements(t.family, t.table, t.sets.networks_v4));
  MAMORI_ASSIGN_OR_RETURN(out.hosts_v6, NftCliElements(t.family, t.table, t.sets.hosts_v6));
  MAMORI_ASSIGN_OR_RETURN(out.networks_v6, NftCliElements(t.family, t.table, t.sets.networks_v6));
  return out;
}

void ExpectSets(Checks& c, const FourSets& want, std::string_view what) {
  auto got = NftCliSets();
  c.ExpectOk(got, fmt::format("nft list set ({})", what));
  if (!got) return;
  c.ExpectEq(got->hosts_v4, Sorted(want.hosts_v4), fmt::format("{}: mamori_block", what));
  c.ExpectEq(got->networks_v4, Sorted(want.networks_v4), fmt::format("{}: mamori_block_net", what));
  c.ExpectEq(got->hosts_v6, Sorted(want.hosts_v6), fmt::format("{}: mamori_block_v6", what));
  c.ExpectEq(got->networks_v6, Sorted(want.networks_v6),
             fmt::format("{}: mamori_block_v6_net", what));
}

// What `nft list set` prints before the elements: the set's type and flags.
std::string NftCliSetHeader(const std::string& set) {
  auto run = connectors::RunProcess({"nft", "list", "set", "inet", "mamori", set},
                                    std::chrono::seconds(60));
  if (!run || run->exit_code != 0) return "";
  return run->out.substr(0, run->out.find("elements"));
}

TEST(NftablesConnectorNetns, ReplaceSplitsAddressesAndNetworksIntoFourSets) {
  if (!NftBinaryPresent()) GTEST_SKIP() << "the nft binary is not installed";
  InNetns([](Checks& c) {
    NftablesConnector nft(NftablesTarget{});
    Blocklist list =
        ListOf({"192.0.2.1", "198.51.100.0/24", "198.51.100.9", "203.0.113.77", "203.0.113.78/32",
                "2001:db8::1", "2001:db8:1::/48", "2001:db8:1::7", "evil.example"});
    auto report = nft.Replace(list);
    c.ExpectOk(report, "Replace");
    if (!report) return;
    c.Expect(report->v4_hosts == 3 && report->v4_networks == 1 && report->v6_hosts == 1 &&
                 report->v6_networks == 1 && report->covered == 2 && report->skipped == 1,
             fmt::format("report v4 {}+{} v6 {}+{} covered={} skipped={}", report->v4_hosts,
                         report->v4_networks, report->v6_hosts, report->v6_networks,
                         report->covered, report->skipped));

    // Addresses (also one written as a /32) in the hash sets, networks in the interval sets;
    // 198.51.100.9 and 2001:db8:1::7 are inside listed networks, so only those hold them.
    FourSets want{{"192.0.2.1", "203.0.113.77", "203.0.113.78"},
                  {"198.51.100.0/24"},
                  {"2001:db8::1"},
                  {"2001:db8:1::/48"}};
    ExpectSets(c, want, "after Replace");
    c.Expect(NftCliSetHeader("mamori_block").find("interval") == std::string::npos,
             "mamori_block is a hash set: " + NftCliSetHeader("mamori_block"));
    c.Expect(NftCliSetHeader("mamori_block_v6").find("interval") == std::string::npos,
             "mamori_block_v6 is a hash set: " + NftCliSetHeader("mamori_block_v6"));
    c.Expect(NftCliSetHeader("mamori_block_net").find("flags interval") != std::string::npos,
             "mamori_block_net is an interval set: " + NftCliSetHeader("mamori_block_net"));
    c.Expect(NftCliSetHeader("mamori_block_v6_net").find("flags interval") != std::string::npos,
             "mamori_block_v6_net is an interval set");

    // ListElements: set by set.
    auto listed = nft.ListElements();
    c.ExpectOk(listed, "ListElements");
    if (listed && listed->size() == 6) {
      c.ExpectEq(Sorted(Strings(listed->begin(), listed->begin() + 3)), want.hosts_v4,
                 "ListElements IPv4 addresses");
      c.ExpectEq(Strings(listed->begin() + 3, listed->end()),
                 Strings{"198.51.100.0/24", "2001:db8::1", "2001:db8:1::/48"},
                 "ListElements networks and IPv6");
    } else if (listed) {
      c.ExpectEq(*listed, Strings{}, "ListElements (6 elements expected)");
    }

    // A second Replace swaps the contents: nothing of the first list is left.
    auto again = nft.Replace(ListOf({"192.0.2.200", "2001:db8::2"}));
    c.ExpectOk(again, "second Replace");
    auto after = nft.ListElements();
    c.ExpectOk(after, "ListElements after the second Replace");
    if (after) c.ExpectEq(*after, Strings{"192.0.2.200", "2001:db8::2"}, "after second Replace");

    // An empty list empties the sets and keeps them.
    c.ExpectOk(nft.Replace(ListOf({})), "Replace with an empty list");
    auto empty = nft.ListElements();
    c.ExpectOk(empty, "ListElements of empty sets");
    if (empty) c.ExpectEq(*empty, Strings{}, "after empty Replace");
  });
}

TEST(NftablesConnectorNetns, ExportedFileThroughNftCliGivesTheSameSets) {
  if (!NftBinaryPresent()) GTEST_SKIP() << "the nft binary is not installed";
  char dir_template[] = "/tmp/mamori-nft-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  std::string dir = dir_template;
  InNetns([&](Checks& c) {
    Strings values = Hosts(2500);
    values.push_back("10.0.0.0/8");
    values.push_back("10.1.2.3");       // covered
    values.push_back("198.18.0.0/23");  // covers the first 256 hosts
    values.push_back("2001:db8::/32");
    values.push_back("2001:db9::1");
    values.push_back("192.0.2.0/24");
    Blocklist list = ListOf(values);
    NftablesTarget exported{"inet", "exported", NftSetNames::WithBase("blk")};
    std::string file = dir + "/list.nft";
    {
      std::FILE* f = std::fopen(file.c_str(), "w");
      std::string script = NftablesConnector(exported).ReplaceScript(list);
      std::fwrite(script.data(), 1, script.size(), f);
      std::fclose(f);
    }
    auto cli = connectors::RunProcess({"nft", "-f", file}, std::chrono::seconds(60));
    c.ExpectOk(cli, "nft -f");
    if (cli) c.Expect(cli->exit_code == 0, "nft -f failed: " + cli->err);

    NftablesConnector nft(NftablesTarget{});
    c.ExpectOk(nft.Replace(list), "Replace");
    auto by_connector = NftCliSets();
    auto by_file = NftCliSets(exported);
    c.ExpectOk(by_connector, "nft list set (connector's table)");
    c.ExpectOk(by_file, "nft list set (table loaded by nft -f)");
    if (by_connector && by_file) {
      c.Expect(by_connector->hosts_v4.size() == 2500 - 256 &&
                   by_connector->networks_v4.size() == 3 && by_connector->hosts_v6.size() == 1 &&
                   by_connector->networks_v6.size() == 1,
               fmt::format("{} + {} + {} + {} elements", by_connector->hosts_v4.size(),
                           by_connector->networks_v4.size(), by_connector->hosts_v6.size(),
                           by_connector->networks_v6.size()));
      c.Expect(*by_connector == *by_file, "connector and nft -f give different sets");
      c.ExpectEq(by_connector->hosts_v4, by_file->hosts_v4, "connector vs nft -f, addresses");
      c.ExpectEq(by_connector->networks_v4, by_file->networks_v4, "connector vs nft -f, networks");
    }
  });
  std::filesystem::remove_all(dir);
}

// One transaction: a script that fails in its last `add element` statement leaves the sets as
// they were — whether nft refuses the text (a bad address) or the kernel refuses the batch
// (the set is full).
TEST(NftablesConnectorNetns, FailureInTheLastChunkLeavesTheOldContents) {
  if (!NftBinaryPresent()) GTEST_SKIP() << "the nft binary is not installed";
  InNetns([](Checks& c) {
    NftablesConnector nft(NftablesTarget{});
    Strings old_values = Hosts(1200, (192u << 24) | (0u << 16) | (2u << 8));
    Blocklist old_list = ListOf(old_values);
    // The kernel case: a set that holds at most 2100 elements (same type as the connector
    // declares, so its declaration changes nothing).
    c.ExpectOk(nft.RunScript("table inet mamori {\n"
                             "  set mamori_block { type ipv4_addr; size 2100; }\n"
                             "}\n"),
               "declare a set of size 2100");
    c.ExpectOk(nft.Replace(old_list), "Replace with 1200 elements");
    auto before = nft.ListElements();
    c.ExpectOk(before, "ListElements before");
    if (!before) return;
    c.Expect(before->size() == 1200, fmt::format("{} elements before", before->size()));

    // 2500 elements: statements of 1000, 1000, 500; the kernel refuses the last message.
    Blocklist big = ListOf(Hosts(2500));
    std::string script = nft.ReplaceScript(big);
    size_t statements = 0;
    for (size_t at = script.find("add element"); at != std::string::npos;
         at = script.find("add element", at + 1)) {
      ++statements;
    }
    c.Expect(statements == 3, fmt::format("{} add element statements, expected 3", statements));
    auto full = nft.Replace(big);
    c.ExpectError(full, ErrorCode::kTooLarge, "Replace beyond the set's size");
    if (!full) {
      c.Expect(full.error().message.find("mamori_block") != std::string::npos,
               "the error names the set: " + full.error().message);
    }
    auto after_kernel = nft.ListElements();
    c.ExpectOk(after_kernel, "ListElements after the kernel refused");
    if (after_kernel) {
      c.ExpectEq(Sorted(*after_kernel), Sorted(*before), "contents after the kernel refused");
    }

    // The parser case: an invalid element in the last statement of an otherwise valid script.
    // (Not "300.1.2.3": nft would take that for a host name and try to resolve it.)
    Blocklist fits = ListOf(Hosts(2000, (198u << 24) | (19u << 16)));
    std::string bad = nft.ReplaceScript(fits);
    size_t last = bad.rfind("add element");
    size_t brace = bad.find("{\n", last);
    c.Expect(last != std::string::npos && brace != std::string::npos && last > 0, "script shape");
    if (brace == std::string::npos) return;
    bad.insert(brace + 2, "\t192.0.2.1/33,\n");
    auto parse_failure = nft.RunScript(bad);
    c.Expect(!parse_failure, "a script with 192.0.2.1/33 was accepted");
    if (!parse_failure) {
      c.Expect(parse_failure.error().message.find("192.0.2.1/33") != std::string::npos,
               "the error names the bad element: " + parse_failure.error().message);
    }
    auto after_parse = nft.ListElements();
    c.ExpectOk(after_parse, "ListElements after the parser refused");
    if (after_parse) {
      c.ExpectEq(Sorted(*after_parse), Sorted(*before), "contents after the parser refused");
    }
    auto cli = NftCliElements("inet", "mamori", "mamori_block");
    if (cli) c.ExpectEq(*cli, Sorted(*before), "nft list set after both failures");

    // And the good version of that script applies in full.
    c.ExpectOk(nft.Replace(fits), "Replace with 2000 elements");
    auto now = nft.ListElements();
    if (now) c.Expect(now->size() == 2000, fmt::format("{} elements after", now->size()));
  });
}

// The four sets change in one transaction: when the kernel refuses the last set of the batch
// (its IPv6 network set is full), the three filled before it keep their old contents too.
TEST(NftablesConnectorNetns, FailedReplaceLeavesAllFourSetsUnchanged) {
  if (!NftBinaryPresent()) GTEST_SKIP() << "the nft binary is not installed";
  InNetns([](Checks& c) {
    NftablesConnector nft(NftablesTarget{});
    c.ExpectOk(
        nft.RunScript("table inet mamori {\n"
                      "  set mamori_block_v6_net { type ipv6_addr; flags interval; size 3; }\n"
                      "}\n"),
        "declare an IPv6 network set of size 3");
    FourSets old_sets{{"192.0.2.1", "192.0.2.3"},
                      {"10.0.0.0/24"},
                      {"2001:db8::1"},
                      {"2001:db8:1::/48", "2001:db8:2::/48"}};
    Strings old_values;
    for (const Strings* v :
         {&old_sets.hosts_v4, &old_sets.networks_v4, &old_sets.hosts_v6, &old_sets.networks_v6}) {
      old_values.insert(old_values.end(), v->begin(), v->end());
    }
    c.ExpectOk(nft.Replace(ListOf(old_values)), "Replace with the old list");
    ExpectSets(c, old_sets, "old list");

    Strings values = Hosts(3000);
    values.insert(values.end(), {"172.16.0.0/12", "2001:db8::9", "2001:db8:10::/48",
                                 "2001:db8:11::/48", "2001:db8:12::/48", "2001:db8:13::/48"});
    auto refused = nft.Replace(ListOf(values));
    c.ExpectError(refused, ErrorCode::kTooLarge, "Replace with 4 networks into a set of size 3");
    if (!refused) {
      c.Expect(refused.error().message.find("mamori_block_v6_net") != std::string::npos,
               "the error names the set: " + refused.error().message);
    }
    ExpectSets(c, old_sets, "after the refused Replace");
  });
}

// Sets of the layout before the split (every set an interval set) are refused with what to do,
// before anything is written into them: an address sent as a hash-set element into an interval
// set would block everything up to the next element.
TEST(NftablesConnectorNetns, SetsOfAnotherTypeAreRefused) {
  if (!NftBinaryPresent()) GTEST_SKIP() << "the nft binary is not installed";
  InNetns([](Checks& c) {
    NftablesConnector setup(NftablesTarget{});
    c.ExpectOk(setup.RunScript("table inet mamori {\n"
                               "  set mamori_block { type ipv4_addr; flags interval; }\n"
                               "}\n"
                               "add element inet mamori mamori_block { 192.0.2.0/24 }\n"),
               "declare the old interval set");
    NftablesConnector nft(NftablesTarget{});
    auto added = nft.Add({IndicatorType::kIpv4, "198.51.100.1"});
    c.ExpectError(added, ErrorCode::kAlreadyExists, "Add into the old layout");
    if (!added) {
      c.Expect(added.error().message.find("nft delete set inet mamori") != std::string::npos,
               "the error says what to do: " + added.error().message);
    }
    c.ExpectError(nft.Replace(ListOf({"198.51.100.1"})), ErrorCode::kAlreadyExists,
                  "Replace into the old layout");
    auto old = NftCliElements("inet", "mamori", "mamori_block");
    if (old) c.ExpectEq(*old, Strings{"192.0.2.0/24"}, "the old set is untouched");
  });
}

TEST(NftablesConnectorNetns, AddAndRemoveSingleElements) {
  if (!NftBinaryPresent()) GTEST_SKIP() << "the nft binary is not installed";
  InNetns([](Checks& c) {
    NftablesConnector nft(NftablesTarget{});
    c.ExpectError(nft.ListElements(), ErrorCode::kNotFound, "ListElements before the table");
    c.ExpectError(nft.Remove({IndicatorType::kIpv4, "192.0.2.1"}), ErrorCode::kNotFound,
                  "Remove before the table exists");

    // Add creates the table and sets when they are absent.
    c.ExpectOk(nft.Add({IndicatorType::kIpv4, "192.0.2.1"}), "Add to a fresh namespace");
    c.ExpectOk(nft.Add({IndicatorType::kCidr, "10.0.0.0/24"}), "Add CIDR");
    c.ExpectOk(nft.Add({IndicatorType::kIpv6, "2001:db8::5"}), "Add IPv6");
    c.ExpectOk(nft.Add({IndicatorType::kIpv4, "192.0.2.1"}), "Add again (no change)");
    c.ExpectOk(nft.Add({IndicatorType::kIpv4, "10.0.0.9"}),
               "Add an address inside a CIDR (no change)");
    c.ExpectOk(nft.Add({IndicatorType::kCidr, "203.0.113.5/32"}), "Add a /32: an address");
    c.ExpectError(nft.Add({IndicatorType::kCidr, "10.0.0.0/16"}), ErrorCode::kAlreadyExists,
                  "Add a CIDR around an element");
    // A network around an address of the hash set is taken; the address stays (harmless).
    c.ExpectOk(nft.Add({IndicatorType::kIpv4, "198.51.100.7"}), "Add an address");
    c.ExpectOk(nft.Add({IndicatorType::kCidr, "198.51.100.0/24"}), "Add a CIDR around an address");
    ExpectSets(c,
               {{"192.0.2.1", "198.51.100.7", "203.0.113.5"},
                {"10.0.0.0/24", "198.51.100.0/24"},
                {"2001:db8::5"},
                {}},
               "after Add");
    auto listed = nft.ListElements();
    c.ExpectOk(listed, "ListElements");
    if (listed) {
      c.ExpectEq(Sorted(*listed),
                 Sorted({"10.0.0.0/24", "192.0.2.1", "198.51.100.7", "203.0.113.5",
                         "198.51.100.0/24", "2001:db8::5"}),
                 "ListElements after Add");
    }

    c.ExpectOk(nft.Remove({IndicatorType::kIpv4, "192.0.2.1"}), "Remove");
    c.ExpectOk(nft.Remove({IndicatorType::kIpv4, "192.0.2.1"}), "Remove an absent element");
    c.ExpectOk(nft.Remove({IndicatorType::kIpv6, "2001:db8::5"}), "Remove IPv6");
    c.ExpectOk(nft.Remove({IndicatorType::kIpv4, "10.0.0.9"}),
               "Remove an address that is only inside a CIDR (nothing to remove)");
    c.ExpectOk(nft.Remove({IndicatorType::kCidr, "198.51.100.0/24"}), "Remove a CIDR");
    c.ExpectOk(nft.Remove({IndicatorType::kCidr, "203.0.113.5/32"}), "Remove a /32");
    ExpectSets(c, {{"198.51.100.7"}, {"10.0.0.0/24"}, {}, {}}, "after Remove");

    // A range that is not one prefix, made outside mamori, lists as "a-b".
    c.ExpectOk(
        nft.RunScript("add element inet mamori mamori_block_net { 192.0.2.10-192.0.2.20 }\n"),
        "add a range with nft syntax");
    auto ranged = nft.ListElements();
    if (ranged) {
      c.ExpectEq(*ranged, Strings{"198.51.100.7", "10.0.0.0/24", "192.0.2.10-192.0.2.20"},
                 "range listing");
    }
  });
}

// The elements the netlink path writes for the ends of the address space (no interval end after
// 255.255.255.255; nft's leading interval end at 0.0.0.0), and the overlap rules of Add/Remove.
TEST(NftablesConnectorNetns, EdgesOfTheAddressSpaceAndOverlaps) {
  if (!NftBinaryPresent()) GTEST_SKIP() << "the nft binary is not installed";
  InNetns([](Checks& c) {
    NftablesConnector nft(NftablesTarget{});
    const std::string top6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
    const std::string top6_net = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120";
    c.ExpectOk(nft.Replace(ListOf({"10.0.0.0/24", "255.255.255.240/28", "255.255.255.255",
                                   "192.0.2.7", top6_net, top6, "::1"})),
               "Replace with the last addresses");
    ExpectSets(c, {{"192.0.2.7"}, {"10.0.0.0/24", "255.255.255.240/28"}, {"::1"}, {top6_net}},
               "after Replace");

    // Inside an element: nothing to do. Around or across elements: refused, naming both.
    c.ExpectOk(nft.Add({IndicatorType::kCidr, "10.0.0.128/25"}), "Add a CIDR inside a CIDR");
    c.ExpectOk(nft.Add({IndicatorType::kCidr, "10.0.0.0/25"}),
               "Add a CIDR inside a CIDR, with the same first address");
    c.ExpectOk(nft.Add({IndicatorType::kIpv4, "10.0.0.200"}), "Add an address inside a CIDR");
    c.ExpectOk(nft.Add({IndicatorType::kIpv4, "255.255.255.255"}),
               "Add the last address, inside the open interval");
    c.ExpectOk(nft.Add({IndicatorType::kIpv6, top6}), "Add the last IPv6 address (covered)");
    auto around = nft.Add({IndicatorType::kCidr, "10.0.0.0/16"});
    c.ExpectError(around, ErrorCode::kAlreadyExists, "Add a CIDR around an element");
    if (!around) {
      c.Expect(around.error().message.find("10.0.0.0/16") != std::string::npos &&
                   around.error().message.find("mamori_block_net") != std::string::npos,
               "the error names the element and the set: " + around.error().message);
    }
    // The kernel checks intervals without end (up to the last address) for overlaps only
    // partly, so Add takes them only when they are already covered.
    c.ExpectError(nft.Add({IndicatorType::kCidr, "255.255.255.0/24"}), ErrorCode::kInvalidArgument,
                  "Add a CIDR around the last address");
    c.ExpectOk(nft.Add({IndicatorType::kCidr, "255.255.255.248/29"}),
               "Add a CIDR inside the open interval");
    // A CIDR starting at 0.0.0.0 sits next to the leading interval end.
    c.ExpectOk(nft.Add({IndicatorType::kCidr, "0.0.0.0/8"}), "Add 0.0.0.0/8");
    ExpectSets(
        c, {{"192.0.2.7"}, {"0.0.0.0/8", "10.0.0.0/24", "255.255.255.240/28"}, {"::1"}, {top6_net}},
        "after the adds");
    // Only exact elements are removed: a part of a CIDR is not an element.
    c.ExpectOk(nft.Remove({IndicatorType::kCidr, "10.0.0.0/25"}), "Remove half of a CIDR");
    c.ExpectOk(nft.Remove({IndicatorType::kCidr, "255.255.255.240/28"}),
               "Remove the open interval");
    c.ExpectOk(nft.Remove({IndicatorType::kCidr, top6_net}), "Remove the last IPv6 network");
    c.ExpectOk(nft.Remove({IndicatorType::kIpv6, "::1"}), "Remove ::1");
    ExpectSets(c, {{"192.0.2.7"}, {"0.0.0.0/8", "10.0.0.0/24"}, {}, {}}, "after the changes");
  });
}

}  // namespace
}  // namespace mamori::rse::blocklist
