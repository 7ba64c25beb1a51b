#include "server/sample_queue.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>

#include "core/atomic_file.h"
#include "core/sha256.h"

namespace mamori::server {

namespace fs = std::filesystem;
using nlohmann::json;

SampleQueue::SampleQueue(store::Store& store, Clock& clock, SampleQueueOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

SampleQueue::~SampleQueue() { Stop(); }

Status SampleQueue::Start() {
  std::error_code ec;
  fs::create_directories(options_.samples_dir, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     fmt::format("cannot create the samples folder: {}", ec.message()),
                     options_.samples_dir.string());
  }
  // Samples are live malware: only the server's user may read them.
  fs::permissions(options_.samples_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  auto requeued = store_.RequeueRunningSamples();
  if (!requeued) return tl::unexpected(requeued.error());
  if (*requeued > 0) spdlog::info("samples: {} interrupted analyses queued again", *requeued);
  std::lock_guard lock(mutex_);
  stopping_ = false;
  for (int i = 0; i < std::max(1, options_.workers); ++i) threads_.emplace_back([this] { Loop(); });
  return Ok();
}

void SampleQueue::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

std::string SampleQueue::SafeFileName(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  std::string out;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    // Control characters and the characters Windows forbids in file names.
    if (u < 0x20 || u == 0x7f || std::string_view(":*?\"<>|").find(c) != std::string_view::npos) {
      continue;
    }
    out.push_back(c);
  }
  if (out.size() > 200) out.resize(200);
  if (out.empty() || out == "." || out == "..") out = "sample.exe";
  return out;
}

Expected<store::SampleRecord> SampleQueue::Submit(std::span<const std::uint8_t> bytes,
                                                  std::string_view file_name,
                                                  std::string submitted_by) {
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  store::SampleRecord sample;
  sample.sha256 = Sha256Hex(text);
  sample.file_name = SafeFileName(file_name);
  sample.size = static_cast<int64_t>(bytes.size());
  sample.submitted_at = clock_.Now();
  sample.submitted_by = std::move(submitted_by);
  sample.status = "queued";
  fs::path path = options_.samples_dir / sample.sha256;
  std::error_code ec;
  if (!fs::exists(path, ec)) MAMORI_RETURN_IF_ERROR(WriteFileAtomically(path, text));
  auto added = store_.AddSample(sample);
  if (added) wake_.notify_one();
  return added;
}

void SampleQueue::Loop() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    auto claimed = store_.ClaimNextSample(clock_.Now());
    if (!claimed) spdlog::warn("samples: cannot read the queue: {}", claimed.error().ToString());
    if (claimed && *claimed) {
      Process(std::move(**claimed));
      continue;
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    wake_.wait_for(lock, options_.poll_interval);
  }
}

void SampleQueue::Process(store::SampleRecord sample) {
  spdlog::info("samples: analysing #{} {} ({})", sample.id, sample.file_name, sample.sha256);
  store::SampleRecord done = sample;
  try {
    std::ifstream in(options_.samples_dir / sample.sha256, std::ios::binary);
    if (!in) {
      done.status = "failed";
      done.error = fmt::format("the sample file {} cannot be read",
                               (options_.samples_dir / sample.sha256).string());
    } else {
      std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                      std::istreambuf_iterator<char>());
      malware::AnalyzeOptions options = options_.analyze;
      options.file_name = sample.file_name;
      json report = malware::AnalyzeInWorker(bytes, options, options_.worker);
      done.report_status = report.value("status", "");
      done.status = done.report_status == "worker_failed" ? "failed" : "done";
      if (done.status == "failed") done.error = report.value("status_detail", "");
      done.summary_json = SummarizeReport(report).dump();
      // Strings read from guest memory need not be UTF-8: invalid bytes become U+FFFD.
      done.report_json = report.dump(-1, ' ', false, json::error_handler_t::replace);
    }
  } catch (const std::exception& e) {
    done.status = "failed";
    done.error = fmt::format("analysis failed: {}", e.what());
  }
  done.finished_at = clock_.Now();
  if (auto finished = store_.FinishSample(done); !finished) {
    spdlog::error("samples: cannot store the result of #{}: {}", sample.id,
                  finished.error().ToString());
    return;
  }
  spdlog::info("samples: #{} {} ({})", sample.id, done.status,
               done.error.empty() ? done.report_status : done.error);
}

SampleQueueOptions SampleQueueOptionsForConfig(const Config& config) {
  SampleQueueOptions options;
  options.samples_dir = config.analysis.samples_dir;
  options.workers = config.analysis.workers;
  options.analyze.limits.max_wall_ms = static_cast<std::uint64_t>(config.analysis.timeout_seconds) * 1000;
  options.worker.memory_limit_bytes = static_cast<std::uint64_t>(config.analysis.memory_limit_mb) << 20;
  options.worker.address_space_bytes =
      static_cast<std::uint64_t>(config.analysis.address_space_mb) << 20;
  return options;
}

json SummarizeReport(const json& report) {
  json out = {{"status", report.value("status", "")}};
  if (report.contains("status_detail")) out["status_detail"] = report["status_detail"];
  if (report.contains("run")) out["end_reason"] = report["run"].value("end_reason", "");
  std::map<std::string, int64_t> kinds;
  if (report.contains("events") && report["events"].is_array()) {
    for (const auto& e : report["events"]) {
      if (e.is_object() && e.contains("kind") && e["kind"].is_string()) {
        ++kinds[e["kind"].get<std::string>()];
      }
    }
    out["events"] = report["events"].size();
  }
  out["event_kinds"] = kinds;
  auto count = [&](const char* key) -> json {
    return report.contains(key) && report[key].is_array() ? json(report[key].size()) : json(0);
  };
  out["processes"] = count("processes");
  out["dropped_files"] = count("dropped_files");
  return out;
}

}  // namespace mamori::server
