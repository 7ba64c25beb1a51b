// Driver of bench/dga_figures.sh (issue 6 point 3, docs/benchmarks.md "Issue 6: DGA classifier").
//   dga_eval train-shipped --source DIR --out MODEL [--xgboost-out FILE]
//       trains the shipped model: benign data/warninglists/{tranco10k,top-sites}.txt of the
//       source tree against synthetic DGA names (domain/dga/synthetic.h); no GPL DGA list is read.
//   dga_eval lofo --dga-dir DIR --benign TRANCO100K [--split tail|head] [--synthetic N]
//                 [--family NAME] [--show-benign N] [--rounds N] [--depth N]
//       leave-one-family-out on the published DGA example lists. --synthetic N adds N names of
//       the synthetic generator (seed 7) to every fold's DGA side, weighted like one family of N
//       (docs/benchmarks.md: the held-out family then resembles something seen). --show-benign N
//       prints the N highest-scoring benign validate names (the ones that set the threshold).
//   dga_eval shipped --dga-dir DIR --benign TRANCO100K [--model MODEL]
//       the shipped (synthetic-trained) model on the real lists, at its own threshold.
// Every command takes --platform-suffixes FILE (see Normalize below).
//   dga_eval throughput --benign TRANCO100K [--xgboost-model FILE] [--passes N]
//       single-thread scoring speed (run it pinned with taskset).
// Benign split of the Tranco list (rank order), --split tail (default): ranks 1-40,000 train,
// ranks 40,001 on held out; --split head: ranks 1-20,000 held out, the rest train. Held-out
// ranks alternate between choosing the threshold and measuring the FPR. Names that appear
// in any DGA list are removed from the benign side (Tranco holds 121 m0yv domains).
#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/dga/dga_classifier.h"
#include "domain/dga/embedded_data.h"
#include "domain/dga/features.h"
#include "domain/dga/synthetic.h"
#include "domain/dga/train.h"

namespace {

using mamori::domain::DgaClassifier;
using mamori::domain::DgaTrainOptions;

// Family groups (docs/domain-dga.md, "Families"): how each family builds its names.
const std::map<std::string, std::string> kFamilyGroup = {
    {"banjori", "word-list"},
    {"charbot", "word-list"},
    {"ngioweb", "word-list"},
    {"fosniw", "fixed-pattern"},
    {"unnamed_downloader", "fixed-pattern"},
    {"pitou", "random-character"},
    {"pushdo", "random-character"},
    {"symmi", "random-character"},
    {"vawtrak", "random-character"},
};
// Pronounceable (consonant/vowel tables) families, a sub-kind of random-character.
const std::set<std::string> kPronounceable = {"pitou", "pushdo", "symmi", "vawtrak"};

std::string GroupOf(const std::string& family) {
  auto it = kFamilyGroup.find(family);
  return it == kFamilyGroup.end() ? "random-character" : it->second;
}

// Dynamic-DNS and hosting zones missing from the Public Suffix List (e.g. mooo.com): with
// --platform-suffixes FILE, "x.mooo.com" is scored as "x.com" (label "x", last suffix label
// "com"), the label the categorizer passes for such zones (domain/dga_scorer.h).
std::set<std::string> g_platform_suffixes;

std::string Normalize(const std::string& name) {
  for (size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
    const std::string suffix = name.substr(dot + 1);
    if (!g_platform_suffixes.count(suffix)) continue;
    const size_t start = name.rfind('.', dot - 1);
    const std::string label = name.substr(start == std::string::npos ? 0 : start + 1,
                                          dot - (start == std::string::npos ? 0 : start + 1));
    return label + "." + suffix.substr(suffix.rfind('.') + 1);
  }
  return name;
}

std::vector<std::string> ReadRaw(const std::string& path);

std::vector<std::string> ReadList(const std::string& path) {
  std::vector<std::string> out = ReadRaw(path);
  for (std::string& n : out) n = Normalize(n);
  return out;
}

std::vector<std::string> ReadRaw(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    fmt::print(stderr, "cannot read {}\n", path);
    std::exit(2);
  }
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::transform(line.begin(), line.end(), line.begin(), ::tolower);
    out.push_back(line);
  }
  return out;
}

struct Args {
  std::map<std::string, std::string> kv;
  std::string Get(const std::string& k, const std::string& def = "") const {
    auto it = kv.find(k);
    return it == kv.end() ? def : it->second;
  }
};

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 2; i + 1 < argc; i += 2) a.kv[argv[i]] = argv[i + 1];
  return a;
}

