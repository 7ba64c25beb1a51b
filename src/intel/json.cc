#include "intel/json.h"

namespace mamori::intel {

using nlohmann::json;

json TimeJson(UnixSeconds t) {
  if (t == 0) return nullptr;
  return FormatIso8601(t);
}

json ToJson(const store::SourceRecord& s) {
  json options = json::parse(s.options_json, nullptr, /*allow_exceptions=*/false);
  if (options.is_discarded()) options = s.options_json;
  return {
      {"name", s.name},
      {"url", s.url},
      {"format", s.format},
      {"reliability", s.reliability},
      {"default_category", s.default_category},
      {"refresh_seconds", s.refresh_seconds},
      {"license", s.license},
      {"options", options},
      {"enabled", s.enabled},
      {"created_at", TimeJson(s.created_at)},
      {"listed_count", s.listed_count},
      {"fetch",
       {{"last_attempt_at", TimeJson(s.last_attempt_at)},
        {"last_success_at", TimeJson(s.last_success_at)},
        {"status", s.last_status},
        {"error", s.last_error},
        {"etag", s.etag},
        {"last_modified", s.last_modified}}},
  };
}

json ToJson(const store::ListingInterval& i) {
  return {
      {"source", i.source_name},
      {"first_listed", TimeJson(i.first_listed)},
      {"last_seen", TimeJson(i.last_seen)},
      {"delisted_at", TimeJson(i.delisted_at)},
      {"listed", i.delisted_at == 0},
      {"category", i.category},
      {"confidence", i.confidence < 0 ? json(nullptr) : json(i.confidence)},
  };
}

json ToJson(const store::IndicatorHistory& h) {
  json intervals = json::array();
  for (const auto& i : h.intervals) intervals.push_back(ToJson(i));
  json sightings = json::array();
  for (const auto& s : h.sightings) {
    json context = json::parse(s.context_json, nullptr, false);
    sightings.push_back({{"observed_at", TimeJson(s.observed_at)},
                         {"observer", s.observer},
                         {"count", s.count},
                         {"context", context.is_discarded() ? json(s.context_json) : context}});
  }
  return {
      {"type", IndicatorTypeName(h.indicator.type)},
      {"value", h.indicator.value},
      {"first_seen", TimeJson(h.first_seen)},
      {"intervals", intervals},
      {"sightings", sightings},
  };
}

json ToJson(const store::AllowlistEntry& e) {
  return {{"id", e.id},
          {"kind", e.kind},
          {"value", e.value},
          {"reason", e.reason},
          {"created_at", TimeJson(e.created_at)},
          {"expires_at", TimeJson(e.expires_at)}};
}

json ToJson(const store::StoreStats& s) {
  return {{"sources", s.sources},
          {"indicators", s.indicators},
          {"open_intervals", s.open_intervals},
          {"closed_intervals", s.closed_intervals},
          {"sightings", s.sightings},
          {"allowlist_entries", s.allowlist_entries},
          {"schema_version", s.schema_version}};
}

json ToJson(const LookupResult& r) {
  json covering = json::array();
  for (const auto& h : r.covering) covering.push_back(ToJson(h));
  return {
      {"query", {{"type", IndicatorTypeName(r.indicator.type)}, {"value", r.indicator.value}}},
      {"listed_now", r.listed_now},
      {"known", r.exact.has_value()},
      {"history", r.exact ? ToJson(*r.exact) : json(nullptr)},
      {"covering", covering},
      {"allowlisted_by", r.allowlisted_by ? ToJson(*r.allowlisted_by) : json(nullptr)},
  };
}

}  // namespace mamori::intel
