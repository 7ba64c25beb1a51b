#include <fmt/format.h>
#include <gtest/gtest.h>

#include <tuple>

#include "store/sqlite/test_util.h"
#include "store/store.h"

namespace mamori::store {
namespace {

DetectionRecord Ssh(std::string group, int64_t first, int64_t last, int64_t count) {
  DetectionRecord d;
  d.rule_id = "mamori-ssh-brute-force";
  d.title = "SSH brute force";
  d.level = "high";
  d.group_field = "source.ip";
  d.group_value = std::move(group);
  d.target = "web1";
  d.input = "file:/var/log/auth.log";
  d.first_time = first;
  d.last_time = last;
  d.count = count;
  d.ongoing = true;
  d.updated_at = 1000;
  return d;
}

class DetectionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  std::unique_ptr<Store> store_;
};

TEST_F(DetectionsTest, UpsertUpdatesTheSameDetectionAndKeepsItsFirstWriteTime) {
  auto id = store_->UpsertDetection(Ssh("203.0.113.7", 10, 20, 6));
  ASSERT_TRUE(id) << id.error().message;
  DetectionRecord grown = Ssh("203.0.113.7", 10, 50, 9);
  grown.ongoing = false;
  grown.evidence_json = R"([{"raw":"x"}])";
  grown.updated_at = 2000;
  auto again = store_->UpsertDetection(grown);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *id);

  auto got = store_->GetDetection(*id);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->count, 9);
  EXPECT_EQ((*got)->last_time, 50);
  EXPECT_FALSE((*got)->ongoing);
  EXPECT_EQ((*got)->evidence_json, R"([{"raw":"x"}])");
  EXPECT_EQ((*got)->recorded_at, 1000);
  EXPECT_EQ((*got)->target, "web1");
  EXPECT_EQ((*got)->updated_at, 2000);
  EXPECT_EQ(store_->Stats()->detections, 1);

  // An older, smaller write (a late flush) never shrinks what is stored.
  ASSERT_TRUE(store_->UpsertDetection(Ssh("203.0.113.7", 10, 30, 7)));
  EXPECT_EQ((*store_->GetDetection(*id))->count, 9);
  EXPECT_EQ((*store_->GetDetection(*id))->last_time, 50);
}

TEST_F(DetectionsTest, ANewWindowIsANewDetection) {
  ASSERT_TRUE(store_->UpsertDetection(Ssh("203.0.113.7", 10, 20, 6)));
  ASSERT_TRUE(store_->UpsertDetection(Ssh("203.0.113.7", 5000, 5100, 6)));
  EXPECT_EQ(store_->Stats()->detections, 2);
}

TEST_F(DetectionsTest, ListFiltersAndPagesNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        store_->UpsertDetection(Ssh(fmt::format("192.0.2.{}", i), i * 100, i * 100 + 10, 6)));
  }
  DetectionRecord low = Ssh("198.51.100.1", 0, 10, 1);
  low.rule_id = "mamori-web-scanner";
  low.level = "low";
  low.ongoing = false;
  ASSERT_TRUE(store_->UpsertDetection(low));

  auto all = store_->ListDetections({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 6u);
  EXPECT_EQ(all->front().rule_id, "mamori-web-scanner");  // newest id first

  DetectionQuery q;
  q.min_level = "medium";
  EXPECT_EQ(store_->ListDetections(q)->size(), 5u);
  q = {};
  q.rule_id = "mamori-web-scanner";
  EXPECT_EQ(store_->ListDetections(q)->size(), 1u);
  q = {};
  q.group_value = "192.0.2.3";
  ASSERT_EQ(store_->ListDetections(q)->size(), 1u);
  q = {};
  q.since = 300;  // last_time >= 300: groups 3 and 4
  EXPECT_EQ(store_->ListDetections(q)->size(), 2u);
  q = {};
  q.ongoing_only = true;
  EXPECT_EQ(store_->ListDetections(q)->size(), 5u);

  q = {};
  q.limit = 4;
  auto page1 = *store_->ListDetections(q);
  ASSERT_EQ(page1.size(), 4u);
  q.before_id = page1.back().id;
  auto page2 = *store_->ListDetections(q);
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_LT(page2.front().id, page1.back().id);

  q = {};
  q.min_level = "severe";
  auto bad = store_->ListDetections(q);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("severe"), std::string::npos);
}

