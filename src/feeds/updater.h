// FeedUpdater: one refresh of one source — fetch, parse, check, diff, store — as one unit that
// either replaces the source's snapshot completely or leaves it exactly as it was.
//
// Safety rules (a broken feed must never delist everything):
//   * a fetch error (network, timeout, HTTP status >= 400, size cap) fails the update;
//   * an empty body, a document the parser cannot read at all, a share of invalid lines above
//     `max_invalid_share`, or zero indicators from a source that currently lists some (unless
//     `allow_empty`) rejects the update;
// in every such case the previous snapshot stays and the source's fetch state records why.
// A 304 Not Modified keeps the snapshot and counts as a successful refresh.
//
// Thread-safety: an updater may be used from several threads if its Store and HttpClient are
// thread-safe (both shipped implementations are); updates of the same source are serialized by
// the store's transaction, the last one wins.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "feeds/fetcher.h"
#include "feeds/http_client.h"
#include "feeds/parser.h"
#include "store/store.h"

namespace mamori::feeds {

struct UpdateOptions {
  int64_t max_download_bytes = 256LL << 20;
  double max_invalid_share = 0.5;
  bool allow_empty = false;  // accept a snapshot with zero indicators
  bool merge = false;        // add listings only; close nothing (one-shot imports)
};

enum class UpdateStatus { kOk, kNotModified, kRejected, kError };
std::string_view UpdateStatusName(UpdateStatus status);  // "ok", "not_modified", ...

struct UpdateReport {
  std::string source;
  UpdateStatus status = UpdateStatus::kError;
  std::string message;  // why it was rejected or failed; empty when ok
  store::SnapshotDiff diff;
  ParseReport parse;
  int64_t bytes = 0;
  int documents = 0;
  double fetch_seconds = 0;
  double parse_seconds = 0;
  double store_seconds = 0;
};

// Progress callback for long operations: phase name and a human-readable detail.
using ProgressFn = std::function<void(std::string_view phase, std::string_view detail)>;

class FeedUpdater {
 public:
  FeedUpdater(store::Store& store, HttpClient& http, Clock& clock, UpdateOptions options);

  // Fetches and applies the named source. Returns an error only when the source does not exist
  // or the store itself fails; fetch failures and rejections are reported in the report's
  // status (and recorded on the source).
  Expected<UpdateReport> Update(std::string_view source_name, const ProgressFn& progress = {});

  // Applies already-fetched documents as the source's new snapshot (used by `intel import`).
  Expected<UpdateReport> Apply(const store::SourceRecord& source,
                               const std::vector<FetchedDocument>& documents,
                               const ProgressFn& progress = {});

 private:
  Expected<UpdateReport> ParseCheckStore(const store::SourceRecord& source,
                                         const std::vector<FetchedDocument>& documents,
                                         UpdateReport report, const ProgressFn& progress);
  Status Record(const store::SourceRecord& source, const UpdateReport& report,
                const FetchResult* fetch);

  store::Store& store_;
  HttpClient& http_;
  Clock& clock_;
  UpdateOptions options_;
};

}  // namespace mamori::feeds
