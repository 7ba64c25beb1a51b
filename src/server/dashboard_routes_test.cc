// Dashboard aggregates: buckets, top sources and infected hosts, counted by a real SQLite store.
#include "server/dashboard_routes.h"

#include <gtest/gtest.h>

namespace mamori::server {
namespace {

store::DetectionRecord Det(std::string rule, std::string group, std::string target,
                           int64_t first_seconds, int64_t count, std::string level = "high",
                           int64_t last_seconds = 0) {
  store::DetectionRecord d;
  d.rule_id = std::move(rule);
  d.level = std::move(level);
  d.group_value = std::move(group);
  d.target = std::move(target);
  d.input = "import:test.log";
  d.first_time = first_seconds * 1000000;
  d.last_time = last_seconds ? last_seconds * 1000000 : d.first_time + 1000000;
  d.count = count;
  return d;
}

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  // Stored in order, so the first gets id 1.
  void Store(const std::vector<store::DetectionRecord>& ds) {
    for (const auto& d : ds) ASSERT_TRUE(store_->UpsertDetection(d));
  }
  std::unique_ptr<store::Store> store_;
};

TEST_F(DashboardTest, BucketsTopSourcesAndInfectedHosts) {
  const UnixSeconds now = 1'700'000'000 - 1'700'000'000 % 3600 + 1800;  // half past an hour
  Store({
      // Began three days ago and still active: counts, in the first bucket.
      Det("mamori-ssh-brute-force", "192.0.2.1", "web1", now - 3 * 86400, 5, "high", now - 600),
      Det("mamori-web-scanner-probing", "198.51.100.4", "www", now - 100, 30),
      Det("mamori-ssh-brute-force", "203.0.113.7", "web2", now - 7300, 9, "medium"),
      Det("mamori-ssh-brute-force", "203.0.113.7", "web1", now - 7200, 8),
      Det("mamori-intel-outbound-connection", "10.0.0.5", "198.51.100.66", now - 60, 1),
      Det("mamori-ssh-brute-force", "192.0.2.99", "web1", now - 2 * 86400, 5),  // ended before
      Det("mamori-port-scan", "", "", now - 50, 3, "low"),  // no group: only in the totals
  });
  auto j = DashboardJson(*store_, now, 86400);
  ASSERT_TRUE(j) << j.error().message;
  EXPECT_EQ((*j)["totals"]["detections"], 6);
  EXPECT_EQ((*j)["totals"]["events"], 56);
  EXPECT_EQ((*j)["totals"]["by_level"]["high"], 4);
  EXPECT_EQ((*j)["truncated"], false);
  const auto& buckets = (*j)["detections_over_time"]["buckets"];
  ASSERT_EQ(buckets.size(), 24u);
  EXPECT_EQ((*j)["detections_over_time"]["bucket_seconds"], 3600);
  // The last bucket is the current hour; the old detection lands in the first one.
  EXPECT_EQ(buckets.back()["count"], 3);
  EXPECT_EQ(buckets.front()["count"], 1);
  EXPECT_EQ(buckets[21]["by_level"]["medium"], 1);

  const auto& top = (*j)["top_sources"];
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0]["source"], "203.0.113.7");
  EXPECT_EQ(top[0]["detections"], 2);
  EXPECT_EQ(top[0]["events"], 17);
  EXPECT_EQ(top[0]["max_level"], "high");
  EXPECT_EQ(top[0]["latest_detection_id"], 4);
  EXPECT_EQ(top[0]["targets"], nlohmann::json({"web1", "web2"}));
  EXPECT_EQ(top[1]["source"], "198.51.100.4");  // more events than 192.0.2.1

  ASSERT_EQ((*j)["infected_hosts"].size(), 1u);
  EXPECT_EQ((*j)["infected_hosts"][0]["host"], "10.0.0.5");
  EXPECT_EQ((*j)["infected_hosts"][0]["indicators"][0], "198.51.100.66");
}

TEST_F(DashboardTest, SevenDaysUsesSixHourBuckets) {
  auto j = DashboardJson(*store_, 1'700'000'000, 7 * 86400);
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["detections_over_time"]["bucket_seconds"], 6 * 3600);
  EXPECT_EQ((*j)["detections_over_time"]["buckets"].size(), 28u);
  EXPECT_TRUE((*j)["top_sources"].empty());
  EXPECT_EQ((*j)["totals"]["detections"], 0);
}

TEST(IsIntelRule, MatchesTheShippedIntelRules) {
  EXPECT_TRUE(IsIntelRule("mamori-intel-dns-query"));
  EXPECT_TRUE(IsIntelRule("mamori-intel-outbound-connection"));
  EXPECT_FALSE(IsIntelRule("mamori-ssh-brute-force"));
}

}  // namespace
}  // namespace mamori::server
