// FeedUpdater and Scheduler against a real SQLite store, real files and a loopback HTTP server.
// The central property: a broken update (fetch error, empty body, too many invalid lines, no
// indicators) never changes the stored snapshot.
#include "feeds/updater.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "feeds/scheduler.h"
#include "feeds/testing/loopback_server.h"

namespace mamori::feeds {
namespace {

namespace fs = std::filesystem;

class UpdaterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mamori-updater-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = store::OpenSqliteStore((dir_ / "mamori.db").string());
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
    HttpOptions http;
    http.retries = 1;
    http.backoff = std::chrono::milliseconds(10);
    http.timeout = std::chrono::milliseconds(2000);
    http_ = MakeCurlHttpClient(http, clock_);
    updater_ = std::make_unique<FeedUpdater>(*store_, *http_, clock_, UpdateOptions{});
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& body) {
    std::ofstream(dir_ / name, std::ios::binary) << body;
  }

  store::SourceRecord AddSource(const std::string& name, const std::string& url,
                                const std::string& format = "plain") {
    store::SourceRecord s;
    s.name = name;
    s.url = url;
    s.format = format;
    s.refresh_seconds = 3600;
    auto added = store_->AddSource(s);
    EXPECT_TRUE(added) << added.error().ToString();
    return *added;
  }

  int64_t Listed(const std::string& name) {
    auto s = store_->GetSource(name);
    return (s && *s) ? (*s)->listed_count : -1;
  }

  std::string Status(const std::string& name) {
    auto s = store_->GetSource(name);
    return (s && *s) ? (*s)->last_status : "?";
  }

  UpdateReport Update(const std::string& name) {
    auto report = updater_->Update(name);
    EXPECT_TRUE(report) << report.error().ToString();
    return report ? *report : UpdateReport{};
  }

