// Helpers shared by the SQLite store tests: a temporary directory removed at the end of the
// test, a raw sqlite3 connection for poking at a store file from "another process", and short
// constructors for indicators and listing entries. Test-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/test_temp_dir.h"
#include "store/records.h"

namespace mamori::store::testing {

using TempDir = mamori::testing::TempDir;

struct RawCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using RawDb = std::unique_ptr<sqlite3, RawCloser>;

// A second, independent connection to the file (as another process would have).
inline RawDb OpenRaw(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  RawDb owned(db);
  EXPECT_EQ(rc, SQLITE_OK) << path;
  return owned;
}

// Runs `sql` and returns sqlite3_exec's result code (failing the test on error unless
// `expect_ok` is false).
inline int ExecRaw(sqlite3* db, const std::string& sql, bool expect_ok = true) {
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  if (expect_ok) {
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (message ? message : "");
  }
  sqlite3_free(message);
  return rc;
}

// The first column of the first row of `sql` as text ("" when there is no row).
inline std::string QueryRaw(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sql << ": " << sqlite3_errmsg(db);
  std::string out;
  if (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) out = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(stmt);
  return out;
}

inline Indicator Domain(std::string value) { return {IndicatorType::kDomain, std::move(value)}; }
inline Indicator Ipv4(std::string value) { return {IndicatorType::kIpv4, std::move(value)}; }
inline Indicator CidrIndicator(std::string value) {
  return {IndicatorType::kCidr, std::move(value)};
}

inline ListingEntry Entry(Indicator indicator, std::string category = {}, int confidence = -1) {
  return ListingEntry{std::move(indicator), std::move(category), confidence};
}

inline FetchRecord Fetch(UnixSeconds attempted_at, std::string status, std::string error = {},
                         std::string etag = {}, std::string last_modified = {}) {
  return FetchRecord{attempted_at, std::move(status), std::move(error), std::move(etag),
                     std::move(last_modified)};
}

inline Sighting MakeSighting(Indicator indicator, UnixSeconds observed_at,
                             std::string observer = {}, int64_t count = 1,
                             std::string context_json = "{}") {
  return Sighting{0,     std::move(indicator),   observed_at, std::move(observer),
                  count, std::move(context_json)};
}

inline AllowlistEntry Allow(std::string kind, std::string value, std::string reason = {},
                            UnixSeconds created_at = 0, UnixSeconds expires_at = 0) {
  return AllowlistEntry{0,          std::move(kind), std::move(value), std::move(reason),
                        created_at, expires_at};
}

}  // namespace mamori::store::testing
