// Collector: the live side of detection — followed files, syslog listeners and stdin, each
// parsed with its format and run through its own DetectionPipeline, detections and sightings
// written to the store, file offsets checkpointed once their lines are processed.
// `mamori collect` runs one in the foreground; `mamori serve` runs one next to the API when
// `[collect] inputs` is set.
//
// Inputs are written FORMAT@SOURCE (ParseInputSpec):
//   sshd@/var/log/auth.log                 follow a file (tail -F, offsets in the store)
//   syslog-auto@udp://0.0.0.0:5514         syslog over UDP   ([::]:5514 for IPv6)
//   syslog-auto@tcp://127.0.0.1:5514       syslog over TCP (octet-counted or LF framing)
//   nginx-combined@-                       stdin, until it ends
//
// Threads: the syslog listener's socket thread and a StreamSource on stdin (if used) fill one bounded
// MessageQueue; the collector thread takes batches from it, polls the followed files every
// `poll_interval`, parses and detects, and calls Sync on each pipeline at most every
// `sync_interval` (so a detection reaches the store within about that time; the figure is in
// docs/benchmarks.md). Files are checkpointed right after their pipeline's successful Sync: a
// restart resumes after the last line whose detections were stored.
//
// Windows and time: while an input is catching up (a backlog in a file or the queue) its
// windows run on the log's own times; once caught up, quiet groups are closed by the wall
// clock. Ongoing detections of an input are closed in the store when the collector starts
// (its in-memory windows did not survive the restart).
//
// Thread-safety: Start/Stop from one thread; status() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "rse/collect/file_follower.h"
#include "rse/collect/message_queue.h"
#include "rse/collect/stream_source.h"
#include "rse/collect/syslog_listener.h"
#include "rse/detect/pipeline.h"
#include "rse/ingest/ingest.h"
#include "rse/ingest/log_parser.h"
#include "store/store.h"

namespace mamori::rse::collect {

struct InputSpec {
  Transport transport = Transport::kFile;
  std::string format;  // a registered log format (`mamori ingest --format help`)
  std::string source;  // file path, "host:port" for syslog, "-" for stdin
  std::string text;    // as written
};

// Parses "FORMAT@SOURCE" (see above); errors name the spec and what is wrong.
Expected<InputSpec> ParseInputSpec(std::string_view text);
// A comma-separated list (the `[collect] inputs` config value); empty entries are ignored.
Expected<std::vector<InputSpec>> ParseInputSpecs(std::string_view text);

struct CollectorOptions {
  std::vector<InputSpec> inputs;
  size_t queue_capacity = 65'536;
  std::chrono::milliseconds poll_interval{200};
  std::chrono::milliseconds sync_interval{200};
  size_t max_line_bytes = 64 * 1024;
  FileFollowerOptions::StartAt start_at = FileFollowerOptions::StartAt::kBeginning;
  detect::DetectorOptions detector;
  bool record_sightings = true;
  // Called (on the collector's thread) with detections stored for the first time, ids set —
  // how the response engine hears of them (Responder::Submit, which does not block).
  std::function<void(std::vector<store::DetectionRecord>)> on_new_detections;
};

struct InputStatus {
  std::string input;  // "file:/var/log/auth.log", "syslog-udp:127.0.0.1:5514", "stdin"
  std::string format;
  // Per line, as `mamori ingest` counts: lines, events, skipped, malformed (with reasons and
  // the first examples), too long, invalid UTF-8, time went backwards.
  ingest::IngestStats counts;
  int64_t matched_events = 0;
  int64_t detections_opened = 0;
  int64_t detections_closed = 0;
  int64_t store_errors = 0;
  std::string last_error;
  UnixSeconds last_line_at = 0;  // wall time of the last line received
};

struct CollectorStatus {
  std::vector<InputStatus> inputs;
  SyslogCounters udp;
  SyslogCounters tcp;
  MessageQueueCounters queue;
  std::vector<FileFollowerCounters> files;  // same order as the file inputs in `inputs`
  std::vector<SyslogEndpoint> endpoints;
  bool stdin_finished = false;
};

// The counters as JSON (`collect --json`, GET /api/v1/collector): {"inputs": [{"input", "format",
// per-line counts (ingest::IngestStatsToJson), "matched_events", "detections_opened",
// "detections_closed", "store_errors", "last_error"}], "udp": {...}, "tcp": {...},
// "queue": {"size", "high_water", "capacity", "dropped_full"}}.
nlohmann::json CollectorStatusToJson(const CollectorStatus& status);

class Collector {
 public:
  // Opens every input (binds sockets, starts followers) and starts the threads. `rules` is
  // shared; `store` and `intel` may be null (nothing stored / no intel tests) and must outlive
  // the collector, as must `clock`.
  static Expected<std::unique_ptr<Collector>> Start(CollectorOptions options,
                                                    std::shared_ptr<const detect::RuleSet> rules,
                                                    store::Store* store,
                                                    detect::IndicatorLookup* intel, Clock& clock);
  ~Collector();
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  // Stops listening and reading, processes what was already queued, writes every pipeline's
  // state (ongoing detections stay ongoing in the store until the next start closes them) and
  // checkpoints the files. Idempotent.
  void Stop();
  // True once stdin (the only input that ends) has ended and been processed, when every input
  // is stdin — `mamori collect` with only stdin then exits.
  bool Finished() const { return finished_.load(); }

  CollectorStatus status() const;

 private:
  struct Input;
  explicit Collector(CollectorOptions options, Clock& clock);
  void Run();
  bool StdinDone() const { return stdin_ && stdin_->done(); }
  bool ProcessQueue(std::chrono::milliseconds wait);  // true when anything was processed
  void PollFiles(bool* more);
  void ProcessLine(Input& input, std::string_view line, bool too_long);
  void SyncAll(bool force);

  CollectorOptions options_;
  Clock& clock_;
  store::Store* store_ = nullptr;
  MessageQueue queue_;
  std::unique_ptr<SyslogListener> listener_;
  std::vector<std::unique_ptr<Input>> inputs_;
  std::vector<Input*> files_;
  std::thread thread_;
  std::unique_ptr<StreamSource> stdin_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> finished_{false};
  mutable std::mutex status_mu_;  // guards every Input's status copy
};

}  // namespace mamori::rse::collect
