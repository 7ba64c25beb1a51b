// IngestLifecycleFile end to end: files in a temp dir into a real SQLite store.
#include "domain/lifecycle/ingest.h"

#include <gtest/gtest.h>

#include "domain/lifecycle/internal/test_files.h"

namespace mamori::domain::lifecycle {
namespace {

using testing::WriteFile;

class LifecycleIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  mamori::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(LifecycleIngestTest, PopularitySnapshotsInDateOrder) {
  auto day1 = WriteFile(dir_, "tranco-2026-01-05.csv", "1,a.com\n2,b.com\nx,c.com\n");
  auto day2 = WriteFile(dir_, "tranco-2026-01-06.csv", "1,a.com\n");
  auto report = IngestLifecycleFile(*store_, day1, "popularity", {});
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->format, "popularity");
  EXPECT_EQ(report->records, 2);
  EXPECT_EQ(report->stored, 2);
  EXPECT_EQ(report->malformed, 1);
  ASSERT_TRUE(IngestLifecycleFile(*store_, day2, "popularity", {}));
  auto a = store_->PopularityOf("a.com");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0].last_day - (*a)[0].first_day, 1);

  // The older file again: refused with the list and days named, nothing stored.
  auto again = IngestLifecycleFile(*store_, day1, "popularity", {});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kRejected);
  EXPECT_NE(again.error().message.find("tranco"), std::string::npos);
  EXPECT_NE(again.error().ToString().find("tranco-2026-01-05.csv"), std::string::npos);
  EXPECT_EQ(store_->ListSnapshotDays("popularity")->size(), 2u);
}

TEST_F(LifecycleIngestTest, ZoneRdapAndLabelsReachTheStore) {
  auto zone = WriteFile(dir_, "com-2026-01-05.zone", "example.com. 3600 IN NS ns.x.net.\n");
  auto report = IngestLifecycleFile(*store_, zone, "zone", {});
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(store_->ZoneIntervalsOf("example.com")->size(), 1u);

  auto rdap = WriteFile(dir_, "rdap-2026-01-05.jsonl",
                        R"({"objectClassName":"domain","ldhName":"example.com","status":["active"]})"
                        "\n"
                        R"({"objectClassName":"domain","ldhName":"example.com","status":["active"],"mamori_observed_at":1767700000})"
                        "\n");
  report = IngestLifecycleFile(*store_, rdap, "rdap", {});
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->records, 2);
  EXPECT_EQ(store_->RegistrationsOf("example.com")->size(), 1u);  // the repeat is not stored

  auto labels = WriteFile(dir_, "labels.csv", "example.com,malicious,2026-01-05\n");
  report = IngestLifecycleFile(*store_, labels, "labels", {});
  ASSERT_TRUE(report) << report.error().ToString();
  auto stored = store_->LabelsOf("example.com");
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].source, "labels.csv");

  EXPECT_FALSE(IngestLifecycleFile(*store_, labels, "whois", {}));
  EXPECT_FALSE(IngestLifecycleFile(*store_, dir_.File("missing.csv"), "labels", {}));
}

}  // namespace
}  // namespace mamori::domain::lifecycle
