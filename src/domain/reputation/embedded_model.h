// The shipped reputation model (data/reputation/model.json), embedded into the library at build
// time (cmake/EmbedTexts.cmake) so the binary needs no files. Thread-safe.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace mamori::domain::reputation {

// Every embedded file: (file name, content), in file name order (generated at build time).
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedReputationFiles();

}  // namespace mamori::domain::reputation
