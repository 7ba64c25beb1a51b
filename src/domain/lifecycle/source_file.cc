// Shared pieces of the lifecycle readers (source_file.h).
#include "domain/lifecycle/source_file.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <filesystem>

namespace mamori::domain::lifecycle {

std::optional<store::Day> ParseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  UnixSeconds t = ParseTimestamp(text);
  if (t < 0) return std::nullopt;
  // ParseTimestamp accepts 2026-02-31 as a day count; insist the date reads back the same.
  store::Day day = static_cast<store::Day>(t / 86400);
  if (DayText(day) != text) return std::nullopt;
  return day;
}

std::string DayText(store::Day day) { return FormatIso8601(DayStart(day)).substr(0, 10); }

FileNameParts ParseSnapshotFileName(std::string_view path) {
  std::string base = std::filesystem::path(std::string(path)).filename().string();
  for (std::string_view ext : {".gz", ".csv", ".txt", ".zone", ".jsonl", ".json", ".ndjson"}) {
    if (base.size() > ext.size() && std::string_view(base).ends_with(ext)) {
      base.resize(base.size() - ext.size());
    }
  }
  FileNameParts parts;
  // The last YYYY-MM-DD in the name is the day; what comes before it (minus separators) the name.
  for (size_t i = base.size(); i-- > 0;) {
    if (i + 10 > base.size()) continue;
    if (auto day = ParseDay(std::string_view(base).substr(i, 10))) {
      parts.day = day;
      base.resize(i);
      break;
    }
  }
  while (!base.empty() && (base.back() == '-' || base.back() == '_' || base.back() == '.')) {
    base.pop_back();
  }
  parts.name = Lower(base);
  return parts;
}

Expected<store::Day> SnapshotDay(const std::string& path, const ingest::IngestOptions& options) {
  if (options.day) return *options.day;
  if (auto day = ParseSnapshotFileName(path).day) return *day;
  return MakeError(ErrorCode::kInvalidArgument,
                   "no snapshot day: give one (--day YYYY-MM-DD) or put it in the file name "
                   "(e.g. tranco-2026-01-05.csv)",
                   path);
}

Expected<LineReader> LineReader::Open(const std::string& path,
                                      const ingest::IngestOptions& options,
                                      ingest::IngestReport& report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIo, "cannot open the file for reading", path);
  }
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return LineReader(path, std::move(in), ec ? 0 : static_cast<int64_t>(size), options, report);
}

bool LineReader::Next(std::string& line) {
  if (!std::getline(in_, line)) return false;
  ++line_number_;
  ++report_->lines;
  done_ += static_cast<int64_t>(line.size()) + 1;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (options_->progress && line_number_ % 65536 == 0) options_->progress(done_, size_);
  return true;
}

void LineReader::Malformed(std::string_view why) {
  report_->AddError(fmt::format("{}:{}: {}", path_, line_number_, why));
}

Status LineReader::Finish() {
  if (in_.bad()) {
    return MakeError(ErrorCode::kIo, fmt::format("read error after line {}", line_number_),
                     path_);
  }
  if (options_->progress) options_->progress(size_ ? size_ : done_, size_);
  return Ok();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> SplitFields(std::string_view line, char sep, size_t max) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < max) {
    size_t at = line.find(sep);
    if (at == std::string_view::npos) break;
    out.push_back(line.substr(0, at));
    line.remove_prefix(at + 1);
  }
  out.push_back(line);
  for (auto& f : out) {
    f = Trim(f);
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
  }
  return out;
}

}  // namespace mamori::domain::lifecycle
