#include "domain/dga/synthetic.h"

#include <gtest/gtest.h>

#include <map>

#include "domain/dga/features.h"

namespace mamori::domain::dga {
namespace {

TEST(SyntheticTest, SeededAndValid) {
  const Lexicon lex(std::vector<std::string>{"apple", "river", "stone", "cloud"});
  SyntheticOptions o;
  o.count = 2000;
  o.seed = 42;
  const auto a = GenerateSyntheticDga(o, lex);
  const auto b = GenerateSyntheticDga(o, lex);
  ASSERT_EQ(a.size(), 2000u);
  std::map<std::string_view, int> kinds;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].domain, b[i].domain);
    EXPECT_TRUE(SplitLabel(a[i].domain)) << a[i].domain;
    kinds[a[i].kind]++;
  }
  EXPECT_EQ(kinds.size(), std::size(kSyntheticKinds));
  o.seed = 43;
  EXPECT_NE(GenerateSyntheticDga(o, lex)[0].domain, a[0].domain);
}

TEST(SyntheticTest, NoWordsNoDictionaryKinds) {
  SyntheticOptions o;
  o.count = 500;
  for (const auto& n : GenerateSyntheticDga(o, Lexicon())) {
    EXPECT_NE(n.kind, "dictionary");
    EXPECT_NE(n.kind, "word-random");
  }
}

}  // namespace
}  // namespace mamori::domain::dga
