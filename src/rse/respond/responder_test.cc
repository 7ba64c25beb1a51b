#include "rse/respond/responder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "core/test_temp_dir.h"

namespace mamori::rse::respond {
namespace {

// A device double that keeps its "set" in memory and can be told to fail or to lose its state
// (a rebooted firewall): the fault injection the engine's tests need. The real devices are
// tested in actuators/ and end to end in tests/integration/respond_nftables.sh.
class RecordingDevice : public Actuator {
 public:
  explicit RecordingDevice(std::string name, bool reversible = true)
      : name_(std::move(name)), reversible_(reversible) {}
  std::string_view name() const override { return name_; }
  bool Supports(std::string_view kind) const override {
    return reversible_ ? (kind == kBlockAddress || kind == kBlockDomain || kind == kIsolateHost)
                       : kind.starts_with("notify_");
  }
  bool reversible() const override { return reversible_; }
  Status Apply(const store::ActionRecord& a) override {
    ++applies;
    if (fail) return MakeError(ErrorCode::kNetwork, "device unreachable");
    in_place.insert(a.target);
    return Ok();
  }
  Status Revert(const store::ActionRecord& a) override {
    ++reverts;
    if (fail) return MakeError(ErrorCode::kNetwork, "device unreachable");
    in_place.erase(a.target);
    return Ok();
  }
  Expected<bool> IsInPlace(const store::ActionRecord& a) override {
    return !reversible_ || in_place.count(a.target) > 0;
  }
  std::set<std::string> in_place;
  int applies = 0;
  int reverts = 0;
  bool fail = false;

 private:
  std::string name_;
  bool reversible_;
};

store::DetectionRecord Detection(int64_t id, std::string rule, std::string source,
                                 std::string target = "192.0.2.10") {
  store::DetectionRecord d;
  d.id = id;
  d.rule_id = std::move(rule);
  d.title = "test";
  d.level = "high";
  d.group_field = "source.ip";
  d.group_value = std::move(source);
  d.target = std::move(target);
  d.count = 20;
  return d;
}

constexpr std::string_view kPlaybooks = R"(
id: ssh-block
title: Block SSH brute force
mode: auto
when: {rules: [ssh]}
actions:
  - {type: block_address, duration: 10m}
  - {type: notify_webhook}
rate_limit: {per_minute: 3}
---
id: scan-review
mode: recommend
when: {rules: [scan]}
actions:
  - {type: block_address, duration: 1h}
---
id: isolate
mode: recommend
when: {rules: [c2]}
actions:
  - {type: isolate_host, value: source}
---
id: dga-review
mode: recommend
when: {rules: [dns], min_reputation: 70, categories: [dga]}
actions:
  - {type: block_domain, value: target, duration: 1d}
)";

class ResponderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(dir_.File("mamori.db"));
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    auto set = ParsePlaybooks(kPlaybooks, "test.yml");
    ASSERT_TRUE(set.errors.empty()) << set.errors[0].ToString();
    playbooks_ = std::make_shared<PlaybookSet>(std::move(set));
    MakeResponder();
  }

  // A fresh engine over the same store (a restart); the devices keep their state unless told.
  void MakeResponder(ResponderOptions options = {}) {
    responder_.reset();
    ActuatorList devices;
    auto firewall = std::make_unique<RecordingDevice>("firewall");
    auto webhook = std::make_unique<RecordingDevice>("webhook", /*reversible=*/false);
    if (firewall_) firewall->in_place = firewall_->in_place;
    firewall_ = firewall.get();
    webhook_ = webhook.get();
    devices.push_back(std::move(firewall));
    devices.push_back(std::move(webhook));
    options.safety.rate_per_minute = options.safety.rate_per_minute ? options.safety.rate_per_minute
                                                                    : 100;
    if (own_) ASSERT_TRUE(ParseOwnInfrastructure("198.51.100.0/24", &options.safety));
    responder_ = std::make_unique<Responder>(*store_, clock_, playbooks_, std::move(devices),
                                             options);
    ASSERT_TRUE(responder_->Initialize());
  }

  std::vector<store::ActionRecord> Handle(const store::DetectionRecord& d) {
    auto out = responder_->Handle(d);
    EXPECT_TRUE(out) << out.error().ToString();
    return out ? *out : std::vector<store::ActionRecord>{};
  }

  store::ActionRecord Get(int64_t id) { return **store_->GetAction(id); }

  testing::TempDir dir_;
  FakeClock clock_{1'700'000'000};
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<PlaybookSet> playbooks_;
  std::unique_ptr<Responder> responder_;
  RecordingDevice* firewall_ = nullptr;
  RecordingDevice* webhook_ = nullptr;
  bool own_ = false;
};

