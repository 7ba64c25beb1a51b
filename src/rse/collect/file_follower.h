// FileFollower: follows one log file like `tail -F` and remembers, in the store, how far its
// lines have been processed, so a restart neither loses nor (beyond the last checkpoint)
// repeats a line.
//
// Polling, not inotify: the caller calls Poll() every 200–250 ms (one thread for all followed
// files is enough; a poll of an unchanged file costs two stat calls). Each Poll() delivers every
// complete new line to the callback, in file order, with the position just after it.
//
// Start() decides where to begin:
// - stored offset, same inode (the device may change across reboots), file at least that long,
//   same fingerprint → resume there;
// - stored inode no longer at `path` (rotated while we were stopped) → find the rotated file
//   among its siblings (`path.1`, `path.0`, `path-*`, `path.*`, by device/inode, uncompressed
//   only), read its remainder first, then `path` from 0; if it is gone, `path` from 0;
// - same inode but shorter than the offset, or a different fingerprint (truncated or replaced
//   while stopped) → from 0, counted as a truncation;
// - no stored offset → `start_at` (beginning by default; end skips what the file holds now, up
//   to its last newline). A file that appears later is always read from its beginning.
//
// While running:
// - `path` names another inode (rename rotation, delete + recreate): the old file is read to its
//   end, its unterminated last line delivered, then the new file is read from 0 (rotations);
// - the file became shorter than what we read, or its first bytes changed (copytruncate, even
//   when refilled past our offset between two polls): restart at 0 (truncations);
// - `path` missing: the open file (if any) is still read — writers may still append to it —
//   and `path` is retried every poll, quietly (missing_polls);
// - an unterminated last line is kept until its newline arrives (or the file is rotated away);
// - a line longer than `max_line_bytes` is delivered cut, flagged, counted (too_long).
//
// Checkpoints and what "at least once" means here: Checkpoint() stores the position after the
// last line delivered (or a position the caller passes, taken from a delivered line). The
// caller checkpoints after it has fully processed the lines up to that position. After a crash
// or restart the follower resumes at the last checkpoint: lines delivered after it are
// delivered again (the caller may see them twice), lines before it never again, and no line is
// skipped. Lines written to a rotated file after we finished reading it (a writer that reopens
// late) are not seen — as with `tail -F`.
//
// The fingerprint of a position is the FNV-1a 64 hash (16 hex digits) of the file's first
// min(offset, 1024) bytes: those bytes exist once the offset does and an appending writer never
// changes them, so it is stable for a growing file; empty for offset 0.
//
// Not thread-safe: one thread calls Start/Poll/Checkpoint. `store` may be null (no persistence).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "rse/collect/line_splitter.h"
#include "store/store.h"

namespace mamori::rse::collect {

struct FileFollowerOptions {
  enum class StartAt { kBeginning, kEnd };
  StartAt start_at = StartAt::kBeginning;  // only when the store has no offset for the file
  size_t max_line_bytes = 64 * 1024;       // as ingest::ParserOptions::max_line_bytes
  size_t read_block = 256 * 1024;
  // At most this many bytes per Poll(), so one huge backlog does not starve other files;
  // PollResult::more says there is more to read now.
  uint64_t max_bytes_per_poll = 16 * 1024 * 1024;
};

// Where a delivered line ends: the file (device, inode) and the byte offset just after it.
struct FilePosition {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t offset = 0;
};

struct FileLine {
  FilePosition position;
  bool too_long = false;   // cut at max_line_bytes
  bool from_rotated = false;  // read from the previous file after a rotation
};

using LineCallback = std::function<void(std::string_view line, const FileLine& info)>;

struct PollResult {
  uint64_t lines = 0;
  uint64_t bytes = 0;
  bool more = false;  // stopped at max_bytes_per_poll; poll again without waiting
};

// How Start() chose where to begin (for logs and tests).
enum class StartDecision {
  kNoOffset,            // nothing stored: start_at
  kResumed,             // same file, resumed at the stored offset
  kRotatedWhileStopped, // remainder of the rotated file first, then the new file from 0
  kRotatedFileLost,     // stored file no longer found: the new file from 0
  kTruncatedWhileStopped,  // same inode but shorter, or other first bytes: from 0
  kMissing,             // the file does not exist (yet): it will be read from 0 when it appears
};
std::string_view StartDecisionName(StartDecision decision);

// The fingerprint of a position whose file starts with `first_bytes` (only the first 1024
// count): FNV-1a 64 as 16 hex digits, "" for no bytes.
std::string OffsetFingerprint(std::string_view first_bytes);

struct FileFollowerCounters {
  uint64_t lines = 0;
  uint64_t bytes = 0;  // read from files, including the skipped parts of too-long lines
  uint64_t rotations = 0;
  uint64_t truncations = 0;  // while running and while stopped
  uint64_t too_long = 0;
  uint64_t missing_polls = 0;  // polls that found no file at `path`
  uint64_t open_errors = 0;    // other failures to open or read (permissions, I/O)
  uint64_t checkpoints = 0;
  uint64_t resumed_from_offset = 0;  // the stored offset Start() resumed at (0 otherwise)
};

class FileFollower {
 public:
  // `path` is made absolute; the store key is "file:" + that absolute path.
  FileFollower(std::string path, store::Store* store, Clock& clock,
               FileFollowerOptions options = {});
  ~FileFollower();
  FileFollower(const FileFollower&) = delete;
  FileFollower& operator=(const FileFollower&) = delete;

