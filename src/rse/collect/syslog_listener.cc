#include "rse/collect/syslog_listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/sock_diag.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "rse/collect/syslog_framing.h"

namespace mamori::rse::collect {
namespace {

constexpr size_t kUdpBuffer = 65536;       // the largest UDP payload fits
constexpr size_t kTcpReadBytes = 64 * 1024;  // per connection per poll round: fairness
constexpr int kUdpBatch = 512;             // datagrams per socket per poll round: fairness

std::string FormatAddress(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &a.sin_addr, host, sizeof host);
    return fmt::format("{}:{}", host, ntohs(a.sin_port));
  }
  if (address.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &a.sin6_addr, host, sizeof host);
    return fmt::format("[{}]:{}", host, ntohs(a.sin6_port));
  }
  return "unknown";
}

uint16_t PortOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
}

// "host:port", "[v6]:port", ":port" → host and port strings.
Expected<std::pair<std::string, std::string>> SplitHostPort(const std::string& text) {
  auto bad = [&](std::string why) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("bad listen address: {}; write host:port, e.g. 0.0.0.0:514, "
                                 "127.0.0.1:5514 or [::]:514",
                                 why),
                     text);
  };
  std::string host, port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("an IPv6 address in brackets must be followed by :port");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string::npos) return bad("no port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string::npos) return bad("put an IPv6 address in brackets");
    if (host.empty()) host = "0.0.0.0";
  }
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoi(port) > 65535) {
    return bad("the port must be a number from 0 to 65535");
  }
  return std::make_pair(host, port);
}

std::string BindAdvice(int err, const std::string& port) {
  if (err == EACCES) {
    return fmt::format("; port {} needs root or CAP_NET_BIND_SERVICE — grant the capability or "
                       "listen on a port above 1023",
                       port);
  }
  if (err == EADDRINUSE) return "; another program (rsyslog? a second mamori?) listens there";
  if (err == EADDRNOTAVAIL) return "; the address is not one of this host's";
  return "";
}

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

struct SyslogListener::Socket {
  ~Socket() { CloseFd(fd); }
  int fd = -1;
  Transport transport = Transport::kUdp;
  size_t endpoint = 0;
  uint32_t kernel_drops = 0;  // the socket's cumulative count, as last read
};

struct SyslogListener::Connection {
  Connection(int fd_in, std::string peer_in, size_t endpoint_in, size_t max_message_bytes)
      : fd(fd_in), peer(std::move(peer_in)), endpoint(endpoint_in), framer(max_message_bytes) {}
  ~Connection() { CloseFd(fd); }
  int fd;
  std::string peer;
  size_t endpoint;
  SyslogFramer framer;
  std::string unframed;            // read but not yet framed (only while paused)
  std::optional<Message> held;     // framed, refused by the full queue
  bool eof = false;
  bool closed = false;
};

SyslogListener::SyslogListener(const SyslogListenerOptions& options, MessageQueue& queue,
                               Clock& clock)
    : options_(options), queue_(queue), clock_(clock), scratch_(std::max(kUdpBuffer, kTcpReadBytes)) {
  options_.max_message_bytes = std::max<size_t>(options_.max_message_bytes, 1);
}

Expected<std::unique_ptr<SyslogListener>> SyslogListener::Start(
    const SyslogListenerOptions& options, MessageQueue& queue, Clock& clock) {
  std::unique_ptr<SyslogListener> listener(new SyslogListener(options, queue, clock));
  if (options.udp.empty() && options.tcp.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no syslog address to listen on: give at least one UDP or TCP host:port");
  }
  for (const auto& address : options.udp) {
    MAMORI_RETURN_IF_ERROR(listener->Bind(Transport::kUdp, address));
  }
  for (const auto& address : options.tcp) {
    MAMORI_RETURN_IF_ERROR(listener->Bind(Transport::kTcp, address));
  }
  listener->wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (listener->wake_fd_ < 0) {
    return MakeError(ErrorCode::kInternal,
                     fmt::format("eventfd failed: {}", std::strerror(errno)), "syslog listener");
  }
  listener->thread_ = std::thread([raw = listener.get()] { raw->Run(); });
  return listener;
}