struct Family {
  std::string name;
  std::vector<std::string> domains;
};

std::vector<Family> ReadFamilies(const std::string& dir) {
  std::vector<Family> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".txt") continue;
    out.push_back({e.path().stem().string(), ReadList(e.path().string())});
  }
  std::sort(out.begin(), out.end(),
            [](const Family& a, const Family& b) { return a.name < b.name; });
  return out;
}

struct BenignSplit {
  std::vector<std::string> train, validate, test;
};

// split "tail": ranks 1-40,000 train, 40,001 on held out. split "head": ranks 1-20,000 held
// out, 20,001 on train (the popular head is where a false positive costs most; the long tail
// holds many random-looking names, docs/benchmarks.md).
BenignSplit SplitBenign(const std::vector<std::string>& tranco, const std::vector<Family>& fams,
                        const std::string& split) {
  std::set<std::string> dga;
  for (const Family& f : fams) dga.insert(f.domains.begin(), f.domains.end());
  BenignSplit s;
  size_t removed = 0;
  for (size_t i = 0; i < tranco.size(); ++i) {
    if (dga.count(tranco[i])) {
      ++removed;
      continue;
    }
    const bool held_out = split == "head" ? i < 20000 : i >= 40000;
    if (!held_out)
      s.train.push_back(tranco[i]);
    else
      (i % 2 == 0 ? s.validate : s.test).push_back(tranco[i]);
  }
  fmt::print(stderr, "benign: {} train, {} validate, {} test ({} DGA-list names removed)\n",
             s.train.size(), s.validate.size(), s.test.size(), removed);
  return s;
}

std::vector<double> Scores(const DgaClassifier& c, const std::vector<std::string>& names) {
  std::vector<double> out;
  out.reserve(names.size());
  for (const std::string& n : names) out.push_back(c.Probability(n));
  return out;
}

// Lowest threshold with at most `fpr` of `benign` at or above it.
double ThresholdFor(std::vector<double> benign, double fpr) {
  std::sort(benign.begin(), benign.end(), std::greater<>());
  const size_t allowed = static_cast<size_t>(std::floor(fpr * benign.size()));
  return std::nextafter(benign[std::min(allowed, benign.size() - 1)], 2.0);
}

size_t CountAtLeast(const std::vector<double>& s, double t) {
  return std::count_if(s.begin(), s.end(), [t](double x) { return x >= t; });
}

DgaTrainOptions EvalOptions(const Args& a) {
  DgaTrainOptions o;
  o.rounds = std::stoi(a.Get("--rounds", "200"));
  o.max_depth = std::stoi(a.Get("--depth", "6"));
  o.threads = std::stoi(a.Get("--threads", "2"));
  o.threshold_folds = 0;  // the driver picks thresholds on its own validation split
  return o;
}

struct GroupTotals {
  size_t hit = 0, total = 0, families = 0;
  double tpr_sum = 0;
};

void PrintGroups(const std::map<std::string, GroupTotals>& groups) {
  fmt::print("\n| group | families | domains | TPR (all domains) | TPR (mean of families) |\n");
  fmt::print("|---|---|---|---|---|\n");
  for (const auto& [g, t] : groups) {
    fmt::print("| {} | {} | {} | {:.4f} | {:.4f} |\n", g, t.families, t.total,
               static_cast<double>(t.hit) / t.total, t.tpr_sum / t.families);
  }
}

