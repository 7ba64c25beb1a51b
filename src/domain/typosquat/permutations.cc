#include "domain/typosquat/permutations.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <unordered_set>

#include "core/domain_name.h"
#include "domain/typosquat/internal/tables.h"
#include "core/utf8.h"

namespace mamori::domain {

namespace {

using Label = std::u32string;
using Emit = std::function<void(const Label&)>;

constexpr std::u32string_view kVowels = U"aeiou";

bool IsLdh(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

void Addition(const Label& d, const Emit& emit) {
  for (char32_t c : std::u32string_view(U"0123456789abcdefghijklmnopqrstuvwxyz")) emit(d + c);
}

// Memory bit flips: each character with one of its eight low bits flipped, kept when the result
// is still a valid host-name character.
void Bitsquatting(const Label& d, const Emit& emit) {
  for (size_t i = 0; i < d.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      char32_t flipped = d[i] ^ (char32_t{1} << bit);
      if (!IsLdh(flipped)) continue;
      Label p = d;
      p[i] = flipped;
      emit(p);
    }
  }
}

// dnstwist makes one whole-script Cyrillic name, and only when every character has a Cyrillic
// twin. We also make the mixed-script names with one letter replaced, which are the more common
// attack (the whole-script name is refused by many registries and browsers).
void Cyrillic(const Label& d, const Emit& emit) {
  Label whole = d;
  bool complete = true;
  for (size_t i = 0; i < d.size(); ++i) {
    char32_t c = internal::LatinToCyrillic(d[i]);
    if (c == 0) {
      complete = false;
      continue;
    }
    whole[i] = c;
    Label one = d;
    one[i] = c;
    emit(one);
  }
  if (complete && !d.empty()) emit(whole);
}

// Every window of the label with all occurrences of one of its characters replaced by a
// lookalike, applied twice (so two different lookalikes can combine), as dnstwist does.
void Homoglyph(const Label& d, bool unicode, const Emit& emit) {
  auto mix = [unicode](const Label& s, std::unordered_set<Label>& out) {
    for (size_t w = 1; w < s.size(); ++w) {
      for (size_t i = 0; i + w <= s.size(); ++i) {
        Label seen;
        for (size_t k = i; k < i + w; ++k) {
          char32_t c = s[k];
          if (seen.find(c) != Label::npos) continue;
          seen.push_back(c);
          for (const Label& g : internal::Homoglyphs(c, !unicode)) {
            Label p = s.substr(0, i);
            for (size_t j = i; j < i + w; ++j) {
              if (s[j] == c) {
                p += g;
              } else {
                p.push_back(s[j]);
              }
            }
            p.append(s, i + w);
            out.insert(std::move(p));
          }
        }
      }
    }
  };
  std::unordered_set<Label> first;
  mix(d, first);
  std::unordered_set<Label> second;
  for (const Label& p : first) mix(p, second);
  for (const Label& p : first) emit(p);
  for (const Label& p : second) emit(p);
}

void Hyphenation(const Label& d, const Emit& emit) {
  for (size_t i = 1; i < d.size(); ++i) emit(d.substr(0, i) + U'-' + d.substr(i));
}

// A neighbouring key pressed together with the intended one, before or after it. Like dnstwist,
// not at the first or last character.
void Insertion(const Label& d, const Emit& emit) {
  for (size_t i = 1; i + 1 < d.size(); ++i) {
    for (const Label& keys : internal::KeyboardNeighbours(d[i])) {
      for (char32_t k : keys) {
        emit(d.substr(0, i) + k + d.substr(i));
        emit(d.substr(0, i + 1) + k + d.substr(i + 1));
      }
    }
  }
}

void Omission(const Label& d, const Emit& emit) {
  for (size_t i = 0; i < d.size(); ++i) emit(d.substr(0, i) + d.substr(i + 1));
}

// Plural endings (newer dnstwist releases have this fuzzer; the Debian one does not): "s", and
// "es" after s/x/z/ch/sh, as a brand name written in the plural.
void Plural(const Label& d, const Emit& emit) {
  if (d.empty()) return;
  emit(d + U's');
  std::u32string_view v(d);
  if (v.ends_with(U's') || v.ends_with(U'x') || v.ends_with(U'z') || v.ends_with(U"ch") ||
      v.ends_with(U"sh")) {
    emit(d + U"es");
  }
}

void Repetition(const Label& d, const Emit& emit) {
  for (size_t i = 0; i < d.size(); ++i) emit(d.substr(0, i + 1) + d.substr(i));
}

void Replacement(const Label& d, const Emit& emit) {
  for (size_t i = 0; i < d.size(); ++i) {
    for (const Label& keys : internal::KeyboardNeighbours(d[i])) {
      for (char32_t k : keys) {
        Label p = d;
        p[i] = k;
        emit(p);
      }
    }
  }
}

// A dot inside the label, so the squat is a host under a shorter registrable name.
void Subdomain(const Label& d, const Emit& emit) {
  for (size_t i = 1; i + 1 < d.size(); ++i) {
    if (d[i] == '-' || d[i] == '.' || d[i - 1] == '-' || d[i - 1] == '.') continue;
    emit(d.substr(0, i) + U'.' + d.substr(i));
  }
}

void Transposition(const Label& d, const Emit& emit) {
  for (size_t i = 0; i + 1 < d.size(); ++i) {
    Label p = d;
    std::swap(p[i], p[i + 1]);
    emit(p);
  }
}

void VowelSwap(const Label& d, const Emit& emit) {
  for (size_t i = 0; i < d.size(); ++i) {
    if (kVowels.find(d[i]) == std::u32string_view::npos) continue;
    for (char32_t v : kVowels) {
      Label p = d;
      p[i] = v;
      emit(p);
    }
  }
}

bool IsAlnumWord(std::string_view w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

// Combo-squats: a word before or after the label, with or without a hyphen; for a hyphenated
// label, also its first or last part replaced by the word.
void Dictionary(const Label& d, const std::vector<std::string>& words, const Emit& emit) {
  std::vector<Label> parts;
  for (size_t start = 0;;) {
    size_t dash = d.find(U'-', start);
    parts.push_back(d.substr(start, dash == Label::npos ? Label::npos : dash - start));
    if (dash == Label::npos) break;
    start = dash + 1;
  }
  for (const std::string& w : words) {
    if (!IsAlnumWord(w)) continue;
    Label word(w.begin(), w.end());
    // dnstwist skips a word that both starts and ends the label (the label is the word).
    std::u32string_view dv(d);
    if (!(dv.starts_with(word) && dv.ends_with(word))) {
      emit(d + U'-' + word);
      emit(d + word);
      emit(word + U'-' + d);
      emit(word + d);
    }
    if (parts.size() > 1) {
      Label head, tail;
      for (size_t i = 0; i + 1 < parts.size(); ++i) head += parts[i] + U'-';
      for (size_t i = 1; i < parts.size(); ++i) tail += U'-' + parts[i];
      emit(head + word);
      emit(word + tail);
    }
  }
}

// A label is valid host-name material when it is non-empty, at most 63 octets and neither
// starts nor ends with a hyphen (the checks dnstwist's FQDN pattern makes).
bool ValidLabels(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string_view label = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool TldAllowed(std::string_view tld) {
  // The same shape dnstwist accepts for its --tld file: one or two labels of 2..63 LDH octets.
  int labels = 0;
  size_t start = 0;
  while (true) {
    size_t dot = tld.find('.', start);
    std::string_view l = tld.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (l.size() < 2 || l.size() > 63) return false;
    for (char c : l) {
      if (!IsLdh(static_cast<unsigned char>(c))) return false;
    }
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels <= 2;
}

std::string Join(std::string_view a, std::string_view b, std::string_view c) {
  std::string out;
  for (std::string_view part : {a, b, c}) {
    if (part.empty()) continue;
    if (!out.empty()) out.push_back('.');
    out.append(part);
  }
  return out;
}

}  // namespace

std::string_view FuzzerName(std::string_view name) {
  for (std::string_view f : kFuzzers) {
    if (f == name) return f;
  }
  return {};
}

Expected<NameParts> SplitName(std::string_view name) {
  MAMORI_ASSIGN_OR_RETURN(DomainName parsed, DomainName::Parse(name));
  const std::string& ascii = parsed.name();
  size_t suffix_labels = 1;
  if (auto reg = parsed.RegisteredDomain()) {
    suffix_labels = std::count(reg->begin(), reg->end(), '.');
  }
  // The Unicode form has the same labels as the A-label form, one for one.
  std::string unicode = parsed.ToUnicode();
  std::vector<std::string_view> labels;
  for (size_t start = 0;;) {
    size_t dot = unicode.find('.', start);
    labels.push_back(
        std::string_view(unicode).substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (labels.size() <= suffix_labels) {
    return MakeError(ErrorCode::kInvalidArgument, "name has no label left of its public suffix",
                     ascii);
  }
  NameParts parts;
  size_t label_index = labels.size() - suffix_labels - 1;
  for (size_t i = 0; i < labels.size(); ++i) {
    std::string& target = i < label_index    ? parts.subdomain
                          : i == label_index ? parts.label
                                             : parts.suffix;
    if (!target.empty()) target.push_back('.');
    target.append(labels[i]);
  }
  return parts;
}

Expected<std::vector<Permutation>> GeneratePermutations(std::string_view name,
                                                        const FuzzerLists& lists,
                                                        const PermutationOptions& options) {
  MAMORI_ASSIGN_OR_RETURN(NameParts parts, SplitName(name));
  for (std::string_view f : options.fuzzers) {
    if (FuzzerName(f).empty()) {
      return MakeError(ErrorCode::kInvalidArgument, fmt::format("unknown fuzzer '{}' (known: {})",
                                                                f, fmt::join(kFuzzers, ", ")));
    }
  }
  auto wanted = [&](std::string_view f) {
    return options.fuzzers.empty() ||
           std::find(options.fuzzers.begin(), options.fuzzers.end(), f) != options.fuzzers.end();
  };

  std::vector<Permutation> out;
  std::unordered_set<std::string> seen;  // per fuzzer; cleared between fuzzers
  auto add_domain = [&](std::string_view fuzzer, std::string domain) {
    if (!ValidLabels(domain)) return;
    if (options.a_labels && !IsAscii(domain)) {
      auto parsed = DomainName::Parse(domain);
      if (!parsed) return;  // not valid IDNA: nobody can register it
      domain = parsed->name();
    }
    if (seen.insert(domain).second) out.push_back({std::move(domain), FuzzerName(fuzzer)});
  };

  const Label label = DecodeUtf8(parts.label);
  auto run_label_fuzzer = [&](std::string_view fuzzer, auto&& body) {
    if (!wanted(fuzzer)) return;
    seen.clear();
    body([&](const Label& p) {
      add_domain(fuzzer, Join(parts.subdomain, EncodeUtf8(p), parts.suffix));
    });
  };
  run_label_fuzzer("addition", [&](const Emit& e) { Addition(label, e); });
  run_label_fuzzer("bitsquatting", [&](const Emit& e) { Bitsquatting(label, e); });
  run_label_fuzzer("cyrillic", [&](const Emit& e) { Cyrillic(label, e); });
  run_label_fuzzer("homoglyph",
                   [&](const Emit& e) { Homoglyph(label, options.unicode_homoglyphs, e); });
  run_label_fuzzer("hyphenation", [&](const Emit& e) { Hyphenation(label, e); });
  run_label_fuzzer("insertion", [&](const Emit& e) { Insertion(label, e); });
  run_label_fuzzer("omission", [&](const Emit& e) { Omission(label, e); });
  run_label_fuzzer("plural", [&](const Emit& e) { Plural(label, e); });
  run_label_fuzzer("repetition", [&](const Emit& e) { Repetition(label, e); });
  run_label_fuzzer("replacement", [&](const Emit& e) { Replacement(label, e); });
  run_label_fuzzer("subdomain", [&](const Emit& e) { Subdomain(label, e); });
  run_label_fuzzer("transposition", [&](const Emit& e) { Transposition(label, e); });
  run_label_fuzzer("vowel-swap", [&](const Emit& e) { VowelSwap(label, e); });
  run_label_fuzzer("dictionary", [&](const Emit& e) { Dictionary(label, lists.words, e); });

  if (wanted("tld-swap")) {
    seen.clear();
    for (const std::string& tld : lists.tlds) {
      if (tld == parts.suffix || !TldAllowed(tld)) continue;
      add_domain("tld-swap", Join(parts.subdomain, parts.label, tld));
    }
  }
  if (wanted("various")) {
    seen.clear();
    const std::string& sub = parts.subdomain;
    const std::string& dom = parts.label;
    const std::string& tld = parts.suffix;
    const bool dotted = tld.find('.') != std::string::npos;
    if (dotted) {
      add_domain("various", Join(sub, dom, tld.substr(tld.rfind('.') + 1)));  // paypal.uk
      add_domain("various", Join(sub, dom + tld, ""));                        // paypalco.uk
    } else {
      add_domain("various", Join(sub, dom + tld, tld));  // paypalcom.com
    }
    // dnstwist adds "<label>-<tld>.com" for other single-label TLDs; we add it for .com too
    // ("paypal-com.com"), which squatters use as well.
    if (!dotted) add_domain("various", Join(sub, dom + "-" + tld, "com"));
    if (!sub.empty()) {
      std::string flat = sub;
      std::erase(flat, '.');
      std::string dashed = sub;
      std::replace(dashed.begin(), dashed.end(), '.', '-');
      add_domain("various", Join(sub + dom, tld, ""));
      add_domain("various", Join(flat + dom, tld, ""));
      add_domain("various", Join(sub + "-" + dom, tld, ""));
      add_domain("various", Join(dashed + "-" + dom, tld, ""));
    }
  }
  return out;
}

}  // namespace mamori::domain
