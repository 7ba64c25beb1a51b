// OpenSSH server messages (sshd, and sshd-session / sshd-auth of OpenSSH 9.8+) from syslog or
// journal text: failed and accepted logins, invalid users, pre-auth disconnects, protocol probes.
// Which message becomes which event.action/outcome is in docs/formats/logs-syslog.md; the user
// name is attacker-controlled text, so addresses are read from the positions sshd itself writes
// (e.g. from the end of "Connection closed by authenticating user NAME HOST port N").
#include <list>
#include <string>
#include <unordered_map>

#include "rse/ingest/parsers/log_scan.h"
#include "rse/ingest/parsers/parsers.h"
#include "rse/ingest/parsers/syslog.h"

namespace mamori::rse::ingest {
namespace {

using scan::TrimRight;

// "HOST", "HOST port N": the end of most sshd messages. `before` is what precedes HOST.
struct Tail {
  std::string_view before;
  std::string_view host;
  std::string_view port;
};

std::string_view StripSuffix(std::string_view s, std::string_view suffix) {
  return s.ends_with(suffix) ? s.substr(0, s.size() - suffix.size()) : s;
}

// Reads HOST [port N] [sshV] from the end of `s`: sshd writes these last, after any
// client-chosen text (user names), so reading backwards cannot be fooled by that text.
bool SplitTail(std::string_view s, Tail& out) {
  s = TrimRight(s);
  for (std::string_view suffix : {" ssh2", " ssh1", " ssh"}) s = StripSuffix(s, suffix);
  size_t sp = s.rfind(' ');
  std::string_view last = s.substr(sp == std::string_view::npos ? 0 : sp + 1);
  out.port = {};
  if (scan::IsAllDigits(last) && sp != std::string_view::npos &&
      s.substr(0, sp).ends_with(" port")) {
    out.port = last;
    s = s.substr(0, sp - 5);
    sp = s.rfind(' ');
  }
  out.host = s.substr(sp == std::string_view::npos ? 0 : sp + 1);
  out.before = sp == std::string_view::npos ? std::string_view{} : s.substr(0, sp);
  return !out.host.empty();
}

// "Failed password for [invalid user ]USER from HOST port N ssh2[: INFO]": the first " from "
// whose HOST [port N] [sshV] is followed by the end or ": " (the info part). A user name containing
// " from x port y" is followed by more text, so it is not taken.
bool FindFromHost(std::string_view s, std::string_view& user, Tail& out) {
  size_t at = 0;
  while ((at = s.find(" from ", at)) != std::string_view::npos) {
    scan::Cursor c{s, at + 6};
    std::string_view host = c.Token();
    std::string_view port;
    size_t mark = c.pos;
    if (c.Eat(" port ")) {
      port = c.Token();
      if (!scan::IsAllDigits(port)) port = {}, c.pos = mark;
    }
    if (host.ends_with(':')) host.remove_suffix(1), c.pos = mark - 1;
    mark = c.pos;
    if (c.Eat(" ssh")) {
      while (scan::IsDigit(c.Peek())) ++c.pos;
    }
    if (!host.empty() && (c.AtEnd() || c.Peek() == ':')) {
      user = s.substr(0, at);
      out.host = host;
      out.port = port;
      return true;
    }
    at += 6;
  }
  return false;
}

void SetClient(Event& e, std::string_view host, std::string_view port) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  // A dual-stack socket shows IPv4 clients as "::ffff:1.2.3.4": the client is the IPv4 address.
  if (host.starts_with("::ffff:") && host.find('.') != std::string_view::npos) {
    host.remove_prefix(7);
  }
  if (scan::LooksLikeIp(host)) e.Set(Field::kSourceIp, host);
  e.Set(Field::kSourcePort, port);
}

void Login(Event& e, std::string_view outcome) {
  e.Set(Field::kEventCategory, "authentication");
  e.Set(Field::kEventAction, "ssh_login");
  e.Set(Field::kEventOutcome, outcome);
}

void Network(Event& e, std::string_view action, std::string_view outcome) {
  e.Set(Field::kEventCategory, "network");
  e.Set(Field::kEventAction, action);
  e.Set(Field::kEventOutcome, outcome);
}

std::string_view After(std::string_view s, std::string_view prefix) {
  return s.substr(prefix.size());
}

bool StartsNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if ((s[i] | 0x20) != (prefix[i] | 0x20)) return false;
  }
  return true;
}

