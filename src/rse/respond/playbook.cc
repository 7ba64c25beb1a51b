// YAML → Playbook. yaml-cpp throws; every call into it is inside the try of ParsePlaybooks or
// ParseAssetGroups, and each problem becomes a PlaybookError with the line of its node.
#include "rse/respond/playbook.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/yaml_files.h"
#include "rse/respond/actuator.h"

namespace mamori::rse::respond {
namespace {

struct Problem {
  int line;
  std::string reason;
};

[[noreturn]] void Fail(const YAML::Node& node, std::string reason) {
  throw Problem{node.Mark().is_null() ? 0 : node.Mark().line + 1, std::move(reason)};
}

std::string Scalar(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) Fail(node, fmt::format("{} must be a string", what));
  return node.Scalar();
}

std::vector<std::string> Strings(const YAML::Node& node, std::string_view what) {
  std::vector<std::string> out;
  if (!node.IsDefined()) return out;  // an absent key (a zombie node throws on anything else)
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const auto& item : node) out.push_back(Scalar(item, what));
  } else if (!node.IsNull()) {
    Fail(node, fmt::format("{} must be a string or a list of strings", what));
  }
  return out;
}

bool Bool(const YAML::Node& node, std::string_view what) {
  std::string v = Scalar(node, what);
  if (v == "true" || v == "yes") return true;
  if (v == "false" || v == "no") return false;
  Fail(node, fmt::format("{} must be true or false, not '{}'", what, v));
}

int64_t Integer(const YAML::Node& node, std::string_view what, int64_t min, int64_t max) {
  std::string v = Scalar(node, what);
  int64_t n = 0;
  bool ok = !v.empty() && v.size() <= 12;
  for (char c : v) {
    if (c < '0' || c > '9') ok = false;
    n = ok ? n * 10 + (c - '0') : 0;
  }
  if (!ok || n < min || n > max) {
    Fail(node, fmt::format("{} must be a whole number from {} to {}, not '{}'", what, min, max, v));
  }
  return n;
}

std::vector<Cidr> Cidrs(const YAML::Node& node, std::string_view what) {
  std::vector<Cidr> out;
  for (const auto& text : Strings(node, what)) {
    auto parsed = Cidr::Parse(text);
    if (!parsed) Fail(node, fmt::format("{}: '{}' is not an address or CIDR", what, text));
    out.push_back(parsed->cidr);
  }
  return out;
}

// Keys a mapping may have; anything else is a typo the user must hear about.
void CheckKeys(const YAML::Node& map, std::initializer_list<std::string_view> known,
               std::string_view what) {
  for (const auto& kv : map) {
    std::string key = kv.first.Scalar();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      Fail(kv.first, fmt::format("unknown key '{}' in {}", key, what));
    }
  }
}

constexpr std::string_view kKinds[] = {kBlockAddress, kBlockDomain,  kBlocklistBoost,
                                       kNotifyWebhook, kNotifySyslog, kNotifyEmail,
                                       kIsolateHost,   kRecommendOnly};

int64_t Duration(const YAML::Node& node) {
  int64_t seconds = detect::ParseTimeframe(Scalar(node, "duration"));
  if (seconds <= 0 || seconds > 366LL * 86400) {
    Fail(node, "duration must be like 30s, 15m, 1h or 7d (at most 366d)");
  }
  return seconds;
}

