#include <gtest/gtest.h>

#include <set>

#include "store/migrations.h"
#include "store/sqlite/test_util.h"
#include "store/store.h"

namespace mamori::store {
namespace {

using testing::TempDir;

PdnsRrset Rr(std::string name, std::string registered, uint16_t rrtype, std::string rdata,
             UnixSeconds first, UnixSeconds last, int64_t count) {
  return PdnsRrset{
      std::move(name), std::move(registered), rrtype, std::move(rdata), first, last, count};
}

class PdnsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenSqliteStore(dir_.File("mamori.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(PdnsStoreTest, MergeKeepsEarliestFirstLatestLastAndAddsCounts) {
  auto first =
      store_->MergePdns({Rr("www.example.com", "example.com", 1, "192.0.2.1", 100, 200, 3),
                         Rr("www.example.com", "example.com", 28, "2001:db8::1", 150, 160, 1)});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->inserted, 2);
  EXPECT_EQ(first->updated, 0);

  auto second =
      store_->MergePdns({Rr("www.example.com", "example.com", 1, "192.0.2.1", 50, 180, 4),
                         Rr("www.example.com", "example.com", 1, "192.0.2.2", 300, 300, 1)});
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->inserted, 1);
  EXPECT_EQ(second->updated, 1);

  auto rows = store_->PdnsByName("www.example.com");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  // Ordered by rrtype, then rdata.
  EXPECT_EQ((*rows)[0].rdata, "192.0.2.1");
  EXPECT_EQ((*rows)[0].first_seen, 50);
  EXPECT_EQ((*rows)[0].last_seen, 200);
  EXPECT_EQ((*rows)[0].count, 7);
  EXPECT_EQ((*rows)[0].registered, "example.com");
  EXPECT_EQ((*rows)[1].rdata, "192.0.2.2");
  EXPECT_EQ((*rows)[2].rrtype, 28);
  EXPECT_EQ((*rows)[2].count, 1);
}

TEST_F(PdnsStoreTest, DuplicatesInOneBatchMerge) {
  auto stats = store_->MergePdns({Rr("a.example.com", "example.com", 1, "192.0.2.1", 10, 20, 1),
                                  Rr("a.example.com", "example.com", 1, "192.0.2.1", 5, 15, 2)});
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->inserted, 1);
  EXPECT_EQ(stats->updated, 1);
  auto rows = store_->PdnsByName("a.example.com");
  ASSERT_TRUE(rows && rows->size() == 1);
  EXPECT_EQ((*rows)[0].first_seen, 5);
  EXPECT_EQ((*rows)[0].last_seen, 20);
  EXPECT_EQ((*rows)[0].count, 3);
}

TEST_F(PdnsStoreTest, MergeIsAllOrNothing) {
  ASSERT_TRUE(store_->MergePdns({Rr("a.example.com", "example.com", 1, "192.0.2.1", 10, 20, 1)}));
  // An invalid rrset anywhere in the batch refuses the whole batch.
  auto bad = store_->MergePdns({Rr("b.example.com", "example.com", 1, "192.0.2.9", 10, 20, 1),
                                Rr("", "", 1, "192.0.2.9", 10, 20, 1)});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  auto rows = store_->PdnsByRdata("192.0.2.9", 10);
  ASSERT_TRUE(rows);
  EXPECT_TRUE(rows->empty());

  // A failure inside the transaction (the file turned read-only under us is hard to fake; a
  // trigger that aborts on one row is not) rolls back the rows merged before it.
  auto raw = testing::OpenRaw(dir_.File("mamori.db"));
  testing::ExecRaw(raw.get(),
                   "CREATE TRIGGER pdns_fail BEFORE INSERT ON pdns_rdata "
                   "WHEN NEW.rdata = 'fail.example' BEGIN SELECT RAISE(ABORT, 'boom'); END");
  auto failed = store_->MergePdns({Rr("a.example.com", "example.com", 1, "192.0.2.1", 1, 99, 5),
                                   Rr("z.example.com", "example.com", 5, "fail.example", 1, 2, 1)});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().ToString().find("boom"), std::string::npos) << failed.error().ToString();
  auto kept = store_->PdnsByName("a.example.com");
  ASSERT_TRUE(kept && kept->size() == 1);
  EXPECT_EQ((*kept)[0].count, 1);
  EXPECT_EQ((*kept)[0].first_seen, 10);
}

