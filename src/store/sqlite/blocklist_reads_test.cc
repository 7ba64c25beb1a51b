#include <gtest/gtest.h>

#include "store/store.h"

namespace mamori::store {
namespace {

Indicator Ip(const std::string& value) { return {IndicatorType::kIpv4, value}; }

class BlocklistReadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    SourceRecord a;
    a.name = "feed-a";
    a.default_category = "c2";
    a_ = store_->AddSource(a)->id;
    SourceRecord b;
    b.name = "feed-b";
    b_ = store_->AddSource(b)->id;
  }
  std::unique_ptr<Store> store_;
  int64_t a_ = 0, b_ = 0;
};

TEST_F(BlocklistReadsTest, ForEachListingGroupsByIndicatorAndSkipsOldDelistings) {
  ASSERT_TRUE(store_->ApplySnapshot(a_, {{Ip("192.0.2.1"), "", 70}, {Ip("192.0.2.2"), "", -1}}, 100));
  ASSERT_TRUE(store_->ApplySnapshot(b_, {{Ip("192.0.2.1"), "scanner", -1}}, 150));
  ASSERT_TRUE(store_->ApplySnapshot(a_, {{Ip("192.0.2.1"), "", 70}}, 200));  // .2 delisted at 200

  std::vector<ListingRow> rows;
  ASSERT_TRUE(store_->ForEachListing(0, [&](const ListingRow& row) {
    rows.push_back(row);
    return true;
  }));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].indicator.value, "192.0.2.1");
  EXPECT_EQ(rows[1].indicator.value, "192.0.2.1");
  EXPECT_EQ(rows[2].indicator.value, "192.0.2.2");
  EXPECT_EQ(rows[2].delisted_at, 200);
  EXPECT_EQ(rows[2].last_seen, 100);
  for (const auto& row : rows) {
    if (row.source_id == a_ && row.indicator.value == "192.0.2.1") {
      EXPECT_EQ(row.confidence, 70);
      EXPECT_EQ(row.last_seen, 200);  // open: the source's last successful update
    }
    if (row.source_id == b_) EXPECT_EQ(row.category, "scanner");
  }

  rows.clear();
  ASSERT_TRUE(store_->ForEachListing(201, [&](const ListingRow& row) {
    rows.push_back(row);
    return true;
  }));
  EXPECT_EQ(rows.size(), 2u);  // the delisting at 200 is older than 201

  // A disabled source's listings do not count.
  auto b = *store_->GetSource("feed-b");
  b->enabled = false;
  ASSERT_TRUE(store_->UpdateSource(*b));
  rows.clear();
  ASSERT_TRUE(store_->ForEachListing(0, [&](const ListingRow& row) {
    rows.push_back(row);
    return false;  // stop after one
  }));
  EXPECT_EQ(rows.size(), 1u);
}

TEST_F(BlocklistReadsTest, SummarizeSightingsSeparatesOwnFindings) {
  Sighting log{0, Ip("192.0.2.9"), 1000, "nginx:web1", 3};
  Sighting older{0, Ip("192.0.2.9"), 10, "nginx:web1", 50};
  Sighting own{0, Ip("192.0.2.9"), 1200, "malware:analysis-7", 1};
  ASSERT_TRUE(store_->AddSighting(log));
  ASSERT_TRUE(store_->AddSighting(older));
  ASSERT_TRUE(store_->AddSighting(own));
  auto summary = store_->SummarizeSightings(500);
  ASSERT_TRUE(summary);
  ASSERT_EQ(summary->size(), 1u);
  EXPECT_EQ((*summary)[0].hits, 3);
  EXPECT_EQ((*summary)[0].last_hit, 1000);
  EXPECT_EQ((*summary)[0].own_findings, 1);
  EXPECT_EQ((*summary)[0].last_finding, 1200);
}

TEST_F(BlocklistReadsTest, BuildsKeepEntriesOfTheNewestSuccessfulOnes) {
  auto record = [&](UnixSeconds at, const std::string& status, std::vector<std::string> values) {
    BlocklistBuildRecord build;
    build.profile = "pan";
    build.built_at = at;
    build.status = status;
    build.entries = static_cast<int64_t>(values.size());
    std::vector<BlocklistBuildEntry> entries;
    for (auto& v : values) entries.push_back({Ip(v), 42.5});
    return store_->RecordBlocklistBuild(build, entries, 2);
  };
  ASSERT_TRUE(record(1, "ok", {"192.0.2.1"}));
  ASSERT_TRUE(record(2, "ok", {"192.0.2.2", "192.0.2.3"}));
  ASSERT_TRUE(record(3, "failed", {}));
  ASSERT_TRUE(record(4, "ok", {"192.0.2.4"}));
  auto last = store_->LastBlocklistEntries("pan");
  ASSERT_TRUE(last);
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].indicator.value, "192.0.2.4");
  EXPECT_DOUBLE_EQ((*last)[0].priority, 42.5);
  auto builds = store_->ListBlocklistBuilds("pan", 10);
  ASSERT_TRUE(builds);
  ASSERT_EQ(builds->size(), 4u);
  EXPECT_EQ((*builds)[1].status, "failed");
  EXPECT_TRUE(store_->LastBlocklistEntries("other")->empty());
  BlocklistBuildRecord bad;
  bad.profile = "pan";
  bad.status = "maybe";
  EXPECT_FALSE(store_->RecordBlocklistBuild(bad, {}, 2));
}

}  // namespace
}  // namespace mamori::store
