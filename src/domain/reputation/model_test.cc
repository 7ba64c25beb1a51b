// Training, scoring, explaining and evaluating on a small world where the signal is known:
// attack domains reuse a bulletproof address pool that earlier attack domains used.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>

#include "domain/reputation/eval.h"
#include "domain/reputation/scorer.h"
#include "domain/reputation/testing/world.h"
#include "domain/reputation/train.h"

namespace mamori::domain::reputation {
namespace {

using testing::Day0;

EvidenceIndex ReuseWorld() {
  EvidenceIndexBuilder b;
  for (int i = 0; i < 300; ++i) {
    const bool bad = i % 3 == 0;
    const int born = (i * 7) % 280;
    // Names look alike on both sides: only the infrastructure tells them apart.
    const std::string domain = fmt::format("shop{}online.com", i);
    const std::string ip = bad ? fmt::format("203.0.113.{}", i % 8 + 1)
                               : fmt::format("198.51.{}.{}", i % 50, i % 200 + 1);
    b.AddPdns({"www." + domain, domain, 1, ip, Day0(born), Day0(born + 60), 10});
    if (bad) {
      b.AddListing(domain, "feed", Day0(born + 20), 0);
      b.AddLabel({domain, true, Day0(born + 20), "test"});
    } else {
      b.AddLabel({domain, false, Day0(born + 1), "test"});
    }
  }
  return std::move(b).Finish();
}

ReputationTrainOptions SmallTraining() {
  ReputationTrainOptions o;
  o.boost.rounds = 30;
  o.boost.max_depth = 3;
  o.threshold_folds = 2;
  o.target_fpr = 0.02;
  return o;
}

TEST(ReputationModel, LearnsAddressReuseAndExplainsIt) {
  const EvidenceIndex index = ReuseWorld();
  auto model = TrainReputationModel(index, testing::Language(), SmallTraining());
  ASSERT_TRUE(model) << model.error().message;
  EXPECT_GT(model->training["malicious_examples"].get<int>(), 100);
  const ReputationScorer scorer(*model, &index);
  // Late in the world: a domain on the bulletproof pool vs one on clean addresses.
  auto bad = scorer.Score("www.shop297online.com", Day0(290));  // 297 % 3 == 0: bad pool
  auto good = scorer.Score("www.shop298online.com", Day0(290));
  ASSERT_TRUE(bad && good);
  EXPECT_GT(bad->score, good->score + 30) << bad->score << " vs " << good->score;
  EXPECT_TRUE(bad->has_history);

  auto why = scorer.Explain("www.shop297online.com", Day0(290), 3);
  ASSERT_TRUE(why) << why.error().message;
  ASSERT_FALSE(why->reasons.empty());
  // The reuse of the attack pool is among the top reasons, in words an analyst can act on.
  auto reuse = std::find_if(why->reasons.begin(), why->reasons.end(), [](const Reason& r) {
    return r.feature.rfind("dns_bad", 0) == 0;
  });
  ASSERT_NE(reuse, why->reasons.end());
  EXPECT_GT(reuse->contribution, 0);
  EXPECT_NE(reuse->text.find("known-malicious"), std::string::npos) << reuse->text;
  EXPECT_NE(reuse->text.find("raises the score"), std::string::npos) << reuse->text;

  // A name the index has never seen is scored on its name and says so.
  auto unseen = scorer.Explain("never-seen-before.org", Day0(290), 3);
  ASSERT_TRUE(unseen);
  EXPECT_FALSE(unseen->has_history);
  ASSERT_TRUE(model->lexical);  // the name-only model scored it
  EXPECT_EQ(unseen->threshold, model->lexical->threshold);
  EXPECT_EQ(bad->threshold, model->threshold);
  EXPECT_EQ(unseen->reasons.front().feature, "no_history");
}

TEST(ReputationModel, FileRoundTripsAndAMismatchedFeatureListIsRefused) {
  const EvidenceIndex index = ReuseWorld();
  auto model = TrainReputationModel(index, testing::Language(), SmallTraining());
  ASSERT_TRUE(model);
  const std::string text = SerializeReputationModel(*model);
  auto back = ParseReputationModel(text, "model.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->threshold, model->threshold);
  ASSERT_TRUE(back->lexical);
  EXPECT_EQ(back->lexical->threshold, model->lexical->threshold);

  const ReputationScorer a(*model, &index), b(*back, &index);
  EXPECT_EQ(a.Score("www.shop3online.com", Day0(100))->probability,
            b.Score("www.shop3online.com", Day0(100))->probability);
  EXPECT_EQ(a.Score("never-seen.net", Day0(100))->probability,
            b.Score("never-seen.net", Day0(100))->probability);

  auto j = nlohmann::json::parse(text);
  j["features"].erase(j["features"].begin() + 3);
  auto refused = ParseReputationModel(j.dump(), "old.json");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(refused.error().message.find("missing: [lex_vowel_ratio]"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("mamori domain train"), std::string::npos);
  EXPECT_FALSE(ParseReputationModel("{\"format\": \"mamori-dga-model\"}", "x.json"));
  EXPECT_FALSE(ParseReputationModel("not json", "x.json"));
}

TEST(ReputationModel, UnlabelledDomainsNeverListedAreBenignExamples) {
  EvidenceIndexBuilder b;
  b.AddPdns({"quiet.com", "quiet.com", 1, "192.0.2.1", Day0(0), Day0(10), 1});
  b.AddPdns({"later-bad.com", "later-bad.com", 1, "192.0.2.2", Day0(0), Day0(10), 1});
  b.AddListing("later-bad.com", "feed", Day0(200), 0);
  b.AddPdns({"too-new.com", "too-new.com", 1, "192.0.2.3", Day0(150), Day0(160), 1});
  const EvidenceIndex index = std::move(b).Finish();
  ReputationTrainOptions o;
  o.dates_per_domain = 1;
  auto names = [&](const std::vector<TrainingExample>& examples) {
    std::vector<std::string> out;
    for (const auto& e : examples) {
      EXPECT_FALSE(e.malicious);
      out.push_back(index.DomainName(e.domain));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  // With no training date every unlisted domain counts; a listed one never does.
  EXPECT_EQ(names(SelectExamples(index, o)), (std::vector<std::string>{"quiet.com", "too-new.com"}));
  // Before the listing, later-bad.com was not known: it is benign as far as day 180 knew; too-new.com
  // had not had `horizon` days to be caught yet.
  o.train_until = Day0(180);
  EXPECT_EQ(names(SelectExamples(index, o)), (std::vector<std::string>{"later-bad.com", "quiet.com"}));
  o.unlabelled_as_benign = false;
  EXPECT_TRUE(SelectExamples(index, o).empty());
}

TEST(ReputationModel, TooFewLabelsIsAClearError) {
  EvidenceIndexBuilder b;
  b.AddLabel({"a.com", true, Day0(1), "t"});
  const EvidenceIndex index = std::move(b).Finish();
  auto model = TrainReputationModel(index, testing::Language(), SmallTraining());
  ASSERT_FALSE(model);
  EXPECT_NE(model.error().message.find("too few labelled examples"), std::string::npos);
}

TEST(ReputationEval, TimeSplitTrainsOnThePastAndReportsLeadTimes) {
  const EvidenceIndex index = ReuseWorld();
  EvalOptions o;
  o.split = Day0(140);
  o.test_set = TestSet::kFirstSeenAfter;
  o.train = SmallTraining();
  auto r = EvaluateTimeSplit(index, testing::Language(), o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_GT(r->test_malicious, 20u);
  EXPECT_GT(r->test_benign, 50u);
  // Trained only on labels known by the split.
  EXPECT_LT(r->train_malicious + r->train_benign, 300u);
  EXPECT_GT(r->roc_auc, 0.9);
  ASSERT_EQ(r->points.size(), 3u);
  const OperatingPoint& p = r->points[2];
  EXPECT_GT(p.tpr, 0.8);
  EXPECT_GT(p.flagged_before_known, 0u);
  // Attack domains resolve on their first day and are listed 20 days later.
  EXPECT_GT(p.median_lead_days, 15);
  EXPECT_LE(p.median_lead_days, 20);
}

// The two test sets of ReuseWorld, counted from its construction: a domain born on day b is
// first seen on b; a bad one is listed (known) on b + 20, a good one labelled benign on b + 1.
TEST(ReputationEval, TestSetsAreTheDomainsUnknownAtTheSplitOrFirstSeenAfterIt) {
  const EvidenceIndex index = ReuseWorld();
  size_t unknown_bad = 0, unknown_good = 0, new_bad = 0, new_good = 0;
  for (int i = 0; i < 300; ++i) {
    const int born = (i * 7) % 280;
    if (i % 3 == 0) {
      unknown_bad += born + 20 > 140;  // not listed by the split (and alive after it)
      new_bad += born > 140;
    } else {
      unknown_good += born + 1 > 140;  // not labelled by the split
      new_good += born > 140;
    }
  }
  ASSERT_GT(unknown_bad, new_bad);  // the world has domains born before and listed after T
  EvalOptions o;
  o.split = Day0(140);
  o.train = SmallTraining();
  for (const TestSet set : {TestSet::kUnknownAtSplit, TestSet::kFirstSeenAfter}) {
    o.test_set = set;
    auto r = EvaluateTimeSplit(index, testing::Language(), o);
    ASSERT_TRUE(r) << r.error().message;
    const bool unknown = set == TestSet::kUnknownAtSplit;
    EXPECT_EQ(r->test_malicious, unknown ? unknown_bad : new_bad);
    EXPECT_EQ(r->test_benign, unknown ? unknown_good : new_good);
    // Old domains are scored from the split on, not from their first evidence: no lead is
    // longer than the 20 days between use and listing.
    for (const double lead : r->points[2].leads) EXPECT_LE(lead, 20.0);
  }
  EXPECT_EQ(*ParseTestSet("unknown"), TestSet::kUnknownAtSplit);
  EXPECT_EQ(*ParseTestSet("new"), TestSet::kFirstSeenAfter);
  EXPECT_FALSE(ParseTestSet("old"));
}

TEST(ReputationEval, RocAucOfPerfectAndTiedScores) {
  EXPECT_DOUBLE_EQ(RocAuc({0.9, 0.8}, {0.1, 0.2}), 1.0);
  EXPECT_DOUBLE_EQ(RocAuc({0.5}, {0.5}), 0.5);
  EXPECT_DOUBLE_EQ(RocAuc({0.1}, {0.9}), 0.0);
}

}  // namespace
}  // namespace mamori::domain::reputation
