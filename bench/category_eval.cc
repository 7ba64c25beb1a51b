// Issue 6's categorization figures: a labeled evaluation set built reproducibly (seeded) from the
// shared domain fixtures, the categorizer run over it with everything loaded, and a confusion
// matrix, per-class precision/recall/F1, macro-F1, the platform check and throughput.
//
// Usage: category_eval SHARED_DOMAINS_DIR [--seed N] [--write-set FILE] [--passes N]
//   SHARED_DOMAINS_DIR  ../shared/data/domains (dga/, malicious/, services/, benign/)
//   --write-set FILE    also write the labeled set ("label<TAB>input" lines)
// Run from the source tree (reads data/brands, data/typosquat, data/warninglists).
//
// The set (labels; see docs/benchmarks.md "Issue 6: categorization"):
//   dga             up to 40 names per DGA family file (dga/*.txt); a family name below an entry
//                   of the shared dyndns list is labeled dynamic_dns, below the shared hosters
//                   list or a PSL private suffix web_hosting
//                   (the platform rule wins on purpose: block the customer name, never the
//                   platform: "kddtn.github.io")
//   dynamic_dns, web_hosting, url_shortener, advertising
//                   URLhaus host names (malicious/urlhaus-domains.txt) equal to or below an entry
//                   of the shared dyndns / hosters / shorteners / ads-sample lists — lists the
//                   categorizer does NOT ship (GPL: read here only, never copied)
//   ip_literal      200 of URLhaus's IP entries
//   typosquatting   1,000 look-alikes of data/brands/top-sites.txt brands (labels of 5+
//                   characters) made by this file's own generator (omission, repetition,
//                   transposition, keyboard replacement/insertion, ASCII and Cyrillic homoglyphs,
//                   hyphenation, bit flips, combo words, TLD swaps), minus real Tranco names
//   legitimate      1,000 registrable domains of the Tranco top 10k (benign/tranco-top-100k.txt,
//                   2026), bare: expected "not malicious": nothing blocked (category legitimate,
//                   or a platform's category with action monitor / report-abuse)
//   compromised_site 200 URLs with a path on the same popular sites (synthetic: checks the
//                   rule, not real-world detection)
// The GPL lists and the DGA examples are only read; nothing from them is stored in the repo.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/domain_name.h"
#include "domain/category/categorizer.h"
#include "domain/typosquat/lists.h"
#if __has_include("domain/dga/dga_classifier.h")
#include "domain/dga/dga_classifier.h"
#define MAMORI_HAVE_DGA 1
#endif

namespace {

using namespace mamori;
using namespace mamori::domain;
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

int Fail(const std::string& what) {
  fmt::print(stderr, "category_eval: {}\n", what);
  return 1;
}

std::vector<std::string> ReadLines(const fs::path& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line.substr(0, line.find_first_of(" \t")));
  }
  return out;
}

struct Item {
  std::string label;
  std::string input;
};

// Suffix lookup over a plain list of domains (the shared service lists).
class SuffixSet {
 public:
  explicit SuffixSet(const std::vector<std::string>& domains) {
    for (auto d : domains) {
      std::transform(d.begin(), d.end(), d.begin(), ::tolower);
      set_.insert(d);
    }
  }
  bool Covers(std::string_view name) const {
    while (true) {
      if (set_.count(std::string(name))) return true;
      auto dot = name.find('.');
      if (dot == std::string_view::npos) return false;
      name.remove_prefix(dot + 1);
    }
  }

 private:
  std::unordered_set<std::string> set_;
};

// --- Look-alike generator (independent of domain/typosquat, so recall is not circular). ---
const char* kKeyboard[26] = {"qwsz", "vghn", "xdfv", "serfcx", "wsdr",  "rtgvcd", "tyhbvf",
                             "yujnbg", "ujko", "uikmnh", "ijlmo", "kop", "njk", "bhjm",
                             "iklp", "ol",  "wa",  "edft", "awedxz", "rfgy", "yhji",
                             "cfgb", "qase", "zsdc", "tghu", "asx"};
