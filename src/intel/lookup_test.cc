#include "intel/lookup.h"

#include <gtest/gtest.h>

#include "intel/json.h"

namespace mamori::intel {
namespace {

class LookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*store::OpenSqliteStore(":memory:"));
    store::SourceRecord s;
    s.name = "feed-a";
    s.url = "/dev/null";
    s.format = "plain";
    source_id_ = store_->AddSource(s)->id;
  }
  void Snapshot(std::vector<Indicator> indicators, UnixSeconds at) {
    std::vector<store::ListingEntry> entries;
    for (auto& i : indicators) entries.push_back({std::move(i), "", -1});
    ASSERT_TRUE(store_->ApplySnapshot(source_id_, entries, at));
  }
  std::unique_ptr<store::Store> store_;
  int64_t source_id_ = 0;
};

TEST_F(LookupTest, NormalizesTheQueryBeforeLookingUp) {
  Snapshot({{IndicatorType::kDomain, "evil.example"}}, 1000);
  auto r = LookupIndicator(*store_, "EVIL.Example.", 2000);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->exact);
  EXPECT_TRUE(r->listed_now);
  EXPECT_EQ(r->exact->intervals.at(0).first_listed, 1000);
}

TEST_F(LookupTest, HistoryShowsDelistingAndRelisting) {
  Snapshot({{IndicatorType::kIpv4, "198.51.100.7"}, {IndicatorType::kIpv4, "198.51.100.8"}}, 1000);
  Snapshot({{IndicatorType::kIpv4, "198.51.100.8"}}, 2000);
  Snapshot({{IndicatorType::kIpv4, "198.51.100.7"}, {IndicatorType::kIpv4, "198.51.100.8"}}, 3000);
  auto r = LookupIndicator(*store_, "198.51.100.7", 4000);
  ASSERT_TRUE(r && r->exact);
  ASSERT_EQ(r->exact->intervals.size(), 2u);
  EXPECT_EQ(r->exact->intervals[0].first_listed, 1000);
  EXPECT_EQ(r->exact->intervals[0].delisted_at, 2000);
  EXPECT_EQ(r->exact->intervals[0].last_seen, 1000);
  EXPECT_EQ(r->exact->intervals[1].first_listed, 3000);
  EXPECT_EQ(r->exact->intervals[1].delisted_at, 0);
  EXPECT_TRUE(r->listed_now);
  auto json = ToJson(*r);
  EXPECT_EQ(json["history"]["intervals"][0]["delisted_at"], "1970-01-01T00:33:20Z");
  EXPECT_TRUE(json["history"]["intervals"][1]["delisted_at"].is_null());
}

TEST_F(LookupTest, AddressesFindTheirListedNetworks) {
  Snapshot({{IndicatorType::kCidr, "203.0.113.0/24"}, {IndicatorType::kCidr, "2001:db8::/32"}},
           1000);
  auto v4 = LookupIndicator(*store_, "203.0.113.77", 2000);
  ASSERT_TRUE(v4);
  EXPECT_FALSE(v4->exact);
  ASSERT_EQ(v4->covering.size(), 1u);
  EXPECT_EQ(v4->covering[0].indicator.value, "203.0.113.0/24");
  EXPECT_TRUE(v4->listed_now);
  auto v6 = LookupIndicator(*store_, "2001:db8:1::1", 2000);
  ASSERT_TRUE(v6);
  ASSERT_EQ(v6->covering.size(), 1u);
  EXPECT_FALSE(LookupIndicator(*store_, "198.51.100.1", 2000)->listed_now);
}

TEST_F(LookupTest, DomainsFindListedParentsButNotSharedPlatforms) {
  Snapshot({{IndicatorType::kDomain, "evil.example.com"}, {IndicatorType::kDomain, "blogspot.com"}},
           1000);
  auto child = LookupIndicator(*store_, "cdn.evil.example.com", 2000);
  ASSERT_TRUE(child);
  ASSERT_EQ(child->covering.size(), 1u);
  EXPECT_EQ(child->covering[0].indicator.value, "evil.example.com");
  // blogspot.com is a PSL private suffix: listing it never covers a customer's blog.
  auto blog = LookupIndicator(*store_, "someone.blogspot.com", 2000);
  ASSERT_TRUE(blog);
  EXPECT_TRUE(blog->covering.empty());
  EXPECT_FALSE(blog->listed_now);
}

TEST_F(LookupTest, ReportsTheAllowlistEntryThatProtectsAValue) {
  store::AllowlistEntry e;
  e.kind = "suffix";
  e.value = "example.org";
  e.reason = "ours";
  ASSERT_TRUE(store_->AddAllowlistEntry(e));
  auto r = LookupIndicator(*store_, "www.example.org", 2000);
  ASSERT_TRUE(r && r->allowlisted_by);
  EXPECT_EQ(r->allowlisted_by->reason, "ours");
}

TEST_F(LookupTest, GarbageIsAnErrorNamingTheInput) {
  auto r = LookupIndicator(*store_, "not an indicator", 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().context, "not an indicator");
}

}  // namespace
}  // namespace mamori::intel
