// The RPZ actuator on real files in a temporary directory, with a shell script as the reload
// command that records how it was run (or fails, to show the previous zone is put back).
#include "rse/respond/actuators/rpz_actuator.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/atomic_file.h"
#include "core/test_temp_dir.h"
#include "rse/respond/actuators/testing/checks.h"

namespace mamori::rse::respond {
namespace {

using testing::Action;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

store::ActionRecord Block(const std::string& target) {
  return Action(std::string(kBlockDomain), "rpz", target);
}

class RpzActuatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    zone_ = dir_.File("respond.rpz");
    calls_ = dir_.File("calls");
    // Records its arguments, one run per line; fails (with a message) while FAIL exists.
    script_ = dir_.File("reload.sh");
    ASSERT_TRUE(WriteFileAtomically(script_,
                                    "#!/bin/sh\n"
                                    "echo \"$@\" >> " +
                                        calls_ +
                                        "\n"
                                        "if [ -e " +
                                        dir_.File("FAIL") +
                                        " ]; then echo 'error: zone broken' >&2; "
                                        "exit 3; fi\n"));
    ASSERT_EQ(::chmod(script_.c_str(), 0755), 0);
  }

  std::unique_ptr<RpzActuator> Make(std::string reload_command = {}) {
    RpzActuatorOptions options;
    options.zone_file = zone_;
    options.origin = "rpz.mamori.";
    options.reload_command = std::move(reload_command);
    options.timeout = std::chrono::seconds(10);
    auto made = RpzActuator::Make(options, clock_);
    EXPECT_TRUE(made.has_value()) << made.error().ToString();
    return made ? std::move(*made) : nullptr;
  }

  mamori::testing::TempDir dir_{"mamori-rpz"};
  FakeClock clock_{1800000000};
  std::string zone_, calls_, script_;
};

