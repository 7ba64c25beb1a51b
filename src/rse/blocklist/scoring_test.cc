#include "rse/blocklist/scoring.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mamori::rse::blocklist {
namespace {

constexpr UnixSeconds kNow = 1'700'000'000;
constexpr double kDay = 86400;

SourceEvidence Listed(std::string source, int reliability, std::string category,
                      double days_since_seen = 0, int confidence = 100) {
  SourceEvidence e;
  e.source = std::move(source);
  e.reliability = reliability;
  e.confidence = confidence;
  e.category = std::move(category);
  e.first_listed = kNow - static_cast<UnixSeconds>((days_since_seen + 1) * kDay);
  e.last_seen = kNow - static_cast<UnixSeconds>(days_since_seen * kDay);
  return e;
}

TEST(DecayTest, FollowsMispPolynomial) {
  DecayParams p{30 * kDay, 1.0};  // δ = 1: linear
  EXPECT_DOUBLE_EQ(Decay(p, 0), 1.0);
  EXPECT_NEAR(Decay(p, 15 * kDay), 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(Decay(p, 30 * kDay), 0.0);
  EXPECT_DOUBLE_EQ(Decay(p, 90 * kDay), 0.0);
  // δ < 1 keeps the score high longer, then drops: 1 − (t/τ)^(1/δ).
  DecayParams slow{30 * kDay, 0.5};
  EXPECT_NEAR(Decay(slow, 15 * kDay), 1 - 0.25, 1e-12);
  DecayParams fast{30 * kDay, 2.0};
  EXPECT_NEAR(Decay(fast, 15 * kDay), 1 - std::sqrt(0.5), 1e-12);
}

TEST(ScoringTest, NoisyOrAcrossSources) {
  ScoringConfig config;
  Indicator ip{IndicatorType::kIpv4, "192.0.2.1"};
  auto one = ScoreIndicator(ip, {Listed("a", 60, "c2")}, {}, kNow, config);
  EXPECT_NEAR(one.evidence, 0.6, 1e-12);
  EXPECT_NEAR(one.priority, 60.0, 1e-9);  // c2 severity 1.0
  auto two = ScoreIndicator(ip, {Listed("a", 60, "c2"), Listed("b", 50, "c2")}, {}, kNow, config);
  EXPECT_NEAR(two.evidence, 1 - 0.4 * 0.5, 1e-12);
  EXPECT_GT(two.priority, one.priority);
  ASSERT_EQ(two.sources.size(), 2u);
  EXPECT_EQ(two.sources[0].evidence.source, "a");  // strongest first
  EXPECT_NEAR(two.sources[1].probability, 0.5, 1e-12);
}

TEST(ScoringTest, ConfidenceDefaultsAndDecayWithAge) {
  ScoringConfig config;
  Indicator domain{IndicatorType::kDomain, "evil.test"};
  auto stated = ScoreIndicator(domain, {Listed("a", 100, "phishing", 0, 50)}, {}, kNow, config);
  EXPECT_NEAR(stated.evidence, 0.5, 1e-12);
  auto unstated = ScoreIndicator(domain, {Listed("a", 100, "phishing", 0, -1)}, {}, kNow, config);
  EXPECT_NEAR(unstated.evidence, config.default_confidence / 100.0, 1e-12);
  auto old = ScoreIndicator(domain, {Listed("a", 100, "phishing", 80)}, {}, kNow, config);
  EXPECT_NEAR(old.sources[0].decay, Decay(config.domain, 80 * kDay), 1e-12);
  EXPECT_LT(old.priority, stated.priority * 2);
  auto gone = ScoreIndicator(domain, {Listed("a", 100, "phishing", 91)}, {}, kNow, config);
  EXPECT_EQ(gone.priority, 0);
}

TEST(ScoringTest, SeverityByMostSevereLiveCategory) {
  ScoringConfig config;
  Indicator ip{IndicatorType::kIpv4, "192.0.2.1"};
  auto scan = ScoreIndicator(ip, {Listed("a", 80, "scanner")}, {}, kNow, config);
  auto c2 = ScoreIndicator(ip, {Listed("a", 80, "c2")}, {}, kNow, config);
  auto phishing = ScoreIndicator(ip, {Listed("a", 80, "phishing")}, {}, kNow, config);
  auto malware = ScoreIndicator(ip, {Listed("a", 80, "malware")}, {}, kNow, config);
  EXPECT_GT(c2.priority, malware.priority);
  EXPECT_GT(malware.priority, phishing.priority);
  EXPECT_GT(phishing.priority, scan.priority);
  auto both = ScoreIndicator(ip, {Listed("a", 80, "scanner"), Listed("b", 10, "c2")}, {}, kNow,
                             config);
  EXPECT_EQ(both.category, "c2");
  // A category only a fully decayed listing gives does not decide.
  auto stale = ScoreIndicator(ip, {Listed("a", 80, "scanner"), Listed("b", 90, "c2", 45)}, {},
                              kNow, config);
  EXPECT_EQ(stale.category, "scanner");
  auto unknown = ScoreIndicator(ip, {Listed("a", 80, "")}, {}, kNow, config);
  EXPECT_DOUBLE_EQ(unknown.severity, config.unknown_severity);
}

TEST(ScoringTest, LogHitsScaleRelevanceNotMalice) {
  ScoringConfig config;
  Indicator ip{IndicatorType::kIpv4, "192.0.2.1"};
  // Without logs connected, relevance is not judged.
  auto no_logs = ScoreIndicator(ip, {Listed("a", 40, "c2")}, {}, kNow, config);
  EXPECT_DOUBLE_EQ(no_logs.relevance, 1.0);
  EXPECT_NEAR(no_logs.priority, 40.0, 1e-9);
  // With logs connected, an unseen value keeps 1 − w of its priority ...
  LocalEvidence unseen;
  unseen.logs_connected = true;
  auto cold = ScoreIndicator(ip, {Listed("a", 40, "c2")}, unseen, kNow, config);
  EXPECT_NEAR(cold.relevance, 1 - config.sighting_weight, 1e-12);
  EXPECT_NEAR(cold.priority, 40.0 * (1 - config.sighting_weight), 1e-9);
  // ... and log hits raise it on a log scale, full at H hits; they never change the malice C.
  LocalEvidence three{3, kNow - 3600, 0, 0, true};
  auto warm = ScoreIndicator(ip, {Listed("a", 40, "c2")}, three, kNow, config);
  double s3 = std::log2(4.0) / std::log2(1 + config.sighting_full_hits) * Decay(config.ip, 3600);
  EXPECT_NEAR(warm.sightings, s3, 1e-12);
  EXPECT_NEAR(warm.relevance, 1 - config.sighting_weight + config.sighting_weight * s3, 1e-12);
  EXPECT_DOUBLE_EQ(warm.combined, cold.combined);
  EXPECT_GT(warm.priority, cold.priority);
  LocalEvidence busy{100000, kNow, 0, 0, true};
  auto hot = ScoreIndicator(ip, {Listed("a", 40, "c2")}, busy, kNow, config);
  EXPECT_DOUBLE_EQ(hot.relevance, 1.0);
  EXPECT_NEAR(hot.priority, 40.0, 1e-9);
  // Hits long ago count for nothing.
  LocalEvidence old{50, kNow - static_cast<UnixSeconds>(40 * kDay), 0, 0, true};
  EXPECT_NEAR(ScoreIndicator(ip, {Listed("a", 40, "c2")}, old, kNow, config).relevance,
              1 - config.sighting_weight, 1e-12);
}

TEST(ScoringTest, OwnFindingsAreEvidenceAndFullyRelevant) {
  ScoringConfig config;
  Indicator ip{IndicatorType::kIpv4, "192.0.2.1"};
  LocalEvidence own{0, 0, 1, kNow, true};
  auto ours = ScoreIndicator(ip, {}, own, kNow, config);
  EXPECT_NEAR(ours.own_finding, config.own_finding_reliability, 1e-12);
  EXPECT_DOUBLE_EQ(ours.relevance, 1.0);
  EXPECT_NEAR(ours.priority, 100 * config.unknown_severity * config.own_finding_reliability, 1e-9);
}

TEST(ScoringTest, AccumulatingSourceAgesFromFirstListing) {
  ScoringConfig config;
  Indicator ip{IndicatorType::kIpv4, "192.0.2.1"};
  SourceEvidence e = Listed("aggregator", 80, "malware");  // seen now
  e.first_listed = kNow - static_cast<UnixSeconds>(25 * kDay);
  auto fresh = ScoreIndicator(ip, {e}, {}, kNow, config);
  EXPECT_DOUBLE_EQ(fresh.sources[0].decay, 1.0);  // a source that delists vouches at each update
  e.accumulating = true;
  auto stale = ScoreIndicator(ip, {e}, {}, kNow, config);
  EXPECT_NEAR(stale.sources[0].age_seconds, 25 * kDay, 1e-9);
  EXPECT_NEAR(stale.sources[0].decay, Decay(config.ip, 25 * kDay), 1e-12);
  EXPECT_LT(stale.priority, fresh.priority);
  // A closed listing ages from its last sighting whatever the source.
  e.delisted_at = kNow - static_cast<UnixSeconds>(kDay);
  e.last_seen = kNow - static_cast<UnixSeconds>(2 * kDay);
  EXPECT_NEAR(ScoreIndicator(ip, {e}, {}, kNow, config).sources[0].age_seconds, 2 * kDay, 1e-9);
}

TEST(ScoringTest, AccumulatingNeedsEnoughListingsAndAlmostNoDelisting) {
  EXPECT_FALSE(IsAccumulating(999, 0));      // too few to tell
  EXPECT_TRUE(IsAccumulating(1000, 0));
  EXPECT_TRUE(IsAccumulating(100000, 99));   // < 1 in 1,000 closed
  EXPECT_FALSE(IsAccumulating(100000, 101));
  EXPECT_FALSE(IsAccumulating(5000, 5000));
}

}  // namespace
}  // namespace mamori::rse::blocklist
