#include "rse/ingest/parsers/access_log.h"

#include <string>

#include "rse/ingest/parsers/log_scan.h"
#include "rse/ingest/parsers/parsers.h"

namespace mamori::rse::ingest {

using scan::Cursor;

bool SplitRequestLine(std::string_view request, Event& event) {
  // METHOD: upper-case token characters (RFC 9110 allows more, but real methods are these, and
  // scanners' binary garbage must not pass as one).
  size_t sp1 = request.find(' ');
  std::string_view method = request.substr(0, sp1);
  bool method_ok = !method.empty() && method.size() <= 32;
  for (char c : method) {
    if (!((c >= 'A' && c <= 'Z') || c == '-' || c == '_')) method_ok = false;
  }
  if (method_ok && sp1 != std::string_view::npos) {
    std::string_view rest = request.substr(sp1 + 1);
    size_t sp2 = rest.rfind(' ');
    std::string_view target = rest, version;
    if (sp2 != std::string_view::npos) {
      target = rest.substr(0, sp2);
      version = rest.substr(sp2 + 1);
    }
    bool version_ok = version.empty() || (version.starts_with("HTTP/") && version.size() > 5);
    // The target is one token; nginx logs a target with spaces (invalid) as it came.
    if (version_ok && !target.empty() && target.find(' ') == std::string_view::npos) {
      event.Set(Field::kHttpRequestMethod, method);
      event.Set(Field::kUrlOriginal, target);
      if (!version.empty()) event.Set(Field::kHttpVersion, version.substr(5));
      return true;
    }
  }
  event.Set(Field::kMessage, scan::Present(request));
  return false;
}

namespace {

enum class AccessLogShape { kCombined, kCommon };

void SetWebRequest(Event& event, std::string_view dataset) {
  event.Set(Field::kEventDataset, dataset);
  event.Set(Field::kEventCategory, "web");
  event.Set(Field::kEventAction, "request");
  event.Set(Field::kNetworkProtocol, "http");
}

// `client` is $remote_addr / %h: an address, or a host name when Apache resolves clients.
void SetClient(Event& event, std::string_view client) {
  if (scan::LooksLikeIp(client)) event.Set(Field::kSourceIp, client);
}

class AccessLogParser final : public LogParser {
 public:
  AccessLogParser(std::string_view format, std::string_view dataset, AccessLogShape shape)
      : format_(format), dataset_(dataset), shape_(shape) {}

  std::string_view format() const override { return format_; }

  ParseResult Parse(std::string_view line, Event& event) override {
    if (scan::TrimRight(line).empty()) return ParseResult::Skip();
    Cursor c{line};
    std::string_view client = c.Token();
    if (client.empty() || !c.Eat(' ')) return ParseResult::Malformed("no client address");
    c.Token();  // identd name, always "-" in practice
    if (!c.Eat(' ')) return ParseResult::Malformed("no time");
    // The user name may contain spaces (Apache %u logs what the client sent): up to " [".
    size_t bracket = line.find(" [", c.pos - 1);
    if (bracket == std::string_view::npos) return ParseResult::Malformed("no time");
    std::string_view user = bracket >= c.pos ? line.substr(c.pos, bracket - c.pos) : "";
    c.pos = bracket + 2;
    std::string_view time_text;
    if (!c.Until(']', time_text)) return ParseResult::Malformed("no time");
    event.time = scan::ParseClfTime(time_text);
    if (event.time == 0) return ParseResult::Malformed("bad time");
    std::string_view request;
    if (!c.Eat(' ') || !c.Quoted(request)) return ParseResult::Malformed("no quoted request");
    if (!c.Eat(' ')) return ParseResult::Malformed("no status");
    std::string_view status = c.Token();
    if (status.size() != 3 || !scan::IsAllDigits(status)) {
      return ParseResult::Malformed("bad status");
    }
    std::string_view bytes;
    if (c.Eat(' ')) bytes = c.Token();
    if (bytes != "-" && !scan::IsAllDigits(bytes)) return ParseResult::Malformed("bad byte count");
    std::string_view referrer, agent;
    if (shape_ == AccessLogShape::kCombined) {
      if (!c.Eat(' ') || !c.Quoted(referrer) || !c.Eat(' ') || !c.Quoted(agent)) {
        return ParseResult::Malformed("no quoted referrer and user agent");
      }
    }
    // Anything after (nginx configs often append "$http_x_forwarded_for" etc.) is ignored.

    SetWebRequest(event, dataset_);
    SetClient(event, client);
    event.Set(Field::kUserName, scan::Present(user));
    SplitRequestLine(request, event);
    event.Set(Field::kHttpResponseStatusCode, status);
    event.Set(Field::kHttpResponseBodyBytes, scan::Present(bytes));
    event.Set(Field::kHttpRequestReferrer, scan::Present(referrer));
    event.Set(Field::kUserAgentOriginal, scan::Present(agent));
    return ParseResult::Ok();
  }

