// Popularity list reader (popularity_reader.h).
#include "domain/lifecycle/popularity_reader.h"

#include <fmt/format.h>

#include <charconv>

#include "core/domain_name.h"
#include "domain/lifecycle/source_file.h"

namespace mamori::domain::lifecycle {
namespace {

std::optional<int32_t> ParseRank(std::string_view text) {
  int32_t rank = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), rank);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size() || rank < 1) return std::nullopt;
  return rank;
}

// The rank and domain columns a header names; nullopt when it names no such pair.
struct Columns {
  size_t rank = 0;
  size_t domain = 1;
};
std::optional<Columns> ColumnsFromHeader(const std::vector<std::string_view>& fields) {
  std::optional<size_t> rank, domain;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string f = Lower(fields[i]);
    // Majestic has GlobalRank and TldRank: the global one is the list's rank.
    if (f == "globalrank" || f == "global_rank" || (f == "rank" && !rank)) rank = i;
    if ((f == "domain" || f == "host" || f == "hostname" || f == "site") && !domain) domain = i;
  }
  if (!rank || !domain) return std::nullopt;
  return Columns{*rank, *domain};
}

}  // namespace

Expected<PopularitySnapshot> ReadPopularityList(const std::string& path,
                                                const ingest::IngestOptions& options,
                                                ingest::IngestReport& report) {
  PopularitySnapshot snapshot;
  snapshot.list = options.name.empty() ? ParseSnapshotFileName(path).name : options.name;
  if (snapshot.list.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no list name: give one (--name tranco) or start the file name with it "
                     "(tranco-2026-01-05.csv)",
                     path);
  }
  MAMORI_ASSIGN_OR_RETURN(snapshot.day, SnapshotDay(path, options));
  MAMORI_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path, options, report));

  Columns columns;
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
    if (is_first && !ParseRank(fields[0])) {
      // A first line that does not start with a rank is a header naming the columns.
      auto named = ColumnsFromHeader(fields);
      if (!named) {
        return MakeError(ErrorCode::kInvalidArgument,
                         fmt::format("line 1 is neither `rank,domain` nor a header naming a rank "
                                     "column (rank, GlobalRank) and a domain column (domain): {}",
                                     text.substr(0, 120)),
                         path + ":1");
      }
      columns = *named;
      ++report.ignored;
      continue;
    }
    if (fields.size() <= std::max(columns.rank, columns.domain)) {
      reader.Malformed(fmt::format("expected at least {} comma-separated fields",
                                   std::max(columns.rank, columns.domain) + 1));
      continue;
    }
    auto rank = ParseRank(fields[columns.rank]);
    if (!rank) {
      reader.Malformed(fmt::format("rank '{}' is not a positive integer",
                                   fields[columns.rank].substr(0, 40)));
      continue;
    }
    auto name = DomainName::Parse(fields[columns.domain]);
    if (!name) {
      reader.Malformed(fmt::format("invalid domain '{}': {}", fields[columns.domain].substr(0, 80),
                                   name.error().message));
      continue;
    }
    snapshot.ranked.emplace_back(name->name(), *rank);
    ++report.records;
  }
  MAMORI_RETURN_IF_ERROR(reader.Finish());
  return snapshot;
}

}  // namespace mamori::domain::lifecycle
