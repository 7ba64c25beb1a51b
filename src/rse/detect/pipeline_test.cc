#include "rse/detect/pipeline.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rse/detect/test_events.h"
#include "rse/detect/test_rules.h"

namespace mamori::rse::detect {
namespace {

using F = Field;
constexpr ingest::UnixMicros kSec = kTestSecond;
constexpr ingest::UnixMicros kT0 = kTestT0;

std::shared_ptr<const RuleSet> Compile(std::string_view yaml) { return CompileTestRules(yaml); }

constexpr std::string_view kRules = R"(title: brute
id: brute
level: high
detection:
  fail:
    event.outcome: failure
  condition: fail | count() by source.ip > 2
  timeframe: 1m
---
title: c2
id: c2
level: critical
detection:
  listed:
    destination.ip|intel: any
  condition: listed
)";

struct Harness {
  Harness() : rules(Compile(kRules)) {
    store = std::move(*store::OpenSqliteStore(":memory:"));
    intel.Add("198.51.100.66", "feed");
    PipelineOptions options;
    options.input = "import:test.log";
    pipeline = std::make_unique<DetectionPipeline>(rules, clock, store.get(), &intel, options);
  }
  void Fail(const std::string& ip, ingest::UnixMicros t) {
    TestEvent e;
    e.Set(F::kEventOutcome, "failure")
        .Set(F::kSourceIp, ip)
        .Set(F::kHostName, "web1")
        .Time(t)
        .Raw("fail from " + ip);
    pipeline->Process(e);
  }
  std::vector<store::DetectionRecord> Stored() { return *store->ListDetections({}); }

  FakeClock clock;
  std::shared_ptr<const RuleSet> rules;
  std::unique_ptr<store::Store> store;
  SetIndicatorLookup intel;
  std::unique_ptr<DetectionPipeline> pipeline;
};

TEST(DetectionPipeline, StoresADetectionWhenItOpensAndUpdatesItUntilItCloses) {
  Harness h;
  for (int i = 0; i < 3; ++i) h.Fail("203.0.113.7", kT0 + i * kSec);
  ASSERT_TRUE(h.pipeline->Sync(kT0 + 3 * kSec));
  auto stored = h.Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].rule_id, "brute");
  EXPECT_EQ(stored[0].group_value, "203.0.113.7");
  EXPECT_EQ(stored[0].input, "import:test.log");
  EXPECT_EQ(stored[0].target, "web1");  // no destination: the host that logged it
  EXPECT_TRUE(stored[0].ongoing);
  EXPECT_EQ(stored[0].count, 3);

  // Growing while ongoing: rewritten (the first Sync already counts as the last update time,
  // so the next one must be ongoing_update_seconds later).
  h.Fail("203.0.113.7", kT0 + 4 * kSec);
  h.Fail("203.0.113.7", kT0 + 5 * kSec);
  ASSERT_TRUE(h.pipeline->Sync(kT0 + 20 * kSec));
  stored = h.Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].count, 5);
  EXPECT_TRUE(stored[0].ongoing);

  // Quiet for longer than the window: closed, and the attacker sighted once with the count.
  ASSERT_TRUE(h.pipeline->Sync(kT0 + 200 * kSec));
  stored = h.Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_FALSE(stored[0].ongoing);
  auto evidence = nlohmann::json::parse(stored[0].evidence_json);
  ASSERT_FALSE(evidence.empty());
  EXPECT_EQ(evidence[0]["event.original"], "fail from 203.0.113.7");
  EXPECT_EQ(evidence[0]["source.ip"], "203.0.113.7");

  auto history = *h.store->Lookup({IndicatorType::kIpv4, "203.0.113.7"});
  ASSERT_TRUE(history);
  ASSERT_EQ(history->sightings.size(), 1u);
  EXPECT_EQ(history->sightings[0].count, 5);
  EXPECT_EQ(history->sightings[0].observer, "log:import:test.log");
  EXPECT_EQ(h.pipeline->stats().detections_opened, 1);
  EXPECT_EQ(h.pipeline->stats().detections_closed, 1);
}

