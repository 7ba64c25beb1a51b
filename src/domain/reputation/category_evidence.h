// The categorizer's optional evidence (domain/category/evidence.h) read from the reputation
// evidence index: registration data — the current creation date, the end of an earlier
// registration when the domain lapsed and came back (a zone-presence gap, or an RDAP creation date
// that changed), registrar and abuse contact — and where its names' CNAMEs lead. This is how
// `domain categorize` tells a re-registered domain from one registered for the attack.
#pragma once

#include <optional>
#include <string_view>

#include "core/clock.h"
#include "domain/category/evidence.h"
#include "domain/reputation/evidence_index.h"

namespace mamori::domain::reputation {

struct CategoryEvidence {
  std::optional<RegistrationEvidence> registration;
  std::optional<DnsEvidence> dns;
  // For Categorizer::Categorize(); points into this object.
  Evidence view() const { return {dns ? &*dns : nullptr, registration ? &*registration : nullptr}; }
};

// What the index knew about `registered_domain` at `at` (nothing after it is read).
CategoryEvidence CategoryEvidenceAt(const EvidenceIndex& index, std::string_view registered_domain,
                                    UnixSeconds at);

}  // namespace mamori::domain::reputation
