// Web server error logs, for HTTP basic-auth failures and access denials the access log cannot
// show (fail2ban's nginx-http-auth / apache-auth): nginx's error.log and Apache 2.2/2.4's
// error_log. Neither writes a time zone: times are taken as UTC. docs/formats/logs-web-errors.md.
#include <ctime>

#include "rse/ingest/parsers/access_log.h"
#include "rse/ingest/parsers/log_scan.h"
#include "rse/ingest/parsers/parsers.h"
#include "rse/ingest/parsers/syslog.h"

namespace mamori::rse::ingest {
namespace {

using scan::Cursor;

bool HasNoCase(std::string_view s, std::string_view what) {
  for (size_t i = 0; i + what.size() <= s.size(); ++i) {
    size_t j = 0;
    while (j < what.size() && (s[i + j] | 0x20) == (what[j] | 0x20)) ++j;
    if (j == what.size()) return true;
  }
  return false;
}

void Set(Event& e, std::string_view category, std::string_view action, std::string_view outcome) {
  e.Set(Field::kEventCategory, category);
  e.Set(Field::kEventAction, action);
  e.Set(Field::kEventOutcome, outcome);
}

// What an error message says, for both servers. Only messages that *start* with the auth text
// count: the rest of a message can quote a client's path ("File does not exist: /x user y not
// found") and must not pass for an authentication failure.
//   nginx:  user "NAME" was not found in "FILE" | user "NAME": password mismatch |
//           no user/password was provided for basic authentication
//   Apache: user NAME: authentication failure for "/": Password Mismatch | user NAME not found: /
//           (after an optional "AH01617: " code and "Digest: " module prefix)
void Classify(std::string_view msg, Event& e) {
  if (msg.starts_with("Digest: ")) msg.remove_prefix(8);
  if (msg.starts_with("user ")) {
    std::string_view rest = msg.substr(5);
    std::string_view name;
    if (rest.starts_with('"')) {
      size_t close = rest.find('"', 1);
      if (close != std::string_view::npos) name = rest.substr(1, close - 1);
    } else if (rest.starts_with('`')) {
      // mod_auth_digest: "user `NAME' in realm `REALM' not found: /path"
      size_t close = rest.find('\'', 1);
      if (close != std::string_view::npos) name = rest.substr(1, close - 1);
    } else {
      size_t end = rest.find(": ");
      size_t not_found = rest.find(" not found");
      name = rest.substr(0, std::min(end, not_found));
    }
    // mod_authz_core's "user NAME: authorization failure for "/path": ": the password was right
    // but the account may not see the resource.
    if (HasNoCase(msg, ": authorization failure for ")) {
      e.Set(Field::kUserName, name);
      Set(e, "web", "access_denied", "failure");
      return;
    }
    if (HasNoCase(msg, "password mismatch") || HasNoCase(msg, "was not found") ||
        HasNoCase(msg, "authentication failure") || HasNoCase(msg, " not found")) {
      e.Set(Field::kUserName, name);
      Set(e, "authentication", "http_auth", "failure");
      return;
    }
  }
  if (msg.starts_with("no user/password was provided") ||
      msg.starts_with("client used wrong authentication scheme")) {
    Set(e, "authentication", "http_auth", "failure");
  } else if (msg.starts_with("realm mismatch - ") || msg.starts_with("unknown algorithm `") ||
             msg.starts_with("invalid qop `") ||
             (msg.starts_with("invalid nonce ") && !HasNoCase(msg, " received - hash is not "))) {
    // mod_auth_digest rejecting what the client sent: a realm, algorithm or qop the server never
    // offered, a nonce of the wrong length or from the future ("user attempted time travel") —
    // answers no browser of a real user produces. Not "hash is not": a nonce this server did not
    // sign is also what every client still holding a nonce sends after a restart (the secret is
    // regenerated), so it is no evidence against the client.
    Set(e, "authentication", "http_auth", "failure");
  } else if (msg.starts_with("Authorization of user ")) {
    // mod_authz_owner: "Authorization of user NAME to access /path failed, reason: ..."
    std::string_view rest = msg.substr(22);
    size_t to = rest.rfind(" to access ");
    if (to != std::string_view::npos) e.Set(Field::kUserName, rest.substr(0, to));
    Set(e, "web", "access_denied", "failure");
  } else if (msg.starts_with("limiting requests") || msg.starts_with("limiting connections")) {
    Set(e, "web", "rate_limited", "failure");
  } else if (msg.starts_with("access forbidden by rule") ||
             msg.starts_with("client denied by server configuration")) {
    Set(e, "web", "access_denied", "failure");
  } else if ((msg.starts_with("Hostname ") && HasNoCase(msg, " provided via SNI")) ||
             msg.starts_with("No hostname was provided via SNI")) {
    // mod_ssl refusing a request whose TLS server name and Host header disagree (or, with
    // SSLStrictSNIVHostCheck, a client without SNI): what scanners that connect by address and
    // send another Host get, not a browser.
    Set(e, "web", "access_denied", "failure");
  } else if (msg.starts_with("open() \"") || msg.starts_with("\"")) {
    // nginx's 404 seen from the error log: open() "/srv/x.php" failed (2: No such file or
    // directory), or "/srv/dir/index.html" is not found (2: ...) for a directory index. Only
    // errno 2 (ENOENT): 13 (EACCES) is a permission problem of the server, not a missing path.
    if (msg.find(" failed (2: ") != std::string_view::npos ||
        msg.find(" is not found (2: ") != std::string_view::npos) {
      Set(e, "web", "not_found", "failure");
    } else {
      Set(e, "web", "error", "unknown");
    }
  } else {
    Set(e, "web", "error", "unknown");
  }
}

// "2024/01/01 00:00:00" → micros (UTC), 0 when not.
UnixMicros NginxTime(std::string_view s) {
  if (s.size() != 19 || s[4] != '/' || s[7] != '/' || s[10] != ' ' || s[13] != ':' ||
      s[16] != ':') {
    return 0;
  }
  auto n = [&](size_t at, size_t len) { return scan::ParseDigits(s.substr(at, len)); };
  return CivilToMicros(n(0, 4), n(5, 2), n(8, 2), n(11, 2), n(14, 2), n(17, 2));
}

// nginx: "2024/01/01 00:00:00 [error] 123#0: *1 MESSAGE, client: ADDR, server: NAME,
// request: "GET / HTTP/1.1", host: "HOST", referrer: "URL"".
class NginxErrorParser final : public LogParser {
 public:
  std::string_view format() const override { return "nginx-error"; }

