#include "rse/respond/actuators/syslog_actuator.h"

#include <fmt/format.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "rse/respond/actuators/common.h"

namespace mamori::rse::respond {

namespace {

constexpr size_t kMaxDatagram = 2048;  // RFC 5426: receivers should take 2048 octets
constexpr size_t kMaxStream = 8192;
constexpr int kPri = 4 * 8 + 4;  // facility auth, severity warning

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

struct AddrInfoDeleter {
  void operator()(addrinfo* info) const { freeaddrinfo(info); }
};

// RFC 5424 header fields: printable US-ASCII without spaces, at most `max` characters, "-"
// when empty.
std::string HeaderField(std::string_view text, size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) {
    if (c > 32 && c < 127) out += c;
  }
  return out.empty() ? "-" : out;
}

// An SD-PARAM value: '"', '\' and ']' escaped (RFC 5424 6.3.3), control characters dropped.
std::string ParamValue(std::string_view text) {
  std::string out;
  for (char c : actuators::OneLine(text, 512)) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

// Cuts `message` to `max` bytes without splitting a UTF-8 sequence.
void CutTo(std::string& message, size_t max) {
  if (message.size() <= max) return;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
  message.resize(end);
}

}  // namespace

Expected<SyslogTarget> ParseSyslogTarget(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("{}; write udp://HOST:PORT, tcp://HOST:PORT or unix:///dev/log", why),
        fmt::format("[respond] syslog_target '{}'", actuators::OneLine(text, 200)));
  };
  SyslogTarget target;
  std::string_view rest;
  if (text.starts_with("unix://")) {
    target.transport = SyslogTarget::Transport::kUnix;
    target.path = std::string(text.substr(7));
    if (!target.path.starts_with("/")) return bad("a unix socket needs an absolute path");
    if (target.path.size() >= sizeof(sockaddr_un::sun_path)) return bad("the path is too long");
    return target;
  }
  if (text.starts_with("udp://")) {
    target.transport = SyslogTarget::Transport::kUdp;
    rest = text.substr(6);
  } else if (text.starts_with("tcp://")) {
    target.transport = SyslogTarget::Transport::kTcp;
    rest = text.substr(6);
  } else {
    return bad("unknown scheme");
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  size_t colon;
  if (rest.starts_with("[")) {
    size_t close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      return bad("an IPv6 address goes in brackets, followed by :PORT");
    }
    target.host = std::string(rest.substr(1, close - 1));
    colon = close + 1;
  } else {
    colon = rest.rfind(':');
    if (colon == std::string_view::npos) return bad("no port");
    target.host = std::string(rest.substr(0, colon));
  }
  target.port = std::string(rest.substr(colon + 1));
  if (target.host.empty()) return bad("no host");
  int port = 0;
  for (char c : target.port) {
    if (c < '0' || c > '9' || port > 65535) return bad("the port is not a number");
    port = port * 10 + (c - '0');
  }
  if (target.port.empty() || port < 1 || port > 65535) return bad("the port is not 1..65535");
  return target;
}

std::string FormatSyslogMessage(const store::ActionRecord& action, UnixSeconds now,
                                std::string_view hostname, int pid) {
  std::string text = fmt::format("mamori response: {} {}", action.kind, action.target);
  if (!action.playbook.empty()) text += fmt::format(" (playbook {})", action.playbook);
  if (!action.reason.empty()) text += ": " + action.reason;
  if (!action.expected_effect.empty()) text += "; expected effect: " + action.expected_effect;
  return fmt::format(
      "<{}>1 {} {} mamori {} respond [mamori@32473 action_id=\"{}\" kind=\"{}\" target=\"{}\" "
      "playbook=\"{}\" device=\"{}\"] {}",
      kPri, FormatIso8601(now), HeaderField(hostname, 255), pid, action.id, ParamValue(action.kind),
      ParamValue(action.target), ParamValue(action.playbook), ParamValue(action.device),
      actuators::OneLine(text, kMaxStream));
}

Expected<std::unique_ptr<SyslogActuator>> SyslogActuator::Make(std::string_view target,
                                                               Clock& clock,
                                                               std::chrono::milliseconds timeout) {
  MAMORI_ASSIGN_OR_RETURN(SyslogTarget parsed, ParseSyslogTarget(target));
  return std::unique_ptr<SyslogActuator>(
      new SyslogActuator(std::move(parsed), std::string(target), clock, timeout));
}

SyslogActuator::SyslogActuator(SyslogTarget target, std::string text, Clock& clock,
                               std::chrono::milliseconds timeout)
    : target_(std::move(target)), target_text_(std::move(text)), clock_(clock), timeout_(timeout) {}

Status SyslogActuator::Apply(const store::ActionRecord& action) {
  return Send(FormatSyslogMessage(action, clock_.Now(), actuators::HostName(),
                                  static_cast<int>(::getpid())));
}

Status SyslogActuator::Send(const std::string& formatted) const {
  auto fail = [&](std::string_view what) {
    return MakeError(ErrorCode::kNetwork, fmt::format("{}: {}", what, std::strerror(errno)),
                     "syslog " + target_text_);
  };
  std::string message = formatted;
  if (target_.transport == SyslogTarget::Transport::kUnix) {
    CutTo(message, kMaxDatagram);
    Socket fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) return fail("socket");
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, target_.path.data(), target_.path.size());
    if (::sendto(fd.get(), message.data(), message.size(), MSG_NOSIGNAL,
                 reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
      return fail("cannot send to the local syslog socket (is the syslog daemon running?)");
    }
    return Ok();
  }

  const bool tcp = target_.transport == SyslogTarget::Transport::kTcp;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(target_.host.c_str(), target_.port.c_str(), &hints, &found);
  if (rc != 0) {
    return MakeError(ErrorCode::kNetwork,
                     fmt::format("cannot resolve {}: {}", target_.host, gai_strerror(rc)),
                     "syslog " + target_text_);
  }
  std::unique_ptr<addrinfo, AddrInfoDeleter> addresses(found);
  if (tcp) {
    CutTo(message, kMaxStream);
    message = fmt::format("{} {}", message.size(), message);
  } else {
    CutTo(message, kMaxDatagram);
  }
  timeval tv{};
  tv.tv_sec = timeout_.count() / 1000;
  tv.tv_usec = (timeout_.count() % 1000) * 1000;
  Status last = fail("no address to send to");
  for (addrinfo* a = addresses.get(); a != nullptr; a = a->ai_next) {
    Socket fd(::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol));
    if (fd.get() < 0) {
      last = fail("socket");
      continue;
    }
    // On Linux the send timeout also bounds connect().
    ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (!tcp) {
      if (::sendto(fd.get(), message.data(), message.size(), MSG_NOSIGNAL, a->ai_addr,
                   a->ai_addrlen) < 0) {
        last = fail("cannot send the datagram");
        continue;
      }
      return Ok();
    }
    if (::connect(fd.get(), a->ai_addr, a->ai_addrlen) != 0) {
      last = fail("cannot connect");
      continue;
    }
    size_t sent = 0;
    while (sent < message.size()) {
      ssize_t n = ::send(fd.get(), message.data() + sent, message.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    if (sent < message.size()) {
      last = fail("cannot send the message");
      continue;
    }
    ::shutdown(fd.get(), SHUT_WR);
    return Ok();
  }
  return last;
}

}  // namespace mamori::rse::respond