TEST_F(ResponderTest, AutoPlaybookBlocksNotifiesAndExpiresOnTime) {
  auto made = Handle(Detection(1, "ssh", "203.0.113.7"));
  ASSERT_EQ(made.size(), 2u);
  EXPECT_EQ(made[0].state, "active");
  EXPECT_EQ(made[0].device, "firewall");
  EXPECT_EQ(made[0].expires_at, clock_.Now() + 600);
  EXPECT_EQ(made[1].state, "done");
  EXPECT_EQ(made[1].device, "webhook");
  EXPECT_TRUE(firewall_->in_place.count("203.0.113.7"));
  auto evidence = nlohmann::json::parse(made[0].evidence_json);
  EXPECT_EQ(evidence["detection"]["id"], 1);
  EXPECT_EQ(evidence["playbook"]["id"], "ssh-block");
  EXPECT_NE(made[0].expected_effect.find("203.0.113.7"), std::string::npos);

  clock_.Advance(std::chrono::seconds(599));
  ASSERT_TRUE(responder_->Tick());
  EXPECT_EQ(Get(made[0].id).state, "active") << "one second early";
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(responder_->Tick());
  auto expired = Get(made[0].id);
  EXPECT_EQ(expired.state, "expired");
  EXPECT_EQ(expired.ended_at, expired.expires_at) << "no drift";
  EXPECT_FALSE(firewall_->in_place.count("203.0.113.7"));
  EXPECT_EQ(Get(made[1].id).state, "done") << "notifications never expire";
}

TEST_F(ResponderTest, RepeatedDetectionExtendsInsteadOfDuplicating) {
  auto first = Handle(Detection(1, "ssh", "203.0.113.7"));
  clock_.Advance(std::chrono::seconds(300));
  auto second = Handle(Detection(2, "ssh", "203.0.113.7"));
  EXPECT_EQ(second.size(), 1u) << "only the notification is new";
  EXPECT_EQ(Get(first[0].id).expires_at, clock_.Now() + 600);
  EXPECT_EQ(responder_->stats().duplicates, 1);
}

TEST_F(ResponderTest, RecommendationWaitsForApprovalWithModifiedScope) {
  auto made = Handle(Detection(1, "scan", "203.0.113.7"));
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].state, "proposed");
  EXPECT_TRUE(firewall_->in_place.empty());
  Approval approval{.actor = "operator:alice", .comment = "whole range scans us",
                    .duration_seconds = 7200, .target = "203.0.113.0/24"};
  auto approved = responder_->Approve(made[0].id, approval);
  ASSERT_TRUE(approved) << approved.error().ToString();
  EXPECT_EQ(approved->state, "active");
  EXPECT_EQ(approved->target, "203.0.113.0/24");
  EXPECT_EQ(approved->expires_at, clock_.Now() + 7200);
  EXPECT_EQ(approved->decided_by, "operator:alice");
  EXPECT_TRUE(firewall_->in_place.count("203.0.113.0/24"));
  // Approving twice is refused; so is widening a scope onto a private range.
  EXPECT_FALSE(responder_->Approve(made[0].id, approval));
  auto other = Handle(Detection(2, "scan", "203.0.113.99"));
  Approval too_wide{.actor = "operator:bob", .target = "10.0.0.0/8"};
  auto refused = responder_->Approve(other[0].id, too_wide);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kRejected);
}

TEST_F(ResponderTest, RejectAndRollbackAreRecordedInTheAuditLog) {
  auto proposed = Handle(Detection(1, "scan", "203.0.113.7"));
  auto rejected = responder_->Reject(proposed[0].id, "operator:alice", "research scanner");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->state, "rejected");
  EXPECT_EQ(rejected->comment, "research scanner");

  auto active = Handle(Detection(2, "ssh", "203.0.113.8"));
  auto rolled = responder_->Rollback(active[0].id, "operator:bob", "customer VPN");
  ASSERT_TRUE(rolled);
  EXPECT_EQ(rolled->state, "rolled_back");
  EXPECT_FALSE(firewall_->in_place.count("203.0.113.8"));
  EXPECT_FALSE(responder_->Rollback(active[0].id, "operator:bob", "again"));

  auto audit = *store_->ListAudit(0, 100);
  std::vector<std::string> what;
  for (auto it = audit.rbegin(); it != audit.rend(); ++it) what.push_back(it->action);
  EXPECT_EQ(what, (std::vector<std::string>{"proposed", "reject", "decide", "apply", "decide",
                                            "apply", "rollback"}));
  EXPECT_EQ(audit[0].actor, "operator:bob");
  EXPECT_EQ(store_->VerifyAudit()->first_bad_id, 0);
}

