#include "domain/reputation/service.h"

namespace mamori::domain::reputation {

struct ReputationService::Generation {
  EvidenceIndex index;
  std::unique_ptr<ReputationScorer> scorer;  // borrows `index` and the service's model
  UnixSeconds loaded_at = 0;
};

ReputationService::ReputationService(store::Store& store, const Clock& clock,
                                     ReputationModel model, AddressAnnotator annotate,
                                     int refresh_seconds)
    : store_(store),
      clock_(clock),
      model_(std::move(model)),
      annotate_(std::move(annotate)),
      refresh_seconds_(refresh_seconds) {}

ReputationService::~ReputationService() = default;

UnixSeconds ReputationService::index_loaded_at() const {
  std::lock_guard lock(mutex_);
  return generation_ ? generation_->loaded_at : 0;
}

Expected<std::shared_ptr<const ReputationService::Generation>> ReputationService::Current() {
  // One loader at a time; others wait for it rather than load the same index again.
  std::lock_guard lock(mutex_);
  const UnixSeconds now = clock_.Now();
  if (generation_ && now - generation_->loaded_at < refresh_seconds_) return generation_;
  MAMORI_ASSIGN_OR_RETURN(EvidenceIndex index, LoadEvidenceIndex(store_, annotate_, {}));
  auto next = std::make_shared<Generation>();
  next->index = std::move(index);
  next->scorer = std::make_unique<ReputationScorer>(model_, &next->index);
  next->loaded_at = now;
  generation_ = std::move(next);
  return generation_;
}

Expected<ScoreResult> ReputationService::Explain(std::string_view name, UnixSeconds at,
                                                 size_t top) {
  MAMORI_ASSIGN_OR_RETURN(std::shared_ptr<const Generation> g, Current());
  return g->scorer->Explain(name, at > 0 ? at : clock_.Now(), top);
}

Expected<CategoryEvidence> ReputationService::CategoryEvidenceFor(std::string_view registered_domain,
                                                                 UnixSeconds at) {
  MAMORI_ASSIGN_OR_RETURN(std::shared_ptr<const Generation> g, Current());
  return CategoryEvidenceAt(g->index, registered_domain, at > 0 ? at : clock_.Now());
}

}  // namespace mamori::domain::reputation
