#include "rse/blocklist/selector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

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

// No address entry lies inside another (they would waste capacity on what is blocked already).
void ExpectNoOverlap(const Selection& selection) {
  std::vector<std::pair<AddressValue, AddressValue>> ranges;
  for (const auto& e : selection.list.entries) {
    auto cidr = Cidr::Parse(e.indicator.value);
    if (!cidr || !cidr->cidr.network().is_v4()) continue;
    ranges.push_back(
        {ToAddressValue(cidr->cidr.network()), ToAddressValue(cidr->cidr.LastAddress())});
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i) {
    ASSERT_GT(ranges[i].first, ranges[i - 1].second) << "overlapping entries";
  }
}

// The selector emits entries in canonical order without sorting them afterwards.
void ExpectCanonicalOrder(const Selection& selection) {
  std::vector<BlocklistEntry> sorted = selection.list.entries;
  SortCanonical(sorted);
  ASSERT_EQ(sorted.size(), selection.list.entries.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    ASSERT_EQ(sorted[i].indicator, selection.list.entries[i].indicator) << "entry " << i;
  }
}

// A random forest in post-order: node i's parent is a later node or none.
Forest RandomForest(std::mt19937_64& rng, int n) {
  Forest forest;
  forest.parent.assign(n, -1);
  forest.value.assign(n, 0);
  for (int i = 0; i < n; ++i) {
    if (i + 1 < n && rng() % 4 != 0)
      forest.parent[i] = i + 1 + static_cast<int>(rng() % (n - i - 1));
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

TEST(SelectorTest, AggregatesPayForObservedUnlistedAddressesInside) {
  InputBuilder b;
  for (int host = 1; host <= 200; ++host) b.Add(Ip("198.51.100." + std::to_string(host)), 40);
  b.Add(Ip("203.0.113.5"), 60);
  // Our hosts talk to 198.51.100.250 a lot: no aggregate may block it for the listed ones.
  std::vector<ObservedAddress> observed = {{IpAddress::Parse("198.51.100.250").value(), 1e6},
                                           {IpAddress::Parse("192.0.2.1").value(), 1e6}};
  SelectOptions options = IpOnly(2);
  options.observed_unlisted = &observed;
  auto selection = Select(b.input, options);
  ASSERT_TRUE(selection);
  ASSERT_EQ(selection->list.entries.size(), 2u);
  for (const auto& e : selection->list.entries) {
    EXPECT_FALSE(
        Cidr::Parse(e.indicator.value)->cidr.Contains(IpAddress::Parse("198.51.100.250").value()))
        << e.indicator.value;
  }
  EXPECT_EQ(Values(*selection)[0], "198.51.100.0/25");
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
    ExpectNoOverlap(*first);
    ExpectCanonicalOrder(*first);
    // Deterministic, whatever the input order.
    std::shuffle(b.input.candidates.begin(), b.input.candidates.end(), rng);
    auto second = Select(b.input, options);
    ASSERT_TRUE(second);
    ASSERT_EQ(Values(*first), Values(*second));
  }
}

TEST(SelectorTest, EqualPiecesOfSplitListingsNestInsteadOfOverlapping) {
  // Three listings split around one protected address share pieces (198.51.100.0/24 three
  // times, 198.51.101.0/30 twice, ...), with listed hosts inside them: equal pieces nest, so
  // no entry can lie inside another whatever the budget.
  AddressRangeSet protected_set;
  protected_set.Add(IpAddress::Parse("198.51.101.5").value());
  protected_set.Normalize();
  InputBuilder b;
  b.Add(Net("198.51.100.0/23"), 30).Add(Net("198.51.100.0/22"), 20).Add(Net("198.51.96.0/21"), 10);
  for (int host = 1; host <= 20; ++host) b.Add(Ip("198.51.100." + std::to_string(host)), 5);
  for (int64_t capacity : {1, 3, 10, 40, 100}) {
    SelectOptions options = IpOnly(capacity);
    options.protected_addresses = &protected_set;
    auto selection = Select(b.input, options);
    ASSERT_TRUE(selection);
    ASSERT_LE(static_cast<int64_t>(selection->list.entries.size()), capacity);
    ExpectNoOverlap(*selection);
    if (capacity >= 10) EXPECT_EQ(selection->coverage.covered_candidates, 23);
  }
}

TEST(SelectorTest, EntriesOfEveryClassComeInCanonicalOrder) {
  std::mt19937_64 rng(3);
  InputBuilder b;
  std::vector<std::string> domains;
  for (int i = 0; i < 400; ++i) {
    b.Add(Ip(IpAddress::FromV4(static_cast<uint32_t>(rng())).ToString()), 1 + rng() % 90);
    std::string domain = "d" + std::to_string(rng() % 1000) + (rng() % 2 ? ".test" : ".example");
    if (i > 0 && rng() % 3 == 0) domain = "s" + std::to_string(i) + "." + domains[rng() % i];
    domains.push_back(domain);
  }
  std::sort(domains.begin(), domains.end());
  domains.erase(std::unique(domains.begin(), domains.end()), domains.end());
  for (const auto& domain : domains) b.Add(Dom(domain), 1 + rng() % 90);
  for (int i = 0; i < 100; ++i) {
    b.Add({IndicatorType::kUrl, "http://x" + std::to_string(i) + ".test/p"}, 1 + rng() % 90);
    b.Add({i % 2 ? IndicatorType::kMd5 : IndicatorType::kSha256, std::to_string(rng())}, 5);
  }
  b.Add(Ip("2001:db8::1"), 50).Add(Net("2001:db8:1::/48"), 60).Add(Net("10.1.0.0/16"), 70);
  SelectOptions options;
  options.capacity = {.ip = 150, .domain = 150, .url = 40, .hash = 40};
  options.wildcard_domains = true;
  auto selection = Select(b.input, options);
  ASSERT_TRUE(selection);
  ExpectCanonicalOrder(*selection);
  ExpectNoOverlap(*selection);
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

TEST(SelectorTest, ChurnBonusReachesAPreviousAggregate) {
  InputBuilder b;
  for (int host = 1; host <= 4; ++host) b.Add(Ip("198.51.100." + std::to_string(host)), 10);
  b.Add(Ip("203.0.113.9"), 39);
  SelectOptions options = IpOnly(1);
  options.collateral_penalty = 0;
  // 198.51.100.0/29 holds 40 points of listed hosts against 39; only with its bonus as a
  // previous entry (44) does it beat the host when the host is worth 43.
  auto plain = Select(b.input, options);
  ASSERT_TRUE(plain);
  EXPECT_EQ(Values(*plain), std::vector<std::string>{"198.51.100.0/29"});
  b.input.candidates.back().priority = 43;
  EXPECT_EQ(Values(*Select(b.input, options)), std::vector<std::string>{"203.0.113.9"});
  options.previous = {"cidr:198.51.100.0/29"};
  auto kept = Select(b.input, options);
  ASSERT_TRUE(kept);
  EXPECT_EQ(Values(*kept), std::vector<std::string>{"198.51.100.0/29"});
  EXPECT_EQ(kept->coverage.kept, 1);
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
