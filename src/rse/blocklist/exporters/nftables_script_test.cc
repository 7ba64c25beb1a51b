#include "rse/blocklist/exporters/nftables_script.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rse/blocklist/exporters/exporter.h"
#include "rse/blocklist/exporters/internal/test_util.h"

namespace mamori::rse::blocklist {
namespace {

using exporters::testing::AllClassesProfile;
using exporters::testing::Entry;
using exporters::testing::Fixture;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(NftScriptTest, DeclaresFlushesAndAddsBothFamilies) {
  NftScriptCounts counts;
  std::string script =
      NftReplaceScript(Fixture(), "inet", "mamori", "mamori_block", "mamori_block_v6", &counts);
  EXPECT_EQ(script,
            "table inet mamori {\n"
            "\tset mamori_block {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t}\n"
            "\tset mamori_block_v6 {\n\t\ttype ipv6_addr\n\t\tflags interval\n\t}\n"
            "}\n"
            "flush set inet mamori mamori_block\n"
            "flush set inet mamori mamori_block_v6\n"
            "add element inet mamori mamori_block {\n"
            "\t192.0.2.7,\n\t198.51.100.0/24,\n\t203.0.113.9\n}\n"
            "add element inet mamori mamori_block_v6 {\n"
            "\t2001:db8::1,\n\t2001:db8:0:0:1::/80\n}\n");
  EXPECT_EQ(counts.v4_elements, 3);
  EXPECT_EQ(counts.v6_elements, 2);
  EXPECT_EQ(counts.covered, 1);  // 198.51.100.77 is inside 198.51.100.0/24
  EXPECT_EQ(counts.skipped, 6);  // domains, URL, hashes
}

TEST(NftScriptTest, EmptyListStillFlushes) {
  NftScriptCounts counts;
  std::string script = NftReplaceScript(Blocklist{}, "ip", "t", "s4", "s6", &counts);
  EXPECT_THAT(script, HasSubstr("flush set ip t s4\nflush set ip t s6\n"));
  EXPECT_THAT(script, Not(HasSubstr("add element")));
  EXPECT_EQ(counts.v4_elements + counts.v6_elements + counts.covered + counts.skipped, 0);
  EXPECT_EQ(NftReplaceScript(Blocklist{}, "ip", "t", "s4", "s6", nullptr), script);
}

TEST(NftScriptTest, ChunksLargeListsAndDropsNestedCidrs) {
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
  NftScriptCounts counts;
  std::string script = NftReplaceScript(list, "inet", "t", "s", "s6", &counts);
  EXPECT_EQ(counts.v4_elements, 2);
  EXPECT_EQ(counts.covered, 2501);
  EXPECT_THAT(script, HasSubstr("{\n\t10.0.0.0/8,\n\t11.0.0.0/8\n}\n"));

  Blocklist disjoint;
  for (int i = 0; i < 2500; ++i) {
    disjoint.entries.push_back(
        Entry(IndicatorType::kIpv4, fmt::format("10.{}.{}.1", i / 256, i % 256), 50, "", {}));
  }
  script = NftReplaceScript(disjoint, "inet", "t", "s", "s6", &counts);
  EXPECT_EQ(counts.v4_elements, 2500);
  size_t statements = 0;
  for (size_t p = script.find("add element"); p != std::string::npos;
       p = script.find("add element", p + 1)) {
    ++statements;
  }
  EXPECT_EQ(statements, 3u);  // 1000 + 1000 + 500
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
      "mamori_block && {0} list set inet mamori mamori_block_v6'",
      nft, file);
  ASSERT_EQ(exporters::testing::RunShell(prefix + cmd, &output), 0) << output;
  EXPECT_THAT(output, HasSubstr("192.0.2.7"));
  EXPECT_THAT(output, HasSubstr("198.51.100.0/24"));
  EXPECT_THAT(output, Not(HasSubstr("198.51.100.77")));
  EXPECT_THAT(output, HasSubstr("2001:db8:0:0:1::/80"));
}

}  // namespace
}  // namespace mamori::rse::blocklist
