#include "rse/detect/detector.h"

#include <gtest/gtest.h>

#include "rse/detect/test_events.h"
#include "rse/detect/test_rules.h"

namespace mamori::rse::detect {
namespace {

using F = Field;
constexpr ingest::UnixMicros kSec = kTestSecond;
constexpr ingest::UnixMicros kT0 = kTestT0;

std::shared_ptr<const RuleSet> Compile(std::string_view yaml) { return CompileTestRules(yaml); }

constexpr std::string_view kBrute = R"(title: brute
id: brute
level: high
detection:
  fail:
    event.outcome: failure
  condition: fail | count() by source.ip > 5
  timeframe: 10m
)";

struct Harness {
  explicit Harness(std::string_view yaml, DetectorOptions options = {})
      : set(Compile(yaml)), matcher(set), detector(set, clock, options) {}
  // Feeds one event; returns what the detector emitted for it.
  std::vector<Detection> Feed(const ingest::Event& e) {
    std::vector<Detection> out;
    detector.Process(e, matcher.Match(e), &out);
    return out;
  }
  std::vector<Detection> Fail(const std::string& ip, ingest::UnixMicros t) {
    TestEvent e;
    e.Set(F::kEventOutcome, "failure").Set(F::kSourceIp, ip).Time(t).Raw("fail from " + ip);
    return Feed(e);
  }
  FakeClock clock;
  std::shared_ptr<const RuleSet> set;
  Matcher matcher;
  Detector detector;
};

TEST(Detector, OpensWhenThresholdCrossedThenDeduplicates) {
  Harness h(kBrute);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(h.Fail("1.2.3.4", kT0 + i * kSec).empty());
  auto out = h.Fail("1.2.3.4", kT0 + 5 * kSec);
  ASSERT_EQ(out.size(), 1u);
  const Detection& d = out[0];
  EXPECT_EQ(d.state, Detection::State::kOpened);
  EXPECT_EQ(d.rule_id, "brute");
  EXPECT_EQ(d.level, Level::kHigh);
  EXPECT_EQ(d.group_field, "source.ip");
  EXPECT_EQ(d.group, "1.2.3.4");
  EXPECT_EQ(d.count, 6);
  EXPECT_EQ(d.first_time, kT0);
  EXPECT_EQ(d.last_time, kT0 + 5 * kSec);
  EXPECT_EQ(d.evidence.size(), 5u);  // max_evidence: the first five events
  EXPECT_EQ(d.evidence[0].time, kT0);
  EXPECT_EQ(d.evidence_dropped, 1);  // evidence + dropped == count
  // Ongoing: more failures update it, no new detection.
  for (int i = 6; i < 20; ++i) EXPECT_TRUE(h.Fail("1.2.3.4", kT0 + i * kSec).empty());
  auto ongoing = h.detector.Ongoing();
  ASSERT_EQ(ongoing.size(), 1u);
  EXPECT_EQ(ongoing[0]->count, 20);
  EXPECT_EQ(ongoing[0]->evidence_dropped, 15);
  // Another address is its own group.
  EXPECT_TRUE(h.Fail("5.6.7.8", kT0 + 20 * kSec).empty());
}

TEST(Detector, WindowSlides) {
  Harness h(kBrute);
  // One failure every 150 s: never more than 5 within 10 minutes.
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(h.Fail("1.2.3.4", kT0 + i * 150 * kSec).empty());
  // Speeding up crosses it.
  std::vector<Detection> all;
  for (int i = 0; i < 3; ++i) {
    for (auto& d : h.Fail("1.2.3.4", kT0 + 3000 * kSec + i * kSec)) all.push_back(d);
  }
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].count, 6);
}

TEST(Detector, ClosesAfterQuietWindowAndReopens) {
  Harness h(kBrute);
  for (int i = 0; i < 6; ++i) h.Fail("1.2.3.4", kT0 + i * kSec);
  std::vector<Detection> closed;
  h.detector.Expire(&closed, kT0 + 300 * kSec);
  EXPECT_TRUE(closed.empty());
  h.detector.Expire(&closed, kT0 + 700 * kSec);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].state, Detection::State::kClosed);
  EXPECT_EQ(closed[0].count, 6);
  EXPECT_EQ(h.detector.stats().tracked_groups, 0u);
  // A new burst opens a new detection.
  std::vector<Detection> opened;
  for (int i = 0; i < 6; ++i) {
    for (auto& d : h.Fail("1.2.3.4", kT0 + 1000 * kSec + i * kSec)) opened.push_back(d);
  }
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].id, 2u);
  // A late event after a quiet window closes the old one and starts counting again.
  auto late = h.Fail("1.2.3.4", kT0 + 5000 * kSec);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].state, Detection::State::kClosed);
  std::vector<Detection> flushed;
  h.detector.Flush(&flushed);
  EXPECT_TRUE(flushed.empty());  // the late one alone did not cross
}

