#include "rse/detect/matcher.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>

#include "rse/detect/test_events.h"

namespace mamori::rse::detect {
namespace {

using F = Field;

std::shared_ptr<const RuleSet> Compile(std::string_view yaml) {
  LoadResult r = ParseRules(yaml, "test.yml");
  EXPECT_TRUE(r.errors.empty()) << r.errors[0].ToString();
  auto set = RuleSet::Compile(std::move(r.rules));
  EXPECT_TRUE(set) << set.error().ToString();
  return *set;
}

// A one-rule YAML with `detection` as given.
std::string RuleYaml(std::string_view detection, std::string_view id = "r") {
  return fmt::format("title: t\nid: {}\ndetection:\n{}", id, detection);
}

// Matches with both engines, checks they agree, returns the result.
bool Matches(const std::shared_ptr<const RuleSet>& set, const ingest::Event& e,
             IndicatorLookup* intel = nullptr) {
  Matcher m(set, intel);
  const auto& hits = m.Match(e);
  bool fast = !hits.empty();
  bool ref = ReferenceMatch(set->rules()[0], e, intel);
  EXPECT_EQ(fast, ref) << "Hyperscan and reference disagree";
  return fast;
}

TEST(Matcher, EqualsIsCaseInsensitiveAndExact) {
  auto set = Compile(RuleYaml("  sel:\n    http.request.method: post\n  condition: sel\n"));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kHttpRequestMethod, "POST")));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kHttpRequestMethod, "post")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kHttpRequestMethod, "POSTX")));
  EXPECT_FALSE(Matches(set, TestEvent()));
}

TEST(Matcher, NumbersAndListsAreOr) {
  auto set = Compile(
      RuleYaml("  sel:\n    http.response.status_code: [401, 403]\n  condition: sel\n"));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kHttpResponseStatusCode, "403")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kHttpResponseStatusCode, "404")));
}

TEST(Matcher, ContainsStartsEndsWildcards) {
  auto set = Compile(RuleYaml(
      "  a:\n    url.original|contains: '/.ENV'\n"
      "  b:\n    url.original|startswith: /admin\n"
      "  c:\n    url.original|endswith: .php\n"
      "  d:\n    user_agent.original: '*sqlmap?1*'\n"
      "  e:\n    user.name: 'lit\\*eral'\n"
      "  condition: 1 of them\n"));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kUrlOriginal, "/x/.env?a")));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kUrlOriginal, "/ADMIN/login")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kUrlOriginal, "/x/admin")));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kUrlOriginal, "/x/index.PHP")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kUrlOriginal, "/x/index.php?")));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kUserAgentOriginal, "SQLmap/1.5 (x)")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kUserAgentOriginal, "sqlmap1")));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kUserName, "lit*eral")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kUserName, "litXeral")));
}

TEST(Matcher, AllModifier) {
  auto set = Compile(
      RuleYaml("  sel:\n    url.original|contains|all: [union, select]\n  condition: sel\n"));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kUrlOriginal, "/?q=UNION+SELECT")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kUrlOriginal, "/?q=union")));
}

TEST(Matcher, RegexIsCaseSensitiveUnlessAsked) {
  auto set = Compile(RuleYaml("  sel:\n    url.original|re: 'id=[0-9]+ OR'\n  condition: sel\n"));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kUrlOriginal, "/a?id=1 OR 1=1")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kUrlOriginal, "/a?id=1 or 1=1")));
  auto ci = Compile(RuleYaml("  sel:\n    url.original|re: '(?i)id=[0-9]+ or'\n  condition: sel\n"));
  EXPECT_TRUE(Matches(ci, TestEvent().Set(F::kUrlOriginal, "/a?ID=1 Or 1=1")));
}

TEST(Matcher, RegexConfirmedByRe2WhenHyperscanCannotBeExact) {
  // Hyperscan supports these only as prefilters (or not at all); RE2 must confirm them.
  const char* patterns[] = {"(a|b)\\1?x{2,}?", "\\Qa.b\\E", "(?U)a+b", "a{100}b{2,300}c",
                            "^(?:[a-z]+\\.){3}php$"};
  for (const char* p : patterns) {
    LoadResult r = ParseRules(RuleYaml(fmt::format("  sel:\n    url.original|re: '{}'\n"
                                                   "  condition: sel\n",
                                                   p)),
                              "t.yml");
    if (!r.errors.empty()) continue;  // RE2 rejects it (e.g. a backreference): a load error
    auto set = RuleSet::Compile(std::move(r.rules));
    ASSERT_TRUE(set);
    for (const std::string& v : std::vector<std::string>{"a.b", "aaab", "axx", "bxxx", "a.b.c.php",
                                                         std::string(100, 'a')}) {
      Matches(*set, TestEvent().Set(F::kUrlOriginal, v));
    }
  }
  // A prefilter-only pattern is counted and confirmed.
  auto set = Compile(RuleYaml("  sel:\n    url.original|re: 'a{100}b{2,300}c'\n  condition: sel\n"));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kUrlOriginal, std::string(100, 'a') + "bbc")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kUrlOriginal, std::string(99, 'a') + "bbc")));
}