  ParseResult Parse(std::string_view line, Event& e) override {
    line = scan::TrimRight(line);
    if (line.empty()) return ParseResult::Skip();
    if (line.size() < 19) return ParseResult::Malformed("no time");
    e.time = NginxTime(line.substr(0, 19));
    if (e.time == 0) return ParseResult::Malformed("no time");
    Cursor c{line, 19};
    std::string_view level;
    if (!c.Eat(" [") || !c.Until(']', level)) return ParseResult::Malformed("no [level]");
    c.SkipSpaces();
    std::string_view pid = c.Token();  // "123#0:"
    size_t hash = pid.find('#');
    if (hash == std::string_view::npos || !pid.ends_with(':')) {
      return ParseResult::Malformed("no pid#tid:");
    }
    c.SkipSpaces();
    if (c.Peek() == '*') {
      c.Token();  // connection number
      c.SkipSpaces();
    }
    std::string_view msg = c.Rest();
    // The context nginx appends: ", client: ADDR, server: NAME[, request: "..."][, host:
    // "..."]...". Both the text before it (a user name, a path) and the quoted values in it
    // (request line, Host header) are the client's, and nginx escapes no quotes, so ", client:
    // ADDR" can be forged on either side. The real one is the last whose rest of the line is a
    // well-formed context: a forgery inside the message is followed by the rest of nginx's message
    // text, and one inside a quoted value by the real closing quote, neither of which fits the
    // grammar. When no candidate is well-formed (a request line with a quote in it), the first
    // whose ADDR is an address is taken, as text quoted from the client usually follows the message
    // start.
    size_t at = 0, first = std::string_view::npos, best = std::string_view::npos;
    while ((at = msg.find(", client: ", at)) != std::string_view::npos) {
      Cursor ctx{msg, at + 10};
      std::string_view addr = ctx.Rest().substr(0, ctx.Rest().find(','));
      if (scan::LooksLikeIp(addr) || addr.starts_with("unix:")) {
        if (first == std::string_view::npos) first = at;
        if (WellFormedContext(msg.substr(at + 2))) best = at;
      }
      at += 10;
    }
    if (best == std::string_view::npos) best = first;
    std::string_view context;
    if (best != std::string_view::npos) {
      context = msg.substr(best + 2);
      msg = msg.substr(0, best);
    }
    e.Set(Field::kEventDataset, "nginx.error");
    e.Set(Field::kLogLevel, level);
    e.Set(Field::kProcessPid, pid.substr(0, hash));
    e.Set(Field::kMessage, msg);
    e.Set(Field::kNetworkProtocol, "http");
    ParseContext(context, e);
    Classify(msg, e);
    return ParseResult::Ok();
  }

