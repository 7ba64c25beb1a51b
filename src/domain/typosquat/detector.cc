#include "domain/typosquat/detector.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "domain/typosquat/distance.h"
#include "domain/typosquat/internal/deletion_index.h"
#include "domain/typosquat/internal/tables.h"
#include "core/utf8.h"
#include "domain/typosquat/skeleton.h"

namespace mamori::domain {

namespace {

// Heterogeneous lookup, so a candidate's labels are looked up as string_views without copies.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// Combo-squats with an arbitrary extra word are accepted only for brand labels at least this
// long: a short label ("bing", "qq") is part of too many unrelated names.
constexpr size_t kComboMinBrandLength = 3;

// Brands with a label this short keep only the lookalike fuzzers in the exact index: one edit
// away from "bbc" or "nba" lies another real three-letter site ("nbc", "mba"), so edits of
// short names say nothing about intent, while a homoglyph or a combo-squat still does.
constexpr size_t kShortLabel = 4;
bool EditFuzzer(std::string_view f) {
  return f == "addition" || f == "bitsquatting" || f == "insertion" || f == "omission" ||
         f == "repetition" || f == "replacement" || f == "transposition" || f == "vowel-swap" ||
         f == "homoglyph" || f == "subdomain" || f == "plural";
}

struct Brand {
  std::string domain;    // registrable domain, A-label form
  std::string label;     // Unicode
  std::string suffix;    // Unicode
  std::string skeleton;  // ConfusableSkeleton(label)
};

struct ExactHit {
  uint32_t brand;
  std::string_view fuzzer;
};

// The labels of a name as views into it, without a heap allocation for names of up to 16
// labels (nearly all): Match() splits two forms of every candidate.
class LabelList {
 public:
  explicit LabelList(std::string_view name) {
    for (size_t start = 0;;) {
      size_t dot = name.find('.', start);
      Push(name.substr(start, dot == std::string_view::npos ? dot : dot - start));
      if (dot == std::string_view::npos) return;
      start = dot + 1;
    }
  }
  size_t size() const { return size_; }
  std::string_view operator[](size_t i) const {
    return size_ <= kInline ? inline_[i] : heap_[i];
  }

 private:
  static constexpr size_t kInline = 16;
  void Push(std::string_view label) {
    if (size_ < kInline) {
      inline_[size_] = label;
    } else {
      if (heap_.empty()) heap_.assign(inline_.begin(), inline_.end());
      heap_.push_back(label);
    }
    ++size_;
  }
  std::array<std::string_view, kInline> inline_;
  std::vector<std::string_view> heap_;
  size_t size_ = 0;
};

// Every string made from `s` by deleting up to `k` bytes (s itself included). Two strings are
// within edit distance k only if such neighbourhoods of both meet, so indexing the brands'
// neighbourhoods finds every brand near a candidate without comparing against all of them.
void Deletions(const std::string& s, int k, StringSet& out) {
  if (!out.insert(s).second || k == 0) return;
  for (size_t i = 0; i < s.size(); ++i) {
    std::string shorter = s.substr(0, i) + s.substr(i + 1);
    Deletions(shorter, k - 1, out);
  }
}

void AddUnique(std::vector<uint32_t>& v, uint32_t id) {
  if (std::find(v.begin(), v.end(), id) == v.end()) v.push_back(id);
}

}  // namespace

int MaxSkeletonDistance(size_t length) {
  if (length <= 6) return 0;
  if (length <= 10) return 1;
  return 2;
}

struct TyposquatDetector::Index {
  std::vector<Brand> brands;
  StringMap<uint32_t> owners;                  // brand domain (A-label) -> brand
  StringMap<ExactHit> exact;                   // permutation (Unicode) -> brand, fuzzer
  StringMap<std::vector<uint32_t>> skeletons;  // brand skeleton -> brands
  internal::DeletionIndex deletions;           // deletion neighbourhood -> brands
  StringSet words;
  // The lengths of the words (256: any longer one), so the combo stage hashes only the splits
  // of a label that could be a word.
  std::bitset<257> word_lengths;
  bool IsWord(std::string_view s) const {
    return word_lengths[std::min<size_t>(s.size(), 256)] && words.count(s) != 0;
  }

  // `reg` is name.RegisteredDomain(), "" when there is none.
  std::optional<TyposquatMatch> Match(const DomainName& name, std::string_view reg) const;

