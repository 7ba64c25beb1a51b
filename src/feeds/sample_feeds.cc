#include "feeds/sample_feeds.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/data_dir.h"
#include "feeds/format.h"

namespace mamori::feeds {

namespace fs = std::filesystem;
using nlohmann::json;

std::string FindSampleFeedsDir(const std::string& configured) {
  return FindDataDir(configured, "feeds", [](const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "sources.json", ec);
  });
}

Expected<std::vector<std::string>> AddSampleFeeds(store::Store& store, const std::string& dir,
                                                  UnixSeconds now) {
  fs::path manifest_path = fs::path(dir) / "sources.json";
  std::ifstream in(manifest_path);
  if (!in) {
    return MakeError(ErrorCode::kIo, "cannot read the sample feed list", manifest_path.string());
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  json manifest = json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (!manifest.is_array()) {
    return MakeError(ErrorCode::kCorrupt, "expected a JSON array of sources",
                     manifest_path.string());
  }
  std::vector<std::string> added;
  for (size_t i = 0; i < manifest.size(); ++i) {
    const json& item = manifest[i];
    std::string where = manifest_path.string() + "[" + std::to_string(i) + "]";
    if (!item.is_object()) return MakeError(ErrorCode::kCorrupt, "expected an object", where);
    static const char* kKeys[] = {"name",        "file",        "format",
                                  "reliability", "category",    "refresh_seconds",
                                  "license",     "description", "options"};
    for (const auto& [key, value] : item.items()) {
      bool known = false;
      for (const char* k : kKeys) known = known || key == k;
      if (!known) return MakeError(ErrorCode::kCorrupt, "unknown key '" + key + "'", where);
    }
    if (!item.contains("name") || !item["name"].is_string() || !item.contains("file") ||
        !item["file"].is_string()) {
      return MakeError(ErrorCode::kCorrupt, "needs string keys 'name' and 'file'", where);
    }
    store::SourceRecord source;
    source.name = item["name"].get<std::string>();
    source.url = (fs::path(dir) / item["file"].get<std::string>()).lexically_normal().string();
    source.format = item.value("format", std::string(FeedFormatName(GuessFeedFormat(source.url))));
    if (!ParseFeedFormat(source.format)) {
      return MakeError(ErrorCode::kCorrupt, "unknown format '" + source.format + "'", where);
    }
    source.reliability = item.value("reliability", 50);
    source.default_category = item.value("category", "");
    source.refresh_seconds = item.value("refresh_seconds", 86400);
    source.license = item.value("license", "");
    source.options_json = item.contains("options") ? item["options"].dump() : "{}";
    source.created_at = now;
    MAMORI_ASSIGN_OR_RETURN(auto existing, store.GetSource(source.name));
    if (existing) continue;
    MAMORI_RETURN_IF_ERROR(store.AddSource(source));
    added.push_back(source.name);
  }
  return added;
}

}  // namespace mamori::feeds
