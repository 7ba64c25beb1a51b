// The sshd parser's per-connection (per-pid) memory: address-less lines of a connection get its
// address, and a failure logged before the address is known is counted on the line that names
// it. Single-line shapes are in syslog_test.cc.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "rse/ingest/log_parser.h"

namespace mamori::rse::ingest {
namespace {

constexpr UnixSeconds kNow = 1718452800;  // 2024-06-15T12:00:00Z

struct Line {
  std::string ip, action, outcome, user;
};

// Parses `lines` in order with ONE parser (its state carries from line to line).
std::vector<Line> ParseAll(const std::vector<std::string>& lines) {
  auto parser = MakeLogParser("sshd", ParserOptions{.now = kNow});
  EXPECT_TRUE(parser);
  std::vector<Line> out;
  for (const auto& text : lines) {
    Event e;
    EXPECT_EQ((*parser)->Parse(text, e).outcome, ParseOutcome::kEvent) << text;
    out.push_back({std::string(e.Get(Field::kSourceIp)), std::string(e.Get(Field::kEventAction)),
                   std::string(e.Get(Field::kEventOutcome)), std::string(e.Get(Field::kUserName))});
  }
  return out;
}

TEST(SshdConnectionTest, AddresslessLineGetsTheConnectionsAddress) {
  auto got = ParseAll({
      "Feb 12 04:09:18 h sshd[26713]: Connection from 192.0.2.77 port 51353 on 10.0.0.1 port 22",
      "Feb 12 04:09:21 h sshd[26713]: Disconnecting: Too many authentication failures for root "
      "[preauth]",
      "Feb 12 04:09:22 h sshd[26799]: Disconnecting: Too many authentication failures [preauth]",
  });
  EXPECT_EQ(got[1].ip, "192.0.2.77");
  EXPECT_EQ(got[1].action, "ssh_login");
  EXPECT_EQ(got[1].outcome, "failure");
  EXPECT_EQ(got[1].user, "root");
  EXPECT_EQ(got[2].ip, "") << "another pid: no address";
}

TEST(SshdConnectionTest, AddressFromAnEarlierFailureLine) {
  // A client with a valid user offering keys, then running out of attempts.
  auto got = ParseAll({
      "Nov 28 09:16:05 srv sshd[32310]: Failed publickey for git from 192.0.2.111 port 57910 "
      "ssh2: ECDSA 1e:fe",
      "Nov 28 09:16:05 srv sshd[32310]: Disconnecting: Too many authentication failures for git "
      "[preauth]",
      "Nov 28 09:16:05 srv sshd[32310]: Connection closed by 192.0.2.111 [preauth]",
  });
  EXPECT_EQ(got[1].ip, "192.0.2.111");
  EXPECT_EQ(got[1].outcome, "failure");
  // The failure was counted with its address already: the close is only a close.
  EXPECT_EQ(got[2].action, "ssh_disconnect");
}

TEST(SshdConnectionTest, PendingFailureIsCountedWhenTheAddressAppears) {
  auto got = ParseAll({
      "Apr 24 01:39:19 host sshd[3719]: User root not allowed because account is locked",
      "Apr 24 01:39:19 host sshd[3719]: input_userauth_request: invalid user root [preauth]",
      "Apr 24 01:39:19 host sshd[3719]: error: Received disconnect from 198.51.100.34: 11: Bye Bye "
      "[preauth]",
      // The connection ended: a later line of a reused pid is not attributed to it.
      "Apr 24 01:40:00 host sshd[3719]: Disconnecting: Too many authentication failures [preauth]",
  });
  EXPECT_EQ(got[0].ip, "");
  EXPECT_EQ(got[0].outcome, "failure");
  EXPECT_EQ(got[2].ip, "198.51.100.34");
  EXPECT_EQ(got[2].action, "ssh_login");
  EXPECT_EQ(got[2].outcome, "failure");
  EXPECT_EQ(got[2].user, "root");
  EXPECT_EQ(got[3].ip, "");
}

TEST(SshdConnectionTest, AcceptedLoginDropsThePendingFailure) {
  auto got = ParseAll({
      "Nov 23 21:50:19 h sshd[8148]: Disconnecting: Too many authentication failures for root",
      "Nov 23 21:50:20 h sshd[8148]: Accepted password for root from 192.0.2.9 port 4 ssh2",
      "Nov 23 21:50:37 h sshd[8148]: Connection closed by 192.0.2.9",
  });
  EXPECT_EQ(got[1].outcome, "success");
  EXPECT_EQ(got[2].action, "ssh_disconnect");
  EXPECT_EQ(got[2].outcome, "unknown");
}

TEST(SshdConnectionTest, PidsAreTrackedPerSyslogHost) {
  auto got = ParseAll({
      "Feb 12 04:09:18 a sshd[100]: Connection from 192.0.2.1 port 1 on 10.0.0.1 port 22",
      "Feb 12 04:09:19 b sshd[100]: Disconnecting: Too many authentication failures",
      "Feb 12 04:09:20 b sshd[100]: Connection closed by 192.0.2.2 port 5 [preauth]",
  });
  EXPECT_EQ(got[1].ip, "") << "host b's pid 100 is not host a's";
  EXPECT_EQ(got[2].ip, "192.0.2.2");
  EXPECT_EQ(got[2].action, "ssh_login") << "b's pending failure";
}

TEST(SshdConnectionTest, NewConnectionOnAReusedPidStartsClean) {
  auto got = ParseAll({
      "Jun  7 04:10:35 h sshd[42]: Disconnecting: Too many authentication failures",
      "Jun  7 05:00:00 h sshd[42]: Connection from 192.0.2.16 port 51280 on 10.0.0.1 port 22",
  });
  EXPECT_EQ(got[1].action, "ssh_connect") << "not the old connection's failure";
}

TEST(SshdConnectionTest, MemoryIsBounded) {
  // Far more open connections than the parser tracks (4096): the oldest are forgotten, the
  // newest still attributed.
  auto parser = MakeLogParser("sshd", ParserOptions{.now = kNow});
  ASSERT_TRUE(parser);
  constexpr int kConnections = 10000;
  for (int pid = 1; pid <= kConnections; ++pid) {
    Event e;
    std::string line = "Feb 12 04:09:18 h sshd[" + std::to_string(pid) +
                       "]: Connection from 192.0.2.1 port 1 on 10.0.0.1 port 22";
    (*parser)->Parse(line, e);
  }
  auto attributed = [&](int pid) {
    Event e;
    std::string line = "Feb 12 04:09:19 h sshd[" + std::to_string(pid) +
                       "]: Disconnecting: Too many authentication failures";
    (*parser)->Parse(line, e);
    return e.Has(Field::kSourceIp);
  };
  EXPECT_FALSE(attributed(1));
  EXPECT_TRUE(attributed(kConnections));
}

}  // namespace
}  // namespace mamori::rse::ingest
