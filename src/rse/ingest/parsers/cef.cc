// ArcSight Common Event Format, bare or behind a syslog header:
//   [<PRI>Mmm dd hh:mm:ss host ]CEF:Version|Vendor|Product|Version|SignatureID|Name|Severity|ext
// Header fields escape '|' as "\|"; the extension is key=value pairs whose values may hold
// spaces (kv::KvStyle::kCef). docs/formats/logs-cef-kv.md documents the mapping.
#include <algorithm>
#include <array>

#include "rse/ingest/parsers/field_text.h"
#include "rse/ingest/parsers/key_value.h"
#include "rse/ingest/parsers/log_scan.h"
#include "rse/ingest/parsers/parsers.h"
#include "rse/ingest/parsers/syslog.h"

namespace mamori::rse::ingest {
namespace {

// rt / end / start: milliseconds since the epoch, or "Mmm dd yyyy hh:mm:ss[.SSS][ zone]" (the
// zone, when given, is ignored: UTC assumed).
UnixMicros ParseCefTime(std::string_view text) {
  if (UnixMicros epoch = field_text::ParseEpoch(text)) return epoch;
  if (text.size() < 20 || text[3] != ' ' || text[6] != ' ' || text[11] != ' ') return 0;
  int month = scan::MonthFromAbbrev(text.substr(0, 3));
  int day = scan::ParseDigits(text.substr(4, 2));
  int year = scan::ParseDigits(text.substr(7, 4));
  int hour = scan::ParseDigits(text.substr(12, 2));
  int minute = scan::ParseDigits(text.substr(15, 2));
  int second = scan::ParseDigits(text.substr(18, 2));
  if (month <= 0 || day <= 0 || year <= 0 || hour < 0 || minute < 0 || second < 0) return 0;
  int millis = 0;
  if (text.size() >= 24 && text[20] == '.')
    millis = std::max(0, scan::ParseDigits(text.substr(21, 3)));
  return CivilToMicros(year, month, day, hour, minute, second, millis * 1000);
}

class CefParser final : public LogParser {
 public:
  explicit CefParser(const ParserOptions& options) : options_(options) {}

  std::string_view format() const override { return "cef"; }

  ParseResult Parse(std::string_view line, Event& event) override {
    event.raw = line;
    if (line.size() > options_.max_line_bytes) return ParseResult::Malformed("line too long");
    if (scan::TrimRight(line).empty()) return ParseResult::Skip();
    arena_.Reset();
    size_t start = line.find("CEF:");
    if (start == std::string_view::npos) return ParseResult::Malformed("no \"CEF:\" header");
    if (start > 0) {
      // The syslog header in front: host.name, and the time when the extension has no rt.
      SyslogHeader header;
      if (ParseSyslogHeader(line.substr(0, start), options_.now, header).empty()) {
        event.time = header.time;
        std::string_view host = !header.host.empty() ? header.host : header.program;
        if (!host.empty()) event.Set(Field::kHostName, host);
      }
    }
    std::string_view rest = line.substr(start + 4);
    std::array<std::string_view, 7> header{};
    for (size_t i = 0; i < header.size(); ++i) {
      size_t end = FindUnescapedPipe(rest);
      if (end == std::string_view::npos) {
        if (i == header.size() - 1) {  // an event without extension may end after severity
          header[i] = rest;
          rest = {};
          break;
        }
        return ParseResult::Malformed("CEF header has fewer than 7 fields");
      }
      header[i] = rest.substr(0, end);
      rest = rest.substr(end + 1);
    }
    if (!scan::IsAllDigits(header[0])) return ParseResult::Malformed("bad CEF version");
    auto set_header = [&](Field field, std::string_view value) {
      if (!value.empty()) event.Set(field, kv::UnescapeCefHeader(value, arena_));
    };
    set_header(Field::kObserverVendor, header[1]);
    set_header(Field::kObserverProduct, header[2]);
    set_header(Field::kRuleId, header[4]);
    set_header(Field::kRuleName, header[5]);
    set_header(Field::kEventSeverity, header[6]);
    event.Set(Field::kEventDataset, "cef");
    return Extension(rest, event);
  }