TEST_F(DetectionsTest, ListWithoutEvidenceLeavesItEmpty) {
  DetectionRecord d = Ssh("203.0.113.7", 10, 20, 6);
  d.evidence_json = R"([{"raw":"x"}])";
  ASSERT_TRUE(store_->UpsertDetection(d));
  DetectionQuery q;
  q.with_evidence = false;
  auto rows = *store_->ListDetections(q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].evidence_json, "");
  EXPECT_EQ(rows[0].target, "web1");
  EXPECT_EQ(rows[0].count, 6);
  q.with_evidence = true;
  EXPECT_EQ(store_->ListDetections(q)->front().evidence_json, R"([{"raw":"x"}])");
}

TEST_F(DetectionsTest, SummarizeCountsPerBucketLevelAndGroup) {
  constexpr int64_t kHour = 3600LL * 1000000;
  const int64_t start = 100 * kHour;  // buckets: hours 100, 101, 102
  auto add = [&](std::string rule, std::string group, std::string target, int64_t first,
                 int64_t count, std::string level, bool ongoing, std::string input = "a") {
    DetectionRecord d = Ssh(std::move(group), first, first + 1000, count);
    d.rule_id = std::move(rule);
    d.target = std::move(target);
    d.level = std::move(level);
    d.ongoing = ongoing;
    d.input = std::move(input);
    auto id = store_->UpsertDetection(d);
    EXPECT_TRUE(id);
    return id ? *id : 0;
  };
  add("ssh", "203.0.113.7", "web2", start + 10, 8, "high", false);
  add("ssh", "203.0.113.7", "web1", start + kHour + 10, 9, "medium", true);
  int64_t latest = add("ssh", "203.0.113.7", "web1", start + kHour + 20, 2, "low", false, "b");
  add("scan", "203.0.113.7", "", start - 5 * kHour, 30, "critical", false);  // before: bucket 0
  add("scan", "", "www", start + 3 * kHour + 5, 4, "weird", false);  // after the end: last bucket
  add("ssh", "198.51.100.1", "web1", start - 50 * kHour, 1, "high", false);  // not active since

  DetectionSummaryQuery q;
  q.since = start - 10 * kHour;
  q.bucket_start = start;
  q.bucket_micros = kHour;
  q.bucket_count = 3;
  auto s = store_->SummarizeDetections(q);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->detections, 5);
  EXPECT_EQ(s->events, 8 + 9 + 2 + 30 + 4);
  EXPECT_EQ(s->ongoing, 1);
  EXPECT_EQ(s->by_level,
            (std::vector<std::pair<std::string, int64_t>>{
                {"critical", 1}, {"high", 1}, {"low", 1}, {"medium", 1}, {"weird", 1}}));
  std::vector<std::tuple<int64_t, std::string, int64_t>> buckets;
  for (const auto& b : s->buckets) buckets.emplace_back(b.bucket, b.level, b.detections);
  EXPECT_EQ(buckets, (std::vector<std::tuple<int64_t, std::string, int64_t>>{
                         {0, "critical", 1}, {0, "high", 1}, {1, "low", 1}, {1, "medium", 1},
                         {2, "weird", 1}}));

  // Groups without a value are left out; one row per group value and rule.
  ASSERT_EQ(s->groups.size(), 2u);
  const DetectionGroupStats& scan = s->groups[0];
  EXPECT_EQ(scan.group_value, "203.0.113.7");
  EXPECT_EQ(scan.rule_id, "scan");
  EXPECT_EQ(scan.detections, 1);
  EXPECT_TRUE(scan.targets.empty());
  EXPECT_EQ(scan.max_level, "critical");
  const DetectionGroupStats& ssh = s->groups[1];
  EXPECT_EQ(ssh.rule_id, "ssh");
  EXPECT_EQ(ssh.detections, 3);
  EXPECT_EQ(ssh.events, 19);
  EXPECT_TRUE(ssh.ongoing);
  EXPECT_EQ(ssh.max_level, "high");
  EXPECT_EQ(ssh.first_time, start + 10);
  EXPECT_EQ(ssh.last_time, start + kHour + 20 + 1000);
  EXPECT_EQ(ssh.latest_id, latest);
  EXPECT_EQ(ssh.targets, (std::vector<std::string>{"web1", "web2"}));

  q.bucket_count = 0;
  EXPECT_FALSE(store_->SummarizeDetections(q));
}

