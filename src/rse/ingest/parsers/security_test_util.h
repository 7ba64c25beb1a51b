// Test helpers for the security-log parser tests (suricata_eve_test.cc, zeek_test.cc, ...):
// parse lines through the registry, as `mamori ingest` does, and read fields back.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "rse/ingest/log_parser.h"

namespace mamori::rse::ingest::testing {

class ParserHarness {
 public:
  explicit ParserHarness(std::string_view format, ParserOptions options = {}) {
    auto parser = MakeLogParser(format, options);
    EXPECT_TRUE(parser.has_value()) << format;
    if (parser) parser_ = std::move(*parser);
  }

  // Parses `line` into event(); the event's views stay valid until the next Parse().
  ParseResult Parse(std::string_view line) {
    line_ = std::string(line);  // the parser must not depend on the caller's buffer beyond this
    event_.Clear();
    return parser_->Parse(line_, event_);
  }
  ParseOutcome Outcome(std::string_view line) { return Parse(line).outcome; }

  const Event& event() const { return event_; }
  std::string Get(Field field) const { return std::string(event_.Get(field)); }
  LogParser& parser() { return *parser_; }

 private:
  std::unique_ptr<LogParser> parser_;
  std::string line_;
  Event event_;
};

}  // namespace mamori::rse::ingest::testing
