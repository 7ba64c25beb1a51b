#include "domain/typosquat/lists.h"

#include <filesystem>
#include <fstream>

#include "core/data_dir.h"

namespace mamori::domain {

Expected<std::vector<std::string>> LoadList(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return MakeError(ErrorCode::kIo, "cannot read list (check the path and its permissions)", path);
  }
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    size_t e = line.find_last_not_of(" \t\r");
    std::string entry = line.substr(b, e - b + 1);
    for (char& c : entry) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::string FindListDir(const std::string& configured, const std::string& subdir) {
  return FindDataDir(configured, subdir, [](const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_directory(dir, ec);
  });
}

Expected<FuzzerLists> LoadFuzzerLists(const std::string& dir) {
  FuzzerLists lists;
  MAMORI_ASSIGN_OR_RETURN(lists.words, LoadList(dir + "/words.txt"));
  MAMORI_ASSIGN_OR_RETURN(lists.tlds, LoadList(dir + "/tlds.txt"));
  return lists;
}

}  // namespace mamori::domain
