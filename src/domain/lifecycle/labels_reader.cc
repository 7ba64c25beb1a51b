// Label file reader (labels_reader.h).
#include "domain/lifecycle/labels_reader.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/domain_name.h"
#include "domain/lifecycle/source_file.h"

namespace mamori::domain::lifecycle {
namespace {

std::optional<bool> ParseLabel(std::string_view text) {
  std::string l = Lower(text);
  if (l == "malicious" || l == "1") return true;
  if (l == "benign" || l == "0") return false;
  return std::nullopt;
}

}  // namespace

Expected<std::vector<store::DomainLabel>> ReadDomainLabels(const std::string& path,
                                                           const ingest::IngestOptions& options,
                                                           ingest::IngestReport& report) {
  const std::string default_source =
      options.source.empty() ? std::filesystem::path(path).filename().string() : options.source;
  MAMORI_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path, options, report));
  std::vector<store::DomainLabel> out;
  bool first = true;
  std::string line;
  while (reader.Next(line)) {
    std::string_view text = Trim(line);
    if (text.empty() || text.front() == '#') {
      ++report.ignored;
      continue;
    }
    auto fields = SplitFields(text, ',');
    bool is_first = first;
    first = false;
    auto label = fields.size() >= 2 ? ParseLabel(fields[1]) : std::nullopt;
    // A header: the first line, whose label column is not a label ("domain,label,date").
    if (is_first && !label && Lower(fields[0]) == "domain") {
      ++report.ignored;
      continue;
    }
    if (fields.size() < 3 || fields.size() > 4) {
      reader.Malformed(fmt::format("expected domain,label,date[,source]; got {} fields",
                                   fields.size()));
      continue;
    }
    if (!label) {
      reader.Malformed(fmt::format("label '{}' is not malicious, benign, 1 or 0",
                                   fields[1].substr(0, 40)));
      continue;
    }
    auto name = DomainName::Parse(fields[0]);
    if (!name) {
      reader.Malformed(
          fmt::format("invalid domain '{}': {}", fields[0].substr(0, 80), name.error().message));
      continue;
    }
    UnixSeconds at = ParseTimestamp(fields[2]);
    if (at < 0) {
      reader.Malformed(fmt::format("date '{}' is neither YYYY-MM-DD nor Unix seconds",
                                   fields[2].substr(0, 40)));
      continue;
    }
    std::string source = fields.size() == 4 && !fields[3].empty() ? std::string(fields[3])
                                                                   : default_source;
    out.push_back({name->name(), *label, at, std::move(source)});
    ++report.records;
  }
  MAMORI_RETURN_IF_ERROR(reader.Finish());
  return out;
}

}  // namespace mamori::domain::lifecycle
