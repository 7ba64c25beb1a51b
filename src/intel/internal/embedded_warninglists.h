// The built-in warning lists, embedded at build time by cmake/EmbedTexts.cmake from
// data/warninglists/*.txt (the generated .cc is part of mamori_intel). Internal to intel.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace mamori::intel::internal {

// (list name = file name without ".txt", file content), in file name order.
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedWarningLists();

}  // namespace mamori::intel::internal
