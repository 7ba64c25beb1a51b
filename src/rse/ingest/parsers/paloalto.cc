// PAN-OS syslog in the default CSV formats (Device > Server Profiles > Syslog, "BSD" or "IETF"
// with the default custom-log-format unset): a syslog header, then
//   FUTURE_USE,Receive Time,Serial Number,Type,Subtype,FUTURE_USE,Generated Time,Source Address,...
// Field positions follow Palo Alto's "Syslog Field Descriptions" (PAN-OS 9.1-11.x; older
// releases write a prefix of the same columns). TRAFFIC and THREAT logs are events; the other
// log types (SYSTEM, CONFIG, HIP-MATCH, USERID, ...) are kSkip. docs/formats/logs-cef-kv.md.
#include <array>

#include "rse/ingest/parsers/field_text.h"
#include "rse/ingest/parsers/log_scan.h"
#include "rse/ingest/parsers/parsers.h"
#include "rse/ingest/parsers/syslog.h"

namespace mamori::rse::ingest {
namespace {

// Column positions (0-based) shared by TRAFFIC and THREAT.
constexpr size_t kReceiveTime = 1, kType = 3, kSubtype = 4, kGeneratedTime = 6, kSource = 7,
                 kDestination = 8, kRuleName = 11, kSourceUser = 12, kApplication = 14,
                 kSourcePort = 24, kDestinationPort = 25, kProtocol = 29, kAction = 30;
// TRAFFIC only.
constexpr size_t kBytes = 31, kTrafficDeviceName = 52;
// THREAT only.
constexpr size_t kMisc = 31, kThreatId = 32, kUrlCategory = 33, kSeverity = 34, kUserAgent = 46,
                 kReferer = 49, kThreatDeviceName = 59, kHttpMethod = 63, kThreatCategory = 69;
constexpr size_t kMaxColumns = 128;
constexpr size_t kMinColumns = 31;  // up to Action

// "2019/01/01 12:00:00" (the firewall's clock, taken as UTC).
UnixMicros PanTime(std::string_view text) {
  if (text.size() != 19 || text[4] != '/' || text[7] != '/' || text[10] != ' ') return 0;
  int year = scan::ParseDigits(text.substr(0, 4));
  int month = scan::ParseDigits(text.substr(5, 2));
  int day = scan::ParseDigits(text.substr(8, 2));
  int hour = scan::ParseDigits(text.substr(11, 2));
  int minute = scan::ParseDigits(text.substr(14, 2));
  int second = scan::ParseDigits(text.substr(17, 2));
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return 0;
  return CivilToMicros(year, month, day, hour, minute, second);
}

class PaloAltoParser final : public LogParser {
 public:
  explicit PaloAltoParser(const ParserOptions& options) : options_(options) {}

  std::string_view format() const override { return "paloalto"; }

