#include "domain/dga/lexicon.h"

#include <algorithm>

namespace mamori::domain::dga {

namespace {
constexpr int kMinWordLength = 3;
}  // namespace

Lexicon::Lexicon(const std::vector<std::string>& words) {
  for (const std::string& w : words) {
    if (static_cast<int>(w.size()) < kMinWordLength) continue;
    if (words_.insert(w).second) {
      sorted_.push_back(w);
      max_len_ = std::max(max_len_, static_cast<int>(w.size()));
    }
  }
  std::sort(sorted_.begin(), sorted_.end());
}

Lexicon Lexicon::FromText(std::string_view text) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) continue;
    std::string word(line);
    std::transform(word.begin(), word.end(), word.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
    words.push_back(std::move(word));
  }
  return Lexicon(words);
}

WordCover Lexicon::Cover(std::string_view label) const {
  const int n = static_cast<int>(label.size());
  // best[i]: the best cover of label[0, i); labels are at most 63 characters, but callers may
  // pass longer text, so size by n.
  struct Cell {
    int covered = 0;
    int words = 0;
    int longest = 0;
  };
  std::vector<Cell> best(n + 1);
  for (int i = 1; i <= n; ++i) {
    best[i] = best[i - 1];  // character i-1 left uncovered
    const int from = std::max(0, i - max_len_);
    for (int j = i - kMinWordLength; j >= from; --j) {
      if (!words_.count(label.substr(j, i - j))) continue;
      Cell c{best[j].covered + (i - j), best[j].words + 1, std::max(best[j].longest, i - j)};
      if (c.covered > best[i].covered ||
          (c.covered == best[i].covered && c.words < best[i].words)) {
        best[i] = c;
      }
    }
  }
  return {best[n].covered, best[n].words, best[n].longest};
}

}  // namespace mamori::domain::dga