const char* kWords[] = {"login", "secure", "account", "verify", "support", "update",
                        "online", "service", "help", "signin", "wallet", "billing"};
const char* kTlds[] = {"com", "net", "org", "info", "co", "xyz", "online", "site", "top", "shop"};

std::string LookAlike(const std::string& label, const std::string& tld, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::string l = label;
  const size_t i = pick(l.size());
  const char c = l[i];
  switch (pick(11)) {
    case 0: l.erase(i, 1); break;                                        // omission
    case 1: l.insert(i, 1, c); break;                                    // repetition
    case 2:                                                              // transposition
      if (i + 1 < l.size() && l[i] != l[i + 1]) std::swap(l[i], l[i + 1]);
      else l.erase(i, 1);
      break;
    case 3:                                                              // keyboard replacement
      if (c >= 'a' && c <= 'z') l[i] = kKeyboard[c - 'a'][pick(strlen(kKeyboard[c - 'a']))];
      else l.insert(i, 1, 'x');
      break;
    case 4:                                                              // keyboard insertion
      if (c >= 'a' && c <= 'z') l.insert(i + 1, 1, kKeyboard[c - 'a'][pick(strlen(kKeyboard[c - 'a']))]);
      else l.insert(i, 1, 'a');
      break;
    case 5: {                                                            // ASCII homoglyph
      auto o = l.find_first_of("olimw");
      if (o == std::string::npos) { l += "s"; break; }
      switch (l[o]) {
        case 'o': l[o] = '0'; break;
        case 'l': l[o] = '1'; break;
        case 'i': l[o] = 'l'; break;
        case 'm': l.replace(o, 1, "rn"); break;
        default: l.replace(o, 1, "vv"); break;
      }
      break;
    }
    case 6: {                                                            // Cyrillic homoglyph
      static const std::map<char, const char*> kCyr = {
          {'a', "\xD0\xB0"}, {'e', "\xD0\xB5"}, {'o', "\xD0\xBE"}, {'p', "\xD1\x80"},
          {'c', "\xD1\x81"}, {'x', "\xD1\x85"}, {'y', "\xD1\x83"}};
      for (size_t k = 0; k < l.size(); ++k) {
        if (auto it = kCyr.find(l[(i + k) % l.size()]); it != kCyr.end()) {
          l.replace((i + k) % l.size(), 1, it->second);
          return l + "." + tld;
        }
      }
      l.insert(i, 1, 'e');
      break;
    }
    case 7:                                                              // hyphenation
      if (i > 0) l.insert(i, 1, '-');
      else l.insert(1, 1, '-');
      break;
    case 8: {                                                            // bit flip
      for (int tries = 0; tries < 16; ++tries) {
        char f = static_cast<char>(c ^ (1 << pick(7)));
        if ((f >= 'a' && f <= 'z') || (f >= '0' && f <= '9')) {
          l[i] = f;
          return l + "." + tld;
        }
      }
      l.erase(i, 1);
      break;
    }
    case 9: {                                                            // combo words
      const std::string w = kWords[pick(std::size(kWords))];
      l = pick(2) ? l + "-" + w : w + "-" + l;
      break;
    }
    default: {                                                           // TLD swap
      std::string t = kTlds[pick(std::size(kTlds))];
      if (t == tld) t = "net" == tld ? "org" : "net";
      return l + "." + t;
    }
  }
  return l + "." + tld;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    return Fail("usage: category_eval SHARED_DOMAINS_DIR [--seed N] [--write-set FILE] [--passes N]");
  }
  const fs::path shared = argv[1];
  uint64_t seed = 6;
  std::string write_set;
  int passes = 5;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--seed") seed = std::stoull(argv[i + 1]);
    else if (flag == "--write-set") write_set = argv[i + 1];
    else if (flag == "--passes") passes = std::stoi(argv[i + 1]);
    else return Fail("unknown option " + flag);
  }
  std::mt19937_64 rng(seed);
  auto sample = [&](std::vector<std::string> v, size_t n) {
    std::shuffle(v.begin(), v.end(), rng);
    if (v.size() > n) v.resize(n);
    return v;
  };

  // --- The collaborators, as the CLI loads them. ---
  auto services = ServiceLists::LoadBuiltin();
  if (!services) return Fail(services.error().ToString());
  auto brands = LoadList("data/brands/top-sites.txt");
  auto fuzz = LoadFuzzerLists("data/typosquat");
  if (!brands || !fuzz) return Fail("run from the source tree (data/brands, data/typosquat)");
  auto detector = TyposquatDetector::Build(*brands, *fuzz);
  if (!detector) return Fail(detector.error().ToString());
  PopularSet popular;
  for (const char* list : {"top-sites", "tranco10k"}) {
    for (const auto& d : ReadLines(fs::path("data/warninglists") / (std::string(list) + ".txt"))) {
      popular.Add(d, list);
    }
  }
  const DgaScorer* dga = nullptr;
  std::string dga_note = "DGA model not available in this build: dga not evaluated";