TEST_F(ResponderTest, SafetyRefusesPrivateOwnAndAllowlistedValues) {
  own_ = true;
  MakeResponder();
  store::AllowlistEntry allow{.kind = "value", .value = "203.0.113.50", .reason = "partner"};
  ASSERT_TRUE(store_->AddAllowlistEntry(allow));
  MakeResponder();
  for (const char* source : {"10.1.2.3", "198.51.100.7", "203.0.113.50"}) {
    auto made = Handle(Detection(1, "ssh", source));
    ASSERT_GE(made.size(), 1u) << source;
    EXPECT_EQ(made[0].state, "refused") << source;
    EXPECT_FALSE(made[0].reason.empty());
  }
  EXPECT_TRUE(firewall_->in_place.empty());
  EXPECT_EQ(responder_->stats().refused, 3);
}

TEST_F(ResponderTest, PlaybookMayActOnPrivateHostsWhenItSaysSo) {
  auto set = ParsePlaybooks(R"(
id: isolate
mode: auto
allow_private: true
when: {rules: [c2]}
actions: [{type: isolate_host, value: source}]
)",
                            "p.yml");
  playbooks_ = std::make_shared<PlaybookSet>(std::move(set));
  MakeResponder();
  auto made = Handle(Detection(1, "c2", "10.1.2.3", "203.0.113.66"));
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].state, "active");
  EXPECT_TRUE(firewall_->in_place.count("10.1.2.3"));
}

TEST_F(ResponderTest, RateLimitsTurnAutomaticActionsIntoRecommendations) {
  ResponderOptions options;
  options.safety.rate_per_target_per_hour = 100;
  MakeResponder(options);
  std::vector<std::string> states;
  std::vector<store::ActionRecord> blocks;
  for (int i = 0; i < 5; ++i) {
    auto made = Handle(Detection(i + 1, "ssh", fmt::format("203.0.113.{}", i + 1)));
    states.push_back(made[0].state);
    blocks.push_back(made[0]);
    EXPECT_EQ(made.at(1).state, "done") << "notifications are never rate limited";
  }
  // The playbook allows 3 per minute.
  EXPECT_EQ(states, (std::vector<std::string>{"active", "active", "active", "proposed",
                                              "proposed"}));
  EXPECT_NE(blocks[3].reason.find("rate limit"), std::string::npos);
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(Handle(Detection(9, "ssh", "203.0.113.9"))[0].state, "active");
}

TEST_F(ResponderTest, KillSwitchHoldsAutomaticActionsAndSurvivesRestart) {
  ASSERT_TRUE(responder_->SetKillSwitch(true, "operator:admin", "incident drill"));
  auto made = Handle(Detection(1, "ssh", "203.0.113.7"));
  EXPECT_EQ(made[0].state, "proposed");
  EXPECT_NE(made[0].reason.find("kill switch"), std::string::npos);
  EXPECT_TRUE(firewall_->in_place.empty());
  MakeResponder();
  EXPECT_TRUE(responder_->kill_switch());
  ASSERT_TRUE(responder_->SetKillSwitch(false, "operator:admin", ""));
  EXPECT_EQ(Handle(Detection(2, "ssh", "203.0.113.8"))[0].state, "active");
}

TEST_F(ResponderTest, RestartReappliesWhatADeviceLost) {
  auto made = Handle(Detection(1, "ssh", "203.0.113.7"));
  ASSERT_EQ(made[0].state, "active");
  firewall_->in_place.clear();  // the firewall rebooted
  MakeResponder();              // mamori restarted: Initialize() reconciles
  EXPECT_TRUE(firewall_->in_place.count("203.0.113.7"));
  EXPECT_EQ(responder_->stats().reapplied, 1);
  // The periodic reconcile does the same while running.
  firewall_->in_place.clear();
  clock_.Advance(std::chrono::seconds(61));
  ASSERT_TRUE(responder_->Tick());
  EXPECT_TRUE(firewall_->in_place.count("203.0.113.7"));
}

// Reconcile works in slices (the lock is released between them): every active action is
// checked, however many there are.
TEST_F(ResponderTest, ReconcileCoversEveryActiveActionAcrossSlices) {
  const int count = Responder::kReconcileSlice * 2 + 7;
  for (int i = 0; i < count; ++i) {
    store::ActionRecord a;
    a.playbook = "ssh-block";
    a.kind = "block_address";
    a.device = std::string(firewall_->name());
    a.target = fmt::format("198.51.{}.{}", i / 250, i % 250);
    a.state = "active";
    a.mode = "auto";
    ASSERT_TRUE(store_->AddAction(a));
  }
  firewall_->in_place.clear();
  auto reapplied = responder_->Reconcile();
  ASSERT_TRUE(reapplied) << reapplied.error().ToString();
  EXPECT_EQ(*reapplied, count);
  EXPECT_EQ(firewall_->in_place.size(), static_cast<size_t>(count));
  EXPECT_EQ(*responder_->Reconcile(), 0);  // nothing lost any more
}

