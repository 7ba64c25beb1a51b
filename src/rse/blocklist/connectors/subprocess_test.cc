// RunProcess and RunProcessWithInput with real programs (sh, cat, head): output capture, input
// larger than a pipe buffer, a child that stops reading early, timeouts, missing programs.
#include "rse/blocklist/connectors/subprocess.h"

#include <gtest/gtest.h>

#include <string>

namespace mamori::rse::blocklist::connectors {
namespace {

using namespace std::chrono_literals;

TEST(RunProcessTest, CapturesOutputAndExitStatus) {
  auto run = RunProcess({"sh", "-c", "echo out; echo err >&2; exit 4"}, 10s);
  ASSERT_TRUE(run) << run.error().ToString();
  EXPECT_EQ(run->exit_code, 4);
  EXPECT_EQ(run->out, "out\n");
  EXPECT_EQ(run->err, "err\n");
  // Standard input is /dev/null: reading it ends at once.
  auto cat = RunProcess({"cat"}, 10s);
  ASSERT_TRUE(cat);
  EXPECT_EQ(cat->out, "");
}

TEST(RunProcessTest, MissingProgramAndTimeout) {
  auto missing = RunProcess({"/nonexistent/program"}, 10s);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto slow = RunProcess({"sleep", "10"}, 200ms);
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, ErrorCode::kTimeout);
}

TEST(RunProcessTest, InputLargerThanAPipeBufferRoundTrips) {
  std::string input;
  for (int i = 0; input.size() < (1u << 20); ++i) input += std::to_string(i) + "\n";
  auto run = RunProcessWithInput({"cat"}, input, 30s);
  ASSERT_TRUE(run) << run.error().ToString();
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_EQ(run->out, input);  // written while the output was read: no deadlock

  auto empty = RunProcessWithInput({"wc", "-c"}, "", 10s);
  ASSERT_TRUE(empty);
  EXPECT_EQ(std::stoi(empty->out), 0);
}

TEST(RunProcessTest, ChildThatStopsReadingDoesNotKillTheCaller) {
  // `head -c 10` exits after 10 bytes; the rest of the input meets a closed pipe (EPIPE), which
  // must not raise SIGPIPE in this process (gtest would die).
  std::string input(4u << 20, 'x');
  auto run = RunProcessWithInput({"head", "-c", "10"}, input, 30s);
  ASSERT_TRUE(run) << run.error().ToString();
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_EQ(run->out, std::string(10, 'x'));
  auto ignoring = RunProcessWithInput({"true"}, input, 30s);
  ASSERT_TRUE(ignoring);
  EXPECT_EQ(ignoring->exit_code, 0);
}

TEST(RunProcessTest, InputToASlowChildStillTimesOut) {
  auto run = RunProcessWithInput({"sleep", "10"}, std::string(1u << 20, 'x'), 200ms);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, ErrorCode::kTimeout);
}

}  // namespace
}  // namespace mamori::rse::blocklist::connectors
