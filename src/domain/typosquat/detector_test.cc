#include "domain/typosquat/detector.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "domain/typosquat/lists.h"

namespace mamori::domain {
namespace {

class DetectorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    FuzzerLists lists{{"login", "secure", "verify", "account", "support"},
                      {"com", "net", "org", "xyz", "co.uk", "de"}};
    auto d = TyposquatDetector::Build({"paypal.com", "microsoft.com", "wikipedia.org", "bbc.co.uk",
                                       "qq.com", "bücher.de", "facebook.com", "stackoverflow.com"},
                                      lists);
    ASSERT_TRUE(d) << d.error().ToString();
    detector_ = new TyposquatDetector(std::move(*d));
  }
  static void TearDownTestSuite() { delete detector_; }

  // The match for `name`, or a match with brand "none".
  static TyposquatMatch M(std::string_view name) {
    auto r = detector_->Match(name);
    EXPECT_TRUE(r) << name << ": " << r.error().ToString();
    if (!r || !*r) return {"none", "", -1};
    return **r;
  }
  static TyposquatDetector* detector_;
};
TyposquatDetector* DetectorTest::detector_ = nullptr;

// A name several fuzzers make is reported under the first in kFuzzers' order ("paypals.com" is
// both plural and addition), so each case is a name only its fuzzer makes.
TEST_F(DetectorTest, EveryFuzzer) {
  struct Case {
    const char* name;
    const char* technique;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"paypalx.com", "addition"},
           {"paypa1.com", "homoglyph"},
           {"paypak.com", "replacement"},
           {"pay-pal.com", "hyphenation"},
           {"paypsal.com", "insertion"},
           {"payal.com", "omission"},
           {"ppaypal.com", "repetition"},
           {"pay.pal.com", "subdomain"},
           {"www.pay.pal.com", "subdomain"},
           {"papyal.com", "transposition"},
           {"paypol.com", "vowel-swap"},
           {"paypal-login.com", "dictionary"},
           {"securepaypal.com", "dictionary"},
           {"paypal.xyz", "tld-swap"},
           {"paypalcom.com", "various"},
           {"qaypal.com", "bitsquatting"},
       }) {
    TyposquatMatch m = M(c.name);
    EXPECT_EQ(m.brand, "paypal.com") << c.name;
    EXPECT_EQ(m.technique, c.technique) << c.name;
  }
}

TEST_F(DetectorTest, UnicodeAndPunycode) {
  // Cyrillic 'а' twice, as Unicode and as punycode.
  EXPECT_EQ(M("pаypаl.com").technique, "cyrillic");
  EXPECT_EQ(M("xn--pypl-53dc.com").brand, "paypal.com");
  // Whole-script Cyrillic.
  EXPECT_EQ(M("раураӏ.com").technique, "cyrillic");
  // Latin with marks, mixed with an ASCII lookalike: a mix dnstwist makes, never stored.
  TyposquatMatch m = M("pạypa1.com");
  EXPECT_EQ(m.brand, "paypal.com");
  EXPECT_EQ(m.technique, "homoglyph");
  // Three marked letters: beyond dnstwist's two rounds, still folded back.
  EXPECT_EQ(M("ṁịcrọsoft.com").brand, "microsoft.com");
  // An IDN brand's own squats.
  EXPECT_EQ(M("bucher.de").brand, "xn--bcher-kva.de");  // brands are reported as A-labels
  EXPECT_EQ(M("xn--bcher-kva.net").technique, "tld-swap");
}

TEST_F(DetectorTest, UnseenVariants) {
  // Two edits on a long brand: not a single fuzzer's output.
  TyposquatMatch two = M("stakoverflwo.com");
  EXPECT_EQ(two.brand, "stackoverflow.com") << two.technique;
  EXPECT_EQ(two.technique, "edit-distance");
  EXPECT_EQ(two.distance, 2);
  TyposquatMatch m = M("wlkipedla.org");  // two i -> l, skeleton distance 0
  EXPECT_EQ(m.brand, "wikipedia.org");
  // Homoglyph and TLD swap together, with a TLD outside the list.
  TyposquatMatch h = M("rnicrosoft.info");
  EXPECT_EQ(h.brand, "microsoft.com");
  EXPECT_EQ(h.technique, "homoglyph+tld-swap");
  // Greek omicron: folded, not in dnstwist's tables.
  EXPECT_EQ(M("micrοsoft.com").brand, "microsoft.com");
  // One edit that no fuzzer makes (a letter two keys away) under another TLD.
  EXPECT_EQ(M("micrlsoft.io").technique, "edit-distance");
}

TEST_F(DetectorTest, ComboSquatAndBrandAsSubdomain) {
  EXPECT_EQ(M("paypal-account-verify.net").technique, "combo-squat");
  EXPECT_EQ(M("verify-microsoft.xyz").brand, "microsoft.com");
  TyposquatMatch s = M("paypal.com.evil.net");
  EXPECT_EQ(s.brand, "paypal.com");
  EXPECT_EQ(s.technique, "brand-subdomain");
  EXPECT_EQ(M("login.bbc.co.uk.example.org").technique, "brand-subdomain");
}