TEST_F(ResponderTest, FailingDeviceIsRetriedThenMarkedFailed) {
  firewall_->fail = true;
  auto made = Handle(Detection(1, "ssh", "203.0.113.7"));
  EXPECT_EQ(made[0].state, "pending");
  EXPECT_EQ(made[0].last_error, "device unreachable");
  ASSERT_TRUE(responder_->Tick());
  ASSERT_TRUE(responder_->Tick());
  auto failed = Get(made[0].id);
  EXPECT_EQ(failed.state, "failed");
  EXPECT_EQ(failed.attempts, 3);
  firewall_->fail = false;
  made = Handle(Detection(2, "ssh", "203.0.113.8"));
  EXPECT_EQ(made[0].state, "active");
}

TEST_F(ResponderTest, DryRunTouchesNothing) {
  ResponderOptions options;
  options.dry_run = true;
  MakeResponder(options);
  auto made = Handle(Detection(1, "ssh", "203.0.113.7"));
  ASSERT_EQ(made.size(), 2u);
  EXPECT_EQ(made[0].state, "dry_run");
  EXPECT_EQ(made[1].state, "dry_run");
  EXPECT_EQ(firewall_->applies, 0);
  EXPECT_EQ(webhook_->applies, 0);
}

TEST_F(ResponderTest, IsolatingAPrivateHostNeedsAllowPrivate) {
  auto made = Handle(Detection(1, "c2", "10.1.2.3"));
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].state, "refused") << "isolate playbook does not allow private hosts";
}

// Conditions on reputation and category hold only when the domain subsystem says so, and the
// recommendation carries its reasons and countermeasure.
TEST_F(ResponderTest, DomainConditionsUseTheAssessorAndTheEvidenceCarriesItsReasons) {
  auto lookup = [](std::string host) {
    return Detection(0, "dns", "10.0.0.5", std::move(host));
  };
  // Without the domain subsystem, min_reputation cannot hold.
  EXPECT_TRUE(Handle(lookup("xjwqpkztbnvq.com")).empty());

  std::vector<std::string> asked;
  responder_->set_domain_assessor([&asked](std::string_view name) -> std::optional<DomainAssessment> {
    asked.emplace_back(name);
    DomainAssessment a;
    if (name == "quiet.example") return std::nullopt;  // the subsystem knows nothing
    a.score = name == "xjwqpkztbnvq.com" ? 93 : 40;
    a.category = "dga";
    a.reasons = {"a 12-character name unlike popular names (raises the score)"};
    a.action = "block-registered-domain";
    a.block_at = std::string(name);
    a.defense_points = {"dns_rpz", "firewall"};
    return a;
  });
  auto made = Handle(lookup("xjwqpkztbnvq.com"));
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].state, "proposed");
  auto evidence = nlohmann::json::parse(made[0].evidence_json);
  EXPECT_EQ(evidence["reputation"], 93);
  EXPECT_EQ(evidence["category"], "dga");
  EXPECT_EQ(evidence["reputation_reasons"][0],
            "a 12-character name unlike popular names (raises the score)");
  EXPECT_EQ(evidence["countermeasure"]["action"], "block-registered-domain");
  EXPECT_EQ(evidence["countermeasure"]["defense_points"][1], "firewall");
  // A low score or no assessment: no recommendation. Addresses are never asked about.
  EXPECT_TRUE(Handle(lookup("lowscore.example")).empty());
  EXPECT_TRUE(Handle(lookup("quiet.example")).empty());
  Handle(Detection(0, "dns", "10.0.0.5", "192.0.2.44"));
  EXPECT_EQ(asked, (std::vector<std::string>{"xjwqpkztbnvq.com", "lowscore.example",
                                             "quiet.example"}));
}

TEST_F(ResponderTest, WorkerHandlesSubmittedDetections) {
  responder_->Start();
  responder_->Submit({Detection(1, "ssh", "203.0.113.7"), Detection(2, "scan", "203.0.113.8")});
  responder_->Drain();
  responder_->Stop();
  EXPECT_TRUE(firewall_->in_place.count("203.0.113.7"));
  store::ActionQuery proposed;
  proposed.states = {"proposed"};
  EXPECT_EQ(store_->ListActions(proposed)->size(), 1u);
}

}  // namespace
}  // namespace mamori::rse::respond