TEST(Matcher, Cidr) {
  auto set = Compile(RuleYaml(
      "  sel:\n    source.ip|cidr: [10.0.0.0/8, '2001:db8::/32']\n"
      "  other:\n    host.name|cidr: 192.168.0.0/16\n"
      "  condition: sel or other\n"));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kSourceIp, "10.9.8.7")));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kSourceIp, "2001:db8::1")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kSourceIp, "11.0.0.1")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kSourceIp, "not-an-ip")));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kHostName, "192.168.1.1")));
}

TEST(Matcher, KeywordsSearchTheRawLine) {
  auto set = Compile(RuleYaml("  keywords:\n    - 'Invalid user'\n    - 'POSSIBLE BREAK-IN'\n"
                              "  condition: keywords\n"));
  EXPECT_TRUE(Matches(set, TestEvent().Raw("sshd[1]: invalid USER admin from 1.2.3.4")));
  EXPECT_FALSE(Matches(set, TestEvent().Raw("sshd[1]: Accepted password")));
}

TEST(Matcher, NullMeansAbsent) {
  auto set = Compile(RuleYaml(
      "  sel:\n    http.response.status_code: 200\n    user_agent.original: null\n"
      "  condition: sel\n"));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kHttpResponseStatusCode, "200")));
  EXPECT_FALSE(Matches(set, TestEvent()
                                .Set(F::kHttpResponseStatusCode, "200")
                                .Set(F::kUserAgentOriginal, "curl/8")));
}

TEST(Matcher, ListOfMapsIsOr) {
  auto set = Compile(RuleYaml(
      "  sel:\n    - http.request.method: PUT\n      url.original|endswith: .jsp\n"
      "    - http.request.method: DELETE\n  condition: sel\n"));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kHttpRequestMethod, "PUT").Set(F::kUrlOriginal,
                                                                           "/a.jsp")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kHttpRequestMethod, "PUT").Set(F::kUrlOriginal,
                                                                            "/a.js")));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kHttpRequestMethod, "delete")));
}

TEST(Matcher, NotParenthesesAndOfWildcards) {
  auto set = Compile(RuleYaml(
      "  sel_a:\n    url.original|contains: aaa\n"
      "  sel_b:\n    url.original|contains: bbb\n"
      "  filter_x:\n    source.ip|cidr: 10.0.0.0/8\n"
      "  condition: all of sel_* or (url_only and not 1 of filter*)\n"
      "  url_only:\n    url.original|contains: ccc\n"));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kUrlOriginal, "aaabbb")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kUrlOriginal, "aaa")));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kUrlOriginal, "ccc").Set(F::kSourceIp, "1.1.1.1")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kUrlOriginal, "ccc").Set(F::kSourceIp, "10.1.1.1")));
  // A pure negation is evaluated for every event.
  auto neg = Compile(RuleYaml("  sel:\n    url.original|contains: x\n  condition: not sel\n"));
  EXPECT_EQ(neg->stats().always_evaluated_rules, 1u);
  EXPECT_TRUE(Matches(neg, TestEvent().Set(F::kUrlOriginal, "/a")));
  EXPECT_FALSE(Matches(neg, TestEvent().Set(F::kUrlOriginal, "/x")));
}

TEST(Matcher, LogsourceSelectsDatasets) {
  auto set = Compile(
      "title: t\nid: r\nlogsource:\n  service: sshd\ndetection:\n  sel:\n    event.outcome: "
      "failure\n  condition: sel\n");
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kEventOutcome, "failure").Set(F::kEventDataset,
                                                                           "sshd")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kEventOutcome, "failure").Set(F::kEventDataset,
                                                                            "nginx.error")));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kEventOutcome, "failure")));
}

TEST(Matcher, IntelLookup) {
  auto set = Compile(RuleYaml(
      "  ip:\n    destination.ip|intel: any\n  name:\n    dns.question.name|intel: [feed-a]\n"
      "  condition: ip or name\n"));
  SetIndicatorLookup intel;
  intel.Add("203.0.113.0/24", "feed-b");
  intel.Add("evil.example", "feed-a");
  intel.Add("other.example", "feed-b");
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kDestinationIp, "203.0.113.9"), &intel));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kDestinationIp, "198.51.100.1"), &intel));
  EXPECT_TRUE(Matches(set, TestEvent().Set(F::kDnsQuestionName, "c2.EVIL.example."), &intel));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kDnsQuestionName, "other.example"), &intel));
  EXPECT_FALSE(Matches(set, TestEvent().Set(F::kDestinationIp, "203.0.113.9"), nullptr));
}

