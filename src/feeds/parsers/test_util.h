// Helpers for the parser tests only: read a fixture from testdata/ and parse it through the
// public MakeParser() entry point, so each test exercises what the updater uses.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "feeds/parser.h"

namespace mamori::feeds::parsers::testing {

inline std::string ReadTestdata(const std::string& name) {
  const char* env = std::getenv("MAMORI_SOURCE_DIR");
  std::string root = env != nullptr ? env : MAMORI_SOURCE_DIR;
  std::string path = root + "/src/feeds/parsers/testdata/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "missing fixture " << path;
    return {};
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Parses `body` as `format`; a parser or document error fails the test.
inline ParsedFeed ParseOk(FeedFormat format, std::string_view body,
                          const ParserOptions& options = {}, std::string_view origin = "test") {
  ParsedFeed feed;
  auto parser = MakeParser(format, options);
  if (!parser) {
    ADD_FAILURE() << "MakeParser: " << parser.error().ToString();
    return feed;
  }
  auto status = (*parser)->Parse(body, origin, feed);
  if (!status) ADD_FAILURE() << "Parse: " << status.error().ToString();
  return feed;
}

inline std::vector<std::string> Values(const ParsedFeed& feed) {
  std::vector<std::string> out;
  for (const auto& e : feed.entries) out.push_back(e.indicator.value);
  return out;
}

inline std::vector<size_t> ErrorLines(const ParseReport& report) {
  std::vector<size_t> out;
  for (const auto& e : report.first_errors) out.push_back(e.line);
  return out;
}

}  // namespace mamori::feeds::parsers::testing
