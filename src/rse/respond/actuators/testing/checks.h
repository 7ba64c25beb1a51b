// Test support for the actuator tests: run checks inside a fresh network namespace (a forked
// child, testing/netns.h of the blocklist connectors) and bring their failures back as text, and
// make ActionRecords. Header-only; used only by *_test.cc files.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "rse/blocklist/connectors/subprocess.h"
#include "rse/blocklist/connectors/testing/netns.h"
#include "store/records.h"

namespace mamori::rse::respond::testing {

// Failures found where gtest's assertions cannot report them (the namespace child).
class Checks {
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
  // `result` is an Expected<bool> that must hold `want`.
  template <typename T>
  void ExpectValue(const T& result, bool want, std::string_view what) {
    if (!result) {
      fmt::format_to(std::back_inserter(text_), "{}: {}\n", what, result.error().ToString());
    } else if (*result != want) {
      fmt::format_to(std::back_inserter(text_), "{}: got {}, want {}\n", what, *result, want);
    }
  }
  template <typename T>
  void ExpectError(const T& result, ErrorCode code, std::string_view what) {
    if (result) {
      fmt::format_to(std::back_inserter(text_), "{}: succeeded, expected {}\n", what,
                     ErrorCodeName(code));
    } else if (result.error().code != code) {
      fmt::format_to(std::back_inserter(text_), "{}: got {}, expected {}\n", what,
                     result.error().ToString(), ErrorCodeName(code));
    }
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// Runs `body` in a fresh network namespace and fails the test with what it found there; skips
// the test when this machine gives no namespace (no CAP_SYS_ADMIN, no user namespaces).
inline void InNetns(const std::function<void(Checks&)>& body) {
  auto result = blocklist::testing::RunInNewNetns([&] {
    Checks checks;
    body(checks);
    return checks.text();
  });
  if (!result && result.error().code == ErrorCode::kUnsupported) {
    GTEST_SKIP() << "no network namespace for the test: " << result.error().message;
  }
  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  EXPECT_EQ(*result, "") << "checks failed inside the network namespace";
}

// `program ARGS` in the current namespace; its standard output, or an error with what it said.
inline Expected<std::string> Output(const std::vector<std::string>& argv) {
  MAMORI_ASSIGN_OR_RETURN(auto run,
                          blocklist::connectors::RunProcess(argv, std::chrono::seconds(30)));
  if (run.exit_code != 0) {
    return MakeError(ErrorCode::kIo, fmt::format("exit {}: {}", run.exit_code, run.err),
                     blocklist::connectors::ArgvText(argv));
  }
  return run.out;
}

inline bool HaveProgram(const std::string& name) {
  auto run = blocklist::connectors::RunProcess({"sh", "-c", "command -v \"$0\"", name},
                                               std::chrono::seconds(10));
  return run && run->exit_code == 0;
}

inline store::ActionRecord Action(std::string kind, std::string device, std::string target,
                                  int64_t id = 1) {
  store::ActionRecord a;
  a.id = id;
  a.kind = std::move(kind);
  a.device = std::move(device);
  a.target = std::move(target);
  a.playbook = "ssh-brute";
  a.mode = "auto";
  a.state = "applying";
  a.reason = "12 failed SSH logins in 60 s";
  a.expected_effect = "traffic from the target is dropped for 1 h";
  a.evidence_json = R"({"detection":"ssh-brute","count":12})";
  a.duration_seconds = 3600;
  return a;
}

}  // namespace mamori::rse::respond::testing
