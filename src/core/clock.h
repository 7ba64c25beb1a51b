// Time source for everything in mamori that reads "now" or waits.
//
// Production code receives a `Clock&` (normally `SystemClock::Instance()`); tests pass a
// `FakeClock` and move time by hand, so listing intervals, decay and schedules are tested
// without sleeping. Times are Unix seconds (int64) everywhere they are stored.
// SystemClock is thread-safe; FakeClock is thread-safe (atomic), and its SleepFor advances time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace mamori {

using UnixSeconds = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixSeconds Now() const = 0;
  // Waits `seconds` of this clock's time (a fake clock just advances).
  virtual void SleepFor(std::chrono::milliseconds duration) = 0;
};

class SystemClock final : public Clock {
 public:
  static SystemClock& Instance();
  UnixSeconds Now() const override;
  void SleepFor(std::chrono::milliseconds duration) override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixSeconds start = 1'700'000'000) : now_(start) {}
  UnixSeconds Now() const override { return now_.load(); }
  void SleepFor(std::chrono::milliseconds duration) override {
    now_ += std::chrono::duration_cast<std::chrono::seconds>(duration).count();
  }
  void Advance(std::chrono::seconds by) { now_ += by.count(); }
  void Set(UnixSeconds t) { now_ = t; }

 private:
  std::atomic<UnixSeconds> now_;
};

// "2026-11-29T23:36:12Z"
std::string FormatIso8601(UnixSeconds t);
// Parses RFC 3339 / ISO 8601 UTC timestamps ("2026-11-29T23:36:12Z", with optional fraction and
// offset, or a bare date "2026-11-29"), and plain Unix seconds. Returns -1 when unparseable.
UnixSeconds ParseTimestamp(std::string_view text);

}  // namespace mamori
