#include "rse/respond/playbook.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/test_temp_dir.h"

namespace mamori::rse::respond {
namespace {

store::DetectionRecord Ssh(std::string source, int64_t count = 12, std::string level = "high") {
  store::DetectionRecord d;
  d.id = 7;
  d.rule_id = "mamori-ssh-brute-force";
  d.level = std::move(level);
  d.group_field = "source.ip";
  d.group_value = std::move(source);
  d.target = "192.0.2.10";
  d.count = count;
  return d;
}

constexpr std::string_view kBlockSsh = R"(
id: ssh-block
title: Block SSH brute force
mode: auto
when:
  rules: [mamori-ssh-*]
  min_level: medium
  min_count: 10
  not_source_cidr: [198.51.100.0/24]
actions:
  - type: block_address
    duration: 1h
    widen: {ipv4: 24}
  - type: notify_webhook
    params: {url: "http://127.0.0.1:9/hook"}
rate_limit: {per_minute: 5}
)";

TEST(PlaybookTest, ParsesEveryPart) {
  auto set = ParsePlaybooks(kBlockSsh, "ssh.yml");
  ASSERT_TRUE(set.errors.empty()) << set.errors[0].ToString();
  ASSERT_EQ(set.playbooks.size(), 1u);
  const Playbook& p = set.playbooks[0];
  EXPECT_EQ(p.id, "ssh-block");
  EXPECT_EQ(p.mode, "auto");
  EXPECT_EQ(p.when.min_level, detect::Level::kMedium);
  EXPECT_EQ(p.when.min_count, 10);
  ASSERT_EQ(p.actions.size(), 2u);
  EXPECT_EQ(p.actions[0].type, "block_address");
  EXPECT_EQ(p.actions[0].duration_seconds, 3600);
  EXPECT_EQ(p.actions[0].widen_v4, 24);
  EXPECT_EQ(p.actions[1].params.at("url"), "http://127.0.0.1:9/hook");
  EXPECT_EQ(p.rate_per_minute, 5);
  EXPECT_EQ(p.line, 2);
}

TEST(PlaybookTest, ConditionsDecideTheMatch) {
  auto set = ParsePlaybooks(kBlockSsh, "ssh.yml");
  const Playbook& p = set.playbooks.at(0);
  EXPECT_TRUE(Matches(p, Ssh("203.0.113.7"), {}, {}));
  EXPECT_FALSE(Matches(p, Ssh("203.0.113.7", 9), {}, {})) << "min_count";
  EXPECT_FALSE(Matches(p, Ssh("203.0.113.7", 12, "low"), {}, {})) << "min_level";
  EXPECT_FALSE(Matches(p, Ssh("198.51.100.4"), {}, {})) << "not_source_cidr";
  auto other = Ssh("203.0.113.7");
  other.rule_id = "mamori-sql-injection";
  EXPECT_FALSE(Matches(p, other, {}, {})) << "rules glob";
}

TEST(PlaybookTest, IntelAndAssetConditions) {
  AssetGroups groups = {{"dmz", {Cidr::Parse("192.0.2.0/24")->cidr}}};
  auto set = ParsePlaybooks(R"(
id: c2
mode: recommend
when: {asset_groups: [dmz], intel_listed: true, intel_sources: [abuse-ch]}
actions: [{type: block_address, value: target}]
)",
                            "c2.yml", groups);
  ASSERT_TRUE(set.errors.empty()) << set.errors[0].ToString();
  const Playbook& p = set.playbooks[0];
  ValueFacts listed{.listed = true, .listed_by = {"abuse-ch"}};
  EXPECT_TRUE(Matches(p, Ssh("203.0.113.7"), groups, listed));
  EXPECT_FALSE(Matches(p, Ssh("203.0.113.7"), groups, {})) << "not listed";
  ValueFacts other{.listed = true, .listed_by = {"spamhaus"}};
  EXPECT_FALSE(Matches(p, Ssh("203.0.113.7"), groups, other)) << "other source";
  auto outside = Ssh("203.0.113.7");
  outside.target = "198.51.100.1";
  EXPECT_FALSE(Matches(p, outside, groups, listed)) << "neither source nor target in dmz";
  EXPECT_EQ(ValueFor(p.actions[0], Ssh("203.0.113.7")), "192.0.2.10");
}

TEST(PlaybookTest, ErrorsNameFileLineAndReason) {
  auto set = ParsePlaybooks(R"(
id: bad
mode: auto
actions:
  - type: block_everything
---
id: worse
mode: sometimes
actions: [{type: recommend}]
---
id: typo
mode: auto
when: {min_levle: high}
actions: [{type: recommend}]
---
id: unknown-group
mode: auto
when: {asset_groups: [dmz]}
actions: [{type: recommend}]
---
id: ok
mode: recommend
actions: [{type: recommend}]
)",
                            "mixed.yml");
  ASSERT_EQ(set.playbooks.size(), 1u);
  EXPECT_EQ(set.playbooks[0].id, "ok");
  ASSERT_EQ(set.errors.size(), 4u);
  EXPECT_EQ(set.errors[0].ToString(), "mixed.yml:5: unknown action type 'block_everything' "
                                      "(block_address, block_domain, blocklist_boost, "
                                      "notify_webhook, notify_syslog, notify_email, "
                                      "isolate_host, recommend)");
  EXPECT_NE(set.errors[1].reason.find("mode must be auto or recommend"), std::string::npos);
  EXPECT_NE(set.errors[2].reason.find("unknown key 'min_levle'"), std::string::npos);
  EXPECT_NE(set.errors[3].reason.find("unknown asset group 'dmz'"), std::string::npos);
}

TEST(PlaybookTest, LoadsADirectoryWithAssetsAndRejectsDuplicates) {
  testing::TempDir dir;
  auto write = [&](const std::string& name, std::string_view text) {
    std::ofstream(dir.File(name)) << text;
  };
  write("assets.yml", "asset_groups:\n  servers: [192.0.2.0/24, 2001:db8::/32]\n");
  write("a.yml", "id: one\nmode: auto\nwhen: {asset_groups: [servers]}\n"
                 "actions: [{type: recommend}]\n");
  write("b.yml", "id: one\nmode: recommend\nactions: [{type: recommend}]\n");
  auto set = LoadPlaybooks(dir.path().string());
  ASSERT_EQ(set.playbooks.size(), 1u);
  EXPECT_EQ(set.asset_groups.at("servers").size(), 2u);
  ASSERT_EQ(set.errors.size(), 1u);
  EXPECT_NE(set.errors[0].reason.find("duplicate playbook id 'one'"), std::string::npos);
}

TEST(PlaybookTest, ShippedPlaybooksLoadAgainstShippedRules) {
  auto set = LoadPlaybooks(std::string(MAMORI_SOURCE_DIR) + "/rules/playbooks");
  for (const auto& e : set.errors) ADD_FAILURE() << e.ToString();
  EXPECT_GE(set.playbooks.size(), 5u);
}

}  // namespace
}  // namespace mamori::rse::respond
