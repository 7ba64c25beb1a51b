// The response engine's view of domains (rse/respond DomainAssessor) from the domain subsystem:
// the reputation service's score with its top reasons and the categorizer's category with the
// countermeasure, both over the store's evidence. `mamori serve` hands it to the responder so
// playbook conditions `min_reputation` / `categories` can hold and recommendations carry the
// reasons and the defense point (docs/respond.md).
#pragma once

#include "rse/respond/responder.h"

namespace mamori::domain {
class Categorizer;
namespace reputation {
class ReputationService;
}
}  // namespace mamori::domain

namespace mamori::cli {

// Either may be null (that half of the assessment is then left out; nullopt when both are). Both
// must outlive the assessor. Thread-safe, like the two services.
rse::respond::DomainAssessor MakeDomainAssessor(const domain::Categorizer* categorizer,
                                                domain::reputation::ReputationService* reputation);

}  // namespace mamori::cli
