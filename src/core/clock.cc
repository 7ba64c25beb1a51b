#include "core/clock.h"

#include <charconv>
#include <ctime>
#include <thread>

namespace mamori {

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

UnixSeconds SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SystemClock::SleepFor(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

std::string FormatIso8601(UnixSeconds t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

bool ReadInt(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  // Digits only: from_chars would accept a '-' and let "T-1:00:00" through as an hour.
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return r.ec == std::errc() && r.ptr == s.data() + pos + len;
}

}  // namespace

UnixSeconds ParseTimestamp(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"')) s.remove_suffix(1);
  if (s.empty()) return -1;
  // Plain Unix seconds.
  if (s.find_first_not_of("0123456789") == std::string_view::npos) {
    int64_t v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() ? v : -1;
  }
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!ReadInt(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !ReadInt(s, 5, 2, month) ||
      s[7] != '-' || !ReadInt(s, 8, 2, day)) {
    return -1;
  }
  size_t pos = 10;
  int64_t offset_seconds = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ' || s[pos] == 't')) {
    if (!ReadInt(s, pos + 1, 2, hour) || s.size() < pos + 9 || s[pos + 3] != ':' ||
        !ReadInt(s, pos + 4, 2, minute) || s[pos + 6] != ':' ||
        !ReadInt(s, pos + 7, 2, second)) {
      return -1;
    }
    pos += 9;
    if (pos < s.size() && s[pos] == '.') {
      size_t digits_start = ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == digits_start) return -1;
    }
    if (pos < s.size()) {
      char c = s[pos];
      if (c == 'Z' || c == 'z') {
        ++pos;
      } else if (c == '+' || c == '-') {
        // "+hh", "+hhmm" or "+hh:mm", and nothing after it.
        int oh = 0, om = 0;
        if (!ReadInt(s, pos + 1, 2, oh)) return -1;
        size_t mpos = pos + 3;
        if (mpos < s.size() && s[mpos] == ':') ++mpos;
        if (mpos < s.size() || s[mpos - 1] == ':') {
          if (!ReadInt(s, mpos, 2, om)) return -1;
          mpos += 2;
        }
        if (oh > 23 || om > 59) return -1;
        offset_seconds = (oh * 3600 + om * 60) * (c == '+' ? 1 : -1);
        pos = mpos;
      }
    }
  }
  if (pos != s.size()) return -1;
  // timegm() would silently roll "02-30" into March; reject days the month does not have.
  static constexpr int kDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDaysInMonth[month - 1] || hour > 23 ||
      minute > 59 || second > 60) {
    return -1;
  }
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return -1;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<UnixSeconds>(timegm(&tm)) - offset_seconds;
}

}  // namespace mamori