TEST_F(DetectionsTest, CloseOngoingClosesOnlyThatInput) {
  ASSERT_TRUE(store_->UpsertDetection(Ssh("192.0.2.1", 0, 10, 6)));
  DetectionRecord other = Ssh("192.0.2.2", 0, 10, 6);
  other.input = "syslog-udp:127.0.0.1:5514";
  ASSERT_TRUE(store_->UpsertDetection(other));
  auto closed = store_->CloseOngoingDetections("file:/var/log/auth.log");
  ASSERT_TRUE(closed);
  EXPECT_EQ(*closed, 1);
  DetectionQuery q;
  q.ongoing_only = true;
  auto ongoing = *store_->ListDetections(q);
  ASSERT_EQ(ongoing.size(), 1u);
  EXPECT_EQ(ongoing[0].input, "syslog-udp:127.0.0.1:5514");
}

TEST_F(DetectionsTest, RecordDetectionsWritesAllInOneTransactionOrNothing) {
  Sighting s;
  s.indicator = {IndicatorType::kIpv4, "203.0.113.7"};
  s.observed_at = 50;
  s.observer = "log:file:/var/log/auth.log";
  s.count = 6;
  auto ids = store_->RecordDetections({Ssh("203.0.113.7", 10, 20, 6), Ssh("192.0.2.1", 10, 20, 7)},
                                      {s});
  ASSERT_TRUE(ids) << ids.error().message;
  ASSERT_EQ(ids->size(), 2u);
  EXPECT_EQ(store_->Stats()->detections, 2);
  EXPECT_EQ(store_->Stats()->sightings, 1);

  // A bad record anywhere: nothing of the batch is written.
  DetectionRecord bad = Ssh("198.51.100.1", 10, 20, 6);
  bad.input.clear();
  EXPECT_FALSE(store_->RecordDetections({Ssh("198.51.100.2", 10, 20, 6), bad}, {s}));
  EXPECT_EQ(store_->Stats()->detections, 2);
  EXPECT_EQ(store_->Stats()->sightings, 1);
}

TEST_F(DetectionsTest, RejectsRecordsWithoutRuleOrInput) {
  DetectionRecord d = Ssh("192.0.2.1", 0, 10, 6);
  d.input.clear();
  EXPECT_FALSE(store_->UpsertDetection(d));
}

TEST_F(DetectionsTest, CollectorOffsetsRoundTripAndOverwrite) {
  EXPECT_FALSE(*store_->GetCollectorOffset("file:/var/log/auth.log"));
  CollectorOffset o{"file:/var/log/auth.log", 2049, 131, 4096, "abcd", 77};
  ASSERT_TRUE(store_->SaveCollectorOffset(o));
  o.offset = 8192;
  o.inode = 132;
  ASSERT_TRUE(store_->SaveCollectorOffset(o));
  auto got = *store_->GetCollectorOffset("file:/var/log/auth.log");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->offset, 8192u);
  EXPECT_EQ(got->inode, 132u);
  EXPECT_EQ(got->device, 2049u);
  EXPECT_EQ(got->fingerprint, "abcd");
  EXPECT_FALSE(store_->SaveCollectorOffset(CollectorOffset{}));
}

}  // namespace
}  // namespace mamori::store
