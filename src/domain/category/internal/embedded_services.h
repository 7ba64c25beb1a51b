// The built-in service lists (data/services/*.txt), embedded at build time by
// cmake/EmbedTexts.cmake: (list name, file content) in file name order.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace mamori::domain::internal {

const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedServiceLists();

}  // namespace mamori::domain::internal
