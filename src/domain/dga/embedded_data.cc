#include "domain/dga/embedded_data.h"

namespace mamori::domain::dga {

std::optional<std::string_view> EmbeddedDgaFile(std::string_view file_name) {
  for (const auto& [name, text] : EmbeddedDgaFiles()) {
    if (name == file_name) return text;
  }
  return std::nullopt;
}

}  // namespace mamori::domain::dga