#ifdef MAMORI_HAVE_DGA
  if (auto builtin = DgaClassifier::BuiltIn()) {
    dga = *builtin;
    dga_note = fmt::format("DgaClassifier::BuiltIn(), threshold {:.3f}", dga->Threshold());
  } else {
    dga_note = "DgaClassifier::BuiltIn() failed (" + builtin.error().ToString() +
               "): dga not evaluated";
  }
#endif

  // --- The labeled set. ---
  std::vector<Item> set;
  const auto tranco = ReadLines(shared / "benign/tranco-top-100k.txt");
  const std::unordered_set<std::string> tranco_set(tranco.begin(), tranco.end());
  const SuffixSet dyndns(ReadLines(shared / "services/dyndns.txt"));
  const SuffixSet hosters(ReadLines(shared / "services/hosters.txt"));
  const SuffixSet shorteners(ReadLines(shared / "services/shorteners.txt"));
  const SuffixSet ads(ReadLines(shared / "services/ads-sample.txt"));

  std::vector<fs::path> families;
  for (const auto& f : fs::directory_iterator(shared / "dga")) families.push_back(f.path());
  std::sort(families.begin(), families.end());
  size_t dga_on_platform = 0;
  for (const auto& f : families) {
    for (auto& d : sample(ReadLines(f), 40)) {
      std::transform(d.begin(), d.end(), d.begin(), ::tolower);
      if (dyndns.Covers(d)) {
        set.push_back({"dynamic_dns", d});
        ++dga_on_platform;
      } else if (hosters.Covers(d) || (DomainName::Parse(d) && DomainName::Parse(d)->IsPrivateSuffix())) {
        set.push_back({"web_hosting", d});
        ++dga_on_platform;
      } else {
        set.push_back({"dga", d});
      }
    }
  }
  std::vector<std::string> urlhaus_ips;
  for (auto h : ReadLines(shared / "malicious/urlhaus-domains.txt")) {
    if (h.find_first_not_of("0123456789.") == std::string::npos) {
      urlhaus_ips.push_back(h);
      continue;
    }
    std::transform(h.begin(), h.end(), h.begin(), ::tolower);
    // A host on two lists is left out: its truth is ambiguous.
    int on = dyndns.Covers(h) + hosters.Covers(h) + shorteners.Covers(h) + ads.Covers(h);
    if (on != 1) continue;
    if (dyndns.Covers(h)) set.push_back({"dynamic_dns", h});
    if (hosters.Covers(h)) set.push_back({"web_hosting", h});
    if (shorteners.Covers(h)) set.push_back({"url_shortener", h});
    if (ads.Covers(h)) set.push_back({"advertising", h});
  }
  for (const auto& ip : sample(urlhaus_ips, 200)) set.push_back({"ip_literal", ip});

  std::vector<std::pair<std::string, std::string>> brand_parts;  // label, suffix
  for (const auto& b : *brands) {
    auto dot = b.find('.');
    if (dot == std::string::npos || dot < 5) continue;
    brand_parts.emplace_back(b.substr(0, dot), b.substr(dot + 1));
  }
  std::unordered_set<std::string> brand_set(brands->begin(), brands->end());
  std::set<std::string> squats;
  while (squats.size() < 1000) {
    const auto& [label, suffix] = brand_parts[rng() % brand_parts.size()];
    std::string candidate = LookAlike(label, suffix, rng);
    auto name = DomainName::Parse(candidate);
    if (!name) continue;
    auto reg = name->RegisteredDomain().value_or(name->name());
    if (tranco_set.count(reg) || brand_set.count(reg) || popular.ListOf(reg)) continue;
    squats.insert(candidate);
  }
  for (const auto& s : squats) set.push_back({"typosquatting", s});

  std::vector<std::string> top10k(tranco.begin(), tranco.begin() + std::min<size_t>(10000, tranco.size()));
  for (const auto& d : sample(top10k, 1000)) set.push_back({"legitimate", d});
  const char* kPaths[] = {"/wp-content/uploads/2024/invoice.zip", "/images/update.exe",
                          "/files/document.php?id=7", "/admin/js/loader.js", "/.well-known/x.apk"};
  for (const auto& d : sample(top10k, 200)) {
    set.push_back({"compromised_site", fmt::format("http://{}{}", d, kPaths[rng() % 5])});
  }
  std::shuffle(set.begin(), set.end(), rng);
  if (!write_set.empty()) {
    std::ofstream out(write_set);
    for (const auto& it : set) out << it.label << '\t' << it.input << '\n';
  }

  // --- Categorize. ---
  CategorizerOptions options;
  options.dga = dga;
  options.typosquat = &*detector;
  options.popularity = &popular;
  Categorizer categorizer(*services, options);
  std::map<std::string, std::map<std::string, size_t>> matrix;  // truth -> predicted -> n
  std::set<std::string> predicted_classes;
  size_t errors = 0, platform_blocked_whole = 0;
  std::vector<std::string> misses;
  for (const auto& it : set) {
    auto r = categorizer.Categorize(it.input);
    std::string predicted = r ? std::string(CategoryName(r->category)) : "error";
    // For a benign name the expected answer is "nothing blocked": a popular platform named bare
    // (wixsite.com: web_hosting, monitor) is as right as "legitimate".
    if (r && it.label == "legitimate" && IsAbusedService(r->category) &&
        (r->action == Action::kMonitor || r->action == Action::kReportAbuse)) {
      predicted = "legitimate";
    }
    if (!r) ++errors;
    if (r && r->action == Action::kBlockRegisteredDomain &&
        (services->IsPlatformRoot(r->block_at) || services->FindSuffix(r->block_at))) {
      ++platform_blocked_whole;
    }
    ++matrix[it.label][predicted];
    predicted_classes.insert(predicted);
    if (predicted != it.label && misses.size() < 4000) {
      misses.push_back(fmt::format("{}\t{}\t{}", it.label, predicted, it.input));
    }
  }
  if (std::getenv("CATEGORY_DUMP")) {
    for (const auto& m : misses) fmt::print(stderr, "{}\n", m);
  }
  // CATEGORY_FULL_DUMP=FILE: every field of every result, with and without the DGA model, so an
  // optimization of the categorizer can be checked to change no output (diff before/after).
  if (const char* dump_path = std::getenv("CATEGORY_FULL_DUMP")) {
    std::ofstream out(dump_path);
    Categorizer plain(*services,
                      CategorizerOptions{.typosquat = &*detector, .popularity = &popular});
    for (const Categorizer* c : {&categorizer, &plain}) {
      for (const auto& it : set) {
        auto r = c->Categorize(it.input);
        if (!r) {
          out << it.input << "\terror\t" << r.error().ToString() << '\n';
          continue;
        }
        out << fmt::format("{}\t{}\t{}\t{}\t{}\t{:.6f}\t{}\t{}\t{}\t{}\t{}\t{}", r->input,
                           r->domain, r->registered_domain, CategoryName(r->category),
                           ActionName(r->action), r->confidence, r->block_at, r->abuse_contact,
                           r->platform, r->provider,
                           r->dga_probability ? fmt::format("{:.6f}", *r->dga_probability) : "-",
                           r->typosquat ? fmt::format("{}/{}/{}", r->typosquat->brand,
                                                      r->typosquat->technique,
                                                      r->typosquat->distance)
                                        : "-");
        for (auto d : r->defense_points) out << '\t' << DefensePointName(d);
        for (const auto& e : r->evidence) out << "\n  " << e;
        out << '\n';
      }
    }
  }

  // Throughput: Categorize() over the whole set, parse included, best of `passes`.
  double best = 0;
  for (int p = 0; p < passes; ++p) {
    auto start = Steady::now();
    size_t sink = 0;
    for (const auto& it : set) {
      auto r = categorizer.Categorize(it.input);
      sink += r ? r->block_at.size() : 1;
    }
    double s = std::chrono::duration<double>(Steady::now() - start).count();
    best = std::max(best, set.size() / s);
    if (sink == 0) fmt::print("");
  }
  Categorizer no_dga(*services, CategorizerOptions{.typosquat = &*detector, .popularity = &popular});
  double best_no_dga = 0;
  for (int p = 0; p < passes; ++p) {
    auto start = Steady::now();
    for (const auto& it : set) (void)no_dga.Categorize(it.input);
    double s = std::chrono::duration<double>(Steady::now() - start).count();
    best_no_dga = std::max(best_no_dga, set.size() / s);
  }

  // --- Report. ---
  std::vector<std::string> truths;
  for (const auto& [t, _] : matrix) truths.push_back(t);
  std::vector<std::string> cols(predicted_classes.begin(), predicted_classes.end());
  for (const auto& t : truths) {
    if (!predicted_classes.count(t)) cols.push_back(t);
  }
  fmt::print("set: {} items (seed {}); DGA: {}; {} DGA-family names below a dynamic-DNS "
             "or hosting platform labeled by the platform\n\n",
             set.size(), seed, dga_note, dga_on_platform);
  fmt::print("Confusion matrix (rows: label, columns: predicted category)\n\n| label \\ predicted |");
  for (const auto& c : cols) fmt::print(" {} |", c);
  fmt::print(" n |\n|---|");
  for (size_t i = 0; i <= cols.size(); ++i) fmt::print("---:|");
  fmt::print("\n");
  for (const auto& t : truths) {
    size_t n = 0;
    fmt::print("| **{}** |", t);
    for (const auto& c : cols) {
      size_t v = matrix[t].count(c) ? matrix[t][c] : 0;
      n += v;
      fmt::print(" {} |", v ? fmt::format("{}", v) : std::string("·"));
    }
    fmt::print(" {} |\n", n);
  }
  fmt::print("\n| class | precision | recall | F1 | n |\n|---|---:|---:|---:|---:|\n");
  double f1_sum = 0;
  int f1_classes = 0;
  for (const auto& t : truths) {
    if (t == "dga" && dga == nullptr) continue;
    size_t tp = matrix[t].count(t) ? matrix[t][t] : 0, fn = 0, fp = 0;
    for (const auto& [c, v] : matrix[t]) {
      if (c != t) fn += v;
    }
    for (const auto& other : truths) {
      if (other != t && matrix[other].count(t)) fp += matrix[other][t];
    }
    double p = tp + fp ? double(tp) / (tp + fp) : 0, r = tp + fn ? double(tp) / (tp + fn) : 0;
    double f1 = p + r ? 2 * p * r / (p + r) : 0;
    f1_sum += f1;
    ++f1_classes;
    fmt::print("| {} | {:.3f} | {:.3f} | {:.3f} | {} |\n", t, p, r, f1, tp + fn);
  }
  fmt::print("\nmacro-F1 over {} classes: **{:.3f}**\n", f1_classes, f1_sum / f1_classes);
  fmt::print("items with an error: {}\n", errors);
  fmt::print("platform registered domains given block-registered-domain: **{}**\n",
             platform_blocked_whole);
  fmt::print("throughput, one thread, parse included (best of {}): **{:.0f} names/s** with the "
             "DGA model, {:.0f} names/s without\n",
             passes, best, best_no_dga);
  return 0;
}