PlaybookAction ParseAction(const YAML::Node& node) {
  if (!node.IsMap()) Fail(node, "each action must be a mapping with a `type`");
  CheckKeys(node, {"type", "value", "device", "duration", "widen", "boost", "params"}, "an action");
  PlaybookAction a;
  a.line = node.Mark().line + 1;
  if (!node["type"]) Fail(node, "an action needs a `type`");
  a.type = Scalar(node["type"], "type");
  if (std::find(std::begin(kKinds), std::end(kKinds), a.type) == std::end(kKinds)) {
    Fail(node["type"], fmt::format("unknown action type '{}' (block_address, block_domain, "
                                   "blocklist_boost, notify_webhook, notify_syslog, "
                                   "notify_email, isolate_host, recommend)",
                                   a.type));
  }
  if (node["value"]) {
    std::string v = Scalar(node["value"], "value");
    if (v == "source") {
      a.value = ValueOf::kSource;
    } else if (v == "target") {
      a.value = ValueOf::kTarget;
    } else if (v == "indicator") {
      a.value = ValueOf::kIndicator;
    } else {
      Fail(node["value"], fmt::format("value must be source, target or indicator, not '{}'", v));
    }
  }
  if (node["device"]) a.device = Scalar(node["device"], "device");
  if (node["duration"]) a.duration_seconds = Duration(node["duration"]);
  if (const auto& widen = node["widen"]) {
    if (a.type != kBlockAddress) Fail(widen, "`widen` applies to block_address only");
    CheckKeys(widen, {"ipv4", "ipv6"}, "widen");
    if (widen["ipv4"]) a.widen_v4 = static_cast<int>(Integer(widen["ipv4"], "widen.ipv4", 8, 32));
    if (widen["ipv6"]) {
      a.widen_v6 = static_cast<int>(Integer(widen["ipv6"], "widen.ipv6", 16, 128));
    }
  }
  if (node["boost"]) {
    if (a.type != kBlocklistBoost) Fail(node["boost"], "`boost` applies to blocklist_boost only");
    a.boost = static_cast<int>(Integer(node["boost"], "boost", 1, 1000));
  } else if (a.type == kBlocklistBoost) {
    a.boost = 50;
  }
  if (const auto& params = node["params"]) {
    if (!params.IsMap()) Fail(params, "params must be a mapping of strings");
    for (const auto& kv : params) a.params[kv.first.Scalar()] = Scalar(kv.second, "a param");
  }
  return a;
}

PlaybookConditions ParseConditions(const YAML::Node& node, const AssetGroups& groups) {
  PlaybookConditions c;
  if (!node) return c;
  if (!node.IsMap()) Fail(node, "`when` must be a mapping");
  CheckKeys(node,
            {"rules", "min_level", "min_count", "group_field", "source_cidr", "not_source_cidr",
             "asset_groups", "intel_listed", "intel_sources", "min_reputation", "categories"},
            "`when`");
  c.rules = Strings(node["rules"], "rules");
  if (node["min_level"]) {
    auto level = detect::ParseLevel(Scalar(node["min_level"], "min_level"));
    if (!level) {
      Fail(node["min_level"], "min_level must be informational, low, medium, high or critical");
    }
    c.min_level = *level;
  }
  if (node["min_count"]) c.min_count = Integer(node["min_count"], "min_count", 0, 1LL << 40);
  if (node["group_field"]) c.group_field = Scalar(node["group_field"], "group_field");
  c.source_cidrs = Cidrs(node["source_cidr"], "source_cidr");
  c.not_source_cidrs = Cidrs(node["not_source_cidr"], "not_source_cidr");
  c.asset_groups = Strings(node["asset_groups"], "asset_groups");
  for (const auto& g : c.asset_groups) {
    if (!groups.count(g)) {
      Fail(node["asset_groups"],
           fmt::format("unknown asset group '{}' (define it in assets.yml)", g));
    }
  }
  if (node["intel_listed"]) c.intel_listed = Bool(node["intel_listed"], "intel_listed");
  c.intel_sources = Strings(node["intel_sources"], "intel_sources");
  if (node["min_reputation"]) {
    c.min_reputation = static_cast<int>(Integer(node["min_reputation"], "min_reputation", 0, 100));
  }
  c.categories = Strings(node["categories"], "categories");
  return c;
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
           ch == '.';
  });
}