 private:
  static size_t FindUnescapedPipe(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\') {
        ++i;
      } else if (text[i] == '|') {
        return i;
      }
    }
    return std::string_view::npos;
  }

  ParseResult Extension(std::string_view text, Event& event) {
    kv::KeyValueScanner scanner(text, kv::KvStyle::kCef);
    kv::KeyValue pair;
    std::string_view action, duser;
    uint64_t bytes = 0;
    bool has_bytes = false;
    while (scanner.Next(pair)) {
      std::string_view value = kv::Unescape(pair, kv::KvStyle::kCef, arena_);
      if (value.empty()) continue;
      std::string_view key = pair.key;
      if (key == "src" || key == "c6a2") {
        event.Set(Field::kSourceIp, value);
      } else if (key == "dst" || key == "c6a3") {
        event.Set(Field::kDestinationIp, value);
      } else if (key == "spt") {
        event.Set(Field::kSourcePort, value);
      } else if (key == "dpt") {
        event.Set(Field::kDestinationPort, value);
      } else if (key == "proto") {
        event.Set(Field::kNetworkTransport, field_text::Transport(value, arena_));
      } else if (key == "app") {
        event.Set(Field::kNetworkProtocol, field_text::LowerAscii(value, arena_));
      } else if (key == "act") {
        action = value;
      } else if (key == "suser") {
        event.Set(Field::kUserName, value);
      } else if (key == "duser") {
        duser = value;
      } else if (key == "request") {
        event.Set(Field::kUrlOriginal, value);
      } else if (key == "requestMethod") {
        event.Set(Field::kHttpRequestMethod, value);
      } else if (key == "requestClientApplication") {
        event.Set(Field::kUserAgentOriginal, value);
      } else if (key == "dhost") {
        event.Set(Field::kUrlDomain, value);
      } else if (key == "dvchost") {
        event.Set(Field::kObserverName, value);
      } else if (key == "msg") {
        event.Set(Field::kMessage, value);
      } else if (key == "cat") {
        event.Set(Field::kRuleCategory, value);
      } else if (key == "outcome") {
        std::string_view lower = field_text::LowerAscii(value, arena_);
        if (lower.starts_with("/")) lower.remove_prefix(1);
        if (lower == "success" || lower == "failure") event.Set(Field::kEventOutcome, lower);
      } else if (key == "rt") {
        if (UnixMicros t = ParseCefTime(value)) event.time = t;
      } else if (key == "in" || key == "out") {
        uint64_t n = 0;
        if (field_text::ParseUnsigned(value, n)) {
          bytes += n;
          has_bytes = true;
        }
      }
      // cs1..cs6 / cn1..cn3 and their labels: vendor-defined, no event field (see the doc).
    }
    if (scanner.malformed()) return ParseResult::Malformed("CEF extension is not key=value");
    if (!event.Has(Field::kUserName) && !duser.empty()) event.Set(Field::kUserName, duser);
    if (has_bytes) event.Set(Field::kNetworkBytes, field_text::FormatUnsigned(bytes, arena_));
    std::string_view normalized = field_text::NormalizeAction(action);
    if (normalized == "accept" || normalized == "drop" || normalized == "reject") {
      event.Set(Field::kEventCategory, "network");
      event.Set(Field::kEventAction, normalized);
    } else {
      event.Set(Field::kEventCategory, "intrusion_detection");
      if (!normalized.empty()) {
        event.Set(Field::kEventAction, normalized);
      } else if (!action.empty()) {
        event.Set(Field::kEventAction, field_text::LowerAscii(action, arena_));
      } else {
        event.Set(Field::kEventAction, "alert");
      }
    }
    return ParseResult::Ok();
  }

  ParserOptions options_;
  Arena arena_;
};

}  // namespace

std::unique_ptr<LogParser> MakeCefParser(const ParserOptions& options) {
  return std::make_unique<CefParser>(options);
}

}  // namespace mamori::rse::ingest