// "Connection closed by", "Disconnected from", "Connection reset by": REST is
// "[invalid user|authenticating user USER ]HOST[ port N]".
void Disconnect(std::string_view rest, Event& e) {
  Tail t;
  if (!SplitTail(rest, t)) return;
  SetClient(e, t.host, t.port);
  for (std::string_view who : {"invalid user ", "authenticating user "}) {
    if (rest.starts_with(who)) {
      // Before HOST is "invalid user USER" (USER may be empty or contain spaces).
      std::string_view before = t.before;
      e.Set(Field::kUserName, before.size() > who.size() ? before.substr(who.size()) : "");
      Login(e, "failure");
      return;
    }
  }
  Network(e, "ssh_disconnect", "unknown");
}

void Probe(Event& e) { Network(e, "ssh_probe", "failure"); }

// What ParseSshMessage learnt about the connection, for the per-pid tracking of SshdParser.
struct SshLine {
  bool ends_connection = false;    // "Connection closed/reset by", "Disconnected from", ...
  bool starts_connection = false;  // "Connection from HOST port N"
  bool accepted = false;           // "Accepted ... for USER from HOST"
};

ParseResult ParseSshMessage(std::string_view msg, Event& e, SshLine& info) {
  e.Set(Field::kNetworkProtocol, "ssh");
  for (std::string_view prefix : {"error: ", "fatal: "}) {
    if (msg.starts_with(prefix)) msg = After(msg, prefix);
  }
  if (msg.starts_with("PAM: ")) msg = After(msg, "PAM: ");
  msg = TrimRight(msg);
  // " [preauth]" says the client never authenticated; the action already says as much.
  if (msg.ends_with(" [preauth]")) msg = TrimRight(msg.substr(0, msg.size() - 10));

  Tail t;
  std::string_view user;
  if (msg.starts_with("Failed ") || msg.starts_with("Accepted ") || msg.starts_with("Postponed ")) {
    bool failed = msg[0] == 'F', accepted = msg[0] == 'A';
    size_t for_at = msg.find(" for ");
    if (for_at == std::string_view::npos) return ParseResult::Ok();
    // Keep the space before USER: FindFromHost looks for " from ", and USER may be empty.
    std::string_view rest = msg.substr(for_at + 4);
    if (!FindFromHost(rest, user, t)) return ParseResult::Ok();
    user.remove_prefix(1);
    if (user.starts_with("invalid user ")) user = After(user, "invalid user ");
    SetClient(e, t.host, t.port);
    e.Set(Field::kUserName, user);
    if (failed) Login(e, "failure");
    if (accepted) Login(e, "success");
    info.accepted = accepted;
  } else if (msg.starts_with("Invalid user ") || msg.starts_with("Illegal user ") ||
             msg.starts_with("invalid user ")) {
    std::string_view rest = msg.substr(13);
    if (SplitTail(rest, t) && (t.before.ends_with(" from") || t.before == "from")) {
      user = t.before.size() > 5 ? t.before.substr(0, t.before.size() - 5) : "";
      SetClient(e, t.host, t.port);
    } else {
      user = rest;  // "input_userauth_request: invalid user root" style: no address
    }
    e.Set(Field::kUserName, TrimRight(user));
    Login(e, "failure");
  } else if (msg.starts_with("input_userauth_request: invalid user ")) {
    e.Set(Field::kUserName, After(msg, "input_userauth_request: invalid user "));
    Login(e, "failure");
  } else if (msg.starts_with("User ") && msg.find(" not allowed because ") != msg.npos) {
    std::string_view rest = After(msg, "User ");
    size_t because = rest.find(" not allowed because ");
    std::string_view who = rest.substr(0, because);
    if (size_t from = who.rfind(" from "); from != std::string_view::npos) {
      SetClient(e, who.substr(from + 6), {});
      who = who.substr(0, from);
    }
    e.Set(Field::kUserName, who);
    Login(e, "failure");
  } else if (msg.starts_with("Connection closed by ")) {
    Disconnect(After(msg, "Connection closed by "), e);
    info.ends_connection = true;
  } else if (msg.starts_with("Connection reset by ")) {
    Disconnect(After(msg, "Connection reset by "), e);
    info.ends_connection = true;
  } else if (msg.starts_with("Disconnected from ")) {
    Disconnect(After(msg, "Disconnected from "), e);
    info.ends_connection = true;
  } else if (msg.starts_with("Disconnecting invalid user ") ||
             msg.starts_with("Disconnecting authenticating user ")) {
    // "... USER HOST port N: Change of username or service not allowed: ..."
    std::string_view rest = msg.substr(msg.find(" user ") + 6);
    size_t colon = rest.find(": ");
    if (SplitTail(rest.substr(0, colon), t)) {
      SetClient(e, t.host, t.port);
      e.Set(Field::kUserName, t.before);
    }
    Login(e, "failure");
  } else if (msg.starts_with("Disconnecting: Too many authentication failures")) {
    std::string_view rest = After(msg, "Disconnecting: Too many authentication failures");
    if (rest.starts_with(" for ")) {
      rest = rest.substr(5);
      if (rest.starts_with("invalid user ")) rest = After(rest, "invalid user ");
      e.Set(Field::kUserName, rest);
    }
    Login(e, "failure");
  } else if (msg.starts_with("maximum authentication attempts exceeded for ")) {
    std::string_view rest = After(msg, "maximum authentication attempts exceeded for ");
    if (SplitTail(rest, t) && t.before.ends_with(" from")) {
      user = t.before.substr(0, t.before.size() - 5);
      if (user.starts_with("invalid user ")) user = After(user, "invalid user ");
      e.Set(Field::kUserName, user);
      SetClient(e, t.host, t.port);
    }
    Login(e, "failure");
  } else if (StartsNoCase(msg, "Authentication failure for ") ||
             StartsNoCase(msg, "Authentication error for ") ||
             StartsNoCase(msg, "Authentication failed for ") ||
             msg.starts_with("User not known to the underlying authentication module for ")) {
    // PAM: "... for USER from HOST[ via ADDR]"
    std::string_view rest = msg.substr(msg.find(" for ") + 5);
    if (size_t via = rest.rfind(" via "); via != std::string_view::npos) rest = rest.substr(0, via);
    if (SplitTail(rest, t) && t.before.ends_with(" from")) {
      user = t.before.substr(0, t.before.size() - 5);
      for (std::string_view p : {"illegal user ", "invalid user "}) {
        if (user.starts_with(p)) user = After(user, p);
      }
      e.Set(Field::kUserName, user);
      SetClient(e, t.host, t.port);
    }
    Login(e, "failure");
  } else if (msg.starts_with("pam_") &&
             msg.find("(sshd:auth): authentication failure;") != std::string_view::npos) {
    // pam_unix(sshd:auth): authentication failure; logname= uid=0 ... rhost=HOST  user=USER.
    // sshd logs its own "Failed password" for the same attempt, so this is pam_auth, not
    // ssh_login: counting both would double every failure.
    scan::Cursor c{msg, msg.find(';') + 1};
    while (!c.AtEnd()) {
      c.SkipSpaces();
      std::string_view kv = c.Token();
      if (kv.starts_with("rhost=")) SetClient(e, kv.substr(6), {});
      if (kv.starts_with("user=")) e.Set(Field::kUserName, kv.substr(5));
    }
    e.Set(Field::kEventCategory, "authentication");
    e.Set(Field::kEventAction, "pam_auth");
    e.Set(Field::kEventOutcome, "failure");
  } else if (msg.starts_with("ROOT LOGIN REFUSED FROM ")) {
    if (SplitTail(After(msg, "ROOT LOGIN REFUSED FROM "), t)) SetClient(e, t.host, t.port);
    e.Set(Field::kUserName, "root");
    Login(e, "failure");
  } else if (msg.starts_with("refused connect from ")) {
    // tcp_wrappers: "refused connect from NAME (ADDR)"
    size_t open = msg.rfind('('), close = msg.rfind(')');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
      SetClient(e, msg.substr(open + 1, close - open - 1), {});
    }
    Network(e, "reject", "failure");
  } else if (msg.starts_with("Received disconnect from ")) {
    // "HOST port N:CODE: text" (OpenSSH >= 7.x) or "HOST: CODE: text".
    std::string_view rest = After(msg, "Received disconnect from ");
    std::string_view host, port, after;
    if (size_t p = rest.find(" port "); p != std::string_view::npos) {
      host = rest.substr(0, p);
      std::string_view tail = rest.substr(p + 6);
      size_t colon = tail.find(':');
      port = tail.substr(0, colon);
      after = colon == std::string_view::npos ? "" : tail.substr(colon + 1);
    } else if (size_t colon = rest.find(": "); colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      after = rest.substr(colon + 1);
    }
    SetClient(e, host, scan::IsAllDigits(port) ? port : "");
    info.ends_connection = true;
    while (after.starts_with(' ')) after.remove_prefix(1);
    if (after.starts_with("3:") && msg.find("Auth fail") != std::string_view::npos) {
      Login(e, "failure");
    } else if (after.starts_with("14:")) {
      Probe(e);  // "No supported authentication methods available": a scanner's client
    } else {
      Network(e, "ssh_disconnect", "unknown");
    }
  } else if (msg.starts_with("Did not receive identification string from ") ||
             msg.starts_with("Bad protocol version identification ")) {
    if (SplitTail(msg, t)) SetClient(e, t.host, t.port);
    Probe(e);
  } else if (msg.starts_with("banner exchange: Connection from ") ||
             msg.starts_with("Unable to negotiate with ")) {
    std::string_view rest = msg.substr(msg.starts_with("b") ? 33 : 25);
    if (SplitTail(rest.substr(0, rest.find(": ")), t)) SetClient(e, t.host, t.port);
    Probe(e);
  } else if (msg.starts_with("kex_exchange_identification: ") ||
             msg.starts_with("Unable to negotiate a ") || msg.starts_with("no matching ")) {
    Probe(e);
  } else if (msg.starts_with("Connection from ")) {
    // "Connection from HOST port N on ADDR port M[ rdomain "x"]"
    scan::Cursor c{msg, 16};
    std::string_view host = c.Token(), port;
    if (c.Eat(" port ")) port = c.Token();
    SetClient(e, host, scan::IsAllDigits(port) ? port : "");
    if (c.Eat(" on ")) {
      std::string_view local = c.Token();
      if (scan::LooksLikeIp(local)) e.Set(Field::kDestinationIp, local);
      if (c.Eat(" port ")) {
        std::string_view lport = c.Token();
        if (scan::IsAllDigits(lport)) e.Set(Field::kDestinationPort, lport);
      }
    }
    Network(e, "ssh_connect", "unknown");
    info.starts_connection = true;
  } else if (msg.starts_with("SSH: Server;Ltype: ")) {
    // Logged by some builds per connection: "...;Remote: HOST-PORT;..."
    size_t at = msg.find(";Remote: ");
    if (at != std::string_view::npos) {
      std::string_view remote = msg.substr(at + 9);
      remote = remote.substr(0, remote.find(';'));
      size_t dash = remote.rfind('-');
      SetClient(e, remote.substr(0, dash),
                dash == std::string_view::npos ? "" : remote.substr(dash + 1));
    }
    Network(e, "ssh_connect", "unknown");
  } else if (msg.starts_with("Read from socket failed: ")) {
    Network(e, "ssh_disconnect", "unknown");
  }
  return ParseResult::Ok();
}

