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
#include "rse/blocklist/connectors/testing/netns.h"
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

// Failures found inside the namespace child, sent back as text.
class Checks {
 public:
  void Expect(bool ok, std::string_view what) {
    if (!ok) fmt::format_to(std::back_inserter(text_), "{}\n", what);
  }
  template <typename T>
  void ExpectOk(const T& result, std::string_view what) {
    if (!result) {
      fmt::format_to(std::back_inserter(text_), "{}: {}\n", what, result.error().ToString());
    }
  }
  template <typename T>
  void ExpectError(const T& result, ErrorCode code, std::string_view what) {
    if (result) {
      fmt::format_to(std::back_inserter(text_), "{}: succeeded, expected {}\n", what,
                     ErrorCodeName(code));
    } else if (result.error().code != code) {
      fmt::format_to(std::back_inserter(text_), "{}: got {} ({}), expected {}\n", what,
                     ErrorCodeName(result.error().code), result.error().ToString(),
                     ErrorCodeName(code));
    }
  }
  void ExpectEq(const Strings& got, const Strings& want, std::string_view what) {
    if (got != want) {
      auto head = [](const Strings& v) {
        return fmt::format("{} elements: {}", v.size(),
                           fmt::join(v.begin(), v.begin() + std::min<size_t>(v.size(), 12), " "));
      };
      fmt::format_to(std::back_inserter(text_), "{}:\n  got  {}\n  want {}\n", what, head(got),
                     head(want));
    }
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// Runs `body` in a fresh network namespace and fails the test with what it found there.
void InNetns(const std::function<void(Checks&)>& body) {
  auto result = testing::RunInNewNetns([&] {
    Checks checks;
    body(checks);
    return checks.text();
  });
  if (!result && result.error().code == ErrorCode::kUnsupported) {
    GTEST_SKIP() << "no network namespace for the test: " << result.error().message;
  }
  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_EQ(*result, "") << "checks failed inside the network namespace";
}

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
  EXPECT_EQ(script,
            NftReplaceScript(list, "inet", "mamori", "mamori_block", "mamori_block_v6", nullptr));
  EXPECT_EQ(report.v4_elements, 2);  // 192.0.2.1, 10.0.0.0/24
  EXPECT_EQ(report.v6_elements, 2);
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

TEST(NftablesConnectorNetns, ReplaceAppliesBothSetsAndNftListsThem) {
  if (!NftBinaryPresent()) GTEST_SKIP() << "the nft binary is not installed";
  InNetns([](Checks& c) {
    NftablesConnector nft(NftablesTarget{});
    Blocklist list = ListOf({"192.0.2.1", "198.51.100.0/24", "198.51.100.9", "203.0.113.77",
                             "2001:db8::1", "2001:db8:1::/48", "evil.example"});
    auto report = nft.Replace(list);
    c.ExpectOk(report, "Replace");
    if (!report) return;
    c.Expect(report->v4_elements == 3 && report->v6_elements == 2 && report->covered == 1 &&
                 report->skipped == 1,
             fmt::format("report v4={} v6={} covered={} skipped={}", report->v4_elements,
                         report->v6_elements, report->covered, report->skipped));

    Strings want_v4 = Sorted({"192.0.2.1", "198.51.100.0/24", "203.0.113.77"});
    Strings want_v6 = Sorted({"2001:db8::1", "2001:db8:1::/48"});
    auto listed = nft.ListElements();
    c.ExpectOk(listed, "ListElements");
    if (listed) {
      Strings want = want_v4;
      want.insert(want.end(), want_v6.begin(), want_v6.end());
      Strings got_v4(listed->begin(), listed->begin() + std::min<size_t>(listed->size(), 3));
      Strings got_v6(listed->begin() + std::min<size_t>(listed->size(), 3), listed->end());
      c.ExpectEq(Sorted(got_v4), want_v4, "ListElements IPv4");
      c.ExpectEq(Sorted(got_v6), want_v6, "ListElements IPv6");
    }
    // The nft binary, in the same namespace, sees what libnftables applied.
    auto cli_v4 = NftCliElements("inet", "mamori", "mamori_block");
    c.ExpectOk(cli_v4, "nft list set mamori_block");
    if (cli_v4) c.ExpectEq(*cli_v4, want_v4, "nft list set inet mamori mamori_block");
    auto cli_v6 = NftCliElements("inet", "mamori", "mamori_block_v6");
    c.ExpectOk(cli_v6, "nft list set mamori_block_v6");
    if (cli_v6) c.ExpectEq(*cli_v6, want_v6, "nft list set inet mamori mamori_block_v6");

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
    values.push_back("2001:db8::/32");
    Blocklist list = ListOf(values);
    NftablesTarget exported{"inet", "exported", "blk", "blk_v6"};
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
    auto by_connector = nft.ListElements();
    auto by_cli = NftablesConnector(exported).ListElements();
    c.ExpectOk(by_connector, "ListElements (connector's table)");
    c.ExpectOk(by_cli, "ListElements (table loaded by nft -f)");
    if (by_connector && by_cli) {
      c.Expect(by_connector->size() == 2502, fmt::format("{} elements", by_connector->size()));
      c.ExpectEq(*by_connector, *by_cli, "connector vs nft -f");
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
    // The kernel case: a set that holds at most 2100 elements (same type and flags as the
    // connector declares, so its declaration in the script changes nothing).
    c.ExpectOk(nft.RunScript("table inet mamori {\n"
                             "  set mamori_block { type ipv4_addr; flags interval; size 2100; }\n"
                             "  set mamori_block_v6 { type ipv6_addr; flags interval; }\n"
                             "}\n"),
               "declare a set of size 2100");
    c.ExpectOk(nft.Replace(old_list), "Replace with 1200 elements");
    auto before = nft.ListElements();
    c.ExpectOk(before, "ListElements before");
    if (!before) return;
    c.Expect(before->size() == 1200, fmt::format("{} elements before", before->size()));

    // 2500 elements: statements of 1000, 1000, 500; the kernel refuses the third.
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
    auto after_kernel = nft.ListElements();
    c.ExpectOk(after_kernel, "ListElements after the kernel refused");
    if (after_kernel) c.ExpectEq(*after_kernel, *before, "contents after the kernel refused");

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
    if (after_parse) c.ExpectEq(*after_parse, *before, "contents after the parser refused");
    auto cli = NftCliElements("inet", "mamori", "mamori_block");
    if (cli) c.ExpectEq(*cli, Sorted(*before), "nft list set after both failures");

    // And the good version of that script applies in full.
    c.ExpectOk(nft.Replace(fits), "Replace with 2000 elements");
    auto now = nft.ListElements();
    if (now) c.Expect(now->size() == 2000, fmt::format("{} elements after", now->size()));
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
    c.ExpectOk(nft.Add({IndicatorType::kIpv4, "10.0.0.9"}), "Add an address inside a CIDR");
    c.ExpectError(nft.Add({IndicatorType::kCidr, "10.0.0.0/16"}), ErrorCode::kAlreadyExists,
                  "Add a CIDR around an element");
    auto listed = nft.ListElements();
    c.ExpectOk(listed, "ListElements");
    if (listed) {
      c.ExpectEq(*listed, Strings{"10.0.0.0/24", "192.0.2.1", "2001:db8::5"}, "after Add");
    }
    auto cli = NftCliElements("inet", "mamori", "mamori_block");
    c.ExpectOk(cli, "nft list set");
    if (cli) c.ExpectEq(*cli, Strings{"10.0.0.0/24", "192.0.2.1"}, "nft list set after Add");

    c.ExpectOk(nft.Remove({IndicatorType::kIpv4, "192.0.2.1"}), "Remove");
    c.ExpectOk(nft.Remove({IndicatorType::kIpv4, "192.0.2.1"}), "Remove an absent element");
    c.ExpectOk(nft.Remove({IndicatorType::kIpv6, "2001:db8::5"}), "Remove IPv6");
    c.ExpectOk(nft.Remove({IndicatorType::kIpv4, "10.0.0.9"}),
               "Remove an address that is only inside a CIDR (nothing to remove)");
    auto after = nft.ListElements();
    c.ExpectOk(after, "ListElements after Remove");
    if (after) c.ExpectEq(*after, Strings{"10.0.0.0/24"}, "after Remove");

    // A range that is not one prefix, made outside mamori, lists as "a-b".
    c.ExpectOk(nft.RunScript("add element inet mamori mamori_block { 192.0.2.10-192.0.2.20 }\n"),
               "add a range with nft syntax");
    auto ranged = nft.ListElements();
    if (ranged) {
      c.ExpectEq(*ranged, Strings{"10.0.0.0/24", "192.0.2.10-192.0.2.20"}, "range listing");
    }
  });
}

}  // namespace
}  // namespace mamori::rse::blocklist
