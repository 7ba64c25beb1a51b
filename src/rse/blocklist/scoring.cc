#include "rse/blocklist/scoring.h"

#include <algorithm>
#include <cmath>

namespace mamori::rse::blocklist {

const DecayParams& ScoringConfig::DecayFor(IndicatorType type) const {
  switch (type) {
    case IndicatorType::kIpv4:
    case IndicatorType::kIpv6:
    case IndicatorType::kCidr:
      return ip;
    case IndicatorType::kDomain:
      return domain;
    case IndicatorType::kUrl:
      return url;
    case IndicatorType::kSha256:
    case IndicatorType::kSha1:
    case IndicatorType::kMd5:
      return hash;
  }
  return ip;
}

double ScoringConfig::SeverityOf(const std::string& category) const {
  auto it = severity.find(category);
  return it == severity.end() ? unknown_severity : it->second;
}

double Decay(const DecayParams& params, double t_seconds) {
  if (t_seconds <= 0) return 1.0;
  if (params.tau_seconds <= 0 || t_seconds >= params.tau_seconds) return 0.0;
  double delta = params.delta > 0 ? params.delta : 1.0;
  return std::max(0.0, 1.0 - std::pow(t_seconds / params.tau_seconds, 1.0 / delta));
}

namespace {

// The time an indicator was last vouched for by a source: while listed, the source's latest
// successful update (last_seen); after delisting, the last update that still contained it. An
// accumulating source vouches only when it adds the value, so its listings age from then.
double AgeSeconds(const SourceEvidence& evidence, UnixSeconds now) {
  bool open = evidence.delisted_at == 0;
  UnixSeconds seen = evidence.last_seen > 0 && !(open && evidence.accumulating)
                         ? evidence.last_seen
                         : evidence.first_listed;
  return static_cast<double>(std::max<int64_t>(0, now - seen));
}

// S: log hits on a log scale, full at H hits; our own findings make a value fully relevant.
double SightingStrength(const LocalEvidence& local, const DecayParams& decay, UnixSeconds now,
                        const ScoringConfig& config) {
  double strength = 0;
  if (local.hits > 0) {
    double full = std::log2(1.0 + std::max(1.0, config.sighting_full_hits));
    strength = std::min(1.0, std::log2(1.0 + static_cast<double>(local.hits)) / full) *
               Decay(decay, static_cast<double>(now - local.last_hit));
  }
  if (local.own_findings > 0) {
    strength = std::max(strength, Decay(decay, static_cast<double>(now - local.last_finding)));
  }
  return strength;
}

}  // namespace

double ObservedCost(const Indicator& indicator, const LocalEvidence& local, UnixSeconds now,
                    const ScoringConfig& config) {
  LocalEvidence hits_only = local;
  hits_only.own_findings = 0;  // an own finding is never "unlisted traffic"
  return std::max(0.0, config.observed_collateral) * 100.0 *
         SightingStrength(hits_only, config.DecayFor(indicator.type), now, config);
}

bool IsAccumulating(int64_t open_listings, int64_t closed_listings) {
  int64_t total = open_listings + closed_listings;
  return total >= 1000 && closed_listings * 1000 < total;
}

PriorityExplanation ScoreIndicator(const Indicator& indicator,
                                   const std::vector<SourceEvidence>& sources,
                                   const LocalEvidence& local, UnixSeconds now,
                                   const ScoringConfig& config) {
  PriorityExplanation out;
  out.indicator = indicator;
  const DecayParams& decay = config.DecayFor(indicator.type);

  double miss = 1.0;  // Π (1 − p_s)
  double best_severity = -1;
  for (const SourceEvidence& evidence : sources) {
    SourceContribution c;
    c.evidence = evidence;
    c.age_seconds = AgeSeconds(evidence, now);
    c.decay = Decay(decay, c.age_seconds);
    int confidence = evidence.confidence >= 0 ? evidence.confidence : config.default_confidence;
    c.probability = std::clamp(evidence.reliability / 100.0, 0.0, 1.0) *
                    std::clamp(confidence / 100.0, 0.0, 1.0) * c.decay;
    miss *= 1.0 - c.probability;
    // The category is the most severe one any source still vouching for it gives; a source
    // whose evidence has decayed to nothing does not decide the category.
    if (c.probability > 0 || best_severity < 0) {
      double severity = config.SeverityOf(evidence.category);
      if (severity > best_severity ||
          (severity == best_severity && evidence.category < out.category)) {
        best_severity = severity;
        out.category = evidence.category;
      }
    }
    out.sources.push_back(std::move(c));
  }
  std::sort(out.sources.begin(), out.sources.end(),
            [](const SourceContribution& a, const SourceContribution& b) {
              if (a.probability != b.probability) return a.probability > b.probability;
              return a.evidence.source < b.evidence.source;
            });
  out.evidence = 1.0 - miss;

  if (local.own_findings > 0) {
    out.own_finding = config.own_finding_reliability *
                      Decay(decay, static_cast<double>(now - local.last_finding));
  }
  out.combined = 1.0 - (1.0 - out.evidence) * (1.0 - out.own_finding);
  out.sightings = SightingStrength(local, decay, now, config);
  if (local.logs_connected) {
    double w = std::clamp(config.sighting_weight, 0.0, 1.0);
    out.relevance = (1.0 - w) + w * out.sightings;
  }
  out.severity = best_severity >= 0 ? best_severity : config.unknown_severity;
  out.priority = 100.0 * out.severity * out.combined * out.relevance;
  return out;
}

}  // namespace mamori::rse::blocklist
