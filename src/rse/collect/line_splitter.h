// LineSplitter: cuts a byte stream that arrives in pieces (reads of a growing file, of stdin)
// into lines, and says for each line the stream offset just after it.
//
// Conventions are those of ingest::LineReader: a line is returned without its "\n" or "\r\n"; a
// line longer than `max_line_bytes` is returned cut to that length with `too_long` set and the
// rest of it, up to its newline, is skipped — memory is bounded by `max_line_bytes` whatever
// the input. Unlike LineReader, a last line without a newline is *not* a line until Flush():
// in a followed file it is usually a line still being written.
//
// A cut line is delivered when its newline arrives, not when the cut happens, so the offset it
// reports is always the start of the next line (a restart there never yields a fragment).
//
// Feed(data, on_line) calls on_line(std::string_view line, uint64_t end_offset, bool too_long)
// for every line completed by `data`; the view is valid only during the call. Not thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace mamori::rse::collect {

class LineSplitter {
 public:
  explicit LineSplitter(size_t max_line_bytes, uint64_t start_offset = 0)
      : max_(max_line_bytes == 0 ? 1 : max_line_bytes),
        offset_(start_offset),
        line_start_(start_offset) {}

  template <typename OnLine>
  void Feed(std::string_view data, OnLine&& on_line) {
    size_t pos = 0;
    while (pos < data.size()) {
      const void* hit = std::memchr(data.data() + pos, '\n', data.size() - pos);
      if (hit == nullptr) {
        Append(data.substr(pos));
        offset_ += data.size() - pos;
        return;
      }
      size_t nl = static_cast<size_t>(static_cast<const char*>(hit) - data.data());
      uint64_t after = offset_ + (nl - pos) + 1;
      if (partial_.empty() && !cut_) {
        Emit(data.substr(pos, nl - pos), after, on_line);  // no copy in the common case
      } else {
        Append(data.substr(pos, nl - pos));
        Emit(partial_, after, on_line);
      }
      offset_ = line_start_ = after;
      pos = nl + 1;
    }
  }

  // Delivers the unterminated last line, if any (the stream or file has ended for good).
  template <typename OnLine>
  bool Flush(OnLine&& on_line) {
    if (!has_partial()) return false;
    Emit(partial_, offset_, on_line);
    line_start_ = offset_;
    return true;
  }

  // Forgets any partial line; the next byte fed is at `offset`.
  void Reset(uint64_t offset) {
    partial_.clear();
    cut_ = false;
    offset_ = line_start_ = offset;
  }

  uint64_t offset() const { return offset_; }          // after every byte fed so far
  uint64_t line_start() const { return line_start_; }  // after the last complete line
  bool has_partial() const { return offset_ > line_start_; }

 private:
  // Keeps at most max_ + 1 bytes of a partial line: one more than the cap, so a line of exactly
  // max_ bytes followed by "\r\n" is not mistaken for a too-long one.
  void Append(std::string_view piece) {
    if (cut_) return;
    size_t room = max_ + 1 - partial_.size();
    if (piece.size() > room) {
      partial_.append(piece.substr(0, room));
      cut_ = true;
    } else {
      partial_.append(piece);
    }
  }

  template <typename OnLine>
  void Emit(std::string_view line, uint64_t end_offset, OnLine& on_line) {
    bool too_long = cut_;
    if (!too_long && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > max_) {
      line = line.substr(0, max_);
      too_long = true;
    }
    on_line(line, end_offset, too_long);
    partial_.clear();
    cut_ = false;
  }

  size_t max_;
  uint64_t offset_;
  uint64_t line_start_;
  std::string partial_;
  bool cut_ = false;  // the partial line went past the cap; the rest up to "\n" is skipped
};

}  // namespace mamori::rse::collect
