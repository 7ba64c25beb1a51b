#include "feeds/updater.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

namespace mamori::feeds {

namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool IsBlank(std::string_view body) {
  for (char c : body) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

std::string DescribeFirstErrors(const ParseReport& report) {
  std::string out;
  for (const auto& e : report.first_errors) {
    if (!out.empty()) out += "; ";
    out += fmt::format("line {}: {}", e.line, e.reason);
    if (out.size() > 300) break;
  }
  return out;
}

}  // namespace

std::string_view UpdateStatusName(UpdateStatus status) {
  switch (status) {
    case UpdateStatus::kOk:
      return "ok";
    case UpdateStatus::kNotModified:
      return "not_modified";
    case UpdateStatus::kRejected:
      return "rejected";
    case UpdateStatus::kError:
      return "error";
  }
  return "unknown";
}

FeedUpdater::FeedUpdater(store::Store& store, HttpClient& http, Clock& clock, UpdateOptions options)
    : store_(store), http_(http), clock_(clock), options_(options) {}

Expected<UpdateReport> FeedUpdater::Update(std::string_view source_name,
                                           const ProgressFn& progress) {
  MAMORI_ASSIGN_OR_RETURN(auto found, store_.GetSource(source_name));
  if (!found) {
    return MakeError(ErrorCode::kNotFound,
                     "no such source; `mamori feeds list` shows the configured ones",
                     std::string(source_name));
  }
  const store::SourceRecord& source = *found;
  UpdateReport report;
  report.source = source.name;
  if (progress) progress("fetch", source.url);
  auto start = std::chrono::steady_clock::now();
  auto fetched = FetchSource(source, http_, options_.max_download_bytes);
  report.fetch_seconds = SecondsSince(start);
  if (!fetched) {
    report.status = UpdateStatus::kError;
    report.message = fetched.error().ToString();
    MAMORI_RETURN_IF_ERROR(Record(source, report, nullptr));
    return report;
  }
  report.bytes = fetched->bytes;
  report.documents = static_cast<int>(fetched->documents.size());
  if (fetched->not_modified) {
    report.status = UpdateStatus::kNotModified;
    MAMORI_RETURN_IF_ERROR(Record(source, report, &*fetched));
    return report;
  }
  auto result = ParseCheckStore(source, fetched->documents, std::move(report), progress);
  if (!result) return result;
  MAMORI_RETURN_IF_ERROR(Record(source, *result, &*fetched));
  return result;
}

Expected<UpdateReport> FeedUpdater::Apply(const store::SourceRecord& source,
                                          const std::vector<FetchedDocument>& documents,
                                          const ProgressFn& progress) {
  UpdateReport report;
  report.source = source.name;
  report.documents = static_cast<int>(documents.size());
  for (const auto& d : documents) report.bytes += static_cast<int64_t>(d.body.size());
  auto result = ParseCheckStore(source, documents, std::move(report), progress);
  if (!result) return result;
  MAMORI_RETURN_IF_ERROR(Record(source, *result, nullptr));
  return result;
}

Expected<UpdateReport> FeedUpdater::ParseCheckStore(const store::SourceRecord& source,
                                                    const std::vector<FetchedDocument>& documents,
                                                    UpdateReport report,
                                                    const ProgressFn& progress) {
  auto reject = [&](std::string why) {
    report.status = UpdateStatus::kRejected;
    report.message = std::move(why);
    return report;
  };
  bool all_blank = true;
  for (const auto& d : documents) all_blank = all_blank && IsBlank(d.body);
  if (all_blank) {
    return reject("empty body; the previous snapshot is kept");
  }

  auto parser = MakeParserForSource(source.format, source.options_json);
  if (!parser) {
    report.status = UpdateStatus::kError;
    report.message = parser.error().ToString();
    return report;
  }

  if (progress)
    progress("parse", fmt::format("{} document(s), {} bytes", documents.size(), report.bytes));
  auto start = std::chrono::steady_clock::now();
  ParsedFeed parsed;
  for (const auto& doc : documents) {
    auto status = (*parser)->Parse(doc.body, doc.origin, parsed);
    if (!status) {
      report.parse = parsed.report;
      report.parse_seconds = SecondsSince(start);
      return reject(fmt::format("unreadable document: {}; the previous snapshot is kept",
                                status.error().ToString()));
    }
  }
  Deduplicate(parsed);
  report.parse = parsed.report;
  report.parse_seconds = SecondsSince(start);

  if (parsed.report.InvalidShare() > options_.max_invalid_share) {
    return reject(fmt::format(
        "{} of {} lines invalid ({:.0f}% > the {:.0f}% limit, feeds.max_invalid_share); "
        "the previous snapshot is kept. First errors: {}",
        parsed.report.invalid, parsed.report.invalid + parsed.report.entries,
        parsed.report.InvalidShare() * 100, options_.max_invalid_share * 100,
        DescribeFirstErrors(parsed.report)));
  }
  if (parsed.entries.empty() && !options_.allow_empty && !options_.merge) {
    MAMORI_ASSIGN_OR_RETURN(auto current, store_.GetSource(source.name));
    if (current && current->listed_count > 0) {
      return reject(fmt::format(
          "the update holds no indicators and would delist all {} current entries; "
          "the previous snapshot is kept (use --allow-empty if the feed really is empty now)",
          current->listed_count));
    }
  }

  if (progress) progress("store", fmt::format("{} indicators", parsed.entries.size()));
  start = std::chrono::steady_clock::now();
  UnixSeconds now = clock_.Now();
  auto diff = options_.merge ? store_.AddListings(source.id, parsed.entries, now)
                             : store_.ApplySnapshot(source.id, parsed.entries, now);
  report.store_seconds = SecondsSince(start);
  if (!diff) return tl::unexpected(diff.error().WithContext("source " + source.name));
  report.diff = *diff;
  report.status = UpdateStatus::kOk;
  if (parsed.report.invalid > 0) {
    spdlog::warn("{}: {} invalid lines skipped; first: {}", source.name, parsed.report.invalid,
                 DescribeFirstErrors(parsed.report));
  }
  return report;
}

Status FeedUpdater::Record(const store::SourceRecord& source, const UpdateReport& report,
                           const FetchResult* fetch) {
  store::FetchRecord record;
  record.attempted_at = clock_.Now();
  record.status = std::string(UpdateStatusName(report.status));
  record.error = report.message;
  if (fetch && (report.status == UpdateStatus::kOk)) {
    record.etag = fetch->etag;
    record.last_modified = fetch->last_modified;
  }
  if (report.status == UpdateStatus::kOk || report.status == UpdateStatus::kNotModified) {
    spdlog::info("{}: {} (+{} -{} ={}, {} bytes)", source.name, record.status, report.diff.added,
                 report.diff.removed, report.diff.unchanged, report.bytes);
  } else {
    spdlog::warn("{}: {}: {}", source.name, record.status, report.message);
  }
  return store_.RecordFetch(source.id, record);
}

}  // namespace mamori::feeds
