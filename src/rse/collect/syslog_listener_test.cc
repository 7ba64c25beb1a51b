#include "rse/collect/syslog_listener.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"

namespace mamori::rse::collect {
namespace {

using namespace std::chrono_literals;

// Waits (polling) until `done` holds; false after `limit`. Generous limits: a loaded CI machine
// must not fail a correct run; nothing is asserted about how long it took.
bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// Pops until `n` messages arrived (or 10 s passed).
std::vector<Message> PopN(MessageQueue& queue, size_t n) {
  std::vector<Message> out;
  auto end = std::chrono::steady_clock::now() + 10s;
  while (out.size() < n && std::chrono::steady_clock::now() < end) {
    queue.PopBatch(&out, n - out.size(), 100ms);
  }
  return out;
}

bool HasIpv6Loopback() {
  int fd = ::socket(AF_INET6, SOCK_DGRAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

sockaddr_storage Loopback(int family, uint16_t port, socklen_t* len) {
  sockaddr_storage s{};
  if (family == AF_INET) {
    auto& a = reinterpret_cast<sockaddr_in&>(s);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    *len = sizeof a;
  } else {
    auto& a = reinterpret_cast<sockaddr_in6&>(s);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    a.sin6_addr = in6addr_loopback;
    *len = sizeof a;
  }
  return s;
}

class UdpClient {
 public:
  // Connected, so its local address is the one the server sees.
  UdpClient(int family, uint16_t port) : fd_(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    to_ = Loopback(family, port, &len_);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&to_), len_), 0);
  }
  ~UdpClient() { ::close(fd_); }
  bool Send(std::string_view data) {
    return ::send(fd_, data.data(), data.size(), 0) == static_cast<ssize_t>(data.size());
  }
  std::string LocalAddress() const {
    sockaddr_storage s{};
    socklen_t len = sizeof s;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&s), &len);
    char host[INET6_ADDRSTRLEN] = {};
    if (s.ss_family == AF_INET) {
      auto& a = reinterpret_cast<sockaddr_in&>(s);
      inet_ntop(AF_INET, &a.sin_addr, host, sizeof host);
      return std::string(host) + ":" + std::to_string(ntohs(a.sin_port));
    }
    auto& a = reinterpret_cast<sockaddr_in6&>(s);
    inet_ntop(AF_INET6, &a.sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(a.sin6_port));
  }

 private:
  int fd_;
  sockaddr_storage to_;
  socklen_t len_ = 0;
};

class TcpClient {
 public:
  TcpClient(int family, uint16_t port) : fd_(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    socklen_t len = 0;
    sockaddr_storage to = Loopback(family, port, &len);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&to), len) == 0;
  }
  ~TcpClient() { Close(); }
  bool connected() const { return connected_; }
  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // True when the server closed the connection (read returns 0 or an error) within 10 s.
  bool ClosedByServer() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 10000) <= 0) return false;
    char c;
    return ::recv(fd_, &c, 1, 0) <= 0;
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
  bool connected_ = false;
};

