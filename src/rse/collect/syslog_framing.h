// SyslogFramer: splits the byte stream of one syslog-over-TCP connection into messages
// (RFC 6587), deciding the framing of each message by its first bytes:
// - octet counting, "MSG-LEN SP MSG" (RFC 5425/6587 §3.4.1), when the message starts with
//   digits followed by a space;
// - otherwise non-transparent framing (§3.4.2): the message ends at LF (or NUL, which some
//   senders use); a trailing CR is removed.
// Both may alternate on one connection. LF, CR and NUL between messages are skipped, and empty
// messages are not delivered.
//
// Limits: a message longer than `max_message_bytes` is delivered cut, with `truncated` set, and
// the framing stays in step (the octet count, or the next LF, says where the next message
// begins). A length of 0 or of 10 digits or more (a gigabyte; no real sender) is a framing error:
// the stream cannot be trusted any more and the caller closes the connection.
//
// Feed() delivers messages through `on_message(text, truncated)`; when that returns false the
// framer stops right after that message and returns how many bytes it consumed, so a caller
// that cannot take more (a full queue) can keep the rest and feed it again later. The view is
// valid only during the call. Not thread-safe; one framer per connection.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace mamori::rse::collect {

class SyslogFramer {
 public:
  using OnMessage = std::function<bool(std::string_view text, bool truncated)>;

  explicit SyslogFramer(size_t max_message_bytes);

  // Consumes `data` up to its end, or up to the end of a message `on_message` refused.
  // Errors: kInvalidArgument for a bad octet count (close the connection).
  Expected<size_t> Feed(std::string_view data, const OnMessage& on_message);
  // The connection has ended: delivers an unterminated non-transparent message. Errors:
  // kInvalidArgument when it ended inside an octet-counted message (that message is lost).
  // The framer is reset either way.
  Status Finish(const OnMessage& on_message);

  // Octet-counted and non-transparent messages delivered so far (for counters and tests).
  uint64_t octet_counted() const { return octet_counted_; }
  uint64_t non_transparent() const { return non_transparent_; }

 private:
  enum class State { kStart, kOctets, kPlain };
  void AppendBounded(std::string_view piece);
  bool Emit(const OnMessage& on_message);  // returns on_message's answer (true when skipped)

  size_t max_;
  State state_ = State::kStart;
  std::string digits_;      // a possible MSG-LEN seen at the start of a message
  uint64_t remaining_ = 0;  // octets left in the current octet-counted message
  std::string message_;     // at most max_ bytes of the current message
  bool truncated_ = false;
  bool counted_ = false;    // the current message is octet-counted
  uint64_t octet_counted_ = 0;
  uint64_t non_transparent_ = 0;
};

}  // namespace mamori::rse::collect
