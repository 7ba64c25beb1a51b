#include "domain/ingest/directory.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>

#include "core/clock.h"
#include "core/indicator.h"
#include "domain/ingest/ingest.h"

namespace mamori::domain::ingest {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> SortedFiles(const fs::path& dir, std::string_view extension) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == extension) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The UTC midnight of the YYYY-MM-DD in a file name, or -1.
UnixSeconds DateInName(const fs::path& file) {
  static const std::regex date(R"((\d{4}-\d{2}-\d{2}))");
  std::smatch m;
  const std::string name = file.filename().string();
  if (!std::regex_search(name, m, date)) return -1;
  return ParseTimestamp(m[1].str());
}

// The intel source of one blocklist folder. Its URL is the folder's latest snapshot (already
// applied): a feed scheduler (`serve`) that refreshes it finds it unchanged, where the folder
// itself could not be fetched. A source from an earlier ingest is moved to the new latest file.
Expected<int64_t> SourceFor(store::Store& store, const std::string& name,
                            const fs::path& latest_snapshot, int reliability) {
  const std::string url = "file://" + fs::absolute(latest_snapshot).string();
  MAMORI_ASSIGN_OR_RETURN(std::optional<store::SourceRecord> existing, store.GetSource(name));
  if (existing) {
    if (existing->url != url) {
      existing->url = url;
      MAMORI_RETURN_IF_ERROR(store.UpdateSource(*existing));
    }
    return existing->id;
  }
  store::SourceRecord s;
  s.name = name;
  s.url = url;
  s.format = "plain";
  s.reliability = reliability;
  s.default_category = "malware";
  s.enabled = true;
  s.license = "simulated";
  MAMORI_ASSIGN_OR_RETURN(store::SourceRecord added, store.AddSource(s));
  return added.id;
}

}  // namespace

Expected<DirectoryReport> IngestEvidenceDirectory(store::Store& store, const std::string& dir,
                                                  const DirectoryOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path root(dir);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return MakeError(ErrorCode::kNotFound, "not a directory", dir);
  }
  struct Item {
    fs::path path;
    std::string format;
  };
  std::vector<Item> items;
  if (fs::exists(root / "pdns" / "dnsdb.jsonl")) items.push_back({root / "pdns" / "dnsdb.jsonl", "dnsdb"});
  if (o.zeek) {
    for (const auto& f : SortedFiles(root / "pdns" / "zeek", ".log")) items.push_back({f, "zeek"});
  }
  for (const auto& f : SortedFiles(root / "popularity", ".csv")) items.push_back({f, "popularity"});
  for (const auto& f : SortedFiles(root / "zones", ".txt")) items.push_back({f, "zone"});
  for (const auto& f : SortedFiles(root / "rdap", ".jsonl")) items.push_back({f, "rdap"});
  if (fs::exists(root / "labels.csv")) items.push_back({root / "labels.csv", "labels"});
  std::vector<fs::path> feeds;
  if (fs::is_directory(root / "blocklists", ec)) {
    for (const auto& e : fs::directory_iterator(root / "blocklists", ec)) {
      if (e.is_directory()) feeds.push_back(e.path());
    }
    std::sort(feeds.begin(), feeds.end());
  }
  if (items.empty() && feeds.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "no evidence files in the expected layout (pdns/, popularity/, zones/, rdap/, "
                     "labels.csv, blocklists/; see docs/domain-sim.md)",
                     dir);
  }
  size_t total = items.size();
  for (const auto& feed : feeds) total += SortedFiles(feed, ".txt").size();
  size_t done = 0;
  DirectoryReport report;
  for (const Item& item : items) {
    if (o.progress) o.progress(item.path.filename().string(), done, total);
    MAMORI_ASSIGN_OR_RETURN(IngestReport r,
                            IngestEvidenceFile(store, item.path.string(), item.format, {}));
    report.files.push_back(std::move(r));
    ++done;
  }
  for (const fs::path& feed : feeds) {
    const std::vector<fs::path> snapshots = SortedFiles(feed, ".txt");
    if (snapshots.empty()) continue;
    MAMORI_ASSIGN_OR_RETURN(int64_t source_id,
                            SourceFor(store, o.source_prefix + feed.filename().string(),
                                      snapshots.back(), o.source_reliability));
    for (const fs::path& file : snapshots) {
      if (o.progress) o.progress(file.filename().string(), done, total);
      const UnixSeconds at = DateInName(file);
      if (at < 0) {
        return MakeError(ErrorCode::kInvalidArgument, "no YYYY-MM-DD in the file name",
                         file.string());
      }
      std::ifstream in(file);
      if (!in) return MakeError(ErrorCode::kIo, "cannot read the file", file.string());
      std::vector<store::ListingEntry> entries;
      for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        auto ind = NormalizeIndicator(line, IndicatorType::kDomain);
        if (!ind) {
          ++report.blocklist_malformed;
          continue;
        }
        entries.push_back({ind->indicator, "", -1});
      }
      // Snapshot at noon of its day, so the listing falls inside the day the file names.
      MAMORI_RETURN_IF_ERROR(store.ApplySnapshot(source_id, entries, at + 43200).map([](auto) {}));
      ++report.blocklist_snapshots;
      report.blocklist_entries += entries.size();
      ++done;
    }
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace mamori::domain::ingest
