// OpenSqliteStore: migrations on new and existing files, and the errors for files a user has to
// deal with (corrupt, locked, newer schema, unwritable location).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "store/migrations.h"
#include "store/sqlite/test_util.h"
#include "store/store.h"

namespace mamori::store {
namespace {

using testing::Domain;
using testing::Entry;
using testing::ExecRaw;
using ::testing::HasSubstr;
using testing::OpenRaw;
using testing::QueryRaw;
using testing::TempDir;

int LatestVersion() { return EmbeddedMigrations().back().version; }

SourceRecord MakeSource(std::string name) {
  SourceRecord s;
  s.name = std::move(name);
  s.url = "https://feeds.example/" + s.name + ".txt";
  s.format = "plain";
  s.created_at = 1'700'000'000;
  return s;
}

TEST(OpenSqliteStoreTest, CreatesParentDirectoriesSchemaAndWal) {
  TempDir dir;
  const std::string path = dir.File("var/nested/mamori.db");
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_TRUE(std::filesystem::exists(path));

  auto stats = (*store)->Stats();
  ASSERT_TRUE(stats) << stats.error().ToString();
  EXPECT_EQ(stats->schema_version, LatestVersion());
  EXPECT_EQ(stats->sources, 0);

  auto raw = OpenRaw(path);
  EXPECT_EQ(QueryRaw(raw.get(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryRaw(raw.get(), "SELECT name FROM schema_migrations WHERE version = 1"),
            "0001_initial");
  EXPECT_EQ(QueryRaw(raw.get(), "SELECT count(*) FROM schema_migrations"),
            std::to_string(EmbeddedMigrations().size()));
  EXPECT_NE(QueryRaw(raw.get(), "SELECT applied_at FROM schema_migrations WHERE version = 1"), "0");
  for (const char* table :
       {"sources", "indicators", "listing_intervals", "sightings", "allowlist", "cidr_ranges"}) {
    EXPECT_EQ(QueryRaw(raw.get(), std::string("SELECT count(*) FROM sqlite_master WHERE name = '") +
                                      table + "'"),
              "1")
        << table;
  }
}

TEST(OpenSqliteStoreTest, ReopeningKeepsDataAndDoesNotReapplyMigrations) {
  TempDir dir;
  const std::string path = dir.File("mamori.db");
  int64_t source_id = 0;
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store) << store.error().ToString();
    auto source = (*store)->AddSource(MakeSource("abuse"));
    ASSERT_TRUE(source) << source.error().ToString();
    source_id = source->id;
    ASSERT_TRUE((*store)->ApplySnapshot(source_id, {Entry(Domain("evil.example"))}, 100));
  }
  auto raw = OpenRaw(path);
  const std::string applied_at =
      QueryRaw(raw.get(), "SELECT applied_at FROM schema_migrations WHERE version = 1");
  raw.reset();

  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto source = (*store)->GetSource("abuse");
  ASSERT_TRUE(source && *source);
  EXPECT_EQ((*source)->id, source_id);
  EXPECT_EQ((*source)->listed_count, 1);
  EXPECT_EQ((*source)->last_success_at, 100);
  auto stats = (*store)->Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->schema_version, LatestVersion());
  EXPECT_EQ(stats->indicators, 1);

  raw = OpenRaw(path);
  EXPECT_EQ(QueryRaw(raw.get(), "SELECT count(*) FROM schema_migrations"),
            std::to_string(EmbeddedMigrations().size()));
  EXPECT_EQ(QueryRaw(raw.get(), "SELECT applied_at FROM schema_migrations WHERE version = 1"),
            applied_at);
}

TEST(OpenSqliteStoreTest, RefusesNewerSchema) {
  TempDir dir;
  const std::string path = dir.File("mamori.db");
  ASSERT_TRUE(OpenSqliteStore(path));
  {
    auto raw = OpenRaw(path);
    ExecRaw(raw.get(),
            "INSERT INTO schema_migrations (version, name, applied_at) "
            "VALUES (9999, '9999_from_the_future', 0)");
  }
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnsupported);
  EXPECT_THAT(store.error().message, HasSubstr("9999"));
  EXPECT_THAT(store.error().message, HasSubstr(path));
  EXPECT_THAT(store.error().message, HasSubstr("upgrade mamori"));
}

