#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "rse/detect/rule.h"

namespace mamori::rse::detect {
namespace {

constexpr std::string_view kGood = R"(title: Good
id: good-rule
level: high
logsource:
  product: nginx
  category: webserver
detection:
  sel:
    url.original|contains|all: [a, b]
    http.request.method: GET
  condition: sel
)";

TEST(RuleLoader, ParsesAGoodRule) {
  LoadResult r = ParseRules(kGood, "good.yml");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].ToString();
  ASSERT_EQ(r.rules.size(), 1u);
  const Rule& rule = r.rules[0];
  EXPECT_EQ(rule.id, "good-rule");
  EXPECT_EQ(rule.level, Level::kHigh);
  EXPECT_EQ(rule.datasets, (std::vector<std::string>{"nginx.access", "nginx.error"}));
  ASSERT_EQ(rule.selections.size(), 1u);
  ASSERT_EQ(rule.selections[0].groups.size(), 1u);
  const auto& tests = rule.selections[0].groups[0];
  ASSERT_EQ(tests.size(), 2u);
  EXPECT_TRUE(tests[0].all);
  EXPECT_FALSE(tests[0].globs[0].anchored_start);
  EXPECT_EQ(tests[1].globs[0].lowered, "get");
}

struct BadCase {
  const char* yaml;
  int line;
  const char* reason_part;
};

TEST(RuleLoader, RejectsWithFileLineAndReason) {
  const BadCase cases[] = {
      {"title: t\nid: x\ndetection:\n  sel:\n    url.orignal: a\n  condition: sel\n", 5,
       "unknown field 'url.orignal'"},
      {"title: t\nid: x\ndetection:\n  sel:\n    url.original|containz: a\n  condition: sel\n", 5,
       "unknown modifier 'containz'"},
      {"title: t\nid: x\ndetection:\n  sel:\n    url.original|re: 'a(b'\n  condition: sel\n", 5,
       "invalid regular expression"},
      {"title: t\nid: x\ndetection:\n  sel:\n    source.ip|cidr: 10.0.0.0/33\n  condition: sel\n",
       5, "invalid CIDR"},
      {"title: t\nid: x\ndetection:\n  sel:\n    url.original: a\n  condition: sel and other\n", 6,
       "'other'"},
      {"title: t\nid: x\ndetection:\n  sel:\n    url.original: a\n  condition: sel | count() by "
       "source.ip > 5\n",
       6, "needs a timeframe"},
      {"title: t\nid: x\ndetection:\n  sel:\n    url.original: a\n  condition: sel | count() < 5\n"
       "  timeframe: 1m\n",
       6, "not supported"},
      {"title: t\nid: x\nlevel: severe\ndetection:\n  sel:\n    url.original: a\n  condition: sel\n",
       3, "level 'severe'"},
      {"title: t\nid: x\nlogsource:\n  product: nosuch\ndetection:\n  sel:\n    url.original: a\n"
       "  condition: sel\n",
       4, "selects no known log format"},
      {"title: t\nid: x\ndetection:\n  sel:\n    url.original: a\n", 4, "no condition"},
      {"title: t\nid: x\ndetection:\n  sel:\n    url.original: a\n  condition: (sel\n", 6,
       "ends too early"},
      {"title: t\nid: 'bad id'\ndetection:\n  sel:\n    url.original: a\n  condition: sel\n", 2,
       "must be a UUID or a slug"},
      {"title: t\nid: x\ndetectoin: {}\n", 3, "unknown key 'detectoin'"},
      {"title: t\nid: x\ndetection:\n  sel:\n    url.original: [a\n", 6, "invalid YAML"},
      {"title: t\nid: x\ndetection:\n  sel:\n    event.action|intel: any\n  condition: sel\n", 5,
       "'intel' works on"},
  };
  for (const auto& c : cases) {
    LoadResult r = ParseRules(c.yaml, "bad.yml");
    ASSERT_EQ(r.errors.size(), 1u) << c.yaml;
    EXPECT_TRUE(r.rules.empty());
    EXPECT_EQ(r.errors[0].file, "bad.yml");
    EXPECT_EQ(r.errors[0].line, c.line) << r.errors[0].ToString();
    EXPECT_NE(r.errors[0].reason.find(c.reason_part), std::string::npos)
        << r.errors[0].ToString();
  }
}

TEST(RuleLoader, DirectoryKeepsGoodRulesAndReportsBadOnes) {
  auto dir = std::filesystem::temp_directory_path() / "mamori_rules_loader_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "sub");
  std::ofstream(dir / "a.yml") << kGood;
  std::ofstream(dir / "sub" / "b.yaml")
      << "title: t\nid: other\ndetection:\n  sel:\n    nope: 1\n  condition: sel\n";
  std::ofstream(dir / "c.yml") << kGood;  // duplicate id
  std::ofstream(dir / "ignored.txt") << "not a rule";
  LoadResult r = LoadRules(dir.string());
  ASSERT_EQ(r.rules.size(), 1u);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[0].ToString().find("c.yml:1: duplicate rule id 'good-rule'"),
            std::string::npos)
      << r.errors[0].ToString();
  EXPECT_NE(r.errors[1].ToString().find("b.yaml:5: unknown field 'nope'"), std::string::npos)
      << r.errors[1].ToString();
  std::filesystem::remove_all(dir);
}

TEST(RuleLoader, ConditionsAndAggregations) {
  LoadResult r = ParseRules(R"(title: t
id: x
detection:
  sel_a:
    url.original: a
  sel_b:
    url.original: b
  filter:
    url.original: c
  condition: (1 of sel_* and not filter) or all of them | count(destination.port) by source.ip >= 3
  timeframe: 90s
)",
                            "c.yml");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].ToString();
  const Rule& rule = r.rules[0];
  ASSERT_TRUE(rule.aggregation);
  EXPECT_TRUE(rule.aggregation->or_equal);
  EXPECT_EQ(rule.aggregation->threshold, 3);
  EXPECT_EQ(*rule.aggregation->distinct_field, static_cast<size_t>(Field::kDestinationPort));
  EXPECT_EQ(*rule.aggregation->group_by, static_cast<size_t>(Field::kSourceIp));
  EXPECT_EQ(rule.timeframe_seconds, 90);
  EXPECT_EQ(rule.condition.kind, ConditionNode::Kind::kOr);
  ASSERT_EQ(rule.condition.children.size(), 2u);
  EXPECT_EQ(rule.condition.children[0].kind, ConditionNode::Kind::kAnd);
  EXPECT_EQ(rule.condition.children[0].children[0].children.size(), 2u);  // sel_a, sel_b
  EXPECT_EQ(rule.condition.children[1].children.size(), 3u);              // all of them
}

TEST(RuleLoader, Timeframes) {
  EXPECT_EQ(ParseTimeframe("10m"), 600);
  EXPECT_EQ(ParseTimeframe("2h"), 7200);
  EXPECT_EQ(ParseTimeframe("1d"), 86400);
  EXPECT_EQ(ParseTimeframe("45"), 45);
  EXPECT_EQ(ParseTimeframe("m"), -1);
  EXPECT_EQ(ParseTimeframe("5w"), -1);
}

}  // namespace
}  // namespace mamori::rse::detect
