#include "feeds/scheduler.h"

#include <spdlog/spdlog.h>

namespace mamori::feeds {

Scheduler::Scheduler(store::Store& store, FeedUpdater& updater, Clock& clock)
    : store_(store), updater_(updater), clock_(clock) {}

Scheduler::~Scheduler() { Stop(); }

std::vector<UpdateReport> Scheduler::RunDue() {
  std::vector<UpdateReport> reports;
  auto sources = store_.ListSources();
  if (!sources) {
    spdlog::error("scheduler: cannot list sources: {}", sources.error().ToString());
    return reports;
  }
  for (const auto& source : *sources) {
    if (!source.enabled) continue;
    UnixSeconds now = clock_.Now();
    bool due =
        source.last_attempt_at == 0 || source.last_attempt_at + source.refresh_seconds <= now;
    if (!due) continue;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    auto report = updater_.Update(source.name);
    if (!report) {
      spdlog::error("scheduler: {}: {}", source.name, report.error().ToString());
      continue;
    }
    reports.push_back(std::move(*report));
  }
  return reports;
}

void Scheduler::Start(std::chrono::seconds tick) {
  Stop();
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this, tick] {
    while (true) {
      RunDue();
      std::unique_lock lock(mutex_);
      // Real time, not clock_: the tick only paces the checks; due-ness uses clock_.
      if (wake_.wait_for(lock, tick, [this] { return stopping_; })) return;
    }
  });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mamori::feeds
