#include "domain/dga/features.h"

#include <gtest/gtest.h>

namespace mamori::domain::dga {
namespace {

float Get(const FeatureVector& f, std::string_view name) {
  for (size_t i = 0; i < kFeatureCount; ++i) {
    if (kFeatureNames[i] == name) return f[i];
  }
  ADD_FAILURE() << "no feature " << name;
  return 0;
}

class FeaturesTest : public ::testing::Test {
 protected:
  Lexicon lexicon_{std::vector<std::string>{"bank", "america", "book", "face", "of"}};
  NgramModel ngrams_ = NgramModel::Fit({"google", "facebook", "amazon", "wikipedia", "youtube",
                                        "bankofamerica", "microsoft", "apple", "netflix"});
  FeatureExtractor fx_{ngrams_, lexicon_};
};

TEST(SplitLabelTest, TakesTheRegistrableLabel) {
  EXPECT_EQ(SplitLabel("WWW.Google.co.uk.")->label, "google");
  EXPECT_EQ(SplitLabel("www.google.co.uk")->suffix, "co.uk");
  // Dynamic-DNS zones in the PSL private section are suffixes: the DGA's label is below them.
  EXPECT_EQ(SplitLabel("lkhylm0mhyfuhg.ddns.net")->label, "lkhylm0mhyfuhg");
  EXPECT_EQ(SplitLabel("lkhylm0mhyfuhg.ddns.net")->suffix, "ddns.net");
  EXPECT_EQ(SplitLabel("Bücher.example")->label, "xn--bcher-kva");
  EXPECT_EQ(SplitLabel("Bücher")->label, "xn--bcher-kva");
  ASSERT_TRUE(SplitLabel("xjwqpkzt"));
  EXPECT_EQ(SplitLabel("xjwqpkzt")->label, "xjwqpkzt");
  EXPECT_EQ(SplitLabel("xjwqpkzt")->suffix, "");
  ASSERT_TRUE(SplitLabel("xjwqpkzt."));
  EXPECT_EQ(SplitLabel("xjwqpkzt.")->label, "xjwqpkzt");
  EXPECT_FALSE(SplitLabel("not a domain"));
  EXPECT_FALSE(SplitLabel("bad label"));
  EXPECT_FALSE(SplitLabel(""));
}

TEST_F(FeaturesTest, CountsCharacters) {
  const FeatureVector f = fx_.Extract({"a3f9c2e1b7d4", "net"});
  EXPECT_EQ(Get(f, "length"), 12);
  EXPECT_FLOAT_EQ(Get(f, "digit_ratio"), 6.0f / 12);
  EXPECT_EQ(Get(f, "hex_only"), 1);
  EXPECT_EQ(Get(f, "max_digit_run"), 1);
  EXPECT_EQ(Get(f, "char_class_switches"), 11);
  EXPECT_EQ(Get(f, "tld_length"), 3);
  EXPECT_FLOAT_EQ(Get(f, "unique_ratio"), 1.0f);
  EXPECT_NEAR(Get(f, "entropy"), std::log2(12.0), 1e-5);
}

TEST_F(FeaturesTest, ConsonantsAndVowels) {
  const FeatureVector f = fx_.Extract({"xjwqpkztvbnm", "com"});
  EXPECT_EQ(Get(f, "max_consonant_run"), 12);
  EXPECT_EQ(Get(f, "vowel_ratio"), 0);
  EXPECT_EQ(Get(f, "consonant_ratio"), 1);
  EXPECT_EQ(Get(f, "hex_only"), 0);
  const FeatureVector g = fx_.Extract({"google", "com"});
  EXPECT_FLOAT_EQ(Get(g, "vowel_ratio"), 3.0f / 6);
  EXPECT_EQ(Get(g, "max_consonant_run"), 2);  // "gl"
  EXPECT_EQ(Get(fx_.Extract({"my-shop-24", "de"}), "hyphens"), 2);
  EXPECT_EQ(Get(fx_.Extract({"my-shop-24", "co.uk"}), "tld_length"), 2);
}

TEST_F(FeaturesTest, WordCoverage) {
  const FeatureVector f = fx_.Extract({"bankofamerica", "com"});
  // "of" is too short to count; bank + america cover 11 of 13 characters.
  EXPECT_FLOAT_EQ(Get(f, "word_coverage"), 11.0f / 13);
  EXPECT_EQ(Get(f, "word_count"), 2);
  EXPECT_EQ(Get(f, "longest_word"), 7);
  EXPECT_EQ(Get(fx_.Extract({"xjwqpkzt", "com"}), "word_coverage"), 0);
}

TEST_F(FeaturesTest, LanguageModelPrefersSeenSequences) {
  const FeatureVector real = fx_.Extract({"goobook", "com"});
  const FeatureVector random = fx_.Extract({"xqzjvkw", "com"});
  EXPECT_GT(Get(real, "trigram_loglik"), Get(random, "trigram_loglik"));
  EXPECT_GT(Get(real, "bigram_loglik"), Get(random, "bigram_loglik"));
  EXPECT_LT(Get(real, "trigram_unseen"), Get(random, "trigram_unseen"));
  EXPECT_EQ(Get(random, "trigram_unseen"), 1);
}

TEST(LexiconTest, CoverPrefersMoreCharactersThenFewerWords) {
  const Lexicon lex = Lexicon::FromText("# comment\nface\nbook\nfacebook\n\nBANK  \nab\n");
  EXPECT_TRUE(lex.Contains("bank"));
  EXPECT_FALSE(lex.Contains("ab"));  // shorter than 3
  const WordCover c = lex.Cover("facebook");
  EXPECT_EQ(c.covered_chars, 8);
  EXPECT_EQ(c.words, 1);
}

TEST(NgramModelTest, JsonRoundTrip) {
  const NgramModel m = NgramModel::Fit({"example", "ex-ample2", "under_score"});
  auto back = NgramModel::FromJson(m.ToJson(), "test");
  ASSERT_TRUE(back) << back.error().ToString();
  for (std::string_view s : {"example", "zzz", "ex-9", "a_b"}) {
    EXPECT_EQ(back->Score(s).trigram_mean, m.Score(s).trigram_mean) << s;
    EXPECT_EQ(back->Score(s).bigram_mean, m.Score(s).bigram_mean) << s;
  }
  auto bad = NgramModel::FromJson(
      {{"bigrams", {{"abc", 1}}}, {"trigrams", nlohmann::json::object()}}, "m.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().ToString().find("abc"), std::string::npos);
}

}  // namespace
}  // namespace mamori::domain::dga