TEST_F(PdnsStoreTest, PointReadsByRegisteredAndRdata) {
  ASSERT_TRUE(store_->MergePdns({
      Rr("example.com", "example.com", 2, "ns1.dns.example.net", 10, 20, 1),
      Rr("www.example.com", "example.com", 1, "192.0.2.1", 10, 20, 1),
      Rr("mail.example.com", "example.com", 1, "192.0.2.1", 10, 50, 1),
      Rr("other.example.org", "example.org", 1, "192.0.2.1", 10, 30, 1),
      Rr("x.example.org", "example.org", 1, "192.0.2.7", 10, 30, 1),
  }));
  auto by_registered = store_->PdnsByRegistered("example.com");
  ASSERT_TRUE(by_registered) << by_registered.error().message;
  std::set<std::string> names;
  for (const auto& rr : *by_registered) names.insert(rr.name);
  EXPECT_EQ(names, (std::set<std::string>{"example.com", "mail.example.com", "www.example.com"}));

  auto by_rdata = store_->PdnsByRdata("192.0.2.1", 2);
  ASSERT_TRUE(by_rdata) << by_rdata.error().message;
  ASSERT_EQ(by_rdata->size(), 2u);
  // Most recently seen first.
  EXPECT_EQ((*by_rdata)[0].name, "mail.example.com");
  EXPECT_EQ((*by_rdata)[1].name, "other.example.org");
  auto all = store_->PdnsByRdata("192.0.2.1", 0);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
  auto ns = store_->PdnsByRdata("ns1.dns.example.net", 10);
  ASSERT_TRUE(ns && ns->size() == 1);
  EXPECT_EQ((*ns)[0].rrtype, 2);

  auto none = store_->PdnsByName("nothing.example");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(PdnsStoreTest, ForEachVisitsEveryRrsetAndStopsEarly) {
  std::vector<PdnsRrset> batch;
  for (int i = 0; i < 50; ++i) {
    batch.push_back(Rr("h" + std::to_string(i) + ".example.com", "example.com", 1,
                       "192.0.2." + std::to_string(i), i, i + 1, 1));
  }
  ASSERT_TRUE(store_->MergePdns(batch));
  std::set<std::string> seen;
  ASSERT_TRUE(store_->ForEachPdns([&](const PdnsRrset& rr) {
    seen.insert(rr.name + " " + rr.rdata);
    return true;
  }));
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_TRUE(seen.count("h7.example.com 192.0.2.7"));

  int visited = 0;
  ASSERT_TRUE(store_->ForEachPdns([&](const PdnsRrset&) { return ++visited < 5; }));
  EXPECT_EQ(visited, 5);
}

// A deterministic mixed batch: shared rdata, several types per name, duplicates, unsorted.
std::vector<PdnsRrset> MixedBatch(int names, int salt) {
  std::vector<PdnsRrset> batch;
  for (int i = names - 1; i >= 0; --i) {
    std::string name = "h" + std::to_string((i * 7919 + salt) % 1000) + ".ex" +
                       std::to_string(i % 5) + ".com";
    std::string reg = "ex" + std::to_string(i % 5) + ".com";
    batch.push_back(Rr(name, reg, 1, "192.0.2." + std::to_string(i % 13), i + salt, i + 40, 2));
    batch.push_back(Rr(name, reg, 28, "2001:db8::" + std::to_string(i % 3), 5 + i, 9 + i, 1));
    if (i % 4 == 0) {
      batch.push_back(Rr(name, reg, 1, "192.0.2." + std::to_string(i % 13), 1, 100 + salt, 3));
    }
  }
  return batch;
}

std::multiset<std::string> Rows(Store& store) {
  std::multiset<std::string> rows;
  EXPECT_TRUE(store.ForEachPdns([&](const PdnsRrset& rr) {
    rows.insert(rr.name + "|" + rr.registered + "|" + std::to_string(rr.rrtype) + "|" + rr.rdata +
                "|" + std::to_string(rr.first_seen) + "|" + std::to_string(rr.last_seen) + "|" +
                std::to_string(rr.count));
    return true;
  }));
  return rows;
}

// The first load into an empty store takes the bulk path (store/sqlite/pdns.cc, BulkLoadPdns);
// a store that already holds one rrset takes the general merge. Both must store the same rows
// and report the same counts.
TEST_F(PdnsStoreTest, BulkLoadIntoEmptyEqualsMergeIntoNonEmpty) {
  const std::vector<PdnsRrset> batch = MixedBatch(300, 1);
  auto bulk = store_->MergePdns(batch);
  ASSERT_TRUE(bulk) << bulk.error().message;

  auto other_opened = OpenSqliteStore(dir_.File("other.db"));
  ASSERT_TRUE(other_opened);
  Store& other = **other_opened;
  // An rrset that is not in the batch makes the tables non-empty.
  const PdnsRrset seed = Rr("seed.example.org", "example.org", 1, "198.51.100.1", 1, 2, 1);
  ASSERT_TRUE(other.MergePdns({seed}));
  auto merged = other.MergePdns(batch);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(bulk->inserted, merged->inserted);
  EXPECT_EQ(bulk->updated, merged->updated);
  EXPECT_GT(bulk->updated, 0);  // the batch has duplicates

  std::multiset<std::string> expected = Rows(*store_);
  std::multiset<std::string> got = Rows(other);
  got.erase("seed.example.org|example.org|1|198.51.100.1|1|2|1");
  EXPECT_EQ(got, expected);
  EXPECT_EQ(expected.size(), static_cast<size_t>(bulk->inserted));

  // A second batch merges into both the same way (counts add, no new rows for known rrsets).
  const std::vector<PdnsRrset> again = MixedBatch(350, 1);
  auto a = store_->MergePdns(again);
  auto b = other.MergePdns(again);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->inserted, b->inserted);
  EXPECT_EQ(a->updated, b->updated);
  got = Rows(other);
  got.erase("seed.example.org|example.org|1|198.51.100.1|1|2|1");
  EXPECT_EQ(got, Rows(*store_));

  // The point reads use the indexes rebuilt by the bulk load.
  auto by_rdata = store_->PdnsByRdata("192.0.2.3", 0);
  ASSERT_TRUE(by_rdata);
  auto by_rdata_other = other.PdnsByRdata("192.0.2.3", 0);
  ASSERT_TRUE(by_rdata_other);
  EXPECT_EQ(by_rdata->size(), by_rdata_other->size());
  EXPECT_FALSE(by_rdata->empty());
}

