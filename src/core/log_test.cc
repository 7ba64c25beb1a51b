#include "core/log.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <regex>
#include <string>

namespace mamori {
namespace {

using testing::internal::CaptureStderr;
using testing::internal::GetCapturedStderr;

// Everything the default logger writes to stderr while `log` runs. Capture starts before
// InitLogging so the sink sees a file, not a terminal, and writes no colour codes.
template <typename Fn>
std::string Logged(std::string_view level, LogFormat format, Fn log) {
  CaptureStderr();
  Status status = InitLogging(level, format);
  log();
  spdlog::default_logger()->flush();
  std::string out = GetCapturedStderr();
  EXPECT_TRUE(status.has_value()) << status.error().ToString();
  return out;
}

// The JSON time field changes; replace it by a fixed value after checking its shape.
std::string WithoutJsonTime(const std::string& line) {
  static const std::regex kTime(R"re(^\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\d\dZ",)re");
  EXPECT_TRUE(std::regex_search(line, kTime)) << line;
  return std::regex_replace(line, kTime, R"({"time":"T",)");
}

std::string WithoutTextTime(const std::string& line) {
  static const std::regex kTime(R"re(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\d\dZ )re");
  EXPECT_TRUE(std::regex_search(line, kTime)) << line;
  return std::regex_replace(line, kTime, "T ");
}

class LogTest : public testing::Test {
 protected:
  // Leave a plain default logger behind for whatever test runs next.
  void TearDown() override { ASSERT_TRUE(InitLogging("info", LogFormat::kText).has_value()); }
};

TEST_F(LogTest, UnknownLevelIsAnErrorNamingIt) {
  Status status = InitLogging("verbose", LogFormat::kText);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message,
            "unknown log level 'verbose' (use one of trace, debug, info, warn, error, critical, "
            "off)");
  // spdlog's own spellings are not mamori.toml's; they must not silently mean "off".
  EXPECT_FALSE(InitLogging("warning", LogFormat::kJson).has_value());
  EXPECT_FALSE(InitLogging("INFO", LogFormat::kJson).has_value());
  EXPECT_FALSE(InitLogging("", LogFormat::kJson).has_value());
  for (std::string_view level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    EXPECT_TRUE(InitLogging(level, LogFormat::kJson).has_value()) << level;
  }
}

TEST_F(LogTest, JsonLineShape) {
  std::string out = Logged("info", LogFormat::kJson, [] { spdlog::info("feed updated"); });
  EXPECT_EQ(WithoutJsonTime(out), "{\"time\":\"T\",\"level\":\"info\",\"msg\":\"feed updated\"}\n");
}

TEST_F(LogTest, JsonEscapesQuotesBackslashesAndControlCharacters) {
  std::string out = Logged("info", LogFormat::kJson, [] {
    spdlog::info("{}", "say \"hi\" C:\\tmp\nnext\r\t\b\f\x01\x1f\x7f end");
  });
  EXPECT_EQ(WithoutJsonTime(out),
            "{\"time\":\"T\",\"level\":\"info\",\"msg\":"
            "\"say \\\"hi\\\" C:\\\\tmp\\nnext\\r\\t\\b\\f\\u0001\\u001f\\u007f end\"}\n");
}

TEST_F(LogTest, JsonKeepsUtf8AndReplacesInvalidBytes) {
  std::string out = Logged("info", LogFormat::kJson, [] {
    // Valid: ü (2 bytes), 例 (3 bytes), 😀 (4 bytes). Invalid: a stray continuation byte, a
    // truncated sequence, an overlong '/', a UTF-16 surrogate, and a lone lead byte at the end.
    spdlog::info("{}",
                 "b\xC3\xBC"
                 "cher \xE4\xBE\x8B \xF0\x9F\x98\x80 | \x80 \xE4\xBE \xC0\xAF \xED\xA0\x80 \xC3");
  });
  EXPECT_EQ(WithoutJsonTime(out),
            "{\"time\":\"T\",\"level\":\"info\",\"msg\":\"b\xC3\xBC"
            "cher \xE4\xBE\x8B \xF0\x9F\x98\x80 | \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD "
            "\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\"}\n");
}

TEST_F(LogTest, JsonLevelNamesMatchConfig) {
  std::string out = Logged("trace", LogFormat::kJson, [] {
    spdlog::trace("a");
    spdlog::debug("b");
    spdlog::warn("c");
    spdlog::error("d");
    spdlog::critical("e");
  });
  EXPECT_EQ(std::regex_replace(out, std::regex(R"("time":"[^"]*")"), R"("time":"T")"),
            "{\"time\":\"T\",\"level\":\"trace\",\"msg\":\"a\"}\n"
            "{\"time\":\"T\",\"level\":\"debug\",\"msg\":\"b\"}\n"
            "{\"time\":\"T\",\"level\":\"warn\",\"msg\":\"c\"}\n"
            "{\"time\":\"T\",\"level\":\"error\",\"msg\":\"d\"}\n"
            "{\"time\":\"T\",\"level\":\"critical\",\"msg\":\"e\"}\n");
}

TEST_F(LogTest, LevelFilters) {
  std::string out = Logged("warn", LogFormat::kJson, [] {
    spdlog::info("hidden");
    spdlog::warn("shown");
  });
  EXPECT_EQ(WithoutJsonTime(out), "{\"time\":\"T\",\"level\":\"warn\",\"msg\":\"shown\"}\n");
  std::string off = Logged("off", LogFormat::kJson, [] { spdlog::critical("hidden"); });
  EXPECT_EQ(off, "");
}

TEST_F(LogTest, TextLineShapeAndEscaping) {
  std::string out = Logged("info", LogFormat::kText, [] {
    spdlog::info("feed \"abuse\" updated");
    // A newline from hostile input must not start a forged record; ESC must not reach a tty.
    spdlog::warn("{}", "bad line\n2026-01-01T00:00:00.000Z [info] forged\x1b[31m\tend");
  });
  auto newline = out.find('\n');
  ASSERT_NE(newline, std::string::npos);
  EXPECT_EQ(WithoutTextTime(out.substr(0, newline + 1)), "T [info] feed \"abuse\" updated\n");
  EXPECT_EQ(WithoutTextTime(out.substr(newline + 1)),
            "T [warn] bad line\\n2026-01-01T00:00:00.000Z [info] forged\\x1b[31m\tend\n");
}

}  // namespace
}  // namespace mamori
