// Domain lifecycle in the SQLite store: snapshot intervals (extend, gap, band change, date
// order), registration dedupe, earliest label.
#include <gtest/gtest.h>

#include "store/sqlite/test_util.h"
#include "store/store.h"

namespace mamori::store {
namespace {

using testing::TempDir;
using Ranked = std::vector<std::pair<std::string, int32_t>>;

class DomainLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenSqliteStore(dir_.File("mamori.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  std::vector<PopularityInterval> Popularity(const std::string& domain) {
    auto got = store_->PopularityOf(domain);
    EXPECT_TRUE(got) << got.error().message;
    return got ? *got : std::vector<PopularityInterval>{};
  }
  std::vector<ZoneInterval> Zone(const std::string& domain) {
    auto got = store_->ZoneIntervalsOf(domain);
    EXPECT_TRUE(got) << got.error().message;
    return got ? *got : std::vector<ZoneInterval>{};
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(DomainLifecycleTest, ConsecutiveSnapshotsInTheSameBandExtendOneInterval) {
  ASSERT_TRUE(store_->ApplyPopularitySnapshot("tranco", 100, Ranked{{"a.com", 5}, {"b.com", 9}}));
  ASSERT_TRUE(store_->ApplyPopularitySnapshot("tranco", 101, Ranked{{"a.com", 4}, {"b.com", 8}}));
  // A gap in the snapshot days (none on 102) still counts as consecutive snapshots.
  ASSERT_TRUE(store_->ApplyPopularitySnapshot("tranco", 103, Ranked{{"a.com", 6}, {"b.com", 7}}));

  auto a = Popularity("a.com");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].list, "tranco");
  EXPECT_EQ(a[0].first_day, 100);
  EXPECT_EQ(a[0].last_day, 103);
  EXPECT_EQ(a[0].rank_band, 2);  // 4 <= rank < 8
  EXPECT_EQ(a[0].best_rank, 4);

  // b.com: 9, 8 (band 3) then 7 (band 2): the band change opens a new interval.
  auto b = Popularity("b.com");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].first_day, 100);
  EXPECT_EQ(b[0].last_day, 101);
  EXPECT_EQ(b[0].rank_band, 3);
  EXPECT_EQ(b[0].best_rank, 8);
  EXPECT_EQ(b[1].first_day, 103);
  EXPECT_EQ(b[1].last_day, 103);
  EXPECT_EQ(b[1].rank_band, 2);
  EXPECT_EQ(b[1].best_rank, 7);

  auto days = store_->ListSnapshotDays("popularity");
  ASSERT_TRUE(days);
  ASSERT_EQ(days->size(), 3u);
  EXPECT_EQ((*days)[2].name, "tranco");
  EXPECT_EQ((*days)[2].day, 103);
  EXPECT_EQ((*days)[2].entries, 2);
  EXPECT_TRUE(store_->ListSnapshotDays("zone")->empty());
}

TEST_F(DomainLifecycleTest, ADomainMissingFromOneSnapshotGetsANewInterval) {
  ASSERT_TRUE(store_->ApplyPopularitySnapshot("tranco", 10, Ranked{{"a.com", 1}, {"b.com", 2}}));
  ASSERT_TRUE(store_->ApplyPopularitySnapshot("tranco", 11, Ranked{{"b.com", 2}}));
  ASSERT_TRUE(store_->ApplyPopularitySnapshot("tranco", 12, Ranked{{"a.com", 1}, {"b.com", 3}}));
  auto a = Popularity("a.com");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].first_day, 10);
  EXPECT_EQ(a[0].last_day, 10);
  EXPECT_EQ(a[1].first_day, 12);
  EXPECT_EQ(a[1].last_day, 12);
  EXPECT_EQ(a[0].rank_band, 0);
  auto b = Popularity("b.com");
  ASSERT_EQ(b.size(), 1u);  // 2 and 3 share band 1
  EXPECT_EQ(b[0].last_day, 12);
  EXPECT_EQ(b[0].best_rank, 2);
}

