// Character-level lexical features of a domain's registrable label, the input of the DGA model.
// docs/domain-dga.md gives each feature's rationale. The order of kFeatureNames is the column
// order of the model's trees; a model file lists the names it was trained with and is refused
// when they differ from this build's (model_file.h).
//
// SplitLabel() finds the label a DGA chooses: the leftmost label of the registrable domain under
// the Public Suffix List, including its private section, so "qhjpat.mooo.com" gives "qhjpat"
// (mooo.com is a dynamic-DNS platform) and "www.google.co.uk" gives "google".
// FeatureExtractor borrows the NgramModel and Lexicon it is given (they must outlive it); it
// is immutable and thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "domain/dga/lexicon.h"
#include "domain/dga/ngram_model.h"

namespace mamori::domain::dga {

inline constexpr std::array<std::string_view, 18> kFeatureNames = {
    "length",          "entropy",
    "digit_ratio",     "vowel_ratio",
    "consonant_ratio", "max_consonant_run",
    "max_digit_run",   "hyphens",
    "unique_ratio",    "char_class_switches",
    "bigram_loglik",   "trigram_loglik",
    "trigram_unseen",  "word_coverage",
    "word_count",      "longest_word",
    "hex_only",        "tld_length",
};
inline constexpr size_t kFeatureCount = kFeatureNames.size();
using FeatureVector = std::array<float, kFeatureCount>;

struct LabelParts {
  std::string label;   // the registrable label, lower case, A-label form for IDN
  std::string suffix;  // its public suffix ("com", "co.uk", "mooo.com"); empty for a bare label
};

// A domain ("a.b.example.co.uk", trailing dot, any case) or a bare label ("xjwqpkzt").
// nullopt when the text is not a valid domain name (core/domain_name.h rules).
std::optional<LabelParts> SplitLabel(std::string_view domain);

class FeatureExtractor {
 public:
  FeatureExtractor(const NgramModel& ngrams, const Lexicon& lexicon)
      : ngrams_(ngrams), lexicon_(lexicon) {}
  FeatureVector Extract(const LabelParts& parts) const;

 private:
  const NgramModel& ngrams_;
  const Lexicon& lexicon_;
};

}  // namespace mamori::domain::dga
