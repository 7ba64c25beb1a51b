// LineSource: the lines of a passive DNS file, plain or gzip (zlib's gzread reads both, and
// concatenated gzip members), or stdin for "-". Private to domain/pdns.
//
// Why not rse/ingest/line_reader.h: rse depends on domain, not the other way round. This one is
// smaller (gzread does the sniffing) and keeps SIMDJSON_PADDING readable bytes after every line,
// so a JSON parser can read the line in place without a copy.
//
// A line is returned without "\n" or "\r\n"; a last line without a newline is still a line. A
// line longer than max_line_bytes is reported with `too_long` (its text is cut) and the rest of
// it skipped. Views are valid until the next Next(). Not thread-safe; one per input.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mamori::domain::pdns::internal {

class LineSource {
 public:
  static constexpr size_t kPadding = 64;  // >= simdjson::SIMDJSON_PADDING

  // "-" is stdin. Errors: kNotFound / kIo naming the file.
  static Expected<std::unique_ptr<LineSource>> Open(const std::string& path,
                                                    size_t max_line_bytes = 1 << 20);
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  // Sets `line` to the next line; false at the end. Errors: kCorrupt (bad or truncated gzip),
  // kIo.
  Expected<bool> Next(std::string_view& line, bool& too_long);

  int64_t line_number() const { return line_number_; }  // of the last line returned, from 1
  const std::string& name() const { return name_; }     // the path, or "stdin"
  int64_t bytes_read() const;                           // of the file (compressed) so far
  int64_t size() const { return size_; }                // 0 when unknown (stdin, pipes)

 private:
  LineSource(std::string name, gzFile file, int64_t size, size_t max_line_bytes);
  Expected<size_t> Fill();

  std::string name_;
  gzFile file_;
  int64_t size_;
  size_t max_line_bytes_;
  std::vector<char> buffer_;  // data in [start_, end_), kPadding spare bytes after capacity
  size_t capacity_;
  size_t start_ = 0;
  size_t scan_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool skipping_ = false;  // inside the rest of a line already returned cut
  int64_t line_number_ = 0;
};

}  // namespace mamori::domain::pdns::internal
