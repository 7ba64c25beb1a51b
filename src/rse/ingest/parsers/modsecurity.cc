// ModSecurity v3 JSON audit log (SecAuditLogFormat JSON; one {"transaction":{...}} per line) →
// one event per transaction. docs/formats/logs-modsecurity.md documents the mapping.
//
// rule.* come from the most severe message (lowest ModSecurity severity number: 0 emergency ...
// 7 debug; a message without severity counts as least severe), the earliest among equals, so
// that the attack rule that scored (e.g. CRS 942100, CRITICAL) names the event rather than the
// anomaly-score evaluation that followed it (949110, also CRITICAL but later).
// event.action is "block" when a message was logged and the response was 403 or a message says
// "Access denied"; "alert" when messages were logged otherwise; a transaction without messages
// is an ordinary web request.
#include <array>
#include <exception>
#include <utility>

#include "rse/ingest/parsers/field_text.h"
#include "rse/ingest/parsers/json_line.h"
#include "rse/ingest/parsers/log_scan.h"
#include "rse/ingest/parsers/parsers.h"

namespace mamori::rse::ingest {
namespace {

using json::ForEachElement;
using json::ForEachField;
using json::SetScalar;
using json::od::value;
using simdjson::error_code;
using simdjson::SUCCESS;

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// ModSecurity severities: "2" or "CRITICAL"; 99 when absent or unknown.
int SeverityRank(std::string_view text) {
  static constexpr std::array<std::string_view, 8> kNames = {
      "EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"};
  if (text.size() == 1 && text[0] >= '0' && text[0] <= '7') return text[0] - '0';
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (EqualsNoCase(text, kNames[i])) return static_cast<int>(i);
  }
  return 99;
}

// ModSecurity-nginx writes "Wed Apr 23 22:15:00 2025" (local time of the server, no zone: read
// as UTC); Coraza and some connectors write the common log format time.
UnixMicros ParseModSecTime(std::string_view text) {
  // "Www Mmm dd hh:mm:ss yyyy", day possibly space-padded.
  if (text.size() >= 24 && text[3] == ' ' && text[7] == ' ') {
    int month = scan::MonthFromAbbrev(text.substr(4, 3));
    std::string_view day_text = text.substr(8, 2);
    if (day_text[0] == ' ') day_text.remove_prefix(1);
    int day = scan::ParseDigits(day_text);
    std::string_view clock = text.substr(11, 8);
    int hour = scan::ParseDigits(clock.substr(0, 2));
    int minute = scan::ParseDigits(clock.substr(3, 2));
    int second = scan::ParseDigits(clock.substr(6, 2));
    int year = scan::ParseDigits(text.substr(20, 4));
    if (month > 0 && day > 0 && hour >= 0 && minute >= 0 && second >= 0 && year > 0 &&
        clock[2] == ':' && clock[5] == ':') {
      return CivilToMicros(year, month, day, hour, minute, second);
    }
    return 0;
  }
  return scan::ParseClfTime(text);
}

struct Message {
  std::string_view text;
  std::string_view rule_id;
  std::string_view severity;
  std::string_view attack_tag;
  bool access_denied = false;
};

class ModSecurityJsonParser final : public JsonObjectParser {
 public:
  explicit ModSecurityJsonParser(const ParserOptions& options) : JsonObjectParser(options) {}

  std::string_view format() const override { return "modsecurity-json"; }

 private:
  struct State {
    bool has_transaction = false;
    std::string_view http_code;
    Message best;
    int best_rank = 100;
    size_t messages = 0;
    bool access_denied = false;
  };

  ParseResult ParseJson(std::string_view line, Event& event) override {
    json::od::document doc;
    std::string_view reason;
    if (!json_.Iterate(line, doc, reason)) return ParseResult::Malformed(reason);
    json::od::object root;
    if (doc.get_object().get(root)) return ParseResult::Malformed("not a JSON object");
    State state;
    for (auto result : root) {
      json::od::field f;
      if (error_code error = std::move(result).get(f))
        return ParseResult::Malformed(json::ErrorReason(error));
      if (json::KeyOf(f) != "transaction") continue;
      value& v = f.value();
      json::od::json_type type;
      if (v.type().get(type) || type != json::od::json_type::object) {
        return ParseResult::Malformed("\"transaction\" is not an object");
      }
      state.has_transaction = true;
      if (error_code error = Transaction(v, event, state)) {
        return ParseResult::Malformed(json::ErrorReason(error));
      }
    }
    if (!json::AtEnd(doc)) return ParseResult::Malformed("trailing data after the JSON object");
    if (!state.has_transaction) return ParseResult::Malformed("no \"transaction\" object");
    Finish(state, event);
    return ParseResult::Ok();
  }

