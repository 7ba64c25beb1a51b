#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/sqlite/test_util.h"
#include "store/store.h"

namespace mamori::store {
namespace {

using testing::TempDir;

ActionRecord Block(std::string target, std::string state, UnixSeconds expires_at = 0) {
  ActionRecord a;
  a.playbook = "ssh-block";
  a.kind = "block_address";
  a.device = "nftables";
  a.target = std::move(target);
  a.state = std::move(state);
  a.mode = "auto";
  a.duration_seconds = 3600;
  a.created_at = 1'700'000'000;
  a.expires_at = expires_at;
  a.evidence_json = R"({"detection":{"id":4}})";
  return a;
}

class ActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenSqliteStore(dir_.File("mamori.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(ActionsTest, AddGetUpdateRoundTripsEveryField) {
  auto added = store_->AddAction(Block("203.0.113.7", "pending"));
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_GT(added->id, 0);
  ActionRecord a = *added;
  a.state = "active";
  a.applied_at = 1'700'000'010;
  a.expires_at = 1'700'003'610;
  a.decided_by = "operator:alice";
  a.comment = "confirmed in the VPN logs";
  a.attempts = 2;
  a.last_error = "";
  a.params_json = R"({"scope":"/24"})";
  ASSERT_TRUE(store_->UpdateAction(a));
  auto got = store_->GetAction(a.id);
  ASSERT_TRUE(got && *got);
  const ActionRecord& g = **got;
  EXPECT_EQ(g.state, "active");
  EXPECT_EQ(g.applied_at, 1'700'000'010);
  EXPECT_EQ(g.expires_at, 1'700'003'610);
  EXPECT_EQ(g.decided_by, "operator:alice");
  EXPECT_EQ(g.comment, "confirmed in the VPN logs");
  EXPECT_EQ(g.attempts, 2);
  EXPECT_EQ(g.params_json, R"({"scope":"/24"})");
  EXPECT_EQ(g.evidence_json, R"({"detection":{"id":4}})");
  EXPECT_EQ(g.target, "203.0.113.7");
  EXPECT_EQ(g.device, "nftables");
  EXPECT_FALSE(*store_->GetAction(a.id + 100));
}

TEST_F(ActionsTest, UpdateOfAMissingActionIsNotFound) {
  ActionRecord a = Block("203.0.113.7", "active");
  a.id = 42;
  auto st = store_->UpdateAction(a);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kNotFound);
}

TEST_F(ActionsTest, EmptyKindIsRefused) {
  ActionRecord a = Block("203.0.113.7", "active");
  a.kind.clear();
  EXPECT_FALSE(store_->AddAction(a));
}

TEST_F(ActionsTest, ListFiltersByStateTargetAndExpiry) {
  ASSERT_TRUE(store_->AddAction(Block("203.0.113.1", "active", 1'700'000'500)));
  ASSERT_TRUE(store_->AddAction(Block("203.0.113.2", "active", 1'700'000'100)));
  ASSERT_TRUE(store_->AddAction(Block("203.0.113.3", "proposed")));
  ASSERT_TRUE(store_->AddAction(Block("203.0.113.4", "expired", 1'700'000'050)));

  ActionQuery active;
  active.states = {"active"};
  auto rows = *store_->ListActions(active);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].target, "203.0.113.2");  // newest id first

  ActionQuery due;
  due.states = {"active"};
  due.expires_before = 1'700'000'600;
  rows = *store_->ListActions(due);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].target, "203.0.113.2");  // soonest expiry first
  due.expires_before = 1'700'000'200;
  EXPECT_EQ(store_->ListActions(due)->size(), 1u);

  ActionQuery open;
  open.states = {"proposed", "active"};
  open.target = "203.0.113.3";
  rows = *store_->ListActions(open);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, "proposed");

  ActionQuery page;
  page.limit = 2;
  rows = *store_->ListActions(page);
  ASSERT_EQ(rows.size(), 2u);
  page.before_id = rows.back().id;
  EXPECT_EQ(store_->ListActions(page)->size(), 2u);

  auto counts = *store_->CountActionsByState();
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0], (std::pair<std::string, int64_t>{"active", 2}));
}

TEST_F(ActionsTest, ListsNewestOfSeveralStatesWithoutEvidenceWhenAsked) {
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(store_->AddAction(
        Block(fmt::format("203.0.113.{}", i), i % 3 == 0 ? "proposed" : i % 3 == 1 ? "active"
                                                                                    : "pending")));
  }
  ActionQuery q;
  q.states = {"active", "pending"};
  q.limit = 3;
  q.with_evidence = false;
  auto rows = *store_->ListActions(q);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].target, "203.0.113.5");  // newest first across both states
  EXPECT_EQ(rows[1].target, "203.0.113.4");
  EXPECT_EQ(rows[2].target, "203.0.113.2");
  EXPECT_EQ(rows[0].evidence_json, "");
  EXPECT_EQ(rows[0].device, "nftables");
  EXPECT_EQ(rows[0].duration_seconds, 3600);
  q.with_evidence = true;
  EXPECT_EQ(store_->ListActions(q)->front().evidence_json, R"({"detection":{"id":4}})");
}

TEST_F(ActionsTest, SettingsPersistAcrossReopen) {
  EXPECT_FALSE(*store_->GetSetting("respond.kill_switch"));
  ASSERT_TRUE(store_->SetSetting("respond.kill_switch", "on", 1));
  ASSERT_TRUE(store_->SetSetting("respond.kill_switch", "off", 2));
  store_.reset();
  auto reopened = OpenSqliteStore(dir_.File("mamori.db"));
  ASSERT_TRUE(reopened);
  auto value = (*reopened)->GetSetting("respond.kill_switch");
  ASSERT_TRUE(value && *value);
  EXPECT_EQ(**value, "off");
}

}  // namespace
}  // namespace mamori::store
