// MakeActuators: which devices a [respond] section yields, and that a bad setting fails with the
// key to fix. Nothing here touches a device.
#include "rse/respond/actuators/factory.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "core/test_temp_dir.h"

namespace mamori::rse::respond {
namespace {

std::vector<std::string> Names(const ActuatorList& list) {
  std::vector<std::string> out;
  for (const auto& a : list) out.emplace_back(a->name());
  return out;
}

TEST(ActuatorFactoryTest, DefaultsGiveOnlyNftables) {
  FakeClock clock;
  Config::Respond config;
  auto list = MakeActuators(config, clock);
  ASSERT_TRUE(list) << list.error().ToString();
  EXPECT_EQ(Names(*list), std::vector<std::string>{"nftables"});

  config.nftables_table = "";
  list = MakeActuators(config, clock);
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
}

TEST(ActuatorFactoryTest, EveryConfiguredDeviceGetsOneActuator) {
  mamori::testing::TempDir dir("mamori-factory");
  ASSERT_TRUE(WriteFileAtomically(dir.File("hook.key"), "k1\n"));
  ASSERT_TRUE(WriteFileAtomically(dir.File("edr.key"), "k2\n"));
  FakeClock clock;
  Config::Respond config;
  config.ipset_name = "mamori-respond";
  config.rpz_zone_file = dir.File("respond.rpz");
  config.webhook_url = "http://127.0.0.1:9/hook";
  config.webhook_secret_file = dir.File("hook.key");
  config.edr_url = "http://127.0.0.1:9/edr";
  config.edr_secret_file = dir.File("edr.key");
  config.syslog_target = "udp://127.0.0.1:514";
  config.email_command = "/usr/sbin/sendmail -t -i";
  config.email_to = "soc@example.org";
  auto list = MakeActuators(config, clock);
  ASSERT_TRUE(list) << list.error().ToString();
  EXPECT_EQ(Names(*list), (std::vector<std::string>{"nftables", "ipset", "rpz", "webhook", "edr",
                                                    "syslog", "email"}));
  const std::vector<std::string_view> kinds = {kBlockAddress,  kBlockAddress, kBlockDomain,
                                               kNotifyWebhook, kIsolateHost,  kNotifySyslog,
                                               kNotifyEmail};
  for (size_t i = 0; i < kinds.size(); ++i) {
    EXPECT_TRUE((*list)[i]->Supports(kinds[i])) << (*list)[i]->name();
  }
  // Nothing here boosts blocklist priorities: the caller appends that device.
  EXPECT_FALSE((*list)[0]->Supports(kBlocklistBoost));
}

TEST(ActuatorFactoryTest, BadSettingsNameTheKey) {
  mamori::testing::TempDir dir("mamori-factory");
  FakeClock clock;
  struct Case {
    std::function<void(Config::Respond&)> set;
    std::string key;
  };
  const std::vector<Case> cases = {
      {[](Config::Respond& c) { c.nftables_family = "inet4"; }, "nftables_family"},
      {[](Config::Respond& c) { c.nftables_table = "bad table"; }, "nftables_table"},
      {[](Config::Respond& c) { c.ipset_name = "a name with spaces"; }, "ipset_name"},
      {[&](Config::Respond& c) {
         c.rpz_zone_file = dir.File("z");
         c.rpz_origin = "bad origin";
       },
       "rpz_origin"},
      {[](Config::Respond& c) { c.webhook_url = "http://127.0.0.1:9/"; }, "webhook_secret_file"},
      {[&](Config::Respond& c) {
         c.webhook_url = "http://127.0.0.1:9/";
         c.webhook_secret_file = dir.File("missing.key");
       },
       "webhook_secret_file"},
      {[](Config::Respond& c) { c.edr_url = "http://127.0.0.1:9/"; }, "edr_secret_file"},
      {[](Config::Respond& c) { c.syslog_target = "514"; }, "syslog_target"},
      {[](Config::Respond& c) {
         c.email_command = "sendmail";
         c.email_from = "";
       },
       "email_from"},
  };
  for (const Case& test : cases) {
    Config::Respond config;
    test.set(config);
    auto list = MakeActuators(config, clock);
    ASSERT_FALSE(list) << test.key;
    EXPECT_NE(list.error().ToString().find(test.key), std::string::npos)
        << test.key << ": " << list.error().ToString();
  }
}

}  // namespace
}  // namespace mamori::rse::respond
