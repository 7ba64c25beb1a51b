#include "domain/reputation/model.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <vector>

#include "domain/internal/model_header.h"
#include "domain/reputation/embedded_model.h"
#include "domain/reputation/features.h"

namespace mamori::domain::reputation {

using nlohmann::json;

Expected<ReputationModel> ParseReputationModel(std::string_view text, const std::string& context) {
  MAMORI_ASSIGN_OR_RETURN(
      json j, internal::ParseModelHeader(
                  text,
                  {kModelFormat, "a reputation model", kModelVersion,
                   std::vector<std::string>(kFeatureNames.begin(), kFeatureNames.end()),
                   "retrain the model with `mamori domain train`"},
                  context));
  auto corrupt = [&](std::string message) {
    return MakeError(ErrorCode::kCorrupt, std::move(message), context);
  };
  ReputationModel m;
  if (!j.contains("threshold") || !j["threshold"].is_number_integer()) {
    return corrupt("\"threshold\" (score 0–100) is missing or not an integer");
  }
  m.threshold = j["threshold"].get<int>();
  if (m.threshold < 0 || m.threshold > 100) {
    return corrupt(fmt::format("\"threshold\" {} is outside 0–100", m.threshold));
  }
  if (j.contains("training")) m.training = j["training"];
  MAMORI_RETURN_IF_ERROR(internal::ReadModelLanguage(j, context, m.lexicon, m.ngrams));
  if (!j.contains("xgboost") || !j["xgboost"].is_object()) {
    return corrupt("\"xgboost\" (the trees as XGBoost saved them) is missing");
  }
  m.xgboost_json = j["xgboost"].dump();
  auto trees = dga::TreeEnsemble::FromXgboostJson(m.xgboost_json);
  if (!trees) return tl::unexpected(trees.error().WithContext(context));
  m.trees = std::move(*trees);
  if (j.contains("lexical")) {
    const json& lex = j["lexical"];
    if (!lex.is_object() || !lex.contains("threshold") || !lex["threshold"].is_number_integer() ||
        !lex.contains("xgboost") || !lex["xgboost"].is_object()) {
      return corrupt("\"lexical\" must hold an integer \"threshold\" and an \"xgboost\" object");
    }
    ReputationModel::Lexical lexical;
    lexical.threshold = lex["threshold"].get<int>();
    if (lexical.threshold < 0 || lexical.threshold > 100) {
      return corrupt(fmt::format("\"lexical\".\"threshold\" {} is outside 0–100", lexical.threshold));
    }
    lexical.xgboost_json = lex["xgboost"].dump();
    auto lexical_trees = dga::TreeEnsemble::FromXgboostJson(lexical.xgboost_json);
    if (!lexical_trees) return tl::unexpected(lexical_trees.error().WithContext(context));
    lexical.trees = std::move(*lexical_trees);
    m.lexical = std::move(lexical);
  }
  return m;
}

std::string SerializeReputationModel(const ReputationModel& model) {
  json j;
  j["format"] = kModelFormat;
  j["version"] = kModelVersion;
  j["features"] = std::vector<std::string>(kFeatureNames.begin(), kFeatureNames.end());
  j["threshold"] = model.threshold;
  j["training"] = model.training;
  internal::WriteModelLanguage(model.lexicon, model.ngrams, j);
  j["xgboost"] = json::parse(model.xgboost_json);
  if (model.lexical) {
    j["lexical"] = {{"threshold", model.lexical->threshold},
                    {"xgboost", json::parse(model.lexical->xgboost_json)}};
  }
  return j.dump();
}

Expected<ReputationModel> BuiltInReputationModel() {
  static const Expected<ReputationModel> model = []() -> Expected<ReputationModel> {
    for (const auto& [name, text] : EmbeddedReputationFiles()) {
      if (name == "model.json") return ParseReputationModel(text, "built-in reputation model");
    }
    return MakeError(ErrorCode::kNotFound,
                     "this build has no built-in reputation model (data/reputation/model.json); "
                     "train one with `mamori domain train --out FILE` and pass --model FILE");
  }();
  return model;
}

}  // namespace mamori::domain::reputation
