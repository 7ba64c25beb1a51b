// YAML → Rule. yaml-cpp throws; every call into it is inside the try of ParseRules, and each
// problem becomes a RuleError with the line of the node it is about.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <re2/re2.h>

#include "core/yaml_files.h"
#include "rse/detect/rule.h"

namespace mamori::rse::detect {
namespace {

// A load error carrying its line; thrown only inside this file and caught in ParseRules.
struct RuleProblem {
  int line;
  std::string reason;
};

[[noreturn]] void Fail(const YAML::Node& node, std::string reason) {
  throw RuleProblem{node.Mark().is_null() ? 0 : node.Mark().line + 1, std::move(reason)};
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ScalarOf(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) Fail(node, fmt::format("{} must be a string", what));
  return node.Scalar();
}

std::vector<std::string> StringList(const YAML::Node& node, std::string_view what) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const auto& item : node) out.push_back(ScalarOf(item, what));
  } else if (!node.IsNull()) {
    Fail(node, fmt::format("{} must be a string or a list of strings", what));
  }
  return out;
}

// Sigma value syntax: '*' and '?' are wildcards, '\*' '\?' '\\' literal; other backslashes are
// literal. Leading/trailing '*' of an anchored pattern become "not anchored".
GlobPattern MakeGlob(std::string_view text, bool anchored_start, bool anchored_end) {
  GlobPattern g;
  g.text = std::string(text);
  g.anchored_start = anchored_start;
  g.anchored_end = anchored_end;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() &&
        (text[i + 1] == '*' || text[i + 1] == '?' || text[i + 1] == '\\')) {
      g.lowered += text[++i];
      g.wild.push_back(false);
    } else if (c == '*' || c == '?') {
      g.lowered += c;
      g.wild.push_back(true);
    } else {
      g.lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      g.wild.push_back(false);
    }
  }
  // Collapse runs of '*' and strip them at the ends.
  while (!g.lowered.empty() && g.wild.front() && g.lowered.front() == '*') {
    g.lowered.erase(0, 1);
    g.wild.erase(g.wild.begin());
    g.anchored_start = false;
  }
  while (!g.lowered.empty() && g.wild.back() && g.lowered.back() == '*') {
    g.lowered.pop_back();
    g.wild.pop_back();
    g.anchored_end = false;
  }
  return g;
}

const std::vector<std::string_view> kKnownModifiers = {"contains", "startswith", "endswith", "re",
                                                       "cidr",     "all",        "intel"};

