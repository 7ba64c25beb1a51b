#include "rse/detect/pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>
#include <nlohmann/json.hpp>

#include "core/indicator.h"
#include "intel/special_ranges.h"
#include "rse/ingest/event_json.h"

namespace mamori::rse::detect {
namespace {

constexpr int64_t kMicros = 1'000'000;

// Fields a rule tests with `|intel`, in selection order, without repeats.
std::vector<size_t> IntelFields(const Rule& rule) {
  std::vector<size_t> out;
  for (const auto& selection : rule.selections) {
    for (const auto& group : selection.groups) {
      for (const auto& test : group) {
        if (test.kind != MatchKind::kIntel || test.field == kRawField) continue;
        if (std::find(out.begin(), out.end(), test.field) == out.end()) out.push_back(test.field);
      }
    }
  }
  return out;
}

// The value as a sightable indicator: normalized, and for addresses not our own.
std::optional<Indicator> Sightable(std::string_view value) {
  if (value.empty()) return std::nullopt;
  auto normalized = NormalizeIndicator(value);
  if (!normalized) return std::nullopt;
  const Indicator& indicator = normalized->indicator;
  bool address =
      indicator.type == IndicatorType::kIpv4 || indicator.type == IndicatorType::kIpv6;
  if (address && intel::IsSpecialPurposeAddress(indicator)) return std::nullopt;
  return indicator;
}

}  // namespace

DetectionPipeline::DetectionPipeline(std::shared_ptr<const RuleSet> rules, Clock& clock,
                                     store::Store* store, IndicatorLookup* intel,
                                     PipelineOptions options)
    : rules_(rules),
      clock_(clock),
      store_(store),
      options_(std::move(options)),
      matcher_(rules, intel),
      detector_(rules, clock, options_.detector) {
  for (const Rule& rule : rules_->rules()) intel_fields_.push_back(IntelFields(rule));
}

DetectionPipeline::~DetectionPipeline() = default;

void DetectionPipeline::Process(const ingest::Event& event) {
  ++stats_.events;
  const auto& matched = matcher_.Match(event);
  if (matched.empty()) return;
  ++stats_.matched_events;
  last_matches_ = matched;
  size_t before = pending_.size();
  detector_.Process(event, matched, &pending_);
  if (pending_.size() != before) {
    std::vector<Detection> fresh(std::make_move_iterator(pending_.begin() + before),
                                 std::make_move_iterator(pending_.end()));
    pending_.resize(before);
    Accept(fresh);
  }
}

void DetectionPipeline::Accept(std::vector<Detection>& fresh) {
  for (auto& d : fresh) {
    if (d.state == Detection::State::kOpened) {
      ++stats_.detections_opened;
    } else {
      ++stats_.detections_closed;
    }
    if (on_detection_) on_detection_(d);
    pending_.push_back(std::move(d));
  }
}

store::DetectionRecord DetectionPipeline::ToRecord(const Detection& d, const std::string& input,
                                                   bool ongoing, UnixSeconds now) {
  store::DetectionRecord r;
  r.rule_id = d.rule_id;
  r.title = d.title;
  r.level = std::string(LevelName(d.level));
  r.group_field = d.group_field;
  r.group_value = d.group;
  r.target = DetectionTarget(d);
  r.input = input;
  r.first_time = d.first_time;
  r.last_time = d.last_time;
  r.count = d.count;
  r.distinct_count = d.distinct;
  r.ongoing = ongoing;
  nlohmann::json evidence = nlohmann::json::array();
  for (const auto& e : d.evidence) evidence.push_back(ingest::EventToJson(e, /*with_raw=*/true));
  r.evidence_json = ingest::DumpJson(evidence);
  r.evidence_dropped = d.evidence_dropped;
  r.updated_at = now;
  return r;
}

void DetectionPipeline::AppendSightings(const Detection& d, std::vector<store::Sighting>* out) {
  const auto& intel_fields = intel_fields_[d.rule];
  std::vector<Indicator> sighted;
  if (!intel_fields.empty()) {
    // The listed values the evidence events carried: what the infected host contacted.
    for (const auto& e : d.evidence) {
      for (const auto& [field, value] : e.fields) {
        if (std::find(intel_fields.begin(), intel_fields.end(), static_cast<size_t>(field)) ==
            intel_fields.end()) {
          continue;
        }
        auto indicator = Sightable(value);
        if (indicator && std::find(sighted.begin(), sighted.end(), *indicator) == sighted.end()) {
          sighted.push_back(*indicator);
        }
      }
    }
  } else if (d.group_field == ingest::FieldName(ingest::Field::kSourceIp)) {
    if (auto indicator = Sightable(d.group)) sighted.push_back(*indicator);
  }
  for (auto& indicator : sighted) {
    store::Sighting& s = out->emplace_back();
    s.indicator = std::move(indicator);
    s.observed_at = d.last_time / kMicros;
    s.observer = "log:" + options_.input;
    s.count = std::max<int64_t>(1, d.count);
    s.context_json = ingest::DumpJson(
        {{"rule", d.rule_id}, {"group", d.group}, {"first", ingest::IsoMicros(d.first_time)}});
  }
}

Status DetectionPipeline::Sync(ingest::UnixMicros now) {
  std::vector<Detection> expired;
  detector_.Expire(&expired, now);
  Accept(expired);
  if (store_ == nullptr) {
    pending_.clear();
    return Ok();
  }
  UnixSeconds wall = clock_.Now();
  // Everything since the last successful Sync goes in one transaction: the detections that
  // opened or closed, in order, the sightings of the closed ones, and ongoing ones that grew.
  std::vector<store::DetectionRecord> records;
  std::vector<store::Sighting> sightings;
  std::unordered_set<uint64_t> pending_ids;
  std::vector<size_t> first_writes;  // indexes into records of detections never stored before
  for (const auto& d : pending_) {
    bool closed = d.state == Detection::State::kClosed;
    if (!written_count_.count(d.id) && !pending_ids.count(d.id)) {
      first_writes.push_back(records.size());
    }
    records.push_back(ToRecord(d, options_.input, !closed, wall));
    if (closed && options_.record_sightings) AppendSightings(d, &sightings);
    pending_ids.insert(d.id);
  }
  std::vector<std::pair<uint64_t, int64_t>> grown;  // (id, count) of ongoing rewrites
  if (now - last_ongoing_update_ >= options_.ongoing_update_seconds * kMicros) {
    last_ongoing_update_ = now;
    for (const Detection* d : detector_.Ongoing()) {
      if (pending_ids.count(d->id)) continue;
      auto it = written_count_.find(d->id);
      if (it != written_count_.end() && it->second == d->count) continue;
      records.push_back(ToRecord(*d, options_.input, true, wall));
      grown.emplace_back(d->id, d->count);
    }
  }
  if (records.empty() && sightings.empty()) return Ok();
  auto written = store_->RecordDetections(records, sightings);
  if (!written) {
    // Nothing was written (one transaction): pending_ stays for the next Sync.
    ++stats_.store_errors;
    stats_.last_store_error = written.error().message;
    return tl::unexpected(written.error());
  }
  stats_.store_writes += static_cast<int64_t>(records.size());
  stats_.sightings += static_cast<int64_t>(sightings.size());
  for (const auto& d : pending_) {
    if (d.state == Detection::State::kClosed) {
      written_count_.erase(d.id);
    } else {
      written_count_[d.id] = d.count;
    }
  }
  for (const auto& [id, count] : grown) written_count_[id] = count;
  pending_.clear();
  if (on_recorded_ && !first_writes.empty()) {
    std::vector<store::DetectionRecord> fresh;
    for (size_t i : first_writes) {
      records[i].id = (*written)[i];
      fresh.push_back(std::move(records[i]));
    }
    on_recorded_(std::move(fresh));
  }
  return Ok();
}

Status DetectionPipeline::Finish() {
  std::vector<Detection> closed;
  detector_.Flush(&closed);
  Accept(closed);
  return Sync(0);  // nothing is ongoing any more: this writes the closed ones
}

}  // namespace mamori::rse::detect
