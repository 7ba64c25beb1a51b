#include "cli/domain_assessor.h"

#include "domain/category/categorizer.h"
#include "domain/category/target.h"
#include "domain/reputation/categorize_with_evidence.h"
#include "domain/reputation/service.h"

namespace mamori::cli {

namespace {
// Reasons an operator reads beside a recommendation: the strongest few are enough.
constexpr size_t kReasons = 3;
}  // namespace

rse::respond::DomainAssessor MakeDomainAssessor(const domain::Categorizer* categorizer,
                                                domain::reputation::ReputationService* reputation) {
  return [categorizer, reputation](
             std::string_view name) -> std::optional<rse::respond::DomainAssessment> {
    rse::respond::DomainAssessment a;
    bool known = false;
    if (reputation != nullptr) {
      if (auto scored = reputation->Explain(name, 0, kReasons)) {
        a.score = scored->score;
        for (const auto& reason : scored->reasons) a.reasons.push_back(reason.text);
        known = true;
      }
    }
    if (categorizer != nullptr) {
      if (auto target = domain::ParseTarget(name)) {
        // As GET /api/v1/domains/<name>/category answers it, with the store's evidence.
        if (auto c = domain::reputation::CategorizeWithEvidence(*categorizer, reputation, *target)) {
          a.category = std::string(domain::CategoryName(c->category));
          a.action = std::string(domain::ActionName(c->action));
          a.block_at = c->block_at;
          for (auto point : c->defense_points) {
            a.defense_points.emplace_back(domain::DefensePointName(point));
          }
          a.abuse_contact = c->abuse_contact;
          known = true;
        }
      }
    }
    if (!known) return std::nullopt;
    return a;
  };
}

}  // namespace mamori::cli