class SyslogTest : public ::testing::Test {
 protected:
  std::unique_ptr<SyslogListener> Listen(SyslogListenerOptions options) {
    auto listener = SyslogListener::Start(options, queue_, clock_);
    EXPECT_TRUE(listener) << (listener ? "" : listener.error().ToString());
    return listener ? std::move(*listener) : nullptr;
  }
  MessageQueue queue_{10000};
  FakeClock clock_{1'700'000'123};
};

TEST_F(SyslogTest, UdpOnIpv4) {
  SyslogListenerOptions options;
  options.udp = {"127.0.0.1:0"};
  auto listener = Listen(options);
  ASSERT_TRUE(listener);
  const SyslogEndpoint& endpoint = listener->endpoints().at(0);
  ASSERT_NE(endpoint.port, 0);
  EXPECT_EQ(endpoint.address, "127.0.0.1:" + std::to_string(endpoint.port));
  EXPECT_EQ(endpoint.input, "syslog-udp:" + endpoint.address);
  EXPECT_GT(endpoint.receive_buffer_bytes, 0);

  UdpClient client(AF_INET, endpoint.port);
  ASSERT_TRUE(client.Send("<34>Oct 11 22:14:15 mymachine su: 'su root' failed\n"));
  ASSERT_TRUE(client.Send("<165>1 2003-10-11T22:14:15.003Z host app - ID47 - BOM\r\n"));
  auto got = PopN(queue_, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].text, "<34>Oct 11 22:14:15 mymachine su: 'su root' failed");
  EXPECT_EQ(got[1].text, "<165>1 2003-10-11T22:14:15.003Z host app - ID47 - BOM");
  EXPECT_EQ(got[0].received_at, 1'700'000'123);
  EXPECT_EQ(got[0].peer, client.LocalAddress());
  EXPECT_EQ(got[0].input, endpoint.input);
  EXPECT_EQ(got[0].transport, Transport::kUdp);
  EXPECT_FALSE(got[0].truncated);
  // Counted just after the hand-over: wait for the count to catch up.
  EXPECT_TRUE(WaitFor([&] { return listener->counters(Transport::kUdp).messages == 2; }));
  EXPECT_EQ(listener->counters(Transport::kUdp).dropped_queue_full, 0u);
}

TEST_F(SyslogTest, UdpAndTcpOnIpv6) {
  if (!HasIpv6Loopback()) GTEST_SKIP() << "no IPv6 loopback here";
  SyslogListenerOptions options;
  options.udp = {"[::1]:0"};
  options.tcp = {"[::1]:0"};
  auto listener = Listen(options);
  ASSERT_TRUE(listener);
  const auto& endpoints = listener->endpoints();
  ASSERT_EQ(endpoints.size(), 2u);
  EXPECT_EQ(endpoints[0].address, "[::1]:" + std::to_string(endpoints[0].port));
  EXPECT_EQ(endpoints[1].input, "syslog-tcp:[::1]:" + std::to_string(endpoints[1].port));
  UdpClient udp(AF_INET6, endpoints[0].port);
  ASSERT_TRUE(udp.Send("<13>over udp6"));
  TcpClient tcp(AF_INET6, endpoints[1].port);
  ASSERT_TRUE(tcp.connected());
  ASSERT_TRUE(tcp.Send("<13>over tcp6\n"));
  auto got = PopN(queue_, 2);
  ASSERT_EQ(got.size(), 2u);
  std::vector<std::string> texts{got[0].text, got[1].text};
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(texts, (std::vector<std::string>{"<13>over tcp6", "<13>over udp6"}));
  for (const auto& m : got) EXPECT_EQ(m.peer.front(), '[');
}

TEST_F(SyslogTest, UdpOversizedIsCutAndCounted) {
  SyslogListenerOptions options;
  options.udp = {"127.0.0.1:0"};
  options.max_message_bytes = 8;
  auto listener = Listen(options);
  ASSERT_TRUE(listener);
  UdpClient client(AF_INET, listener->endpoints()[0].port);
  ASSERT_TRUE(client.Send("<13>0123456789"));
  auto got = PopN(queue_, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].text, "<13>0123");
  EXPECT_TRUE(got[0].truncated);
  EXPECT_EQ(listener->counters(Transport::kUdp).oversized, 1u);
}

