// Test support for the reputation code: a small random world of evidence records that can be
// built into an index whole or as it was on record at a date (records that start later dropped,
// the rest clipped), and the language model of the lexical features. Used by tests only.
#pragma once

#include <string>
#include <vector>

#include "domain/reputation/evidence_index.h"
#include "domain/reputation/model.h"

namespace mamori::domain::reputation::testing {

inline constexpr UnixSeconds kStart = 1'735'689'600;  // 2025-01-01
inline UnixSeconds Day0(int day) { return kStart + static_cast<UnixSeconds>(day) * 86400; }

// The built-in DGA model's n-gram model and word list, in a ReputationModel (no trees).
const ReputationModel& Language();

struct ListingRecord {
  std::string domain, source;
  UnixSeconds listed_at = 0, delisted_at = 0;
};

class RecordWorld {
 public:
  // `domains` registered domains over `days` days: pDNS on shared addresses, popularity runs,
  // zone runs with gaps, registrations, labels and listings at random times.
  static RecordWorld Random(uint64_t seed, int domains, int days);

  EvidenceIndex Build() const;
  // What was on record at `at`.
  RecordWorld TruncatedAt(UnixSeconds at) const;
  // Names to score: each registered domain and a host under it.
  const std::vector<std::string>& names() const { return names_; }

  std::vector<store::PdnsRrset> pdns;
  std::vector<store::PopularityInterval> popularity;
  std::vector<store::ZoneInterval> zone;
  std::vector<std::pair<std::string, store::SnapshotDay>> snapshot_days;  // (kind, day)
  std::vector<store::RegistrationObservation> registrations;
  std::vector<store::DomainLabel> labels;
  std::vector<ListingRecord> listings;

 private:
  std::vector<std::string> names_;
};

}  // namespace mamori::domain::reputation::testing
