#include "rse/blocklist/selector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <random>

#include "core/ip.h"
#include "rse/blocklist/internal/forest_knapsack.h"

namespace mamori::rse::blocklist {
namespace {

using internal::Forest;

Indicator Ip(const std::string& value) { return {IndicatorType::kIpv4, value}; }
Indicator Net(const std::string& value) { return {IndicatorType::kCidr, value}; }
Indicator Dom(const std::string& value) { return {IndicatorType::kDomain, value}; }

struct InputBuilder {
  SelectionInput input;
  InputBuilder() {
    input.source_names = {"feed-a", "feed-b"};
    input.InternCategory("");
  }
  InputBuilder& Add(Indicator indicator, double priority, const std::string& category = "malware",
                    std::vector<uint16_t> sources = {0}) {
    Candidate c;
    c.indicator = std::move(indicator);
    c.priority = priority;
    c.category = input.InternCategory(category);
    c.source_set = input.InternSourceSet(std::move(sources));
    input.candidates.push_back(std::move(c));
    return *this;
  }
};

SelectOptions IpOnly(int64_t capacity) {
  SelectOptions options;
  options.capacity.ip = capacity;
  return options;
}

std::vector<std::string> Values(const Selection& selection) {
  std::vector<std::string> out;
  for (const auto& e : selection.list.entries) out.push_back(e.indicator.value);
  return out;
}

// A random forest in post-order: node i's parent is a later node or none.
Forest RandomForest(std::mt19937_64& rng, int n) {
  Forest forest;
  forest.parent.assign(n, -1);
  forest.value.assign(n, 0);
  for (int i = 0; i < n; ++i) {
    if (i + 1 < n && rng() % 4 != 0) forest.parent[i] = i + 1 + static_cast<int>(rng() % (n - i - 1));
  }
  std::vector<double> subtree(n, 0);
  for (int i = 0; i < n; ++i) {
    double own = (rng() % 3 == 0) ? 0.0 : static_cast<double>(rng() % 100);
    subtree[i] += own;
    bool has_children = subtree[i] != own;
    // Inner nodes pay a random collateral penalty; some may not be emitted at all.
    forest.value[i] = rng() % 5 == 0 && has_children ? internal::kCannotEmit
                                                      : subtree[i] - (has_children ? rng() % 30 : 0);
    if (forest.parent[i] >= 0) subtree[forest.parent[i]] += subtree[i];
  }
  return forest;
}

TEST(ForestKnapsackTest, NearExactOnRandomForestsAndAlwaysFeasible) {
  std::mt19937_64 rng(42);
  double total_lagrange = 0, total_exact = 0;
  for (int round = 0; round < 300; ++round) {
    Forest forest = RandomForest(rng, 2 + static_cast<int>(rng() % 14));
    int64_t capacity = 1 + static_cast<int64_t>(rng() % 6);
    auto solution = internal::SolveForest(forest, capacity);
    double exact = internal::SolveForestExact(forest, capacity);
    ASSERT_LE(solution.entries, capacity);
    double value = 0;
    int64_t entries = 0;
    for (size_t i = 0; i < forest.parent.size(); ++i) {
      if (!solution.emitted[i]) continue;
      ++entries;
      value += forest.value[i];
      for (int32_t a = forest.parent[i]; a >= 0; a = forest.parent[a]) {
        ASSERT_FALSE(solution.emitted[a]) << "an entry under another entry, round " << round;
      }
    }
    EXPECT_EQ(entries, solution.entries);
    EXPECT_NEAR(value, solution.value, 1e-6);
    ASSERT_LE(value, exact + 1e-6) << "round " << round;
    total_lagrange += value;
    total_exact += exact;
  }
  // Lagrangian points are optimal; the greedy fill between them loses little.
  EXPECT_GE(total_lagrange, 0.97 * total_exact);
}

TEST(ForestKnapsackTest, ExactAtLagrangianBreakpoints) {
  // Independent nodes: the solution is exactly the top-k.
  Forest forest;
  forest.parent = {-1, -1, -1, -1};
  forest.value = {5, 9, 1, 7};
  auto solution = internal::SolveForest(forest, 2);
  EXPECT_EQ(solution.emitted, (std::vector<uint8_t>{0, 1, 0, 1}));
  EXPECT_DOUBLE_EQ(solution.value, 16);
}

TEST(SelectorTest, TopKByPriorityWithoutAggregation) {
  InputBuilder b;
  b.Add(Ip("192.0.2.1"), 10).Add(Ip("198.51.100.7"), 90).Add(Ip("203.0.113.9"), 50);
  auto selection = Select(b.input, IpOnly(2));
  ASSERT_TRUE(selection);
  EXPECT_EQ(Values(*selection), (std::vector<std::string>{"198.51.100.7", "203.0.113.9"}));
  EXPECT_EQ(selection->coverage.covered_candidates, 2);
  EXPECT_DOUBLE_EQ(selection->coverage.total_priority, 150);
  EXPECT_DOUBLE_EQ(selection->coverage.covered_priority, 140);
}

TEST(SelectorTest, AggregatesADenseNetworkWhenTheBudgetIsTight) {
  InputBuilder b;
  for (int host = 1; host <= 200; ++host) b.Add(Ip("198.51.100." + std::to_string(host)), 40);
  b.Add(Ip("203.0.113.5"), 60);
  auto selection = Select(b.input, IpOnly(2));
  ASSERT_TRUE(selection);
  EXPECT_EQ(Values(*selection), (std::vector<std::string>{"198.51.100.0/24", "203.0.113.5"}));
  const BlocklistEntry& aggregate = selection->list.entries[0];
  EXPECT_EQ(aggregate.indicator.type, IndicatorType::kCidr);
  EXPECT_EQ(aggregate.covered, 200);
  EXPECT_DOUBLE_EQ(aggregate.priority, 200 * 40);
  EXPECT_EQ(selection->coverage.aggregates, 1);
  EXPECT_EQ(selection->coverage.covered_candidates, 201);

  // With room for every host, the hosts are covered exactly: no unlisted address is blocked,
  // and runs of listed hosts become the CIDRs that hold exactly them (as `cidr merge` would).
  auto roomy = Select(b.input, IpOnly(1000));
  ASSERT_TRUE(roomy);
  EXPECT_EQ(roomy->coverage.covered_candidates, 201);
  double addresses = 0;
  for (const auto& e : roomy->list.entries) {
    addresses += std::ldexp(1.0, 32 - Cidr::Parse(e.indicator.value)->cidr.prefix());
  }
  EXPECT_EQ(addresses, 201);
  EXPECT_LT(roomy->list.entries.size(), 20u);
}

TEST(SelectorTest, SparseNetworksAreNotAggregatedWhenCollateralCostsMore) {
  InputBuilder b;
  b.Add(Ip("198.51.100.1"), 5).Add(Ip("198.51.100.200"), 5).Add(Ip("203.0.113.5"), 60);
  SelectOptions options = IpOnly(2);
  options.collateral_penalty = 0.5;  // 254 unlisted addresses cost far more than 10 points
  auto selection = Select(b.input, options);
  ASSERT_TRUE(selection);
  ASSERT_EQ(selection->list.entries.size(), 2u);
  EXPECT_EQ(Values(*selection)[1], "203.0.113.5");
  for (const auto& e : selection->list.entries) EXPECT_NE(e.indicator.type, IndicatorType::kCidr);
}

TEST(SelectorTest, NeverAggregatesOverAProtectedAddressAndSplitsListedNetworks) {
  AddressRangeSet protected_set;
  protected_set.Add(IpAddress::Parse("198.51.100.53").value());
  protected_set.Normalize();
  InputBuilder b;
  for (int host = 1; host <= 50; ++host) b.Add(Ip("198.51.100." + std::to_string(host)), 40);
  b.Add(Net("192.0.2.0/24"), 80);
  b.Add(Ip("198.51.100.53"), 99);  // listed but protected: dropped
  SelectOptions options = IpOnly(3);
  options.protected_addresses = &protected_set;
  protected_set.Add(IpAddress::Parse("192.0.2.128").value());
  protected_set.Normalize();
  auto selection = Select(b.input, options);
  ASSERT_TRUE(selection);
  ASSERT_LE(selection->list.entries.size(), 3u);
  for (const auto& e : selection->list.entries) {
    auto cidr = Cidr::Parse(e.indicator.value);
    ASSERT_TRUE(cidr) << e.indicator.value;
    EXPECT_FALSE(protected_set.Intersects(cidr->cidr)) << e.indicator.value;
  }
  EXPECT_GE(selection->coverage.dropped_protected, 2);
}

TEST(SelectorTest, PropertiesOnRandomInputs) {
  std::mt19937_64 rng(7);
  AddressRangeSet protected_set;
  protected_set.Add(Cidr::Parse("10.0.0.0/8")->cidr);
  protected_set.Add(IpAddress::Parse("100.64.3.3").value());
  protected_set.Normalize();
  for (int round = 0; round < 20; ++round) {
    InputBuilder b;
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
      uint32_t a = (100u << 24) | (64u << 16) | static_cast<uint32_t>(rng() % 4096);
      if (rng() % 10 == 0) a = static_cast<uint32_t>(rng());
      std::string text = IpAddress::FromV4(a).ToString();
      if (rng() % 20 == 0) text = Cidr::Of(IpAddress::FromV4(a), 20 + rng() % 12).ToString();
      if (!seen.insert(text).second) continue;
      b.Add(text.find('/') == std::string::npos ? Ip(text) : Net(text),
            1 + static_cast<double>(rng() % 100), rng() % 2 ? "c2" : "scanner",
            {static_cast<uint16_t>(rng() % 2)});
    }
    SelectOptions options = IpOnly(1 + static_cast<int64_t>(rng() % 400));
    options.protected_addresses = &protected_set;
    auto first = Select(b.input, options);
    ASSERT_TRUE(first);
    ASSERT_LE(static_cast<int64_t>(first->list.entries.size()), options.capacity.ip);
    for (const auto& e : first->list.entries) {
      auto cidr = Cidr::Parse(e.indicator.value);
      ASSERT_TRUE(cidr);
      ASSERT_FALSE(protected_set.Intersects(cidr->cidr)) << e.indicator.value;
    }
    // Deterministic, whatever the input order.
    std::shuffle(b.input.candidates.begin(), b.input.candidates.end(), rng);
    auto second = Select(b.input, options);
    ASSERT_TRUE(second);
    ASSERT_EQ(Values(*first), Values(*second));
  }
}

TEST(SelectorTest, ChurnKeepsPreviousEntriesUnlessClearlyBeaten) {
  InputBuilder b;
  b.Add(Ip("192.0.2.1"), 50).Add(Ip("198.51.100.2"), 53);
  SelectOptions options = IpOnly(1);
  options.previous = {"ipv4:192.0.2.1"};
  options.churn_threshold = 0.10;
  // 53 is not 10% better than 50: the old entry stays; 70 is: it displaces it.
  auto kept = Select(b.input, options);
  ASSERT_TRUE(kept);
  EXPECT_EQ(Values(*kept), std::vector<std::string>{"192.0.2.1"});
  EXPECT_EQ(kept->coverage.kept, 1);
  b.Add(Ip("203.0.113.3"), 70);
  auto displaced = Select(b.input, options);
  ASSERT_TRUE(displaced);
  EXPECT_EQ(Values(*displaced), std::vector<std::string>{"203.0.113.3"});
  EXPECT_EQ(displaced->coverage.added, 1);
  EXPECT_EQ(displaced->coverage.removed, 1);
}

TEST(SelectorTest, WildcardDomainsCoverListedSubdomains) {
  InputBuilder b;
  b.Add(Dom("evil.example"), 30).Add(Dom("a.evil.example"), 30).Add(Dom("b.evil.example"), 30);
  b.Add(Dom("other.test"), 50);
  SelectOptions options;
  options.capacity.domain = 2;
  options.wildcard_domains = true;
  auto selection = Select(b.input, options);
  ASSERT_TRUE(selection);
  EXPECT_EQ(Values(*selection), (std::vector<std::string>{"evil.example", "other.test"}));
  EXPECT_TRUE(selection->list.entries[0].wildcard);
  EXPECT_EQ(selection->list.entries[0].covered, 3);
  EXPECT_FALSE(selection->list.entries[1].wildcard);

  options.wildcard_domains = false;
  auto exact = Select(b.input, options);
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->coverage.covered_candidates, 2);
}

