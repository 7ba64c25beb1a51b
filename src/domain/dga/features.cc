#include "domain/dga/features.h"

#include <algorithm>
#include <cmath>

#include "core/domain_name.h"

namespace mamori::domain::dga {

namespace {

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }
bool IsLetter(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

}  // namespace

std::optional<LabelParts> SplitLabel(std::string_view domain) {
  std::string_view trimmed = domain;
  if (!trimmed.empty() && trimmed.back() == '.') trimmed.remove_suffix(1);
  if (!trimmed.empty() && trimmed.find('.') == std::string_view::npos) {
    // A bare label: DomainName wants a name with a suffix, so validate (and IDN-convert) the
    // label under the reserved TLD "invalid" and keep the label.
    auto name = DomainName::Parse(std::string(trimmed) + ".invalid");
    if (!name) return std::nullopt;
    const std::string& n = name->name();
    return LabelParts{n.substr(0, n.find('.')), ""};
  }
  auto name = DomainName::Parse(domain);
  if (!name) return std::nullopt;
  const std::string& full = name->name();
  // The registrable domain's first label; for a name that is itself a public suffix (or has no
  // registrable part) the first label of the name is the best we have.
  std::optional<std::string> reg = name->RegisteredDomain();
  const std::string& base = reg ? *reg : full;
  const size_t dot = base.find('.');
  if (dot == std::string::npos) return LabelParts{base, ""};
  return LabelParts{base.substr(0, dot), base.substr(dot + 1)};
}

FeatureVector FeatureExtractor::Extract(const LabelParts& parts) const {
  const std::string_view label = parts.label;
  FeatureVector f{};
  const int n = static_cast<int>(label.size());
  if (n == 0) return f;

  int digits = 0, vowels = 0, letters = 0, hyphens = 0, switches = 0;
  int consonant_run = 0, max_consonant_run = 0, digit_run = 0, max_digit_run = 0;
  bool hex_only = true;
  std::array<int, 256> counts{};
  int prev_class = -1;
  for (char c : label) {
    counts[static_cast<unsigned char>(c)]++;
    const bool letter = IsLetter(c), digit = IsDigit(c);
    digits += digit;
    letters += letter;
    hyphens += c == '-';
    hex_only = hex_only && IsHex(c);
    if (letter && IsVowel(c)) ++vowels;
    consonant_run = (letter && !IsVowel(c)) ? consonant_run + 1 : 0;
    max_consonant_run = std::max(max_consonant_run, consonant_run);
    digit_run = digit ? digit_run + 1 : 0;
    max_digit_run = std::max(max_digit_run, digit_run);
    const int cls = letter ? 0 : digit ? 1 : 2;
    if (prev_class >= 0 && cls != prev_class) ++switches;
    prev_class = cls;
  }
  double entropy = 0;
  int unique = 0;
  for (int c : counts) {
    if (!c) continue;
    ++unique;
    const double p = static_cast<double>(c) / n;
    entropy -= p * std::log2(p);
  }
  const NgramScores ng = ngrams_.Score(label);
  const WordCover cover = lexicon_.Cover(label);

  size_t k = 0;
  f[k++] = static_cast<float>(n);
  f[k++] = static_cast<float>(entropy);
  f[k++] = static_cast<float>(digits) / n;
  f[k++] = letters ? static_cast<float>(vowels) / letters : 0.0f;
  f[k++] = static_cast<float>(letters - vowels) / n;
  f[k++] = static_cast<float>(max_consonant_run);
  f[k++] = static_cast<float>(max_digit_run);
  f[k++] = static_cast<float>(hyphens);
  f[k++] = static_cast<float>(unique) / n;
  f[k++] = static_cast<float>(switches);
  f[k++] = ng.bigram_mean;
  f[k++] = ng.trigram_mean;
  f[k++] = ng.trigram_unseen;
  f[k++] = static_cast<float>(cover.covered_chars) / n;
  f[k++] = static_cast<float>(cover.words);
  f[k++] = static_cast<float>(cover.longest_word);
  f[k++] = hex_only ? 1.0f : 0.0f;
  // The last label of the suffix ("uk" for "co.uk"); 0 for a bare label.
  const size_t dot = parts.suffix.rfind('.');
  f[k++] = static_cast<float>(dot == std::string::npos ? parts.suffix.size()
                                                       : parts.suffix.size() - dot - 1);
  return f;
}

}  // namespace mamori::domain::dga
