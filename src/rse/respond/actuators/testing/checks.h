// Test support for the actuator tests: the network-namespace checks of the blocklist connectors
// (connectors/testing/netns_checks.h), running programs, and making ActionRecords. Header-only;
// used only by *_test.cc files.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "rse/blocklist/connectors/subprocess.h"
#include "rse/blocklist/connectors/testing/netns_checks.h"
#include "store/records.h"

namespace mamori::rse::respond::testing {

using Checks = blocklist::testing::NetnsChecks;
using blocklist::testing::InNetns;

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
