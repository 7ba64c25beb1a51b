#include "rse/ingest/parsers/syslog.h"

#include <ctime>

#include "rse/ingest/parsers/log_scan.h"
#include "rse/ingest/parsers/parsers.h"

namespace mamori::rse::ingest {

using scan::Cursor;

namespace {

// "Oct 11 22:14:15", "Oct  1 22:14:15", "Oct 1 22:14:15", with an optional ".123456".
bool BsdTime(Cursor& c, UnixSeconds now, UnixMicros& time) {
  std::string_view s = c.Rest();
  if (s.size() < 14) return false;
  int month = scan::MonthFromAbbrev(s.substr(0, 3));
  if (month == 0 || s[3] != ' ') return false;
  size_t i = 4;
  if (s[i] == ' ') ++i;
  int day = 0;
  size_t digits = 0;
  while (i < s.size() && scan::IsDigit(s[i]) && digits < 2)
    day = day * 10 + (s[i++] - '0'), ++digits;
  if (digits == 0 || i + 9 > s.size() || s[i] != ' ') return false;
  std::string_view hms = s.substr(i + 1, 8);
  if (hms[2] != ':' || hms[5] != ':') return false;
  int hour = scan::ParseDigits(hms.substr(0, 2)), minute = scan::ParseDigits(hms.substr(3, 2)),
      second = scan::ParseDigits(hms.substr(6, 2));
  if (hour < 0 || minute < 0 || second < 0) return false;
  i += 9;
  int micros = 0;
  if (i < s.size() && s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && scan::IsDigit(s[i])) {
      if (i - start < 6) micros = micros * 10 + (s[i] - '0');
      ++i;
    }
    for (size_t d = i - start; d < 6; ++d) micros *= 10;
  }
  if (i < s.size() && s[i] != ' ') return false;
  time = scan::YearlessTime(month, day, hour, minute, second, micros, now);
  if (time == 0) return false;
  c.pos += i;
  return true;
}

// "prog[pid]:" / "prog:" / "[prog]:" / "prog[pid]" → program, pid. False when not a tag.
bool ParseTag(std::string_view token, bool need_colon, SyslogHeader& out) {
  bool colon = token.ends_with(':');
  if (colon) token.remove_suffix(1);
  if (token.empty() || (need_colon && !colon)) return false;
  if (token.back() == ']') {
    size_t open = token.rfind('[');
    if (open == std::string_view::npos) return false;
    std::string_view inside = token.substr(open + 1, token.size() - open - 2);
    if (open == 0) {
      out.program = inside;  // "[sshd]:"
    } else {
      out.program = token.substr(0, open);
      out.pid = inside;
    }
    return !out.program.empty();
  }
  if (!colon || token.find('[') != std::string_view::npos) return false;
  out.program = token;
  return true;
}

// RFC 5424 structured data: "-" or one or more [id param="value"...] with \" \] \\ escapes.
bool StructuredData(Cursor& c, std::string_view& out) {
  if (c.Eat('-')) return true;
  size_t start = c.pos;
  if (c.Peek() != '[') return false;
  while (c.Peek() == '[') {
    ++c.pos;
    bool in_quotes = false;
    while (true) {
      if (c.AtEnd()) return false;
      char ch = c.text[c.pos++];
      if (ch == '\\' && in_quotes) {
        ++c.pos;
      } else if (ch == '"') {
        in_quotes = !in_quotes;
      } else if (ch == ']' && !in_quotes) {
        break;
      }
    }
  }
  out = c.text.substr(start, c.pos - start);
  return true;
}

std::string_view Nil(std::string_view s) { return s == "-" ? std::string_view{} : s; }

std::string_view Rfc5424(Cursor& c, SyslogHeader& out) {
  std::string_view stamp = c.Token();
  if (stamp != "-") {
    out.time = scan::ParseIsoTime(stamp);
    if (out.time == 0) return "bad RFC 5424 timestamp";
  }
  if (!c.Eat(' ')) return "truncated RFC 5424 header";
  out.host = Nil(c.Token());
  if (!c.Eat(' ')) return "truncated RFC 5424 header";
  out.program = Nil(c.Token());
  if (!c.Eat(' ')) return "truncated RFC 5424 header";
  out.pid = Nil(c.Token());
  if (!c.Eat(' ')) return "truncated RFC 5424 header";
  out.msgid = Nil(c.Token());
  if (!c.Eat(' ')) return "truncated RFC 5424 header";
  if (!StructuredData(c, out.structured)) return "bad RFC 5424 structured data";
  c.Eat(' ');
  c.Eat("\xEF\xBB\xBF");  // BOM before a UTF-8 MSG
  out.message = c.Rest();
  return {};
}

// Solaris: "[ID 800047 auth.info] Failed ..." — the prefix is routing, not message.
std::string_view DropSolarisId(std::string_view message) {
  if (!message.starts_with("[ID ")) return message;
  size_t close = message.find("] ");
  if (close == std::string_view::npos || close > 40) return message;
  return message.substr(close + 2);
}

constexpr std::string_view kSeverities[] = {"emerg",   "alert",  "crit", "err",
                                            "warning", "notice", "info", "debug"};

}  // namespace