int Lofo(const Args& a) {
  const std::vector<Family> fams = ReadFamilies(a.Get("--dga-dir"));
  const BenignSplit b = SplitBenign(ReadList(a.Get("--benign")), fams, a.Get("--split", "tail"));
  const size_t synthetic = std::stoul(a.Get("--synthetic", "0"));
  const std::string only = a.Get("--family");
  std::vector<mamori::domain::dga::SyntheticName> syn;
  if (synthetic) {
    mamori::domain::dga::SyntheticOptions so;
    so.count = synthetic;
    so.seed = 7;
    syn = mamori::domain::dga::GenerateSyntheticDga(
        so, mamori::domain::dga::Lexicon::FromText(
                mamori::domain::dga::EmbeddedDgaFile("words.txt").value_or("")));
  }
  fmt::print("| family | group | domains | TPR | threshold | FPR validate | FPR test |\n");
  fmt::print("|---|---|---|---|---|---|---|\n");
  std::map<std::string, GroupTotals> groups;
  for (const Family& held : fams) {
    if (!only.empty() && held.name != only) continue;
    std::vector<std::string> pos;
    std::vector<double> w;
    for (const Family& f : fams) {
      if (f.name == held.name) continue;
      // Families weigh by the square root of their size: big lists still count more, but
      // a 1,000-name family does not drown a 30-name one.
      const double fw = 1.0 / std::sqrt(static_cast<double>(f.domains.size()));
      for (const std::string& d : f.domains) {
        pos.push_back(d);
        w.push_back(fw);
      }
    }
    for (const auto& s : syn) {
      pos.push_back(s.domain);
      w.push_back(1.0 / std::sqrt(static_cast<double>(syn.size())));
    }
    DgaTrainOptions o = EvalOptions(a);
    o.positive_weights = w;
    auto model = mamori::domain::TrainDgaModel(pos, b.train, o);
    if (!model) {
      fmt::print(stderr, "{}: {}\n", held.name, model.error().ToString());
      return 1;
    }
    auto c = DgaClassifier::FromJson(*model, held.name);
    if (!c) {
      fmt::print(stderr, "{}\n", c.error().ToString());
      return 1;
    }
    const double t = ThresholdFor(Scores(*c, b.validate), 0.001);
    const std::vector<double> sv = Scores(*c, b.validate), st = Scores(*c, b.test),
                              sp = Scores(*c, held.domains);
    const size_t hit = CountAtLeast(sp, t);
    if (const size_t show = std::stoul(a.Get("--show-benign", "0")); show) {
      // The benign validate names that set the threshold (for looking at errors).
      std::vector<std::pair<double, std::string>> top;
      for (size_t i = 0; i < sv.size(); ++i) top.emplace_back(sv[i], b.validate[i]);
      std::sort(top.begin(), top.end(), std::greater<>());
      for (size_t i = 0; i < std::min(show, top.size()); ++i)
        fmt::print(stderr, "benign {:.5f} {}\n", top[i].first, top[i].second);
    }
    const double tpr = static_cast<double>(hit) / held.domains.size();
    const std::string group = GroupOf(held.name);
    std::string label = group;
    if (kPronounceable.count(held.name)) label += " (pronounceable)";
    fmt::print("| {} | {} | {} | {:.4f} | {:.4f} | {:.4f}% | {:.4f}% |\n", held.name, label,
               held.domains.size(), tpr, t, 100.0 * CountAtLeast(sv, t) / sv.size(),
               100.0 * CountAtLeast(st, t) / st.size());
    std::fflush(stdout);
    GroupTotals& g = groups[group];
    g.hit += hit;
    g.total += held.domains.size();
    g.families++;
    g.tpr_sum += tpr;
  }
  PrintGroups(groups);
  return 0;
}

int Shipped(const Args& a) {
  const std::vector<Family> fams = ReadFamilies(a.Get("--dga-dir"));
  const std::vector<std::string> tranco = ReadList(a.Get("--benign"));
  std::optional<DgaClassifier> loaded;
  const DgaClassifier* c = nullptr;
  if (!a.Get("--model").empty()) {
    auto l = DgaClassifier::Load(a.Get("--model"));
    if (!l) {
      fmt::print(stderr, "{}\n", l.error().ToString());
      return 1;
    }
    loaded.emplace(std::move(*l));
    c = &*loaded;
  } else {
    auto b = DgaClassifier::BuiltIn();
    if (!b) {
      fmt::print(stderr, "{}\n", b.error().ToString());
      return 1;
    }
    c = *b;
  }
  const double t = c->Threshold();
  // Benign: Tranco ranks after 10,000 (the shipped model trained on the top 10k), minus DGA
  // list names.
  std::set<std::string> dga;
  for (const Family& f : fams) dga.insert(f.domains.begin(), f.domains.end());
  std::vector<std::string> benign;
  for (size_t i = 10000; i < tranco.size(); ++i) {
    if (!dga.count(tranco[i])) benign.push_back(tranco[i]);
  }
  const std::vector<double> sb = Scores(*c, benign);
  fmt::print(
      "shipped model threshold {:.4f}; benign Tranco ranks 10,001-99,999: FPR {:.4f}% "
      "({} of {})\n\n",
      t, 100.0 * CountAtLeast(sb, t) / sb.size(), CountAtLeast(sb, t), sb.size());
  fmt::print("| family | group | domains | TPR at the shipped threshold |\n|---|---|---|---|\n");
  std::map<std::string, GroupTotals> groups;
  for (const Family& f : fams) {
    const size_t hit = CountAtLeast(Scores(*c, f.domains), t);
    const double tpr = static_cast<double>(hit) / f.domains.size();
    const std::string group = GroupOf(f.name);
    fmt::print("| {} | {} | {} | {:.4f} |\n", f.name, group, f.domains.size(), tpr);
    GroupTotals& g = groups[group];
    g.hit += hit;
    g.total += f.domains.size();
    g.families++;
    g.tpr_sum += tpr;
  }
  PrintGroups(groups);
  return 0;
}