TEST(Matcher, ManyRulesOnePassReturnsAllMatches) {
  std::string yaml;
  for (int i = 0; i < 50; ++i) {
    yaml += fmt::format("---\ntitle: t{0}\nid: r{0}\ndetection:\n  sel:\n"
                        "    url.original|contains: /p{0}/\n  condition: sel\n",
                        i);
  }
  auto set = Compile(yaml);
  ASSERT_EQ(set->rules().size(), 50u);
  Matcher m(set);
  auto hits = m.Match(TestEvent().Set(F::kUrlOriginal, "/p7/p13/x/p49/"));
  EXPECT_EQ(hits, (std::vector<uint32_t>{7, 13, 49}));
}

// Random rules × random events: the compiled matcher and the reference agree.
TEST(Matcher, PropertyAgreesWithReference) {
  std::mt19937 rng(12345);
  auto pick = [&](auto const& v) { return v[rng() % v.size()]; };
  const std::vector<std::string> fields = {"url.original", "user_agent.original",
                                           "http.request.method", "user.name"};
  const std::vector<Field> field_ids = {F::kUrlOriginal, F::kUserAgentOriginal,
                                        F::kHttpRequestMethod, F::kUserName};
  const std::vector<std::string> mods = {"", "|contains", "|startswith", "|endswith",
                                         "|contains|all", "|re"};
  const std::vector<std::string> globs = {"a", "ab", "b?", "a*b", "ba", "*a", "A.b", "?"};
  const std::vector<std::string> regexes = {"a+b", "^b", "a$", "(?i)AB", "[ab]{2}\\.", "b.a"};
  const std::vector<std::string> conds = {"s0", "s0 and s1", "s0 or not s1", "1 of s*",
                                          "all of them", "not (s0 or s2)", "(s0 and s1) or s2",
                                          "1 of them and not s2"};
  std::string yaml;
  for (int r = 0; r < 60; ++r) {
    yaml += fmt::format("---\ntitle: t\nid: r{}\ndetection:\n", r);
    for (int s = 0; s < 3; ++s) {
      yaml += fmt::format("  s{}:\n", s);
      int tests = 1 + static_cast<int>(rng() % 2);
      for (int t = 0; t < tests; ++t) {
        std::string mod = pick(mods);
        std::string field = fields[(t + s + r) % fields.size()];
        if (rng() % 10 == 0) {
          yaml += fmt::format("    {}: null\n", field);
          continue;
        }
        yaml += fmt::format("    {}{}:\n", field, mod);
        int values = 1 + static_cast<int>(rng() % 3);
        for (int v = 0; v < values; ++v) {
          yaml += fmt::format("      - '{}'\n", mod == "|re" ? pick(regexes) : pick(globs));
        }
      }
    }
    yaml += fmt::format("  condition: {}\n", pick(conds));
  }
  auto set = Compile(yaml);
  ASSERT_TRUE(set);
  Matcher m(set);
  const std::string alphabet = "abAB.b";
  int total_matches = 0;
  for (int i = 0; i < 3000; ++i) {
    TestEvent e;
    for (Field f : field_ids) {
      if (rng() % 4 == 0) continue;
      std::string v;
      size_t len = 1 + rng() % 6;
      for (size_t k = 0; k < len; ++k) v += alphabet[rng() % alphabet.size()];
      e.Set(f, v);
    }
    const auto& hits = m.Match(e);
    std::vector<uint32_t> want;
    for (uint32_t r = 0; r < set->rules().size(); ++r) {
      if (ReferenceMatch(set->rules()[r], e, nullptr)) want.push_back(r);
    }
    ASSERT_EQ(hits, want) << "event " << i << " url=" << e.event().Get(F::kUrlOriginal)
                          << " ua=" << e.event().Get(F::kUserAgentOriginal);
    total_matches += static_cast<int>(hits.size());
  }
  EXPECT_GT(total_matches, 1000);  // the test exercises matches, not just misses
}

TEST(Matcher, ExplanationNamesFieldModifierAndValue) {
  auto set = Compile(RuleYaml(
      "  sqli:\n    url.original|contains: union\n    http.request.method: GET\n"
      "  condition: sqli\n"));
  Explanation why;
  ASSERT_TRUE(ReferenceMatch(set->rules()[0],
                             TestEvent().Set(F::kUrlOriginal, "/?q=UNION").Set(
                                 F::kHttpRequestMethod, "GET"),
                             nullptr, &why));
  ASSERT_EQ(why.selections.size(), 1u);
  ASSERT_EQ(why.selections[0].hits.size(), 2u);
  EXPECT_EQ(why.selections[0].hits[0].field, "url.original");
  EXPECT_EQ(why.selections[0].hits[0].modifiers, "contains");
  EXPECT_EQ(why.selections[0].hits[0].pattern, "union");
  EXPECT_EQ(why.selections[0].hits[0].value, "/?q=UNION");
}

}  // namespace
}  // namespace mamori::rse::detect
