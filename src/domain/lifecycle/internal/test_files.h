// Test helper for the lifecycle readers: writes a file into a temp dir. Test-only.
#pragma once

#include <fstream>
#include <string>

#include "core/test_temp_dir.h"

namespace mamori::domain::lifecycle::testing {

inline std::string WriteFile(const mamori::testing::TempDir& dir, const std::string& name,
                             const std::string& text) {
  std::string path = dir.File(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace mamori::domain::lifecycle::testing
