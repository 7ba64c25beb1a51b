#include "domain/dga/model_file.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "domain/dga/features.h"

namespace mamori::domain::dga {

using nlohmann::json;

Expected<DgaModel> ParseDgaModel(std::string_view text, const std::string& context) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    return MakeError(ErrorCode::kCorrupt, fmt::format("not valid JSON ({})", e.what()), context);
  }
  auto corrupt = [&](std::string message) {
    return MakeError(ErrorCode::kCorrupt, std::move(message), context);
  };
  if (!j.is_object() || j.value("format", "") != kModelFormat) {
    return corrupt(fmt::format("not a DGA model: \"format\" must be \"{}\"", kModelFormat));
  }
  if (!j.contains("version") || !j["version"].is_number_integer()) {
    return corrupt("\"version\" is missing or not an integer");
  }
  if (j["version"].get<int>() != kModelVersion) {
    return MakeError(ErrorCode::kUnsupported,
                     fmt::format("model format version {} (this build reads version {}); "
                                 "retrain the model or use a matching mamori",
                                 j["version"].get<int>(), kModelVersion),
                     context);
  }
  std::vector<std::string> expected(kFeatureNames.begin(), kFeatureNames.end());
  if (!j.contains("features") || !j["features"].is_array()) {
    return corrupt("\"features\" (the feature names, in column order) is missing");
  }
  std::vector<std::string> features;
  for (const json& f : j["features"]) {
    if (!f.is_string()) return corrupt("\"features\" holds a non-string");
    features.push_back(f.get<std::string>());
  }
  if (features != expected) {
    return MakeError(ErrorCode::kUnsupported,
                     fmt::format("the model was trained on features [{}] but this build computes "
                                 "[{}]; retrain the model with this build",
                                 fmt::join(features, ", "), fmt::join(expected, ", ")),
                     context);
  }
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
