// The nftables actuator against the real kernel and `nft`, each test in a network namespace of
// its own (a forked child), so the host's ruleset is never touched. What the actuator reports is
// checked against `nft list`, and one test shows that the documented rules drop the traffic.
#include "rse/respond/actuators/nftables_actuator.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "rse/respond/actuators/testing/checks.h"

namespace mamori::rse::respond {
namespace {

using testing::Action;
using testing::Checks;
using testing::InNetns;
using testing::Output;

store::ActionRecord Block(const std::string& target) {
  return Action(std::string(kBlockAddress), "nftables", target);
}

std::unique_ptr<NftablesActuator> Make() {
  auto made = NftablesActuator::Make("inet", "mamori_respond");
  EXPECT_TRUE(made.has_value()) << made.error().ToString();
  return made ? std::move(*made) : nullptr;
}

// Whether `nft list set` prints `element` in the set.
bool NftShows(const std::string& set, const std::string& element) {
  auto out = Output({"nft", "list", "set", "inet", "mamori_respond", set});
  if (!out) return false;
  size_t open = out->find("elements = {");
  if (open == std::string::npos) return false;
  std::string elements = out->substr(open, out->find('}', open) - open);
  return elements.find(" " + element + ",") != std::string::npos ||
         elements.find(" " + element + " ") != std::string::npos ||
         elements.find(" " + element + "\n") != std::string::npos;
}

TEST(NftablesActuatorTest, RefusesBadSettingsAndTargetsWithoutTouchingNftables) {
  EXPECT_FALSE(NftablesActuator::Make("inet6", "mamori_respond"));
  auto bad_table = NftablesActuator::Make("inet", "bad table");
  ASSERT_FALSE(bad_table);
  EXPECT_EQ(bad_table.error().context, "[respond] nftables_table");

  auto nft = Make();
  ASSERT_NE(nft, nullptr);
  EXPECT_EQ(nft->name(), "nftables");
  EXPECT_TRUE(nft->Supports(kBlockAddress));
  EXPECT_FALSE(nft->Supports(kBlockDomain));
  EXPECT_TRUE(nft->reversible());
  for (const char* target : {"evil.example", "10.0.0.5/8", "0.0.0.0/0", "::/0", "", "1.2.3"}) {
    auto applied = nft->Apply(Block(target));
    ASSERT_FALSE(applied) << target;
    EXPECT_EQ(applied.error().code, ErrorCode::kInvalidArgument) << target;
    EXPECT_NE(applied.error().context.find("nftables"), std::string::npos) << target;
    EXPECT_EQ(nft->IsInPlace(Block(target)).error().code, ErrorCode::kInvalidArgument) << target;
  }
}

TEST(NftablesActuatorTest, ApplyRevertAndIsInPlaceAgreeWithNft) {
  if (!testing::HaveProgram("nft")) GTEST_SKIP() << "the nft binary is not installed";
  InNetns([](Checks& c) {
    auto nft = Make();
    c.ExpectValue(nft->IsInPlace(Block("192.0.2.7")), false, "in place before anything");
    c.ExpectOk(nft->Revert(Block("192.0.2.7")), "revert with no table at all");

    c.ExpectOk(nft->Apply(Block("192.0.2.7")), "apply v4");
    c.ExpectOk(nft->Apply(Block("192.0.2.7")), "apply v4 again");
    c.ExpectValue(nft->IsInPlace(Block("192.0.2.7")), true, "v4 in place");
    c.ExpectValue(nft->IsInPlace(Block("192.0.2.8")), false, "another address");
    c.Expect(NftShows("mamori_block", "192.0.2.7"), "nft list shows 192.0.2.7");

    c.ExpectOk(nft->Apply(Block("2001:db8::7")), "apply v6");
    c.ExpectValue(nft->IsInPlace(Block("2001:db8::7")), true, "v6 in place");
    c.Expect(NftShows("mamori_block_v6", "2001:db8::7"), "nft list shows 2001:db8::7");

    c.ExpectOk(nft->Apply(Block("198.51.100.0/24")), "apply v4 CIDR");
    c.ExpectOk(nft->Apply(Block("2001:db8:1::/48")), "apply v6 CIDR");
    c.ExpectValue(nft->IsInPlace(Block("198.51.100.0/24")), true, "v4 CIDR in place");
    c.ExpectValue(nft->IsInPlace(Block("2001:db8:1::/48")), true, "v6 CIDR in place");
    c.ExpectValue(nft->IsInPlace(Block("198.51.100.0/23")), false, "a larger CIDR");
    // An address inside a blocked network is blocked: the network holds it.
    c.ExpectValue(nft->IsInPlace(Block("198.51.100.9")), true, "address inside the CIDR");
    c.Expect(NftShows("mamori_block_net", "198.51.100.0/24"), "nft list shows the v4 CIDR");
    c.Expect(NftShows("mamori_block_v6_net", "2001:db8:1::/48"), "nft list shows the v6 CIDR");

    c.ExpectOk(nft->Revert(Block("192.0.2.7")), "revert v4");
    c.ExpectOk(nft->Revert(Block("192.0.2.7")), "revert v4 again");
    c.ExpectValue(nft->IsInPlace(Block("192.0.2.7")), false, "v4 reverted");
    c.Expect(!NftShows("mamori_block", "192.0.2.7"), "nft list no longer shows 192.0.2.7");
    c.ExpectOk(nft->Revert(Block("198.51.100.0/24")), "revert v4 CIDR");
    c.ExpectValue(nft->IsInPlace(Block("198.51.100.0/24")), false, "v4 CIDR reverted");
    c.ExpectValue(nft->IsInPlace(Block("2001:db8::7")), true, "v6 still in place");
  });
}

TEST(NftablesActuatorTest, IsInPlaceSeesAnExternalFlushAndApplyRepairsIt) {
  if (!testing::HaveProgram("nft")) GTEST_SKIP() << "the nft binary is not installed";
  InNetns([](Checks& c) {
    auto nft = Make();
    c.ExpectOk(nft->Apply(Block("192.0.2.7")), "apply");
    c.ExpectOk(nft->Apply(Block("10.0.0.0/8")), "apply CIDR");
    c.ExpectOk(Output({"nft", "flush", "set", "inet", "mamori_respond", "mamori_block"}),
               "nft flush set");
    c.ExpectValue(nft->IsInPlace(Block("192.0.2.7")), false, "after nft flush set");
    c.ExpectValue(nft->IsInPlace(Block("10.0.0.0/8")), true, "the other set was not flushed");
    c.ExpectOk(nft->Apply(Block("192.0.2.7")), "re-apply");
    c.ExpectValue(nft->IsInPlace(Block("192.0.2.7")), true, "re-applied");

    // A reboot or `nft -f` of a config starting with `flush ruleset` removes the table.
    c.ExpectOk(Output({"nft", "flush", "ruleset"}), "nft flush ruleset");
    c.ExpectValue(nft->IsInPlace(Block("192.0.2.7")), false, "after flush ruleset");
    c.ExpectValue(nft->IsInPlace(Block("10.0.0.0/8")), false, "CIDR after flush ruleset");
    c.ExpectOk(nft->Revert(Block("192.0.2.7")), "revert without a table");
    c.ExpectOk(nft->Apply(Block("192.0.2.7")), "apply recreates the table");
    c.ExpectValue(nft->IsInPlace(Block("192.0.2.7")), true, "in place again");
  });
}

// Sends one datagram from `from` to `to`:`port` on lo; true when the receiver got it.
bool Delivered(int receiver, const char* from, const char* to, int port) {
  int sender = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  ::inet_pton(AF_INET, from, &src.sin_addr);
  ::bind(sender, reinterpret_cast<sockaddr*>(&src), sizeof src);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, to, &dst.sin_addr);
  ::sendto(sender, "x", 1, 0, reinterpret_cast<sockaddr*>(&dst), sizeof dst);
  ::close(sender);
  pollfd p{receiver, POLLIN, 0};
  if (::poll(&p, 1, 300) <= 0) return false;
  char buf[16];
  return ::recv(receiver, buf, sizeof buf, 0) == 1;
}

TEST(NftablesActuatorTest, DocumentedRulesDropTrafficFromABlockedAddress) {
  if (!testing::HaveProgram("nft")) GTEST_SKIP() << "the nft binary is not installed";
  if (!testing::HaveProgram("ip")) GTEST_SKIP() << "the ip binary (iproute2) is not installed";
  InNetns([](Checks& c) {
    c.ExpectOk(Output({"ip", "link", "set", "lo", "up"}), "lo up");
    // The admin's rules, loaded before mamori touches the table: they declare the sets too.
    const std::string rules = NftablesActuatorRules("inet", "mamori_respond");
    auto loaded = blocklist::connectors::RunProcessWithInput({"nft", "-f", "-"}, rules,
                                                             std::chrono::seconds(30));
    c.Expect(loaded && loaded->exit_code == 0,
             "nft -f of NftablesActuatorRules: " + (loaded ? loaded->err : std::string()));

    int receiver = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(receiver, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(receiver, reinterpret_cast<sockaddr*>(&addr), &len);
    const int port = ntohs(addr.sin_port);

    auto nft = Make();
    c.Expect(Delivered(receiver, "127.0.0.2", "127.0.0.1", port), "delivered before the block");
    c.ExpectOk(nft->Apply(Block("127.0.0.2")), "apply");
    c.Expect(!Delivered(receiver, "127.0.0.2", "127.0.0.1", port), "dropped while blocked");
    c.Expect(Delivered(receiver, "127.0.0.3", "127.0.0.1", port), "other sources still pass");
    c.ExpectOk(nft->Revert(Block("127.0.0.2")), "revert");
    c.Expect(Delivered(receiver, "127.0.0.2", "127.0.0.1", port), "delivered after the revert");
    c.ExpectOk(nft->Apply(Block("127.0.0.0/29")), "apply a network");
    c.Expect(!Delivered(receiver, "127.0.0.3", "127.0.0.1", port), "network dropped");
    ::close(receiver);
  });
}

}  // namespace
}  // namespace mamori::rse::respond
