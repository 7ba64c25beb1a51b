// What the lifecycle readers share: the list/zone name and snapshot day a file name carries
// ("tranco-2026-01-05.csv" → "tranco", 2026-01-05), UTC day arithmetic, and a line reader that
// numbers lines and reports progress so every reader says "file:line: reason" the same way.
// Stateless functions are thread-safe; a LineReader belongs to one thread.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "domain/ingest/report.h"
#include "store/domain_records.h"

namespace mamori::domain::lifecycle {

// The parts of a snapshot file's name. "tranco-2026-01-05.csv" → {"tranco", day};
// "com.zone" → {"com", nullopt}; "2026-01-05.csv" → {"", day}. Extensions (.csv .txt .zone
// .json .jsonl) are dropped; the name is lower-cased.
struct FileNameParts {
  std::string name;
  std::optional<store::Day> day;
};
FileNameParts ParseSnapshotFileName(std::string_view path);

// "2026-01-05" → its day; nullopt when not a valid date.
std::optional<store::Day> ParseDay(std::string_view text);
std::string DayText(store::Day day);
inline UnixSeconds DayStart(store::Day day) { return static_cast<UnixSeconds>(day) * 86400; }

// The snapshot day: options.day, else the file name's date; kInvalidArgument naming the file
// when neither gives one.
Expected<store::Day> SnapshotDay(const std::string& path, const ingest::IngestOptions& options);

// Reads a file line by line (LF or CRLF), counting lines into report.lines and calling
// options.progress every few thousand lines.
class LineReader {
 public:
  static Expected<LineReader> Open(const std::string& path, const ingest::IngestOptions& options,
                                   ingest::IngestReport& report);
  LineReader(LineReader&&) = default;

  // The next line without its end of line; false at the end of the file.
  bool Next(std::string& line);
  int64_t line_number() const { return line_number_; }
  // "file:line: why" counted as a malformed line in the report.
  void Malformed(std::string_view why);
  // Final progress call; kIo when reading stopped on an error rather than at the end.
  Status Finish();

 private:
  LineReader(std::string path, std::ifstream in, int64_t size,
             const ingest::IngestOptions& options, ingest::IngestReport& report)
      : path_(std::move(path)), in_(std::move(in)), size_(size), options_(&options),
        report_(&report) {}

  std::string path_;
  std::ifstream in_;
  int64_t size_ = 0;
  int64_t done_ = 0;
  int64_t line_number_ = 0;
  const ingest::IngestOptions* options_;
  ingest::IngestReport* report_;
};

// Splits `line` at `sep` into at most `max` fields (views into line), trimming spaces and one
// pair of surrounding double quotes from each.
std::vector<std::string_view> SplitFields(std::string_view line, char sep, size_t max = 64);
std::string_view Trim(std::string_view s);
std::string Lower(std::string_view s);

}  // namespace mamori::domain::lifecycle
