// Listing history semantics of the SQLite store: snapshots that add, remove and relist entries,
// last_seen, duplicates, rollback on failure, and CIDR lookups.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "core/clock.h"
#include "store/sqlite/test_util.h"
#include "store/store.h"

namespace mamori::store {
namespace {

using testing::CidrIndicator;
using testing::Domain;
using ::testing::ElementsAre;
using testing::Entry;
using testing::ExecRaw;
using ::testing::HasSubstr;
using testing::Ipv4;
using testing::OpenRaw;
using testing::TempDir;
using ::testing::UnorderedElementsAre;

class ListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteStore(dir_.File("mamori.db"));
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
    feed_ = AddSource("feed-a");
  }

  int64_t AddSource(const std::string& name) {
    SourceRecord s;
    s.name = name;
    s.url = "https://feeds.example/" + name;
    s.format = "plain";
    s.created_at = clock_.Now();
    auto added = store_->AddSource(s);
    EXPECT_TRUE(added) << added.error().ToString();
    return added ? added->id : 0;
  }

  SnapshotDiff Apply(int64_t source, const std::vector<ListingEntry>& entries, UnixSeconds now) {
    auto diff = store_->ApplySnapshot(source, entries, now);
    EXPECT_TRUE(diff) << diff.error().ToString();
    return diff ? *diff : SnapshotDiff{};
  }

  IndicatorHistory History(const Indicator& indicator) {
    auto h = store_->Lookup(indicator);
    EXPECT_TRUE(h) << h.error().ToString();
    EXPECT_TRUE(h && h->has_value()) << indicator.value << " not found";
    return h && *h ? **h : IndicatorHistory{};
  }

  std::vector<std::string> Current(int64_t source) {
    auto listings = store_->CurrentListings(source);
    EXPECT_TRUE(listings) << listings.error().ToString();
    std::vector<std::string> values;
    if (listings) {
      for (const auto& e : *listings) values.push_back(e.indicator.value);
    }
    std::sort(values.begin(), values.end());
    return values;
  }

  UnixSeconds LastSuccess(const std::string& name) {
    auto s = store_->GetSource(name);
    EXPECT_TRUE(s && *s);
    return s && *s ? (*s)->last_success_at : -1;
  }