TEST(Detector, GroupCapEvictsOldest) {
  DetectorOptions options;
  options.max_groups = 2;
  Harness h(kBrute, options);
  for (int i = 0; i < 6; ++i) h.Fail("1.1.1.1", kT0 + i * kSec);  // opened
  h.Fail("2.2.2.2", kT0 + 10 * kSec);
  auto out = h.Fail("3.3.3.3", kT0 + 11 * kSec);  // evicts 1.1.1.1, closing its detection
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].state, Detection::State::kClosed);
  EXPECT_EQ(out[0].group, "1.1.1.1");
  auto stats = h.detector.stats();
  EXPECT_EQ(stats.evicted_groups, 1);
  EXPECT_EQ(stats.tracked_groups, 2u);
}

TEST(Detector, DistinctCount) {
  Harness h(R"(title: scan
id: scan
detection:
  drop:
    event.action: drop
  condition: drop | count(destination.port) by source.ip > 3
  timeframe: 1m
)");
  auto feed = [&](const char* port, int sec) {
    TestEvent e;
    e.Set(F::kEventAction, "drop").Set(F::kSourceIp, "9.9.9.9").Set(F::kDestinationPort, port);
    e.Time(kT0 + sec * kSec);
    return h.Feed(e);
  };
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(feed("22", i).empty());  // one port, many drops
  EXPECT_TRUE(feed("23", 11).empty());
  EXPECT_TRUE(feed("80", 12).empty());
  auto out = feed("443", 13);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].distinct, 4);
  EXPECT_EQ(out[0].count, 13);
}

TEST(Detector, NonAggregatedRulesDeduplicatePerSource) {
  Harness h(R"(title: sqli
id: sqli
detection:
  sel:
    url.original|contains: union
  condition: sel
)");
  auto feed = [&](const char* ip, int sec) {
    TestEvent e;
    e.Set(F::kUrlOriginal, "/?union").Set(F::kSourceIp, ip).Time(kT0 + sec * kSec);
    return h.Feed(e);
  };
  EXPECT_EQ(feed("1.1.1.1", 0).size(), 1u);
  EXPECT_TRUE(feed("1.1.1.1", 5).empty());
  EXPECT_EQ(feed("2.2.2.2", 6).size(), 1u);
  EXPECT_EQ(h.detector.Ongoing()[0]->count, 2);
  // After the default 10-minute window, the same source opens a new one (closing the old).
  auto out = feed("1.1.1.1", 700);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].state, Detection::State::kClosed);
  EXPECT_EQ(out[1].state, Detection::State::kOpened);
}

TEST(Detector, EventWithoutTimeUsesArrivalTime) {
  Harness h(kBrute);
  h.clock.Set(1'800'000'000);
  std::vector<Detection> out;
  for (int i = 0; i < 6; ++i) {
    TestEvent e;
    e.Set(F::kEventOutcome, "failure").Set(F::kSourceIp, "1.2.3.4");
    h.detector.Process(e, h.matcher.Match(e), &out);
    h.clock.Advance(std::chrono::seconds(1));
  }
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].first_time, 1'800'000'000 * kSec);
  EXPECT_EQ(out[0].last_time, 1'800'000'005 * kSec);
  EXPECT_EQ(out[0].evidence[0].time, 1'800'000'000 * kSec);  // evidence keeps the first 5
}

}  // namespace
}  // namespace mamori::rse::detect

namespace mamori::rse::detect {
namespace {

TEST(DetectionTarget, DnsEventsTargetTheNameAskedForNotTheResolver) {
  Detection d;
  TestEvent dns;
  dns.Set(Field::kSourceIp, "10.1.2.4")
      .Set(Field::kDestinationIp, "10.0.0.53")
      .Set(Field::kDnsQuestionName, "beacon.evil-c2.example");
  d.evidence.push_back(ingest::OwnedEvent::From(dns));
  EXPECT_EQ(DetectionTarget(d), "beacon.evil-c2.example");
  TestEvent flow;
  flow.Set(Field::kSourceIp, "10.1.2.4").Set(Field::kDestinationIp, "198.51.100.66");
  d.evidence = {ingest::OwnedEvent::From(flow)};
  EXPECT_EQ(DetectionTarget(d), "198.51.100.66");
}

}  // namespace
}  // namespace mamori::rse::detect