TEST(DetectionPipeline, ReportsEachStoredDetectionOnceWithItsId) {
  Harness h;
  std::vector<store::DetectionRecord> recorded;
  h.pipeline->set_on_recorded([&](std::vector<store::DetectionRecord> fresh) {
    for (auto& d : fresh) recorded.push_back(std::move(d));
  });
  for (int i = 0; i < 3; ++i) h.Fail("203.0.113.7", kT0 + i * kSec);
  ASSERT_TRUE(h.pipeline->Sync(kT0 + 3 * kSec));
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].group_value, "203.0.113.7");
  EXPECT_EQ(recorded[0].id, h.Stored().at(0).id);
  // Growing, then closing: rewritten in the store, but not reported again.
  h.Fail("203.0.113.7", kT0 + 4 * kSec);
  ASSERT_TRUE(h.pipeline->Sync(kT0 + 20 * kSec));
  ASSERT_TRUE(h.pipeline->Sync(kT0 + 200 * kSec));
  EXPECT_EQ(recorded.size(), 1u);
  // One that opens and closes between two Syncs is reported once (as it was first stored).
  for (int i = 0; i < 3; ++i) h.Fail("198.51.100.4", kT0 + 300 * kSec + i * kSec);
  ASSERT_TRUE(h.pipeline->Finish());
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[1].group_value, "198.51.100.4");
  EXPECT_GT(recorded[1].id, recorded[0].id);
}

TEST(DetectionPipeline, PrivateAttackersAreDetectedButNotSighted) {
  Harness h;
  for (int i = 0; i < 3; ++i) h.Fail("10.0.0.5", kT0 + i * kSec);
  ASSERT_TRUE(h.pipeline->Finish());
  ASSERT_EQ(h.Stored().size(), 1u);
  EXPECT_FALSE(*h.store->Lookup({IndicatorType::kIpv4, "10.0.0.5"}));
  EXPECT_EQ(h.pipeline->stats().sightings, 0);
}

TEST(DetectionPipeline, IntelRuleSightsTheListedDestinationNotTheInfectedHost) {
  Harness h;
  TestEvent e;
  e.Set(F::kSourceIp, "192.168.1.20")
      .Set(F::kDestinationIp, "198.51.100.66")
      .Time(kT0)
      .Raw("192.168.1.20 -> 198.51.100.66");
  h.pipeline->Process(e);
  ASSERT_TRUE(h.pipeline->Finish());
  auto stored = h.Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].rule_id, "c2");
  EXPECT_EQ(stored[0].group_value, "192.168.1.20");  // names the infected host
  EXPECT_EQ(stored[0].target, "198.51.100.66");      // and what it contacted
  auto c2 = *h.store->Lookup({IndicatorType::kIpv4, "198.51.100.66"});
  ASSERT_TRUE(c2);
  EXPECT_EQ(c2->sightings.size(), 1u);
}

TEST(DetectionPipeline, WithoutAStoreDetectionStillRunsAndReports) {
  FakeClock clock;
  PipelineOptions options;
  options.input = "stdin";
  DetectionPipeline pipeline(Compile(kRules), clock, nullptr, nullptr, options);
  std::vector<std::string> seen;
  pipeline.set_on_detection([&](const Detection& d) {
    seen.push_back(fmt::format("{}:{}", d.state == Detection::State::kOpened ? "open" : "close",
                               d.group));
  });
  for (int i = 0; i < 3; ++i) {
    TestEvent e;
    e.Set(F::kEventOutcome, "failure").Set(F::kSourceIp, "192.0.2.1").Time(kT0 + i * kSec);
    pipeline.Process(e);
  }
  ASSERT_TRUE(pipeline.Finish());
  EXPECT_EQ(seen, (std::vector<std::string>{"open:192.0.2.1", "close:192.0.2.1"}));
}

}  // namespace
}  // namespace mamori::rse::detect
