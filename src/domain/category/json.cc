#include "domain/category/json.h"

#include <cmath>

namespace mamori::domain {

nlohmann::json CategorizationToJson(const Categorization& c) {
  nlohmann::json points = nlohmann::json::array();
  for (DefensePoint p : c.defense_points) points.push_back(DefensePointName(p));
  nlohmann::json j = {
      {"input", c.input},
      {"domain", c.domain},
      {"registered_domain", c.registered_domain},
      {"category", CategoryName(c.category)},
      // Two decimals: the value is a judgement, not a measurement.
      {"confidence", std::round(c.confidence * 100) / 100},
      {"evidence", c.evidence},
      {"action", ActionName(c.action)},
      {"block_at", c.block_at},
      {"defense_points", points},
      {"abuse_contact", c.abuse_contact},
  };
  if (!c.platform.empty()) j["platform"] = c.platform;
  if (!c.provider.empty()) j["provider"] = c.provider;
  if (c.typosquat) {
    j["typosquat"] = {{"brand", c.typosquat->brand},
                      {"technique", c.typosquat->technique},
                      {"distance", c.typosquat->distance}};
  }
  if (c.dga_probability) j["dga_probability"] = std::round(*c.dga_probability * 1000) / 1000;
  return j;
}

nlohmann::json CategorizationErrorToJson(std::string_view input, const Error& error) {
  return {{"input", std::string(input)}, {"error", error.message}};
}

}  // namespace mamori::domain
