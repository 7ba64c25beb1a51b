// The shipped DGA data files (data/dga/*: model.json, words.txt), embedded into the library at
// build time by cmake/embed_dga_data.cmake so the binary needs no files. Thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace mamori::domain::dga {

// The content of data/dga/<file_name>, or nullopt when the build embedded no such file.
std::optional<std::string_view> EmbeddedDgaFile(std::string_view file_name);

}  // namespace mamori::domain::dga