Playbook ParseOne(const YAML::Node& doc, std::string_view file, const AssetGroups& groups) {
  if (!doc.IsMap()) Fail(doc, "a playbook must be a mapping");
  CheckKeys(doc,
            {"id", "title", "description", "mode", "enabled", "when", "actions", "allow_private",
             "allow_own_infrastructure", "rate_limit"},
            "a playbook");
  Playbook p;
  p.file = std::string(file);
  p.line = doc.Mark().line + 1;
  if (!doc["id"]) Fail(doc, "a playbook needs an `id`");
  p.id = Scalar(doc["id"], "id");
  if (!ValidId(p.id)) Fail(doc["id"], "id must be 1-64 characters of a-z, 0-9, '-', '_', '.'");
  if (doc["title"]) p.title = Scalar(doc["title"], "title");
  if (doc["description"]) p.description = Scalar(doc["description"], "description");
  if (!doc["mode"]) Fail(doc, "a playbook needs a `mode`: auto or recommend");
  p.mode = Scalar(doc["mode"], "mode");
  if (p.mode != "auto" && p.mode != "recommend") {
    Fail(doc["mode"], fmt::format("mode must be auto or recommend, not '{}'", p.mode));
  }
  if (doc["enabled"]) p.enabled = Bool(doc["enabled"], "enabled");
  p.when = ParseConditions(doc["when"], groups);
  const auto& actions = doc["actions"];
  if (!actions || !actions.IsSequence() || actions.size() == 0) {
    Fail(actions ? actions : doc, "a playbook needs a non-empty list of `actions`");
  }
  for (const auto& a : actions) p.actions.push_back(ParseAction(a));
  if (doc["allow_private"]) p.allow_private = Bool(doc["allow_private"], "allow_private");
  if (doc["allow_own_infrastructure"]) {
    p.allow_own_infrastructure = Bool(doc["allow_own_infrastructure"], "allow_own_infrastructure");
  }
  if (const auto& rate = doc["rate_limit"]) {
    CheckKeys(rate, {"per_minute", "per_target_per_hour"}, "rate_limit");
    if (rate["per_minute"]) {
      p.rate_per_minute = static_cast<int>(Integer(rate["per_minute"], "per_minute", 1, 100000));
    }
    if (rate["per_target_per_hour"]) {
      p.rate_per_target_per_hour =
          static_cast<int>(Integer(rate["per_target_per_hour"], "per_target_per_hour", 1, 1000));
    }
  }
  return p;
}

// Runs `body`, turning yaml-cpp exceptions and Problems into errors of `file`.
template <typename Body>
void Guard(std::string_view file, std::vector<PlaybookError>* errors, Body&& body) {
  try {
    body();
  } catch (const Problem& p) {
    errors->push_back({std::string(file), p.line, p.reason});
  } catch (const YAML::Exception& e) {
    errors->push_back({std::string(file), e.mark.is_null() ? 0 : e.mark.line + 1,
                       fmt::format("invalid YAML: {}", e.msg)});
  }
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // '*' only (rule ids have no '?'): iterative match with backtracking to the last star.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool InAny(const std::vector<Cidr>& cidrs, std::string_view value) {
  auto address = IpAddress::Parse(value);
  if (!address) return false;
  return std::any_of(cidrs.begin(), cidrs.end(),
                     [&](const Cidr& c) { return c.Contains(*address); });
}

}  // namespace

std::string_view ValueOfName(ValueOf v) {
  switch (v) {
    case ValueOf::kSource: return "source";
    case ValueOf::kTarget: return "target";
    case ValueOf::kIndicator: return "indicator";
  }
  return "source";
}

std::string PlaybookError::ToString() const {
  if (line > 0) return fmt::format("{}:{}: {}", file, line, reason);
  return fmt::format("{}: {}", file, reason);
}

PlaybookSet ParsePlaybooks(std::string_view yaml, std::string_view file_name,
                           const AssetGroups& groups) {
  PlaybookSet out;
  out.asset_groups = groups;
  std::vector<YAML::Node> docs;
  Guard(file_name, &out.errors, [&] { docs = YAML::LoadAll(std::string(yaml)); });
  for (const auto& doc : docs) {
    if (doc.IsNull()) continue;
    Guard(file_name, &out.errors,
          [&] { out.playbooks.push_back(ParseOne(doc, file_name, groups)); });
  }
  return out;
}

AssetGroups ParseAssetGroups(std::string_view yaml, std::string_view file_name,
                             std::vector<PlaybookError>* errors) {
  AssetGroups groups;
  Guard(file_name, errors, [&] {
    YAML::Node doc = YAML::Load(std::string(yaml));
    if (doc.IsNull()) return;
    if (!doc.IsMap()) Fail(doc, "assets.yml must be a mapping with `asset_groups`");
    CheckKeys(doc, {"asset_groups"}, "assets.yml");
    const auto& map = doc["asset_groups"];
    if (!map) return;
    if (!map.IsMap()) Fail(map, "asset_groups must map names to lists of CIDRs");
    for (const auto& kv : map) {
      std::string name = kv.first.Scalar();
      groups[name] = Cidrs(kv.second, fmt::format("asset group '{}'", name));
    }
  });
  return groups;
}