TEST_F(SyslogTest, TcpOctetCountedAndLfFramingOnOneConnection) {
  SyslogListenerOptions options;
  options.tcp = {"127.0.0.1:0"};
  auto listener = Listen(options);
  ASSERT_TRUE(listener);
  TcpClient client(AF_INET, listener->endpoints()[0].port);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("26 <13>1 - host app - - - one"));
  ASSERT_TRUE(client.Send("<13>Oct 11 22:14:15 host app: two\n"));
  ASSERT_TRUE(client.Send("<13>three"));
  client.Close();  // the unterminated last message is delivered at close
  auto got = PopN(queue_, 3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].text, "<13>1 - host app - - - one");
  EXPECT_EQ(got[1].text, "<13>Oct 11 22:14:15 host app: two");
  EXPECT_EQ(got[2].text, "<13>three");
  EXPECT_EQ(got[0].transport, Transport::kTcp);
  ASSERT_TRUE(WaitFor([&] { return listener->counters(Transport::kTcp).open_connections == 0; }));
  ASSERT_TRUE(WaitFor([&] { return listener->counters(Transport::kTcp).messages == 3; }));
  auto c = listener->counters(Transport::kTcp);
  EXPECT_EQ(c.connections, 1u);
  EXPECT_EQ(c.framing_errors, 0u);
}

TEST_F(SyslogTest, TcpOversizedIsCutAndTheNextMessageStillFramed) {
  SyslogListenerOptions options;
  options.tcp = {"127.0.0.1:0"};
  options.max_message_bytes = 10;
  auto listener = Listen(options);
  ASSERT_TRUE(listener);
  TcpClient client(AF_INET, listener->endpoints()[0].port);
  ASSERT_TRUE(client.Send("20 <13>45678901234567893 abc"));
  auto got = PopN(queue_, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].text, "<13>456789");
  EXPECT_TRUE(got[0].truncated);
  EXPECT_EQ(got[1].text, "abc");
  EXPECT_EQ(listener->counters(Transport::kTcp).oversized, 1u);
}

TEST_F(SyslogTest, TcpBadOctetCountClosesThatConnectionOnly) {
  SyslogListenerOptions options;
  options.tcp = {"127.0.0.1:0"};
  auto listener = Listen(options);
  ASSERT_TRUE(listener);
  uint16_t port = listener->endpoints()[0].port;
  TcpClient good(AF_INET, port);
  TcpClient bad(AF_INET, port);
  ASSERT_TRUE(bad.Send("99999999999 <13>x"));
  EXPECT_TRUE(bad.ClosedByServer());
  ASSERT_TRUE(good.Send("<13>still here\n"));
  auto got = PopN(queue_, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].text, "<13>still here");
  EXPECT_EQ(listener->counters(Transport::kTcp).framing_errors, 1u);
}

TEST_F(SyslogTest, TcpConnectionsOverTheLimitAreRefused) {
  SyslogListenerOptions options;
  options.tcp = {"127.0.0.1:0"};
  options.max_connections = 1;
  auto listener = Listen(options);
  ASSERT_TRUE(listener);
  uint16_t port = listener->endpoints()[0].port;
  TcpClient first(AF_INET, port);
  ASSERT_TRUE(WaitFor([&] { return listener->counters(Transport::kTcp).connections == 1; }));
  TcpClient second(AF_INET, port);
  EXPECT_TRUE(second.ClosedByServer());
  EXPECT_EQ(listener->counters(Transport::kTcp).connections_rejected, 1u);
  ASSERT_TRUE(first.Send("<13>first is served\n"));
  EXPECT_EQ(PopN(queue_, 1).size(), 1u);
}

