// What one `mamori domain ingest` of a file did — shared by every evidence reader (passive DNS,
// popularity lists, zone snapshots, RDAP, labels) so the CLI prints and serializes them alike.
// A malformed line never stops an ingest: it is counted, its first few are kept with
// "file:line: reason", and the rest of the file goes on (docs/formats/*.md per format).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/domain_records.h"

namespace mamori::domain::ingest {

struct IngestOptions {
  // The snapshot's day for daily formats (popularity, zone, rdap); when absent it comes from a
  // YYYY-MM-DD in the file name, and a file with neither is refused.
  std::optional<store::Day> day;
  // The list ("tranco") or zone ("com") a snapshot belongs to; when empty it comes from the file
  // name (the part before the date: "tranco-2026-01-05.csv" → "tranco").
  std::string name;
  // Label source for label files; default: the file name.
  std::string source;
  // Called now and then with bytes read and the file's size (0 when unknown, e.g. stdin).
  std::function<void(int64_t done, int64_t total)> progress;
};

struct IngestReport {
  std::string file;
  std::string format;
  int64_t lines = 0;      // lines (or JSON documents) read
  int64_t records = 0;    // records accepted
  int64_t malformed = 0;  // lines refused (counted and skipped)
  int64_t ignored = 0;    // well-formed lines that carry nothing we keep (comments, headers, …)
  int64_t stored = 0;     // rows written or merged in the store
  std::vector<std::string> errors;  // the first kMaxErrors "file:line: reason"
  double seconds = 0;

  static constexpr size_t kMaxErrors = 20;
  void AddError(std::string where_and_why) {
    ++malformed;
    if (errors.size() < kMaxErrors) errors.push_back(std::move(where_and_why));
  }
};

}  // namespace mamori::domain::ingest