// The lookup tables (migrations/0012) as text, one entry per row, sorted: what PdnsByRdata and
// PdnsByRegistered search.
std::string LookupRows(sqlite3* db) {
  return testing::QueryRaw(
             db,
             "SELECT group_concat(t, ';') FROM (SELECT d.rdata || '|' || n.name || '|' || "
             "x.rrtype AS t FROM pdns_rdata_rrsets x JOIN pdns_rdata d ON d.id = x.rdata_id "
             "JOIN pdns_names n ON n.id = x.name_id ORDER BY t)") +
         "#" +
         testing::QueryRaw(
             db,
             "SELECT group_concat(t, ';') FROM (SELECT g.registered || '|' || n.name AS t FROM "
             "pdns_registered_names g JOIN pdns_names n ON n.id = g.name_id ORDER BY t)");
}

TEST_F(PdnsStoreTest, LookupTablesMatchAfterBulkLoadAndMerge) {
  auto raw = testing::OpenRaw(dir_.File("mamori.db"));
  ASSERT_TRUE(store_->MergePdns(MixedBatch(100, 3)));  // bulk path
  auto other_opened = OpenSqliteStore(dir_.File("other.db"));
  ASSERT_TRUE(other_opened);
  Store& other = **other_opened;
  // Make `other` non-empty with a row that the batch also holds: the general merge.
  ASSERT_TRUE(other.MergePdns({MixedBatch(100, 3).front()}));
  ASSERT_TRUE(other.MergePdns(MixedBatch(100, 3)));
  auto other_raw = testing::OpenRaw(dir_.File("other.db"));

  const std::string bulk = LookupRows(raw.get());
  EXPECT_NE(bulk.find("192.0.2.3|"), std::string::npos) << bulk;
  EXPECT_NE(bulk.find("#ex0.com|"), std::string::npos) << bulk;
  EXPECT_EQ(bulk, LookupRows(other_raw.get()));
  // One lookup row per rrset and per name.
  for (sqlite3* db : {raw.get(), other_raw.get()}) {
    EXPECT_EQ(testing::QueryRaw(db, "SELECT count(*) FROM pdns_rdata_rrsets"),
              testing::QueryRaw(db, "SELECT count(*) FROM pdns_rrsets"));
    EXPECT_EQ(testing::QueryRaw(db, "SELECT count(*) FROM pdns_registered_names"),
              testing::QueryRaw(db, "SELECT count(*) FROM pdns_names"));
    EXPECT_EQ(testing::QueryRaw(db, "PRAGMA integrity_check"), "ok");
  }
  // A second batch with new names and rrsets keeps both in step.
  ASSERT_TRUE(store_->MergePdns(MixedBatch(180, 4)));
  ASSERT_TRUE(other.MergePdns(MixedBatch(180, 4)));
  EXPECT_EQ(LookupRows(raw.get()), LookupRows(other_raw.get()));
  EXPECT_NE(LookupRows(raw.get()), bulk);
}

