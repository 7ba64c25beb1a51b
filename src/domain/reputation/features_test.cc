#include "domain/reputation/features.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "domain/dga/dga_classifier.h"
#include "domain/reputation/testing/world.h"

namespace mamori::domain::reputation {
namespace {

using testing::RecordWorld;

bool SameFeature(float a, float b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// The heart of "no leakage": features at T from the whole history equal features at T from only
// what was on record at T (records starting later dropped, intervals and listings clipped at T).
TEST(ReputationFeatures, NoFactFromAfterThePredictionDateChangesAFeature) {
  const RecordWorld world = RecordWorld::Random(/*seed=*/7, /*domains=*/60, /*days=*/200);
  const EvidenceIndex full = world.Build();
  const auto& language = testing::Language();
  const FeatureExtractor full_fx(&full, language.ngrams, language.lexicon);
  size_t compared = 0, with_history = 0;
  for (int day : {20, 75, 120, 199}) {
    const UnixSeconds at = testing::kStart + day * 86400 + 43200;
    const EvidenceIndex truncated = world.TruncatedAt(at).Build();
    const FeatureExtractor cut_fx(&truncated, language.ngrams, language.lexicon);
    for (const std::string& name : world.names()) {
      auto target = ParseScoreTarget(name);
      ASSERT_TRUE(target) << name;
      const FeatureResult a = full_fx.Extract(*target, at);
      const FeatureResult b = cut_fx.Extract(*target, at);
      EXPECT_EQ(a.has_history, b.has_history) << name << " day " << day;
      with_history += a.has_history;
      for (size_t i = 0; i < kFeatureCount; ++i) {
        EXPECT_TRUE(SameFeature(a.values[i], b.values[i]))
            << name << " day " << day << " " << kFeatureNames[i] << ": " << a.values[i]
            << " with the future, " << b.values[i] << " without";
        ++compared;
      }
    }
  }
  EXPECT_GT(with_history, 100u);  // the world is not empty at those dates
  EXPECT_GT(compared, 10000u);
}

TEST(ReputationFeatures, FutureEvidenceWouldChangeThemIfItLeaked) {
  // The same comparison must be able to fail: at T the full index differs from the truncated one
  // for some feature once evidence after T is counted (features at the end of the data).
  const RecordWorld world = RecordWorld::Random(7, 60, 200);
  const EvidenceIndex full = world.Build();
  const auto& language = testing::Language();
  const FeatureExtractor fx(&full, language.ngrams, language.lexicon);
  const UnixSeconds early = testing::kStart + 75 * 86400;
  const UnixSeconds late = testing::kStart + 199 * 86400;
  size_t differ = 0;
  for (const std::string& name : world.names()) {
    auto target = ParseScoreTarget(name);
    const FeatureResult a = fx.Extract(*target, early), b = fx.Extract(*target, late);
    for (size_t i = kLexicalFeatureCount; i < kFeatureCount; ++i) differ += !SameFeature(a.values[i], b.values[i]);
  }
  EXPECT_GT(differ, 50u);
}

TEST(ReputationFeatures, WithoutAnIndexOnlyLexicalFeaturesAreSet) {
  const auto& language = testing::Language();
  const FeatureExtractor fx(nullptr, language.ngrams, language.lexicon);
  auto target = ParseScoreTarget("WWW.Qxjzvbwk.COM.");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->name, "www.qxjzvbwk.com");
  EXPECT_EQ(target->registered, "qxjzvbwk.com");
  const FeatureResult f = fx.Extract(*target, testing::kStart);
  EXPECT_FALSE(f.has_history);
  const size_t prior = FeatureIndex("lex_tld_prior");
  for (size_t i = 0; i < kLexicalFeatureCount; ++i) {
    EXPECT_EQ(std::isnan(f.values[i]), i == prior) << kFeatureNames[i];  // the prior needs an index
  }
  for (size_t i = kLexicalFeatureCount; i < kFeatureCount; ++i) EXPECT_TRUE(std::isnan(f.values[i])) << kFeatureNames[i];
  EXPECT_EQ(f.values[FeatureIndex("name_depth")], 1.0f);
}

TEST(ReputationFeatures, InvalidNamesAreRefusedWithTheReason) {
  auto ip = ParseScoreTarget("192.0.2.1");
  ASSERT_FALSE(ip);
  EXPECT_NE(ip.error().message.find("IP address"), std::string::npos);
  auto suffix = ParseScoreTarget("co.uk");
  ASSERT_FALSE(suffix);
  EXPECT_NE(suffix.error().message.find("public suffix"), std::string::npos);
  auto bad = ParseScoreTarget("exa mple.com");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("not a valid domain name"), std::string::npos);
  EXPECT_FALSE(ParseScoreTarget(""));
}

TEST(ReputationFeatures, AddressesOfEarlierMaliciousDomainsCountButNotTheDomainsOwn) {
  using testing::Day0;
  EvidenceIndexBuilder b;
  // bad.com used 192.0.2.10 from day 0 and was listed on day 5.
  b.AddPdns({"bad.com", "bad.com", 1, "192.0.2.10", Day0(0), Day0(30), 5});
  b.AddListing("bad.com", "feed-a", Day0(5), 0);
  // new.com moves onto the same address on day 10, and onto a clean one too.
  b.AddPdns({"www.new.com", "new.com", 1, "192.0.2.10", Day0(10), Day0(30), 5});
  b.AddPdns({"www.new.com", "new.com", 1, "198.51.100.7", Day0(10), Day0(30), 5});
  const EvidenceIndex ix = std::move(b).Finish();
  const auto& language = testing::Language();
  const FeatureExtractor fx(&ix, language.ngrams, language.lexicon);
  const size_t bad_share = FeatureIndex("dns_bad_address_share");
  // Before bad.com was known (day 4) the shared address is not yet evidence.
  auto fresh = fx.Extract(*ParseScoreTarget("www.new.com"), Day0(4));
  EXPECT_TRUE(std::isnan(fresh.values[bad_share]));  // new.com had not resolved yet
  auto later = fx.Extract(*ParseScoreTarget("www.new.com"), Day0(12));
  EXPECT_FLOAT_EQ(later.values[bad_share], 0.5f);
  EXPECT_EQ(later.values[FeatureIndex("name_addresses")], 2.0f);
  // The TLD prior: of the other .com domains seen by then (bad.com), one was known malicious,
  // smoothed by the prior of kSharePrior clean ones.
  EXPECT_NEAR(later.values[FeatureIndex("lex_tld_prior")], 1.0 / (1 + kSharePrior), 1e-6);
  EXPECT_TRUE(std::isnan(fx.Extract(*ParseScoreTarget("www.new.org"), Day0(12)).values[FeatureIndex("lex_tld_prior")]));
  EXPECT_EQ(later.values[FeatureIndex("dns_sharing_median")], 2.0f);  // 2 domains on each? median of {2,1}
  // bad.com's own listing is not evidence against bad.com's address.
  auto self = fx.Extract(*ParseScoreTarget("bad.com"), Day0(12));
  EXPECT_FLOAT_EQ(self.values[bad_share], 0.0f);
  EXPECT_EQ(self.values[FeatureIndex("bl_listed_now")], 1.0f);
}

TEST(ReputationFeatures, ReRegistrationShowsAsAZoneGapAndANewCreationDate) {
  using testing::Day0;
  EvidenceIndexBuilder b;
  for (int d = 0; d <= 100; ++d) b.AddSnapshotDay("zone", {"com", DayOf(Day0(d)), 1});
  b.AddZone({"dropped.com", "com", DayOf(Day0(0)), DayOf(Day0(40))});
  b.AddZone({"dropped.com", "com", DayOf(Day0(60)), DayOf(Day0(100))});
  store::RegistrationObservation first{.domain = "dropped.com", .observed_at = Day0(1),
                                       .created = Day0(-900), .expires = Day0(40),
                                       .registrar = "Old Registrar", .nameservers = {}, .statuses = {}};
  store::RegistrationObservation second{.domain = "dropped.com", .observed_at = Day0(61),
                                        .created = Day0(60), .expires = Day0(425),
                                        .registrar = "Cheap Registrar", .nameservers = {}, .statuses = {}};
  b.AddRegistration(first);
  b.AddRegistration(second);
  const EvidenceIndex ix = std::move(b).Finish();
  const auto& language = testing::Language();
  const FeatureExtractor fx(&ix, language.ngrams, language.lexicon);
  auto f = fx.Extract(*ParseScoreTarget("dropped.com"), Day0(72)).values;
  EXPECT_EQ(f[FeatureIndex("zone_present")], 1.0f);
  EXPECT_EQ(f[FeatureIndex("zone_gaps")], 1.0f);
  EXPECT_EQ(f[FeatureIndex("zone_last_gap_days")], 19.0f);
  EXPECT_EQ(f[FeatureIndex("zone_days_since_return")], 12.0f);
  EXPECT_EQ(f[FeatureIndex("rdap_registrars")], 2.0f);
  EXPECT_NEAR(f[FeatureIndex("rdap_days_since_recreation")], 12.0f, 0.01);
  EXPECT_NEAR(f[FeatureIndex("rdap_days_since_registrar_change")], 11.0f, 0.01);
  // In the gap it is out of the zone, with one run behind it.
  auto gap = fx.Extract(*ParseScoreTarget("dropped.com"), Day0(50)).values;
  EXPECT_EQ(gap[FeatureIndex("zone_present")], 0.0f);
  EXPECT_EQ(gap[FeatureIndex("zone_gaps")], 0.0f);
}

}  // namespace
}  // namespace mamori::domain::reputation
