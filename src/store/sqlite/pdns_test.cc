#include <gtest/gtest.h>

#include <set>

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

TEST_F(PdnsStoreTest, SurvivesReopen) {
  ASSERT_TRUE(store_->MergePdns({Rr("www.example.com", "example.com", 1, "192.0.2.1", 1, 2, 3)}));
  store_.reset();
  auto reopened = OpenSqliteStore(dir_.File("mamori.db"));
  ASSERT_TRUE(reopened) << reopened.error().message;
  auto rows = (*reopened)->PdnsByName("www.example.com");
  ASSERT_TRUE(rows && rows->size() == 1);
  EXPECT_EQ((*rows)[0].count, 3);
}

}  // namespace
}  // namespace mamori::store
