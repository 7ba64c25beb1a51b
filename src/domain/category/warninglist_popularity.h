// WarningListPopularity: the PopularityLookup of the built-in warning lists (intel/
// warninglists.h) — which of "top-sites" and "tranco10k" lists a registered domain.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/category/evidence.h"
#include "intel/warninglists.h"

namespace mamori::domain {

class WarningListPopularity final : public PopularityLookup {
 public:
  static Expected<WarningListPopularity> Load();
  std::optional<std::string> ListOf(std::string_view registered_domain) const override;

 private:
  std::vector<intel::WarningLists> lists_;
};

}  // namespace mamori::domain