FieldTest ParseFieldTest(const YAML::Node& key, const YAML::Node& value) {
  FieldTest test;
  test.line = key.Mark().line + 1;
  std::string spec = ScalarOf(key, "a field name");
  std::string field_name = spec.substr(0, spec.find('|'));
  if (spec.find('|') != std::string::npos) test.modifiers = spec.substr(spec.find('|') + 1);
  auto field = ingest::FieldFromName(field_name);
  if (!field) {
    Fail(key, fmt::format("unknown field '{}': rules use the ECS names of "
                          "docs/formats/logs-events.md (source.ip, url.original, ...)",
                          field_name));
  }
  test.field = static_cast<size_t>(*field);

  std::string kind;  // contains/startswith/endswith/re/cidr/intel or "" (equals)
  if (!test.modifiers.empty()) {
    std::stringstream ss(test.modifiers);
    std::string mod;
    while (std::getline(ss, mod, '|')) {
      if (std::find(kKnownModifiers.begin(), kKnownModifiers.end(), mod) ==
          kKnownModifiers.end()) {
        Fail(key, fmt::format("unknown modifier '{}' on {}; known: contains, startswith, "
                              "endswith, re, cidr, all, intel",
                              mod, field_name));
      }
      if (mod == "all") {
        test.all = true;
      } else if (!kind.empty()) {
        Fail(key, fmt::format("modifiers '{}' and '{}' cannot be combined", kind, mod));
      } else {
        kind = mod;
      }
    }
  }

  if (value.IsNull() || (value.IsScalar() && value.Scalar().empty() && kind.empty())) {
    if (!kind.empty()) Fail(value, fmt::format("modifier '{}' needs a value, not null", kind));
    test.kind = MatchKind::kNull;
    return test;
  }
  std::vector<std::string> values;
  if (value.IsScalar()) {
    values.push_back(value.Scalar());
  } else if (value.IsSequence()) {
    for (const auto& v : value) {
      if (v.IsNull()) Fail(v, "null inside a value list; use a separate selection for absence");
      values.push_back(ScalarOf(v, "a value (quote values that contain \": \" or end with \":\")"));
    }
    if (values.empty()) Fail(value, fmt::format("empty value list for {}", field_name));
  } else {
    Fail(value, fmt::format("the value of {} must be a string or a list", field_name));
  }

  if (kind.empty() || kind == "contains" || kind == "startswith" || kind == "endswith") {
    test.kind = MatchKind::kGlob;
    bool start = kind.empty() || kind == "startswith";
    bool end = kind.empty() || kind == "endswith";
    for (const auto& v : values) {
      if (v.empty() && !kind.empty()) Fail(value, fmt::format("empty {} value", kind));
      test.globs.push_back(MakeGlob(v, start, end));
    }
  } else if (kind == "re") {
    test.kind = MatchKind::kRegex;
    for (const auto& v : values) {
      RE2::Options options;
      options.set_log_errors(false);
      RE2 re(v, options);
      if (!re.ok()) {
        Fail(value, fmt::format("invalid regular expression '{}': {} (RE2 syntax: no "
                                "backreferences or lookaround)",
                                v, re.error()));
      }
      test.regexes.push_back(v);
    }
  } else if (kind == "cidr") {
    test.kind = MatchKind::kCidr;
    for (const auto& v : values) {
      auto cidr = Cidr::Parse(v);
      if (!cidr) Fail(value, fmt::format("invalid CIDR '{}' for {}", v, field_name));
      test.cidrs.push_back(cidr->cidr);
    }
  } else if (kind == "intel") {
    test.kind = MatchKind::kIntel;
    static const std::set<std::string> kIntelFields = {
        "source.ip", "destination.ip", "url.domain", "dns.question.name",
        "tls.client.server_name", "url.original"};
    if (!kIntelFields.count(field_name)) {
      Fail(key, fmt::format("'intel' works on source.ip, destination.ip, url.domain, "
                            "dns.question.name, tls.client.server_name and url.original, "
                            "not {}",
                            field_name));
    }
    for (const auto& v : values) {
      if (Lower(v) == "any") continue;
      test.intel_sources.push_back(v);
    }
  }
  return test;
}

std::vector<FieldTest> ParseGroup(const YAML::Node& map) {
  std::vector<FieldTest> group;
  for (const auto& kv : map) group.push_back(ParseFieldTest(kv.first, kv.second));
  if (group.empty()) Fail(map, "empty selection");
  return group;
}

Selection ParseSelection(const std::string& name, const YAML::Node& node) {
  Selection sel;
  sel.name = name;
  sel.line = node.Mark().line + 1;
  if (node.IsMap()) {
    sel.groups.push_back(ParseGroup(node));
  } else if (node.IsSequence()) {
    if (node.size() == 0) Fail(node, fmt::format("selection '{}' is empty", name));
    bool maps = node[0].IsMap();
    FieldTest keywords;
    keywords.field = kRawField;
    keywords.kind = MatchKind::kGlob;
    keywords.line = sel.line;
    for (const auto& item : node) {
      if (maps != item.IsMap()) {
        Fail(item, fmt::format("selection '{}' mixes maps and keywords", name));
      }
      if (maps) {
        sel.groups.push_back(ParseGroup(item));
      } else {
        std::string kw = ScalarOf(item, "a keyword");
        if (kw.empty()) Fail(item, "empty keyword");
        keywords.globs.push_back(MakeGlob(kw, false, false));
      }
    }
    if (!maps) sel.groups.push_back({std::move(keywords)});
  } else {
    Fail(node, fmt::format("selection '{}' must be a map of fields, a list of maps or a list "
                           "of keywords",
                           name));
  }
  return sel;
}

// --- condition ---

class ConditionParser {
 public:
  ConditionParser(std::string_view text, const std::vector<Selection>& selections,
                  const YAML::Node& node)
      : selections_(selections), node_(node) {
    Tokenize(text);
  }

  ConditionNode ParseAll() {
    ConditionNode n = ParseOr();
    if (pos_ < tokens_.size() && tokens_[pos_] != "|") {
      Fail(node_, fmt::format("unexpected '{}' in condition", tokens_[pos_]));
    }
    return n;
  }