TEST_F(SyslogTest, TcpFullQueuePausesTheConnectionInsteadOfDropping) {
  MessageQueue small(2);
  SyslogListenerOptions options;
  options.tcp = {"127.0.0.1:0"};
  options.backpressure_retry = 2ms;
  auto started = SyslogListener::Start(options, small, clock_);
  ASSERT_TRUE(started);
  auto& listener = *started;
  TcpClient client(AF_INET, listener->endpoints()[0].port);
  constexpr int kCount = 200;
  std::string data;
  for (int i = 0; i < kCount; ++i) data += "<13>m" + std::to_string(i) + "\n";
  ASSERT_TRUE(client.Send(data));
  ASSERT_TRUE(WaitFor([&] { return listener->counters(Transport::kTcp).backpressure_waits > 0; }));
  auto got = PopN(small, kCount);  // consuming lets the paused connection go on
  ASSERT_EQ(got.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(got[i].text, "<13>m" + std::to_string(i));
  // The listener counts a message just after handing it over: wait for the count to catch up.
  EXPECT_TRUE(WaitFor([&] { return listener->counters(Transport::kTcp).messages == kCount; }));
  auto c = listener->counters(Transport::kTcp);
  EXPECT_EQ(c.messages, static_cast<uint64_t>(kCount));
  EXPECT_EQ(c.dropped_queue_full, 0u);
  EXPECT_EQ(small.counters().dropped_full, 0u);
}

TEST_F(SyslogTest, UdpFloodBeyondCapacityIsCountedAsDropsNotACrash) {
  MessageQueue small(64);
  SyslogListenerOptions options;
  options.udp = {"127.0.0.1:0"};
  auto started = SyslogListener::Start(options, small, clock_);
  ASSERT_TRUE(started);
  auto& listener = *started;
  UdpClient client(AF_INET, listener->endpoints()[0].port);
  constexpr uint64_t kSent = 20000;
  uint64_t sent = 0;
  for (uint64_t i = 0; i < kSent; ++i) sent += client.Send("<13>flood " + std::to_string(i));
  ASSERT_GT(sent, 64u);
  // Everything sent is either handed over, dropped at the full queue or dropped by the kernel.
  // (Loopback can in principle also lose datagrams before the socket, so wait, then compare.)
  auto accounted = [&] {
    auto c = listener->counters(Transport::kUdp);
    return c.messages + c.dropped_queue_full + c.kernel_drops;
  };
  WaitFor([&] { return accounted() >= sent; });
  listener->Stop();
  auto c = listener->counters(Transport::kUdp);
  auto q = small.counters();
  EXPECT_LE(accounted(), sent);
  EXPECT_GT(c.dropped_queue_full + c.kernel_drops, 0u);
  EXPECT_EQ(c.messages, q.pushed);
  EXPECT_EQ(c.dropped_queue_full, q.dropped_full);
  EXPECT_EQ(q.size, 64u);  // no consumer: the queue is full and stays bounded
  EXPECT_EQ(c.messages, 64u);
  EXPECT_EQ(c.bytes > 0, true);
}

TEST_F(SyslogTest, BindErrorsNameTheAddressAndSayWhy) {
  SyslogListenerOptions first;
  first.tcp = {"127.0.0.1:0"};
  auto listener = Listen(first);
  ASSERT_TRUE(listener);
  SyslogListenerOptions again;
  again.tcp = {listener->endpoints()[0].address};
  auto clash = SyslogListener::Start(again, queue_, clock_);
  ASSERT_FALSE(clash);
  EXPECT_NE(clash.error().ToString().find(listener->endpoints()[0].address), std::string::npos);
  EXPECT_NE(clash.error().message.find("another program"), std::string::npos);

  for (std::string bad : {"no-port", "::1:514", "127.0.0.1:99999", "[::1]514"}) {
    SyslogListenerOptions options;
    options.udp = {bad};
    auto result = SyslogListener::Start(options, queue_, clock_);
    ASSERT_FALSE(result) << bad;
    EXPECT_NE(result.error().ToString().find(bad), std::string::npos) << bad;
  }
  EXPECT_FALSE(SyslogListener::Start({}, queue_, clock_));
}

TEST_F(SyslogTest, StopClosesOpenConnectionsAndIsIdempotent) {
  SyslogListenerOptions options;
  options.tcp = {"127.0.0.1:0"};
  options.udp = {"127.0.0.1:0"};
  auto listener = Listen(options);
  ASSERT_TRUE(listener);
  TcpClient client(AF_INET, listener->endpoints()[1].port);
  ASSERT_TRUE(WaitFor([&] { return listener->counters(Transport::kTcp).open_connections == 1; }));
  listener->Stop();
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_EQ(listener->counters(Transport::kTcp).open_connections, 0u);
  listener->Stop();
}

}  // namespace
}  // namespace mamori::rse::collect