TEST(SelectorTest, ClassesHaveTheirOwnCapacityAndASharedTotal) {
  InputBuilder b;
  b.Add(Ip("192.0.2.1"), 90).Add(Ip("192.0.2.2"), 10).Add(Dom("a.test"), 50).Add(Dom("b.test"), 40);
  b.Add({IndicatorType::kUrl, "http://x.test/p"}, 99);
  SelectOptions options;
  options.capacity.ip = 2;
  options.capacity.domain = 2;
  options.capacity.total = 3;  // url capacity 0: never emitted
  auto selection = Select(b.input, options);
  ASSERT_TRUE(selection);
  EXPECT_EQ(Values(*selection), (std::vector<std::string>{"192.0.2.1", "a.test", "b.test"}));
}

TEST(SelectorTest, EntriesCarrySourcesAndDominantCategory) {
  InputBuilder b;
  for (int host = 1; host <= 100; ++host) {
    b.Add(Ip("198.51.100." + std::to_string(host)), 40, host <= 60 ? "c2" : "scanner",
          {static_cast<uint16_t>(host % 2)});
  }
  auto selection = Select(b.input, IpOnly(1));
  ASSERT_TRUE(selection);
  ASSERT_EQ(selection->list.entries.size(), 1u);
  const auto& entry = selection->list.entries[0];
  EXPECT_EQ(entry.indicator.value, "198.51.100.0/25");
  EXPECT_EQ(entry.category, "c2");
  EXPECT_EQ(entry.sources, (std::vector<std::string>{"feed-a", "feed-b"}));
  ASSERT_EQ(selection->coverage.by_category.size(), 2u);
  EXPECT_EQ(selection->coverage.by_category[0].name, "c2");
  EXPECT_EQ(selection->coverage.by_category[0].selected, 60);
}

TEST(SelectorTest, CidrPolicyUnsupportedDropsNetworks) {
  InputBuilder b;
  b.Add(Net("192.0.2.0/24"), 90).Add(Ip("198.51.100.1"), 10);
  SelectOptions options = IpOnly(5);
  options.cidr = CidrPolicy::kUnsupported;
  auto selection = Select(b.input, options);
  ASSERT_TRUE(selection);
  EXPECT_EQ(Values(*selection), std::vector<std::string>{"198.51.100.1"});
}

}  // namespace
}  // namespace mamori::rse::blocklist
