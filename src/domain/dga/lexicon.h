// Lexicon: the English words the DGA features look for in a label ("bankofamerica" is covered by
// "bank" + "america"), so names made of words are told apart from random strings. Built once from
// a word list (one word per line, '#' comments; words shorter than 3 letters are ignored because
// two-letter "words" cover almost any string). Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace mamori::domain::dga {

struct WordCover {
  int covered_chars = 0;  // characters of the label inside some word of the best segmentation
  int words = 0;          // words in that segmentation
  int longest_word = 0;
};

class Lexicon {
 public:
  Lexicon() = default;
  explicit Lexicon(const std::vector<std::string>& words);
  // Parses the word-list text format (see data/dga/words.txt).
  static Lexicon FromText(std::string_view text);

  // The segmentation of `label` into words and gaps that covers the most characters (ties: fewer
  // words). Dynamic programming over end positions; O(length * longest word).
  WordCover Cover(std::string_view label) const;
  bool Contains(std::string_view word) const { return words_.count(word) > 0; }

  // The words in sorted order (for serialization and the synthetic generator).
  const std::vector<std::string>& sorted_words() const { return sorted_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> words_;
  std::vector<std::string> sorted_;
  int max_len_ = 0;
};

}  // namespace mamori::domain::dga
