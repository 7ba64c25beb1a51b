// ReputationModel: what a reputation model file holds (docs/formats/reputation-model.md): the
// feature names it was trained on, its decision threshold on the 0–100 score, training notes, the
// benign character n-gram model and word list of its lexical features, and the boosted trees as
// XGBoost wrote them. Scoring walks the trees with our own evaluator (dga/tree_ensemble.h, 5×
// XGBoost's per-row call); explaining loads the same trees into XGBoost for exact TreeSHAP
// contributions (explain.h).
// ParseReputationModel checks the whole file (format tag, version, the feature list equal to this
// build's, tree shapes) and names the file and the problem on any error.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "domain/dga/lexicon.h"
#include "domain/dga/ngram_model.h"
#include "domain/dga/tree_ensemble.h"

namespace mamori::domain::reputation {

inline constexpr std::string_view kModelFormat = "mamori-reputation-model";
inline constexpr int kModelVersion = 1;

struct ReputationModel {
  int threshold = 50;  // scores at or above it are called malicious
  nlohmann::json training = nlohmann::json::object();
  dga::NgramModel ngrams;
  dga::Lexicon lexicon;
  std::string xgboost_json;  // the trees as XGBoost saved them
  dga::TreeEnsemble trees;   // the same trees, for scoring
  // The name-only model for names with no history at the scoring date (optional in the file).
  struct Lexical {
    int threshold = 50;
    std::string xgboost_json;
    dga::TreeEnsemble trees;
  };
  std::optional<Lexical> lexical;
};

Expected<ReputationModel> ParseReputationModel(std::string_view text, const std::string& context);
std::string SerializeReputationModel(const ReputationModel& model);

// The model shipped in the binary (data/reputation/model.json), trained by `mamori domain train`
// on the seeded simulated world (docs/domain-reputation.md, "Default model"). Parsed once.
Expected<ReputationModel> BuiltInReputationModel();


}  // namespace mamori::domain::reputation