TEST(OpenSqliteStoreTest, RefusesSqliteFileOfAnotherProgram) {
  TempDir dir;
  const std::string path = dir.File("other.db");
  {
    auto raw = OpenRaw(path);
    ExecRaw(raw.get(), "CREATE TABLE photos (id INTEGER PRIMARY KEY, blob BLOB)");
  }
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
  EXPECT_THAT(store.error().message, HasSubstr("not a mamori store"));
  EXPECT_THAT(store.error().message, HasSubstr(path));
}

TEST(OpenSqliteStoreTest, RandomBytesAreCorrupt) {
  TempDir dir;
  const std::string path = dir.File("mamori.db");
  {
    std::ofstream out(path, std::ios::binary);
    std::mt19937 rng(42);
    for (int i = 0; i < 8192; ++i) out.put(static_cast<char>(rng()));
  }
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
  EXPECT_THAT(store.error().message, HasSubstr(path));
  EXPECT_THAT(store.error().message, HasSubstr("restore it from backup or move it aside"));
  EXPECT_THAT(store.error().message, HasSubstr("mamori will create a new one"));
  EXPECT_EQ(store.error().context, path);
}

TEST(OpenSqliteStoreTest, GarbageAfterValidHeaderIsCorrupt) {
  // Passes the header checks; SQLite itself must report the damage, and we must map it.
  TempDir dir;
  const std::string path = dir.File("mamori.db");
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store);
  }
  {
    std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(100);
    std::mt19937 rng(7);
    for (int i = 0; i < 3000; ++i) file.put(static_cast<char>(rng()));
  }
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt) << store.error().ToString();
  EXPECT_THAT(store.error().message, HasSubstr(path));
}

class TruncatedFileTest : public ::testing::TestWithParam<bool> {};

TEST_P(TruncatedFileTest, IsCorrupt) {
  const bool at_page_boundary = GetParam();
  TempDir dir;
  const std::string path = dir.File("mamori.db");
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store);
    auto source = (*store)->AddSource(MakeSource("big"));
    ASSERT_TRUE(source);
    std::vector<ListingEntry> entries;
    for (int i = 0; i < 5000; ++i) {
      entries.push_back(Entry(Domain("host" + std::to_string(i) + ".example")));
    }
    ASSERT_TRUE((*store)->ApplySnapshot(source->id, entries, 100));
  }
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));  // checkpointed on close
  const auto size = std::filesystem::file_size(path);
  ASSERT_GT(size, 16 * 4096u);
  std::filesystem::resize_file(path, at_page_boundary ? (size / 2) / 4096 * 4096 : size / 2 + 7);

  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
  EXPECT_THAT(store.error().message, HasSubstr(path));
  EXPECT_THAT(store.error().message, HasSubstr("truncated"));
}

INSTANTIATE_TEST_SUITE_P(PageBoundary, TruncatedFileTest, ::testing::Bool());

TEST(OpenSqliteStoreTest, TinyFileIsCorruptButEmptyFileIsNew) {
  TempDir dir;
  const std::string tiny = dir.File("tiny.db");
  { std::ofstream(tiny) << "SQLite"; }
  auto store = OpenSqliteStore(tiny);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);

  const std::string empty = dir.File("empty.db");
  { std::ofstream out(empty); }
  auto fresh = OpenSqliteStore(empty);
  ASSERT_TRUE(fresh) << fresh.error().ToString();
  EXPECT_EQ((*fresh)->Stats()->schema_version, LatestVersion());
}

