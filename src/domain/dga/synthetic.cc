#include "domain/dga/synthetic.h"

#include <array>
#include <numeric>

namespace mamori::domain::dga {

namespace {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {  // splitmix64
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), by rejection so no value is favoured.
  uint64_t Below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = Next();
    while (x >= limit);
    return x % n;
  }
  int Between(int lo, int hi) { return lo + static_cast<int>(Below(hi - lo + 1)); }
  double Unit() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
  template <typename W>
  size_t Weighted(const W& weights) {
    double total = std::accumulate(std::begin(weights), std::end(weights), 0.0);
    double r = Unit() * total;
    size_t i = 0;
    for (double w : weights) {
      if (r < w) return i;
      r -= w;
      ++i;
    }
    return i - 1;
  }

 private:
  uint64_t state_;
};

constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kHex = "0123456789abcdef";
constexpr std::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view kVowels = "aeiou";
constexpr std::string_view kConsonants = "bcdfghjklmnpqrstvwxyz";
// Relative frequency of a-z in English text (per mille, rounded; common textbook figures).
constexpr std::array<double, 26> kEnglishLetterFreq = {82, 15, 28, 43, 127, 22, 20, 61, 70,
                                                       2,  8,  40, 24, 67,  75, 19, 1,  60,
                                                       63, 91, 28, 10, 24,  2,  20, 1};

// Suffixes DGAs register under, with rough shares: legacy gTLDs dominate; cheap new gTLDs and a
// few ccTLDs follow; dynamic-DNS zones let a DGA avoid registration entirely.
struct WeightedTld {
  std::string_view tld;
  double weight;
};
constexpr WeightedTld kTlds[] = {
    {"com", 30}, {"net", 12}, {"org", 8}, {"info", 8},  {"biz", 6},      {"ru", 5},
    {"cn", 3},   {"top", 3},  {"xyz", 3}, {"cc", 2},    {"pw", 2},       {"in", 2},
    {"me", 2},   {"tk", 2},   {"su", 1},  {"ws", 1},    {"online", 1},   {"site", 1},
    {"club", 1}, {"de", 1},   {"eu", 1},  {"co.uk", 1}, {"ddns.net", 1}, {"duckdns.org", 1},
};

std::string RandomFrom(Rng& rng, std::string_view alphabet, int length) {
  std::string s;
  for (int i = 0; i < length; ++i) s += alphabet[rng.Below(alphabet.size())];
  return s;
}

std::string Weighted(Rng& rng, int length) {
  std::string s;
  for (int i = 0; i < length; ++i) s += static_cast<char>('a' + rng.Weighted(kEnglishLetterFreq));
  return s;
}

std::string Pronounceable(Rng& rng, int length) {
  std::string s;
  // Syllables of consonant + vowel, sometimes a closing consonant or a vowel pair, as the
  // pronounceable families (e.g. those built from C/V tables) do.
  while (static_cast<int>(s.size()) < length) {
    s += kConsonants[rng.Below(kConsonants.size())];
    s += kVowels[rng.Below(kVowels.size())];
    const uint64_t r = rng.Below(10);
    if (r < 2)
      s += kVowels[rng.Below(kVowels.size())];
    else if (r < 4)
      s += kConsonants[rng.Below(kConsonants.size())];
  }
  s.resize(length);
  return s;
}

const std::string& Word(Rng& rng, const Lexicon& lexicon) {
  const auto& words = lexicon.sorted_words();
  return words[rng.Below(words.size())];
}

std::string Dictionary(Rng& rng, const Lexicon& lexicon) {
  const int n = rng.Between(2, 3);
  const bool hyphen = rng.Below(5) == 0;
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i && hyphen) s += '-';
    s += Word(rng, lexicon);
  }
  return s.substr(0, 40);
}

std::string WordRandom(Rng& rng, const Lexicon& lexicon) {
  // A word with a random prefix or suffix: generators that mutate or pad a seed word.
  std::string noise = rng.Below(2) ? RandomFrom(rng, kLetters, rng.Between(3, 8))
                                   : RandomFrom(rng, kAlnum, rng.Between(3, 8));
  const std::string& w = Word(rng, lexicon);
  return rng.Below(2) ? noise + w : w + noise;
}

std::string Label(Rng& rng, size_t kind, const Lexicon& lexicon) {
  switch (kind) {
    case 0:
      return RandomFrom(rng, kLetters, rng.Between(6, 24));
    case 1:
      return Weighted(rng, rng.Between(6, 20));
    case 2: {
      // Letters and digits, with at least one digit (else it is the uniform-letters kind).
      std::string s = RandomFrom(rng, kAlnum, rng.Between(6, 26));
      s[rng.Below(s.size())] = static_cast<char>('0' + rng.Below(10));
      return s;
    }
    case 3: {
      constexpr int kHexLengths[] = {8, 12, 13, 16, 20, 32};
      return RandomFrom(rng, kHex, kHexLengths[rng.Below(std::size(kHexLengths))]);
    }
    case 4:
      return RandomFrom(rng, kBase32, rng.Between(10, 26));
    case 5:
      return Pronounceable(rng, rng.Between(6, 16));
    case 6:
      return Dictionary(rng, lexicon);
    default:
      return WordRandom(rng, lexicon);
  }
}

}  // namespace

std::vector<SyntheticName> GenerateSyntheticDga(const SyntheticOptions& options,
                                                const Lexicon& lexicon) {
  Rng rng(options.seed);
  std::vector<double> tld_weights;
  for (const WeightedTld& t : kTlds) tld_weights.push_back(t.weight);
  std::vector<double> kind_weights = options.kind_weights;
  kind_weights.resize(std::size(kSyntheticKinds), 0.0);
  if (lexicon.sorted_words().empty()) kind_weights[6] = kind_weights[7] = 0;
  std::vector<SyntheticName> out;
  out.reserve(options.count);
  for (size_t i = 0; i < options.count; ++i) {
    const size_t kind = rng.Weighted(kind_weights);
    std::string label = Label(rng, kind, lexicon);
    const std::string_view tld = kTlds[rng.Weighted(tld_weights)].tld;
    out.push_back({label + "." + std::string(tld), kSyntheticKinds[kind]});
  }
  return out;
}

}  // namespace mamori::domain::dga
