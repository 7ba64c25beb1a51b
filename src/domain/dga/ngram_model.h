// NgramModel: a character bigram/trigram model of benign registrable labels. The DGA features
// ask it how "language-like" a label is: the mean log-probability of each character given the one
// or two before it. Random strings score low because their character sequences are rare in real
// names. Fitted from counts (Fit), stored as those counts in the model file (ToJson/FromJson) and
// turned into dense log-probability tables, so a lookup is one array read.
// Alphabet: a-z, 0-9, '-', one class for anything else, and the boundary symbols '^' (start)
// and '$' (end). Immutable after construction; thread-safe.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mamori::domain::dga {

struct NgramScores {
  float bigram_mean = 0;     // mean log2 P(c | previous), including the end symbol
  float trigram_mean = 0;    // mean log2 P(c | two previous)
  float trigram_unseen = 0;  // share of trigrams never seen in the benign labels
};

class NgramModel {
 public:
  static constexpr int kSymbols = 39;  // 26 letters, 10 digits, '-', other, boundary
  // Add-k smoothing constant; small because unseen sequences are exactly the signal.
  static constexpr double kSmoothing = 0.1;

  NgramModel();
  static NgramModel Fit(const std::vector<std::string>& labels);
  nlohmann::json ToJson() const;
  // Errors name `context` (the model file) and the bad entry.
  static Expected<NgramModel> FromJson(const nlohmann::json& j, const std::string& context);

  NgramScores Score(std::string_view label) const;

 private:
  void BuildTables();
  std::vector<uint32_t> bigram_counts_;   // kSymbols^2
  std::vector<uint32_t> trigram_counts_;  // kSymbols^3
  std::vector<float> bigram_logp_;
  std::vector<float> trigram_logp_;
};

}  // namespace mamori::domain::dga
