#include "feeds/parsers/stix_parser.h"

#include <fmt/format.h>

#include "feeds/parsers/entry_sink.h"
#include "feeds/parsers/json_util.h"
#include "feeds/parsers/stix_pattern.h"

namespace mamori::feeds::parsers {

std::string_view StixCategory(std::string_view indicator_type) {
  // The indicator-type-ov vocabulary of STIX 2.1 (section 10.11) mapped to the categories the
  // rest of mamori uses; "attribution" and "unknown" say nothing about what to block for.
  if (indicator_type == "malicious-activity") return "malware";
  if (indicator_type == "anomalous-activity") return "suspicious";
  if (indicator_type == "anonymization") return "anonymizer";
  if (indicator_type == "compromised") return "compromised";
  return {};
}

namespace {

bool HasString(const nlohmann::json* array, std::string_view wanted) {
  if (array == nullptr) return false;
  for (const auto& v : *array) {
    if (v.is_string() && v.get_ref<const std::string&>() == wanted) return true;
  }
  return false;
}

std::string_view CategoryOf(const nlohmann::json* types) {
  if (types == nullptr) return {};
  for (const auto& v : *types) {
    if (!v.is_string()) continue;
    if (auto c = StixCategory(v.get_ref<const std::string&>()); !c.empty()) return c;
  }
  return {};
}

void ParseIndicator(const nlohmann::json& object, size_t line, EntrySink& sink) {
  if (GetBool(object, "revoked").value_or(false)) {
    sink.Skipped();
    return;
  }
  // STIX 2.1 names the types in indicator_types; STIX 2.0 used labels for the same vocabulary.
  const nlohmann::json* types = GetArray(object, "indicator_types");
  if (types == nullptr) types = GetArray(object, "labels");
  if (HasString(types, "benign")) {
    sink.Skipped();  // a statement that something is harmless, not an entry for a blocklist
    return;
  }
  std::string_view pattern = GetString(object, "pattern");
  std::string_view pattern_type = GetString(object, "pattern_type");
  if (!pattern_type.empty() && pattern_type != "stix") {
    sink.Unsupported(line, fmt::format("unsupported pattern_type '{}'", pattern_type.substr(0, 40)),
                     pattern);
    return;
  }
  if (pattern.empty()) {
    sink.Invalid(line, "indicator has no pattern", GetString(object, "id"));
    return;
  }
  auto parsed = ParseStixPattern(pattern);
  if (!parsed) {
    sink.Invalid(line, parsed.error().message, pattern);
    return;
  }
  std::string_view category = CategoryOf(types);
  int confidence = -1;
  if (auto c = GetInt(object, "confidence"); c && *c >= 0 && *c <= 100) {
    confidence = static_cast<int>(*c);
  }
  for (const std::string& why : parsed->unsupported) sink.Unsupported(line, why, pattern);
  for (const std::string& why : parsed->invalid) sink.Invalid(line, why, pattern);
  for (const StixTerm& term : parsed->terms) {
    sink.AddTyped(line, term.value, term.types, pattern, category, confidence);
  }
}

}  // namespace

Status StixParser::Parse(std::string_view body, std::string_view origin, ParsedFeed& out) {
  MAMORI_ASSIGN_OR_RETURN(nlohmann::json document, ParseJson(body, origin));
  if (!document.is_object()) {
    return MakeError(ErrorCode::kCorrupt, "a STIX document must be a JSON object",
                     std::string(origin));
  }
  const nlohmann::json* objects = GetArray(document, "objects");
  if (objects == nullptr) {
    bool empty_envelope =
        taxii_envelope_ && !document.contains("objects") && !document.contains("type");
    if (empty_envelope) return Ok();
    return MakeError(ErrorCode::kCorrupt,
                     "no \"objects\" array: expected a STIX 2.1 bundle or a TAXII 2.1 envelope",
                     std::string(origin));
  }
  EntrySink sink(options_, out);
  size_t line = 0;
  for (const nlohmann::json& object : *objects) {
    ++line;
    sink.CountItem();
    if (!object.is_object()) {
      sink.Invalid(line, "STIX object is not a JSON object", JsonExcerpt(object).substr(0, 80));
      continue;
    }
    if (GetString(object, "type") != "indicator") {
      sink.Skipped();  // malware, relationship, identity, ...: context, not entries
      continue;
    }
    ParseIndicator(object, line, sink);
  }
  return Ok();
}

}  // namespace mamori::feeds::parsers
