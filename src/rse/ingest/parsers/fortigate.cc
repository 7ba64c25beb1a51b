// FortiGate (FortiOS) syslog: key=value pairs, values quoted when they may hold spaces,
//   [<PRI>][syslog header ]date=2019-05-10 time=11:37:47 devname="fw1" type="traffic" ...
// docs/formats/logs-cef-kv.md documents the mapping: type=traffic → network (accept/drop/
// reject), type=utm (ips, av, webfilter, app-ctrl, waf...) → intrusion_detection (alert/block),
// type=event logins (admin, SSL VPN) → authentication.
#include "rse/ingest/parsers/field_text.h"
#include "rse/ingest/parsers/key_value.h"
#include "rse/ingest/parsers/log_scan.h"
#include "rse/ingest/parsers/parsers.h"

namespace mamori::rse::ingest {
namespace {

// "-0700" / "+05:30" → seconds east of UTC; 0 when absent or not an offset.
int ZoneOffset(std::string_view tz) {
  if (tz.size() < 5 || (tz[0] != '+' && tz[0] != '-')) return 0;
  std::string_view minutes_text;
  if (tz.size() == 6 && tz[3] == ':') {
    minutes_text = tz.substr(4, 2);
  } else if (tz.size() == 5) {
    minutes_text = tz.substr(3, 2);
  } else {
    return 0;
  }
  int hours = scan::ParseDigits(tz.substr(1, 2));
  int minutes = scan::ParseDigits(minutes_text);
  if (hours < 0 || minutes < 0) return 0;
  return (tz[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
}

// date=2019-05-10 time=11:37:47 [tz="-0700"]
UnixMicros DateTime(std::string_view date, std::string_view time, std::string_view tz) {
  if (date.size() != 10 || time.size() != 8 || date[4] != '-' || date[7] != '-' || time[2] != ':' ||
      time[5] != ':') {
    return 0;
  }
  int year = scan::ParseDigits(date.substr(0, 4));
  int month = scan::ParseDigits(date.substr(5, 2));
  int day = scan::ParseDigits(date.substr(8, 2));
  int hour = scan::ParseDigits(time.substr(0, 2));
  int minute = scan::ParseDigits(time.substr(3, 2));
  int second = scan::ParseDigits(time.substr(6, 2));
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return 0;
  return CivilToMicros(year, month, day, hour, minute, second, 0, ZoneOffset(tz));
}

class FortiGateParser final : public LogParser {
 public:
  explicit FortiGateParser(const ParserOptions& options) : options_(options) {}

  std::string_view format() const override { return "fortigate"; }

  ParseResult Parse(std::string_view line, Event& event) override {
    event.raw = line;
    if (line.size() > options_.max_line_bytes) return ParseResult::Malformed("line too long");
    if (scan::TrimRight(line).empty()) return ParseResult::Skip();
    arena_.Reset();
    // Words before the first pair (<PRI>, a syslog date and host) are skipped by the scanner.
    kv::KeyValueScanner scanner(line, kv::KvStyle::kQuoted);
    kv::KeyValue pair;
    std::string_view date, time, tz, eventtime, type, subtype, action, status, ui, remip;
    uint64_t bytes = 0;
    bool has_bytes = false;
    size_t pairs = 0;
    while (scanner.Next(pair)) {
      ++pairs;
      std::string_view value = kv::Unescape(pair, kv::KvStyle::kQuoted, arena_);
      if (value.empty()) continue;
      std::string_view key = pair.key;
      if (key == "date")
        date = value;
      else if (key == "time")
        time = value;
      else if (key == "tz")
        tz = value;
      else if (key == "eventtime")
        eventtime = value;
      else if (key == "type")
        type = value;
      else if (key == "subtype")
        subtype = value;
      else if (key == "action")
        action = value;
      else if (key == "status")
        status = value;
      else if (key == "ui")
        ui = value;
      else if (key == "remip")
        remip = value;
      else if (key == "devname")
        event.Set(Field::kObserverName, value);
      else if (key == "srcip")
        event.Set(Field::kSourceIp, value);
      else if (key == "srcport")
        event.Set(Field::kSourcePort, value);
      else if (key == "dstip")
        event.Set(Field::kDestinationIp, value);
      else if (key == "dstport")
        event.Set(Field::kDestinationPort, value);
      else if (key == "proto")
        event.Set(Field::kNetworkTransport, field_text::Transport(value, arena_));
      else if (key == "service")
        event.Set(Field::kNetworkProtocol, field_text::LowerAscii(value, arena_));
      else if (key == "user")
        event.Set(Field::kUserName, value);
      else if (key == "url")
        event.Set(Field::kUrlOriginal, value);
      else if (key == "hostname")
        event.Set(Field::kUrlDomain, value);
      else if (key == "qname")
        event.Set(Field::kDnsQuestionName, value);
      else if (key == "msg")
        event.Set(Field::kMessage, value);
      else if (key == "level")
        event.Set(Field::kLogLevel, value);
      else if (key == "severity")
        event.Set(Field::kEventSeverity, value);
      else if (key == "attack" || key == "virus")
        event.Set(Field::kRuleName, value);
      else if (key == "attackid" || key == "virusid")
        event.Set(Field::kRuleId, value);
      else if (key == "catdesc")
        event.Set(Field::kRuleCategory, value);
      else if (key == "agent")
        event.Set(Field::kUserAgentOriginal, value);
      else if (key == "reqtype" || key == "method")
        event.Set(Field::kHttpRequestMethod, value);
      else if (key == "sentbyte" || key == "rcvdbyte") {
        uint64_t n = 0;
        if (field_text::ParseUnsigned(value, n)) {
          bytes += n;
          has_bytes = true;
        }
      }
    }
    if (scanner.malformed()) return ParseResult::Malformed("unclosed quote");
    if (pairs == 0) return ParseResult::Malformed("no key=value pairs");
    if (type.empty()) return ParseResult::Malformed("no type=");
    // eventtime (FortiOS 6.2+, UTC, s or ns) is exact; date/time are the device's local time.
    event.time = field_text::ParseEpoch(eventtime);
    if (event.time == 0) event.time = DateTime(date, time, tz);
    if (!event.Has(Field::kSourceIp) && !remip.empty()) event.Set(Field::kSourceIp, remip);
    if (has_bytes) event.Set(Field::kNetworkBytes, field_text::FormatUnsigned(bytes, arena_));
    event.Set(Field::kEventDataset, "fortinet.fortigate");
    event.Set(Field::kObserverVendor, "Fortinet");
    event.Set(Field::kObserverProduct, "FortiGate");
    Classify(type, subtype, action, status, ui, event);
    return ParseResult::Ok();
  }

 private:
  void Classify(std::string_view type, std::string_view subtype, std::string_view action,
                std::string_view status, std::string_view ui, Event& event) {
    std::string_view normalized = field_text::NormalizeAction(action);
    if (type == "traffic") {
      event.Set(Field::kEventCategory, "network");
      // Sessions that were let through end as accept, close, timeout, server-rst, client-rst.
      bool stopped = normalized == "drop" || normalized == "block" || action == "ip-conn";
      event.Set(Field::kEventAction, stopped                  ? "drop"
                                     : normalized == "reject" ? "reject"
                                                              : "accept");
      return;
    }
    if (type == "utm") {
      event.Set(Field::kEventCategory, "intrusion_detection");
      event.Set(Field::kEventAction, field_text::IsStopAction(normalized) ? "block" : "alert");
      return;
    }
    bool login = action.find("login") != std::string_view::npos ||
                 action.find("auth") != std::string_view::npos;
    if (type == "event" && login) {
      event.Set(Field::kEventCategory, "authentication");
      if (subtype == "vpn") {
        event.Set(Field::kEventAction, "vpn_login");
      } else if (ui.starts_with("ssh")) {
        event.Set(Field::kEventAction, "ssh_login");
      } else if (ui.starts_with("http") || ui.starts_with("GUI")) {
        event.Set(Field::kEventAction, "http_auth");
      } else {
        event.Set(Field::kEventAction, "login");
      }
      bool failed = status.starts_with("fail") || action.find("fail") != std::string_view::npos;
      event.Set(Field::kEventOutcome, failed                ? "failure"
                                      : status == "success" ? "success"
                                                            : "unknown");
      return;
    }
    if (!action.empty()) event.Set(Field::kEventAction, field_text::LowerAscii(action, arena_));
  }

  ParserOptions options_;
  Arena arena_;
};

}  // namespace

std::unique_ptr<LogParser> MakeFortiGateParser(const ParserOptions& options) {
  return std::make_unique<FortiGateParser>(options);
}

}  // namespace mamori::rse::ingest