TEST_F(DetectorTest, BrandsAndTheirHostsAreNotSquats) {
  for (const char* name :
       {"paypal.com", "www.paypal.com", "PAYPAL.COM.", "login.microsoft.com", "bbc.co.uk",
        "news.bbc.co.uk", "bücher.de", "xn--bcher-kva.de", "qq.com"}) {
    EXPECT_EQ(M(name).brand, "none") << name;
  }
}

TEST_F(DetectorTest, UnrelatedBenignNames) {
  // Real sites near short brands and sharing words with long ones.
  // (wikimedia.org and bbc.com would match: the first is an AZERTY replacement of wikipedia, the
  // second a TLD swap of bbc.co.uk; both belong to the brand's owner, which names cannot tell.)
  for (const char* name :
       {"example.com", "debian.org", "nbc.com", "qz.com", "q.com", "facebookresearch.io",
        "paypalobjects.com", "microsoftstore.example", "python.org", "kernel.org"}) {
    EXPECT_EQ(M(name).brand, "none") << name << " matched as " << M(name).technique;
  }
}

TEST_F(DetectorTest, ShortBrandsNeedALookalike) {
  EXPECT_EQ(M("qw.com").brand, "none");          // replacement of a 2-letter brand: not flagged
  EXPECT_EQ(M("qqq.com").brand, "none");         // repetition
  EXPECT_EQ(M("qq-login.com").brand, "qq.com");  // combo with a listed word
}

// The categorizer passes the registered domain it already holds: the answers are the same.
TEST_F(DetectorTest, GivenRegisteredDomainSameAnswers) {
  for (const char* text : {"paypal.com", "paypa1.com", "paypal-login.com", "paypal.com.evil.net",
                           "mail.paypal.com", "rnicrosoft.com", "micorsoft.net", "wikipedla.org",
                           "stackoverfow.com", "xn--pypal-4ve.com", "bbc.co.uk", "example.org",
                           "co.uk", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.paypa1.com"}) {
    auto name = DomainName::Parse(text);
    ASSERT_TRUE(name) << text;
    auto plain = detector_->Match(*name);
    auto given = detector_->Match(*name, name->RegisteredDomain().value_or(""));
    ASSERT_EQ(plain.has_value(), given.has_value()) << text;
    if (plain) {
      EXPECT_EQ(plain->brand, given->brand) << text;
      EXPECT_EQ(plain->technique, given->technique) << text;
      EXPECT_EQ(plain->distance, given->distance) << text;
    }
  }
  EXPECT_EQ(M("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.paypa1.com").brand, "paypal.com");
}

// Two brands equally near a candidate (the tie path): one of them, at their distance, and the
// same answer every time.
// Ties go to the brand listed first (the more popular in a ranked list), in either order.
TEST(DetectorTieTest, EquallyNearBrandsGiveTheFirstListed) {
  FuzzerLists lists{{"login"}, {"com"}};
  for (const auto& brands : {std::vector<std::string>{"bcdefghk.com", "bcdefghx.com"},
                             std::vector<std::string>{"bcdefghx.com", "bcdefghk.com"}}) {
    auto d = TyposquatDetector::Build(brands, lists);
    ASSERT_TRUE(d) << d.error().ToString();
    auto m = d->Match("bcdefghq.com");
    ASSERT_TRUE(m && *m);
    EXPECT_EQ((*m)->brand, brands[0]);
    EXPECT_EQ((*m)->technique, "edit-distance");
    EXPECT_EQ((*m)->distance, 1);
    auto again = d->Match("bcdefghq.com");
    ASSERT_TRUE(again && *again);
    EXPECT_EQ((*again)->brand, (*m)->brand);
  }
}

TEST_F(DetectorTest, BadInputIsAnError) {
  EXPECT_FALSE(detector_->Match("not a name"));
  EXPECT_FALSE(detector_->Match(""));
  EXPECT_FALSE(TyposquatDetector::Build({"paypal.com", "bad name"}, {}));
  EXPECT_FALSE(TyposquatDetector::Build({}, {}));
}

TEST(DetectorShippedListsTest, TopSitesBuild) {
  const char* env = std::getenv("MAMORI_SOURCE_DIR");
  std::string root = env ? env : MAMORI_SOURCE_DIR;
  auto brands = LoadList(root + "/data/brands/top-sites.txt");
  auto lists = LoadFuzzerLists(root + "/data/typosquat");
  ASSERT_TRUE(brands) << brands.error().ToString();
  ASSERT_TRUE(lists) << lists.error().ToString();
  EXPECT_GE(brands->size(), 400u);
  auto d = TyposquatDetector::Build(*brands, *lists);
  ASSERT_TRUE(d) << d.error().ToString();
  auto m = d->Match("g00gle.com");
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->brand, "google.com");
  auto own = d->Match("mail.google.com");
  ASSERT_TRUE(own);
  EXPECT_FALSE(*own);
}

}  // namespace
}  // namespace mamori::domain