  fs::path dir_;
  FakeClock clock_{1'700'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<FeedUpdater> updater_;
};

TEST_F(UpdaterTest, FirstUpdateListsEverythingThenDiffsAgainstThePreviousSnapshot) {
  Write("feed.txt", "# test feed\n198.51.100.1\nEvil.Example.\n203.0.113.0/24\nevil.example\n");
  AddSource("local", (dir_ / "feed.txt").string());
  auto first = Update("local");
  EXPECT_EQ(first.status, UpdateStatus::kOk);
  EXPECT_EQ(first.diff.added, 3);
  EXPECT_EQ(first.parse.duplicates, 1);
  EXPECT_EQ(Listed("local"), 3);

  clock_.Advance(std::chrono::hours(1));
  Write("feed.txt", "198.51.100.1\nnew.example\n203.0.113.0/24\n");
  auto second = Update("local");
  EXPECT_EQ(second.status, UpdateStatus::kOk);
  EXPECT_EQ(second.diff.added, 1);
  EXPECT_EQ(second.diff.removed, 1);
  EXPECT_EQ(second.diff.unchanged, 2);

  auto gone = store_->Lookup(Indicator{IndicatorType::kDomain, "evil.example"});
  ASSERT_TRUE(gone && *gone);
  ASSERT_EQ((*gone)->intervals.size(), 1u);
  EXPECT_EQ((*gone)->intervals[0].first_listed, 1'700'000'000);
  EXPECT_EQ((*gone)->intervals[0].delisted_at, 1'700'003'600);
}

TEST_F(UpdaterTest, EmptyBodyIsRejectedAndTheSnapshotStays) {
  Write("feed.txt", "198.51.100.1\n198.51.100.2\n");
  AddSource("local", (dir_ / "feed.txt").string());
  ASSERT_EQ(Update("local").status, UpdateStatus::kOk);
  Write("feed.txt", "");
  auto report = Update("local");
  EXPECT_EQ(report.status, UpdateStatus::kRejected);
  EXPECT_NE(report.message.find("empty"), std::string::npos) << report.message;
  EXPECT_EQ(Listed("local"), 2);
  EXPECT_EQ(Status("local"), "rejected");
}

TEST_F(UpdaterTest, TooManyInvalidLinesRejectTheUpdate) {
  Write("feed.txt", "198.51.100.1\n198.51.100.2\n198.51.100.3\n");
  AddSource("local", (dir_ / "feed.txt").string());
  ASSERT_EQ(Update("local").status, UpdateStatus::kOk);
  // An HTML error page served instead of the list: every line invalid.
  Write("feed.txt", "<html>\n<body>Service unavailable</body>\n</html>\n198.51.100.1\n");
  auto report = Update("local");
  EXPECT_EQ(report.status, UpdateStatus::kRejected);
  EXPECT_GE(report.parse.invalid, 3u);
  EXPECT_NE(report.message.find("max_invalid_share"), std::string::npos) << report.message;
  EXPECT_EQ(Listed("local"), 3);
}

TEST_F(UpdaterTest, InvalidLinesBelowTheThresholdAreSkippedAndCounted) {
  Write("feed.txt", "198.51.100.1\nnot an indicator\n198.51.100.2\n198.51.100.3\n");
  AddSource("local", (dir_ / "feed.txt").string());
  auto report = Update("local");
  EXPECT_EQ(report.status, UpdateStatus::kOk);
  EXPECT_EQ(report.parse.invalid, 1u);
  ASSERT_EQ(report.parse.first_errors.size(), 1u);
  EXPECT_EQ(report.parse.first_errors[0].line, 2u);
  EXPECT_EQ(Listed("local"), 3);
}

TEST_F(UpdaterTest, AFeedWithOnlyCommentsWouldDelistEverythingAndIsRejectedUnlessAllowed) {
  Write("feed.txt", "198.51.100.1\n198.51.100.2\n");
  AddSource("local", (dir_ / "feed.txt").string());
  ASSERT_EQ(Update("local").status, UpdateStatus::kOk);
  Write("feed.txt", "# nothing listed today\n");
  EXPECT_EQ(Update("local").status, UpdateStatus::kRejected);
  EXPECT_EQ(Listed("local"), 2);

  UpdateOptions allow;
  allow.allow_empty = true;
  FeedUpdater permissive(*store_, *http_, clock_, allow);
  auto report = permissive.Update("local");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->status, UpdateStatus::kOk);
  EXPECT_EQ(report->diff.removed, 2);
  EXPECT_EQ(Listed("local"), 0);
}

TEST_F(UpdaterTest, FetchErrorsKeepTheSnapshotAndAreRecorded) {
  testing::LoopbackHttpServer server;
  std::atomic<bool> broken{false};
  server.server().Get("/feed.txt", [&](const httplib::Request& req, httplib::Response& res) {
    if (broken) {
      res.status = 500;
      res.set_content("oops", "text/plain");
      return;
    }
    if (req.get_header_value("If-None-Match") == "\"v1\"") {
      res.status = 304;
      return;
    }
    res.set_header("ETag", "\"v1\"");
    res.set_content("198.51.100.7\n198.51.100.8\n", "text/plain");
  });
  server.Start();
  AddSource("remote", server.Url("/feed.txt"));

  ASSERT_EQ(Update("remote").status, UpdateStatus::kOk);
  EXPECT_EQ(Listed("remote"), 2);

  clock_.Advance(std::chrono::hours(1));
  EXPECT_EQ(Update("remote").status, UpdateStatus::kNotModified);
  auto s = store_->GetSource("remote");
  ASSERT_TRUE(s && *s);
  EXPECT_EQ((*s)->last_success_at, 1'700'003'600);  // a 304 is a successful refresh
  EXPECT_EQ((*s)->etag, "\"v1\"");

  broken = true;
  auto report = Update("remote");
  EXPECT_EQ(report.status, UpdateStatus::kError);
  EXPECT_NE(report.message.find("500"), std::string::npos) << report.message;
  EXPECT_EQ(Listed("remote"), 2);
  EXPECT_EQ(Status("remote"), "error");
}

TEST_F(UpdaterTest, MissingFileIsAnErrorNamingTheFile) {
  AddSource("gone", (dir_ / "missing.txt").string());
  auto report = Update("gone");
  EXPECT_EQ(report.status, UpdateStatus::kError);
  EXPECT_NE(report.message.find("missing.txt"), std::string::npos) << report.message;
}

TEST_F(UpdaterTest, UnknownSourceIsNotFound) {
  auto report = updater_->Update("nope");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kNotFound);
}

TEST_F(UpdaterTest, SchedulerRefreshesSourcesWhenTheirIntervalHasPassed) {
  Write("a.txt", "198.51.100.1\n");
  Write("b.txt", "198.51.100.2\n");
  AddSource("a", (dir_ / "a.txt").string());
  AddSource("b", (dir_ / "b.txt").string());
  Scheduler scheduler(*store_, *updater_, clock_);
  EXPECT_EQ(scheduler.RunDue().size(), 2u);  // never fetched: both due
  EXPECT_EQ(scheduler.RunDue().size(), 0u);  // nothing due yet
  clock_.Advance(std::chrono::minutes(59));
  EXPECT_EQ(scheduler.RunDue().size(), 0u);
  clock_.Advance(std::chrono::minutes(1));
  Write("a.txt", "198.51.100.1\n198.51.100.3\n");
  auto reports = scheduler.RunDue();
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(Listed("a"), 2);
}

}  // namespace
}  // namespace mamori::feeds
