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
  MAMORI_RETURN_IF_ERROR(internal::ReadModelLanguage(j, context, m.lexicon, m.ngrams));
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
  internal::WriteModelLanguage(model.lexicon, model.ngrams, j);
  j["trees"] = model.trees.ToJson();
  // One line per top-level key would still be huge; compact output, the file is data.
  return j.dump() + "\n";
}

}  // namespace mamori::domain::dga