int TrainShipped(const Args& a) {
  const std::string src = a.Get("--source", ".");
  std::vector<std::string> benign = ReadList(src + "/data/warninglists/tranco10k.txt");
  for (std::string& d : ReadList(src + "/data/warninglists/top-sites.txt")) benign.push_back(d);
  const std::string words = [&] {
    std::ifstream in(src + "/data/dga/words.txt");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  mamori::domain::dga::SyntheticOptions so;
  so.count = std::stoul(a.Get("--synthetic", "40000"));
  so.seed = std::stoull(a.Get("--seed", "1"));
  if (!a.Get("--kind-weights").empty()) {  // comma-separated, in kSyntheticKinds order
    so.kind_weights.clear();
    std::string w = a.Get("--kind-weights");
    for (size_t p = 0; p <= w.size();) {
      size_t q = w.find(',', p);
      if (q == std::string::npos) q = w.size();
      so.kind_weights.push_back(std::stod(w.substr(p, q - p)));
      p = q + 1;
    }
  }
  const auto syn =
      mamori::domain::dga::GenerateSyntheticDga(so, mamori::domain::dga::Lexicon::FromText(words));
  std::vector<std::string> pos;
  for (const auto& s : syn) pos.push_back(s.domain);
  DgaTrainOptions o;
  o.rounds = std::stoi(a.Get("--rounds", "200"));
  o.max_depth = std::stoi(a.Get("--depth", "6"));
  o.threads = std::stoi(a.Get("--threads", "2"));
  o.seed = so.seed;
  o.lexicon_text = words;
  o.threshold_folds = 5;
  o.target_fpr = 0.001;
  o.notes = {
      {"notes",
       "Shipped model. Benign: data/warninglists/tranco10k.txt + top-sites.txt. DGA: synthetic "
       "names from domain/dga/synthetic.h (no published DGA list was used). Threshold: 5-fold "
       "out-of-fold benign scores at FPR <= 0.1%. See docs/domain-dga.md."},
      {"trained_by", "bench/dga_eval train-shipped"},
      {"synthetic", {{"count", so.count}, {"seed", so.seed}, {"kind_weights", so.kind_weights}}},
  };
  auto r = mamori::domain::TrainDgaModelWithXgboost(pos, benign, o);
  if (!r) {
    fmt::print(stderr, "{}\n", r.error().ToString());
    return 1;
  }
  std::ofstream(a.Get("--out")) << r->model_json;
  if (!a.Get("--xgboost-out").empty()) std::ofstream(a.Get("--xgboost-out")) << r->xgboost_json;
  auto c = DgaClassifier::FromJson(r->model_json, a.Get("--out"));
  if (!c) {
    fmt::print(stderr, "{}\n", c.error().ToString());
    return 1;
  }
  fmt::print("wrote {} ({} bytes), threshold {:.4f}, training {}\n", a.Get("--out"),
             r->model_json.size(), c->Threshold(), c->model().training.dump());
  return 0;
}

int Throughput(const Args& a) {
  std::vector<std::string> names = ReadList(a.Get("--benign"));
  const int passes = std::stoi(a.Get("--passes", "3"));
  auto b = DgaClassifier::BuiltIn();
  if (!b) {
    fmt::print(stderr, "{}\n", b.error().ToString());
    return 1;
  }
  const DgaClassifier& c = **b;
  using Clock = std::chrono::steady_clock;
  auto rate = [&](auto&& fn) {
    double best = 0;
    for (int p = 0; p < passes; ++p) {
      const auto t0 = Clock::now();
      double sink = 0;
      for (const std::string& n : names) sink += fn(n);
      const double s = std::chrono::duration<double>(Clock::now() - t0).count();
      if (sink < -1) fmt::print("");  // keeps the work observable
      best = std::max(best, names.size() / s);
    }
    return best;
  };
  const double full = rate([&](const std::string& n) { return c.Probability(n); });
  std::vector<mamori::domain::dga::LabelParts> parts;
  for (const std::string& n : names) {
    auto p = mamori::domain::dga::SplitLabel(n);
    parts.push_back(p ? *p : mamori::domain::dga::LabelParts{});
  }
  size_t i = 0;
  const double split = rate([&](const std::string& n) {
    return static_cast<double>(mamori::domain::dga::SplitLabel(n)->label.size());
  });
  i = 0;
  const double feats = rate([&](const std::string&) {
    return static_cast<double>(c.Features(parts[i++ % parts.size()])[0]);
  });
  i = 0;
  const double scored =
      rate([&](const std::string&) { return c.ProbabilityOfLabel(parts[i++ % parts.size()]); });
  fmt::print("| stage, one core, {} names, best of {} passes | names/s |\n|---|---|\n",
             names.size(), passes);
  fmt::print("| Probability(): parse + PSL split + features + trees (own evaluator) | {:.0f} |\n",
             full);
  fmt::print("| PSL split only (DomainName::Parse + RegisteredDomain) | {:.0f} |\n", split);
  fmt::print("| features only | {:.0f} |\n", feats);
  fmt::print("| features + trees (own evaluator), label already split | {:.0f} |\n", scored);
  const std::string xgb_path = a.Get("--xgboost-model");
  if (!xgb_path.empty()) {
    std::ifstream in(xgb_path);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    BoosterHandle h = nullptr;
    XGBSetGlobalConfig(R"({"verbosity": 0})");
    if (XGBoosterCreate(nullptr, 0, &h) != 0 ||
        XGBoosterLoadModelFromBuffer(h, text.data(), text.size()) != 0 ||
        XGBoosterSetParam(h, "nthread", "1") != 0) {
      fmt::print(stderr, "XGBoost: {}\n", XGBGetLastError());
      return 1;
    }
    // One domain per call, as a resolver or log pipeline asks: in-place prediction on a dense
    // 1-row array (XGBoost's fastest per-call path in the C API).
    i = 0;
    double max_diff = 0;
    const double xgb = rate([&](const std::string&) {
      const auto& p = parts[i++ % parts.size()];
      const auto f = c.Features(p);
      const std::string iface =
          fmt::format(R"({{"data": [{}, true], "shape": [1, {}], "typestr": "<f4", "version": 3}})",
                      reinterpret_cast<uintptr_t>(f.data()), f.size());
      const bst_ulong* shape = nullptr;
      bst_ulong dim = 0;
      const float* out = nullptr;
      if (XGBoosterPredictFromDense(h, iface.c_str(),
                                    R"({"type": 0, "training": false, "iteration_begin": 0,
                                    "iteration_end": 0, "strict_shape": false, "missing": NaN,
                                    "cache_id": 0})",
                                    nullptr, &shape, &dim, &out) != 0) {
        fmt::print(stderr, "XGBoost: {}\n", XGBGetLastError());
        std::exit(1);
      }
      if (i < 2000)
        max_diff = std::max(max_diff, std::abs(out[0] - c.model().trees.Probability(f)));
      return static_cast<double>(out[0]);
    });
    XGBoosterFree(h);
    fmt::print("| features + XGBoost C API (XGBoosterPredictFromDense, 1 row a call) | {:.0f} |\n",
               xgb);
    fmt::print("\nlargest |XGBoost - own| probability difference on 2,000 names: {:.2e}\n",
               max_diff);
  }
  return 0;
}

// Reads names from stdin, prints "probability name" (for looking at errors).
int Score(const Args& a) {
  auto c = a.Get("--model").empty()
               ? DgaClassifier::FromJson(*mamori::domain::dga::EmbeddedDgaFile("model.json"), "")
               : DgaClassifier::Load(a.Get("--model"));
  if (!c) {
    fmt::print(stderr, "{}\n", c.error().ToString());
    return 1;
  }
  std::string line;
  while (std::getline(std::cin, line)) fmt::print("{:.5f} {}\n", c->Probability(line), line);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: dga_eval train-shipped|lofo|shipped|throughput [--flag value]...\n");
    return 2;
  }
  const std::string cmd = argv[1];
  const Args a = Parse(argc, argv);
  if (!a.Get("--platform-suffixes").empty()) {
    for (const std::string& z : ReadRaw(a.Get("--platform-suffixes")))
      g_platform_suffixes.insert(z);
  }
  if (cmd == "train-shipped") return TrainShipped(a);
  if (cmd == "lofo") return Lofo(a);
  if (cmd == "shipped") return Shipped(a);
  if (cmd == "throughput") return Throughput(a);
  if (cmd == "score") return Score(a);
  fmt::print(stderr, "unknown command {}\n", cmd);
  return 2;
}