  std::optional<Aggregation> ParseAggregation() {
    if (pos_ >= tokens_.size()) return std::nullopt;
    ++pos_;  // '|'
    Aggregation agg;
    Expect("count");
    Expect("(");
    if (Peek() != ")") agg.distinct_field = FieldIndex(Next());
    Expect(")");
    if (Peek() == "by") {
      Next();
      agg.group_by = FieldIndex(Next());
    }
    std::string op = Next();
    if (op == ">=") {
      agg.or_equal = true;
    } else if (op != ">") {
      Fail(node_, fmt::format("aggregation operator '{}' is not supported; use > or >=", op));
    }
    std::string number = Next();
    char* end = nullptr;
    long long n = std::strtoll(number.c_str(), &end, 10);
    if (number.empty() || *end != '\0' || n < 0) {
      Fail(node_, fmt::format("aggregation threshold '{}' is not a non-negative integer", number));
    }
    agg.threshold = n;
    if (pos_ < tokens_.size()) {
      Fail(node_, fmt::format("unexpected '{}' after the aggregation", tokens_[pos_]));
    }
    return agg;
  }

 private:
  void Tokenize(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
      char c = text[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '(' || c == ')' || c == '|') {
        tokens_.emplace_back(1, c);
        ++i;
      } else if (c == '>' || c == '<' || c == '=' || c == '!') {
        size_t j = i + 1;
        if (j < text.size() && text[j] == '=') ++j;
        tokens_.emplace_back(text.substr(i, j - i));
        i = j;
      } else {
        size_t j = i;
        while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) &&
               text[j] != '(' && text[j] != ')' && text[j] != '|' && text[j] != '>' &&
               text[j] != '<' && text[j] != '=') {
          ++j;
        }
        tokens_.emplace_back(text.substr(i, j - i));
        i = j;
      }
    }
  }
  std::string Peek() const { return pos_ < tokens_.size() ? tokens_[pos_] : std::string(); }
  std::string Next() {
    if (pos_ >= tokens_.size()) Fail(node_, "condition ends too early");
    return tokens_[pos_++];
  }
  void Expect(std::string_view want) {
    std::string got = Next();
    if (Lower(got) != want) {
      Fail(node_, fmt::format("expected '{}' in condition, found '{}'", want, got));
    }
  }
  size_t FieldIndex(const std::string& name) {
    auto f = ingest::FieldFromName(name);
    if (!f) Fail(node_, fmt::format("unknown field '{}' in the aggregation", name));
    return static_cast<size_t>(*f);
  }

  ConditionNode ParseOr() {
    ConditionNode left = ParseAnd();
    if (Lower(Peek()) != "or") return left;
    ConditionNode n{ConditionNode::Kind::kOr, 0, {std::move(left)}};
    while (Lower(Peek()) == "or") {
      Next();
      n.children.push_back(ParseAnd());
    }
    return n;
  }
  ConditionNode ParseAnd() {
    ConditionNode left = ParseNot();
    if (Lower(Peek()) != "and") return left;
    ConditionNode n{ConditionNode::Kind::kAnd, 0, {std::move(left)}};
    while (Lower(Peek()) == "and") {
      Next();
      n.children.push_back(ParseNot());
    }
    return n;
  }
  ConditionNode ParseNot() {
    std::string t = Next();
    std::string lt = Lower(t);
    if (lt == "not") return ConditionNode{ConditionNode::Kind::kNot, 0, {ParseNot()}};
    if (t == "(") {
      ConditionNode inner = ParseOr();
      Expect(")");
      return inner;
    }
    if (lt == "1" || lt == "all") {
      Expect("of");
      std::string pattern = Next();
      std::vector<size_t> hits;
      for (size_t i = 0; i < selections_.size(); ++i) {
        if (Lower(pattern) == "them" || WildMatch(pattern, selections_[i].name)) hits.push_back(i);
      }
      if (hits.empty()) Fail(node_, fmt::format("'{}' names no selection", pattern));
      ConditionNode n{lt == "1" ? ConditionNode::Kind::kOr : ConditionNode::Kind::kAnd, 0, {}};
      for (size_t i : hits) n.children.push_back({ConditionNode::Kind::kSelection, i, {}});
      return n;
    }
    if (t == ")" || t == "|" || lt == "and" || lt == "or") {
      Fail(node_, fmt::format("unexpected '{}' in condition", t));
    }
    for (size_t i = 0; i < selections_.size(); ++i) {
      if (selections_[i].name == t) return {ConditionNode::Kind::kSelection, i, {}};
    }
    Fail(node_, fmt::format("condition names '{}', which is not a selection of this rule", t));
  }

  static bool WildMatch(std::string_view pattern, std::string_view name) {
    // Only '*' wildcards, for selection names.
    size_t star = pattern.find('*');
    if (star == std::string_view::npos) return pattern == name;
    std::string_view prefix = pattern.substr(0, star), rest = pattern.substr(star + 1);
    if (!name.starts_with(prefix)) return false;
    name.remove_prefix(prefix.size());
    for (size_t i = 0; i <= name.size(); ++i) {
      if (WildMatch(rest, name.substr(i))) return true;
    }
    return false;
  }

  std::vector<std::string> tokens_;
  size_t pos_ = 0;
  const std::vector<Selection>& selections_;
  const YAML::Node& node_;
};

