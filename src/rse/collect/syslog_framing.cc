#include "rse/collect/syslog_framing.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace mamori::rse::collect {
namespace {

// Up to 9 digits is a plausible length; a run of digits this long without a space is not a
// length at all but the start of a non-transparent message (e.g. a bare timestamp).
constexpr size_t kMaxLengthDigits = 9;
constexpr size_t kDigitLookahead = 20;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

SyslogFramer::SyslogFramer(size_t max_message_bytes)
    : max_(std::max<size_t>(max_message_bytes, 1)) {}

void SyslogFramer::AppendBounded(std::string_view piece) {
  size_t room = max_ - std::min(max_, message_.size());
  if (piece.size() > room) {
    message_.append(piece.substr(0, room));
    truncated_ = true;
  } else {
    message_.append(piece);
  }
}

bool SyslogFramer::Emit(const OnMessage& on_message) {
  std::string_view text(message_);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == '\0')) {
    text.remove_suffix(1);
  }
  bool truncated = truncated_;
  bool counted = counted_;
  state_ = State::kStart;
  truncated_ = counted_ = false;
  if (text.empty()) {
    message_.clear();
    return true;
  }
  ++(counted ? octet_counted_ : non_transparent_);
  bool more = on_message(text, truncated);
  message_.clear();
  return more;
}

Expected<size_t> SyslogFramer::Feed(std::string_view data, const OnMessage& on_message) {
  size_t i = 0;
  while (i < data.size()) {
    switch (state_) {
      case State::kStart: {
        char c = data[i];
        if (digits_.empty() && (c == '\n' || c == '\r' || c == '\0')) {
          ++i;  // between messages
        } else if (IsDigit(c) && digits_.size() < kDigitLookahead) {
          digits_.push_back(c);
          ++i;
        } else if (c == ' ' && !digits_.empty()) {
          ++i;
          uint64_t length = 0;
          for (char d : digits_) length = length * 10 + static_cast<uint64_t>(d - '0');
          if (digits_.size() > kMaxLengthDigits || length == 0) {
            std::string bad = digits_;
            digits_.clear();
            return MakeError(ErrorCode::kInvalidArgument,
                             fmt::format("bad octet count \"{}\" in syslog TCP framing (RFC "
                                         "6587): expected a length of 1 to {} digits; the "
                                         "connection is closed, the sender should reconnect",
                                         bad, kMaxLengthDigits));
          }
          digits_.clear();
          remaining_ = length;
          counted_ = true;
          state_ = State::kOctets;
        } else {
          // Not a length: a non-transparent message that happens to begin with digits.
          state_ = State::kPlain;
          AppendBounded(digits_);
          digits_.clear();
        }
        break;
      }
      case State::kOctets: {
        size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, data.size() - i));
        AppendBounded(data.substr(i, take));
        i += take;
        remaining_ -= take;
        if (remaining_ == 0 && !Emit(on_message)) return i;
        break;
      }
      case State::kPlain: {
        const char* begin = data.data() + i;
        size_t avail = data.size() - i;
        const void* lf = std::memchr(begin, '\n', avail);
        size_t end = lf ? static_cast<size_t>(static_cast<const char*>(lf) - begin) : avail;
        const void* nul = std::memchr(begin, '\0', end);
        if (nul) end = static_cast<size_t>(static_cast<const char*>(nul) - begin);
        AppendBounded(std::string_view(begin, end));
        if (end == avail) {
          i = data.size();
        } else {
          i += end + 1;
          if (!Emit(on_message)) return i;
        }
        break;
      }
    }
  }
  return i;
}

Status SyslogFramer::Finish(const OnMessage& on_message) {
  Status status = Ok();
  if (state_ == State::kOctets) {
    status = MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("connection closed inside an octet-counted syslog message "
                                   "({} bytes missing); the message is lost",
                                   remaining_));
  } else if (state_ == State::kPlain || !digits_.empty()) {
    AppendBounded(digits_);
    Emit(on_message);
  }
  state_ = State::kStart;
  digits_.clear();
  message_.clear();
  remaining_ = 0;
  truncated_ = counted_ = false;
  return status;
}

}  // namespace mamori::rse::collect