 private:
  std::string format_;
  std::string dataset_;
  AccessLogShape shape_;
};

// ---- JSON access logs ----

// What a JSON key means. Keys not listed here are looked up as ECS names (FieldFromName).
enum class JsonRole : uint8_t {
  kIgnore,
  kField,      // straight into `field`
  kRequest,    // "GET / HTTP/1.1"
  kClfTime,    // time_local
  kIsoTime,    // time_iso8601, @timestamp
  kEpochTime,  // msec: "1700000000.123"
  kProtocol,   // server_protocol "HTTP/1.1"
};

struct JsonKey {
  std::string_view key;
  JsonRole role;
  Field field;
};

constexpr JsonKey kJsonKeys[] = {
    {"remote_addr", JsonRole::kField, Field::kSourceIp},
    {"client_ip", JsonRole::kField, Field::kSourceIp},
    {"remote_port", JsonRole::kField, Field::kSourcePort},
    {"server_addr", JsonRole::kField, Field::kDestinationIp},
    {"server_port", JsonRole::kField, Field::kDestinationPort},
    {"time_local", JsonRole::kClfTime, Field::kCount},
    {"time_iso8601", JsonRole::kIsoTime, Field::kCount},
    {"@timestamp", JsonRole::kIsoTime, Field::kCount},
    {"msec", JsonRole::kEpochTime, Field::kCount},
    {"request", JsonRole::kRequest, Field::kCount},
    {"request_method", JsonRole::kField, Field::kHttpRequestMethod},
    {"request_uri", JsonRole::kField, Field::kUrlOriginal},
    {"server_protocol", JsonRole::kProtocol, Field::kCount},
    {"status", JsonRole::kField, Field::kHttpResponseStatusCode},
    {"body_bytes_sent", JsonRole::kField, Field::kHttpResponseBodyBytes},
    {"http_referer", JsonRole::kField, Field::kHttpRequestReferrer},
    {"http_referrer", JsonRole::kField, Field::kHttpRequestReferrer},
    {"http_user_agent", JsonRole::kField, Field::kUserAgentOriginal},
    {"remote_user", JsonRole::kField, Field::kUserName},
    {"host", JsonRole::kField, Field::kUrlDomain},
    {"http_host", JsonRole::kField, Field::kUrlDomain},
    {"server_name", JsonRole::kField, Field::kUrlDomain},
    {"bytes_sent", JsonRole::kField, Field::kNetworkBytes},
};

// A flat-or-nested JSON object scanner for access-log lines. nginx's escape=json output is a flat
// object of strings; ECS-shaped logs nest objects ({"source":{"ip":...}}), whose keys are joined
// with dots. Arrays are skipped. Strings with escapes are unescaped into the arena.
class AccessJsonParser final : public LogParser {
 public:
  std::string_view format() const override { return "access-json"; }

  ParseResult Parse(std::string_view line, Event& event) override {
    std::string_view trimmed = scan::TrimRight(line);
    if (trimmed.empty()) return ParseResult::Skip();
    arena_.Reset();
    path_.clear();
    request_ = {};
    Cursor c{trimmed};
    SkipWs(c);
    if (c.Peek() != '{') return ParseResult::Malformed("not a JSON object");
    if (std::string_view why = Object(c, event, 0); !why.empty()) {
      return ParseResult::Malformed(why);
    }
    SkipWs(c);
    if (!c.AtEnd()) return ParseResult::Malformed("text after the JSON object");
    // "request" fills only what request_method/request_uri/server_protocol did not.
    if (!request_.empty()) {
      Event split;
      SplitRequestLine(request_, split);
      for (Field f :
           {Field::kHttpRequestMethod, Field::kUrlOriginal, Field::kHttpVersion, Field::kMessage}) {
        if (!event.Has(f)) event.Set(f, split.Get(f));
      }
    }
    if (!event.Has(Field::kEventDataset)) event.Set(Field::kEventDataset, "nginx.access");
    if (!event.Has(Field::kEventCategory)) event.Set(Field::kEventCategory, "web");
    if (!event.Has(Field::kEventAction)) event.Set(Field::kEventAction, "request");
    if (!event.Has(Field::kNetworkProtocol)) event.Set(Field::kNetworkProtocol, "http");
    return ParseResult::Ok();
  }

