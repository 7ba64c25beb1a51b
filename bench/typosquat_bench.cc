// Issue 6's typosquat figures (bench/typosquat_figures.sh runs this with dnstwist's output):
//   recall       share of dnstwist's permutations of held-out brands that Match() flags
//                (and the share attributed to the right brand);
//   false rate   share of a benign list (brands removed) that Match() flags;
//   throughput   Match() calls per second on one core over the benign list, parse included;
//   generation   our permutation generation for the held-out brands, to compare with
//                dnstwist's wall time measured by the script.
// Usage: typosquat_bench BRANDS LISTS_DIR HELDOUT PERMS BENIGN
//   BRANDS     shipped brand list (data/brands/top-sites.txt)
//   LISTS_DIR  data/typosquat (words.txt, tlds.txt)
//   HELDOUT    the held-out brands, one per line (added to the detector)
//   PERMS      "brand<TAB>permutation" lines from dnstwist
//   BENIGN     benign names, one per line (tranco top 100k)
// Prints a Markdown table; with TYPOSQUAT_DUMP=1 also the misses and false matches.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/domain_name.h"
#include "domain/typosquat/detector.h"
#include "domain/typosquat/lists.h"
#include "domain/typosquat/permutations.h"

namespace {

using namespace mamori;
using namespace mamori::domain;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

int Fail(const std::string& what) {
  fmt::print(stderr, "typosquat_bench: {}\n", what);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) return Fail("usage: typosquat_bench BRANDS LISTS_DIR HELDOUT PERMS BENIGN");
  const bool dump = std::getenv("TYPOSQUAT_DUMP") != nullptr;
  auto brands = LoadList(argv[1]);
  auto lists = LoadFuzzerLists(argv[2]);
  auto heldout = LoadList(argv[3]);
  if (!brands || !lists || !heldout) return Fail("cannot read the brand, word or TLD lists");
  std::vector<std::string> all = *brands;
  all.insert(all.end(), heldout->begin(), heldout->end());

  auto start = Clock::now();
  auto detector = TyposquatDetector::Build(all, *lists);
  if (!detector) return Fail(detector.error().ToString());
  const double build_s = Seconds(start);

  // Registrable domains of every brand: a permutation equal to one is a real brand, not a squat.
  std::unordered_set<std::string> owned;
  for (const auto& b : all) {
    if (auto n = DomainName::Parse(b)) owned.insert(n->RegisteredDomain().value_or(n->name()));
  }

  // Recall over dnstwist's permutations.
  std::ifstream perms(argv[4]);
  std::string line;
  size_t total = 0, found = 0, right_brand = 0, skipped = 0;
  std::map<std::string, std::pair<size_t, size_t>> by_fuzzer;  // fuzzer -> (total, found)
  while (std::getline(perms, line)) {
    auto tab1 = line.find('\t');
    auto tab2 = line.find('\t', tab1 + 1);
    if (tab1 == std::string::npos || tab2 == std::string::npos) continue;
    std::string brand = line.substr(0, tab1);
    std::string fuzzer = line.substr(tab1 + 1, tab2 - tab1 - 1);
    std::string domain = line.substr(tab2 + 1);
    auto name = DomainName::Parse(domain);
    // The brand itself (homoglyph, vowel-swap) and other brands' own names are not squats.
    if (!name || owned.count(name->RegisteredDomain().value_or(name->name()))) {
      ++skipped;
      continue;
    }
    ++total;
    auto& f = by_fuzzer[fuzzer];
    ++f.first;
    auto m = detector->Match(*name);
    if (m) {
      ++found;
      ++f.second;
      if (m->brand == brand) ++right_brand;
    } else if (dump) {
      fmt::print("MISS\t{}\t{}\t{}\n", brand, fuzzer, domain);
    }
  }

  // False matches and throughput over the benign list.
  auto benign = LoadList(argv[5]);
  if (!benign) return Fail(benign.error().ToString());
  std::vector<DomainName> names;
  names.reserve(benign->size());
  for (const auto& b : *benign) {
    auto n = DomainName::Parse(b);
    if (!n || owned.count(n->RegisteredDomain().value_or(n->name()))) continue;
    names.push_back(std::move(*n));
  }
  size_t false_matches = 0;
  std::map<std::string, size_t> false_by_technique;
  for (const auto& n : names) {
    if (auto m = detector->Match(n)) {
      ++false_matches;
      ++false_by_technique[m->technique];
      if (dump)
        fmt::print("FALSE\t{}\t{}\t{}\t{}\n", n.name(), m->brand, m->technique, m->distance);
    }
  }
  // Throughput: text in, parse included, several passes for a stable figure.
  constexpr int kPasses = 3;
  size_t flagged = 0;
  start = Clock::now();
  for (int pass = 0; pass < kPasses; ++pass) {
    for (const auto& b : *benign) {
      auto m = detector->Match(b);
      if (m && *m) ++flagged;
    }
  }
  const double match_s = Seconds(start);
  const double per_s = static_cast<double>(benign->size()) * kPasses / match_s;

  // Our generation of the held-out brands' permutations (A-labels, all fuzzers), as dnstwist
  // makes them.
  start = Clock::now();
  size_t generated = 0;
  for (const auto& b : *heldout) {
    auto p = GeneratePermutations(b, *lists);
    if (p) generated += p->size();
  }
  const double gen_s = Seconds(start);

  fmt::print("| figure | value |\n|---|---|\n");
  fmt::print("| brands in the detector | {} ({} held out) |\n", detector->brand_count(),
             heldout->size());
  fmt::print("| exact index | {} names, built in {:.2f} s |\n", detector->indexed_permutations(),
             build_s);
  fmt::print("| recall on dnstwist's permutations | {:.4f} ({} of {}; {} brand names skipped) |\n",
             total ? static_cast<double>(found) / total : 0.0, found, total, skipped);
  fmt::print("| ... attributed to the right brand | {:.4f} |\n",
             total ? static_cast<double>(right_brand) / total : 0.0);
  fmt::print("| false matches on the benign list | {:.4f} % ({} of {}) |\n",
             names.empty() ? 0.0 : 100.0 * false_matches / names.size(), false_matches,
             names.size());
  fmt::print("| throughput, one core, parse included | {:.0f} names/s |\n", per_s);
  fmt::print("| our generation, held-out brands, all fuzzers | {} names in {:.3f} s |\n", generated,
             gen_s);
  for (const auto& [f, c] : by_fuzzer) {
    fmt::print("| recall, {} | {:.4f} ({} of {}) |\n", f,
               c.first ? static_cast<double>(c.second) / c.first : 0.0, c.second, c.first);
  }
  for (const auto& [t, c] : false_by_technique) {
    fmt::print("| false matches, {} | {} |\n", t, c);
  }
  return flagged == static_cast<size_t>(-1) ? 1 : 0;  // keeps the timed loop from being elided
}
