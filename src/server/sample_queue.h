// SampleQueue: malware samples submitted to `mamori serve` (POST /api/v1/samples), analysed one
// after another by worker processes (malware/worker.h). docs/malware.md, "Queue".
//
// Submit() writes the bytes to <samples_dir>/<sha256> and queues a row in the store
// (store::SampleRecord); background threads (`workers`, 1 by default) claim the oldest queued
// sample, run it through AnalyzeInWorker and store the report: status "done" when a report was
// made (whatever the report's own status: analyzed, not_pe …), "failed" when the worker failed
// or the file was gone. Start() first puts samples left `running` by a stopped server back in
// the queue. The queue lives in the store, so an idle thread also looks for work every
// `poll_interval` (rows another process queued); Submit() wakes one at once.
//
// Ownership and threads: borrows the Store and Clock (they must outlive it); Submit() may be
// called from any thread (httplib's); Stop() (also the destructor) waits for the running
// analyses' workers to end (each is bounded by its timeout).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "malware/analyzer.h"
#include "malware/worker.h"
#include "store/store.h"

namespace mamori::server {

struct SampleQueueOptions {
  std::filesystem::path samples_dir = "var/samples";
  int workers = 1;                    // analyses at a time
  malware::AnalyzeOptions analyze;    // limits and environment; file_name is the submitted one
  malware::WorkerOptions worker;      // the worker process's limits and binary
  std::chrono::milliseconds poll_interval{2000};
};

class SampleQueue {
 public:
  SampleQueue(store::Store& store, Clock& clock, SampleQueueOptions options);
  ~SampleQueue();
  SampleQueue(const SampleQueue&) = delete;
  SampleQueue& operator=(const SampleQueue&) = delete;

  // Creates samples_dir, requeues samples left running, starts the threads.
  Status Start();
  void Stop();

  // Stores the sample and queues it; returns the new row. `file_name` is what the guest will see
  // (reduced to a safe base name); `submitted_by` the audit actor.
  Expected<store::SampleRecord> Submit(std::span<const std::uint8_t> bytes,
                                       std::string_view file_name, std::string submitted_by);

  // The base name a submitted name becomes: no path, no control characters, at most 200 bytes;
  // "sample.exe" when nothing is left.
  static std::string SafeFileName(std::string_view name);

 private:
  void Loop();
  void Process(store::SampleRecord sample);

  store::Store& store_;
  Clock& clock_;
  SampleQueueOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// The options of `mamori serve`'s queue from [analysis] (docs/formats/mamori-toml.md).
SampleQueueOptions SampleQueueOptionsForConfig(const Config& config);

// A few numbers of a report for lists: status, end reason, counts of events by kind, processes,
// dropped files.
nlohmann::json SummarizeReport(const nlohmann::json& report);

}  // namespace mamori::server