 private:
  TyposquatMatch Make(uint32_t brand, std::string technique, std::string_view label) const {
    const Brand& b = brands[brand];
    int d = BoundedDamerauLevenshtein(ConfusableSkeleton(label), b.skeleton, 63);
    return {b.domain, std::move(technique), d};
  }
  std::optional<TyposquatMatch> MatchFolded(std::string_view label, std::string_view suffix) const;
  std::optional<TyposquatMatch> MatchSkeleton(std::string_view label,
                                              std::string_view suffix) const;
  std::optional<TyposquatMatch> MatchCombo(std::string_view label) const;
};

Expected<TyposquatDetector> TyposquatDetector::Build(const std::vector<std::string>& brands,
                                                     const FuzzerLists& lists) {
  auto index = std::make_unique<Index>();
  StringSet owner_unicode;
  for (const std::string& text : brands) {
    auto parts = SplitName(text);
    if (!parts) return tl::unexpected(parts.error().WithContext("brand list"));
    std::string unicode = parts->label + "." + parts->suffix;
    MAMORI_ASSIGN_OR_RETURN(DomainName reg, DomainName::Parse(unicode));
    auto id = static_cast<uint32_t>(index->brands.size());
    if (!index->owners.emplace(reg.name(), id).second) continue;  // listed twice
    owner_unicode.insert(unicode);
    index->brands.push_back(
        {reg.name(), parts->label, parts->suffix, ConfusableSkeleton(parts->label)});
  }
  if (index->brands.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the typosquat detector needs at least one brand");
  }
  for (const std::string& w : lists.words) {
    index->words.insert(w);
    index->word_lengths.set(std::min<size_t>(w.size(), 256));
  }

  PermutationOptions options;
  options.a_labels = false;
  options.unicode_homoglyphs = false;
  for (uint32_t id = 0; id < index->brands.size(); ++id) {
    const Brand& b = index->brands[id];
    MAMORI_ASSIGN_OR_RETURN(auto perms,
                            GeneratePermutations(b.label + "." + b.suffix, lists, options));
    const bool short_label = DecodeUtf8(b.label).size() <= kShortLabel;
    for (Permutation& p : perms) {
      if (short_label && EditFuzzer(p.fuzzer)) continue;
      // Another brand's own name is never a squat; the first brand to claim a name keeps it.
      if (owner_unicode.count(p.domain)) continue;
      index->exact.emplace(std::move(p.domain), ExactHit{id, p.fuzzer});
    }
    AddUnique(index->skeletons[b.skeleton], id);
    StringSet neighbourhood;
    Deletions(b.skeleton, MaxSkeletonDistance(b.skeleton.size()), neighbourhood);
    for (const std::string& d : neighbourhood) index->deletions.Add(d, id);
  }
  index->deletions.Finish();
  return TyposquatDetector(std::move(index));
}

std::optional<TyposquatMatch> TyposquatDetector::Index::Match(const DomainName& name,
                                                              std::string_view reg) const {
  const std::string& ascii = name.name();
  // 1. owner: the name or any parent is a brand's own domain.
  for (std::string_view n = ascii;;) {
    if (owners.count(n)) return std::nullopt;
    size_t dot = n.find('.');
    if (dot == std::string_view::npos) break;
    n.remove_prefix(dot + 1);
  }
  if (reg.empty()) return std::nullopt;  // a public suffix itself
  const size_t reg_labels = std::count(reg.begin(), reg.end(), '.') + 1;

  // Unicode form only when there is punycode to decode (the common ASCII case skips libidn2
  // and the copy).
  std::string decoded;
  if (ascii.find("xn--") != std::string::npos) decoded = name.ToUnicode();
  const std::string_view unicode = decoded.empty() ? std::string_view(ascii) : decoded;
  const LabelList labels(unicode);
  if (labels.size() < reg_labels) return std::nullopt;
  const size_t label_index = labels.size() - reg_labels;
  const std::string_view label = labels[label_index];
  const std::string_view registrable = unicode.substr(label.data() - unicode.data());
  const std::string_view suffix = registrable.substr(label.size() + 1);

  // 2. exact: the name or a parent down to the registrable domain is a permutation (parents
  // matter for the subdomain fuzzer: "pay.pal.com" is a host under "pal.com").
  for (size_t i = 0; i <= label_index; ++i) {
    std::string_view n = unicode.substr(labels[i].data() - unicode.data());
    if (auto it = exact.find(n); it != exact.end()) {
      return Make(it->second.brand, std::string(it->second.fuzzer), label);
    }
  }
  if (!IsAscii(label)) {
    if (auto m = MatchFolded(label, suffix)) return m;
  }

  // 3. brand-as-subdomain: "paypal.com.evil.net", "login.paypal.co.uk.evil.net".
  const LabelList ascii_labels(ascii);
  const size_t sub_count = ascii_labels.size() - reg_labels;
  for (size_t i = 0; i + 1 < sub_count; ++i) {
    for (size_t len = 2; len <= 3 && i + len <= sub_count; ++len) {
      size_t begin = ascii_labels[i].data() - ascii.data();
      size_t end =
          ascii_labels[i + len - 1].data() - ascii.data() + ascii_labels[i + len - 1].size();
      if (auto it = owners.find(std::string_view(ascii).substr(begin, end - begin));
          it != owners.end()) {
        return TyposquatMatch{brands[it->second].domain, "brand-subdomain", 0};
      }
    }
  }

  // 4. skeleton distance, 5. combo-squat.
  if (auto m = MatchSkeleton(label, suffix)) return m;
  return MatchCombo(label);
}

// A label with non-ASCII lookalikes: fold each to the ASCII letter it imitates and look the
// result up as a brand or a permutation. This covers every homoglyph mix dnstwist makes (a
// mix folds back to the brand or to one of its ASCII-homoglyph permutations, which the index
// holds) and the whole-script Cyrillic names.
std::optional<TyposquatMatch> TyposquatDetector::Index::MatchFolded(std::string_view label,
                                                                    std::string_view suffix) const {
  std::string folded;
  bool all_cyrillic = true;
  for (char32_t c : DecodeUtf8(label)) {
    if (c < 0x80) {
      folded.push_back(static_cast<char>(c));
      continue;
    }
    char32_t ascii = internal::FoldConfusable(c);
    if (ascii == 0) return std::nullopt;  // not a lookalike: leave it to the skeleton stage
    if (internal::LatinToCyrillic(ascii) != c) all_cyrillic = false;
    folded.push_back(static_cast<char>(ascii));
  }
  const std::string technique = all_cyrillic ? "cyrillic" : "homoglyph";
  std::string key = folded + "." + std::string(suffix);
  if (auto it = owners.find(key); it != owners.end()) return Make(it->second, technique, label);
  if (auto it = exact.find(key); it != exact.end()) {
    std::string t = technique;
    if (it->second.fuzzer != "homoglyph") t += "+" + std::string(it->second.fuzzer);
    return Make(it->second.brand, t, label);
  }
  return std::nullopt;
}

std::optional<TyposquatMatch> TyposquatDetector::Index::MatchSkeleton(
    std::string_view label, std::string_view suffix) const {
  const std::string s = ConfusableSkeleton(label);
  if (auto it = skeletons.find(s); it != skeletons.end()) {
    for (uint32_t id : it->second) {
      const Brand& b = brands[id];
      // The brand's own label under a suffix outside the TLD list: most such names belong to
      // the brand (whatsapp.net, adobe.io), so only the listed TLDs count (exact stage).
      if (label == b.label) continue;
      return TyposquatMatch{b.domain, suffix == b.suffix ? "homoglyph" : "homoglyph+tld-swap", 0};
    }
  }
  // Brands accept edits only from 7 skeleton characters on (MaxSkeletonDistance), so
  // candidates shorter than 6 cannot be near any of them.
  if (s.size() < 6) return std::nullopt;
  const int k = s.size() >= 9 ? 2 : 1;
  // The brands whose neighbourhood meets the candidate's, each checked once; the nearest wins.
  std::array<uint32_t, 32> seen_inline;
  std::vector<uint32_t> seen_more;
  size_t seen = 0;
  auto first_time = [&](uint32_t id) {
    const size_t in_array = std::min(seen, seen_inline.size());
    if (std::find(seen_inline.begin(), seen_inline.begin() + in_array, id) !=
            seen_inline.begin() + in_array ||
        std::find(seen_more.begin(), seen_more.end(), id) != seen_more.end()) {
      return false;
    }
    if (seen < seen_inline.size()) seen_inline[seen] = id;
    else seen_more.push_back(id);
    ++seen;
    return true;
  };
  int best_distance = 0;
  uint32_t best_id = 0;
  internal::ForEachDeletionHash(s, k, [&](uint64_t hash) {
    for (uint32_t id : deletions.Find(hash)) {
      if (!first_time(id)) continue;
      const Brand& b = brands[id];
      int bound = MaxSkeletonDistance(b.skeleton.size());
      int dist = BoundedDamerauLevenshtein(s, b.skeleton, bound);
      // Distance 0 was the exact-skeleton case above (same label under another TLD: skipped).
      if (dist == 0 || dist > bound) continue;
      // Equally near brands (a few names in 100,000): the one listed first — the more popular
      // in a ranked list — whatever order the hashes were visited in.
      if (best_distance == 0 || dist < best_distance || (dist == best_distance && id < best_id)) {
        best_distance = dist;
        best_id = id;
      }
    }
  });
  if (best_distance == 0) return std::nullopt;
  return TyposquatMatch{brands[best_id].domain, "edit-distance", best_distance};
}

std::optional<TyposquatMatch> TyposquatDetector::Index::MatchCombo(std::string_view label) const {
  auto brand_of = [&](std::string_view part) -> const std::vector<uint32_t>* {
    auto it = skeletons.find(ConfusableSkeleton(part));
    return it == skeletons.end() ? nullptr : &it->second;
  };
  // Hyphenated: one part is the brand ("paypal-login", "secure-paypal-verify").
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t dash = label.find('-', start);
    parts.push_back(label.substr(start, dash == std::string_view::npos ? dash : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  if (parts.size() > 1) {
    for (size_t i = 0; i < parts.size(); ++i) {
      const auto* ids = brand_of(parts[i]);
      if (ids == nullptr) continue;
      const Brand& b = brands[ids->front()];
      bool others_are_words = true;
      for (size_t j = 0; j < parts.size(); ++j) {
        if (j != i && !IsWord(parts[j])) others_are_words = false;
      }
      // Only listed words: brands run their own hyphenated names (google-analytics,
      // youtube-nocookie), so an arbitrary second word says too little.
      if (b.skeleton.size() >= kComboMinBrandLength && others_are_words) {
        return TyposquatMatch{b.domain, "combo-squat", 0};
      }
    }
  }
  // Joined: brand then word or word then brand ("paypallogin", "securepaypal"), only with words
  // from the list, since a brand inside a longer word is usually a different name.
  for (size_t i = 1; i < label.size(); ++i) {
    std::string_view left = label.substr(0, i);
    std::string_view right = label.substr(i);
    if (IsWord(right)) {
      if (const auto* ids = brand_of(left);
          ids && brands[ids->front()].skeleton.size() >= kComboMinBrandLength) {
        return TyposquatMatch{brands[ids->front()].domain, "combo-squat", 0};
      }
    }
    if (IsWord(left)) {
      if (const auto* ids = brand_of(right);
          ids && brands[ids->front()].skeleton.size() >= kComboMinBrandLength) {
        return TyposquatMatch{brands[ids->front()].domain, "combo-squat", 0};
      }
    }
  }
  return std::nullopt;
}

TyposquatDetector::TyposquatDetector(std::unique_ptr<const Index> index)
    : index_(std::move(index)) {}
TyposquatDetector::TyposquatDetector(TyposquatDetector&&) noexcept = default;
TyposquatDetector& TyposquatDetector::operator=(TyposquatDetector&&) noexcept = default;
TyposquatDetector::~TyposquatDetector() = default;

std::optional<TyposquatMatch> TyposquatDetector::Match(const DomainName& name) const {
  return index_->Match(name, name.RegisteredDomain().value_or(""));
}

std::optional<TyposquatMatch> TyposquatDetector::Match(const DomainName& name,
                                                       std::string_view registered_domain) const {
  return index_->Match(name, registered_domain);
}

Expected<std::optional<TyposquatMatch>> TyposquatDetector::Match(std::string_view text) const {
  MAMORI_ASSIGN_OR_RETURN(DomainName name, DomainName::Parse(text));
  return Match(name);
}

size_t TyposquatDetector::brand_count() const { return index_->brands.size(); }
size_t TyposquatDetector::indexed_permutations() const { return index_->exact.size(); }

}  // namespace mamori::domain
