#include "rse/detect/detector.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <optional>

namespace mamori::rse::detect {
namespace {
constexpr size_t kMaxDistinctWindow = 4096;
constexpr UnixMicros kMicros = 1'000'000;
}  // namespace

struct Detector::GroupState {
  Lru::iterator lru;
  std::deque<UnixMicros> times;                          // matching events in the window
  std::unordered_map<std::string, UnixMicros> distinct;  // count(field): value → last seen
  std::deque<ingest::OwnedEvent> pending;                // evidence before the threshold
  std::optional<Detection> ongoing;
  UnixMicros last = 0;
};

size_t Detector::KeyHash::operator()(const Key& k) const noexcept {
  return std::hash<std::string>()(k.group) * 31 + k.rule;
}

Detector::Detector(std::shared_ptr<const RuleSet> rules, Clock& clock, DetectorOptions options)
    : rules_(std::move(rules)), clock_(clock), options_(options) {}

Detector::~Detector() = default;

UnixMicros Detector::WindowOf(uint32_t rule) const {
  int64_t s = rules_->rules()[rule].timeframe_seconds;
  return (s > 0 ? s : options_.default_window_seconds) * kMicros;
}

void Detector::Close(GroupState& state, std::vector<Detection>* out) {
  if (!state.ongoing) return;
  state.ongoing->state = Detection::State::kClosed;
  ++stats_.closed;
  if (out) out->push_back(std::move(*state.ongoing));
  state.ongoing.reset();
}

void Detector::Process(const ingest::Event& event, const std::vector<uint32_t>& matched,
                       std::vector<Detection>* out) {
  if (matched.empty()) return;
  UnixMicros t = event.time != 0 ? event.time : clock_.Now() * kMicros;
  latest_ = std::max(latest_, t);
  for (uint32_t r : matched) {
    ++stats_.matches;
    const Rule& rule = rules_->rules()[r];
    const auto& agg = rule.aggregation;
    Field group_field = Field::kSourceIp;
    bool grouped = true;
    if (agg) {
      grouped = agg->group_by.has_value();
      if (grouped) group_field = static_cast<Field>(*agg->group_by);
    }
    Key key{r, grouped ? std::string(event.Get(group_field)) : std::string()};
    auto it = groups_.find(key);
    if (it == groups_.end()) {
      if (groups_.size() >= options_.max_groups && !lru_.empty()) {
        auto victim = groups_.find(lru_.front());
        Close(*victim->second, out);
        groups_.erase(victim);
        lru_.pop_front();
        ++stats_.evicted_groups;
      }
      auto state = std::make_unique<GroupState>();
      state->lru = lru_.insert(lru_.end(), key);
      it = groups_.emplace(std::move(key), std::move(state)).first;
    } else {
      lru_.splice(lru_.end(), lru_, it->second->lru);
    }
    GroupState& g = *it->second;
    const UnixMicros window = WindowOf(r);

    if (g.ongoing && t - g.ongoing->last_time > window) Close(g, out);
    if (g.ongoing) {
      Detection& d = *g.ongoing;
      ++d.count;
      d.last_time = std::max(d.last_time, t);
      d.first_time = std::min(d.first_time, t);
      if (d.evidence.size() < options_.max_evidence) {
        d.evidence.push_back(ingest::OwnedEvent::From(event));
      } else {
        ++d.evidence_dropped;
      }
      g.last = std::max(g.last, t);
      continue;
    }

    // Slide the window and add this event.
    g.last = std::max(g.last, t);
    const UnixMicros horizon = t - window;
    while (!g.times.empty() && g.times.front() < horizon) g.times.pop_front();
    while (!g.pending.empty() && g.pending.front().time != 0 && g.pending.front().time < horizon) {
      g.pending.pop_front();
    }
    g.times.push_back(t);
    // Evidence is the first events of the window (how the attack began); later ones are only
    // counted, so evidence_dropped + evidence.size() == count when it opens.
    if (g.pending.size() < options_.max_evidence) {
      g.pending.push_back(ingest::OwnedEvent::From(event));
      if (g.pending.back().time == 0) g.pending.back().time = t;
    }

    int64_t measure = 0;
    if (agg && agg->distinct_field) {
      std::string_view v = event.Get(static_cast<Field>(*agg->distinct_field));
      if (!v.empty()) g.distinct[std::string(v)] = t;
      std::erase_if(g.distinct, [&](const auto& kv) { return kv.second < horizon; });
      measure = static_cast<int64_t>(g.distinct.size());
      if (g.times.size() > kMaxDistinctWindow) g.times.pop_front();
    } else {
      measure = static_cast<int64_t>(g.times.size());
      size_t cap = agg ? static_cast<size_t>(agg->threshold) + 1 : 1;
      while (g.times.size() > cap) g.times.pop_front();
    }
    bool crossed = !agg || (agg->or_equal ? measure >= agg->threshold : measure > agg->threshold);
    if (!crossed) continue;

    Detection d;
    d.state = Detection::State::kOpened;
    d.id = next_id_++;
    d.rule = r;
    d.rule_id = rule.id;
    d.title = rule.title;
    d.level = rule.level;
    if (grouped) d.group_field = std::string(ingest::FieldName(group_field));
    d.group = it->first.group;
    d.first_time = *std::min_element(g.times.begin(), g.times.end());
    for (const auto& [value, seen] : g.distinct) d.first_time = std::min(d.first_time, seen);
    d.last_time = t;
    d.count = static_cast<int64_t>(g.times.size());
    d.distinct = static_cast<int64_t>(g.distinct.size());
    d.evidence.assign(std::make_move_iterator(g.pending.begin()),
                      std::make_move_iterator(g.pending.end()));
    d.evidence_dropped = std::max<int64_t>(0, d.count - static_cast<int64_t>(d.evidence.size()));
    g.pending.clear();
    g.times.clear();
    g.distinct.clear();
    ++stats_.opened;
    if (out) out->push_back(d);
    g.ongoing = std::move(d);
  }
}

std::string DetectionTarget(const Detection& d) {
  if (d.evidence.empty()) return {};
  using F = ingest::Field;
  // A DNS event's destination is the resolver; what the host asked for is the question name.
  for (F field : {F::kDnsQuestionName, F::kDestinationIp, F::kUrlDomain, F::kTlsServerName,
                  F::kHostName, F::kObserverName}) {
    for (const auto& [f, value] : d.evidence.front().fields) {
      if (f == field && !value.empty()) return value;
    }
  }
  return {};
}

void Detector::Expire(std::vector<Detection>* out, UnixMicros now) {
  if (now == 0) now = latest_;
  for (auto it = groups_.begin(); it != groups_.end();) {
    GroupState& g = *it->second;
    UnixMicros window = WindowOf(it->first.rule);
    if (g.last + window < now) {
      Close(g, out);
      lru_.erase(g.lru);
      it = groups_.erase(it);
    } else {
      ++it;
    }
  }
}

void Detector::Flush(std::vector<Detection>* out) {
  // Closed in LRU order (oldest activity first), so output order is deterministic.
  for (const Key& key : lru_) Close(*groups_.at(key), out);
  groups_.clear();
  lru_.clear();
}

std::vector<const Detection*> Detector::Ongoing() const {
  std::vector<const Detection*> out;
  for (const Key& key : lru_) {
    const auto& g = groups_.at(key);
    if (g->ongoing) out.push_back(&*g->ongoing);
  }
  return out;
}

DetectorStats Detector::stats() const {
  DetectorStats s = stats_;
  s.tracked_groups = groups_.size();
  return s;
}

}  // namespace mamori::rse::detect
