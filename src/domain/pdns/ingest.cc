#include "domain/pdns/ingest.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "domain/pdns/aggregator.h"
#include "domain/pdns/reader.h"

namespace mamori::domain::pdns {
namespace {

// Parsing (~0.6 µs a record) runs on its own thread and hands records over in blocks through
// a bounded queue; aggregation and the store run on the calling thread. Blocks are recycled,
// so their strings keep their capacity and a record costs no allocation.
class RecordQueue {
 public:
  static constexpr size_t kBlockSize = 4096;
  static constexpr size_t kBlocks = 16;  // the bound: ~16 × 4096 records in flight
  // Records are assigned over (never destroyed), so their strings keep their capacity.
  struct Block {
    std::vector<PdnsRecord> records = std::vector<PdnsRecord>(kBlockSize);
    size_t size = 0;
  };

  RecordQueue() {
    for (size_t i = 0; i < kBlocks; ++i) free_.push_back(std::make_unique<Block>());
  }

  // Producer side.
  std::unique_ptr<Block> TakeFree() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !free_.empty(); });
    auto block = std::move(free_.front());
    free_.pop_front();
    return block;
  }
  void PushFull(std::unique_ptr<Block> block) {
    std::lock_guard lock(mutex_);
    full_.push_back(std::move(block));
    changed_.notify_all();
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }

  // Consumer side: nullptr once closed and drained.
  std::unique_ptr<Block> TakeFull() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !full_.empty() || closed_; });
    if (full_.empty()) return nullptr;
    auto block = std::move(full_.front());
    full_.pop_front();
    return block;
  }
  void GiveBack(std::unique_ptr<Block> block) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(block));
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Block>> free_;
  std::deque<std::unique_ptr<Block>> full_;
  bool closed_ = false;
};

}  // namespace

Expected<ingest::IngestReport> IngestPdnsFile(store::Store& store, const std::string& path,
                                              std::string_view format,
                                              const ingest::IngestOptions& options,
                                              size_t flush_at) {
  const auto start = std::chrono::steady_clock::now();
  MAMORI_RETURN_IF_ERROR(CheckFormat(format));
  ingest::IngestReport report;
  PdnsAggregator aggregator(
      [&](std::vector<store::PdnsRrset>& batch) -> Status {
        MAMORI_ASSIGN_OR_RETURN(store::PdnsMergeStats merged, store.MergePdns(batch));
        report.stored += merged.inserted + merged.updated;
        return Ok();
      },
      flush_at);

  // The reader thread owns `read_report` and `stats` until it is joined.
  RecordQueue queue;
  std::atomic<bool> failed{false};  // a sink error: the reader only counts the rest
  ingest::IngestReport read_report;
  ReadStats stats;
  Status read_status = Ok();
  std::thread reader([&] {
    std::unique_ptr<RecordQueue::Block> block;
    read_status = ReadPdnsFile(
        path, format, read_report,
        [&](const PdnsRecord& record) {
          if (failed.load(std::memory_order_relaxed)) return;
          if (!block) block = queue.TakeFree();
          block->records[block->size++] = record;
          if (block->size == RecordQueue::kBlockSize) queue.PushFull(std::move(block));
        },
        &stats, options.progress);
    if (block && block->size > 0) queue.PushFull(std::move(block));
    queue.Close();
  });

  // The first sink error is kept; later blocks are only recycled.
  Status sink_status = Ok();
  while (auto block = queue.TakeFull()) {
    for (size_t i = 0; i < block->size && sink_status; ++i) {
      sink_status = aggregator.Add(block->records[i]);
    }
    if (!sink_status) failed.store(true, std::memory_order_relaxed);
    block->size = 0;
    queue.GiveBack(std::move(block));
  }
  reader.join();
  const int64_t stored = report.stored;  // the sink's part; the rest is the reader's
  report = std::move(read_report);
  report.stored = stored;
  MAMORI_RETURN_IF_ERROR(read_status);
  MAMORI_RETURN_IF_ERROR(sink_status.map_error(
      [&](Error e) { return e.WithContext(fmt::format("{} (passive DNS)", report.file)); }));
  MAMORI_RETURN_IF_ERROR(aggregator.Flush());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (stats.nxdomain + stats.no_answer + stats.unknown_rrtype > 0) {
    spdlog::info(
        "{}: ignored {} NXDOMAIN responses, {} responses without a usable answer, {} "
        "lines of unknown rrtype{}{}",
        report.file, stats.nxdomain, stats.no_answer, stats.unknown_rrtype,
        stats.examples.empty() ? "" : "; e.g. ", fmt::join(stats.examples, "; "));
  }
  return report;
}

}  // namespace mamori::domain::pdns