TEST(OpenSqliteStoreTest, LockedFileIsBusyAtOpen) {
  TempDir dir;
  const std::string path = dir.File("mamori.db");
  ASSERT_TRUE(OpenSqliteStore(path));
  // Another process in rollback-journal mode holding an exclusive lock: nobody can even read.
  auto other = OpenRaw(path);
  ExecRaw(other.get(), "PRAGMA journal_mode = DELETE");
  ExecRaw(other.get(), "BEGIN EXCLUSIVE");
  ExecRaw(other.get(), "INSERT INTO allowlist (kind, value, created_at) VALUES ('value', 'x', 1)");

  SqliteOptions options;
  options.busy_timeout_ms = 50;
  auto store = OpenSqliteStore(path, options);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kBusy) << store.error().ToString();
  EXPECT_THAT(store.error().message, HasSubstr(path));
  EXPECT_THAT(store.error().message, HasSubstr("another mamori process is writing"));

  ExecRaw(other.get(), "ROLLBACK");
  auto retry = OpenSqliteStore(path, options);
  ASSERT_TRUE(retry) << retry.error().ToString();
}

TEST(OpenSqliteStoreTest, WriterHoldingTheLockMakesWritesBusyAndLosesNothing) {
  TempDir dir;
  const std::string path = dir.File("mamori.db");
  SqliteOptions options;
  options.busy_timeout_ms = 50;
  auto store = OpenSqliteStore(path, options);
  ASSERT_TRUE(store);
  auto source = (*store)->AddSource(MakeSource("feed"));
  ASSERT_TRUE(source);
  ASSERT_TRUE((*store)->ApplySnapshot(source->id, {Entry(Domain("a.example"))}, 100));

  auto other = OpenRaw(path);
  ExecRaw(other.get(), "BEGIN EXCLUSIVE");
  ExecRaw(other.get(), "INSERT INTO allowlist (kind, value, created_at) VALUES ('value', 'x', 1)");

  auto diff = (*store)->ApplySnapshot(source->id, {Entry(Domain("b.example"))}, 200);
  ASSERT_FALSE(diff);
  EXPECT_EQ(diff.error().code, ErrorCode::kBusy);
  EXPECT_THAT(diff.error().message, HasSubstr(path));
  EXPECT_THAT(diff.error().message, HasSubstr("stop it or wait"));
  // Readers are not blocked by a writer in WAL mode.
  auto listings = (*store)->CurrentListings(source->id);
  ASSERT_TRUE(listings) << listings.error().ToString();
  ASSERT_EQ(listings->size(), 1u);
  EXPECT_EQ((*listings)[0].indicator.value, "a.example");

  ExecRaw(other.get(), "COMMIT");
  diff = (*store)->ApplySnapshot(source->id, {Entry(Domain("b.example"))}, 200);
  ASSERT_TRUE(diff) << diff.error().ToString();
  EXPECT_EQ(diff->added, 1);
  EXPECT_EQ(diff->removed, 1);
  EXPECT_EQ((*store)->Stats()->allowlist_entries, 1);
}

TEST(OpenSqliteStoreTest, UncreatableDirectoryIsIo) {
  TempDir dir;
  const std::string blocker = dir.File("not-a-dir");
  { std::ofstream(blocker) << "x"; }
  const std::string path = blocker + "/sub/mamori.db";
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kIo);
  EXPECT_THAT(store.error().message, HasSubstr(blocker + "/sub"));
  EXPECT_EQ(store.error().context, path);
}

TEST(OpenSqliteStoreTest, MissingDirectoryWithoutCreateIsIo) {
  TempDir dir;
  const std::string path = dir.File("missing/mamori.db");
  SqliteOptions options;
  options.create_parent_directories = false;
  auto store = OpenSqliteStore(path, options);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kIo);
  EXPECT_THAT(store.error().message, HasSubstr(path));
  EXPECT_FALSE(std::filesystem::exists(dir.File("missing")));
}

TEST(OpenSqliteStoreTest, DirectoryAsPathIsIo) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.path().string());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kIo);
}

TEST(OpenSqliteStoreTest, InMemoryWorksAndIsPrivate) {
  auto a = OpenSqliteStore(":memory:");
  auto b = OpenSqliteStore(":memory:");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE((*a)->AddSource(MakeSource("only-in-a")));
  EXPECT_EQ((*a)->Stats()->sources, 1);
  EXPECT_EQ((*b)->Stats()->sources, 0);
  EXPECT_EQ((*a)->Stats()->schema_version, LatestVersion());
}

TEST(OpenSqliteStoreTest, EmptyPathIsInvalid) {
  auto store = OpenSqliteStore("");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace mamori::store