TEST_F(PdnsStoreTest, SecondaryIndexAddedLaterSurvivesBulkLoad) {
  // No secondary index is left on the pdns tables since 0012; one a later migration adds is
  // dropped and rebuilt by the bulk load with its definition.
  auto raw = testing::OpenRaw(dir_.File("mamori.db"));
  testing::ExecRaw(raw.get(), "CREATE INDEX pdns_rrsets_by_last ON pdns_rrsets (last_seen)");
  const std::string kSql =
      "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE type = 'index' "
      "AND tbl_name LIKE 'pdns_%' AND sql IS NOT NULL ORDER BY name)";
  const std::string before = testing::QueryRaw(raw.get(), kSql);
  EXPECT_EQ(before, "CREATE INDEX pdns_rrsets_by_last ON pdns_rrsets (last_seen)");
  ASSERT_TRUE(store_->MergePdns(MixedBatch(100, 3)));
  EXPECT_EQ(testing::QueryRaw(raw.get(), kSql), before);
  EXPECT_EQ(testing::QueryRaw(raw.get(), "PRAGMA integrity_check"), "ok");
}

TEST_F(PdnsStoreTest, FailingBulkLoadLeavesStoreEmpty) {
  auto raw = testing::OpenRaw(dir_.File("mamori.db"));
  testing::ExecRaw(raw.get(),
                   "CREATE TRIGGER pdns_fail BEFORE INSERT ON pdns_rrsets "
                   "WHEN NEW.count = 777 BEGIN SELECT RAISE(ABORT, 'boom'); END");
  std::vector<PdnsRrset> batch = MixedBatch(100, 5);
  batch.push_back(Rr("zzz.example.com", "example.com", 1, "192.0.2.200", 1, 2, 777));
  auto failed = store_->MergePdns(batch);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().ToString().find("boom"), std::string::npos) << failed.error().ToString();
  EXPECT_TRUE(Rows(*store_).empty());
  EXPECT_EQ(testing::QueryRaw(raw.get(), "SELECT count(*) FROM pdns_names"), "0");
  EXPECT_EQ(testing::QueryRaw(raw.get(), "SELECT count(*) FROM pdns_rdata"), "0");
  EXPECT_EQ(testing::QueryRaw(raw.get(), "SELECT count(*) FROM pdns_rdata_rrsets"), "0");
  EXPECT_EQ(testing::QueryRaw(raw.get(), "SELECT count(*) FROM pdns_registered_names"), "0");
  // Once the trigger is gone the same batch loads.
  testing::ExecRaw(raw.get(), "DROP TRIGGER pdns_fail");
  auto ok = store_->MergePdns(batch);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(Rows(*store_).size(), static_cast<size_t>(ok->inserted));
}

