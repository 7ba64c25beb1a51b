// The e-mail actuator with a shell script as the MTA: it saves its arguments and the message it
// reads on standard input, so the test checks exactly what sendmail would get.
#include "rse/respond/actuators/email_actuator.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "core/atomic_file.h"
#include "core/test_temp_dir.h"
#include "rse/respond/actuators/testing/checks.h"

namespace mamori::rse::respond {
namespace {

using testing::Action;

constexpr UnixSeconds kNow = 1'800'000'000;  // Fri, 15 Jan 2027 08:00:00 +0000

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The header block (up to the first empty line) and the body.
std::pair<std::string, std::string> Split(const std::string& message) {
  size_t end = message.find("\n\n");
  if (end == std::string::npos) return {message, ""};
  return {message.substr(0, end + 1), message.substr(end + 2)};
}

class EmailActuatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mta_ = dir_.File("sendmail");
    ASSERT_TRUE(WriteFileAtomically(mta_,
                                    "#!/bin/sh\n"
                                    "echo \"$@\" > " +
                                        dir_.File("argv") +
                                        "\n"
                                        "cat > " +
                                        dir_.File("message") +
                                        "\n"
                                        "if [ -e " +
                                        dir_.File("FAIL") +
                                        " ]; then echo 'queue full' >&2; exit 75; fi\n"));
    ASSERT_EQ(::chmod(mta_.c_str(), 0755), 0);
  }

  std::unique_ptr<EmailActuator> Make(std::string to = "soc@example.org, oncall@example.org") {
    EmailActuatorOptions options;
    options.command = mta_ + " -t  -i";
    options.from = "mamori@gw.example.org";
    options.to = std::move(to);
    options.timeout = std::chrono::seconds(10);
    auto made = EmailActuator::Make(options, clock_);
    EXPECT_TRUE(made.has_value()) << made.error().ToString();
    return made ? std::move(*made) : nullptr;
  }

  std::string Message() { return ReadFile(dir_.File("message")); }

  mamori::testing::TempDir dir_{"mamori-email"};
  FakeClock clock_{kNow};
  std::string mta_;
};

TEST_F(EmailActuatorTest, PipesAnRfc5322MessageToTheMta) {
  auto email = Make();
  ASSERT_NE(email, nullptr);
  EXPECT_EQ(email->name(), "email");
  EXPECT_TRUE(email->Supports(kNotifyEmail));
  EXPECT_FALSE(email->Supports(kNotifySyslog));
  EXPECT_FALSE(email->reversible());

  store::ActionRecord action = Action(std::string(kNotifyEmail), "email", "203.0.113.7", 31);
  ASSERT_TRUE(email->Apply(action));
  EXPECT_EQ(email->IsInPlace(action), true);
  EXPECT_EQ(ReadFile(dir_.File("argv")), "-t -i\n");

  auto [headers, body] = Split(Message());
  EXPECT_NE(headers.find("From: mamori@gw.example.org\n"), std::string::npos) << headers;
  EXPECT_NE(headers.find("To: soc@example.org, oncall@example.org\n"), std::string::npos);
  EXPECT_NE(headers.find("Subject: [mamori] notify_email 203.0.113.7 (playbook ssh-brute)\n"),
            std::string::npos)
      << headers;
  EXPECT_NE(headers.find("Date: Fri, 15 Jan 2027 08:00:00 +0000\n"), std::string::npos);
  EXPECT_TRUE(std::regex_search(headers, std::regex("\nMessage-ID: <mamori\\.action\\.31\\."
                                                    "1800000000@[^ >\n]+>\n")))
      << headers;
  EXPECT_NE(headers.find("Auto-Submitted: auto-generated\n"), std::string::npos);
  EXPECT_NE(headers.find("Content-Type: text/plain; charset=utf-8\n"), std::string::npos);
  EXPECT_NE(body.find("Target:    203.0.113.7\n"), std::string::npos) << body;
  EXPECT_NE(body.find("Reason:\n  12 failed SSH logins in 60 s\n"), std::string::npos) << body;
  EXPECT_NE(body.find("Expected effect:\n  traffic from the target is dropped for 1 h\n"),
            std::string::npos);
  EXPECT_NE(body.find("Evidence:\n"), std::string::npos);
  EXPECT_NE(body.find("  \"count\": 12"), std::string::npos) << body;
}

TEST_F(EmailActuatorTest, RecipientsFromParamsAndNoneAtAll) {
  auto email = Make("");
  store::ActionRecord action = Action(std::string(kNotifyEmail), "email", "203.0.113.7");
  auto none = email->Apply(action);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(none.error().message.find("email_to"), std::string::npos);

  action.params_json = R"({"to": "analyst@example.org"})";
  ASSERT_TRUE(email->Apply(action));
  EXPECT_NE(Message().find("\nTo: analyst@example.org\n"), std::string::npos) << Message();

  action.params_json = R"({"to": "analyst@example.org\nBcc: x@evil.test"})";
  auto injected = email->Apply(action);
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(EmailActuatorTest, HostileFieldsCannotAddHeadersAndUnicodeIsEncoded) {
  auto email = Make();
  store::ActionRecord action =
      Action(std::string(kNotifyEmail), "email", "evil.example\nBcc: victim@example.org");
  action.playbook = "blocage-réseau";
  for (int i = 0; i < 5000; ++i) action.reason += std::string(80, 'r') + "\n";  // > a pipe buffer
  action.reason += std::string(5000, 'x');                                      // one overlong line
  ASSERT_TRUE(email->Apply(action));
  auto [headers, body] = Split(Message());
  EXPECT_EQ(headers.find("\nBcc:"), std::string::npos) << headers;
  EXPECT_NE(headers.find("Subject: =?UTF-8?B?"), std::string::npos) << headers;
  // Body lines stay within RFC 5322's limit.
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) EXPECT_LE(line.size(), 998u);
}

TEST_F(EmailActuatorTest, MtaFailureIsAnErrorWithItsOutput) {
  auto email = Make();
  ASSERT_TRUE(WriteFileAtomically(dir_.File("FAIL"), ""));
  auto failed = email->Apply(Action(std::string(kNotifyEmail), "email", "203.0.113.7"));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kIo);
  EXPECT_NE(failed.error().message.find("exited with 75"), std::string::npos)
      << failed.error().ToString();
  EXPECT_NE(failed.error().message.find("queue full"), std::string::npos);
  EXPECT_NE(failed.error().context.find("email_command"), std::string::npos);
}

TEST_F(EmailActuatorTest, BadSettingsNameTheirKey) {
  FakeClock clock;
  EmailActuatorOptions options;
  options.command = "  ";
  auto made = EmailActuator::Make(options, clock);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().context, "[respond] email_command");
  options.command = "/usr/sbin/sendmail -t -i";
  options.from = "not an address";
  made = EmailActuator::Make(options, clock);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().context, "[respond] email_from");
  options.from = "mamori@localhost";
  options.to = "soc@example.org, nobody";
  made = EmailActuator::Make(options, clock);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().context, "[respond] email_to");
}

}  // namespace
}  // namespace mamori::rse::respond
