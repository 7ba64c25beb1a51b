#include "rse/ingest/parsers/log_scan.h"

#include <cstring>

namespace mamori::rse::ingest::scan {

bool Cursor::Quoted(std::string_view& out) {
  if (!Eat('"')) return false;
  size_t start = pos;
  while (pos < text.size()) {
    const void* hit = std::memchr(text.data() + pos, '"', text.size() - pos);
    if (hit == nullptr) return false;
    size_t quote = static_cast<const char*>(hit) - text.data();
    // Count the backslashes before the quote: an odd number escapes it.
    size_t backslashes = 0;
    while (quote - backslashes > start && text[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) {
      out = text.substr(start, quote - start);
      pos = quote + 1;
      return true;
    }
    pos = quote + 1;
  }
  return false;
}

int ParseDigits(std::string_view s) {
  if (s.empty() || s.size() > 9) return -1;
  int v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

int MonthFromAbbrev(std::string_view s) {
  if (s.size() != 3) return 0;
  // Switch on the packed letters: one compare per month, no table walk of strings.
  uint32_t key = (static_cast<uint8_t>(s[0]) << 16) | (static_cast<uint8_t>(s[1]) << 8) |
                 static_cast<uint8_t>(s[2]);
  switch (key) {
    case ('J' << 16) | ('a' << 8) | 'n':
      return 1;
    case ('F' << 16) | ('e' << 8) | 'b':
      return 2;
    case ('M' << 16) | ('a' << 8) | 'r':
      return 3;
    case ('A' << 16) | ('p' << 8) | 'r':
      return 4;
    case ('M' << 16) | ('a' << 8) | 'y':
      return 5;
    case ('J' << 16) | ('u' << 8) | 'n':
      return 6;
    case ('J' << 16) | ('u' << 8) | 'l':
      return 7;
    case ('A' << 16) | ('u' << 8) | 'g':
      return 8;
    case ('S' << 16) | ('e' << 8) | 'p':
      return 9;
    case ('O' << 16) | ('c' << 8) | 't':
      return 10;
    case ('N' << 16) | ('o' << 8) | 'v':
      return 11;
    case ('D' << 16) | ('e' << 8) | 'c':
      return 12;
    default:
      return 0;
  }
}

namespace {

int Two(std::string_view s, size_t at) {
  if (at + 2 > s.size() || !IsDigit(s[at]) || !IsDigit(s[at + 1])) return -1;
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

// "+0200", "+02:00", "-07", "Z" → seconds east of UTC; false when not a zone.
bool ParseZone(std::string_view z, int& offset) {
  offset = 0;
  if (z.empty() || z == "Z" || z == "z") return true;
  if (z[0] != '+' && z[0] != '-') return false;
  int sign = z[0] == '-' ? -1 : 1;
  int hours = Two(z, 1);
  int minutes = 0;
  if (hours < 0) return false;
  if (z.size() == 5) {
    minutes = Two(z, 3);
  } else if (z.size() == 6 && z[3] == ':') {
    minutes = Two(z, 4);
  } else if (z.size() != 3) {
    return false;
  }
  if (minutes < 0 || hours > 23 || minutes > 59) return false;
  offset = sign * (hours * 3600 + minutes * 60);
  return true;
}

}  // namespace

UnixMicros ParseClfTime(std::string_view s) {
  // 10/Oct/2000:13:55:36 -0700
  if (s.size() < 20 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':') {
    return 0;
  }
  int day = Two(s, 0), month = MonthFromAbbrev(s.substr(3, 3));
  int year = ParseDigits(s.substr(7, 4));
  int hour = Two(s, 12), minute = Two(s, 15), second = Two(s, 18);
  if (day < 0 || month == 0 || year < 0 || hour < 0 || minute < 0 || second < 0) return 0;
  int offset = 0;
  std::string_view zone = s.substr(20);
  if (!zone.empty()) {
    if (zone[0] != ' ' || !ParseZone(zone.substr(1), offset)) return 0;
  }
  return CivilToMicros(year, month, day, hour, minute, second, 0, offset);
}

size_t IsoTimeLength(std::string_view s) {
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      !IsDigit(s[0])) {
    return 0;
  }
  size_t end = s.find(' ', 11);
  return end == std::string_view::npos ? s.size() : end;
}

UnixMicros ParseIsoTime(std::string_view s) {
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':') {
    return 0;
  }
  int year = ParseDigits(s.substr(0, 4)), month = Two(s, 5), day = Two(s, 8);
  int hour = Two(s, 11), minute = Two(s, 14), second = Two(s, 17);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return 0;
  size_t i = 19;
  int micros = 0;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    int digits = 0;
    while (i < s.size() && IsDigit(s[i])) {
      if (digits < 6) micros = micros * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0) return 0;
    for (int d = digits; d < 6; ++d) micros *= 10;
  }
  int offset = 0;
  if (!ParseZone(s.substr(i), offset)) return 0;
  return CivilToMicros(year, month, day, hour, minute, second, micros, offset);
}

UnixMicros YearlessTime(int month, int day, int hour, int minute, int second, int micros,
                        UnixSeconds now) {
  // Year of `now` (UTC) from days since the epoch (Hinnant's civil_from_days).
  int64_t days = now >= 0 ? now / 86400 : (now - 86399) / 86400;
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int year = static_cast<int>(yoe + era * 400 + (mp >= 10 ? 1 : 0));
  UnixMicros t = CivilToMicros(year, month, day, hour, minute, second, micros);
  if (t != 0 && t > (static_cast<UnixMicros>(now) + 86400) * 1'000'000) {
    t = CivilToMicros(year - 1, month, day, hour, minute, second, micros);
  }
  return t;
}

bool LooksLikeIp(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (s.size() < 2 || s.size() > 64) return false;
  bool separator = false;
  for (char c : s) {
    if (c == '.' || c == ':') {
      separator = true;
    } else if (!IsDigit(c) && !((c | 0x20) >= 'a' && (c | 0x20) <= 'f') && c != '%') {
      return false;
    }
  }
  return separator;
}

namespace {
bool IsWordChar(char c) {
  return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_';
}
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; }
}  // namespace

bool ContainsWordNoCase(std::string_view text, std::string_view word) {
  if (word.empty() || text.size() < word.size()) return false;
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    if (i > 0 && IsWordChar(text[i - 1])) continue;
    size_t j = 0;
    while (j < word.size() && Lower(text[i + j]) == Lower(word[j])) ++j;
    if (j == word.size() && (i + j == text.size() || !IsWordChar(text[i + j]))) return true;
  }
  return false;
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    // ASCII fast path, 8 bytes at a time.
    while (end - p >= 8) {
      uint64_t chunk;
      std::memcpy(&chunk, p, 8);
      if (chunk & 0x8080808080808080ULL) break;
      p += 8;
    }
    if (p >= end) break;
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int k = 1; k <= n; ++k) {
      if ((p[k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[k] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += n + 1;
  }
  return true;
}

}  // namespace mamori::rse::ingest::scan
