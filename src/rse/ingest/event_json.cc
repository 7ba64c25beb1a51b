#include "rse/ingest/event_json.h"

#include <fmt/format.h>

#include <ctime>

namespace mamori::rse::ingest {

std::string IsoMicros(UnixMicros micros) {
  // Floor division so that times before 1970 still print a valid fraction.
  int64_t seconds = micros / 1'000'000;
  int64_t fraction = micros % 1'000'000;
  if (fraction < 0) {
    fraction += 1'000'000;
    --seconds;
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:06d}Z", buf, fraction);
}

nlohmann::json EventToJson(const Event& event, bool with_raw) {
  nlohmann::json out = nlohmann::json::object();
  if (event.time != 0) out["@timestamp"] = IsoMicros(event.time);
  for (const auto& [name, value] : event.Fields()) out[std::string(name)] = std::string(value);
  if (with_raw) out["event.original"] = std::string(event.raw);
  return out;
}

nlohmann::json EventToJson(const OwnedEvent& event, bool with_raw) {
  nlohmann::json out = nlohmann::json::object();
  if (event.time != 0) out["@timestamp"] = IsoMicros(event.time);
  for (const auto& [field, value] : event.fields) out[std::string(FieldName(field))] = value;
  if (with_raw) out["event.original"] = event.raw;
  return out;
}

nlohmann::json IngestStatsToJson(const IngestStats& stats) {
  nlohmann::json reasons = nlohmann::json::object();
  for (const auto& [reason, count] : stats.malformed_reasons) reasons[reason] = count;
  nlohmann::json examples = nlohmann::json::array();
  for (const auto& e : stats.examples) {
    examples.push_back({{"line", e.line}, {"reason", e.reason}, {"excerpt", e.excerpt}});
  }
  return {{"lines", stats.lines},
          {"events", stats.events},
          {"skipped", stats.skipped},
          {"malformed", stats.malformed},
          {"too_long", stats.too_long},
          {"invalid_utf8", stats.invalid_utf8},
          {"time_went_backwards", stats.time_went_backwards},
          {"malformed_reasons", reasons},
          {"examples", examples}};
}

std::string DumpJson(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mamori::rse::ingest
