// Categorization over the store's evidence: the categorizer (domain/category) asked about a
// target together with what the reputation service's index knows of its registered domain —
// re-registration after a lapse, CNAMEs onto platforms, the RDAP abuse contact
// (category_evidence.h). One place for GET /api/v1/domains/<name>/category and the response
// engine's domain assessments (cli/domain_assessor.cc).
#pragma once

#include "core/error.h"
#include "domain/category/categorizer.h"
#include "domain/category/target.h"

namespace mamori::domain::reputation {

class ReputationService;

// `reputation` may be null (no evidence: the categorizer says what it could not check).
// Thread-safe when both are.
Expected<Categorization> CategorizeWithEvidence(const Categorizer& categorizer,
                                                ReputationService* reputation,
                                                const Target& target);

}  // namespace mamori::domain::reputation
