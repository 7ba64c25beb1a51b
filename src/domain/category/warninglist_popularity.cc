#include "domain/category/warninglist_popularity.h"

#include "core/indicator.h"

namespace mamori::domain {

Expected<WarningListPopularity> WarningListPopularity::Load() {
  WarningListPopularity p;
  for (const char* name : {"top-sites", "tranco10k"}) {
    MAMORI_ASSIGN_OR_RETURN(auto list, intel::WarningLists::LoadBuiltinList(name));
    p.lists_.push_back(std::move(list));
  }
  return p;
}

std::optional<std::string> WarningListPopularity::ListOf(std::string_view registered_domain) const {
  Indicator indicator{IndicatorType::kDomain, std::string(registered_domain)};
  for (const auto& l : lists_) {
    // A PSL private suffix matches every warning list as "psl-private": that is a platform, not
    // popularity.
    if (auto m = l.Match(indicator); m && m->list != "psl-private") return m->list;
  }
  return std::nullopt;
}

}  // namespace mamori::domain
