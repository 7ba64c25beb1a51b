#include "rse/detect/pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/indicator.h"
#include "core/special_addresses.h"
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

// The value as a sightable indicator: normalized, and for addresses not special-purpose.
std::optional<Indicator> Sightable(std::string_view value) {
  if (value.empty()) return std::nullopt;
  auto normalized = NormalizeIndicator(value);
  if (!normalized) return std::nullopt;
  const Indicator& indicator = normalized->indicator;
  if (indicator.type == IndicatorType::kIpv4 || indicator.type == IndicatorType::kIpv6) {
    auto address = IpAddress::Parse(indicator.value);
    if (!address || IsSpecialPurpose(*address)) return std::nullopt;
  }
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

Status DetectionPipeline::Write(const Detection& d, bool ongoing, UnixSeconds now) {
  auto written = store_->UpsertDetection(ToRecord(d, options_.input, ongoing, now));
  if (!written) return tl::unexpected(written.error());
  ++stats_.store_writes;
  return Ok();
}

Status DetectionPipeline::Sight(const Detection& d, UnixSeconds now) {
  auto rule = std::find_if(rules_->rules().begin(), rules_->rules().end(),
                           [&](const Rule& r) { return r.id == d.rule_id; });
  if (rule == rules_->rules().end()) return Ok();
  const auto& intel_fields = intel_fields_[rule - rules_->rules().begin()];
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
  for (const auto& indicator : sighted) {
    store::Sighting s;
    s.indicator = indicator;
    s.observed_at = d.last_time / kMicros;
    s.observer = "log:" + options_.input;
    s.count = std::max<int64_t>(1, d.count);
    s.context_json = ingest::DumpJson(
        {{"rule", d.rule_id}, {"group", d.group}, {"first", ingest::IsoMicros(d.first_time)}});
    auto id = store_->AddSighting(s);
    if (!id) return tl::unexpected(id.error());
    ++stats_.sightings;
  }
  (void)now;
  return Ok();
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
  Status first_error = Ok();
  auto note = [&](const Status& s) {
    if (s) return true;
    ++stats_.store_errors;
    stats_.last_store_error = s.error().message;
    if (first_error) first_error = s;
    return false;
  };
  // Opened and closed detections, in the order they happened; what fails stays pending.
  std::vector<Detection> failed;
  for (auto& d : pending_) {
    bool closed = d.state == Detection::State::kClosed;
    bool ok = note(Write(d, !closed, wall));
    if (ok && closed && options_.record_sightings) ok = note(Sight(d, wall));
    if (!ok) {
      failed.push_back(std::move(d));
      continue;
    }
    if (closed) {
      written_count_.erase(d.id);
    } else {
      written_count_[d.id] = d.count;
    }
  }
  pending_ = std::move(failed);
  // Ongoing detections that grew since they were written, at a bounded rate.
  if (now - last_ongoing_update_ >= options_.ongoing_update_seconds * kMicros) {
    last_ongoing_update_ = now;
    for (const Detection* d : detector_.Ongoing()) {
      auto it = written_count_.find(d->id);
      if (it != written_count_.end() && it->second == d->count) continue;
      if (note(Write(*d, true, wall))) written_count_[d->id] = d->count;
    }
  }
  return first_error;
}

Status DetectionPipeline::Finish() {
  std::vector<Detection> closed;
  detector_.Flush(&closed);
  Accept(closed);
  // Every ongoing detection was just closed: nothing is left to update.
  last_ongoing_update_ = std::numeric_limits<ingest::UnixMicros>::max() / 2;
  return Sync(0);
}

}  // namespace mamori::rse::detect
