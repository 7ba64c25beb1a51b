#include "core/yaml_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mamori {

std::vector<YamlFile> ReadYamlFiles(const std::string& path, std::vector<YamlFileError>* errors,
                                    const std::vector<std::string>& skip_names) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      auto name = it->path().filename().string();
      bool skipped = std::find(skip_names.begin(), skip_names.end(), name) != skip_names.end();
      if (it->is_directory(ec)) {
        if (skipped) it.disable_recursion_pending();
        continue;
      }
      auto ext = it->path().extension();
      if (skipped || !it->is_regular_file(ec) || (ext != ".yml" && ext != ".yaml")) continue;
      files.push_back(it->path());
    }
    if (ec) errors->push_back({path, fmt::format("cannot list directory: {}", ec.message())});
    std::sort(files.begin(), files.end());
  } else if (fs::exists(path, ec)) {
    files.push_back(path);
  } else {
    errors->push_back({path, "no such file or directory"});
    return {};
  }
  std::vector<YamlFile> out;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) {
      errors->push_back({file.string(), "cannot read the file"});
      continue;
    }
    out.push_back({file.string(), buffer.str()});
  }
  return out;
}

}  // namespace mamori
