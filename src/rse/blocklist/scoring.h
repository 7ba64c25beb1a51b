// Priority scoring: how much blocking one indicator is worth, 0..100, with every component kept
// so `mamori blocklist explain` can show it.
//
//   per source s:  p_s = reliability_s/100 · confidence_s/100 · decay(t_s)
//                  t_s = now − last_seen of s's latest listing interval (0 while listed and fresh);
//                        for an *accumulating* source (one that never removes entries) an open
//                        listing is dated from first_listed instead: staying on a list that
//                        keeps everything says nothing about being active now
//                  decay(t) = max(0, 1 − (t/τ)^(1/δ))   (MISP's polynomial decay; τ, δ per type)
//   evidence:      E = 1 − Π_s (1 − p_s)                (noisy-OR: independent sources agree)
//                  F = own-finding reliability · decay(t)            our own analyses' IOCs
//   malice:        C = 1 − (1 − E)(1 − F)
//   relevance:     R = (1 − w) + w · S   when our logs are connected (else R = 1), where
//                  S = min(1, log2(1 + hits) / log2(1 + H)) · decay(t_hit)  hits in our own logs,
//                  and S = 1 for our own findings (they come from what reached us)
//   priority:      100 · severity(category) · C · R
// C says how sure we are that the value is malicious; R how much blocking it matters to this
// network. Log hits are not evidence of malice (a false positive on a popular CDN address is hit
// all day), so they scale the priority instead of entering the noisy-OR: with limited capacity,
// the listed values our own hosts actually reach come first. The logarithm keeps one very busy
// value from outweighing dozens of listed ones.
// category = the most severe category any listing gives; severity C2 1.0 > malware 0.85 >
// phishing 0.7 > spam 0.5 > scanner/bruteforce 0.4; unknown 0.6 (configurable).
// Allowlisted values are excluded outright (priority 0, `excluded` says why).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/indicator.h"
#include "core/ip.h"

namespace mamori::rse::blocklist {

struct DecayParams {
  double tau_seconds = 30 * 86400.0;  // lifetime: the score reaches 0 at t = τ
  double delta = 0.3;                 // decay speed (MISP's δ): < 1 stays high longer
};

struct ScoringConfig {
  DecayParams ip{30 * 86400.0, 0.3};       // ipv4, ipv6, cidr
  DecayParams domain{90 * 86400.0, 0.3};
  DecayParams url{60 * 86400.0, 0.3};
  DecayParams hash{365 * 86400.0, 0.5};
  std::map<std::string, double> severity = {
      {"c2", 1.0},      {"botnet", 1.0},  {"malware", 0.85}, {"ransomware", 0.9},
      {"phishing", 0.7}, {"exploit", 0.7}, {"spam", 0.5},     {"scanner", 0.4},
      {"bruteforce", 0.4}};
  double unknown_severity = 0.6;
  int default_confidence = 80;         // when a source gives none
  double sighting_weight = 0.8;        // w: share of the priority that depends on log hits
  double sighting_full_hits = 64;      // H: hits in the window that give full relevance
  double own_finding_reliability = 0.9;  // F's weight for observers named "malware:*"/"analysis:*"
  // What blocking an address our logs saw, and no source lists, costs an aggregate that covers
  // it: this × 100 × S(its hits) (UnobservedCost); 0 turns the traffic-aware collateral off.
  double observed_collateral = 1.0;

  const DecayParams& DecayFor(IndicatorType type) const;
  double SeverityOf(const std::string& category) const;
};

// decay(t) for one type; 1 at t <= 0, 0 at t >= τ.
double Decay(const DecayParams& params, double t_seconds);

// What one source says, as the scorer needs it.
struct SourceEvidence {
  std::string source;
  int reliability = 50;       // 0..100
  int confidence = -1;        // 0..100, -1: source gave none
  std::string category;       // already defaulted from the source
  UnixSeconds first_listed = 0;
  UnixSeconds last_seen = 0;
  UnixSeconds delisted_at = 0;  // 0 while listed
  // The source never removes entries (see IsAccumulating): an open listing ages from
  // first_listed.
  bool accumulating = false;
};

// A source is accumulating when it has closed (almost) none of its listings although it has
// held enough of them to tell: fewer than 1 in 1,000 of at least 1,000 listing intervals. Feeds
// that only ever add (many community and aggregator lists) keep stale entries forever.
bool IsAccumulating(int64_t open_listings, int64_t closed_listings);

struct LocalEvidence {
  int64_t hits = 0;             // log sightings
  UnixSeconds last_hit = 0;
  int64_t own_findings = 0;     // sightings by our own analyses
  UnixSeconds last_finding = 0;
  // Whether log sightings reach the store at all (any log hit in the window, for any value).
  // Without logs, relevance is not judged (R = 1) instead of ranking everything as unseen.
  bool logs_connected = false;
};

struct SourceContribution {
  SourceEvidence evidence;
  double age_seconds = 0;
  double decay = 0;
  double probability = 0;  // p_s
};

struct PriorityExplanation {
  Indicator indicator;
  std::vector<SourceContribution> sources;  // sorted by p_s descending, then name
  double evidence = 0;        // E
  double own_finding = 0;     // F
  double combined = 0;        // C (malice)
  double sightings = 0;       // S
  double relevance = 1;       // R
  std::string category;
  double severity = 0;
  double priority = 0;        // 0..100
  std::optional<std::string> excluded;  // allowlist/warning-list reason; priority is 0 then
};

// An address our logs saw that no source lists, with ObservedCost(): aggregates that would cover
// it pay that cost (SelectOptions::observed_unlisted).
struct ObservedAddress {
  IpAddress address;
  double cost = 0;
};

// Cost of blocking a value no source lists but our logs saw (`local.hits`), in priority points:
// observed_collateral × 100 × S. Blocking a destination our hosts use as much as a C2 they
// reach costs about what blocking that C2 gains.
double ObservedCost(const Indicator& indicator, const LocalEvidence& local, UnixSeconds now,
                    const ScoringConfig& config);

// Scores one indicator from its evidence; `now` is the build time.
PriorityExplanation ScoreIndicator(const Indicator& indicator,
                                   const std::vector<SourceEvidence>& sources,
                                   const LocalEvidence& local, UnixSeconds now,
                                   const ScoringConfig& config);

}  // namespace mamori::rse::blocklist
