// Permutations of a domain name: the look-alike names a typosquatter would register.
//
// GeneratePermutations() runs the fuzzers of dnstwist (Debian 0~20221213) over the registrable
// label of a name (the part left of the public suffix, "paypal" in "www.paypal.co.uk") and puts
// the subdomain and suffix back. Every fuzzer's output contains dnstwist's for the same input
// and lists (checked by oracle_test.cc against the installed dnstwist); where ours produces more,
// permutations.cc says so next to the fuzzer. "plural" is not in that dnstwist release: ours
// appends plural endings. The original name can appear among the results (dnstwist does the
// same for homoglyph and vowel-swap); callers that index squats must drop it.
//
// Pure functions; safe to call from any thread.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mamori::domain {

// Every fuzzer name, in dnstwist's spelling.
inline constexpr std::array<std::string_view, 16> kFuzzers = {
    "addition",   "bitsquatting", "cyrillic",   "homoglyph",   "hyphenation", "insertion",
    "omission",   "plural",       "repetition", "replacement", "subdomain",   "transposition",
    "vowel-swap", "dictionary",   "tld-swap",   "various"};

// Returns the entry of kFuzzers equal to `name` (a view that lives forever), or "" if unknown.
std::string_view FuzzerName(std::string_view name);

struct Permutation {
  std::string domain;       // full name, in the form the options ask for
  std::string_view fuzzer;  // an entry of kFuzzers
};

// Word and TLD lists for the dictionary and tld-swap fuzzers (typosquat/lists.h loads them).
struct FuzzerLists {
  std::vector<std::string> words;  // "login", "secure"; non-alphanumeric entries are ignored
  std::vector<std::string> tlds;   // "net", "co.uk"; the name's own suffix is skipped
};

struct PermutationOptions {
  // Fuzzers to run (names from kFuzzers); empty runs all of them.
  std::vector<std::string_view> fuzzers;
  // true: names as DNS carries them (A-labels, "xn--..."), and names that are not valid IDNA
  // are dropped, as dnstwist does. false: Unicode labels (UTF-8) without the IDNA conversion,
  // which is what the detector indexes (cheaper; invalid names simply never match).
  bool a_labels = true;
  // false leaves out non-ASCII homoglyphs. The detector does this: it folds a candidate's
  // non-ASCII lookalikes back to ASCII before its lookup, which covers every mix of them without
  // storing the millions of combinations (see detector.cc).
  bool unicode_homoglyphs = true;
};

// Permutations of `name` (a host name; Unicode or A-label), unique per (fuzzer, domain).
// Errors: `name` is not a valid domain name.
Expected<std::vector<Permutation>> GeneratePermutations(std::string_view name,
                                                        const FuzzerLists& lists,
                                                        const PermutationOptions& options = {});

// How GeneratePermutations() splits a name: "www.paypal.co.uk" -> {"www", "paypal", "co.uk"}.
// The suffix is the public suffix (PSL); when the name is itself a public suffix of the PSL's
// private section ("blogspot.com") the last label is taken as the suffix, so such brands still
// have a label to permute. Labels are Unicode (UTF-8).
struct NameParts {
  std::string subdomain;
  std::string label;
  std::string suffix;
};
Expected<NameParts> SplitName(std::string_view name);

}  // namespace mamori::domain
