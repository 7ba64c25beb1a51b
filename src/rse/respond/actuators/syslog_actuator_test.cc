// The syslog actuator against real listeners on loopback (UDP, TCP) and a datagram socket in a
// temporary directory: each receives one well-formed RFC 5424 message.
#include "rse/respond/actuators/syslog_actuator.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <future>
#include <regex>
#include <string>

#include "core/test_temp_dir.h"
#include "rse/respond/actuators/testing/checks.h"

namespace mamori::rse::respond {
namespace {

using namespace std::chrono_literals;
using testing::Action;

constexpr UnixSeconds kNow = 1'800'000'000;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Binds `fd` to 127.0.0.1 on a free port; returns the port.
int BindLoopback(int fd) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

std::string ReceiveDatagram(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 3000) <= 0) return "(nothing received)";
  char buf[65536];
  ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  return n < 0 ? "(recv failed)" : std::string(buf, static_cast<size_t>(n));
}

store::ActionRecord Notify() {
  store::ActionRecord action = Action(std::string(kNotifySyslog), "syslog", "203.0.113.7", 5);
  action.playbook = R"(pb"x]y\z)";  // SD-PARAM values escape '"', ']' and '\'
  return action;
}

// Checks the RFC 5424 layout of `message` for Notify().
void ExpectWellFormed(const std::string& message) {
  static const std::regex kLayout(
      R"(<36>1 2027-01-15T08:00:00Z [!-~]+ mamori [0-9]+ respond )"
      R"(\[mamori@32473 action_id="5" kind="notify_syslog" target="203\.0\.113\.7" )"
      R"(playbook="pb\\"x\\\]y\\\\z" device="syslog"\] )"
      R"(mamori response: notify_syslog 203\.0\.113\.7 \(playbook pb"x\]y\\z\): )"
      R"(12 failed SSH logins in 60 s; expected effect: traffic from the target is dropped )"
      R"(for 1 h)");
  EXPECT_TRUE(std::regex_match(message, kLayout)) << message;
}

TEST(SyslogActuatorTest, ParsesTargets) {
  auto udp = ParseSyslogTarget("udp://logs.example:514");
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->transport, SyslogTarget::Transport::kUdp);
  EXPECT_EQ(udp->host, "logs.example");
  EXPECT_EQ(udp->port, "514");
  auto tcp6 = ParseSyslogTarget("tcp://[2001:db8::1]:6514");
  ASSERT_TRUE(tcp6);
  EXPECT_EQ(tcp6->transport, SyslogTarget::Transport::kTcp);
  EXPECT_EQ(tcp6->host, "2001:db8::1");
  EXPECT_EQ(tcp6->port, "6514");
  auto local = ParseSyslogTarget("unix:///dev/log");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->path, "/dev/log");
  for (const char* bad :
       {"logs.example:514", "udp://logs.example", "udp://:514", "tcp://h:0", "tcp://h:99999",
        "tcp://h:5x", "unix://dev/log", "tcp://[::1]514", "http://h:1"}) {
    auto parsed = ParseSyslogTarget(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().context.find("syslog_target"), std::string::npos);
  }
}

TEST(SyslogActuatorTest, FormatsOneLineEvenFromHostileFields) {
  store::ActionRecord action = Notify();
  action.reason = "line one\nline two\r\n";
  std::string message = FormatSyslogMessage(action, kNow, "host name\n", 77);
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_EQ(message.find('\r'), std::string::npos);
  EXPECT_TRUE(message.starts_with("<36>1 2027-01-15T08:00:00Z hostname mamori 77 respond "))
      << message;
}

