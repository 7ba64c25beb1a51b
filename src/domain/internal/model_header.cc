#include "domain/internal/model_header.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace mamori::domain::internal {

using nlohmann::json;

Expected<json> ParseModelHeader(std::string_view text, const ModelHeader& expected,
                                const std::string& context) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    return MakeError(ErrorCode::kCorrupt, fmt::format("not valid JSON ({})", e.what()), context);
  }
  auto corrupt = [&](std::string message) {
    return MakeError(ErrorCode::kCorrupt, std::move(message), context);
  };
  if (!j.is_object() || j.value("format", "") != expected.format) {
    return corrupt(fmt::format("not {}: \"format\" must be \"{}\"", expected.what, expected.format));
  }
  if (!j.contains("version") || !j["version"].is_number_integer()) {
    return corrupt("\"version\" is missing or not an integer");
  }
  if (j["version"].get<int>() != expected.version) {
    return MakeError(ErrorCode::kUnsupported,
                     fmt::format("model format version {} (this build reads version {}); {}",
                                 j["version"].get<int>(), expected.version, expected.retrain),
                     context);
  }
  if (!j.contains("features") || !j["features"].is_array()) {
    return corrupt("\"features\" (the feature names, in column order) is missing");
  }
  std::vector<std::string> features;
  for (const json& f : j["features"]) {
    if (!f.is_string()) return corrupt("\"features\" holds a non-string");
    features.push_back(f.get<std::string>());
  }
  if (features != expected.features) {
    std::vector<std::string> missing, unknown;
    for (const auto& f : expected.features) {
      if (std::find(features.begin(), features.end(), f) == features.end()) missing.push_back(f);
    }
    for (const auto& f : features) {
      if (std::find(expected.features.begin(), expected.features.end(), f) ==
          expected.features.end()) {
        unknown.push_back(f);
      }
    }
    return MakeError(ErrorCode::kUnsupported,
                     fmt::format("the model was trained on features the build does not compute "
                                 "({} in the file, {} here; missing: [{}]; unknown: [{}]{}); {}",
                                 features.size(), expected.features.size(), fmt::join(missing, ", "),
                                 fmt::join(unknown, ", "),
                                 missing.empty() && unknown.empty() ? "; same names, other order" : "",
                                 expected.retrain),
                     context);
  }
  return j;
}

Status ReadModelLanguage(const json& j, const std::string& context, dga::Lexicon& lexicon,
                         dga::NgramModel& ngrams) {
  auto corrupt = [&](std::string message) {
    return MakeError(ErrorCode::kCorrupt, std::move(message), context);
  };
  if (!j.contains("lexicon") || !j["lexicon"].is_array()) {
    return corrupt("\"lexicon\" (the word list of the word features) is missing");
  }
  std::vector<std::string> words;
  for (const json& w : j["lexicon"]) {
    if (!w.is_string()) return corrupt("\"lexicon\" holds a non-string");
    words.push_back(w.get<std::string>());
  }
  lexicon = dga::Lexicon(words);
  if (!j.contains("language_model")) return corrupt("\"language_model\" is missing");
  MAMORI_ASSIGN_OR_RETURN(ngrams, dga::NgramModel::FromJson(j["language_model"], context));
  return Ok();
}

void WriteModelLanguage(const dga::Lexicon& lexicon, const dga::NgramModel& ngrams, json& j) {
  j["lexicon"] = lexicon.sorted_words();
  j["language_model"] = ngrams.ToJson();
}

}  // namespace mamori::domain::internal
