// Label makers for the domain world; see names.h.
#include "domain/sim/names.h"

#include "domain/dga/embedded_data.h"

namespace mamori::domain::sim {

namespace {

constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kHex = "0123456789abcdef";
constexpr std::string_view kVowels = "aeiou";
constexpr std::string_view kConsonants = "bcdfghjklmnpqrstvwxyz";
// Lure words attackers put in phishing and malware names (generic: no real brands).
constexpr std::string_view kLures[] = {"secure", "login", "verify", "account", "update",
                                       "support", "billing", "signin", "service", "wallet",
                                       "auth", "portal", "client", "check", "online"};
constexpr std::string_view kSiteWords[] = {"get", "my", "the", "go", "try", "app", "hq", "hub"};

std::string RandomChars(Rng& rng, std::string_view alphabet, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += alphabet[rng.Below(alphabet.size())];
  return s;
}

}  // namespace

const std::vector<std::string>& SimWords() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> out;
    std::string_view text = dga::EmbeddedDgaFile("words.txt").value_or("");
    while (!text.empty()) {
      size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
      if (line.empty() || line[0] == '#' || line.size() < 3 || line.size() > 8) continue;
      out.emplace_back(line);
    }
    // A fallback keeps the generator working in a build without the embedded list.
    if (out.empty()) out = {"river", "coffee", "studio", "garden", "maple", "harbor", "pixel"};
    return out;
  }();
  return words;
}

std::string BenignLabel(Rng& rng) {
  const auto& words = SimWords();
  std::string label = rng.Pick(words);
  double r = rng.Uniform();
  if (r < 0.55) {
    label += rng.Pick(words);
  } else if (r < 0.75) {
    label += "-" + rng.Pick(words);
  } else if (r < 0.85) {
    label += std::to_string(rng.Between(1, 99));
  } else if (r < 0.93) {
    label = std::string(kSiteWords[rng.Below(std::size(kSiteWords))]) + label;
  }
  return label;
}

std::string PopularLabel(Rng& rng) {
  const auto& words = SimWords();
  double r = rng.Uniform();
  if (r < 0.5) return rng.Pick(words);
  if (r < 0.7) return std::string(kSiteWords[rng.Below(std::size(kSiteWords))]) + rng.Pick(words);
  return rng.Pick(words) + rng.Pick(words);
}

std::string HashLikeLabel(Rng& rng) {
  double r = rng.Uniform();
  if (r < 0.4) return "d" + RandomChars(rng, kAlnum, rng.Between(8, 13));
  if (r < 0.7) return RandomChars(rng, kHex, rng.Between(8, 16));
  const char* prefixes[] = {"cdn-", "img-", "px-", "t-", "st-"};
  return prefixes[rng.Below(5)] + RandomChars(rng, kAlnum, rng.Between(5, 9));
}

std::string AttackerLabel(Rng& rng) {
  const auto& words = SimWords();
  std::string lure(kLures[rng.Below(std::size(kLures))]);
  double r = rng.Uniform();
  if (r < 0.35) return lure + "-" + rng.Pick(words);
  if (r < 0.6) return rng.Pick(words) + "-" + lure + "-" + rng.Pick(words);
  if (r < 0.8) return rng.Pick(words) + lure + std::to_string(rng.Between(1, 999));
  return BenignLabel(rng);  // many attacker names are unremarkable
}

std::string DgaLabel(Rng& rng, int scheme, int length_bias) {
  switch (scheme) {
    case 0:
      return RandomChars(rng, kLetters, rng.Between(9 + length_bias, 13 + 2 * length_bias));
    case 1:
      return RandomChars(rng, kAlnum, rng.Between(8 + length_bias, 14 + 2 * length_bias));
    case 2:
      return RandomChars(rng, kHex, rng.Between(10 + length_bias, 16 + length_bias));
    case 3: {
      std::string s;
      int syllables = rng.Between(3, 4 + length_bias / 2);
      for (int i = 0; i < syllables; ++i) {
        s += kConsonants[rng.Below(kConsonants.size())];
        s += kVowels[rng.Below(kVowels.size())];
      }
      return s;
    }
    default: {  // dictionary DGAs (suppobox-like): hard for lexical features by construction
      const auto& words = SimWords();
      return rng.Pick(words) + rng.Pick(words);
    }
  }
}

}  // namespace mamori::domain::sim
