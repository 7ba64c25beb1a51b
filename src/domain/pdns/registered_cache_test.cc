#include "domain/pdns/registered_cache.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/domain_name.h"

namespace mamori::domain::pdns {
namespace {

std::string Direct(const std::string& name) {
  auto parsed = DomainName::Parse(name);
  if (!parsed) return "";
  return parsed->RegisteredDomain().value_or("");
}

// Suffixes that exercise every kind of PSL rule: plain ICANN, multi-label, wildcard ("*.ck",
// "*.kawasaki.jp") with exceptions ("!www.ck", "!city.kawasaki.jp"), private-section entries
// (github.io, blogspot.com, s3.amazonaws.com, the "*.compute.amazonaws.com" style), unknown
// TLDs (the prevailing "*" rule) and a numeric TLD (which DomainName refuses).
const std::vector<std::string> kSuffixes = {
    "com",       "co.uk",        "uk",         "ck",           "www.ck",
    "foo.ck",    "kawasaki.jp",  "city.kawasaki.jp",           "x.kawasaki.jp",
    "jp",        "github.io",    "io",         "blogspot.com", "blogspot.co.uk",
    "s3.amazonaws.com",          "amazonaws.com",              "compute.amazonaws.com",
    "eu-west-1.compute.amazonaws.com",         "notatld",      "b.notatld",
    "example",   "123",          "a.123",      "com.br",       "br",
    "appspot.com",               "herokuapp.com",              "xn--p1ai"};

TEST(RegisteredCacheTest, EqualsDirectPslAnswerOnEveryRuleKind) {
  std::vector<std::string> names;
  const std::vector<std::string> labels = {"www", "a", "mail", "city", "foo", "x", "www"};
  for (const std::string& suffix : kSuffixes) {
    names.push_back(suffix);
    for (const std::string& l1 : labels) {
      names.push_back(l1 + "." + suffix);
      for (const std::string& l2 : labels) names.push_back(l2 + "." + l1 + "." + suffix);
    }
  }
  // Random depths and orders too: the cache must not depend on which name came first.
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string name = kSuffixes[rng() % kSuffixes.size()];
    int depth = static_cast<int>(rng() % 4);
    for (int d = 0; d < depth; ++d) name = labels[rng() % labels.size()] + "." + name;
    names.push_back(name);
  }
  RegisteredCache cache;
  int mismatches = 0, with_answer = 0, without = 0;
  for (int round = 0; round < 2; ++round) {
    for (const std::string& name : names) {
      std::string expected = Direct(name);
      std::string got(cache.Get(name));
      if (got != expected && ++mismatches < 20) {
        ADD_FAILURE() << name << ": cache says \"" << got << "\", PSL says \"" << expected << "\"";
      }
      (expected.empty() ? without : with_answer)++;
    }
    std::shuffle(names.begin(), names.end(), rng);
    if (round == 0) cache.Clear();
  }
  EXPECT_EQ(mismatches, 0);
  // Both kinds of answer were exercised.
  EXPECT_GT(with_answer, 1000);
  EXPECT_GT(without, 100);
  EXPECT_GT(cache.parents(), 10u);
}

TEST(RegisteredCacheTest, KnownAnswers) {
  RegisteredCache cache;
  EXPECT_EQ(cache.Get("a.b.example.co.uk"), "example.co.uk");
  EXPECT_EQ(cache.Get("www.example.co.uk"), "example.co.uk");
  EXPECT_EQ(cache.Get("co.uk"), "");
  EXPECT_EQ(cache.Get("www.ck"), "www.ck");    // "!www.ck" exception
  EXPECT_EQ(cache.Get("foo.ck"), "");          // "*.ck": itself a public suffix
  EXPECT_EQ(cache.Get("a.foo.ck"), "a.foo.ck");
  EXPECT_EQ(cache.Get("x.a.foo.ck"), "a.foo.ck");
  EXPECT_EQ(cache.Get("me.github.io"), "me.github.io");  // private section
  EXPECT_EQ(cache.Get("www.me.github.io"), "me.github.io");
  EXPECT_EQ(cache.Get("com"), "");
}

}  // namespace
}  // namespace mamori::domain::pdns
