#include "domain/reputation/categorize_with_evidence.h"

#include "domain/reputation/category_evidence.h"
#include "domain/reputation/service.h"

namespace mamori::domain::reputation {

Expected<Categorization> CategorizeWithEvidence(const Categorizer& categorizer,
                                                ReputationService* reputation,
                                                const Target& target) {
  CategoryEvidence evidence;
  if (reputation != nullptr && target.name) {
    if (auto registered = target.name->RegisteredDomain()) {
      // No index yet (a failed load) is no evidence, not a failed categorization.
      if (auto found = reputation->CategoryEvidenceFor(*registered, 0)) {
        evidence = std::move(*found);
      }
    }
  }
  return categorizer.Categorize(target, evidence.view());
}

}  // namespace mamori::domain::reputation