 private:
  // "client: ADDR, server: NAME" then ", KEY: "VALUE"" pairs of the keys nginx writes, to the end
  // of the line. Server names have no spaces, commas or quotes; quoted values no quotes.
  static bool WellFormedContext(std::string_view context) {
    Cursor c{context};
    std::string_view key, value;
    if (!c.Eat("client: ") || !c.Until(',', value) || !c.Eat(" server: ")) return false;
    while (!c.AtEnd() && c.Peek() != ',') {
      char ch = c.Peek();
      if (ch == ' ' || ch == '"') return false;
      ++c.pos;
    }
    while (!c.AtEnd()) {
      if (!c.Eat(", ") || !c.Until(':', key) || !c.Eat(" \"")) return false;
      if (key != "request" && key != "subrequest" && key != "upstream" && key != "host" &&
          key != "referrer" && key != "login") {
        return false;
      }
      if (!c.Until('"', value)) return false;
    }
    return true;
  }

  static void ParseContext(std::string_view context, Event& e) {
    Cursor c{context};
    while (!c.AtEnd()) {
      std::string_view key;
      if (!c.Until(':', key) || !c.Eat(' ')) return;
      std::string_view value;
      if (c.Peek() == '"') {
        if (!c.Quoted(value)) return;
      } else {
        size_t comma = c.Rest().find(", ");
        value = c.Rest().substr(0, comma);
        c.pos += value.size();
      }
      if (key == "client") {
        if (scan::LooksLikeIp(value)) e.Set(Field::kSourceIp, value);
      } else if (key == "request") {
        SplitRequestLine(value, e);
      } else if (key == "host") {
        e.Set(Field::kUrlDomain, value);
      } else if (key == "referrer") {
        e.Set(Field::kHttpRequestReferrer, value);
      }
      if (!c.Eat(", ")) return;
    }
  }
};

// Apache 2.2: "[Sat Jun 01 02:17:42 2013] [error] [client 1.2.3.4] MESSAGE"
// Apache 2.4: "[Sat Jul 20 21:34:49.453232 2013] [auth_basic:error] [pid 1:tid 2]
//              [client 1.2.3.4:51380] AH01617: MESSAGE"
// With "ErrorLog syslog" the same groups follow a syslog header instead of the [time]:
//              "Feb 15 16:23:00 srv httpd[22034]: [authz_core:error] [pid 22034] [client ...] ..."
class ApacheErrorParser final : public LogParser {
 public:
  explicit ApacheErrorParser(const ParserOptions& options)
      : now_(options.now != 0 ? options.now : std::time(nullptr)) {}
  std::string_view format() const override { return "apache-error"; }

  ParseResult Parse(std::string_view line, Event& e) override {
    line = scan::TrimRight(line);
    if (line.empty()) return ParseResult::Skip();
    Cursor c{line};
    if (line.starts_with('[')) {
      std::string_view stamp;
      if (!c.Eat('[') || !c.Until(']', stamp)) return ParseResult::Malformed("no [time]");
      e.time = ApacheTime(stamp);
      if (e.time == 0) return ParseResult::Malformed("bad time");
    } else {
      SyslogHeader header;
      if (!ParseSyslogHeader(line, now_, header).empty()) {
        return ParseResult::Malformed("no [time]");
      }
      // Apache's syslog tag is its binary name ("httpd", "apache2") or the ErrorLog
      // "syslog:facility:tag" one ("httpd/backend1"); other programs of a shared syslog file are
      // not this format's lines.
      if (!header.program.starts_with("httpd") && !header.program.starts_with("apache")) {
        return ParseResult::Skip();
      }
      e.time = header.time;
      e.Set(Field::kHostName, header.host);
      e.Set(Field::kProcessName, header.program);
      e.Set(Field::kProcessPid, header.pid);
      c = Cursor{header.message};
    }
    bool v24 = false;
    std::string_view level, module, client;
    // The bracketed groups before the message; the first [client ...] is the real one (later
    // ones are message text).
    while (true) {
      c.SkipSpaces();
      if (c.Peek() != '[') break;
      size_t mark = c.pos;
      std::string_view group;
      if (!c.Eat('[') || !c.Until(']', group)) {
        c.pos = mark;
        break;
      }
      // "[client [2001:db8::1]:51548]": the bracketed IPv6 address's ']' is not the group's end.
      if ((group.starts_with("client [") || group.starts_with("remote [")) && c.Peek() == ':') {
        std::string_view port;
        if (!c.Until(']', port)) {
          c.pos = mark;
          break;
        }
        group = c.text.substr(mark + 1, c.pos - mark - 2);
      }
      if (group.starts_with("client ") || group.starts_with("remote ")) {
        if (client.empty()) client = group.substr(7);
      } else if (group.starts_with("pid ")) {
        v24 = true;
        std::string_view pid = group.substr(4);
        e.Set(Field::kProcessPid, pid.substr(0, pid.find(':')));
      } else if (level.empty()) {
        // "error" (2.2) or "module:level" (2.4)
        size_t colon = group.find(':');
        if (colon != std::string_view::npos) v24 = true;
        level = colon == std::string_view::npos ? group : group.substr(colon + 1);
        if (colon != std::string_view::npos) module = group.substr(0, colon);
      } else {
        c.pos = mark;
        break;
      }
    }
    if (level.empty()) return ParseResult::Malformed("no [level]");
    std::string_view msg = c.Rest();
    // "AH01617: " error code of 2.4.
    std::string_view text = msg;
    if (text.size() > 9 && text.starts_with("AH") && text.substr(7, 2) == ": " &&
        scan::IsAllDigits(text.substr(2, 5))) {
      text.remove_prefix(9);
    }
    SetClient(client, v24, e);
    e.Set(Field::kEventDataset, "apache.error");
    e.Set(Field::kLogLevel, level);
    e.Set(Field::kMessage, msg);
    e.Set(Field::kNetworkProtocol, "http");
    Classify(text, e);
    // mod_evasive (module "evasive20") blocks a client that sends too many requests with the
    // text of an access denial; what happened is rate limiting, not a refused resource.
    if (module.starts_with("evasive") && e.Get(Field::kEventAction) == "access_denied") {
      e.Set(Field::kEventAction, "rate_limited");
    }
    return ParseResult::Ok();
  }

