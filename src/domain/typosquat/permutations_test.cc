#include "domain/typosquat/permutations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace mamori::domain {
namespace {

using ::testing::Contains;
using ::testing::IsSupersetOf;
using ::testing::Not;

FuzzerLists Lists() { return {{"login", "secure"}, {"net", "org", "co.uk", "com"}}; }

std::set<std::string> Fuzz(std::string_view name, std::string_view fuzzer, bool a_labels = true) {
  PermutationOptions options;
  options.fuzzers = {fuzzer};
  options.a_labels = a_labels;
  auto perms = GeneratePermutations(name, Lists(), options);
  EXPECT_TRUE(perms) << perms.error().ToString();
  std::set<std::string> out;
  if (!perms) return out;
  for (const auto& p : *perms) {
    EXPECT_EQ(p.fuzzer, fuzzer);
    out.insert(p.domain);
  }
  return out;
}

TEST(PermutationsTest, Addition) {
  auto s = Fuzz("paypal.com", "addition");
  EXPECT_EQ(s.size(), 36u);
  EXPECT_THAT(s, IsSupersetOf({"paypal0.com", "paypala.com", "paypalz.com"}));
}

TEST(PermutationsTest, Bitsquatting) {
  auto s = Fuzz("paypal.com", "bitsquatting");
  // 'p' (0x70) ^ 0x01 = 'q', 'a' (0x61) ^ 0x02 = 'c', 'y' (0x79) ^ 0x01 = 'x'.
  EXPECT_THAT(s, IsSupersetOf({"qaypal.com", "pcypal.com", "paxpal.com"}));
  for (const auto& d : s) EXPECT_NE(d.front(), '-') << d;
}

TEST(PermutationsTest, CyrillicWholeScriptAndSingleLetter) {
  auto s = Fuzz("paypal.com", "cyrillic", /*a_labels=*/false);
  EXPECT_THAT(s, Contains("раураӏ.com"));  // every letter replaced
  EXPECT_THAT(s, Contains("pаypal.com"));  // one Cyrillic 'а'
  // A digit has no Cyrillic twin: no whole-script name, but single letters still.
  auto digits = Fuzz("web3.com", "cyrillic", false);
  EXPECT_THAT(digits, Not(Contains("ԝеь3.com")));
  EXPECT_THAT(digits, Contains("ԝeb3.com"));
}

TEST(PermutationsTest, HomoglyphAsciiAndUnicode) {
  auto s = Fuzz("paypal.com", "homoglyph");
  EXPECT_THAT(s, IsSupersetOf({"paypa1.com", "paypai.com"}));
  EXPECT_THAT(Fuzz("microsoft.com", "homoglyph"),
              IsSupersetOf({"rnicrosoft.com", "micr0s0ft.com"}));
  auto unicode = Fuzz("paypal.com", "homoglyph", false);
  EXPECT_THAT(unicode, IsSupersetOf({"pạypal.com", "pạypạl.com", "pạypa1.com"}));
  // Without non-ASCII glyphs only the ASCII lookalikes remain.
  PermutationOptions ascii{
      .fuzzers = {"homoglyph"}, .a_labels = false, .unicode_homoglyphs = false};
  auto perms = GeneratePermutations("paypal.com", Lists(), ascii);
  ASSERT_TRUE(perms);
  for (const auto& p : *perms)
    EXPECT_TRUE(std::all_of(p.domain.begin(), p.domain.end(), [](char c) { return c > 0; }));
}

TEST(PermutationsTest, Hyphenation) {
  EXPECT_EQ(Fuzz("paypal.com", "hyphenation"),
            (std::set<std::string>{"p-aypal.com", "pa-ypal.com", "pay-pal.com", "payp-al.com",
                                   "paypa-l.com"}));
}

TEST(PermutationsTest, InsertionUsesKeyboardNeighbours) {
  auto s = Fuzz("paypal.com", "insertion");
  // 'a' sits next to q, w, s, z (QWERTY/QWERTZ) and z, q (AZERTY); never at the first or last
  // character.
  EXPECT_THAT(s, IsSupersetOf({"paqypal.com", "pasypal.com", "payupal.com"}));
  EXPECT_THAT(s, Not(Contains("opaypal.com")));
}

TEST(PermutationsTest, Omission) {
  EXPECT_EQ(Fuzz("paypal.com", "omission"),
            (std::set<std::string>{"aypal.com", "pypal.com", "papal.com", "payal.com", "paypl.com",
                                   "paypa.com"}));
}

TEST(PermutationsTest, Plural) {
  EXPECT_EQ(Fuzz("paypal.com", "plural"), (std::set<std::string>{"paypals.com"}));
  EXPECT_THAT(Fuzz("box.com", "plural"), IsSupersetOf({"boxs.com", "boxes.com"}));
}

TEST(PermutationsTest, Repetition) {
  EXPECT_THAT(Fuzz("paypal.com", "repetition"), IsSupersetOf({"ppaypal.com", "paypall.com"}));
}

TEST(PermutationsTest, Replacement) {
  EXPECT_THAT(Fuzz("paypal.com", "replacement"),
              IsSupersetOf({"oaypal.com", "paypak.com", "paypsl.com", "0aypal.com"}));
}

TEST(PermutationsTest, Subdomain) {
  EXPECT_EQ(Fuzz("paypal.com", "subdomain"),
            (std::set<std::string>{"p.aypal.com", "pa.ypal.com", "pay.pal.com", "payp.al.com"}));
}

TEST(PermutationsTest, Transposition) {
  EXPECT_THAT(Fuzz("paypal.com", "transposition"), IsSupersetOf({"apypal.com", "paypla.com"}));
}

TEST(PermutationsTest, VowelSwap) {
  EXPECT_THAT(Fuzz("paypal.com", "vowel-swap"), IsSupersetOf({"peypal.com", "paypol.com"}));
}

TEST(PermutationsTest, Dictionary) {
  EXPECT_THAT(Fuzz("paypal.com", "dictionary"),
              IsSupersetOf({"paypal-login.com", "paypallogin.com", "secure-paypal.com",
                            "securepaypal.com"}));
  // A hyphenated label also gets its first or last part replaced.
  EXPECT_THAT(Fuzz("my-bank.com", "dictionary"), IsSupersetOf({"my-login.com", "secure-bank.com"}));
}

TEST(PermutationsTest, TldSwapSkipsOwnSuffix) {
  EXPECT_EQ(Fuzz("paypal.com", "tld-swap"),
            (std::set<std::string>{"paypal.net", "paypal.org", "paypal.co.uk"}));
}

TEST(PermutationsTest, Various) {
  EXPECT_THAT(Fuzz("paypal.com", "various"), Contains("paypalcom.com"));
  EXPECT_THAT(Fuzz("bbc.co.uk", "various"), IsSupersetOf({"bbc.uk", "bbcco.uk"}));
  EXPECT_THAT(Fuzz("paypal.de", "various"), IsSupersetOf({"paypalde.de", "paypal-de.com"}));
  EXPECT_THAT(Fuzz("www.paypal.com", "various"), IsSupersetOf({"wwwpaypal.com", "www-paypal.com"}));
}

TEST(PermutationsTest, IdnInputAndOutput) {
  // Unicode and punycode input are the same name; output is punycode (A-labels).
  auto a = Fuzz("bücher.de", "omission");
  auto b = Fuzz("xn--bcher-kva.de", "omission");
  EXPECT_EQ(a, b);
  EXPECT_THAT(a, IsSupersetOf({"bcher.de", "xn--bcer-0ra.de"}));  // "bücer"
  EXPECT_THAT(Fuzz("bücher.de", "omission", false), Contains("bücer.de"));
}

TEST(PermutationsTest, SplitName) {
  auto p = SplitName("www.paypal.co.uk");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->subdomain, "www");
  EXPECT_EQ(p->label, "paypal");
  EXPECT_EQ(p->suffix, "co.uk");
  // A private-section suffix that is itself listed keeps a label to permute.
  auto blog = SplitName("blogspot.com");
  ASSERT_TRUE(blog);
  EXPECT_EQ(blog->label, "blogspot");
}

TEST(PermutationsTest, Errors) {
  EXPECT_FALSE(GeneratePermutations("not a domain", Lists()));
  PermutationOptions bad{.fuzzers = {"typo"}};
  auto r = GeneratePermutations("paypal.com", Lists(), bad);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, ::testing::HasSubstr("unknown fuzzer"));
}

TEST(PermutationsTest, EveryFuzzerRunsByDefault) {
  auto perms = GeneratePermutations("paypal.com", Lists());
  ASSERT_TRUE(perms);
  std::set<std::string_view> seen;
  for (const auto& p : *perms) seen.insert(p.fuzzer);
  EXPECT_EQ(seen.size(), kFuzzers.size());
}

}  // namespace
}  // namespace mamori::domain