Status SyslogListener::Bind(Transport transport, const std::string& requested) {
  std::string what = fmt::format("syslog {} {}", transport == Transport::kTcp ? "TCP" : "UDP",
                                 requested);
  MAMORI_ASSIGN_OR_RETURN(auto host_port, SplitHostPort(requested));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = transport == Transport::kTcp ? SOCK_STREAM : SOCK_DGRAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(host_port.first.c_str(), host_port.second.c_str(), &hints, &found);
  if (rc != 0 || found == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("cannot resolve the listen address: {}; use an IP address of "
                                 "this host",
                                 ::gai_strerror(rc)),
                     what);
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(found, &::freeaddrinfo);

  auto socket = std::make_unique<Socket>();
  socket->transport = transport;
  socket->endpoint = endpoints_.size();
  socket->fd = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (socket->fd < 0) {
    return MakeError(ErrorCode::kNetwork,
                     fmt::format("cannot create a socket: {}", std::strerror(errno)), what);
  }
  int one = 1;
  if (found->ai_family == AF_INET6) {
    // IPv6 only, so "[::]:514" and "0.0.0.0:514" can both be listed without conflict.
    ::setsockopt(socket->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  }
  SyslogEndpoint endpoint;
  endpoint.transport = transport;
  endpoint.requested = requested;
  if (transport == Transport::kTcp) {
    ::setsockopt(socket->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // quick restarts
  } else {
    int want = options_.udp_receive_buffer_bytes;
    // FORCE passes net.core.rmem_max when we hold CAP_NET_ADMIN; otherwise the plain request
    // is capped by it.
    if (::setsockopt(socket->fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) != 0) {
      ::setsockopt(socket->fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
    }
    int got = 0;
    socklen_t len = sizeof got;
    ::getsockopt(socket->fd, SOL_SOCKET, SO_RCVBUF, &got, &len);
    endpoint.receive_buffer_bytes = got;
    ::setsockopt(socket->fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
  }
  if (::bind(socket->fd, found->ai_addr, found->ai_addrlen) != 0) {
    int err = errno;
    return MakeError(ErrorCode::kNetwork,
                     fmt::format("cannot listen: {}{}", std::strerror(err),
                                 BindAdvice(err, host_port.second)),
                     what);
  }
  if (transport == Transport::kTcp && ::listen(socket->fd, 128) != 0) {
    return MakeError(ErrorCode::kNetwork,
                     fmt::format("cannot listen: {}", std::strerror(errno)), what);
  }
  sockaddr_storage bound{};
  socklen_t bound_len = sizeof bound;
  ::getsockname(socket->fd, reinterpret_cast<sockaddr*>(&bound), &bound_len);
  endpoint.address = FormatAddress(bound);
  endpoint.port = PortOf(bound);
  endpoint.input = fmt::format("syslog-{}:{}", TransportName(transport), endpoint.address);
  endpoints_.push_back(std::move(endpoint));
  sockets_.push_back(std::move(socket));
  return Ok();
}

SyslogListener::~SyslogListener() { Stop(); }

void SyslogListener::Stop() {
  if (thread_.joinable()) {
    stopping_ = true;
    uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
    thread_.join();
  }
  for (auto& connection : connections_) CloseConnection(*connection);
  connections_.clear();
  sockets_.clear();
  CloseFd(wake_fd_);
}

SyslogCounters SyslogListener::counters(Transport transport) const {
  const AtomicCounters& c = counters_[transport == Transport::kTcp];
  SyslogCounters out;
  out.messages = c.messages;
  out.bytes = c.bytes;
  out.dropped_queue_full = c.dropped_queue_full;
  out.kernel_drops = c.kernel_drops;
  out.oversized = c.oversized;
  out.framing_errors = c.framing_errors;
  out.connections = c.connections;
  out.connections_rejected = c.connections_rejected;
  out.open_connections = c.open_connections;
  out.backpressure_waits = c.backpressure_waits;
  out.dropped_at_stop = c.dropped_at_stop;
  return out;
}

void SyslogListener::Run() {
  std::vector<pollfd> fds;
  std::vector<Socket*> socket_of;       // fds[1 .. sockets]
  std::vector<Connection*> connection_of;  // the rest
  while (!stopping_) {
    fds.clear();
    socket_of.clear();
    connection_of.clear();
    fds.push_back({wake_fd_, POLLIN, 0});
    for (auto& socket : sockets_) {
      fds.push_back({socket->fd, POLLIN, 0});
      socket_of.push_back(socket.get());
    }
    bool any_paused = false;
    for (auto& connection : connections_) {
      if (connection->held) {
        // Not polled at all while paused: a hung-up socket would make poll() return at once,
        // every time, and spin.
        any_paused = true;
        continue;
      }
      fds.push_back({connection->fd, POLLIN, 0});
      connection_of.push_back(connection.get());
    }
    int timeout =
        any_paused ? std::max(1, static_cast<int>(options_.backpressure_retry.count())) : -1;
    int ready = ::poll(fds.data(), fds.size(), timeout);
    if (ready < 0 && errno != EINTR) break;  // cannot happen with valid fds; do not spin
    if (stopping_ || (fds[0].revents & POLLIN)) break;

    for (auto& connection : connections_) {
      if (connection->held && !Process(*connection)) CloseConnection(*connection);
    }
    for (size_t i = 0; i < socket_of.size(); ++i) {
      if (fds[1 + i].revents == 0) continue;
      if (socket_of[i]->transport == Transport::kUdp) {
        ReadUdp(*socket_of[i]);
      } else {
        AcceptAll(*socket_of[i]);  // appends to connections_; the pointers above stay valid
      }
    }
    for (size_t i = 0; i < connection_of.size(); ++i) {
      if (fds[1 + socket_of.size() + i].revents != 0) ReadConnection(*connection_of[i]);
    }
    std::erase_if(connections_, [](const auto& connection) { return connection->closed; });
  }
}

void SyslogListener::UpdateKernelDrops(Socket& socket, uint32_t cumulative) {
  // The kernel's count only grows (modulo 2^32); add what is new since we last looked.
  uint32_t added = cumulative - socket.kernel_drops;
  if (added != 0 && added < (1u << 31)) {
    socket.kernel_drops = cumulative;
    counters_[0].kernel_drops += added;
  }
}

void SyslogListener::ReadUdp(Socket& socket) {
  const SyslogEndpoint& endpoint = endpoints_[socket.endpoint];
  AtomicCounters& counters = counters_[0];
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(uint32_t))];
  for (int n = 0; n < kUdpBatch; ++n) {
    sockaddr_storage from{};
    iovec iov{scratch_.data(), kUdpBuffer};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t got = ::recvmsg(socket.fd, &msg, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      break;  // EAGAIN: read everything; other errors (ICMP feedback) are not fatal for UDP
    }
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
        uint32_t drops = 0;
        std::memcpy(&drops, CMSG_DATA(c), sizeof drops);
        UpdateKernelDrops(socket, drops);
      }
    }
    counters.bytes += static_cast<uint64_t>(got);
    std::string_view text(scratch_.data(), static_cast<size_t>(got));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == '\0')) {
      text.remove_suffix(1);
    }
    if (text.empty()) continue;
    bool truncated = text.size() > options_.max_message_bytes || (msg.msg_flags & MSG_TRUNC);
    if (text.size() > options_.max_message_bytes) text = text.substr(0, options_.max_message_bytes);
    if (truncated) ++counters.oversized;
    Message message{std::string(text), clock_.Now(), FormatAddress(from), endpoint.input,
                    Transport::kUdp, truncated};
    if (queue_.TryPush(std::move(message))) {
      ++counters.messages;
    } else {
      ++counters.dropped_queue_full;
    }
  }
  // The count in SO_RXQ_OVFL arrives with the next datagram; ask for it now, so drops after the
  // last datagram read are counted too.
  uint32_t meminfo[SK_MEMINFO_VARS] = {};
  socklen_t len = sizeof meminfo;
  if (::getsockopt(socket.fd, SOL_SOCKET, SO_MEMINFO, meminfo, &len) == 0 &&
      len > SK_MEMINFO_DROPS * sizeof(uint32_t)) {
    UpdateKernelDrops(socket, meminfo[SK_MEMINFO_DROPS]);
  }
}

