#include "rse/detect/detection_json.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <optional>

#include "core/clock.h"
#include "rse/detect/rule.h"
#include "rse/ingest/event_json.h"

namespace mamori::rse::detect {

nlohmann::json DetectionRecordToJson(const store::DetectionRecord& d, bool with_evidence) {
  nlohmann::json out = {{"id", d.id},
                        {"rule", d.rule_id},
                        {"title", d.title},
                        {"level", d.level},
                        {"group_field", d.group_field},
                        {"group", d.group_value},
                        {"target", d.target},
                        {"input", d.input},
                        {"first", ingest::IsoMicros(d.first_time)},
                        {"last", ingest::IsoMicros(d.last_time)},
                        {"count", d.count},
                        {"distinct", d.distinct_count},
                        {"ongoing", d.ongoing},
                        {"evidence_dropped", d.evidence_dropped},
                        {"recorded_at", FormatIso8601(d.recorded_at)},
                        {"updated_at", FormatIso8601(d.updated_at)}};
  if (with_evidence) {
    // Stored by DetectionPipeline as a JSON array; a damaged value is shown, not dropped.
    auto evidence = nlohmann::json::parse(d.evidence_json, nullptr, /*allow_exceptions=*/false);
    out["evidence"] = evidence.is_discarded() ? nlohmann::json(d.evidence_json) : evidence;
  }
  return out;
}

nlohmann::json DetectionToJson(const Detection& d, const std::string& input, bool with_evidence) {
  nlohmann::json out = {{"rule", d.rule_id},
                        {"title", d.title},
                        {"level", LevelName(d.level)},
                        {"group_field", d.group_field},
                        {"group", d.group},
                        {"target", DetectionTarget(d)},
                        {"input", input},
                        {"first", ingest::IsoMicros(d.first_time)},
                        {"last", ingest::IsoMicros(d.last_time)},
                        {"count", d.count},
                        {"distinct", d.distinct},
                        {"ongoing", d.state == Detection::State::kOpened},
                        {"evidence_dropped", d.evidence_dropped}};
  if (with_evidence) {
    nlohmann::json evidence = nlohmann::json::array();
    for (const auto& e : d.evidence) evidence.push_back(ingest::EventToJson(e, /*with_raw=*/true));
    out["evidence"] = std::move(evidence);
  }
  return out;
}

namespace {

Error BadParameter(std::string_view name, std::string_view value, std::string_view expected) {
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("{}={:?}: expected {}", name, value, expected), "detections query"};
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

Expected<store::DetectionQuery> ParseDetectionQuery(
    const std::map<std::string, std::string>& params, UnixSeconds now) {
  constexpr int64_t kMicros = 1'000'000;
  store::DetectionQuery q;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    if (name == "since") {
      UnixSeconds t = ParseTimestamp(value);
      // A bare number is Unix seconds (ParseTimestamp); "24h"/"7d" count back from now.
      if (t < 0 && !value.empty() && !std::isdigit(static_cast<unsigned char>(value.back()))) {
        int64_t back = ParseTimeframe(value);
        if (back >= 0) t = now - back;
      }
      if (t < 0) return tl::unexpected(BadParameter(name, value, "a time or a duration like 24h"));
      q.since = t * kMicros;
    } else if (name == "until") {
      UnixSeconds t = ParseTimestamp(value);
      if (t < 0) return tl::unexpected(BadParameter(name, value, "a time"));
      q.until = t * kMicros;
    } else if (name == "rule") {
      q.rule_id = value;
    } else if (name == "group") {
      q.group_value = value;
    } else if (name == "level") {
      if (!ParseLevel(value)) {
        return tl::unexpected(
            BadParameter(name, value, "informational, low, medium, high or critical"));
      }
      q.min_level = value;
    } else if (name == "ongoing") {
      if (value != "1" && value != "true" && value != "0" && value != "false") {
        return tl::unexpected(BadParameter(name, value, "1/true or 0/false"));
      }
      q.ongoing_only = value == "1" || value == "true";
    } else if (name == "before") {
      auto id = ParseInt(value);
      if (!id || *id <= 0) return tl::unexpected(BadParameter(name, value, "a detection id"));
      q.before_id = *id;
    } else if (name == "limit") {
      auto n = ParseInt(value);
      if (!n || *n < 1 || *n > 1000) {
        return tl::unexpected(BadParameter(name, value, "a number from 1 to 1000"));
      }
      q.limit = static_cast<int>(*n);
    } else {
      return tl::unexpected(Error{
          ErrorCode::kInvalidArgument,
          fmt::format("unknown parameter {:?} (since, until, rule, group, level, ongoing, "
                      "before, limit)",
                      name),
          "detections query"});
    }
  }
  return q;
}

}  // namespace mamori::rse::detect
