#include "rse/detect/matcher.h"

#include <fmt/format.h>
#include <hs/hs.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>

namespace mamori::rse::detect {

using ingest::Event;

namespace {

struct HsDatabaseDeleter {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
struct HsScratchDeleter {
  void operator()(hs_scratch_t* s) const { hs_free_scratch(s); }
};
using HsDatabase = std::unique_ptr<hs_database_t, HsDatabaseDeleter>;
using HsScratch = std::unique_ptr<hs_scratch_t, HsScratchDeleter>;

std::unique_ptr<RE2> MakeRe2(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  // Bytes, like Hyperscan without HS_FLAG_UTF8, so both engines agree on '.' and classes.
  options.set_encoding(RE2::Options::EncodingLatin1);
  return std::make_unique<RE2>(pattern, options);
}

std::string_view ValueOf(const Event& event, size_t field) {
  return field == kRawField ? event.raw : event.Get(static_cast<Field>(field));
}

std::string FieldLabel(size_t field) {
  return field == kRawField ? std::string("keywords")
                            : std::string(ingest::FieldName(static_cast<Field>(field)));
}

// The Hyperscan form of a glob: literal bytes escaped, '*' → ".*", '?' → ".", anchors \A \z.
std::string GlobToHs(const GlobPattern& g) {
  std::string out = g.anchored_start ? "\\A" : "";
  for (size_t i = 0; i < g.lowered.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(g.lowered[i]);
    if (g.wild[i]) {
      out += c == '*' ? ".*" : ".";
    } else if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  if (g.anchored_end) out += "\\z";
  return out;
}

bool CidrTest(const FieldTest& t, const Event& event, std::string* matched) {
  std::optional<IpAddress> parsed;
  const std::optional<IpAddress>* ip = &parsed;
  if (t.field == static_cast<size_t>(Field::kSourceIp)) {
    ip = &event.SourceAddress();
  } else if (t.field == static_cast<size_t>(Field::kDestinationIp)) {
    ip = &event.DestinationAddress();
  } else {
    std::string_view v = ValueOf(event, t.field);
    if (v.empty()) return false;
    parsed = ingest::ParseEventAddress(v);
  }
  if (!*ip) return false;
  bool any = false, all = true;
  for (const auto& c : t.cidrs) {
    bool in = c.Contains(**ip);
    if (in && matched && matched->empty()) *matched = c.ToString();
    any |= in;
    all &= in;
  }
  return t.all ? all : any;
}

IntelKind IntelKindOf(size_t field) {
  switch (static_cast<Field>(field)) {
    case Field::kSourceIp:
    case Field::kDestinationIp: return IntelKind::kAddress;
    case Field::kUrlOriginal: return IntelKind::kUrl;
    default: return IntelKind::kDomain;
  }
}

bool IntelTest(const FieldTest& t, const Event& event, IndicatorLookup* intel) {
  std::string_view v = ValueOf(event, t.field);
  if (v.empty() || intel == nullptr) return false;
  return intel->IsListed(IntelKindOf(t.field), v, t.intel_sources);
}

// Three-valued logic for "can this rule match when no scanned value matched?".
enum class Tri { kFalse, kTrue, kUnknown };

template <typename SelFn>
Tri EvalTri(const ConditionNode& n, const SelFn& sel) {
  switch (n.kind) {
    case ConditionNode::Kind::kSelection: return sel(n.selection);
    case ConditionNode::Kind::kTrue: return Tri::kTrue;
    case ConditionNode::Kind::kFalse: return Tri::kFalse;
    case ConditionNode::Kind::kNot: {
      Tri t = EvalTri(n.children[0], sel);
      return t == Tri::kUnknown ? t : (t == Tri::kTrue ? Tri::kFalse : Tri::kTrue);
    }
    case ConditionNode::Kind::kAnd: {
      Tri r = Tri::kTrue;
      for (const auto& c : n.children) {
        Tri t = EvalTri(c, sel);
        if (t == Tri::kFalse) return Tri::kFalse;
        if (t == Tri::kUnknown) r = Tri::kUnknown;
      }
      return r;
    }
    case ConditionNode::Kind::kOr: {
      Tri r = Tri::kFalse;
      for (const auto& c : n.children) {
        Tri t = EvalTri(c, sel);
        if (t == Tri::kTrue) return Tri::kTrue;
        if (t == Tri::kUnknown) r = Tri::kUnknown;
      }
      return r;
    }
  }
  return Tri::kUnknown;
}

template <typename SelFn>
bool EvalCondition(const ConditionNode& n, const SelFn& sel) {
  switch (n.kind) {
    case ConditionNode::Kind::kSelection: return sel(n.selection);
    case ConditionNode::Kind::kTrue: return true;
    case ConditionNode::Kind::kFalse: return false;
    case ConditionNode::Kind::kNot: return !EvalCondition(n.children[0], sel);
    case ConditionNode::Kind::kAnd:
      for (const auto& c : n.children) {
        if (!EvalCondition(c, sel)) return false;
      }
      return true;
    case ConditionNode::Kind::kOr:
      for (const auto& c : n.children) {
        if (EvalCondition(c, sel)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace

// --- compiled form ---

struct RuleSet::Compiled {
  enum class Source : uint8_t { kHash, kHyperscan, kConfirm, kRe2Only, kPresent };
  struct Atom {
    uint32_t rule = 0;
    size_t field = 0;
    Source source = Source::kHash;
    std::unique_ptr<RE2> re2;  // kConfirm, kRe2Only
  };
  struct Test {
    const FieldTest* test = nullptr;
    std::vector<uint32_t> atoms;
  };
  struct FieldIndex {
    HsDatabase db;
    std::vector<std::pair<std::string, std::vector<uint32_t>>> eq_list;  // before hashing
    std::unordered_map<std::string, std::vector<uint32_t>> eq;
  };
  struct RuleInfo {
    std::vector<std::vector<std::vector<uint32_t>>> selections;  // selection → group → tests
    std::vector<uint32_t> datasets;                              // sorted ids; empty = any
  };

  std::vector<Atom> atoms;
  std::vector<Test> tests;
  std::array<FieldIndex, ingest::kFieldCount + 1> fields;
  std::vector<size_t> scanned_fields;  // fields with a database or equality values
  std::vector<RuleInfo> rules;
  std::vector<uint32_t> always;
  std::vector<std::pair<std::string, uint32_t>> dataset_ids;
};

RuleSet::~RuleSet() = default;

Expected<std::shared_ptr<const RuleSet>> RuleSet::Compile(std::vector<Rule> rules) {
  std::shared_ptr<RuleSet> set(new RuleSet());
  set->rules_ = std::move(rules);
  set->compiled_ = std::make_unique<Compiled>();
  Compiled& c = *set->compiled_;
  using Source = Compiled::Source;

  struct HsPattern {
    std::string expr;
    unsigned flags;
    unsigned id;
  };
  std::array<std::vector<HsPattern>, ingest::kFieldCount + 1> hs_patterns;

  for (uint32_t r = 0; r < set->rules_.size(); ++r) {
    const Rule& rule = set->rules_[r];
    Compiled::RuleInfo info;
    for (const auto& ds : rule.datasets) {
      auto it = std::find_if(c.dataset_ids.begin(), c.dataset_ids.end(),
                             [&](const auto& p) { return p.first == ds; });
      uint32_t id = it != c.dataset_ids.end() ? it->second : 0;
      if (it == c.dataset_ids.end()) {
        id = static_cast<uint32_t>(c.dataset_ids.size());
        c.dataset_ids.emplace_back(ds, id);
      }
      info.datasets.push_back(id);
    }
    std::sort(info.datasets.begin(), info.datasets.end());
    for (const auto& sel : rule.selections) {
      auto& sel_tests = info.selections.emplace_back();
      for (const auto& group : sel.groups) {
        auto& group_tests = sel_tests.emplace_back();
        for (const auto& test : group) {
          Compiled::Test t{&test, {}};
          auto add_atom = [&](Source source, std::unique_ptr<RE2> re2 = nullptr) {
            uint32_t id = static_cast<uint32_t>(c.atoms.size());
            c.atoms.push_back({r, test.field, source, std::move(re2)});
            t.atoms.push_back(id);
            return id;
          };
          if (test.kind == MatchKind::kGlob) {
            for (const auto& g : test.globs) {
              if (g.lowered.empty() && !g.anchored_start && !g.anchored_end) {
                add_atom(Source::kPresent);
              } else if (!g.HasWildcards() && g.anchored_start && g.anchored_end) {
                uint32_t id = add_atom(Source::kHash);
                c.fields[test.field].eq_list.emplace_back(g.lowered, std::vector<uint32_t>{id});
              } else {
                uint32_t id = add_atom(Source::kHyperscan);
                hs_patterns[test.field].push_back(
                    {GlobToHs(g), HS_FLAG_CASELESS | HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH, id});
              }
            }
          } else if (test.kind == MatchKind::kRegex) {
            for (const auto& re : test.regexes) {
              // Try exact, then prefilter; otherwise RE2 alone on every value.
              unsigned flags = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
              hs_database_t* probe = nullptr;
              hs_compile_error_t* err = nullptr;
              Source source = Source::kRe2Only;
              if (hs_compile(re.c_str(), flags, HS_MODE_BLOCK, nullptr, &probe, &err) ==
                  HS_SUCCESS) {
                source = Source::kHyperscan;
              } else {
                hs_free_compile_error(err);
                err = nullptr;
                flags = HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
                if (hs_compile(re.c_str(), flags, HS_MODE_BLOCK, nullptr, &probe, &err) ==
                    HS_SUCCESS) {
                  source = Source::kConfirm;
                } else {
                  hs_free_compile_error(err);
                }
              }
              hs_free_database(probe);
              uint32_t id = add_atom(source, source == Source::kHyperscan ? nullptr : MakeRe2(re));
              if (source != Source::kRe2Only) hs_patterns[test.field].push_back({re, flags, id});
              if (source == Source::kConfirm) ++set->stats_.prefiltered_regexes;
              if (source == Source::kRe2Only) ++set->stats_.re2_only_regexes;
            }
          }
          group_tests.push_back(static_cast<uint32_t>(c.tests.size()));
          c.tests.push_back(std::move(t));
        }
      }
    }
    c.rules.push_back(std::move(info));
  }

  // Per-field equality tables and Hyperscan databases.
  for (size_t f = 0; f <= ingest::kFieldCount; ++f) {
    auto& fi = c.fields[f];
    for (auto& [value, ids] : fi.eq_list) {
      auto& slot = fi.eq[value];
      slot.insert(slot.end(), ids.begin(), ids.end());
      ++set->stats_.equality_values;
    }
    fi.eq_list.clear();
    const auto& pats = hs_patterns[f];
    if (!pats.empty()) {
      std::vector<const char*> exprs;
      std::vector<unsigned> flags, ids;
      for (const auto& p : pats) {
        exprs.push_back(p.expr.c_str());
        flags.push_back(p.flags);
        ids.push_back(p.id);
      }
      hs_database_t* db = nullptr;
      hs_compile_error_t* err = nullptr;
      if (hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                           &err) != HS_SUCCESS) {
        std::string msg = err && err->message ? err->message : "unknown error";
        int at = err ? err->expression : -1;
        hs_free_compile_error(err);
        return MakeError(ErrorCode::kInternal,
                         fmt::format("Hyperscan rejected the patterns of field {}: {}{}",
                                     FieldLabel(f), msg,
                                     at >= 0 ? fmt::format(" (pattern '{}')", exprs[at]) : ""),
                         "rules");
      }
      fi.db.reset(db);
      ++set->stats_.hyperscan_databases;
      set->stats_.hyperscan_patterns += pats.size();
    }
    if (fi.db || !fi.eq.empty()) c.scanned_fields.push_back(f);
  }

  // Rules that can hold without any scanned value are evaluated for every event.
  for (uint32_t r = 0; r < set->rules_.size(); ++r) {
    const auto& info = c.rules[r];
    auto test_tri = [&](uint32_t t) {
      const auto& test = c.tests[t];
      if (test.test->kind != MatchKind::kGlob && test.test->kind != MatchKind::kRegex) {
        return Tri::kUnknown;
      }
      for (uint32_t a : test.atoms) {
        Source s = c.atoms[a].source;
        if (s == Source::kRe2Only || s == Source::kPresent) return Tri::kUnknown;
      }
      return Tri::kFalse;
    };
    auto sel_tri = [&](size_t s) {
      Tri result = Tri::kFalse;
      for (const auto& group : info.selections[s]) {
        Tri g = Tri::kTrue;
        for (uint32_t t : group) {
          Tri v = test_tri(t);
          if (v == Tri::kFalse) {
            g = Tri::kFalse;
            break;
          }
          if (v == Tri::kUnknown) g = Tri::kUnknown;
        }
        if (g == Tri::kTrue) return Tri::kTrue;
        if (g == Tri::kUnknown) result = Tri::kUnknown;
      }
      return result;
    };
    if (EvalTri(set->rules_[r].condition, sel_tri) != Tri::kFalse) c.always.push_back(r);
  }
  set->stats_.rules = set->rules_.size();
  set->stats_.always_evaluated_rules = c.always.size();
  return std::shared_ptr<const RuleSet>(std::move(set));
}

// --- matching ---

struct Matcher::State {
  HsScratch scratch;
  IndicatorLookup* intel = nullptr;
  uint64_t epoch = 0;
  std::vector<uint64_t> atom_mark;  // == epoch: matched by hash/Hyperscan for this event
  std::vector<uint64_t> rule_mark;  // == epoch: already a candidate
  std::vector<uint32_t> candidates;
  std::vector<uint32_t> matched;
  std::string lowered;
  const RuleSet::Compiled* c = nullptr;
};

namespace {
struct ScanContext {
  Matcher::State* state;
};
}  // namespace

Matcher::Matcher(std::shared_ptr<const RuleSet> rules, IndicatorLookup* intel)
    : rules_(std::move(rules)), state_(std::make_unique<State>()) {
  const auto& c = rules_->compiled();
  state_->c = &c;
  state_->intel = intel;
  state_->atom_mark.assign(c.atoms.size(), 0);
  state_->rule_mark.assign(c.rules.size(), 0);
  hs_scratch_t* scratch = nullptr;
  for (const auto& f : c.fields) {
    if (f.db) hs_alloc_scratch(f.db.get(), &scratch);  // grows one scratch for every database
  }
  state_->scratch.reset(scratch);
}

Matcher::~Matcher() = default;

namespace {

int OnHsMatch(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  auto* s = static_cast<Matcher::State*>(ctx);
  s->atom_mark[id] = s->epoch;
  uint32_t rule = s->c->atoms[id].rule;
  if (s->rule_mark[rule] != s->epoch) {
    s->rule_mark[rule] = s->epoch;
    s->candidates.push_back(rule);
  }
  return 0;
}

bool AtomTrue(const Matcher::State& s, uint32_t a, std::string_view value) {
  using Source = RuleSet::Compiled::Source;
  const auto& atom = s.c->atoms[a];
  switch (atom.source) {
    case Source::kHash:
    case Source::kHyperscan: return s.atom_mark[a] == s.epoch;
    case Source::kConfirm:
      return s.atom_mark[a] == s.epoch &&
             RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *atom.re2);
    case Source::kRe2Only:
      return !value.empty() &&
             RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *atom.re2);
    case Source::kPresent: return !value.empty();
  }
  return false;
}

bool TestTrue(const Matcher::State& s, uint32_t t, const Event& event) {
  const auto& test = s.c->tests[t];
  const FieldTest& ft = *test.test;
  switch (ft.kind) {
    case MatchKind::kNull: return ValueOf(event, ft.field).empty();
    case MatchKind::kCidr: return CidrTest(ft, event, nullptr);
    case MatchKind::kIntel: return IntelTest(ft, event, s.intel);
    case MatchKind::kGlob:
    case MatchKind::kRegex: {
      std::string_view value = ValueOf(event, ft.field);
      if (value.empty()) return false;
      if (ft.all) {
        for (uint32_t a : test.atoms) {
          if (!AtomTrue(s, a, value)) return false;
        }
        return true;
      }
      for (uint32_t a : test.atoms) {
        if (AtomTrue(s, a, value)) return true;
      }
      return false;
    }
  }
  return false;
}

}  // namespace

const std::vector<uint32_t>& Matcher::Match(const Event& event) {
  State& s = *state_;
  const auto& c = *s.c;
  ++s.epoch;
  s.candidates.clear();
  s.matched.clear();

  for (size_t f : c.scanned_fields) {
    std::string_view value = ValueOf(event, f);
    if (value.empty()) continue;
    const auto& fi = c.fields[f];
    if (!fi.eq.empty()) {
      s.lowered.assign(value);
      for (char& ch : s.lowered) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
      }
      if (auto it = fi.eq.find(s.lowered); it != fi.eq.end()) {
        for (uint32_t a : it->second) OnHsMatch(a, 0, 0, 0, &s);
      }
    }
    if (fi.db) {
      hs_scan(fi.db.get(), value.data(), static_cast<unsigned>(value.size()), 0, s.scratch.get(),
              OnHsMatch, &s);
    }
  }
  for (uint32_t r : c.always) {
    if (s.rule_mark[r] != s.epoch) {
      s.rule_mark[r] = s.epoch;
      s.candidates.push_back(r);
    }
  }
  if (s.candidates.empty()) return s.matched;
  std::sort(s.candidates.begin(), s.candidates.end());

  // The event's dataset id, for logsource filtering.
  int64_t dataset = -1;
  std::string_view ds = event.Get(Field::kEventDataset);
  for (const auto& [name, id] : c.dataset_ids) {
    if (name == ds) {
      dataset = id;
      break;
    }
  }
  for (uint32_t r : s.candidates) {
    const auto& info = c.rules[r];
    if (!info.datasets.empty() &&
        (dataset < 0 || !std::binary_search(info.datasets.begin(), info.datasets.end(),
                                            static_cast<uint32_t>(dataset)))) {
      continue;
    }
    auto sel = [&](size_t si) {
      for (const auto& group : info.selections[si]) {
        bool ok = true;
        for (uint32_t t : group) {
          if (!TestTrue(s, t, event)) {
            ok = false;
            break;
          }
        }
        if (ok) return true;
      }
      return false;
    };
    if (EvalCondition(rules_->rules()[r].condition, sel)) s.matched.push_back(r);
  }
  return s.matched;
}

// --- reference semantics ---

bool GlobMatches(const GlobPattern& glob, std::string_view value) {
  // Classic wildcard matching with one backtrack point per '*'; leading/trailing implicit '*'
  // for unanchored ends.
  const std::string& p = glob.lowered;
  auto lower = [](char ch) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  };
  auto match_from = [&](size_t vi) {
    const size_t m = p.size(), n = value.size();
    size_t pi = 0, star = std::string::npos, mark = 0;
    while (true) {
      if (pi == m && (!glob.anchored_end || vi == n)) return true;
      bool is_star = pi < m && glob.wild[pi] && p[pi] == '*';
      if (vi < n && pi < m && !is_star && (glob.wild[pi] || p[pi] == lower(value[vi]))) {
        ++pi;
        ++vi;
      } else if (is_star) {
        star = pi++;
        mark = vi;
      } else if (star != std::string::npos && mark < n) {
        pi = star + 1;
        vi = ++mark;
      } else {
        return false;
      }
    }
  };
  if (glob.anchored_start) return match_from(0);
  for (size_t start = 0; start <= value.size(); ++start) {
    if (match_from(start)) return true;
  }
  return false;
}

namespace {

bool ReferenceTest(const FieldTest& t, const Event& event, IndicatorLookup* intel, TestHit* hit) {
  std::string_view value = ValueOf(event, t.field);
  hit->field = FieldLabel(t.field);
  hit->modifiers = t.modifiers;
  hit->value = std::string(value);
  switch (t.kind) {
    case MatchKind::kNull:
      hit->pattern = "null";
      return value.empty();
    case MatchKind::kCidr: return CidrTest(t, event, &hit->pattern);
    case MatchKind::kIntel:
      hit->pattern = t.intel_sources.empty() ? "any" : fmt::format("{}", t.intel_sources.size());
      return IntelTest(t, event, intel);
    case MatchKind::kGlob:
    case MatchKind::kRegex: {
      if (value.empty()) return false;
      size_t n = t.kind == MatchKind::kGlob ? t.globs.size() : t.regexes.size();
      bool any = false, all = true;
      for (size_t i = 0; i < n; ++i) {
        bool m;
        if (t.kind == MatchKind::kGlob) {
          m = GlobMatches(t.globs[i], value);
        } else {
          thread_local std::unordered_map<std::string, std::unique_ptr<RE2>> cache;
          auto& re = cache[t.regexes[i]];
          if (!re) re = MakeRe2(t.regexes[i]);
          m = RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *re);
        }
        if (m && hit->pattern.empty()) {
          hit->pattern = t.kind == MatchKind::kGlob ? t.globs[i].text : t.regexes[i];
        }
        any |= m;
        all &= m;
      }
      return t.all ? all : any;
    }
  }
  return false;
}

}  // namespace

bool ReferenceMatch(const Rule& rule, const Event& event, IndicatorLookup* intel,
                    Explanation* why) {
  Explanation local;
  Explanation& ex = why ? *why : local;
  ex = Explanation{};
  if (!rule.datasets.empty()) {
    std::string_view ds = event.Get(Field::kEventDataset);
    ex.dataset_ok = std::find(rule.datasets.begin(), rule.datasets.end(), ds) !=
                    rule.datasets.end();
  }
  for (const auto& sel : rule.selections) {
    SelectionResult sr;
    sr.name = sel.name;
    for (const auto& group : sel.groups) {
      std::vector<TestHit> hits;
      bool ok = true;
      for (const auto& test : group) {
        TestHit hit;
        if (!ReferenceTest(test, event, intel, &hit)) {
          ok = false;
          break;
        }
        hits.push_back(std::move(hit));
      }
      if (ok) {
        sr.matched = true;
        sr.hits = std::move(hits);
        break;
      }
    }
    ex.selections.push_back(std::move(sr));
  }
  ex.matched = ex.dataset_ok && EvalCondition(rule.condition, [&](size_t s) {
                 return ex.selections[s].matched;
               });
  return ex.matched;
}

}  // namespace mamori::rse::detect
