// Test support: run checks inside a fresh network namespace (a forked child, netns.h) and bring
// their failures back to gtest as text. Shared by the nftables connector's and the response
// actuators' tests. Header-only; include only from *_test.cc files.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "rse/blocklist/connectors/testing/netns.h"

namespace mamori::rse::blocklist::testing {

// Failures found where gtest's assertions cannot report them (the namespace child).
class NetnsChecks {
 public:
  void Expect(bool ok, std::string_view what) {
    if (!ok) fmt::format_to(std::back_inserter(text_), "{}\n", what);
  }
  template <typename T>
  void ExpectOk(const T& result, std::string_view what) {
    if (!result) {
      fmt::format_to(std::back_inserter(text_), "{}: {}\n", what, result.error().ToString());
    }
  }
  template <typename T>
  void ExpectError(const T& result, ErrorCode code, std::string_view what) {
    if (result) {
      fmt::format_to(std::back_inserter(text_), "{}: succeeded, expected {}\n", what,
                     ErrorCodeName(code));
    } else if (result.error().code != code) {
      fmt::format_to(std::back_inserter(text_), "{}: got {} ({}), expected {}\n", what,
                     ErrorCodeName(result.error().code), result.error().ToString(),
                     ErrorCodeName(code));
    }
  }
  // `result` is an Expected<bool> that must hold `want`.
  template <typename T>
  void ExpectValue(const T& result, bool want, std::string_view what) {
    if (!result) {
      fmt::format_to(std::back_inserter(text_), "{}: {}\n", what, result.error().ToString());
    } else if (*result != want) {
      fmt::format_to(std::back_inserter(text_), "{}: got {}, want {}\n", what, *result, want);
    }
  }
  void ExpectEq(const std::vector<std::string>& got, const std::vector<std::string>& want,
                std::string_view what) {
    if (got != want) {
      auto head = [](const std::vector<std::string>& v) {
        return fmt::format("{} elements: {}", v.size(),
                           fmt::join(v.begin(), v.begin() + std::min<size_t>(v.size(), 12), " "));
      };
      fmt::format_to(std::back_inserter(text_), "{}:\n  got  {}\n  want {}\n", what, head(got),
                     head(want));
    }
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// Runs `body` in a fresh network namespace and fails the test with what it found there; skips
// the test when this machine gives no namespace (no CAP_SYS_ADMIN, no user namespaces).
inline void InNetns(const std::function<void(NetnsChecks&)>& body) {
  auto result = RunInNewNetns([&] {
    NetnsChecks checks;
    body(checks);
    return checks.text();
  });
  if (!result && result.error().code == ErrorCode::kUnsupported) {
    GTEST_SKIP() << "no network namespace for the test: " << result.error().message;
  }
  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_EQ(*result, "") << "checks failed inside the network namespace";
}

}  // namespace mamori::rse::blocklist::testing