TEST(SyslogActuatorTest, UdpListenerReceivesAnRfc5424Message) {
  Fd listener(::socket(AF_INET, SOCK_DGRAM, 0));
  const int port = BindLoopback(listener.get());
  FakeClock clock(kNow);
  auto syslog = SyslogActuator::Make(fmt::format("udp://127.0.0.1:{}", port), clock, 2s);
  ASSERT_TRUE(syslog) << syslog.error().ToString();
  EXPECT_EQ((*syslog)->name(), "syslog");
  EXPECT_TRUE((*syslog)->Supports(kNotifySyslog));
  EXPECT_FALSE((*syslog)->reversible());
  ASSERT_TRUE((*syslog)->Apply(Notify()));
  EXPECT_EQ((*syslog)->IsInPlace(Notify()), true);
  ExpectWellFormed(ReceiveDatagram(listener.get()));

  // A message above the datagram limit is cut, not refused.
  store::ActionRecord big = Notify();
  big.reason = std::string(10000, 'r');
  ASSERT_TRUE((*syslog)->Apply(big));
  std::string got = ReceiveDatagram(listener.get());
  EXPECT_EQ(got.size(), 2048u);
  EXPECT_TRUE(got.starts_with("<36>1 "));
}

TEST(SyslogActuatorTest, TcpListenerReceivesAnOctetCountedMessage) {
  Fd listener(::socket(AF_INET, SOCK_STREAM, 0));
  const int port = BindLoopback(listener.get());
  ASSERT_EQ(::listen(listener.get(), 4), 0);
  auto received = std::async(std::launch::async, [&] {
    Fd conn(::accept(listener.get(), nullptr, nullptr));
    std::string all;
    char buf[4096];
    for (;;) {
      pollfd p{conn.get(), POLLIN, 0};
      if (::poll(&p, 1, 3000) <= 0) break;
      ssize_t n = ::recv(conn.get(), buf, sizeof buf, 0);
      if (n <= 0) break;
      all.append(buf, static_cast<size_t>(n));
    }
    return all;
  });
  FakeClock clock(kNow);
  auto syslog = SyslogActuator::Make(fmt::format("tcp://127.0.0.1:{}", port), clock, 2s);
  ASSERT_TRUE(syslog) << syslog.error().ToString();
  ASSERT_TRUE((*syslog)->Apply(Notify()));
  std::string framed = received.get();
  size_t space = framed.find(' ');
  ASSERT_NE(space, std::string::npos) << framed;
  std::string message = framed.substr(space + 1);
  EXPECT_EQ(framed.substr(0, space), std::to_string(message.size()));  // RFC 6587 octet count
  ExpectWellFormed(message);
}

TEST(SyslogActuatorTest, UnixDatagramSocketReceivesTheMessage) {
  mamori::testing::TempDir dir("mamori-syslog");
  const std::string path = dir.File("log");
  Fd listener(::socket(AF_UNIX, SOCK_DGRAM, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof addr.sun_path);
  std::memcpy(addr.sun_path, path.data(), path.size());
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  FakeClock clock(kNow);
  auto syslog = SyslogActuator::Make("unix://" + path, clock, 2s);
  ASSERT_TRUE(syslog) << syslog.error().ToString();
  ASSERT_TRUE((*syslog)->Apply(Notify()));
  ExpectWellFormed(ReceiveDatagram(listener.get()));
}

TEST(SyslogActuatorTest, UnreachableTargetsAreNetworkErrors) {
  // A port that refuses: bound, never listening.
  Fd closed(::socket(AF_INET, SOCK_STREAM, 0));
  const int port = BindLoopback(closed.get());
  FakeClock clock(kNow);
  auto tcp = SyslogActuator::Make(fmt::format("tcp://127.0.0.1:{}", port), clock, 2s);
  ASSERT_TRUE(tcp);
  auto failed = (*tcp)->Apply(Notify());
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kNetwork);
  EXPECT_NE(failed.error().context.find("tcp://127.0.0.1"), std::string::npos);

  auto local = SyslogActuator::Make("unix:///nonexistent/mamori/log", clock, 2s);
  ASSERT_TRUE(local);
  failed = (*local)->Apply(Notify());
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kNetwork);
}

}  // namespace
}  // namespace mamori::rse::respond
