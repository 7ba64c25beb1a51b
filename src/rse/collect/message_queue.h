// MessageQueue: the bounded hand-off between the collector's receiving threads (syslog sockets,
// stdin) and the one pipeline thread that parses and evaluates what they received.
//
// Contract:
// - Many producers, one consumer. All methods are thread-safe.
// - It never grows beyond `capacity` messages: memory stays bounded whatever arrives.
// - TryPush() never blocks. When the queue is full (or closed) the message is discarded and
//   counted in `dropped_full` (or `dropped_closed`): a producer that must not stall — a UDP
//   socket thread — uses it, and the loss is measured, never silent.
// - TryPushOrHold() never blocks either, but on a full queue leaves the message with the caller
//   (counted in `held_full`, not as a drop) so a producer that can apply back-pressure (a TCP
//   connection, stdin) keeps it and retries later.
// - PopBatch() moves up to `max` messages out, in push order, waiting at most `timeout` for the
//   first; it returns 0 on timeout, and 0 immediately once the queue is closed and empty.
// - Close() wakes the consumer; later pushes fail. Messages already queued can still be popped.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"

namespace mamori::rse::collect {

enum class Transport { kUdp, kTcp, kStdin, kFile };

// "udp", "tcp", "stdin", "file".
std::string_view TransportName(Transport transport);

// One received log message, as the receiving side saw it; parsing happens on the consumer.
struct Message {
  std::string text;          // without the framing and the trailing "\n", "\r\n" or NUL
  UnixSeconds received_at = 0;  // from the listener's Clock
  std::string peer;          // sender "127.0.0.1:51234" / "[::1]:51234"; empty for stdin
  std::string input;         // where it came in: "syslog-udp:0.0.0.0:5514", "stdin"
  Transport transport = Transport::kUdp;
  bool truncated = false;    // cut at the source's maximum message size
};

struct MessageQueueCounters {
  uint64_t pushed = 0;
  uint64_t popped = 0;
  uint64_t dropped_full = 0;    // TryPush() on a full queue
  uint64_t dropped_closed = 0;  // any push after Close()
  uint64_t held_full = 0;       // TryPushOrHold() on a full queue (the producer kept it)
  size_t size = 0;              // messages waiting now
  size_t high_water = 0;        // most messages ever waiting at once
  size_t capacity = 0;
};

class MessageQueue {
 public:
  explicit MessageQueue(size_t capacity);
  MessageQueue(const MessageQueue&) = delete;
  MessageQueue& operator=(const MessageQueue&) = delete;

  // False when the message was dropped (queue full or closed); counted.
  bool TryPush(Message message);
  // False when the queue is full (the message is left untouched in `message`) or closed (the
  // message is left too, and counted as dropped_closed: the caller should give up).
  bool TryPushOrHold(Message& message);
  // Appends up to `max` messages to `out`; waits up to `timeout` for the first one.
  size_t PopBatch(std::vector<Message>* out, size_t max, std::chrono::milliseconds timeout);
  void Close();

  bool closed() const;
  MessageQueueCounters counters() const;

 private:
  void PushLocked(Message& message);  // requires mu_, not full, not closed

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_;
  std::deque<Message> items_;
  bool closed_ = false;
  MessageQueueCounters counters_;
};

}  // namespace mamori::rse::collect