 private:
  static void SkipWs(Cursor& c) {
    while (!c.AtEnd() && (c.Peek() == ' ' || c.Peek() == '\t')) ++c.pos;
  }

  // Parses a JSON string at the cursor; the value is a view into the line or the arena.
  std::string_view String(Cursor& c, std::string_view& out) {
    if (!c.Eat('"')) return "expected a string";
    size_t start = c.pos;
    bool escaped = false;
    while (c.pos < c.text.size() && c.text[c.pos] != '"') {
      if (c.text[c.pos] == '\\') {
        escaped = true;
        ++c.pos;
      }
      ++c.pos;
    }
    if (c.pos >= c.text.size()) return "unterminated string";
    std::string_view raw = c.text.substr(start, c.pos - start);
    ++c.pos;
    out = escaped ? Unescape(raw) : raw;
    return {};
  }

  std::string_view Unescape(std::string_view raw) {
    char* out = arena_.Reserve(raw.size());  // unescaping never grows the text
    size_t n = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
      char ch = raw[i];
      if (ch != '\\' || i + 1 >= raw.size()) {
        out[n++] = ch;
        continue;
      }
      char e = raw[++i];
      switch (e) {
        case 'n':
          out[n++] = '\n';
          break;
        case 't':
          out[n++] = '\t';
          break;
        case 'r':
          out[n++] = '\r';
          break;
        case 'b':
          out[n++] = '\b';
          break;
        case 'f':
          out[n++] = '\f';
          break;
        case 'u': {
          uint32_t cp = 0;
          bool ok = i + 4 < raw.size();
          for (size_t k = 1; ok && k <= 4; ++k) {
            char h = raw[i + k];
            int v = scan::IsDigit(h)                           ? h - '0'
                    : ((h | 0x20) >= 'a' && (h | 0x20) <= 'f') ? (h | 0x20) - 'a' + 10
                                                               : -1;
            if (v < 0) ok = false;
            cp = cp * 16 + v;
          }
          if (!ok) {
            out[n++] = 'u';
            break;
          }
          i += 4;
          // Surrogates are written as U+FFFD: three bytes, no more than the six we consumed.
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
          if (cp < 0x80) {
            out[n++] = static_cast<char>(cp);
          } else if (cp < 0x800) {
            out[n++] = static_cast<char>(0xC0 | (cp >> 6));
            out[n++] = static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            out[n++] = static_cast<char>(0xE0 | (cp >> 12));
            out[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out[n++] = static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default:
          out[n++] = e;  // \" \\ \/
      }
    }
    return arena_.Commit(n);
  }

  // A scalar (number, true, false, null): its text.
  static std::string_view Scalar(Cursor& c) {
    size_t start = c.pos;
    while (!c.AtEnd() && c.Peek() != ',' && c.Peek() != '}' && c.Peek() != ']' && c.Peek() != ' ') {
      ++c.pos;
    }
    return c.text.substr(start, c.pos - start);
  }

  std::string_view SkipArray(Cursor& c, int depth) {
    c.Eat('[');
    SkipWs(c);
    if (c.Eat(']')) return {};
    while (true) {
      SkipWs(c);
      std::string_view ignored;
      if (c.Peek() == '"') {
        if (auto why = String(c, ignored); !why.empty()) return why;
      } else if (c.Peek() == '[') {
        if (depth > 16) return "JSON nested too deeply";
        if (auto why = SkipArray(c, depth + 1); !why.empty()) return why;
      } else if (c.Peek() == '{') {
        size_t mark = path_.size();
        path_ += "[].";  // keys inside arrays never match a field
        auto why = Object(c, discard_, depth + 1);
        path_.resize(mark);
        if (!why.empty()) return why;
      } else if (Scalar(c).empty()) {
        return "bad JSON value";
      }
      SkipWs(c);
      if (c.Eat(']')) return {};
      if (!c.Eat(',')) return "expected , or ] in array";
    }
  }

  std::string_view Object(Cursor& c, Event& event, int depth) {
    if (depth > 16) return "JSON nested too deeply";
    c.Eat('{');
    SkipWs(c);
    if (c.Eat('}')) return {};
    while (true) {
      SkipWs(c);
      std::string_view key;
      if (auto why = String(c, key); !why.empty()) return why;
      SkipWs(c);
      if (!c.Eat(':')) return "expected : after key";
      SkipWs(c);
      size_t mark = path_.size();
      std::string_view full_key = key;
      if (mark > 0) {
        path_ += key;
        full_key = path_;
      }
      std::string_view why;
      char next = c.Peek();
      if (next == '{') {
        if (mark == 0) path_ += key;
        path_ += '.';
        why = Object(c, event, depth + 1);
      } else if (next == '[') {
        why = SkipArray(c, depth + 1);
      } else {
        std::string_view value;
        if (next == '"') {
          why = String(c, value);
        } else {
          value = Scalar(c);
          if (value.empty()) why = "bad JSON value";
          if (value == "null") value = {};
        }
        if (why.empty()) Assign(full_key, value, event);
      }
      path_.resize(mark);
      if (!why.empty()) return why;
      SkipWs(c);
      if (c.Eat('}')) return {};
      if (!c.Eat(',')) return "expected , or } in object";
    }
  }

  void Assign(std::string_view key, std::string_view value, Event& event) {
    value = scan::Present(value);
    if (value.empty()) return;
    for (const JsonKey& k : kJsonKeys) {
      if (k.key != key) continue;
      switch (k.role) {
        case JsonRole::kField:
          event.Set(k.field, value);
          break;
        case JsonRole::kRequest:
          request_ = value;
          break;
        case JsonRole::kClfTime:
          event.time = scan::ParseClfTime(value);
          break;
        case JsonRole::kIsoTime:
          event.time = scan::ParseIsoTime(value);
          break;
        case JsonRole::kEpochTime:
          event.time = EpochMicros(value);
          break;
        case JsonRole::kProtocol:
          if (value.starts_with("HTTP/")) event.Set(Field::kHttpVersion, value.substr(5));
          break;
        case JsonRole::kIgnore:
          break;
      }
      return;
    }
    if (key.find('.') != std::string_view::npos) {
      if (auto field = FieldFromName(key)) {
        event.Set(*field, value);
      } else if (key == "http.request.body.bytes" || key == "url.path") {
        // url.path without a query is the best we have when url.original is missing.
        if (key == "url.path" && !event.Has(Field::kUrlOriginal)) {
          event.Set(Field::kUrlOriginal, value);
        }
      }
    }
  }

  // nginx $msec: "1700000000.123".
  static UnixMicros EpochMicros(std::string_view value) {
    size_t dot = value.find('.');
    int64_t seconds = 0;
    std::string_view whole = value.substr(0, dot);
    if (!scan::IsAllDigits(whole) || whole.size() > 12) return 0;
    for (char ch : whole) seconds = seconds * 10 + (ch - '0');
    int64_t micros = 0;
    if (dot != std::string_view::npos) {
      std::string_view frac = value.substr(dot + 1);
      int digits = 0;
      for (char ch : frac) {
        if (!scan::IsDigit(ch)) return 0;
        if (digits++ < 6) micros = micros * 10 + (ch - '0');
      }
      for (; digits < 6; ++digits) micros *= 10;
    }
    return seconds * 1'000'000 + micros;
  }

  Arena arena_;
  std::string path_;  // dotted prefix of the current nested object ("source.")
  std::string_view request_;
  Event discard_;  // receives keys of objects inside arrays
};

}  // namespace

std::unique_ptr<LogParser> MakeCombinedLogParser(std::string_view format, std::string_view dataset,
                                                 const ParserOptions&) {
  return std::make_unique<AccessLogParser>(format, dataset, AccessLogShape::kCombined);
}

std::unique_ptr<LogParser> MakeCommonLogParser(std::string_view format, std::string_view dataset,
                                               const ParserOptions&) {
  return std::make_unique<AccessLogParser>(format, dataset, AccessLogShape::kCommon);
}

std::unique_ptr<LogParser> MakeAccessJsonParser(const ParserOptions&) {
  return std::make_unique<AccessJsonParser>();
}

}  // namespace mamori::rse::ingest
