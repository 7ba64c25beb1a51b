// ReputationService: domain reputation for a long-running server (`mamori serve`,
// GET /api/v1/domains/<name>). It holds the model and an evidence index loaded from the store,
// and reloads the index when it is older than `refresh_seconds` (new passive DNS, snapshots,
// listings), on the request that finds it stale; requests in flight keep the index they started
// with. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "domain/reputation/category_evidence.h"
#include "domain/reputation/evidence_index.h"
#include "domain/reputation/model.h"
#include "domain/reputation/scorer.h"
#include "store/store.h"

namespace mamori::domain::reputation {

class ReputationService {
 public:
  // `store` and `clock` must outlive the service.
  ReputationService(store::Store& store, const Clock& clock, ReputationModel model,
                    AddressAnnotator annotate, int refresh_seconds = 300);
  ~ReputationService();

  // Score with reasons at `at` (0: now).
  Expected<ScoreResult> Explain(std::string_view name, UnixSeconds at, size_t top = 5);
  // The categorizer's evidence about a registered domain (category_evidence.h) from the same
  // index, at `at` (0: now).
  Expected<CategoryEvidence> CategoryEvidenceFor(std::string_view registered_domain, UnixSeconds at);
  // When the index in use was loaded (0: not yet).
  UnixSeconds index_loaded_at() const;

 private:
  struct Generation;
  Expected<std::shared_ptr<const Generation>> Current();

  store::Store& store_;
  const Clock& clock_;
  const ReputationModel model_;
  AddressAnnotator annotate_;
  const int refresh_seconds_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Generation> generation_;
};

}  // namespace mamori::domain::reputation