const std::set<std::string> kIgnoredTopKeys = {"falsepositives", "fields",  "date",
                                               "modified",       "related", "license"};

Rule ParseRule(const YAML::Node& doc, std::string_view file) {
  if (!doc.IsMap()) Fail(doc, "a rule must be a YAML map (title, id, logsource, detection, ...)");
  Rule rule;
  rule.file = std::string(file);
  rule.line = doc.Mark().line + 1;
  // Optional, not default Nodes: a default Node counts as defined, and assigning to a Node that
  // already refers to a document node would overwrite that node's content.
  std::optional<YAML::Node> detection, logsource, timeframe;
  for (const auto& kv : doc) {
    std::string key = ScalarOf(kv.first, "a key");
    const YAML::Node& v = kv.second;
    if (key == "title") {
      rule.title = ScalarOf(v, "title");
    } else if (key == "id") {
      rule.id = ScalarOf(v, "id");
      bool ok = !rule.id.empty() && std::all_of(rule.id.begin(), rule.id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      });
      if (!ok) Fail(v, fmt::format("id '{}' must be a UUID or a slug ([A-Za-z0-9._-])", rule.id));
    } else if (key == "status") {
      rule.status = ScalarOf(v, "status");
    } else if (key == "description") {
      rule.description = ScalarOf(v, "description");
    } else if (key == "author") {
      rule.author = ScalarOf(v, "author");
    } else if (key == "references") {
      rule.references = StringList(v, "references");
    } else if (key == "tags") {
      rule.tags = StringList(v, "tags");
    } else if (key == "level") {
      auto level = ParseLevel(ScalarOf(v, "level"));
      if (!level) {
        Fail(v, fmt::format("level '{}' is not one of informational, low, medium, high, critical",
                            v.Scalar()));
      }
      rule.level = *level;
    } else if (key == "logsource") {
      logsource.emplace(v);
    } else if (key == "detection") {
      detection.emplace(v);
    } else if (key == "timeframe") {
      timeframe.emplace(v);
    } else if (!kIgnoredTopKeys.count(key)) {
      Fail(kv.first, fmt::format("unknown key '{}' (see docs/formats/rules.md)", key));
    }
  }
  if (rule.title.empty()) Fail(doc, "the rule has no title");
  if (rule.id.empty()) Fail(doc, "the rule has no id");
  if (!detection) Fail(doc, "the rule has no detection");
  if (!detection->IsMap()) Fail(*detection, "detection must be a map of selections and a condition");

  // logsource
  if (logsource) {
    if (!logsource->IsMap()) Fail(*logsource, "logsource must be a map (category/product/service)");
    std::string category, product, service;
    std::vector<std::string> datasets;
    for (const auto& kv : *logsource) {
      std::string key = ScalarOf(kv.first, "a logsource key");
      if (key == "category") {
        category = Lower(ScalarOf(kv.second, "category"));
      } else if (key == "product") {
        product = Lower(ScalarOf(kv.second, "product"));
      } else if (key == "service") {
        service = Lower(ScalarOf(kv.second, "service"));
      } else if (key == "dataset") {
        datasets = StringList(kv.second, "dataset");
      } else if (key != "definition") {
        Fail(kv.first, fmt::format("unknown logsource key '{}'; use category, product, service "
                                   "or dataset",
                                   key));
      }
      if (!rule.logsource_text.empty()) rule.logsource_text += ", ";
      rule.logsource_text += key + ": " + (kv.second.IsScalar() ? kv.second.Scalar() : "[...]");
    }
    if (!datasets.empty()) {
      rule.datasets = datasets;
    } else if (!category.empty() || !product.empty() || !service.empty()) {
      auto ds = DatasetsOf(category, product, service);
      if (!ds) Fail(*logsource, ds.error().message);
      rule.datasets = *ds;
    }
  }

  // selections, condition, timeframe
  std::optional<YAML::Node> condition;
  for (const auto& kv : *detection) {
    std::string key = ScalarOf(kv.first, "a selection name");
    if (key == "condition") {
      condition.emplace(kv.second);
    } else if (key == "timeframe") {
      timeframe.emplace(kv.second);
    } else {
      if (key.find_first_of(" ()|") != std::string::npos || Lower(key) == "and" ||
          Lower(key) == "or" || Lower(key) == "not" || Lower(key) == "them") {
        Fail(kv.first, fmt::format("'{}' cannot be a selection name", key));
      }
      rule.selections.push_back(ParseSelection(key, kv.second));
    }
  }
  if (rule.selections.empty()) Fail(*detection, "detection has no selection");
  if (!condition) Fail(*detection, "detection has no condition (e.g. `condition: selection`)");
  std::vector<std::string> conditions = StringList(*condition, "condition");
  if (conditions.empty()) Fail(*condition, "empty condition");
  // A list of conditions is their OR; only a single condition may aggregate.
  ConditionNode root{ConditionNode::Kind::kOr, 0, {}};
  for (const auto& text : conditions) {
    ConditionParser parser(text, rule.selections, *condition);
    root.children.push_back(parser.ParseAll());
    auto agg = parser.ParseAggregation();
    if (agg) {
      if (conditions.size() > 1) Fail(*condition, "an aggregation needs a single condition");
      rule.aggregation = agg;
    }
    if (!rule.condition_text.empty()) rule.condition_text += " OR ";
    rule.condition_text += text;
  }
  rule.condition = root.children.size() == 1 ? std::move(root.children[0]) : std::move(root);
  if (timeframe) {
    rule.timeframe_seconds = ParseTimeframe(ScalarOf(*timeframe, "timeframe"));
    if (rule.timeframe_seconds <= 0) {
      Fail(*timeframe, fmt::format("timeframe '{}' is not a duration like 30s, 10m, 1h, 1d",
                                   timeframe->Scalar()));
    }
  }
  if (rule.aggregation && rule.timeframe_seconds == 0) {
    Fail(*condition, "an aggregation needs a timeframe (e.g. `timeframe: 10m`)");
  }
  return rule;
}

}  // namespace

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kInformational: return "informational";
    case Level::kLow: return "low";
    case Level::kMedium: return "medium";
    case Level::kHigh: return "high";
    case Level::kCritical: return "critical";
  }
  return "medium";
}