  // Reads the stored offset and decides where to begin (see above). A missing file is not an
  // error. Errors: the store cannot be read; the file exists but cannot be opened (names the
  // path and what to do).
  Status Start();

  // Delivers every complete new line. A missing file is not an error (counted). Errors: the
  // file cannot be opened or read — it is retried on the next poll; log the error, do not stop.
  Expected<PollResult> Poll(const LineCallback& on_line);

  // Stores the position after the last delivered line. Call it only once every delivered line
  // has been processed. Nothing delivered yet: stores the starting position.
  Status Checkpoint();
  // Stores `upto` (the position of a delivered line, all lines up to it processed). It must
  // belong to the current file or to the one rotated away before it.
  Status Checkpoint(const FilePosition& upto);

  const std::string& path() const { return path_; }
  const std::string& input() const { return input_; }  // "file:/abs/path"
  StartDecision start_decision() const { return start_decision_; }
  const FileFollowerCounters& counters() const { return counters_; }
  // The position after the last delivered line (the resume point before any delivery).
  FilePosition position() const { return last_delivered_; }

 private:
  // The first bytes of one file (up to kHeadBytes), as far as they exist: the fingerprint input.
  struct FileHead {
    uint64_t device = 0;
    uint64_t inode = 0;
    std::string bytes;
  };
  struct OpenFile;

  // Opens `path_`: nullptr when it does not exist. Reads its head.
  Expected<std::unique_ptr<OpenFile>> OpenPath();
  // Reads `file` from its offset; with `finish`, to its end, then delivers its unterminated last
  // line. Returns true when the end was reached (false: max_bytes_per_poll stopped it).
  Expected<bool> Drain(OpenFile& file, bool finish, bool from_rotated, const LineCallback& on_line,
                       PollResult& result);
  Status CheckCurrent(const LineCallback& on_line, PollResult& result);  // rotation, truncation
  Status RestartAtZero(OpenFile& file, const LineCallback& on_line, PollResult& result);
  const FileHead* FindHead(uint64_t device, uint64_t inode) const;
  std::optional<std::string> FindRotatedSibling(uint64_t device, uint64_t inode) const;
  Status StartFromStored(const store::CollectorOffset& stored);

  std::string path_;
  std::string input_;
  store::Store* store_;
  Clock& clock_;
  FileFollowerOptions options_;

  std::unique_ptr<OpenFile> current_;
  std::unique_ptr<OpenFile> rotated_;  // the previous file, read to its end before current_
  std::optional<FileHead> finished_;   // the rotated file's head after it was read to its end
  std::vector<char> buffer_;
  FilePosition last_delivered_;
  std::optional<store::CollectorOffset> last_saved_;
  StartDecision start_decision_ = StartDecision::kNoOffset;
  FileFollowerCounters counters_;
  bool started_ = false;
};

}  // namespace mamori::rse::collect
