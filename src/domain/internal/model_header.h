// The members every model file of ours starts with — "format", "version", "features" — checked
// the same way for the DGA model (docs/formats/dga-model.md) and the reputation model
// (docs/formats/reputation-model.md): a wrong format tag or a missing member is kCorrupt, another
// version or a feature list other than this build's is kUnsupported, with what to do about it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/dga/lexicon.h"
#include "domain/dga/ngram_model.h"

namespace mamori::domain::internal {

struct ModelHeader {
  std::string_view format;              // e.g. "mamori-dga-model"
  std::string_view what;                // "a DGA model", for messages
  int version = 1;
  std::vector<std::string> features;    // this build's, in column order
  std::string_view retrain;             // how to make a matching model
};

// Parses `text` as JSON and checks its header against `expected`; returns the document.
Expected<nlohmann::json> ParseModelHeader(std::string_view text, const ModelHeader& expected,
                                          const std::string& context);

// The language of the lexical features both model files carry: "lexicon" (the word list) and
// "language_model" (benign character n-gram counts). Errors are kCorrupt, naming `context`.
Status ReadModelLanguage(const nlohmann::json& j, const std::string& context, dga::Lexicon& lexicon,
                         dga::NgramModel& ngrams);
void WriteModelLanguage(const dga::Lexicon& lexicon, const dga::NgramModel& ngrams,
                        nlohmann::json& j);

}  // namespace mamori::domain::internal
