#include "domain/dga/dga_classifier.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/test_temp_dir.h"
#include "domain/dga/synthetic.h"
#include "domain/dga/train.h"

namespace mamori::domain {
namespace {

const DgaClassifier& BuiltInModel() {
  auto m = DgaClassifier::BuiltIn();
  EXPECT_TRUE(m) << m.error().ToString();
  return **m;
}

TEST(DgaClassifierTest, BuiltInModelLoads) {
  const DgaClassifier& c = BuiltInModel();
  EXPECT_GT(c.Threshold(), 0.5);
  EXPECT_LE(c.Threshold(), 1.0);
  EXPECT_GT(c.model().trees.tree_count(), 10u);
  EXPECT_TRUE(c.model().training.contains("notes"));
}

TEST(DgaClassifierTest, BuiltInScoresObviousDgaNamesAboveThreshold) {
  const DgaClassifier& c = BuiltInModel();
  for (const char* name : {"xjwqpkztvbnm.com", "a3f9c2e1b7d4.net", "qxv7kz0pw9rj2mtl.info",
                           "lkhylm0mhyfuhgx.ddns.net"}) {
    EXPECT_GE(c.Probability(name), c.Threshold()) << name;
  }
}

TEST(DgaClassifierTest, BuiltInScoresPopularNamesBelowThreshold) {
  const DgaClassifier& c = BuiltInModel();
  for (const char* name : {"google.com", "wikipedia.org", "bankofamerica.com", "www.bbc.co.uk",
                           "stackoverflow.com", "xn--bcher-kva.example"}) {
    EXPECT_LT(c.Probability(name), c.Threshold()) << name;
  }
}

TEST(DgaClassifierTest, NonDomainsScoreZero) {
  const DgaClassifier& c = BuiltInModel();
  EXPECT_EQ(c.Probability(""), 0.0);
  EXPECT_EQ(c.Probability("no spaces allowed.com"), 0.0);
}

TEST(DgaClassifierTest, ModelFileRoundTrip) {
  const DgaClassifier& c = BuiltInModel();
  testing::TempDir dir("dga");
  const std::string path = dir.File("model.json");
  std::ofstream(path) << c.ToJson();
  auto loaded = DgaClassifier::Load(path);
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  EXPECT_EQ(loaded->Threshold(), c.Threshold());
  for (const char* name : {"google.com", "xjwqpkztvbnm.com", "a3f9c2e1b7d4.net", "x.y.z.org"}) {
    EXPECT_EQ(loaded->Probability(name), c.Probability(name)) << name;
  }
  EXPECT_EQ(loaded->ToJson(), c.ToJson());
}

// Loads `text` as a model file and returns the error text (empty when it loaded).
std::string LoadError(const std::string& text) {
  testing::TempDir dir("dga");
  const std::string path = dir.File("bad-model.json");
  std::ofstream(path) << text;
  auto m = DgaClassifier::Load(path);
  if (m) return "";
  EXPECT_NE(m.error().ToString().find(path), std::string::npos) << m.error().ToString();
  return m.error().ToString();
}

TEST(DgaClassifierTest, BadModelFilesGiveClearErrors) {
  EXPECT_NE(LoadError("{not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(LoadError(R"({"format": "something-else"})").find("not a DGA model"),
            std::string::npos);
  EXPECT_NE(LoadError(R"({"format": "mamori-dga-model", "version": 99})").find("version 99"),
            std::string::npos);

  nlohmann::json j = nlohmann::json::parse(BuiltInModel().ToJson());
  nlohmann::json wrong_features = j;
  wrong_features["features"] = {"length", "entropy"};
  EXPECT_NE(LoadError(wrong_features.dump()).find("trained on features the build does not compute"), std::string::npos);

  nlohmann::json bad_tree = j;
  bad_tree["trees"]["trees"][3]["left"][0] = 100000;
  EXPECT_NE(LoadError(bad_tree.dump()).find("tree 3"), std::string::npos);

  nlohmann::json bad_threshold = j;
  bad_threshold["threshold"] = 7;
  EXPECT_NE(LoadError(bad_threshold.dump()).find("threshold"), std::string::npos);

  auto missing = DgaClassifier::Load("/nonexistent/dir/model.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_NE(missing.error().ToString().find("/nonexistent/dir/model.json"), std::string::npos);
}

TEST(TrainDgaModelTest, SeparatesATinySyntheticSet) {
  const dga::Lexicon lex(std::vector<std::string>{"shop", "news", "travel", "cloud", "bank"});
  dga::SyntheticOptions so;
  so.count = 400;
  so.seed = 3;
  so.kind_weights = {1, 0, 1, 1, 0, 0, 0, 0};  // letters, alphanumeric, hex
  std::vector<std::string> pos, test_pos;
  for (const auto& n : dga::GenerateSyntheticDga(so, lex)) {
    (pos.size() < 300 ? pos : test_pos).push_back(n.domain);
  }
  // Benign: names made of words and syllables, as real names are.
  const std::vector<std::string> parts = {"shop", "news", "travel", "cloud", "bank",  "my",
                                          "best", "home", "city",   "web",   "daily", "net"};
  std::vector<std::string> neg, test_neg;
  for (size_t i = 0; i < parts.size(); ++i) {
    for (size_t j = 0; j < parts.size(); ++j) {
      (((i + j) % 5 == 0) ? test_neg : neg).push_back(parts[i] + parts[j] + ".com");
    }
  }
  DgaTrainOptions o;
  o.rounds = 30;
  o.max_depth = 3;
  o.threshold_folds = 3;
  o.target_fpr = 0.05;
  o.lexicon_text = "shop\nnews\ntravel\ncloud\nbank\n";
  auto model = TrainDgaModel(pos, neg, o);
  ASSERT_TRUE(model) << model.error().ToString();
  auto c = DgaClassifier::FromJson(*model, "trained");
  ASSERT_TRUE(c) << c.error().ToString();
  int tp = 0, fp = 0;
  for (const std::string& d : test_pos) tp += c->Probability(d) >= c->Threshold();
  for (const std::string& d : test_neg) fp += c->Probability(d) >= c->Threshold();
  EXPECT_GE(tp, static_cast<int>(test_pos.size() * 0.9));
  EXPECT_LE(fp, 1);
  EXPECT_EQ(c->model().training["positives"], 300);
  EXPECT_TRUE(c->model().training.contains("threshold"));
}

TEST(TrainDgaModelTest, TooFewNamesIsAnError) {
  auto r = TrainDgaModel({"abc.com"}, {"google.com"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace mamori::domain
