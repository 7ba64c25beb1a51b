// Synthetic DGA-style names for training the shipped model. The published DGA example lists are
// GPL-2.0 and must not go into shipped artefacts, so the shipped model learns from names made
// here, by the same construction methods real DGAs use (docs/domain-dga.md, "Training data"):
//   uniform-letters, weighted-letters (English letter frequencies), alphanumeric, hex, base32,
//   pronounceable (consonant-vowel syllables), dictionary (2-3 words of a word list, sometimes
//   joined by '-'), word-random (a word with random letters or digits around it),
// each under a TLD drawn from the mix DGAs register in (cheap gTLDs, .com/.net/.org, a few
// ccTLDs and dynamic-DNS zones).
// Deterministic for a seed on every platform: the generator is splitmix64 and draws with its own
// rejection sampling, not <random>'s distributions (their output differs between libraries).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/dga/lexicon.h"

namespace mamori::domain::dga {

inline constexpr std::string_view kSyntheticKinds[] = {
    "uniform-letters", "weighted-letters", "alphanumeric", "hex",
    "base32",          "pronounceable",    "dictionary",   "word-random",
};

struct SyntheticName {
  std::string domain;
  std::string_view kind;  // one of kSyntheticKinds
};

struct SyntheticOptions {
  size_t count = 10000;
  uint64_t seed = 1;
  // Relative share of each kind, in kSyntheticKinds order.
  // Word kinds are rare: they raise benign scores (real names are words too) more than they
  // teach (measured on the real lists, docs/benchmarks.md).
  std::vector<double> kind_weights = {1, 1, 1, 1, 0.5, 1, 0.1, 0.1};
};

// `lexicon` supplies the words of the dictionary kinds (the shipped data/dga/words.txt).
std::vector<SyntheticName> GenerateSyntheticDga(const SyntheticOptions& options,
                                                const Lexicon& lexicon);

}  // namespace mamori::domain::dga
