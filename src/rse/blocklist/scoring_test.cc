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

TEST(ScoringTest, LocalSightingsAndOwnFindingsBoost) {
  ScoringConfig config;
  Indicator ip{IndicatorType::kIpv4, "192.0.2.1"};
  auto base = ScoreIndicator(ip, {Listed("a", 40, "c2")}, {}, kNow, config);
  LocalEvidence hits{3, kNow - 3600, 0, 0};
  auto seen = ScoreIndicator(ip, {Listed("a", 40, "c2")}, hits, kNow, config);
  EXPECT_NEAR(seen.local, config.sighting_weight * 0.5 * Decay(config.ip, 3600), 1e-12);
  EXPECT_GT(seen.priority, base.priority);
  LocalEvidence own{0, 0, 1, kNow};
  auto ours = ScoreIndicator(ip, {}, own, kNow, config);
  EXPECT_NEAR(ours.own_finding, config.own_finding_reliability, 1e-12);
  EXPECT_NEAR(ours.priority, 100 * config.unknown_severity * config.own_finding_reliability, 1e-9);
}

}  // namespace
}  // namespace mamori::rse::blocklist
