#include "domain/dga/model_file.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "domain/dga/features.h"
#include "domain/internal/model_header.h"

namespace mamori::domain::dga {

using nlohmann::json;

Expected<DgaModel> ParseDgaModel(std::string_view text, const std::string& context) {
  MAMORI_ASSIGN_OR_RETURN(
      json j, internal::ParseModelHeader(
                  text,
                  {kModelFormat, "a DGA model", kModelVersion,
                   std::vector<std::string>(kFeatureNames.begin(), kFeatureNames.end()),
                   "retrain it with this build (dga_eval train-shipped, docs/domain-dga.md)"},
                  context));
  auto corrupt = [&](std::string message) {
    return MakeError(ErrorCode::kCorrupt, std::move(message), context);
  };
  if (!j.contains("threshold") || !j["threshold"].is_number()) {
    return corrupt("\"threshold\" is missing or not a number");
  }
  DgaModel m;
  m.threshold = j["threshold"].get<double>();
  if (!(m.threshold >= 0 && m.threshold <= 1)) {
    return corrupt(fmt::format("\"threshold\" {} is outside [0, 1]", m.threshold));
  }
  if (j.contains("training")) m.training = j["training"];
  if (!j.contains("lexicon") || !j["lexicon"].is_array()) {
    return corrupt("\"lexicon\" (the word list of the word features) is missing");
  }
  std::vector<std::string> words;
  for (const json& w : j["lexicon"]) {
    if (!w.is_string()) return corrupt("\"lexicon\" holds a non-string");
    words.push_back(w.get<std::string>());
  }
  m.lexicon = Lexicon(words);
  if (!j.contains("language_model")) return corrupt("\"language_model\" is missing");
  MAMORI_ASSIGN_OR_RETURN(m.ngrams, NgramModel::FromJson(j["language_model"], context));
  if (!j.contains("trees")) return corrupt("\"trees\" is missing");
  MAMORI_ASSIGN_OR_RETURN(m.trees, TreeEnsemble::FromJson(j["trees"], kFeatureCount, context));
  if (m.trees.tree_count() == 0) return corrupt("the model has no trees");
  return m;
}

std::string SerializeDgaModel(const DgaModel& model) {
  json j;
  j["format"] = kModelFormat;
  j["version"] = kModelVersion;
  j["features"] = std::vector<std::string>(kFeatureNames.begin(), kFeatureNames.end());
  j["threshold"] = model.threshold;
  j["training"] = model.training;
  j["lexicon"] = model.lexicon.sorted_words();
  j["language_model"] = model.ngrams.ToJson();
  j["trees"] = model.trees.ToJson();
  // One line per top-level key would still be huge; compact output, the file is data.
  return j.dump() + "\n";
}

}  // namespace mamori::domain::dga
