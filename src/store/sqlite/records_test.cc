// Sources, fetch state, sightings, allowlist and statistics in the SQLite store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "store/sqlite/test_util.h"
#include "store/store.h"

namespace mamori::store {
namespace {

using testing::Allow;
using testing::Domain;
using ::testing::ElementsAre;
using testing::Entry;
using testing::Fetch;
using ::testing::HasSubstr;
using testing::MakeSighting;
using testing::TempDir;

SourceRecord MakeSource(std::string name) {
  SourceRecord s;
  s.name = std::move(name);
  s.url = "https://feeds.example/" + s.name + ".csv";
  s.format = "csv";
  s.reliability = 70;
  s.default_category = "malware";
  s.refresh_seconds = 900;
  s.license = "CC0-1.0";
  s.options_json = R"({"columns":{"value":1}})";
  s.enabled = true;
  s.created_at = 1'700'000'000;
  return s;
}

class RecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteStore(dir_.File("mamori.db"));
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(RecordsTest, AddGetListUpdateSources) {
  auto added = store_->AddSource(MakeSource("urlhaus"));
  ASSERT_TRUE(added) << added.error().ToString();
  EXPECT_GT(added->id, 0);
  EXPECT_EQ(added->name, "urlhaus");
  EXPECT_EQ(added->url, "https://feeds.example/urlhaus.csv");
  EXPECT_EQ(added->format, "csv");
  EXPECT_EQ(added->reliability, 70);
  EXPECT_EQ(added->default_category, "malware");
  EXPECT_EQ(added->refresh_seconds, 900);
  EXPECT_EQ(added->license, "CC0-1.0");
  EXPECT_EQ(added->options_json, R"({"columns":{"value":1}})");
  EXPECT_TRUE(added->enabled);
  EXPECT_EQ(added->created_at, 1'700'000'000);
  EXPECT_EQ(added->last_success_at, 0);
  EXPECT_EQ(added->listed_count, 0);
  ASSERT_TRUE(store_->AddSource(MakeSource("abuse-ch")));

  auto list = store_->ListSources();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "abuse-ch");  // by name
  EXPECT_EQ((*list)[1].name, "urlhaus");

  SourceRecord changed = *added;
  changed.url = "file:///srv/feeds/urlhaus.csv";
  changed.reliability = 90;
  changed.enabled = false;
  changed.options_json = "{}";
  changed.last_success_at = 12345;  // not a configuration field: ignored
  ASSERT_TRUE(store_->UpdateSource(changed));
  auto got = store_->GetSource("urlhaus");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->id, added->id);
  EXPECT_EQ((*got)->url, "file:///srv/feeds/urlhaus.csv");
  EXPECT_EQ((*got)->reliability, 90);
  EXPECT_FALSE((*got)->enabled);
  EXPECT_EQ((*got)->options_json, "{}");
  EXPECT_EQ((*got)->last_success_at, 0);

  auto missing = store_->GetSource("nope");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  auto status = store_->UpdateSource(MakeSource("nope"));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kNotFound);
}

