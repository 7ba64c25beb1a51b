// The ipset actuator against the real `ipset` and kernel, each test in a network namespace of
// its own (ipsets are per namespace), so the host's sets are never touched.
#include "rse/respond/actuators/ipset_actuator.h"

#include <gtest/gtest.h>

#include <string>

#include "rse/respond/actuators/testing/checks.h"

namespace mamori::rse::respond {
namespace {

using namespace std::chrono_literals;
using testing::Action;
using testing::Checks;
using testing::InNetns;
using testing::Output;

store::ActionRecord Block(const std::string& target) {
  return Action(std::string(kBlockAddress), "ipset", target);
}

std::unique_ptr<IpsetActuator> Make() {
  auto made = IpsetActuator::Make("mamori-respond", 30s);
  EXPECT_TRUE(made.has_value()) << made.error().ToString();
  return made ? std::move(*made) : nullptr;
}

// The members `ipset list` prints for `set`.
std::string Members(const std::string& set) {
  auto out = Output({"ipset", "list", set});
  if (!out) return "(no set: " + out.error().ToString() + ")";
  size_t at = out->find("Members:\n");
  return at == std::string::npos ? std::string() : out->substr(at + 9);
}

bool Lists(const std::string& set, const std::string& member) {
  std::string members = "\n" + Members(set);
  return members.find("\n" + member + "\n") != std::string::npos;
}

// The ipset program and the kernel's ip_set modules (which a container may lack); listing names
// changes nothing.
bool IpsetUsable() {
  auto run = blocklist::connectors::RunProcess({"ipset", "list", "-n"}, 10s);
  return run && run->exit_code == 0;
}

TEST(IpsetActuatorTest, RefusesBadSettingsAndTargets) {
  EXPECT_FALSE(IpsetActuator::Make("", 1s));
  auto long_name = IpsetActuator::Make(std::string(29, 'a'), 1s);
  ASSERT_FALSE(long_name);
  EXPECT_EQ(long_name.error().context, "[respond] ipset_name");
  EXPECT_FALSE(IpsetActuator::Make("bad name", 1s));

  auto ipset = Make();
  ASSERT_NE(ipset, nullptr);
  EXPECT_EQ(ipset->name(), "ipset");
  EXPECT_EQ(ipset->set_v6(), "mamori-respond-v6");
  EXPECT_TRUE(ipset->Supports(kBlockAddress));
  EXPECT_FALSE(ipset->Supports(kNotifyEmail));
  for (const char* target : {"evil.example", "10.0.0.5/8", "0.0.0.0/0", "-exist", ""}) {
    auto applied = ipset->Apply(Block(target));
    ASSERT_FALSE(applied) << target;
    EXPECT_EQ(applied.error().code, ErrorCode::kInvalidArgument) << target;
  }
}

TEST(IpsetActuatorTest, MissingProgramIsNamed) {
  auto made = IpsetActuator::Make("mamori-respond", 5s, "/nonexistent/ipset");
  ASSERT_TRUE(made);
  auto applied = (*made)->Apply(Block("192.0.2.7"));
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kNotFound);
  EXPECT_NE(applied.error().message.find("ipset"), std::string::npos) << applied.error().ToString();
}

TEST(IpsetActuatorTest, ApplyRevertAndIsInPlaceAgreeWithIpsetList) {
  if (!IpsetUsable()) GTEST_SKIP() << "ipset is not installed or the kernel lacks ip_set";
  InNetns([](Checks& c) {
    auto ipset = Make();
    c.ExpectValue(ipset->IsInPlace(Block("192.0.2.7")), false, "no set yet");
    c.ExpectOk(ipset->Revert(Block("192.0.2.7")), "revert with no set");

    c.ExpectOk(ipset->Apply(Block("192.0.2.7")), "apply v4");
    c.ExpectOk(ipset->Apply(Block("192.0.2.7")), "apply v4 again");
    c.ExpectValue(ipset->IsInPlace(Block("192.0.2.7")), true, "v4 in place");
    c.ExpectValue(ipset->IsInPlace(Block("192.0.2.8")), false, "another address");
    c.Expect(Lists("mamori-respond", "192.0.2.7"),
             "ipset list shows 192.0.2.7: " + Members("mamori-respond"));

    c.ExpectOk(ipset->Apply(Block("2001:db8::7")), "apply v6");
    c.ExpectValue(ipset->IsInPlace(Block("2001:db8::7")), true, "v6 in place");
    c.Expect(Lists("mamori-respond-v6", "2001:db8::7"),
             "ipset list shows 2001:db8::7: " + Members("mamori-respond-v6"));
    c.ExpectOk(ipset->Apply(Block("198.51.100.0/24")), "apply CIDR");
    c.ExpectOk(ipset->Apply(Block("2001:db8:1::/48")), "apply v6 CIDR");
    c.ExpectValue(ipset->IsInPlace(Block("198.51.100.0/24")), true, "CIDR in place");
    c.ExpectValue(ipset->IsInPlace(Block("2001:db8:1::/48")), true, "v6 CIDR in place");
    c.ExpectValue(ipset->IsInPlace(Block("198.51.100.9")), true, "address inside the CIDR");
    c.Expect(Lists("mamori-respond", "198.51.100.0/24"), "ipset list shows the CIDR");

    c.ExpectOk(ipset->Revert(Block("192.0.2.7")), "revert");
    c.ExpectOk(ipset->Revert(Block("192.0.2.7")), "revert again");
    c.ExpectValue(ipset->IsInPlace(Block("192.0.2.7")), false, "reverted");
    c.Expect(!Lists("mamori-respond", "192.0.2.7"), "ipset list no longer shows 192.0.2.7");
    c.ExpectValue(ipset->IsInPlace(Block("198.51.100.0/24")), true, "CIDR still in place");

    // An admin's flush (or a reboot) empties the set: IsInPlace tells, Apply repairs.
    c.ExpectOk(Output({"ipset", "flush", "mamori-respond"}), "ipset flush");
    c.ExpectValue(ipset->IsInPlace(Block("198.51.100.0/24")), false, "after ipset flush");
    c.ExpectOk(Output({"ipset", "destroy", "mamori-respond"}), "ipset destroy");
    c.ExpectValue(ipset->IsInPlace(Block("198.51.100.0/24")), false, "after ipset destroy");
    c.ExpectOk(ipset->Apply(Block("198.51.100.0/24")), "apply recreates the set");
    c.ExpectValue(ipset->IsInPlace(Block("198.51.100.0/24")), true, "in place again");
  });
}

TEST(IpsetActuatorTest, ASetOfAnotherTypeIsRefusedWithWhatToDo) {
  if (!IpsetUsable()) GTEST_SKIP() << "ipset is not installed or the kernel lacks ip_set";
  InNetns([](Checks& c) {
    c.ExpectOk(Output({"ipset", "create", "mamori-respond", "hash:ip"}), "create hash:ip");
    auto ipset = Make();
    auto applied = ipset->Apply(Block("192.0.2.7"));
    c.ExpectError(applied, ErrorCode::kAlreadyExists, "apply to a hash:ip set");
    c.Expect(!applied && applied.error().message.find("hash:net") != std::string::npos,
             "the error says what mamori needs");
  });
}

}  // namespace
}  // namespace mamori::rse::respond