std::optional<Level> ParseLevel(std::string_view text) {
  std::string t = Lower(text);
  for (Level l : {Level::kInformational, Level::kLow, Level::kMedium, Level::kHigh,
                  Level::kCritical}) {
    if (LevelName(l) == t) return l;
  }
  return std::nullopt;
}

bool GlobPattern::HasWildcards() const {
  return std::find(wild.begin(), wild.end(), true) != wild.end();
}

std::string RuleError::ToString() const {
  if (line > 0) return fmt::format("{}:{}: {}", file, line, reason);
  return fmt::format("{}: {}", file, reason);
}

int64_t ParseTimeframe(std::string_view text) {
  if (text.empty()) return -1;
  int64_t unit = 1;
  char last = text.back();
  if (!std::isdigit(static_cast<unsigned char>(last))) {
    switch (last) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      default: return -1;
    }
    text.remove_suffix(1);
  }
  if (text.empty() || text.size() > 9) return -1;
  int64_t n = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    n = n * 10 + (c - '0');
  }
  return n * unit;
}

LoadResult ParseRules(std::string_view yaml, std::string_view file_name) {
  LoadResult out;
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(yaml));
  } catch (const YAML::Exception& e) {
    out.errors.push_back({std::string(file_name), e.mark.is_null() ? 0 : e.mark.line + 1,
                          fmt::format("invalid YAML: {}", e.msg)});
    return out;
  }
  for (const auto& doc : docs) {
    if (doc.IsNull()) continue;
    try {
      out.rules.push_back(ParseRule(doc, file_name));
    } catch (const RuleProblem& p) {
      out.errors.push_back({std::string(file_name), p.line, p.reason});
    } catch (const YAML::Exception& e) {
      out.errors.push_back({std::string(file_name), e.mark.is_null() ? 0 : e.mark.line + 1,
                            fmt::format("invalid rule: {}", e.msg)});
    }
  }
  return out;
}

