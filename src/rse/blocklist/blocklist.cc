#include "rse/blocklist/blocklist.h"

#include <algorithm>

namespace mamori::rse::blocklist {

void SortCanonical(std::vector<BlocklistEntry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const BlocklistEntry& a, const BlocklistEntry& b) {
    return a.indicator < b.indicator;
  });
}

}  // namespace mamori::rse::blocklist
