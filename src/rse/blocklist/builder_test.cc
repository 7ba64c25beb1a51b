#include "rse/blocklist/builder.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <fmt/format.h>

#include "core/ip.h"

namespace mamori::rse::blocklist {
namespace {

constexpr UnixSeconds kNow = 1'800'000'000;

Indicator Ip(const std::string& v) { return {IndicatorType::kIpv4, v}; }

class BuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*store::OpenSqliteStore(":memory:"));
    auto lists = intel::WarningLists::LoadBuiltin();
    ASSERT_TRUE(lists) << lists.error().ToString();
    warnings_.emplace(std::move(*lists));
    store::SourceRecord c2;
    c2.name = "c2-feed";
    c2.reliability = 90;
    c2.default_category = "c2";
    c2_ = store_->AddSource(c2)->id;
    store::SourceRecord scan;
    scan.name = "scan-feed";
    scan.reliability = 60;
    scan.default_category = "scanner";
    scan_ = store_->AddSource(scan)->id;
  }
  std::vector<std::string> Values(const Selection& s) {
    std::vector<std::string> out;
    for (const auto& e : s.list.entries) out.push_back(e.indicator.value);
    return out;
  }
  std::unique_ptr<store::Store> store_;
  std::optional<intel::WarningLists> warnings_;
  int64_t c2_ = 0, scan_ = 0;
};

TEST_F(BuilderTest, ScoresExcludesAndSelectsPerProfile) {
  ASSERT_TRUE(store_->ApplySnapshot(
      c2_, {{Ip("185.220.101.7"), "", -1}, {Ip("8.8.8.8"), "", -1}, {Ip("45.142.212.9"), "", -1}},
      kNow - 60));
  ASSERT_TRUE(store_->ApplySnapshot(
      scan_, {{Ip("91.92.240.20"), "", -1}, {Ip("185.220.101.7"), "", -1},
              {{IndicatorType::kCidr, "9.9.9.0/24"}, "", -1}},
      kNow - 60));
  store::AllowlistEntry allow;
  allow.kind = "value";
  allow.value = "45.142.212.9";
  allow.reason = "our partner";
  ASSERT_TRUE(store_->AddAllowlistEntry(allow));
  store::Sighting finding;
  finding.indicator = Ip("194.26.29.5");
  finding.observed_at = kNow - 3600;
  finding.observer = "malware:analysis-1";
  ASSERT_TRUE(store_->AddSighting(finding));

  BuildSettings settings;
  auto scored = ScoreAll(*store_, &*warnings_, settings, kNow);
  ASSERT_TRUE(scored) << scored.error().ToString();
  EXPECT_EQ(scored->excluded.allowlist, 1);    // 45.142.212.9
  EXPECT_EQ(scored->excluded.warninglist, 1);  // 8.8.8.8 (public DNS)
  // 185.220.101.7 (two sources), 91.92.240.20, 9.9.9.0/24 (contains a resolver: kept, split
  // later), and our own finding 194.26.29.5 that no feed lists.
  EXPECT_EQ(scored->input.candidates.size(), 4u);

  DeviceProfile profile;
  profile.name = "fw";
  profile.capacity.ip = 100;
  auto all = BuildForProfile(*scored, profile, settings, {});
  ASSERT_TRUE(all);
  auto values = Values(*all);
  EXPECT_NE(std::find(values.begin(), values.end(), "194.26.29.5"), values.end());
  EXPECT_EQ(std::find(values.begin(), values.end(), "8.8.8.8"), values.end());
  for (const auto& e : all->list.entries) {
    auto cidr = Cidr::Parse(e.indicator.value);
    ASSERT_TRUE(cidr);
    EXPECT_FALSE(scored->protected_addresses.Intersects(cidr->cidr)) << e.indicator.value;
  }
  EXPECT_GE(all->coverage.dropped_protected, 1);  // 9.9.9.0/24 split around 9.9.9.9

  // The strongest candidate is the one both feeds list, with the c2 category.
  auto top = std::max_element(all->list.entries.begin(), all->list.entries.end(),
                              [](const auto& a, const auto& b) { return a.priority < b.priority; });
  EXPECT_EQ(top->indicator.value, "185.220.101.7");
  EXPECT_EQ(top->category, "c2");
  EXPECT_EQ(top->sources, (std::vector<std::string>{"c2-feed", "scan-feed"}));

  // Profile filters: only scanner-category candidates from scan-feed.
  profile.categories = {"scanner"};
  auto scanners = BuildForProfile(*scored, profile, settings, {});
  ASSERT_TRUE(scanners);
  for (const auto& e : scanners->list.entries) EXPECT_EQ(e.category, "scanner");
  auto scanner_values = Values(*scanners);
  EXPECT_NE(std::find(scanner_values.begin(), scanner_values.end(), "91.92.240.20"),
            scanner_values.end());
}

TEST_F(BuilderTest, ExplainMatchesTheBulkScoreAndNamesProtection) {
  ASSERT_TRUE(store_->ApplySnapshot(c2_, {{Ip("185.220.101.7"), "", 70}}, kNow - 60));
  BuildSettings settings;
  auto scored = ScoreAll(*store_, &*warnings_, settings, kNow);
  ASSERT_TRUE(scored);
  ASSERT_EQ(scored->input.candidates.size(), 1u);
  auto explained = ExplainIndicator(*store_, &*warnings_, Ip("185.220.101.7"), settings, kNow);
  ASSERT_TRUE(explained);
  EXPECT_TRUE(explained->known);
  EXPECT_DOUBLE_EQ(explained->priority.priority, scored->input.candidates[0].priority);
  ASSERT_EQ(explained->priority.sources.size(), 1u);
  EXPECT_EQ(explained->priority.sources[0].evidence.confidence, 70);

  auto resolver = ExplainIndicator(*store_, &*warnings_, Ip("8.8.8.8"), settings, kNow);
  ASSERT_TRUE(resolver);
  EXPECT_FALSE(resolver->known);
  ASSERT_TRUE(resolver->excluded_by);
  EXPECT_EQ(resolver->priority.priority, 0);
}