  TempDir dir_;
  FakeClock clock_{1'700'000'000};
  std::unique_ptr<Store> store_;
  int64_t feed_ = 0;
};

MATCHER_P5(IntervalIs, source, first_listed, last_seen, delisted_at, category, "") {
  return arg.source_name == source && arg.first_listed == first_listed &&
         arg.last_seen == last_seen && arg.delisted_at == delisted_at && arg.category == category;
}

TEST_F(ListingTest, AddRemoveRelistKeepsFullHistory) {
  const UnixSeconds t1 = clock_.Now();
  auto diff = Apply(feed_,
                    {Entry(Domain("a.example"), "c2", 80), Entry(Domain("b.example")),
                     Entry(Domain("c.example"), "phishing")},
                    t1);
  EXPECT_EQ(diff.added, 3);
  EXPECT_EQ(diff.removed, 0);
  EXPECT_EQ(diff.unchanged, 0);
  EXPECT_EQ(LastSuccess("feed-a"), t1);

  auto a = History(Domain("a.example"));
  EXPECT_EQ(a.first_seen, t1);
  ASSERT_EQ(a.intervals.size(), 1u);
  EXPECT_THAT(a.intervals[0], IntervalIs("feed-a", t1, t1, 0, "c2"));
  EXPECT_EQ(a.intervals[0].confidence, 80);
  EXPECT_EQ(a.intervals[0].source_id, feed_);

  clock_.Advance(std::chrono::hours(1));
  const UnixSeconds t2 = clock_.Now();
  diff = Apply(feed_, {Entry(Domain("a.example")), Entry(Domain("b.example"))}, t2);
  EXPECT_EQ(diff.added, 0);
  EXPECT_EQ(diff.removed, 1);
  EXPECT_EQ(diff.unchanged, 2);
  // c was last contained in the update at t1 and missing from the one at t2.
  EXPECT_THAT(History(Domain("c.example")).intervals,
              ElementsAre(IntervalIs("feed-a", t1, t1, t2, "phishing")));
  // An unchanged entry keeps its interval (and its original category); last_seen follows the
  // source's last successful update.
  EXPECT_THAT(History(Domain("a.example")).intervals,
              ElementsAre(IntervalIs("feed-a", t1, t2, 0, "c2")));

  clock_.Advance(std::chrono::hours(1));
  const UnixSeconds t3 = clock_.Now();
  diff = Apply(feed_,
               {Entry(Domain("a.example")), Entry(Domain("b.example")),
                Entry(Domain("c.example"), "malware")},
               t3);
  EXPECT_EQ(diff.added, 1);
  EXPECT_EQ(diff.removed, 0);
  EXPECT_EQ(diff.unchanged, 2);
  auto c = History(Domain("c.example"));
  EXPECT_EQ(c.first_seen, t1);
  EXPECT_THAT(c.intervals, ElementsAre(IntervalIs("feed-a", t1, t1, t2, "phishing"),
                                       IntervalIs("feed-a", t3, t3, 0, "malware")));

  clock_.Advance(std::chrono::hours(1));
  const UnixSeconds t4 = clock_.Now();
  diff = Apply(feed_, {Entry(Domain("a.example")), Entry(Domain("c.example"))}, t4);
  EXPECT_EQ(diff.removed, 1);
  EXPECT_THAT(History(Domain("b.example")).intervals,
              ElementsAre(IntervalIs("feed-a", t1, t3, t4, "")));
  EXPECT_THAT(Current(feed_), ElementsAre("a.example", "c.example"));

  auto stats = store_->Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->indicators, 3);
  EXPECT_EQ(stats->open_intervals, 2);    // a, c (second interval)
  EXPECT_EQ(stats->closed_intervals, 2);  // c (first), b
  auto source = store_->GetSource("feed-a");
  ASSERT_TRUE(source && *source);
  EXPECT_EQ((*source)->listed_count, 2);
  EXPECT_EQ((*source)->closed_listings, 2);  // the counter ApplySnapshot keeps = closed_intervals
  EXPECT_EQ((*source)->last_success_at, t4);
}

