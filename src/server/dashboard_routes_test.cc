// Dashboard aggregates: buckets, top sources and infected hosts from detection records.
#include "server/dashboard_routes.h"

#include <gtest/gtest.h>

namespace mamori::server {
namespace {

store::DetectionRecord Det(int64_t id, std::string rule, std::string group, std::string target,
                           int64_t first_seconds, int64_t count, std::string level = "high") {
  store::DetectionRecord d;
  d.id = id;
  d.rule_id = std::move(rule);
  d.level = std::move(level);
  d.group_value = std::move(group);
  d.target = std::move(target);
  d.first_time = first_seconds * 1000000;
  d.last_time = d.first_time + 1000000;
  d.count = count;
  return d;
}

TEST(DashboardJson, BucketsTopSourcesAndInfectedHosts) {
  const UnixSeconds now = 1'700'000'000 - 1'700'000'000 % 3600 + 1800;  // half past an hour
  std::vector<store::DetectionRecord> ds = {
      Det(5, "mamori-intel-outbound-connection", "10.0.0.5", "198.51.100.66", now - 60, 1),
      Det(4, "mamori-ssh-brute-force", "203.0.113.7", "web1", now - 7200, 8),
      Det(3, "mamori-ssh-brute-force", "203.0.113.7", "web2", now - 7300, 9, "medium"),
      Det(2, "mamori-web-scanner-probing", "198.51.100.4", "www", now - 100, 30),
      Det(1, "mamori-ssh-brute-force", "192.0.2.1", "web1", now - 3 * 86400, 5),  // before range
  };
  auto j = DashboardJson(ds, now, 86400, false);
  EXPECT_EQ(j["totals"]["detections"], 5);
  EXPECT_EQ(j["totals"]["events"], 53);
  const auto& buckets = j["detections_over_time"]["buckets"];
  ASSERT_EQ(buckets.size(), 24u);
  EXPECT_EQ(j["detections_over_time"]["bucket_seconds"], 3600);
  // The last bucket is the current hour; the old detection lands in the first one.
  EXPECT_EQ(buckets.back()["count"], 2);
  EXPECT_EQ(buckets.front()["count"], 1);
  EXPECT_EQ(buckets[21]["by_level"]["medium"], 1);

  ASSERT_EQ(j["top_sources"].size(), 3u);
  EXPECT_EQ(j["top_sources"][0]["source"], "203.0.113.7");
  EXPECT_EQ(j["top_sources"][0]["detections"], 2);
  EXPECT_EQ(j["top_sources"][0]["events"], 17);
  EXPECT_EQ(j["top_sources"][0]["max_level"], "high");
  EXPECT_EQ(j["top_sources"][0]["latest_detection_id"], 4);
  EXPECT_EQ(j["top_sources"][1]["source"], "198.51.100.4");  // more events than 192.0.2.1

  ASSERT_EQ(j["infected_hosts"].size(), 1u);
  EXPECT_EQ(j["infected_hosts"][0]["host"], "10.0.0.5");
  EXPECT_EQ(j["infected_hosts"][0]["indicators"][0], "198.51.100.66");
}

TEST(DashboardJson, SevenDaysUsesSixHourBuckets) {
  auto j = DashboardJson({}, 1'700'000'000, 7 * 86400, true);
  EXPECT_EQ(j["detections_over_time"]["bucket_seconds"], 6 * 3600);
  EXPECT_EQ(j["detections_over_time"]["buckets"].size(), 28u);
  EXPECT_EQ(j["truncated"], true);
  EXPECT_TRUE(j["top_sources"].empty());
}

TEST(IsIntelRule, MatchesTheShippedIntelRules) {
  EXPECT_TRUE(IsIntelRule("mamori-intel-dns-query"));
  EXPECT_TRUE(IsIntelRule("mamori-intel-outbound-connection"));
  EXPECT_FALSE(IsIntelRule("mamori-ssh-brute-force"));
}

}  // namespace
}  // namespace mamori::server