std::string_view ParseSyslogHeader(std::string_view line, UnixSeconds now, SyslogHeader& out) {
  out = SyslogHeader{};
  Cursor c{line};
  if (c.Eat('<')) {
    std::string_view pri;
    if (!c.Until('>', pri)) return "bad <PRI>";
    out.priority = scan::ParseDigits(pri);
    if (pri.size() > 3 || out.priority < 0 || out.priority > 191) return "bad <PRI>";
    // RFC 5424: VERSION (1-2 digits) and a space right after the PRI.
    std::string_view rest = c.Rest();
    if (rest.size() > 2 && scan::IsDigit(rest[0]) &&
        (rest[1] == ' ' || (scan::IsDigit(rest[1]) && rest[2] == ' '))) {
      size_t sp = rest.find(' ');
      // Not a BSD ISO timestamp ("2024-...") that happens to follow the PRI.
      if (sp <= 2) {
        c.pos += sp + 1;
        return Rfc5424(c, out);
      }
    }
  }
  c.SkipSpaces();
  if (size_t len = scan::IsoTimeLength(c.Rest()); len > 0) {
    out.time = scan::ParseIsoTime(c.Rest().substr(0, len));
    if (out.time == 0) return "bad timestamp";
    c.pos += len;
  } else if (!BsdTime(c, now, out.time)) {
    return "no syslog timestamp";
  }
  c.SkipSpaces();
  // [HOST] TAG: the first token is the tag when it ends with ':' (files that omit the host).
  size_t mark = c.pos;
  std::string_view first = c.Token();
  if (first.empty()) return "no host or program";
  // "[sshd]" is a tag even without its colon (some BSD-style writers).
  if (!ParseTag(first, /*need_colon=*/!first.starts_with('['), out)) {
    out.host = first;
    c.SkipSpaces();
    mark = c.pos;
    std::string_view second = c.Token();
    if (!ParseTag(second, /*need_colon=*/false, out)) c.pos = mark;  // no tag: all message
  }
  c.SkipSpaces();
  out.message = DropSolarisId(c.Rest());
  return {};
}

void SetSyslogFields(const SyslogHeader& header, Event& event) {
  event.time = header.time;
  event.Set(Field::kHostName, header.host);
  event.Set(Field::kProcessName, header.program);
  event.Set(Field::kProcessPid, header.pid);
  if (header.priority >= 0) event.Set(Field::kLogLevel, kSeverities[header.priority % 8]);
  event.Set(Field::kMessage, header.message);
}

SyslogProgramParser::SyslogProgramParser(std::string_view format, std::string_view dataset,
                                         const ParserOptions& options)
    // Without a reading time (a parser made outside ingest), year-less dates use the wall clock.
    : format_(format),
      dataset_(dataset),
      now_(options.now != 0 ? options.now : std::time(nullptr)) {}

ParseResult SyslogProgramParser::Parse(std::string_view line, Event& event) {
  if (scan::TrimRight(line).empty()) return ParseResult::Skip();
  SyslogHeader header;
  if (std::string_view why = ParseSyslogHeader(line, now_, header); !why.empty()) {
    return ParseResult::Malformed(why);
  }
  if (!Accepts(header.program)) return ParseResult::Skip();
  SetSyslogFields(header, event);
  event.Set(Field::kEventDataset, dataset_);
  return ParseMessage(header, event);
}

namespace {

class GenericSyslogParser final : public SyslogProgramParser {
 public:
  explicit GenericSyslogParser(const ParserOptions& options)
      : SyslogProgramParser("syslog", "syslog", options) {}

 protected:
  bool Accepts(std::string_view) const override { return true; }
  ParseResult ParseMessage(const SyslogHeader&, Event&) override { return ParseResult::Ok(); }
};

}  // namespace

std::unique_ptr<LogParser> MakeSyslogParser(const ParserOptions& options) {
  return std::make_unique<GenericSyslogParser>(options);
}

}  // namespace mamori::rse::ingest