TEST_F(DomainLifecycleTest, ListsAreIndependentAndRepeatsKeepTheBestRank) {
  ASSERT_TRUE(store_->ApplyPopularitySnapshot("tranco", 10, Ranked{{"a.com", 1}}));
  ASSERT_TRUE(
      store_->ApplyPopularitySnapshot("umbrella", 10, Ranked{{"a.com", 40}, {"a.com", 33}}));
  ASSERT_TRUE(store_->ApplyPopularitySnapshot("umbrella", 11, Ranked{{"a.com", 35}}));
  auto a = Popularity("a.com");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].list, "tranco");
  EXPECT_EQ(a[0].last_day, 10);
  EXPECT_EQ(a[1].list, "umbrella");
  EXPECT_EQ(a[1].first_day, 10);
  EXPECT_EQ(a[1].last_day, 11);
  EXPECT_EQ(a[1].best_rank, 33);

  std::vector<std::string> seen;
  ASSERT_TRUE(store_->ForEachPopularityInterval([&](const PopularityInterval& i) {
    seen.push_back(i.list + ":" + i.domain);
    return true;
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"tranco:a.com", "umbrella:a.com"}));
  seen.clear();
  ASSERT_TRUE(store_->ForEachPopularityInterval([&](const PopularityInterval& i) {
    seen.push_back(i.list);
    return false;  // stops after the first
  }));
  EXPECT_EQ(seen.size(), 1u);
}

TEST_F(DomainLifecycleTest, AnOutOfOrderSnapshotIsRefusedAndWritesNothing) {
  ASSERT_TRUE(store_->ApplyPopularitySnapshot("tranco", 20, Ranked{{"a.com", 1}}));
  for (Day day : {Day{19}, Day{20}}) {
    auto refused = store_->ApplyPopularitySnapshot("tranco", day, Ranked{{"new.com", 1}});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kRejected);
    EXPECT_NE(refused.error().message.find("tranco"), std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message.find("1970-01-21"), std::string::npos)
        << refused.error().message;
  }
  EXPECT_TRUE(Popularity("new.com").empty());
  EXPECT_EQ(store_->ListSnapshotDays("popularity")->size(), 1u);
  // Another list has its own order.
  EXPECT_TRUE(store_->ApplyPopularitySnapshot("umbrella", 5, Ranked{{"a.com", 1}}));

  ASSERT_TRUE(store_->ApplyZoneSnapshot("com", 20, {"a.com"}));
  auto zone_refused = store_->ApplyZoneSnapshot("com", 19, {"b.com"});
  ASSERT_FALSE(zone_refused);
  EXPECT_EQ(zone_refused.error().code, ErrorCode::kRejected);
  EXPECT_TRUE(Zone("b.com").empty());
}

TEST_F(DomainLifecycleTest, BadEntriesAreRefused) {
  EXPECT_FALSE(store_->ApplyPopularitySnapshot("tranco", 1, Ranked{{"a.com", 0}}));
  EXPECT_FALSE(store_->ApplyPopularitySnapshot("tranco", 1, Ranked{{"", 1}}));
  EXPECT_FALSE(store_->ApplyPopularitySnapshot("", 1, Ranked{{"a.com", 1}}));
  EXPECT_FALSE(store_->ApplyZoneSnapshot("com", 1, {""}));
  EXPECT_TRUE(store_->ListSnapshotDays("popularity")->empty());
}