TEST_F(PdnsStoreTest, SurvivesReopen) {
  ASSERT_TRUE(store_->MergePdns({Rr("www.example.com", "example.com", 1, "192.0.2.1", 1, 2, 3)}));
  store_.reset();
  auto reopened = OpenSqliteStore(dir_.File("mamori.db"));
  ASSERT_TRUE(reopened) << reopened.error().message;
  auto rows = (*reopened)->PdnsByName("www.example.com");
  ASSERT_TRUE(rows && rows->size() == 1);
  EXPECT_EQ((*rows)[0].count, 3);
}

// A store written before migration 0012 (secondary indexes, no lookup tables): opening it
// migrates, and the reads and later merges see the rows it held.
TEST(PdnsMigrationTest, LookupTablesMigrationConvertsExistingRows) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  {
    auto raw = testing::OpenRaw(path);
    testing::ExecRaw(raw.get(),
                     "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
                     "NULL, applied_at INTEGER NOT NULL)");
    for (const Migration& m : EmbeddedMigrations()) {
      if (m.version >= 12) break;
      testing::ExecRaw(raw.get(), m.sql);
      testing::ExecRaw(raw.get(), "INSERT INTO schema_migrations VALUES (" +
                                      std::to_string(m.version) + ", '" + m.name + "', 1)");
    }
    // Rows as migration 0010's layout held them.
    testing::ExecRaw(raw.get(),
                     "INSERT INTO pdns_names (id, name, registered) VALUES "
                     "(1, 'www.example.com', 'example.com'), (2, 'mail.example.com', "
                     "'example.com'), (3, 'other.example.org', 'example.org');"
                     "INSERT INTO pdns_rdata (id, rdata) VALUES (1, '192.0.2.1'), "
                     "(2, 'mx.example.net');"
                     "INSERT INTO pdns_rrsets VALUES (1, 1, 1, 10, 20, 1), (2, 1, 1, 10, 50, 2), "
                     "(2, 15, 2, 5, 6, 1), (3, 1, 1, 10, 30, 3)");
  }
  auto opened = OpenSqliteStore(path);
  ASSERT_TRUE(opened) << opened.error().message;
  Store& store = **opened;

  auto by_registered = store.PdnsByRegistered("example.com");
  ASSERT_TRUE(by_registered) << by_registered.error().message;
  ASSERT_EQ(by_registered->size(), 3u);
  EXPECT_EQ((*by_registered)[0].name, "mail.example.com");
  EXPECT_EQ((*by_registered)[0].rrtype, 1);
  EXPECT_EQ((*by_registered)[1].rdata, "mx.example.net");
  EXPECT_EQ((*by_registered)[2].name, "www.example.com");

  auto by_rdata = store.PdnsByRdata("192.0.2.1", 0);
  ASSERT_TRUE(by_rdata) << by_rdata.error().message;
  ASSERT_EQ(by_rdata->size(), 3u);
  EXPECT_EQ((*by_rdata)[0].name, "mail.example.com");  // most recently seen first
  EXPECT_EQ((*by_rdata)[1].name, "other.example.org");
  EXPECT_EQ((*by_rdata)[2].name, "www.example.com");
  EXPECT_EQ((*by_rdata)[2].count, 1);

  // The store is not empty: the general merge, which keeps the lookup tables in step.
  auto merged = store.MergePdns({Rr("new.example.com", "example.com", 1, "192.0.2.1", 1, 2, 1),
                                 Rr("www.example.com", "example.com", 1, "192.0.2.1", 1, 99, 1)});
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->inserted, 1);
  EXPECT_EQ(merged->updated, 1);
  by_rdata = store.PdnsByRdata("192.0.2.1", 2);
  ASSERT_TRUE(by_rdata);
  ASSERT_EQ(by_rdata->size(), 2u);
  EXPECT_EQ((*by_rdata)[0].name, "www.example.com");
  EXPECT_EQ((*by_rdata)[0].count, 2);
  by_registered = store.PdnsByRegistered("example.com");
  ASSERT_TRUE(by_registered);
  EXPECT_EQ(by_registered->size(), 4u);
  opened->reset();
  auto raw = testing::OpenRaw(path);
  EXPECT_EQ(testing::QueryRaw(raw.get(), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(testing::QueryRaw(raw.get(), "SELECT count(*) FROM sqlite_master WHERE name IN "
                                         "('pdns_rrsets_by_rdata', 'pdns_names_by_registered')"),
            "0");
}

}  // namespace
}  // namespace mamori::store