void SyslogListener::AcceptAll(Socket& socket) {
  AtomicCounters& counters = counters_[1];
  while (true) {
    sockaddr_storage from{};
    socklen_t len = sizeof from;
    int fd = ::accept4(socket.fd, reinterpret_cast<sockaddr*>(&from), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN; EMFILE and the like: the next poll round tries again
    }
    if (connections_.size() >= options_.max_connections) {
      ++counters.connections_rejected;  // before the close, which the peer can observe
      ::close(fd);
      continue;
    }
    connections_.push_back(std::make_unique<Connection>(fd, FormatAddress(from), socket.endpoint,
                                                        options_.max_message_bytes));
    ++counters.connections;
    ++counters.open_connections;
  }
}

bool SyslogListener::Process(Connection& connection) {
  AtomicCounters& counters = counters_[1];
  if (connection.held) {
    if (!queue_.TryPushOrHold(*connection.held)) return !queue_.closed();
    connection.held.reset();
    ++counters.messages;
  }
  const SyslogEndpoint& endpoint = endpoints_[connection.endpoint];
  auto on_message = [&](std::string_view text, bool truncated) {
    if (truncated) ++counters.oversized;
    Message message{std::string(text), clock_.Now(), connection.peer, endpoint.input,
                    Transport::kTcp, truncated};
    if (queue_.TryPushOrHold(message)) {
      ++counters.messages;
      return true;
    }
    connection.held = std::move(message);
    ++counters.backpressure_waits;
    return false;
  };
  if (!connection.unframed.empty()) {
    auto consumed = connection.framer.Feed(connection.unframed, on_message);
    if (!consumed) {
      ++counters.framing_errors;
      return false;
    }
    connection.unframed.erase(0, *consumed);
    if (connection.held) return true;
  }
  if (connection.eof) {
    if (!connection.framer.Finish(on_message)) ++counters.framing_errors;
    return connection.held.has_value();  // closes once the last message is handed over
  }
  return true;
}

void SyslogListener::ReadConnection(Connection& connection) {
  ssize_t got;
  do {
    got = ::read(connection.fd, scratch_.data(), kTcpReadBytes);
  } while (got < 0 && errno == EINTR);
  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
  if (got <= 0) {
    connection.eof = true;  // closed by the peer, or reset
  } else {
    counters_[1].bytes += static_cast<uint64_t>(got);
    connection.unframed.append(scratch_.data(), static_cast<size_t>(got));
  }
  if (!Process(connection)) CloseConnection(connection);
}

void SyslogListener::CloseConnection(Connection& connection) {
  if (connection.closed) return;
  if (connection.held) ++counters_[1].dropped_at_stop;
  connection.held.reset();
  CloseFd(connection.fd);
  connection.closed = true;
  --counters_[1].open_connections;
}

}  // namespace mamori::rse::collect
