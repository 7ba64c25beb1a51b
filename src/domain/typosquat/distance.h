// Bounded Damerau-Levenshtein distance (optimal string alignment: insertions, deletions,
// substitutions and swaps of two neighbours each cost 1) on bytes. Stops as soon as the
// distance must exceed `bound` and then returns bound + 1, so comparing a candidate with a
// brand costs O(len * bound) in the common far-apart case. Pure function; thread-safe.
#pragma once

#include <string_view>

namespace mamori::domain {

int BoundedDamerauLevenshtein(std::string_view a, std::string_view b, int bound);

}  // namespace mamori::domain
