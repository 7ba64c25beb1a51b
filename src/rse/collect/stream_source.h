// StreamSource: reads lines from a stream — stdin, normally (`tail -F x | mamori collect -`, or
// `journalctl -f | ...`) — on its own thread and hands each line to a MessageQueue.
//
// Lines follow LineSplitter's conventions (no "\n"/"\r\n", cut at `max_line_bytes` and flagged
// `truncated`, counted); the unterminated last line is delivered at end of stream.
// A full queue applies back-pressure: the line is held and retried every `retry`, and the
// stream is not read meanwhile, so the writer blocks on its pipe instead of lines being lost
// (nothing forces a local pipe to drop). `done()` turns true at end of stream (or on a read
// error, kept in `error()`); Stop() ends it early (a held line is then counted as
// `dropped_at_stop`). Messages carry transport kStdin, input `name` and no peer.
//
// Thread-safety: counters(), done() and error() from any thread; Stop() from one thread (also
// run by the destructor). The fd is not closed (stdin is not ours to close).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/error.h"
#include "rse/collect/message_queue.h"

namespace mamori::rse::collect {

struct StreamSourceOptions {
  std::string name = "stdin";  // Message::input
  size_t max_line_bytes = 64 * 1024;
  std::chrono::milliseconds retry{20};
};

struct StreamSourceCounters {
  uint64_t lines = 0;
  uint64_t bytes = 0;
  uint64_t too_long = 0;
  uint64_t backpressure_waits = 0;
  uint64_t dropped_at_stop = 0;
};

class StreamSource {
 public:
  // Reads `fd` (0 for stdin). `queue` and `clock` must outlive the source.
  static Expected<std::unique_ptr<StreamSource>> Start(int fd, const StreamSourceOptions& options,
                                                       MessageQueue& queue, Clock& clock);
  ~StreamSource();
  StreamSource(const StreamSource&) = delete;
  StreamSource& operator=(const StreamSource&) = delete;

  void Stop();
  bool done() const { return done_; }
  std::optional<Error> error() const;
  StreamSourceCounters counters() const;

 private:
  StreamSource(int fd, const StreamSourceOptions& options, MessageQueue& queue, Clock& clock);
  void Run();
  // Pushes with back-pressure; false when stopping (the line is then dropped and counted).
  bool Deliver(std::string_view line, bool too_long);

  int fd_;
  StreamSourceOptions options_;
  MessageQueue& queue_;
  Clock& clock_;
  int wake_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> done_{false};
  std::atomic<uint64_t> lines_{0}, bytes_{0}, too_long_{0}, waits_{0}, dropped_{0};
  mutable std::mutex error_mu_;
  std::optional<Error> error_;
  std::thread thread_;
};

}  // namespace mamori::rse::collect