// A feed that lists a shared platform's own domain (a dynamic DNS or hosting service, a URL
// shortener) never gets it onto a device list: the customer names below it are what is blocked
// (issue 6: "never block a legitimate platform"). The warning lists already protect the PSL
// private section (duckdns.org); the service lists add the platforms it lacks (000webhostapp.com).
TEST_F(BuilderTest, SharedPlatformsAreNeverListedWhole) {
  auto domain = [](const char* v) { return Indicator{IndicatorType::kDomain, v}; };
  ASSERT_TRUE(store_->ApplySnapshot(c2_,
                                    {{domain("duckdns.org"), "", -1},
                                     {domain("evil.duckdns.org"), "", -1},
                                     {domain("000webhostapp.com"), "", -1},
                                     {domain("c2-attacker.example"), "", -1}},
                                    kNow - 60));
  BuildSettings without;
  auto all = ScoreAll(*store_, &*warnings_, without, kNow);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->input.candidates.size(), 3u);  // duckdns.org: PSL private section

  BuildSettings settings;
  auto platforms = domain::ServiceLists::LoadBuiltin();
  ASSERT_TRUE(platforms) << platforms.error().ToString();
  settings.platforms = std::make_shared<const domain::ServiceLists>(std::move(*platforms));
  auto scored = ScoreAll(*store_, &*warnings_, settings, kNow);
  ASSERT_TRUE(scored);
  std::vector<std::string> kept;
  for (const auto& c : scored->input.candidates) kept.push_back(c.indicator.value);
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(kept, (std::vector<std::string>{"c2-attacker.example", "evil.duckdns.org"}));
  EXPECT_EQ(scored->excluded.warninglist, 2);
  auto explained =
      ExplainIndicator(*store_, &*warnings_, domain("000webhostapp.com"), settings, kNow);
  ASSERT_TRUE(explained);
  ASSERT_TRUE(explained->excluded_by);
  EXPECT_NE(explained->excluded_by->find("shared platform"), std::string::npos)
      << *explained->excluded_by;
}

// A source that has held 1,000+ listings and closed none is accumulating: its open listings age
// from their first listing. Log hits, once any reach the store, scale the relevance of what
// they touch; explain and the bulk score agree on both.
TEST_F(BuilderTest, AccumulatingSourcesAgeAndLogHitsRaiseRelevance) {
  std::vector<store::ListingEntry> old_entries;
  for (int i = 0; i < 1200; ++i) {
    old_entries.push_back({Ip(fmt::format("91.{}.{}.7", 1 + i / 200, i % 200)), "", -1});
  }
  const UnixSeconds listed = kNow - 25 * 86400;
  ASSERT_TRUE(store_->ApplySnapshot(scan_, old_entries, listed));
  auto fresh = old_entries;  // the same list, refreshed now: it never delists
  ASSERT_TRUE(store_->ApplySnapshot(scan_, fresh, kNow - 60));
  ASSERT_TRUE(store_->ApplySnapshot(c2_, {{Ip("185.220.101.7"), "", -1}}, listed));
  ASSERT_TRUE(store_->ApplySnapshot(c2_, {{Ip("185.220.101.7"), "", -1}}, kNow - 60));

  BuildSettings settings;
  auto explain = [&](const std::string& ip) {
    auto e = ExplainIndicator(*store_, &*warnings_, Ip(ip), settings, kNow);
    EXPECT_TRUE(e) << e.error().ToString();
    return e->priority;
  };
  auto aged = explain("91.1.0.7");
  ASSERT_EQ(aged.sources.size(), 1u);
  EXPECT_TRUE(aged.sources[0].evidence.accumulating);
  EXPECT_NEAR(aged.sources[0].age_seconds, 25 * 86400.0, 1);
  EXPECT_LT(aged.sources[0].decay, 0.5);
  auto vouched = explain("185.220.101.7");  // 1 listing: too few to call the source accumulating
  EXPECT_FALSE(vouched.sources[0].evidence.accumulating);
  EXPECT_DOUBLE_EQ(vouched.sources[0].decay, 1.0);
  EXPECT_DOUBLE_EQ(vouched.relevance, 1.0);  // no logs yet

  store::Sighting hit;
  hit.indicator = Ip("91.1.0.7");
  hit.observed_at = kNow - 3600;
  hit.observer = "nginx:edge";
  hit.count = 20;
  ASSERT_TRUE(store_->AddSighting(hit));
  auto seen = explain("91.1.0.7");
  auto unseen = explain("91.1.1.7");
  EXPECT_GT(seen.relevance, unseen.relevance);
  EXPECT_NEAR(unseen.relevance, 1 - settings.scoring.sighting_weight, 1e-12);
  auto scored = ScoreAll(*store_, &*warnings_, settings, kNow);
  ASSERT_TRUE(scored);
  for (const Candidate& c : scored->input.candidates) {
    if (c.indicator.value == "91.1.0.7") EXPECT_DOUBLE_EQ(c.priority, seen.priority);
    if (c.indicator.value == "91.1.1.7") EXPECT_DOUBLE_EQ(c.priority, unseen.priority);
  }
}

}  // namespace
}  // namespace mamori::rse::blocklist
