// Postfix message kinds added for the fail2ban parity work (docs/fail2ban-parity.md); the others
// are in syslog_test.cc.
#include <gtest/gtest.h>

#include <string>

#include "rse/ingest/log_parser.h"

namespace mamori::rse::ingest {
namespace {

struct Got {
  std::string ip, action, outcome;
};

Got ParsePostfix(std::string_view line) {
  auto parser = MakeLogParser("postfix", ParserOptions{.now = 1718452800});
  EXPECT_TRUE(parser);
  Event e;
  EXPECT_EQ((*parser)->Parse(line, e).outcome, ParseOutcome::kEvent) << line;
  return {std::string(e.Get(Field::kSourceIp)), std::string(e.Get(Field::kEventAction)),
          std::string(e.Get(Field::kEventOutcome))};
}

TEST(PostfixParserTest, ImproperPipeliningIsAProtocolViolation) {
  for (const char* line :
       {"Jan 12 11:07:49 mx postfix/smtpd[13767]: improper command pipelining after DATA from "
        "unknown[192.0.2.88]:",
        "Jun 12 08:58:35 mx postfix/smtpd[13533]: improper command pipelining after AUTH from "
        "unknown[192.0.2.88]: QUIT"}) {
    Got g = ParsePostfix(line);
    EXPECT_EQ(g.ip, "192.0.2.88") << line;
    EXPECT_EQ(g.action, "protocol_violation") << line;
    EXPECT_EQ(g.outcome, "failure") << line;
  }
}

TEST(PostfixParserTest, SaslWarningWithClientPort) {
  Got g = ParsePostfix(
      "Aug  4 16:47:52 mail3 postfix/smtpd[31152]: warning: unknown[192.0.2.237]:55729: SASL "
      "LOGIN authentication failed: authentication failure");
  EXPECT_EQ(g.ip, "192.0.2.237");
  EXPECT_EQ(g.action, "smtp_auth");
  EXPECT_EQ(g.outcome, "failure");
}

TEST(PostfixParserTest, LostSaslServerIsNotTheClientsFailure) {
  Got lost = ParsePostfix(
      "Feb  3 08:29:28 mail postfix/smtpd[21022]: warning: unknown[192.0.2.1]: SASL LOGIN "
      "authentication failed: Connection lost to authentication server");
  EXPECT_EQ(lost.action, "smtp_auth");
  EXPECT_EQ(lost.outcome, "unknown");
  Got failed = ParsePostfix(
      "Feb  3 08:29:28 mail postfix/smtpd[21022]: warning: unknown[192.0.2.1]: SASL LOGIN "
      "authentication failed: UGFzc3dvcmQ6");
  EXPECT_EQ(failed.outcome, "failure");
}

}  // namespace
}  // namespace mamori::rse::ingest