// sshd writes the client's address on some lines of a connection only: "Connection from HOST
// port N", "Failed ... from HOST", "Connection closed by HOST" do; "Disconnecting: Too many
// authentication failures", "User root not allowed because account is locked",
// "input_userauth_request: invalid user X", "kex_exchange_identification: ..." do not. All lines
// of one connection carry the same "sshd[PID]" (per syslog host), so the parser remembers, per
// host and pid, the last address seen:
//  - a line without an address gets the connection's address (source.ip/port) when it is known;
//  - a failure without an address while the address is not known yet is *pending*: the next line
//    of that pid that names the address (typically the closing "Connection closed by HOST
//    [preauth]" or "Received disconnect from HOST: 11: Bye Bye") becomes that failure (its
//    category/action/outcome and user), so the attempt is counted once, against its address;
//  - "Accepted ..." drops a pending failure (the client did log in), and the end of the
//    connection (closed, reset, disconnected) forgets the pid: pids are reused.
// Memory is bounded: at most kMaxConnections pids are tracked; the least recently seen one is
// dropped first (an sshd that keeps more connections open than that loses only the attribution
// of address-less lines of its oldest ones). fail2ban's sshd filter does the same with its
// per-pid multi-line state (F-MLFID); docs/formats/logs-syslog.md.
class SshdParser final : public SyslogProgramParser {
 public:
  static constexpr size_t kMaxConnections = 4096;