TEST_F(ListingTest, EmptySnapshotDelistsEverything) {
  Apply(feed_, {Entry(Domain("a.example")), Entry(Domain("b.example"))}, 100);
  auto diff = Apply(feed_, {}, 200);
  EXPECT_EQ(diff.removed, 2);
  EXPECT_TRUE(Current(feed_).empty());
  EXPECT_THAT(History(Domain("a.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 100, 100, 200, "")));
}

TEST_F(ListingTest, LastSeenFollowsSuccessfulFetchesOnly) {
  Apply(feed_, {Entry(Domain("a.example"))}, 100);

  ASSERT_TRUE(store_->RecordFetch(feed_, testing::Fetch(200, "not_modified")));
  EXPECT_THAT(History(Domain("a.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 100, 200, 0, "")));

  ASSERT_TRUE(store_->RecordFetch(feed_, testing::Fetch(300, "error", "timeout")));
  EXPECT_THAT(History(Domain("a.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 100, 200, 0, "")));

  // Delisted at 400: last seen by the 304 at 200, not by the failed attempt at 300.
  Apply(feed_, {Entry(Domain("b.example"))}, 400);
  EXPECT_THAT(History(Domain("a.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 100, 200, 400, "")));
}

TEST_F(ListingTest, DuplicateEntriesFirstOneWins) {
  auto diff = Apply(feed_,
                    {Entry(Domain("a.example"), "first", 10), Entry(Domain("b.example")),
                     Entry(Domain("a.example"), "second", 90)},
                    100);
  EXPECT_EQ(diff.added, 2);
  EXPECT_EQ(diff.unchanged, 0);
  auto listings = store_->CurrentListings(feed_);
  ASSERT_TRUE(listings);
  ASSERT_EQ(listings->size(), 2u);
  EXPECT_EQ((*listings)[0].indicator.value, "a.example");
  EXPECT_EQ((*listings)[0].category, "first");
  EXPECT_EQ((*listings)[0].confidence, 10);
  EXPECT_EQ((*listings)[1].confidence, -1);

  diff = Apply(feed_, {Entry(Domain("a.example")), Entry(Domain("a.example"))}, 200);
  EXPECT_EQ(diff.unchanged, 1);
  EXPECT_EQ(diff.removed, 1);
  EXPECT_EQ(diff.added, 0);
}

TEST_F(ListingTest, SameValueOfDifferentTypesAreDifferentIndicators) {
  // Not something a normalizer produces, but the (type, value) key must hold on its own.
  auto diff = Apply(feed_, {Entry(Domain("10.0.0.1")), Entry(Ipv4("10.0.0.1"))}, 100);
  EXPECT_EQ(diff.added, 2);
  EXPECT_EQ(store_->Stats()->indicators, 2);
  diff = Apply(feed_, {Entry(Ipv4("10.0.0.1"))}, 200);
  EXPECT_EQ(diff.removed, 1);
  EXPECT_EQ(diff.unchanged, 1);
  EXPECT_EQ(History(Domain("10.0.0.1")).intervals[0].delisted_at, 200);
  EXPECT_EQ(History(Ipv4("10.0.0.1")).intervals[0].delisted_at, 0);
}

TEST_F(ListingTest, SourcesHaveIndependentHistoriesAndFirstSeenIsTheEarliest) {
  const int64_t feed_b = AddSource("feed-b");
  Apply(feed_b, {Entry(Domain("shared.example"))}, 500);
  Apply(feed_, {Entry(Domain("shared.example"))}, 300);  // an import of older data
  auto h = History(Domain("shared.example"));
  EXPECT_EQ(h.first_seen, 300);
  // Ordered by source name.
  EXPECT_THAT(h.intervals, ElementsAre(IntervalIs("feed-a", 300, 300, 0, ""),
                                       IntervalIs("feed-b", 500, 500, 0, "")));

  Apply(feed_b, {}, 600);
  h = History(Domain("shared.example"));
  EXPECT_THAT(h.intervals, ElementsAre(IntervalIs("feed-a", 300, 300, 0, ""),
                                       IntervalIs("feed-b", 500, 500, 600, "")));
  EXPECT_THAT(Current(feed_), ElementsAre("shared.example"));
}

TEST_F(ListingTest, AddListingsOpensWithoutClosing) {
  Apply(feed_, {Entry(Domain("a.example")), Entry(Domain("b.example"))}, 100);
  auto diff = store_->AddListings(
      feed_, {Entry(Domain("a.example")), Entry(Domain("d.example"), "scanner", 40)}, 150);
  ASSERT_TRUE(diff) << diff.error().ToString();
  EXPECT_EQ(diff->added, 1);
  EXPECT_EQ(diff->unchanged, 1);
  EXPECT_EQ(diff->removed, 0);
  EXPECT_THAT(Current(feed_), ElementsAre("a.example", "b.example", "d.example"));
  // An import is not a fetch: the source's last success is unchanged...
  EXPECT_EQ(LastSuccess("feed-a"), 100);
  // ...and an interval opened after it reports itself as last seen when it was opened.
  EXPECT_THAT(History(Domain("d.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 150, 150, 0, "scanner")));
  EXPECT_THAT(History(Domain("a.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 100, 100, 0, "")));

  // A later snapshot without d closes it; it was last seen when imported, not at 100.
  Apply(feed_, {Entry(Domain("a.example"))}, 200);
  EXPECT_THAT(History(Domain("d.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 150, 150, 200, "scanner")));
  EXPECT_THAT(History(Domain("b.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 100, 100, 200, "")));

  // AddListings relists a delisted entry as a new interval.
  diff = store_->AddListings(feed_, {Entry(Domain("b.example")), Entry(Domain("b.example"))}, 300);
  ASSERT_TRUE(diff);
  EXPECT_EQ(diff->added, 1);
  EXPECT_EQ(History(Domain("b.example")).intervals.size(), 2u);
}

TEST_F(ListingTest, RelistWithinTheSameSecondKeepsBothIntervals) {
  // An interval is keyed by its source, indicator and first_listed; a delisting and relisting
  // within one second (or a clock that went back) must still open a new interval.
  Apply(feed_, {Entry(Domain("a.example"), "first")}, 100);
  Apply(feed_, {}, 100);
  Apply(feed_, {Entry(Domain("a.example"), "second")}, 100);
  Apply(feed_, {}, 100);
  auto diff = store_->AddListings(feed_, {Entry(Domain("a.example"), "third")}, 100);
  ASSERT_TRUE(diff) << diff.error().ToString();
  EXPECT_EQ(diff->added, 1);
  EXPECT_THAT(History(Domain("a.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 100, 100, 100, "first"),
                          IntervalIs("feed-a", 100, 100, 100, "second"),
                          IntervalIs("feed-a", 100, 100, 0, "third")));
  EXPECT_THAT(Current(feed_), ElementsAre("a.example"));
  Apply(feed_, {}, 200);
  EXPECT_TRUE(Current(feed_).empty());
  auto stats = store_->Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->open_intervals, 0);
  EXPECT_EQ(stats->closed_intervals, 3);
}

TEST_F(ListingTest, UnknownSourceFailsAndChangesNothing) {
  Apply(feed_, {Entry(Domain("a.example"))}, 100);
  auto diff = store_->ApplySnapshot(feed_ + 1000, {Entry(Domain("new.example"))}, 200);
  ASSERT_FALSE(diff);
  EXPECT_EQ(diff.error().code, ErrorCode::kNotFound);
  diff = store_->AddListings(feed_ + 1000, {Entry(Domain("new.example"))}, 200);
  ASSERT_FALSE(diff);
  EXPECT_EQ(diff.error().code, ErrorCode::kNotFound);
  auto lookup = store_->Lookup(Domain("new.example"));
  ASSERT_TRUE(lookup);
  EXPECT_FALSE(lookup->has_value());
  EXPECT_EQ(store_->Stats()->indicators, 1);
  auto current = store_->CurrentListings(feed_ + 1000);
  ASSERT_FALSE(current);
  EXPECT_EQ(current.error().code, ErrorCode::kNotFound);
}

TEST_F(ListingTest, InvalidEntriesAreRejectedBeforeAnyWrite) {
  Apply(feed_, {Entry(Domain("a.example"))}, 100);
  auto diff = store_->ApplySnapshot(feed_, {Entry(Domain("b.example"), "", 101)}, 200);
  ASSERT_FALSE(diff);
  EXPECT_EQ(diff.error().code, ErrorCode::kInvalidArgument);
  diff = store_->ApplySnapshot(feed_, {Entry(Domain(""))}, 200);
  ASSERT_FALSE(diff);
  EXPECT_EQ(diff.error().code, ErrorCode::kInvalidArgument);
  diff = store_->ApplySnapshot(feed_, {Entry(Indicator{static_cast<IndicatorType>(42), "x"})}, 200);
  ASSERT_FALSE(diff);
  EXPECT_EQ(diff.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(Current(feed_), ElementsAre("a.example"));
  EXPECT_EQ(LastSuccess("feed-a"), 100);
}

TEST_F(ListingTest, FailureInTheMiddleRollsBackEverything) {
  Apply(feed_, {Entry(Domain("a.example")), Entry(Domain("b.example"))}, 100);
  // Fault injection from "another process": the insert of one indicator fails after b has
  // already been closed and c inserted within the same transaction.
  {
    auto raw = OpenRaw(dir_.File("mamori.db"));
    ExecRaw(raw.get(),
            "CREATE TRIGGER fail_boom BEFORE INSERT ON indicators WHEN NEW.value = 'boom.example' "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  }
  const std::vector<ListingEntry> snapshot = {
      Entry(Domain("a.example")), Entry(Domain("c.example")), Entry(Domain("boom.example"))};
  auto diff = store_->ApplySnapshot(feed_, snapshot, 200);
  ASSERT_FALSE(diff);
  EXPECT_THAT(diff.error().ToString(), HasSubstr("injected failure"));

  EXPECT_THAT(Current(feed_), ElementsAre("a.example", "b.example"));
  EXPECT_THAT(History(Domain("b.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 100, 100, 0, "")));
  auto c = store_->Lookup(Domain("c.example"));
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->has_value());
  EXPECT_EQ(LastSuccess("feed-a"), 100);
  auto stats = store_->Stats();
  EXPECT_EQ(stats->indicators, 2);
  EXPECT_EQ(stats->open_intervals, 2);
  EXPECT_EQ(stats->closed_intervals, 0);

  // Once the fault is gone the same snapshot applies, and the store is usable as before.
  {
    auto raw = OpenRaw(dir_.File("mamori.db"));
    ExecRaw(raw.get(), "DROP TRIGGER fail_boom");
  }
  diff = store_->ApplySnapshot(feed_, snapshot, 200);
  ASSERT_TRUE(diff) << diff.error().ToString();
  EXPECT_EQ(diff->added, 2);
  EXPECT_EQ(diff->removed, 1);
  EXPECT_EQ(diff->unchanged, 1);
}

TEST_F(ListingTest, InvalidCidrValueRollsBack) {
  Apply(feed_, {Entry(Domain("a.example"))}, 100);
  auto diff = store_->ApplySnapshot(
      feed_, {Entry(CidrIndicator("10.0.0.0/8")), Entry(CidrIndicator("not-a-network"))}, 200);
  ASSERT_FALSE(diff);
  EXPECT_EQ(diff.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(diff.error().context, "not-a-network");
  EXPECT_THAT(Current(feed_), ElementsAre("a.example"));
  EXPECT_EQ(store_->Stats()->indicators, 1);
}

TEST_F(ListingTest, LookupOfUnknownIndicatorIsEmpty) {
  auto h = store_->Lookup(Domain("never.example"));
  ASSERT_TRUE(h);
  EXPECT_FALSE(h->has_value());
}

TEST_F(ListingTest, CoveringCidrsIpv4MostSpecificFirst) {
  const int64_t feed_b = AddSource("feed-b");
  Apply(feed_,
        {Entry(CidrIndicator("10.0.0.0/8")), Entry(CidrIndicator("10.1.0.0/16")),
         Entry(CidrIndicator("192.168.0.0/24")), Entry(CidrIndicator("::/0")),
         Entry(Ipv4("10.1.2.3"))},
        100);
  Apply(feed_b, {Entry(CidrIndicator("0.0.0.0/0")), Entry(CidrIndicator("10.1.2.0/24"))}, 150);
  Apply(feed_b, {Entry(CidrIndicator("0.0.0.0/0"))}, 200);  // 10.1.2.0/24 delisted, kept

  auto covering = store_->LookupCoveringCidrs("10.1.2.3");
  ASSERT_TRUE(covering) << covering.error().ToString();
  std::vector<std::string> values;
  for (const auto& h : *covering) values.push_back(h.indicator.value);
  EXPECT_THAT(values, ElementsAre("10.1.2.0/24", "10.1.0.0/16", "10.0.0.0/8", "0.0.0.0/0"));
  EXPECT_EQ((*covering)[0].indicator.type, IndicatorType::kCidr);
  EXPECT_THAT((*covering)[0].intervals, ElementsAre(IntervalIs("feed-b", 150, 150, 200, "")));
  EXPECT_THAT((*covering)[1].intervals, ElementsAre(IntervalIs("feed-a", 100, 100, 0, "")));
  EXPECT_EQ((*covering)[1].first_seen, 100);

  covering = store_->LookupCoveringCidrs("192.168.0.255");
  ASSERT_TRUE(covering);
  values.clear();
  for (const auto& h : *covering) values.push_back(h.indicator.value);
  EXPECT_THAT(values, ElementsAre("192.168.0.0/24", "0.0.0.0/0"));

  covering = store_->LookupCoveringCidrs("192.168.1.0");
  ASSERT_TRUE(covering);
  ASSERT_EQ(covering->size(), 1u);
  EXPECT_EQ((*covering)[0].indicator.value, "0.0.0.0/0");
}

TEST_F(ListingTest, CoveringCidrsIpv6) {
  Apply(feed_,
        {Entry(CidrIndicator("2001:db8::/32")), Entry(CidrIndicator("2001:db8:abcd::/48")),
         Entry(CidrIndicator("10.0.0.0/8")), Entry(CidrIndicator("2001:db9::/32"))},
        100);
  auto covering = store_->LookupCoveringCidrs("2001:db8:abcd:12::1");
  ASSERT_TRUE(covering) << covering.error().ToString();
  std::vector<std::string> values;
  for (const auto& h : *covering) values.push_back(h.indicator.value);
  EXPECT_THAT(values, ElementsAre("2001:db8:abcd::/48", "2001:db8::/32"));

  covering = store_->LookupCoveringCidrs("2001:db8:ffff::1");
  ASSERT_TRUE(covering);
  ASSERT_EQ(covering->size(), 1u);
  EXPECT_EQ((*covering)[0].indicator.value, "2001:db8::/32");

  covering = store_->LookupCoveringCidrs("2001:dba::1");
  ASSERT_TRUE(covering);
  EXPECT_TRUE(covering->empty());

  auto bad = store_->LookupCoveringCidrs("not-an-ip");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ListingTest, ManyEntriesRoundTrip) {
  std::vector<ListingEntry> entries;
  for (int i = 0; i < 20000; ++i) {
    entries.push_back(Entry(Domain("host" + std::to_string(i) + ".example")));
  }
  EXPECT_EQ(Apply(feed_, entries, 100).added, 20000);
  // Replace every 10th entry.
  for (int i = 0; i < 20000; i += 10) {
    entries[i].indicator.value = "new" + std::to_string(i) + ".example";
  }
  auto diff = Apply(feed_, entries, 200);
  EXPECT_EQ(diff.added, 2000);
  EXPECT_EQ(diff.removed, 2000);
  EXPECT_EQ(diff.unchanged, 18000);
  EXPECT_EQ(store_->GetSource("feed-a")->value().listed_count, 20000);
  EXPECT_THAT(History(Domain("host10.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 100, 100, 200, "")));
  EXPECT_THAT(History(Domain("host11.example")).intervals,
              ElementsAre(IntervalIs("feed-a", 100, 200, 0, "")));
}

// ApplySnapshot writes new intervals 64 rows per statement; sizes around that boundary must
// store every entry with its own category and confidence, in full batches and in the remainder.
TEST_F(ListingTest, BatchedIntervalWritesKeepEveryEntryAndItsAttributes) {
  for (int n : {1, 63, 64, 65, 130}) {
    int64_t source = AddSource("batch-" + std::to_string(n));
    std::vector<ListingEntry> entries;
    for (int i = 0; i < n; ++i) {
      entries.push_back(Entry(Ipv4("198.18." + std::to_string(n) + "." + std::to_string(i)),
                              "cat" + std::to_string(i), i % 3 == 0 ? -1 : i % 100));
    }
    SnapshotDiff diff = Apply(source, entries, 500);
    EXPECT_EQ(diff.added, n);
    EXPECT_EQ(Current(source).size(), static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      IndicatorHistory h = History(entries[i].indicator);
      ASSERT_EQ(h.intervals.size(), 1u) << entries[i].indicator.value;
      EXPECT_EQ(h.intervals[0].category, "cat" + std::to_string(i));
      EXPECT_EQ(h.intervals[0].confidence, i % 3 == 0 ? -1 : i % 100);
      EXPECT_EQ(h.intervals[0].first_listed, 500);
    }
  }
}

}  // namespace
}  // namespace mamori::store
