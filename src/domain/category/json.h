// JSON form of a categorization (the CLI's --json lines and, later, the REST API):
//   {"input", "domain", "registered_domain", "category", "confidence", "evidence": [...],
//    "action", "block_at", "defense_points": [...], "abuse_contact",
//    optional "platform", "provider", "typosquat": {"brand", "technique", "distance"},
//    "dga_probability"}
// and of a failed item: {"input", "error"}. Free functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/error.h"
#include "domain/category/categorizer.h"

namespace mamori::domain {

nlohmann::json CategorizationToJson(const Categorization& c);
nlohmann::json CategorizationErrorToJson(std::string_view input, const Error& error);

}  // namespace mamori::domain
