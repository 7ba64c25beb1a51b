// DgaModel: everything a DGA model file holds (docs/formats/dga-model.md): the feature names it
// was trained on, its decision threshold, training notes, the benign character n-gram counts and
// word list its features need, and the boosted trees. A model file is self-contained, so a model
// trained with another word list still computes the features it was trained with.
// ParseDgaModel checks the whole file (format tag, version, feature list equal to this build's,
// tree shapes) and names the file and the problem on any error. Plain values; thread-compatible.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/dga/lexicon.h"
#include "domain/dga/ngram_model.h"
#include "domain/dga/tree_ensemble.h"

namespace mamori::domain::dga {

inline constexpr std::string_view kModelFormat = "mamori-dga-model";
inline constexpr int kModelVersion = 1;

struct DgaModel {
  double threshold = 0.5;
  nlohmann::json training = nlohmann::json::object();  // free-form notes (counts, options, FPR)
  NgramModel ngrams;
  Lexicon lexicon;
  TreeEnsemble trees;
};

// `context` names the source in errors (a path, or "built-in model").
Expected<DgaModel> ParseDgaModel(std::string_view text, const std::string& context);
std::string SerializeDgaModel(const DgaModel& model);

}  // namespace mamori::domain::dga
