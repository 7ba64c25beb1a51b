// The shipped DGA data files (data/dga/*: model.json, words.txt), embedded into the library at
// build time (cmake/EmbedTexts.cmake) so the binary needs no files. Thread-safe.
#pragma once

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace mamori::domain::dga {

// Every embedded file: (file name, content), in file name order (generated at build time).
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedDgaFiles();

// The content of data/dga/<file_name>, or nullopt when the build embedded no such file.
std::optional<std::string_view> EmbeddedDgaFile(std::string_view file_name);

}  // namespace mamori::domain::dga