 private:
  UnixSeconds now_;

  // "1.2.3.4", "1.2.3.4:51380", "2001:db8::1" (2.2, no port), "2001:db8::1:51380" (2.4 always
  // appends the port), "[2001:db8::1]:51380".
  static void SetClient(std::string_view client, bool v24, Event& e) {
    std::string_view port;
    if (client.starts_with('[')) {
      size_t close = client.find(']');
      if (close == std::string_view::npos) return;
      if (client.substr(close + 1).starts_with(':')) port = client.substr(close + 2);
      client = client.substr(1, close - 1);
    } else {
      size_t last = client.rfind(':');
      bool v4_with_port =
          last != std::string_view::npos && client.find('.') < last && client.find(':') == last;
      if (last != std::string_view::npos && (v4_with_port || (v24 && client.find(':') != last))) {
        port = client.substr(last + 1);
        client = client.substr(0, last);
      }
    }
    if (scan::LooksLikeIp(client)) e.Set(Field::kSourceIp, client);
    if (scan::IsAllDigits(port)) e.Set(Field::kSourcePort, port);
  }

  // "Sat Jun 01 02:17:42 2013" or "Sat Jul 20 21:34:49.453232 2013".
  static UnixMicros ApacheTime(std::string_view s) {
    if (s.size() < 24 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[13] != ':' ||
        s[16] != ':') {
      return 0;
    }
    int month = scan::MonthFromAbbrev(s.substr(4, 3));
    int day = scan::ParseDigits(s.substr(8, 2)[0] == ' ' ? s.substr(9, 1) : s.substr(8, 2));
    int hour = scan::ParseDigits(s.substr(11, 2)), minute = scan::ParseDigits(s.substr(14, 2)),
        second = scan::ParseDigits(s.substr(17, 2));
    size_t i = 19;
    int micros = 0;
    if (s[i] == '.') {
      size_t start = ++i;
      while (i < s.size() && scan::IsDigit(s[i])) {
        if (i - start < 6) micros = micros * 10 + (s[i] - '0');
        ++i;
      }
      for (size_t d = i - start; d < 6; ++d) micros *= 10;
    }
    if (i >= s.size() || s[i] != ' ') return 0;
    int year = scan::ParseDigits(s.substr(i + 1));
    if (month == 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || year < 0) return 0;
    return CivilToMicros(year, month, day, hour, minute, second, micros);
  }
};

}  // namespace

std::unique_ptr<LogParser> MakeNginxErrorParser(const ParserOptions&) {
  return std::make_unique<NginxErrorParser>();
}
std::unique_ptr<LogParser> MakeApacheErrorParser(const ParserOptions& options) {
  return std::make_unique<ApacheErrorParser>(options);
}

}  // namespace mamori::rse::ingest