TEST_F(DomainLifecycleTest, ZoneIntervalsShowExpiryAndReRegistration) {
  ASSERT_TRUE(store_->ApplyZoneSnapshot("com", 1, {"a.com", "b.com", "b.com"}));
  ASSERT_TRUE(store_->ApplyZoneSnapshot("com", 2, {"a.com"}));
  ASSERT_TRUE(store_->ApplyZoneSnapshot("com", 3, {"a.com", "b.com"}));
  auto a = Zone("a.com");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].zone, "com");
  EXPECT_EQ(a[0].first_day, 1);
  EXPECT_EQ(a[0].last_day, 3);
  auto b = Zone("b.com");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].last_day, 1);
  EXPECT_EQ(b[1].first_day, 3);
  int count = 0;
  ASSERT_TRUE(store_->ForEachZoneInterval([&](const ZoneInterval&) { return ++count, true; }));
  EXPECT_EQ(count, 3);
  auto days = store_->ListSnapshotDays("zone");
  ASSERT_TRUE(days);
  ASSERT_EQ(days->size(), 3u);
  EXPECT_EQ((*days)[0].entries, 2);  // the repeat counted once
}

RegistrationObservation Observation(UnixSeconds at, std::string registrar) {
  RegistrationObservation r;
  r.domain = "example.com";
  r.observed_at = at;
  r.created = 1'600'000'000;
  r.expires = 1'700'000'000;
  r.registrar = std::move(registrar);
  r.registrar_iana = "292";
  r.abuse_email = "abuse@registrar.example";
  r.nameservers = {"ns1.example.net", "ns2.example.net"};
  r.statuses = {"client transfer prohibited", "active"};
  return r;
}

TEST_F(DomainLifecycleTest, AnUnchangedRegistrationIsNotStoredAgain) {
  ASSERT_TRUE(store_->AddRegistrations({Observation(100, "R1"), Observation(200, "R1")}));
  ASSERT_TRUE(store_->AddRegistrations({Observation(300, "R1")}));
  auto changed = Observation(400, "R1");
  changed.nameservers.pop_back();
  ASSERT_TRUE(store_->AddRegistrations({changed, Observation(500, "R2")}));
  ASSERT_TRUE(store_->AddRegistrations({Observation(600, "R2")}));

  auto got = store_->RegistrationsOf("example.com");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].observed_at, 100);
  EXPECT_EQ((*got)[0].nameservers, Observation(0, "").nameservers);
  EXPECT_EQ((*got)[0].statuses, Observation(0, "").statuses);
  EXPECT_EQ((*got)[0].abuse_email, "abuse@registrar.example");
  EXPECT_EQ((*got)[0].registrar_iana, "292");
  EXPECT_EQ((*got)[0].created, 1'600'000'000);
  EXPECT_EQ((*got)[1].observed_at, 400);
  EXPECT_EQ((*got)[1].nameservers.size(), 1u);
  EXPECT_EQ((*got)[2].observed_at, 500);
  EXPECT_EQ((*got)[2].registrar, "R2");

  int count = 0;
  ASSERT_TRUE(store_->ForEachRegistration(
      [&](const RegistrationObservation& r) { return ++count, r.domain == "example.com"; }));
  EXPECT_EQ(count, 3);
  EXPECT_TRUE(store_->RegistrationsOf("other.com")->empty());
}

TEST_F(DomainLifecycleTest, ALabelKeepsItsEarliestTime) {
  ASSERT_TRUE(store_->AddDomainLabels({{"bad.com", true, 500, "urlhaus"},
                                       {"bad.com", true, 300, "urlhaus"},
                                       {"bad.com", true, 400, "phishtank"}}));
  ASSERT_TRUE(store_->AddDomainLabels({{"bad.com", true, 800, "urlhaus"},
                                       {"bad.com", false, 100, "tranco-top"}}));
  auto got = store_->LabelsOf("bad.com");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].at, 100);
  EXPECT_FALSE((*got)[0].malicious);
  EXPECT_EQ((*got)[1].at, 300);
  EXPECT_EQ((*got)[1].source, "urlhaus");
  EXPECT_TRUE((*got)[1].malicious);
  EXPECT_EQ((*got)[2].source, "phishtank");
  int count = 0;
  ASSERT_TRUE(store_->ForEachDomainLabel([&](const DomainLabel&) { return ++count, true; }));
  EXPECT_EQ(count, 3);
  EXPECT_FALSE(store_->AddDomainLabels({{"", true, 1, "x"}}));
}

}  // namespace
}  // namespace mamori::store
