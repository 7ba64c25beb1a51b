// Small scanning helpers shared by the hand-written text log parsers (access logs, syslog family,
// web server error logs): a cursor over a string_view, fixed-width number and time parsing, and
// the word tests the parsers need. Everything works on views into the line and allocates nothing,
// which is why these exist instead of regexes (the ingest speed goal of issue 8 is measured in
// bench/ingest_bench.cc). Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/clock.h"
#include "rse/ingest/event.h"

namespace mamori::rse::ingest::scan {

// A read position in a line. Methods that "eat" advance only when they succeed.
struct Cursor {
  std::string_view text;
  size_t pos = 0;

  bool AtEnd() const { return pos >= text.size(); }
  char Peek() const { return pos < text.size() ? text[pos] : '\0'; }
  std::string_view Rest() const { return text.substr(pos < text.size() ? pos : text.size()); }
  bool Eat(char c) {
    if (pos < text.size() && text[pos] == c) return ++pos, true;
    return false;
  }
  bool Eat(std::string_view s) {
    if (text.substr(pos < text.size() ? pos : text.size()).starts_with(s)) {
      pos += s.size();
      return true;
    }
    return false;
  }
  void SkipSpaces() {
    while (pos < text.size() && text[pos] == ' ') ++pos;
  }
  // Up to the next space (or the end); does not eat the space.
  std::string_view Token() {
    size_t start = pos;
    while (pos < text.size() && text[pos] != ' ') ++pos;
    return text.substr(start, pos - start);
  }
  // Up to `c` (exclusive), eating `c`; nullopt-like empty + false when `c` is missing.
  bool Until(char c, std::string_view& out) {
    size_t end = text.find(c, pos);
    if (end == std::string_view::npos) return false;
    out = text.substr(pos, end - pos);
    pos = end + 1;
    return true;
  }
  // A double-quoted string in access-log style: `\"` and `\\` do not end it. Returns the content
  // as written (escapes kept) and eats both quotes.
  bool Quoted(std::string_view& out);
};

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}
// Exactly `s` as a non-negative decimal number (at most 9 digits); -1 when not.
int ParseDigits(std::string_view s);
// "Jan".."Dec" → 1..12, 0 when not a month abbreviation.
int MonthFromAbbrev(std::string_view s);

// "10/Oct/2000:13:55:36 -0700" (common log format, brackets removed) → UTC micros, 0 if invalid.
UnixMicros ParseClfTime(std::string_view s);
// RFC 3339 / ISO 8601: "2003-10-11T22:14:15.003Z", "...+02:00", "...+0200", also a space instead
// of 'T'. A time without zone is UTC. Returns 0 if invalid.
UnixMicros ParseIsoTime(std::string_view s);
// Leading RFC 3339 time of `s`: how many bytes it takes (up to the next space), 0 if none.
size_t IsoTimeLength(std::string_view s);

// A year-less syslog date (month/day/time in UTC) placed in the year of `now`, or in the year
// before when that would put it more than a day after `now` (a December line read in January).
UnixMicros YearlessTime(int month, int day, int hour, int minute, int second, int micros,
                        UnixSeconds now);

// Looks like an IPv4/IPv6 address as logs write it (hex digits, dots, colons; at least one dot or
// colon; optional [brackets]). Cheap pre-check, not validation: "192.030.0.6" passes.
bool LooksLikeIp(std::string_view s);

// ASCII case-insensitive search for `word` as a whole word (not inside a longer [A-Za-z0-9_] run).
bool ContainsWordNoCase(std::string_view text, std::string_view word);

// Strict UTF-8 validity (no overlongs, no surrogates); ASCII fast path.
bool IsValidUtf8(std::string_view s);

// Removes trailing spaces.
inline std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
// "-" and "" are absent values in logs: returns "" for them.
inline std::string_view Present(std::string_view s) { return s == "-" ? std::string_view{} : s; }

}  // namespace mamori::rse::ingest::scan
