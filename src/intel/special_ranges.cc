#include "intel/special_ranges.h"

#include "intel/warninglists.h"

namespace mamori::intel {

bool IsSpecialPurposeAddress(const Indicator& address) {
  static const WarningLists special = [] {
    auto loaded = WarningLists::LoadBuiltinList("special-ranges");
    return loaded ? std::move(*loaded) : WarningLists{};
  }();
  auto match = special.Match(address);
  return match && !match->reason.starts_with("documentation");
}

}  // namespace mamori::intel
