// Postfix messages from syslog (postfix/smtpd, postfix/submission/smtpd, postfix/postscreen...):
// SASL authentication failures and successes, NOQUEUE/milter rejects, postscreen protocol
// violations, connects and disconnects. The client is the "name[address]" (or "[address]:port")
// postfix writes. docs/formats/logs-syslog.md lists the mapping.
#include "rse/ingest/parsers/log_scan.h"
#include "rse/ingest/parsers/parsers.h"
#include "rse/ingest/parsers/syslog.h"

namespace mamori::rse::ingest {
namespace {

bool Has(std::string_view s, std::string_view what) {
  return s.find(what) != std::string_view::npos;
}

// The client postfix names: "from NAME[ADDR]" / "client=NAME[ADDR]" / postscreen's "[ADDR]:PORT".
// The first bracketed address after " from " or "client=" wins; later brackets are message text
// (a reject reason can quote another address).
void FindClient(std::string_view msg, Event& e) {
  for (std::string_view key : {" from ", "client="}) {
    size_t at = msg.find(key);
    while (at != std::string_view::npos) {
      scan::Cursor c{msg, at + key.size()};
      std::string_view token = c.Token();
      size_t open = token.find('[');
      size_t close = token.find(']', open == std::string_view::npos ? 0 : open);
      if (open != std::string_view::npos && close != std::string_view::npos) {
        std::string_view address = token.substr(open + 1, close - open - 1);
        if (address.starts_with("IPv6:")) address.remove_prefix(5);
        if (scan::LooksLikeIp(address)) {
          e.Set(Field::kSourceIp, address);
          std::string_view after = token.substr(close + 1);
          if (after.starts_with(':')) {
            std::string_view port = after.substr(1);
            while (!port.empty() && !scan::IsDigit(port.back())) port.remove_suffix(1);
            if (scan::IsAllDigits(port)) e.Set(Field::kSourcePort, port);
          }
          return;
        }
      }
      at = msg.find(key, at + key.size());
    }
  }
}

void Set(Event& e, std::string_view category, std::string_view action, std::string_view outcome) {
  e.Set(Field::kEventCategory, category);
  e.Set(Field::kEventAction, action);
  e.Set(Field::kEventOutcome, outcome);
}

void Classify(std::string_view msg, Event& e) {
  if (Has(msg, "SASL ") && Has(msg, " authentication failed")) {
    // "...: Connection lost to authentication server": postfix could not reach its SASL
    // server (dovecot, saslauthd), so nothing is known about the client's password.
    Set(e, "authentication", "smtp_auth",
        Has(msg, "authentication failed: Connection lost to authentication server") ? "unknown"
                                                                                    : "failure");
  } else if (Has(msg, "sasl_username=")) {
    size_t at = msg.find("sasl_username=") + 14;
    std::string_view user = msg.substr(at);
    e.Set(Field::kUserName, user.substr(0, user.find_first_of(", ")));
    Set(e, "authentication", "smtp_auth", "success");
  } else if (Has(msg, "reject: ") || Has(msg, "milter-reject: ")) {
    Set(e, "email", "reject", "failure");
  } else if (msg.starts_with("lost connection after AUTH ")) {
    Set(e, "authentication", "smtp_auth", "failure");
  } else if (msg.starts_with("disconnect from ")) {
    // "auth=0/1": the client tried AUTH and never succeeded.
    size_t at = msg.find(" auth=0/");
    if (at != std::string_view::npos) {
      Set(e, "authentication", "smtp_auth", "failure");
    } else {
      Set(e, "email", "disconnect", "unknown");
    }
  } else if (msg.starts_with("PREGREET ") || msg.starts_with("COMMAND TIME LIMIT ") ||
             msg.starts_with("COMMAND PIPELINING ") || msg.starts_with("COMMAND COUNT LIMIT ") ||
             msg.starts_with("COMMAND LENGTH LIMIT ") || msg.starts_with("BARE NEWLINE ") ||
             msg.starts_with("NON-SMTP COMMAND ") || msg.starts_with("HANGUP ") ||
             msg.starts_with("DNSBL rank ") || msg.starts_with("too many errors after ") ||
             msg.starts_with("improper command pipelining after ")) {
    // smtpd's "improper command pipelining after CMD from ...": the client sent commands before
    // the server's reply, as spam bots do to save round trips (RFC 2920 allows it only with
    // PIPELINING and never across EHLO/DATA).
    Set(e, "email", "protocol_violation", "failure");
  } else if (msg.starts_with("connect from ") || msg.starts_with("CONNECT from ")) {
    Set(e, "email", "connect", "unknown");
  } else if (msg.starts_with("lost connection after ")) {
    Set(e, "email", "disconnect", "unknown");
  }
}

class PostfixParser final : public SyslogProgramParser {
 public:
  explicit PostfixParser(const ParserOptions& options)
      : SyslogProgramParser("postfix", "postfix", options) {}

 protected:
  bool Accepts(std::string_view program) const override {
    // postfix/smtpd, postfix/submission/smtpd, postfix-out/smtp (multi-instance).
    return program.starts_with("postfix/") || program.starts_with("postfix-");
  }
  ParseResult ParseMessage(const SyslogHeader& header, Event& event) override {
    std::string_view msg = header.message;
    event.Set(Field::kNetworkProtocol, "smtp");
    // "warning: NAME[ADDR]: SASL LOGIN authentication failed: ..." names the client first.
    if (msg.starts_with("warning: ")) {
      std::string_view rest = msg.substr(9);
      std::string_view client = rest.substr(0, rest.find(": "));
      size_t open = client.find('['), close = client.rfind(']');
      // "NAME[ADDR]" or, with smtpd_client_port_logging, "NAME[ADDR]:PORT".
      std::string_view after =
          close == std::string_view::npos ? std::string_view{} : client.substr(close + 1);
      if (after.starts_with(':') && scan::IsAllDigits(after.substr(1))) {
        event.Set(Field::kSourcePort, after.substr(1));
        after = {};
      }
      if (open != std::string_view::npos && close != std::string_view::npos && after.empty() &&
          close > open) {
        std::string_view address = client.substr(open + 1, close - open - 1);
        if (scan::LooksLikeIp(address)) event.Set(Field::kSourceIp, address);
      }
    }
    if (!event.Has(Field::kSourceIp)) FindClient(msg, event);
    Classify(msg, event);
    return ParseResult::Ok();
  }
};

}  // namespace

std::unique_ptr<LogParser> MakePostfixParser(const ParserOptions& options) {
  return std::make_unique<PostfixParser>(options);
}

}  // namespace mamori::rse::ingest