TEST_F(RecordsTest, SourceValidationAndDuplicates) {
  ASSERT_TRUE(store_->AddSource(MakeSource("feed")));
  auto dup = store_->AddSource(MakeSource("feed"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_THAT(dup.error().message, HasSubstr("'feed'"));

  for (const char* bad_name : {"", "Upper", "with space", "semi;colon"}) {
    auto r = store_->AddSource(MakeSource(bad_name));
    ASSERT_FALSE(r) << bad_name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad_name;
  }
  SourceRecord s = MakeSource("too-reliable");
  s.reliability = 101;
  auto r = store_->AddSource(s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  s.reliability = -1;
  EXPECT_FALSE(store_->AddSource(s));
  EXPECT_EQ(store_->Stats()->sources, 1);
}

TEST_F(RecordsTest, RecordFetchKeepsValidatorsUnlessOk) {
  auto source = store_->AddSource(MakeSource("feed"));
  ASSERT_TRUE(source);
  ASSERT_TRUE(store_->RecordFetch(source->id,
                                  Fetch(100, "ok", "", "\"v1\"", "Tue, 01 Oct 2024 10:00:00 GMT")));
  auto s = store_->GetSource("feed");
  EXPECT_EQ((*s)->etag, "\"v1\"");
  EXPECT_EQ((*s)->last_modified, "Tue, 01 Oct 2024 10:00:00 GMT");
  EXPECT_EQ((*s)->last_attempt_at, 100);
  EXPECT_EQ((*s)->last_success_at, 100);
  EXPECT_EQ((*s)->last_status, "ok");

  ASSERT_TRUE(store_->RecordFetch(source->id, Fetch(200, "error", "HTTP 500", "bad")));
  s = store_->GetSource("feed");
  EXPECT_EQ((*s)->etag, "\"v1\"");
  EXPECT_EQ((*s)->last_modified, "Tue, 01 Oct 2024 10:00:00 GMT");
  EXPECT_EQ((*s)->last_attempt_at, 200);
  EXPECT_EQ((*s)->last_success_at, 100);
  EXPECT_EQ((*s)->last_status, "error");
  EXPECT_EQ((*s)->last_error, "HTTP 500");

  ASSERT_TRUE(store_->RecordFetch(source->id, Fetch(300, "not_modified")));
  s = store_->GetSource("feed");
  EXPECT_EQ((*s)->etag, "\"v1\"");
  EXPECT_EQ((*s)->last_success_at, 300);
  EXPECT_EQ((*s)->last_error, "");

  ASSERT_TRUE(store_->RecordFetch(source->id, Fetch(400, "rejected", "90% invalid lines")));
  s = store_->GetSource("feed");
  EXPECT_EQ((*s)->last_success_at, 300);
  EXPECT_EQ((*s)->last_status, "rejected");

  auto bad = store_->RecordFetch(source->id, Fetch(500, "great"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  auto missing = store_->RecordFetch(source->id + 7, Fetch(500, "ok"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(RecordsTest, RemoveSourceCascadesToItsIntervalsOnly) {
  auto a = store_->AddSource(MakeSource("a"));
  auto b = store_->AddSource(MakeSource("b"));
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(
      store_->ApplySnapshot(a->id, {Entry(Domain("x.example")), Entry(Domain("y.example"))}, 100));
  ASSERT_TRUE(store_->ApplySnapshot(a->id, {Entry(Domain("x.example"))}, 200));
  ASSERT_TRUE(store_->ApplySnapshot(b->id, {Entry(Domain("x.example"))}, 150));
  ASSERT_TRUE(store_->AddSighting(MakeSighting(Domain("y.example"), 250)));
  auto stats = store_->Stats();
  EXPECT_EQ(stats->open_intervals, 2);
  EXPECT_EQ(stats->closed_intervals, 1);

  ASSERT_TRUE(store_->RemoveSource("a"));
  stats = store_->Stats();
  EXPECT_EQ(stats->sources, 1);
  EXPECT_EQ(stats->open_intervals, 1);
  EXPECT_EQ(stats->closed_intervals, 0);
  EXPECT_EQ(stats->indicators, 2);  // indicators stay
  EXPECT_EQ(stats->sightings, 1);

  auto x = store_->Lookup(Domain("x.example"));
  ASSERT_TRUE(x && *x);
  ASSERT_EQ((*x)->intervals.size(), 1u);
  EXPECT_EQ((*x)->intervals[0].source_name, "b");
  auto y = store_->Lookup(Domain("y.example"));
  ASSERT_TRUE(y && *y);
  EXPECT_TRUE((*y)->intervals.empty());
  EXPECT_EQ((*y)->sightings.size(), 1u);

  auto again = store_->RemoveSource("a");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  auto gone = store_->ApplySnapshot(a->id, {Entry(Domain("x.example"))}, 300);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_F(RecordsTest, SightingsNewestFirstAndFirstSeenOnlyFromListings) {
  auto first = store_->AddSighting(
      MakeSighting(Domain("seen.example"), 100, "nginx:web1", 3, R"({"path":"/login"})"));
  ASSERT_TRUE(first) << first.error().ToString();
  auto second = store_->AddSighting(MakeSighting(Domain("seen.example"), 300, "dns:resolver"));
  auto third = store_->AddSighting(MakeSighting(Domain("seen.example"), 200, "nginx:web2"));
  ASSERT_TRUE(second && third);
  EXPECT_NE(*first, *second);

  auto h = store_->Lookup(Domain("seen.example"));
  ASSERT_TRUE(h && *h);
  EXPECT_EQ((*h)->first_seen, 0);  // sighted, never listed
  EXPECT_TRUE((*h)->intervals.empty());
  ASSERT_EQ((*h)->sightings.size(), 3u);
  EXPECT_EQ((*h)->sightings[0].observed_at, 300);
  EXPECT_EQ((*h)->sightings[0].observer, "dns:resolver");
  EXPECT_EQ((*h)->sightings[1].observed_at, 200);
  EXPECT_EQ((*h)->sightings[2].id, *first);
  EXPECT_EQ((*h)->sightings[2].count, 3);
  EXPECT_EQ((*h)->sightings[2].context_json, R"({"path":"/login"})");
  EXPECT_EQ((*h)->sightings[2].indicator, Domain("seen.example"));

  auto source = store_->AddSource(MakeSource("later"));
  ASSERT_TRUE(store_->ApplySnapshot(source->id, {Entry(Domain("seen.example"))}, 400));
  h = store_->Lookup(Domain("seen.example"));
  EXPECT_EQ((*h)->first_seen, 400);
  EXPECT_EQ((*h)->indicator_id, (*store_->Lookup(Domain("seen.example")))->indicator_id);
  EXPECT_EQ(store_->Stats()->indicators, 1);

  auto bad = store_->AddSighting(MakeSighting(Domain("x.example"), 0, "", 0));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(RecordsTest, AllowlistAddListRemove) {
  auto v = store_->AddAllowlistEntry(Allow("value", "8.8.8.8", "resolver", 10));
  auto c = store_->AddAllowlistEntry(Allow("cidr", "192.168.0.0/16", "internal", 11, 999));
  auto s = store_->AddAllowlistEntry(Allow("suffix", "example.com", "ours", 12));
  ASSERT_TRUE(v && c && s);

  auto list = store_->ListAllowlist();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, *v);
  EXPECT_EQ((*list)[0].kind, "value");
  EXPECT_EQ((*list)[0].value, "8.8.8.8");
  EXPECT_EQ((*list)[0].reason, "resolver");
  EXPECT_EQ((*list)[0].created_at, 10);
  EXPECT_EQ((*list)[0].expires_at, 0);
  EXPECT_EQ((*list)[1].kind, "cidr");
  EXPECT_EQ((*list)[1].expires_at, 999);
  EXPECT_EQ((*list)[2].value, "example.com");

  auto dup = store_->AddAllowlistEntry(Allow("value", "8.8.8.8", "", 20));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  auto bad_kind = store_->AddAllowlistEntry(Allow("regex", ".*", "", 20));
  ASSERT_FALSE(bad_kind);
  EXPECT_EQ(bad_kind.error().code, ErrorCode::kInvalidArgument);
  auto empty = store_->AddAllowlistEntry(Allow("value", "", "", 20));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);

  ASSERT_TRUE(store_->RemoveAllowlistEntry(*c));
  list = store_->ListAllowlist();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].kind, "suffix");
  auto missing = store_->RemoveAllowlistEntry(*c);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->Stats()->allowlist_entries, 2);
}

TEST_F(RecordsTest, StatsCountEverything) {
  auto source = store_->AddSource(MakeSource("feed"));
  ASSERT_TRUE(source);
  ASSERT_TRUE(store_->ApplySnapshot(
      source->id,
      {Entry(Domain("a.example")), Entry(Domain("b.example")), Entry(Domain("c.example"))}, 100));
  ASSERT_TRUE(store_->ApplySnapshot(source->id, {Entry(Domain("a.example"))}, 200));
  ASSERT_TRUE(store_->AddSighting(MakeSighting(Domain("z.example"), 5)));
  ASSERT_TRUE(store_->AddAllowlistEntry(Allow("value", "a.example")));
  auto stats = store_->Stats();
  ASSERT_TRUE(stats) << stats.error().ToString();
  EXPECT_EQ(stats->sources, 1);
  EXPECT_EQ(stats->indicators, 4);
  EXPECT_EQ(stats->open_intervals, 1);
  EXPECT_EQ(stats->closed_intervals, 2);
  EXPECT_EQ(stats->sightings, 1);
  EXPECT_EQ(stats->allowlist_entries, 1);
  EXPECT_GE(stats->schema_version, 1);
}

TEST_F(RecordsTest, ConcurrentCallsFromSeveralThreads) {
  auto source = store_->AddSource(MakeSource("feed"));
  ASSERT_TRUE(source);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string value = "t" + std::to_string(t) + "-" + std::to_string(i) + ".example";
        if (!store_->AddSighting(MakeSighting(Domain(value), i))) ++failures;
        if (!store_->AddListings(source->id, {Entry(Domain(value))}, 1000 + i)) ++failures;
        if (!store_->Lookup(Domain(value))) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto stats = store_->Stats();
  EXPECT_EQ(stats->sightings, kThreads * kPerThread);
  EXPECT_EQ(stats->indicators, kThreads * kPerThread);
  EXPECT_EQ(stats->open_intervals, kThreads * kPerThread);
}

TEST_F(RecordsTest, TwoStoresOnOneFileSeeEachOthersWrites) {
  auto other = OpenSqliteStore(dir_.File("mamori.db"));
  ASSERT_TRUE(other) << other.error().ToString();
  auto source = store_->AddSource(MakeSource("feed"));
  ASSERT_TRUE(source);
  ASSERT_TRUE(store_->ApplySnapshot(source->id, {Entry(Domain("a.example"))}, 100));
  auto seen = (*other)->GetSource("feed");
  ASSERT_TRUE(seen && *seen);
  EXPECT_EQ((*seen)->listed_count, 1);
  auto dup = (*other)->AddSource(MakeSource("feed"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
}

}  // namespace
}  // namespace mamori::store