TEST_F(RpzActuatorTest, WritesBothTriggersPerDomainWithAGrowingSerial) {
  auto rpz = Make();
  ASSERT_NE(rpz, nullptr);
  EXPECT_EQ(rpz->name(), "rpz");
  EXPECT_TRUE(rpz->Supports(kBlockDomain));
  EXPECT_FALSE(rpz->Supports(kBlockAddress));
  EXPECT_TRUE(rpz->reversible());
  EXPECT_EQ(rpz->IsInPlace(Block("evil.example")), false);

  ASSERT_TRUE(rpz->Apply(Block("Evil.Example.")));  // normalized
  std::string text = ReadFile(zone_);
  EXPECT_NE(text.find("\nevil.example CNAME .\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n*.evil.example CNAME .\n"), std::string::npos) << text;
  EXPECT_NE(text.find("; zone rpz.mamori.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("@ IN SOA localhost. hostmaster.localhost. 1800000000 "), std::string::npos)
      << text;
  EXPECT_EQ(rpz->IsInPlace(Block("evil.example")), true);

  // Applying again changes nothing, not even the serial.
  ASSERT_TRUE(rpz->Apply(Block("evil.example")));
  EXPECT_EQ(ReadFile(zone_), text);

  // A second change within the same second still gets a higher serial.
  ASSERT_TRUE(rpz->Apply(Block("c2.bad.test")));
  text = ReadFile(zone_);
  EXPECT_NE(text.find(" 1800000001 "), std::string::npos) << text;
  EXPECT_NE(text.find("\nc2.bad.test CNAME .\n*.c2.bad.test CNAME .\n"), std::string::npos);
  EXPECT_EQ(*rpz->Domains(), (std::set<std::string>{"c2.bad.test", "evil.example"}));

  ASSERT_TRUE(rpz->Revert(Block("evil.example")));
  ASSERT_TRUE(rpz->Revert(Block("evil.example")));
  text = ReadFile(zone_);
  EXPECT_EQ(text.find("evil.example"), std::string::npos) << text;
  EXPECT_EQ(rpz->IsInPlace(Block("evil.example")), false);
  EXPECT_EQ(rpz->IsInPlace(Block("c2.bad.test")), true);
}

TEST_F(RpzActuatorTest, ANewActuatorReadsTheFileBackAndSeesAdminEdits) {
  {
    auto rpz = Make();
    ASSERT_TRUE(rpz->Apply(Block("evil.example")));
    ASSERT_TRUE(rpz->Apply(Block("phish.test")));
  }
  clock_.Advance(std::chrono::seconds(100));
  auto restarted = Make();
  ASSERT_NE(restarted, nullptr);
  EXPECT_EQ(restarted->IsInPlace(Block("evil.example")), true);
  EXPECT_EQ(restarted->IsInPlace(Block("phish.test")), true);
  ASSERT_TRUE(restarted->Apply(Block("third.test")));
  EXPECT_EQ(*restarted->Domains(),
            (std::set<std::string>{"evil.example", "phish.test", "third.test"}));

  // An admin removes a domain by hand: it is no longer in place, and Apply puts it back.
  std::string text = ReadFile(zone_);
  for (const std::string line : {"phish.test CNAME .\n", "*.phish.test CNAME .\n"}) {
    text.erase(text.find(line), line.size());
  }
  ASSERT_TRUE(WriteFileAtomically(zone_, text));
  EXPECT_EQ(restarted->IsInPlace(Block("phish.test")), false);
  ASSERT_TRUE(restarted->Apply(Block("phish.test")));
  EXPECT_EQ(restarted->IsInPlace(Block("phish.test")), true);
}

TEST_F(RpzActuatorTest, RunsTheReloadCommandOnlyOnChanges) {
  auto rpz = Make(script_ + "  auth_zone_reload\trpz.mamori");
  ASSERT_TRUE(rpz->Apply(Block("evil.example")));
  ASSERT_TRUE(rpz->Apply(Block("evil.example")));  // no change, no reload
  ASSERT_TRUE(rpz->Revert(Block("other.test")));   // not in the zone: no change
  ASSERT_TRUE(rpz->Revert(Block("evil.example")));
  EXPECT_EQ(ReadFile(calls_), "auth_zone_reload rpz.mamori\nauth_zone_reload rpz.mamori\n");
}

TEST_F(RpzActuatorTest, AFailedReloadPutsThePreviousZoneBackAndSaysWhy) {
  auto rpz = Make(script_ + " reload");
  ASSERT_TRUE(rpz->Apply(Block("evil.example")));
  const std::string before = ReadFile(zone_);
  ASSERT_TRUE(WriteFileAtomically(dir_.File("FAIL"), ""));
  auto applied = rpz->Apply(Block("second.test"));
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kIo);
  EXPECT_NE(applied.error().message.find("exited with 3"), std::string::npos)
      << applied.error().ToString();
  EXPECT_NE(applied.error().message.find("zone broken"), std::string::npos);
  EXPECT_NE(applied.error().context.find("rpz_reload_command"), std::string::npos);
  EXPECT_EQ(ReadFile(zone_), before);
  EXPECT_EQ(rpz->IsInPlace(Block("second.test")), false);
  // Reload runs: the first apply, the failed one, and the reload of the restored file.
  EXPECT_EQ(ReadFile(calls_), "reload\nreload\nreload\n");

  auto missing = Make(dir_.File("no-such-program") + " reload");
  auto not_run = missing->Apply(Block("third.test"));
  ASSERT_FALSE(not_run);
  EXPECT_EQ(not_run.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(ReadFile(zone_), before);
}

TEST_F(RpzActuatorTest, RefusesWhatIsNotADomainAndDamagedFiles) {
  auto rpz = Make();
  for (const char* target : {"192.0.2.1", "com", "co.uk", "", "bad name.test", "a..b"}) {
    auto applied = rpz->Apply(Block(target));
    ASSERT_FALSE(applied) << target;
    EXPECT_EQ(applied.error().code, ErrorCode::kInvalidArgument) << target;
    EXPECT_NE(applied.error().context.find("rpz"), std::string::npos) << target;
  }
  EXPECT_FALSE(std::filesystem::exists(zone_));

  RpzActuatorOptions bad_origin;
  bad_origin.zone_file = zone_;
  bad_origin.origin = "rpz mamori";
  auto made = RpzActuator::Make(bad_origin, clock_);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().context, "[respond] rpz_origin");

  ASSERT_TRUE(WriteFileAtomically(zone_, "$TTL 300\n@ IN SOA a. b. 1 2 3 4 5\nx.test A 1.2.3.4\n"));
  RpzActuatorOptions options;
  options.zone_file = zone_;
  made = RpzActuator::Make(options, clock_);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(made.error().context, zone_ + ":3");
}

}  // namespace
}  // namespace mamori::rse::respond
