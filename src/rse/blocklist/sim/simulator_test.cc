#include "rse/blocklist/sim/simulator.h"

#include <gtest/gtest.h>

#include <numeric>

#include "rse/blocklist/sim/baselines.h"
#include "rse/blocklist/sim/random.h"
#include "rse/blocklist/sim/world.h"

namespace mamori::rse::blocklist::sim {
namespace {

SimConfig Small(uint64_t seed = 3) {
  SimConfig c;
  c.seed = seed;
  c.scale = 0.01;  // 14,000 malicious, 20,000 benign, 10,000 attempts, budgets 100..3,000
  return c;
}

nlohmann::json WithoutTimes(const SimReport& report) {
  nlohmann::json j = ToJson(report);
  j.erase("seconds");
  return j;
}

TEST(SimRandomTest, EngineIsTheStandardOne) {
  // The standard fixes the 10000th output of a default-seeded mt19937_64.
  Rng rng(5489u);
  uint64_t value = 0;
  for (int i = 0; i < 10000; ++i) value = rng.Next();
  EXPECT_EQ(value, 9981545732273789042ull);
}

TEST(SimRandomTest, DrawsStayInRange) {
  Rng rng(StreamSeed(1, "test"));
  for (int i = 0; i < 10000; ++i) {
    double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    ASSERT_LT(rng.Below(7), 7u);
    int64_t v = rng.Between(-2, 2);
    ASSERT_GE(v, -2);
    ASSERT_LE(v, 2);
    ASSERT_GE(rng.Exponential(3.0), 0.0);
  }
  EXPECT_NE(StreamSeed(1, "a"), StreamSeed(1, "b"));
  EXPECT_NE(StreamSeed(1, "a"), StreamSeed(2, "a"));
}

TEST(SimRandomTest, AliasTableFollowsWeightsAndSkipsZeros) {
  AliasTable table({1.0, 0.0, 3.0, 0.0});
  Rng rng(7);
  std::vector<int> counts(4, 0);
  for (int i = 0; i < 40000; ++i) ++counts[table.Sample(rng)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_EQ(counts[3], 0);
  EXPECT_NEAR(counts[2] / 40000.0, 0.75, 0.02);
  EXPECT_TRUE(AliasTable(std::vector<double>{0.0, 0.0}).empty());
}

TEST(SimConfigTest, RejectsBadParametersNamingTheFlag) {
  SimConfig c = Small();
  c.budgets = {};
  auto status = ValidateConfig(c);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().context, "--budgets");
  c = Small();
  c.cluster_min = 10;
  c.cluster_max = 5;
  EXPECT_FALSE(ValidateConfig(c));
  c = Small();
  c.local_days = c.days + 1;
  EXPECT_FALSE(RunBlocklistSim(c));
}

TEST(SimConfigTest, ParsesNamedValues) {
  auto v = ParseNamedValues("c2:0.1, malware:2");
  ASSERT_TRUE(v);
  ASSERT_EQ(v->size(), 2u);
  EXPECT_EQ((*v)[1].first, "malware");
  EXPECT_DOUBLE_EQ((*v)[1].second, 2.0);
  EXPECT_FALSE(ParseNamedValues("c2"));
  EXPECT_FALSE(ParseNamedValues("c2:x"));
}

TEST(SimTest, SameSeedSameReportOtherSeedOtherWorld) {
  auto a = RunBlocklistSim(Small(3));
  auto b = RunBlocklistSim(Small(3));
  auto c = RunBlocklistSim(Small(4));
  ASSERT_TRUE(a) << a.error().ToString();
  ASSERT_TRUE(b);
  ASSERT_TRUE(c);
  EXPECT_EQ(WithoutTimes(*a), WithoutTimes(*b));
  EXPECT_NE(WithoutTimes(*a)["world"], WithoutTimes(*c)["world"]);
}

TEST(SimTest, DomainRunIsDeterministicToo) {
  SimConfig config = Small(5);
  config.item_class = SimClass::kDomain;
  config.budgets = {500};
  auto a = RunBlocklistSim(config);
  auto b = RunBlocklistSim(config);
  ASSERT_TRUE(a) << a.error().ToString();
  ASSERT_TRUE(b);
  EXPECT_EQ(WithoutTimes(*a), WithoutTimes(*b));
  EXPECT_GT(a->world.union_entries, 0);
  EXPECT_EQ(a->budgets[0].ours.aggregates, 0);
}

TEST(SimTest, UnionBlocksAtLeastWhatAnyBudgetedStrategyBlocks) {
  // Without aggregates every strategy lists a subset of the union, so none blocks more, malicious
  // or benign. (With aggregates ours may: a /24 also blocks unlisted hosts.) The oracle is the
  // best host-only list of its size by construction.
  SimConfig config = Small(11);
  config.aggregate = false;
  auto report = RunBlocklistSim(config);
  ASSERT_TRUE(report) << report.error().ToString();
  const StrategyResult& u = report->union_result;
  EXPECT_GT(u.malicious_blocked, 0);
  for (const BudgetResult& b : report->budgets) {
    for (const StrategyResult* s : {&b.ours, &b.newest, &b.best_feed, &b.sighted, &b.oracle}) {
      EXPECT_GE(s->malicious_blocked, 0) << s->strategy;
      EXPECT_LE(s->malicious_blocked, u.malicious_blocked) << s->strategy << " " << b.budget;
      EXPECT_LE(s->benign_blocked, u.benign_blocked) << s->strategy << " " << b.budget;
      EXPECT_LE(s->malicious_blocked, b.oracle.malicious_blocked) << s->strategy << " " << b.budget;
    }
    EXPECT_GT(b.ours.malicious_blocked, 0);
    EXPECT_EQ(b.ours.aggregates, 0);
  }
}

// The two product behaviours the simulator was used to judge (docs/simulator.md): log hits raise
// what our network reaches (relevance), and aggregates stay off unlisted addresses our hosts use.
// Summed over seeds so that one seed's heavy hitter does not decide.
TEST(SimTest, LogHitsRaiseBlockingAndObservedTrafficKeepsAggregatesOffBenignHosts) {
  int64_t with_logs = 0, without_logs = 0, benign_aware = 0, benign_blind = 0;
  for (uint64_t seed : {31, 32, 33}) {
    SimConfig config = Small(seed);
    config.scale = 0.02;
    config.budgets = {50000};  // scaled: 1,000 entries from a ~20,000-entry union
    auto base = RunBlocklistSim(config);
    ASSERT_TRUE(base) << base.error().ToString();
    with_logs += base->budgets[0].ours.malicious_blocked;
    benign_aware += base->budgets[0].ours.benign_blocked;
    SimConfig no_logs = config;
    no_logs.local_days = 0;
    auto blind = RunBlocklistSim(no_logs);
    ASSERT_TRUE(blind);
    without_logs += blind->budgets[0].ours.malicious_blocked;
    SimConfig no_traffic_cost = config;
    no_traffic_cost.scoring.observed_collateral = 0;
    auto careless = RunBlocklistSim(no_traffic_cost);
    ASSERT_TRUE(careless);
    benign_blind += careless->budgets[0].ours.benign_blocked;
  }
  EXPECT_GT(with_logs, without_logs * 3 / 2);
  EXPECT_LT(benign_aware * 4, benign_blind);
}

TEST(SimTest, NoStrategyExceedsItsBudgetAndFieldsAgree) {
  auto report = RunBlocklistSim(Small(21));
  ASSERT_TRUE(report) << report.error().ToString();
  const SimReport& r = *report;
  EXPECT_EQ(r.config.budgets, (std::vector<int64_t>{100, 500, 1500, 3000}));
  EXPECT_EQ(r.malicious_attempts, r.config.attempts);
  EXPECT_EQ(r.benign_attempts, r.config.attempts * 10);
  EXPECT_EQ(static_cast<int>(r.feeds.size()), r.config.feeds);
  EXPECT_EQ(r.world.union_malicious + r.world.union_benign, r.world.union_entries);
  EXPECT_LE(r.world.union_active, r.world.union_malicious);
  EXPECT_EQ(r.union_result.entries, r.world.union_entries);
  int64_t feed_max = 0;
  for (const FeedSummary& f : r.feeds) {
    EXPECT_LE(f.listed_malicious, f.listed);
    EXPECT_LE(f.listed_active, f.listed_malicious);
    EXPECT_GE(f.reliability, 1);
    EXPECT_LE(f.reliability, 99);
    feed_max = std::max(feed_max, f.listed);
  }
  auto check = [&](const StrategyResult& s) {
    SCOPED_TRACE(s.strategy);
    EXPECT_NEAR(s.malicious_share, static_cast<double>(s.malicious_blocked) / r.malicious_attempts,
                1e-12);
    EXPECT_NEAR(s.benign_share, static_cast<double>(s.benign_blocked) / r.benign_attempts, 1e-12);
    EXPECT_EQ(std::accumulate(s.malicious_blocked_by_category.begin(),
                              s.malicious_blocked_by_category.end(), int64_t{0}),
              s.malicious_blocked);
    EXPECT_GE(s.malicious_share, 0);
    EXPECT_LE(s.malicious_share, 1);
  };
  check(r.union_result);
  for (const BudgetResult& b : r.budgets) {
    SCOPED_TRACE(b.budget);
    EXPECT_LE(b.ours.entries, b.budget);
    EXPECT_LE(b.ours.aggregates, b.ours.entries);
    EXPECT_EQ(b.newest.entries, std::min(b.budget, r.world.union_entries));
    EXPECT_LE(b.best_feed.entries, std::min(b.budget, feed_max));
    EXPECT_FALSE(b.best_feed.detail.empty());
    EXPECT_LE(b.sighted.entries, b.budget);
    EXPECT_LE(b.oracle.entries, b.budget);
    for (const StrategyResult* s : {&b.ours, &b.newest, &b.best_feed, &b.sighted, &b.oracle}) {
      check(*s);
    }
    EXPECT_NEAR(b.ours_vs_union, b.ours.malicious_share / r.union_result.malicious_share, 1e-12);
    if (b.newest.malicious_share > 0) {
      EXPECT_NEAR(b.ours_vs_newest, b.ours.malicious_share / b.newest.malicious_share, 1e-12);
    }
  }
  // Larger budgets never block fewer malicious attempts with newest-first (nested lists).
  for (size_t i = 1; i < r.budgets.size(); ++i) {
    EXPECT_GE(r.budgets[i].newest.malicious_blocked, r.budgets[i - 1].newest.malicious_blocked);
  }
  EXPECT_NE(FormatReport(r).find("best-feed"), std::string::npos);
}

TEST(SimTest, UnionSizeCalibrationLandsNearTheTarget) {
  SimConfig config = Small(9);
  config.union_size = 8000;
  config.budgets = {100};
  auto report = RunBlocklistSim(config);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_NEAR(static_cast<double>(report->world.union_entries), 8000.0, 800.0);
}

TEST(SimTest, EntryIndexCoversHostsAndCidrs) {
  SimConfig config = EffectiveConfig(Small(2));
  World world = GenerateWorld(config);
  SampleAttempts(world);
  EntryIndex index(world);
  uint32_t item = 5;
  uint32_t address = world.items[item].address;
  BlocklistEntry host;
  host.indicator = {IndicatorType::kIpv4, Ipv4ToString(address)};
  EXPECT_EQ(index.Covered({host}), std::vector<uint32_t>{item});
  BlocklistEntry net;
  net.indicator = {IndicatorType::kCidr, Ipv4ToString(address & 0xFFFFFF00u) + "/24"};
  auto covered = index.Covered({net, host});
  EXPECT_NE(std::find(covered.begin(), covered.end(), item), covered.end());
  for (uint32_t i : covered) EXPECT_EQ(world.items[i].address & 0xFFFFFF00u, address & 0xFFFFFF00u);
}

}  // namespace
}  // namespace mamori::rse::blocklist::sim