  ParseResult Parse(std::string_view line, Event& event) override {
    event.raw = line;
    if (line.size() > options_.max_line_bytes) return ParseResult::Malformed("line too long");
    if (scan::TrimRight(line).empty()) return ParseResult::Skip();
    arena_.Reset();
    // The CSV starts at the word holding the first comma; what precedes is the syslog header.
    size_t comma = line.find(',');
    if (comma == std::string_view::npos) return ParseResult::Malformed("no CSV fields");
    size_t space = line.rfind(' ', comma);
    size_t start = space == std::string_view::npos ? 0 : space + 1;
    if (start > 0) {
      SyslogHeader header;
      if (ParseSyslogHeader(line.substr(0, start), options_.now, header).empty()) {
        std::string_view host = !header.host.empty() ? header.host : header.program;
        if (!host.empty()) event.Set(Field::kHostName, host);
      }
    }
    if (!SplitCsv(line.substr(start))) return ParseResult::Malformed("unclosed quote in CSV");
    if (count_ < kMinColumns) return ParseResult::Malformed("too few CSV fields for PAN-OS");
    std::string_view type = columns_[kType];
    bool threat = type == "THREAT";
    if (type != "TRAFFIC" && !threat) {
      if (scan::IsAllDigits(columns_[0]) || columns_[0].empty()) return ParseResult::Skip();
      return ParseResult::Malformed("not a PAN-OS CSV log");
    }
    event.time = PanTime(columns_[kGeneratedTime]);
    if (event.time == 0) event.time = PanTime(columns_[kReceiveTime]);
    if (event.time == 0) return ParseResult::Malformed("bad PAN-OS time");
    Set(event, Field::kSourceIp, kSource);
    Set(event, Field::kDestinationIp, kDestination);
    Set(event, Field::kUserName, kSourceUser);
    Set(event, Field::kSourcePort, kSourcePort);
    Set(event, Field::kDestinationPort, kDestinationPort);
    if (!Column(kProtocol).empty()) {
      event.Set(Field::kNetworkTransport, field_text::Transport(Column(kProtocol), arena_));
    }
    std::string_view app = Column(kApplication);
    if (!app.empty() && app != "incomplete" && app != "not-applicable") {
      event.Set(Field::kNetworkProtocol, app);
    }
    event.Set(Field::kEventDataset, "panw.panos");
    event.Set(Field::kObserverVendor, "Palo Alto Networks");
    event.Set(Field::kObserverProduct, "PAN-OS");
    std::string_view normalized = field_text::NormalizeAction(Column(kAction));
    if (!threat) {
      Set(event, Field::kObserverName, kTrafficDeviceName);
      Set(event, Field::kRuleName, kRuleName);  // the security policy rule
      Set(event, Field::kNetworkBytes, kBytes);
      event.Set(Field::kEventCategory, "network");
      event.Set(Field::kEventAction, normalized.empty() || normalized == "alert" ? "accept"
                                     : normalized == "block"                     ? "drop"
                                                                                 : normalized);
      return ParseResult::Ok();
    }
    // THREAT: "Eicar Test File(39040)" → rule.name, rule.id.
    std::string_view threat_id = Column(kThreatId);
    if (size_t open = threat_id.rfind('(');
        open != std::string_view::npos && threat_id.back() == ')') {
      std::string_view name = threat_id.substr(0, open);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      if (!name.empty()) event.Set(Field::kRuleName, name);
      event.Set(Field::kRuleId, threat_id.substr(open + 1, threat_id.size() - open - 2));
    } else if (!threat_id.empty()) {
      event.Set(Field::kRuleId, threat_id);
    }
    Set(event, Field::kEventSeverity, kSeverity);
    Set(event, Field::kUserAgentOriginal, kUserAgent);
    Set(event, Field::kHttpRequestReferrer, kReferer);
    Set(event, Field::kHttpRequestMethod, kHttpMethod);
    Set(event, Field::kObserverName, kThreatDeviceName);
    bool stopped = field_text::IsStopAction(normalized);
    if (Column(kSubtype) == "url") {
      // URL filtering: the "threat" is the web request itself.
      Set(event, Field::kUrlOriginal, kMisc);
      Set(event, Field::kRuleCategory, kUrlCategory);
      event.Set(Field::kEventCategory, "web");
      event.Set(Field::kEventAction, stopped ? "block" : "request");
      return ParseResult::Ok();
    }
    Set(event, Field::kMessage, kMisc);  // file name or URL the threat was seen in
    if (!Column(kThreatCategory).empty()) {
      Set(event, Field::kRuleCategory, kThreatCategory);
    } else {
      Set(event, Field::kRuleCategory, kSubtype);  // virus, spyware, vulnerability ...
    }
    event.Set(Field::kEventCategory, "intrusion_detection");
    event.Set(Field::kEventAction, stopped ? "block" : "alert");
    return ParseResult::Ok();
  }

 private:
  std::string_view Column(size_t index) const {
    return index < count_ ? field_text::Present(columns_[index]) : std::string_view{};
  }
  void Set(Event& event, Field field, size_t index) const {
    std::string_view value = Column(index);
    if (!value.empty()) event.Set(field, value);
  }

  // RFC 4180-style: a field in double quotes may hold commas, and "" is a quote.
  bool SplitCsv(std::string_view text) {
    count_ = 0;
    size_t pos = 0;
    while (count_ < kMaxColumns) {
      std::string_view value;
      if (pos < text.size() && text[pos] == '"') {
        size_t start = ++pos;
        bool doubled = false;
        while (true) {
          if (pos >= text.size()) return false;
          if (text[pos] == '"') {
            if (pos + 1 < text.size() && text[pos + 1] == '"') {
              doubled = true;
              pos += 2;
              continue;
            }
            break;
          }
          ++pos;
        }
        value = text.substr(start, pos - start);
        ++pos;  // closing quote
        if (doubled) value = Undouble(value);
        // Anything between the closing quote and the comma is kept out of the field.
        size_t comma = text.find(',', pos);
        pos = comma == std::string_view::npos ? text.size() : comma;
      } else {
        size_t comma = text.find(',', pos);
        size_t end = comma == std::string_view::npos ? text.size() : comma;
        value = text.substr(pos, end - pos);
        pos = end;
      }
      columns_[count_++] = value;
      if (pos >= text.size()) break;
      ++pos;  // the comma
    }
    return true;
  }

  std::string_view Undouble(std::string_view value) {
    char* out = arena_.Reserve(value.size());
    size_t n = 0;
    for (size_t i = 0; i < value.size(); ++i) {
      out[n++] = value[i];
      if (value[i] == '"' && i + 1 < value.size() && value[i + 1] == '"') ++i;
    }
    return arena_.Commit(n);
  }

  ParserOptions options_;
  Arena arena_;
  std::array<std::string_view, kMaxColumns> columns_{};
  size_t count_ = 0;
};

}  // namespace

std::unique_ptr<LogParser> MakePaloAltoParser(const ParserOptions& options) {
  return std::make_unique<PaloAltoParser>(options);
}

}  // namespace mamori::rse::ingest
