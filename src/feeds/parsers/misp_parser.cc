#include "feeds/parsers/misp_parser.h"

#include <fmt/format.h>

#include <array>

#include "feeds/parsers/entry_sink.h"
#include "feeds/parsers/json_util.h"

namespace mamori::feeds::parsers {

namespace {

// Which parts of a MISP attribute value hold indicators. MISP writes composite values as
// "<left>|<right>" for types named "<left-type>|<right-type>".
enum class Part { kWhole, kLeft, kRight, kBoth };

struct TypeRule {
  std::string_view misp_type;
  Part part;
  TypeSet left;   // what the left part (or the whole value) may be
  TypeSet right;  // for kBoth: what the right part may be
};

constexpr TypeSet kAddr = TypeSet::Addresses();
constexpr TypeSet kDomain = {IndicatorType::kDomain};
constexpr TypeSet kUrl = {IndicatorType::kUrl};
constexpr TypeSet kMd5 = {IndicatorType::kMd5};
constexpr TypeSet kSha1 = {IndicatorType::kSha1};
constexpr TypeSet kSha256 = {IndicatorType::kSha256};

constexpr std::array<TypeRule, 17> kRules = {{
    {"ip-dst", Part::kWhole, kAddr, {}},
    {"ip-src", Part::kWhole, kAddr, {}},
    {"ip-dst|port", Part::kLeft, kAddr, {}},
    {"ip-src|port", Part::kLeft, kAddr, {}},
    {"domain", Part::kWhole, kDomain, {}},
    {"hostname", Part::kWhole, kDomain, {}},
    {"hostname|port", Part::kLeft, kDomain, {}},
    {"domain|ip", Part::kBoth, kDomain, kAddr},
    {"url", Part::kWhole, kUrl, {}},
    {"md5", Part::kWhole, kMd5, {}},
    {"sha1", Part::kWhole, kSha1, {}},
    {"sha256", Part::kWhole, kSha256, {}},
    {"filename|md5", Part::kRight, kMd5, {}},
    {"filename|sha1", Part::kRight, kSha1, {}},
    {"filename|sha256", Part::kRight, kSha256, {}},
    {"malware-sample", Part::kRight, kMd5, {}},  // "<file name>|<md5>"
    {"uri", Part::kWhole, kUrl, {}},
}};

const TypeRule* FindRule(std::string_view type) {
  for (const TypeRule& rule : kRules) {
    if (rule.misp_type == type) return &rule;
  }
  return nullptr;
}

void ParseAttribute(const nlohmann::json& attribute, size_t line, EntrySink& sink) {
  sink.CountItem();
  if (!attribute.is_object()) {
    sink.Invalid(line, "MISP attribute is not a JSON object", JsonExcerpt(attribute).substr(0, 80));
    return;
  }
  std::string_view type = GetString(attribute, "type");
  std::string_view value = GetString(attribute, "value");
  if (GetBool(attribute, "deleted").value_or(false)) {
    sink.Skipped();
    return;
  }
  // MISP's own default for every type we read is to_ids = true, so a missing flag counts as
  // set; an explicit false means "context, not for detection".
  if (!GetBool(attribute, "to_ids").value_or(true)) {
    sink.Skipped();
    return;
  }
  const TypeRule* rule = FindRule(type);
  // "uri" holds a path ("/gate.php") unless it carries a scheme; only then is it a URL.
  if (rule != nullptr && type == "uri" && value.find("://") == std::string_view::npos) {
    rule = nullptr;
  }
  if (rule == nullptr) {
    sink.Unsupported(line, fmt::format("unsupported MISP attribute type '{}'", type.substr(0, 40)),
                     value);
    return;
  }
  if (value.empty()) {
    sink.Invalid(line, fmt::format("MISP attribute of type '{}' has no value", type),
                 GetString(attribute, "uuid"));
    return;
  }
  std::string_view category = MispCategory(GetString(attribute, "category"));
  std::string_view left = value;
  std::string_view right;
  if (rule->part != Part::kWhole) {
    size_t bar = value.find('|');
    if (bar == std::string_view::npos) {
      sink.Invalid(line, fmt::format("MISP '{}' value needs the form '<a>|<b>'", type), value);
      return;
    }
    left = value.substr(0, bar);
    right = value.substr(bar + 1);
  }
  switch (rule->part) {
    case Part::kWhole:
    case Part::kLeft:
      sink.AddTyped(line, left, rule->left, value, category);
      break;
    case Part::kRight:
      sink.AddTyped(line, right, rule->left, value, category);
      break;
    case Part::kBoth:
      sink.AddTyped(line, left, rule->left, value, category);
      sink.AddTyped(line, right, rule->right, value, category);
      break;
  }
}

}  // namespace

std::string_view MispCategory(std::string_view c) {
  // MISP categories say where in an intrusion an attribute was seen. Those about delivering or
  // installing code mean malware infrastructure; "Network activity" covers C2, scanning and
  // phishing alike, so it leaves the source's default category in place.
  if (c == "Payload delivery" || c == "Payload installation" || c == "Artifacts dropped" ||
      c == "Persistence mechanism" || c == "Antivirus detection") {
    return "malware";
  }
  if (c == "Financial fraud") return "fraud";
  return {};
}

Status MispParser::Parse(std::string_view body, std::string_view origin, ParsedFeed& out) {
  MAMORI_ASSIGN_OR_RETURN(nlohmann::json document, ParseJson(body, origin));
  const nlohmann::json* event = nullptr;
  if (document.is_object()) {
    auto it = document.find("Event");
    if (it != document.end() && it->is_object()) event = &*it;
  }
  if (event == nullptr) {
    return MakeError(ErrorCode::kCorrupt,
                     "not a MISP event document: expected {\"Event\": {...}} at the top level",
                     std::string(origin));
  }
  EntrySink sink(options_, out);
  size_t line = 0;
  if (const nlohmann::json* attributes = GetArray(*event, "Attribute")) {
    for (const auto& attribute : *attributes) ParseAttribute(attribute, ++line, sink);
  }
  if (const nlohmann::json* objects = GetArray(*event, "Object")) {
    for (const auto& object : *objects) {
      const nlohmann::json* attributes = GetArray(object, "Attribute");
      if (attributes == nullptr) continue;
      for (const auto& attribute : *attributes) ParseAttribute(attribute, ++line, sink);
    }
  }
  return Ok();
}

}  // namespace mamori::feeds::parsers
