#include "domain/dga/ngram_model.h"

#include <fmt/format.h>

#include <cmath>

namespace mamori::domain::dga {

namespace {

constexpr int kS = NgramModel::kSymbols;
constexpr int kOther = 37;
constexpr int kBoundary = 38;

constexpr std::array<uint8_t, 256> MakeSymbolTable() {
  std::array<uint8_t, 256> t{};
  for (int i = 0; i < 256; ++i) t[i] = kOther;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<uint8_t>(c - 'a');
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<uint8_t>(c - 'A');
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<uint8_t>(26 + c - '0');
  t['-'] = 36;
  return t;
}
constexpr std::array<uint8_t, 256> kSymbol = MakeSymbolTable();

char SymbolChar(int s) {
  if (s < 26) return static_cast<char>('a' + s);
  if (s < 36) return static_cast<char>('0' + s - 26);
  if (s == 36) return '-';
  if (s == kOther) return '_';
  return '^';  // boundary; '$' when it is the last symbol of an n-gram (see Key)
}

std::string Key(const int* syms, int n) {
  std::string k;
  for (int i = 0; i < n; ++i) {
    char c = SymbolChar(syms[i]);
    if (syms[i] == kBoundary && i == n - 1 && i > 0) c = '$';
    k += c;
  }
  return k;
}

int CharSymbol(char c) {
  switch (c) {
    case '^':
    case '$':
      return kBoundary;
    case '_':
      return kOther;
    default:
      return kSymbol[static_cast<unsigned char>(c)];
  }
}

}  // namespace

NgramModel::NgramModel() : bigram_counts_(kS * kS, 0), trigram_counts_(kS * kS * kS, 0) {
  BuildTables();
}

NgramModel NgramModel::Fit(const std::vector<std::string>& labels) {
  NgramModel m;
  for (const std::string& label : labels) {
    int a = kBoundary, b = kBoundary;
    for (size_t i = 0; i <= label.size(); ++i) {
      int c = i < label.size() ? kSymbol[static_cast<unsigned char>(label[i])] : kBoundary;
      m.bigram_counts_[b * kS + c]++;
      m.trigram_counts_[(a * kS + b) * kS + c]++;
      a = b;
      b = c;
    }
  }
  m.BuildTables();
  return m;
}

void NgramModel::BuildTables() {
  // kS outcomes after any context: every symbol, the end of the label sharing the boundary slot.
  const double v = kS;
  bigram_logp_.assign(kS * kS, 0);
  for (int b = 0; b < kS; ++b) {
    double total = 0;
    for (int c = 0; c < kS; ++c) total += bigram_counts_[b * kS + c];
    for (int c = 0; c < kS; ++c) {
      bigram_logp_[b * kS + c] = static_cast<float>(
          std::log2((bigram_counts_[b * kS + c] + kSmoothing) / (total + kSmoothing * v)));
    }
  }
  trigram_logp_.assign(kS * kS * kS, 0);
  for (int ab = 0; ab < kS * kS; ++ab) {
    double total = 0;
    for (int c = 0; c < kS; ++c) total += trigram_counts_[ab * kS + c];
    for (int c = 0; c < kS; ++c) {
      trigram_logp_[ab * kS + c] = static_cast<float>(
          std::log2((trigram_counts_[ab * kS + c] + kSmoothing) / (total + kSmoothing * v)));
    }
  }
}

NgramScores NgramModel::Score(std::string_view label) const {
  NgramScores s;
  if (label.empty()) return s;
  int a = kBoundary, b = kBoundary;
  double bi = 0, tri = 0;
  int unseen = 0;
  const size_t n = label.size() + 1;  // + the end symbol
  for (size_t i = 0; i < n; ++i) {
    int c = i < label.size() ? kSymbol[static_cast<unsigned char>(label[i])] : kBoundary;
    bi += bigram_logp_[b * kS + c];
    const int t = (a * kS + b) * kS + c;
    tri += trigram_logp_[t];
    if (trigram_counts_[t] == 0) ++unseen;
    a = b;
    b = c;
  }
  s.bigram_mean = static_cast<float>(bi / n);
  s.trigram_mean = static_cast<float>(tri / n);
  s.trigram_unseen = static_cast<float>(static_cast<double>(unseen) / n);
  return s;
}

nlohmann::json NgramModel::ToJson() const {
  // Sparse counts keyed by the n-gram text: readable, and only the n-grams seen are stored.
  nlohmann::json bigrams = nlohmann::json::object(), trigrams = nlohmann::json::object();
  for (int i = 0; i < kS * kS; ++i) {
    if (!bigram_counts_[i]) continue;
    int syms[2] = {i / kS, i % kS};
    bigrams[Key(syms, 2)] = bigram_counts_[i];
  }
  for (int i = 0; i < kS * kS * kS; ++i) {
    if (!trigram_counts_[i]) continue;
    int syms[3] = {i / (kS * kS), (i / kS) % kS, i % kS};
    trigrams[Key(syms, 3)] = trigram_counts_[i];
  }
  return {{"smoothing", kSmoothing},
          {"bigrams", std::move(bigrams)},
          {"trigrams", std::move(trigrams)}};
}

Expected<NgramModel> NgramModel::FromJson(const nlohmann::json& j, const std::string& context) {
  NgramModel m;
  if (!j.is_object() || !j.contains("bigrams") || !j.contains("trigrams") ||
      !j["bigrams"].is_object() || !j["trigrams"].is_object()) {
    return MakeError(ErrorCode::kCorrupt,
                     "language_model must be an object with \"bigrams\" and \"trigrams\" objects",
                     context);
  }
  for (int n : {2, 3}) {
    const nlohmann::json& table = j[n == 2 ? "bigrams" : "trigrams"];
    std::vector<uint32_t>& counts = n == 2 ? m.bigram_counts_ : m.trigram_counts_;
    for (auto it = table.begin(); it != table.end(); ++it) {
      const std::string& key = it.key();
      if (static_cast<int>(key.size()) != n || !it.value().is_number_unsigned()) {
        return MakeError(ErrorCode::kCorrupt,
                         fmt::format("language_model {}-gram entry \"{}\" is not a {}-character "
                                     "key with a count",
                                     n, key, n),
                         context);
      }
      int index = 0;
      for (char c : key) index = index * kS + CharSymbol(c);
      counts[index] = it.value().get<uint32_t>();
    }
  }
  m.BuildTables();
  return m;
}

}  // namespace mamori::domain::dga
