// LineReader: the lines of a log file, a gzip'd log file (detected by its magic bytes, not its
// name: rotated logs are "auth.log.2.gz" but also piped in) or stdin, read in big blocks — no
// system call per line.
//
// A line is returned without its "\n" or "\r\n"; a last line without a newline is still a line.
// A line longer than `max_line_bytes` is returned cut to that length with `too_long` set, and the
// rest of it is skipped: one giant line cannot hold unbounded memory. The returned view is valid
// until the next call to Next().
//
// Not thread-safe; one reader per input.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mamori::rse::ingest {

// Where bytes come from: a file descriptor, or zlib inflating one.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes; 0 at the end.
  virtual Expected<size_t> Read(char* out, size_t size) = 0;
};

class LineReader {
 public:
  // "-" is stdin. Errors: kNotFound / kIo naming the file.
  static Expected<std::unique_ptr<LineReader>> Open(const std::string& path,
                                                    size_t max_line_bytes = 64 * 1024);
  // Over bytes already in memory (tests, fuzzing); gzip is detected the same way.
  static std::unique_ptr<LineReader> FromString(std::string data,
                                                size_t max_line_bytes = 64 * 1024);
  ~LineReader();

  // Sets `line` to the next line; false at the end of input. `too_long` says the line was cut.
  // Errors: kIo (read failed), kCorrupt (bad or truncated gzip data).
  Expected<bool> Next(std::string_view& line, bool& too_long);

  uint64_t line_number() const { return line_number_; }  // of the line last returned, from 1
  bool gzip() const { return gzip_; }
  // Bytes of the input consumed so far and its size (0 when unknown: stdin, pipes), for progress.
  uint64_t input_bytes() const;
  uint64_t input_size() const { return input_size_; }
  const std::string& name() const { return name_; }

 private:
  LineReader(std::string name, int fd, bool owns_fd, size_t max_line_bytes);
  Expected<void> Start(std::string initial);  // sniffs gzip on the first bytes
  Expected<size_t> Fill();                    // reads more after end_; 0 at the end

  std::string name_;
  int fd_ = -1;
  bool owns_fd_ = false;
  size_t max_line_bytes_;
  std::unique_ptr<ByteSource> source_;
  std::shared_ptr<uint64_t> raw_bytes_;  // bytes read from the fd (shared with the source)
  uint64_t input_size_ = 0;
  bool gzip_ = false;

  std::vector<char> buffer_;
  size_t start_ = 0;  // start of the current line
  size_t scan_ = 0;   // where the newline search resumes
  size_t end_ = 0;    // end of valid data
  bool eof_ = false;
  bool discard_ = false;   // drop the buffered part of a cut line on the next call
  bool skipping_ = false;  // inside the rest of a cut line, up to its newline
  uint64_t line_number_ = 0;
};

}  // namespace mamori::rse::ingest