LoadResult LoadRules(const std::string& path) {
  LoadResult out;
  std::vector<YamlFileError> unreadable;
  // Playbooks live in rules/playbooks/ beside the rules (rse/respond/playbook.h).
  std::vector<YamlFile> files = ReadYamlFiles(path, &unreadable, {"playbooks"});
  for (auto& e : unreadable) out.errors.push_back({std::move(e.path), 0, std::move(e.reason)});
  std::set<std::string> ids;
  for (const auto& file : files) {
    LoadResult one = ParseRules(file.text, file.path);
    for (auto& e : one.errors) out.errors.push_back(std::move(e));
    for (auto& r : one.rules) {
      if (!ids.insert(r.id).second) {
        out.errors.push_back({r.file, r.line, fmt::format("duplicate rule id '{}'", r.id)});
        continue;
      }
      out.rules.push_back(std::move(r));
    }
  }
  return out;
}

// --- logsource → event.dataset ---

namespace {
struct DatasetInfo {
  std::string_view dataset;
  std::vector<std::string_view> products;
  std::vector<std::string_view> services;
  std::vector<std::string_view> categories;
};

const std::vector<DatasetInfo>& Datasets() {
  static const std::vector<DatasetInfo> table = {
      {"nginx.access", {"nginx"}, {"access"}, {"webserver"}},
      {"nginx.error", {"nginx"}, {"error"}, {"webserver"}},
      {"apache.access", {"apache"}, {"access"}, {"webserver"}},
      {"apache.error", {"apache"}, {"error"}, {"webserver"}},
      {"modsecurity.audit", {"modsecurity"}, {"audit"}, {"waf"}},
      {"suricata.eve", {"suricata"}, {"eve"}, {"ids", "dns", "network_connection"}},
      {"sshd", {"linux", "openssh"}, {"sshd", "auth"}, {"authentication"}},
      {"postfix", {"linux", "postfix"}, {"postfix", "smtp"}, {"authentication", "mail"}},
      {"netfilter", {"linux", "iptables", "nftables", "netfilter"}, {"kernel"}, {"firewall"}},
      {"fortinet.fortigate", {"fortinet", "fortigate"}, {}, {"firewall", "waf", "ids"}},
      {"panw.panos", {"paloalto", "pan-os"}, {}, {"firewall", "ids"}},
      {"cef", {"cef"}, {}, {"firewall", "waf", "ids"}},
      {"zeek.conn", {"zeek"}, {"conn"}, {"network_connection"}},
      {"zeek.dns", {"zeek"}, {"dns"}, {"dns"}},
  };
  return table;
}

bool Has(const std::vector<std::string_view>& list, std::string_view v) {
  return v.empty() || std::find(list.begin(), list.end(), v) != list.end();
}
}  // namespace

Expected<std::vector<std::string>> DatasetsOf(std::string_view category, std::string_view product,
                                              std::string_view service) {
  std::vector<std::string> out;
  for (const auto& d : Datasets()) {
    if (Has(d.categories, category) && Has(d.products, product) && Has(d.services, service)) {
      out.emplace_back(d.dataset);
    }
  }
  if (out.empty()) {
    std::set<std::string_view> c, p, s;
    for (const auto& d : Datasets()) {
      c.insert(d.categories.begin(), d.categories.end());
      p.insert(d.products.begin(), d.products.end());
      s.insert(d.services.begin(), d.services.end());
    }
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("logsource (category '{}', product '{}', service '{}') selects no "
                                 "known log format; categories: {}; products: {}; services: {}; "
                                 "or give `dataset:` explicitly",
                                 category, product, service, fmt::join(c, ", "),
                                 fmt::join(p, ", "), fmt::join(s, ", ")));
  }
  return out;
}

}  // namespace mamori::rse::detect