  explicit SshdParser(const ParserOptions& options)
      : SyslogProgramParser("sshd", "sshd", options) {}

 protected:
  bool Accepts(std::string_view program) const override {
    return program == "sshd" || program == "sshd-session" || program == "sshd-auth";
  }
  ParseResult ParseMessage(const SyslogHeader& header, Event& event) override {
    SshLine info;
    ParseResult result = ParseSshMessage(header.message, event, info);
    // Lines without a pid ("[sshd]: ...") cannot be tied to a connection.
    if (!header.pid.empty()) Track(header, info, event);
    return result;
  }

 private:
  struct Connection {
    std::string ip, port;
    // A failure seen before the address was known (see above).
    bool pending = false;
    std::string pending_category, pending_action, pending_user;
    bool pending_has_user = false;
    std::list<std::string>::iterator lru;
  };

  Connection& Touch(const std::string& key) {
    auto it = connections_.find(key);
    if (it != connections_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      return it->second;
    }
    if (connections_.size() >= kMaxConnections) {
      connections_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    Connection& c = connections_[key];
    c.lru = lru_.begin();
    return c;
  }

  void Forget(const std::string& key) {
    auto it = connections_.find(key);
    if (it == connections_.end()) return;
    lru_.erase(it->second.lru);
    connections_.erase(it);
  }

  void Track(const SyslogHeader& header, const SshLine& info, Event& e) {
    key_.assign(header.host);
    key_.push_back('\0');
    key_.append(header.pid);
    bool failure = e.Get(Field::kEventOutcome) == "failure";
    if (e.Has(Field::kSourceIp)) {
      if (info.starts_connection) Forget(key_);  // a new connection that reuses the pid
      Connection& c = Touch(key_);
      c.ip.assign(e.Get(Field::kSourceIp));
      c.port.assign(e.Get(Field::kSourcePort));
      // ("Accepted" is not such a line: the client logged in, which ends the suspicion.)
      if (c.pending && !failure && !info.accepted) {
        // This line names the address of an earlier address-less failure: it stands for it.
        // Copied to per-line storage: the entry may be forgotten below.
        line_category_ = c.pending_category;
        line_action_ = c.pending_action;
        e.Set(Field::kEventCategory, line_category_);
        e.Set(Field::kEventAction, line_action_);
        e.Set(Field::kEventOutcome, "failure");
        if (c.pending_has_user && !e.Has(Field::kUserName)) {
          line_user_ = c.pending_user;
          e.Set(Field::kUserName, line_user_);
        }
      }
      // A failure with its own address counts by itself; the pending one is folded into it.
      c.pending = false;
    } else if (auto it = connections_.find(key_);
               it != connections_.end() && !it->second.ip.empty()) {
      Connection& c = Touch(key_);
      line_ip_ = c.ip;
      line_port_ = c.port;
      e.Set(Field::kSourceIp, line_ip_);
      e.Set(Field::kSourcePort, line_port_);
    } else if (failure) {
      Connection& c = Touch(key_);
      if (!c.pending) {
        c.pending = true;
        c.pending_category.assign(e.Get(Field::kEventCategory));
        c.pending_action.assign(e.Get(Field::kEventAction));
        c.pending_has_user = e.Has(Field::kUserName);
        c.pending_user.assign(e.Get(Field::kUserName));
      }
    }
    if (info.accepted) {
      if (auto it = connections_.find(key_); it != connections_.end()) it->second.pending = false;
    }
    if (info.ends_connection) Forget(key_);
  }

  std::unordered_map<std::string, Connection> connections_;
  std::list<std::string> lru_;  // keys, most recently seen first
  std::string key_;
  // Values set from the tracking state, valid until the next line (Event holds views).
  std::string line_ip_, line_port_, line_user_, line_category_, line_action_;
};

}  // namespace

std::unique_ptr<LogParser> MakeSshdParser(const ParserOptions& options) {
  return std::make_unique<SshdParser>(options);
}

}  // namespace mamori::rse::ingest
