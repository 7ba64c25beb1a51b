#include "core/data_dir.h"

#include <vector>

namespace mamori {

namespace fs = std::filesystem;

std::string FindDataDir(const std::string& configured, std::string_view subdir,
                        const std::function<bool(const fs::path&)>& usable) {
  std::vector<fs::path> candidates;
  if (!configured.empty()) candidates.emplace_back(configured);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path p = exe.parent_path(); !p.empty() && p != p.root_path(); p = p.parent_path()) {
      candidates.push_back(p / "data" / subdir);
    }
  }
  candidates.push_back(fs::path("/usr/share/mamori") / subdir);
  for (const auto& c : candidates) {
    if (usable(c)) return fs::absolute(c, ec).lexically_normal().string();
  }
  return {};
}

}  // namespace mamori