  error_code Transaction(value& v, Event& event, State& state) {
    return ForEachField(v, [&](std::string_view key, value& x) -> error_code {
      if (key == "client_ip") return SetScalar(event, Field::kSourceIp, x);
      if (key == "client_port") return SetScalar(event, Field::kSourcePort, x);
      if (key == "host_ip") return SetScalar(event, Field::kDestinationIp, x);
      if (key == "host_port") return SetScalar(event, Field::kDestinationPort, x);
      if (key == "time_stamp") {
        std::string_view text;
        MAMORI_JSON_TRY(json::ScalarText(x, text));
        event.time = ParseModSecTime(text);
        return SUCCESS;
      }
      if (key == "request") return Request(x, event);
      if (key == "response") {
        return ForEachField(x, [&](std::string_view k, value& y) -> error_code {
          if (k == "http_code") {
            MAMORI_JSON_TRY(json::ScalarText(y, state.http_code));
            if (!state.http_code.empty()) {
              event.Set(Field::kHttpResponseStatusCode, state.http_code);
            }
          }
          return SUCCESS;
        });
      }
      if (key == "messages") {
        return ForEachElement(x, [&](value& m) { return OneMessage(m, state); });
      }
      return SUCCESS;
    });
  }

  error_code Request(value& v, Event& event) {
    return ForEachField(v, [&](std::string_view key, value& x) -> error_code {
      if (key == "method") return SetScalar(event, Field::kHttpRequestMethod, x);
      if (key == "uri") return SetScalar(event, Field::kUrlOriginal, x);
      if (key == "http_version") return SetScalar(event, Field::kHttpVersion, x);
      if (key == "headers") {
        return ForEachField(x, [&](std::string_view name, value& y) -> error_code {
          if (EqualsNoCase(name, "host")) return SetScalar(event, Field::kUrlDomain, y);
          if (EqualsNoCase(name, "user-agent"))
            return SetScalar(event, Field::kUserAgentOriginal, y);
          if (EqualsNoCase(name, "referer"))
            return SetScalar(event, Field::kHttpRequestReferrer, y);
          return SUCCESS;
        });
      }
      return SUCCESS;
    });
  }

  static bool SaysAccessDenied(std::string_view text) {
    return text.find("Access denied") != std::string_view::npos;
  }

  error_code OneMessage(value& v, State& state) {
    Message message;
    MAMORI_JSON_TRY(ForEachField(v, [&](std::string_view key, value& x) -> error_code {
      if (key == "message") {
        MAMORI_JSON_TRY(json::ScalarText(x, message.text));
        message.access_denied |= SaysAccessDenied(message.text);
        return SUCCESS;
      }
      if (key != "details") return SUCCESS;
      return ForEachField(x, [&](std::string_view k, value& y) -> error_code {
        if (k == "ruleId") return json::ScalarText(y, message.rule_id);
        if (k == "severity") return json::ScalarText(y, message.severity);
        if (k == "match") {
          std::string_view match;
          MAMORI_JSON_TRY(json::ScalarText(y, match));
          message.access_denied |= SaysAccessDenied(match);
          return SUCCESS;
        }
        if (k == "tags") {
          return ForEachElement(y, [&](value& tag) -> error_code {
            std::string_view text;
            MAMORI_JSON_TRY(json::ScalarText(tag, text));
            if (message.attack_tag.empty() && text.starts_with("attack-")) {
              message.attack_tag = text;
            }
            return SUCCESS;
          });
        }
        return SUCCESS;
      });
    }));
    ++state.messages;
    state.access_denied |= message.access_denied;
    int rank = SeverityRank(message.severity);
    if (rank < state.best_rank) {
      state.best_rank = rank;
      state.best = message;
    }
    return SUCCESS;
  }

  void Finish(const State& state, Event& event) {
    event.Set(Field::kEventDataset, "modsecurity.audit");
    event.Set(Field::kObserverVendor, "OWASP");
    event.Set(Field::kObserverProduct, "ModSecurity");
    event.Set(Field::kNetworkProtocol, "http");
    if (state.messages == 0) {
      event.Set(Field::kEventCategory, "web");
      event.Set(Field::kEventAction, "request");
      return;
    }
    event.Set(Field::kEventCategory, "intrusion_detection");
    bool blocked = state.http_code == "403" || state.access_denied;
    event.Set(Field::kEventAction, blocked ? "block" : "alert");
    const Message& m = state.best;
    if (!m.rule_id.empty()) event.Set(Field::kRuleId, m.rule_id);
    if (!m.text.empty()) event.Set(Field::kRuleName, m.text);
    if (!m.attack_tag.empty()) event.Set(Field::kRuleCategory, m.attack_tag);
    if (!m.severity.empty()) event.Set(Field::kEventSeverity, m.severity);
  }

};

}  // namespace

std::unique_ptr<LogParser> MakeModSecurityJsonParser(const ParserOptions& options) {
  return std::make_unique<ModSecurityJsonParser>(options);
}

}  // namespace mamori::rse::ingest