PlaybookSet LoadPlaybooks(const std::string& path) {
  constexpr std::string_view kAssetsFile = "assets.yml";
  PlaybookSet out;
  std::vector<YamlFileError> unreadable;
  std::vector<YamlFile> files = ReadYamlFiles(path, &unreadable, {std::string(kAssetsFile)});
  for (auto& e : unreadable) out.errors.push_back({std::move(e.path), 0, std::move(e.reason)});
  std::error_code ec;
  auto assets_path = std::filesystem::path(path) / kAssetsFile;
  if (std::filesystem::is_directory(path, ec) && std::filesystem::exists(assets_path, ec)) {
    std::vector<YamlFileError> assets_errors;
    auto assets = ReadYamlFiles(assets_path.string(), &assets_errors);
    for (auto& e : assets_errors) out.errors.push_back({std::move(e.path), 0, std::move(e.reason)});
    if (!assets.empty()) {
      out.asset_groups = ParseAssetGroups(assets[0].text, assets[0].path, &out.errors);
    }
  }
  std::set<std::string> ids;
  for (const auto& file : files) {
    PlaybookSet one = ParsePlaybooks(file.text, file.path, out.asset_groups);
    for (auto& e : one.errors) out.errors.push_back(std::move(e));
    for (auto& p : one.playbooks) {
      if (!ids.insert(p.id).second) {
        out.errors.push_back({p.file, p.line, fmt::format("duplicate playbook id '{}'", p.id)});
        continue;
      }
      out.playbooks.push_back(std::move(p));
    }
  }
  return out;
}

std::string ValueFor(const PlaybookAction& action, const store::DetectionRecord& detection) {
  switch (action.value) {
    case ValueOf::kSource: return detection.group_value;
    case ValueOf::kTarget:
    case ValueOf::kIndicator: return detection.target;
  }
  return detection.group_value;
}

bool Matches(const Playbook& playbook, const store::DetectionRecord& detection,
             const AssetGroups& groups, const ValueFacts& facts) {
  const PlaybookConditions& c = playbook.when;
  if (!c.rules.empty() &&
      std::none_of(c.rules.begin(), c.rules.end(),
                   [&](const std::string& r) { return GlobMatch(r, detection.rule_id); })) {
    return false;
  }
  auto level = detect::ParseLevel(detection.level);
  if (!level || *level < c.min_level) return false;
  if (detection.count < c.min_count) return false;
  if (!c.group_field.empty() && detection.group_field != c.group_field) return false;
  if (!c.source_cidrs.empty() && !InAny(c.source_cidrs, detection.group_value)) return false;
  if (InAny(c.not_source_cidrs, detection.group_value)) return false;
  if (!c.asset_groups.empty()) {
    bool in_group = false;
    for (const auto& name : c.asset_groups) {
      auto it = groups.find(name);
      if (it == groups.end()) continue;
      if (InAny(it->second, detection.group_value) || InAny(it->second, detection.target)) {
        in_group = true;
      }
    }
    if (!in_group) return false;
  }
  if (c.intel_listed && *c.intel_listed != facts.listed) return false;
  if (!c.intel_sources.empty()) {
    bool by_one = std::any_of(facts.listed_by.begin(), facts.listed_by.end(), [&](auto& s) {
      return std::find(c.intel_sources.begin(), c.intel_sources.end(), s) !=
             c.intel_sources.end();
    });
    if (!by_one) return false;
  }
  if (c.min_reputation > 0 && (!facts.reputation || *facts.reputation < c.min_reputation)) {
    return false;
  }
  if (!c.categories.empty() && std::find(c.categories.begin(), c.categories.end(),
                                         facts.category) == c.categories.end()) {
    return false;
  }
  return true;
}

}  // namespace mamori::rse::respond
