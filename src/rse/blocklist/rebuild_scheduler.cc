#include "rse/blocklist/rebuild_scheduler.h"

#include <spdlog/spdlog.h>

namespace mamori::rse::blocklist {

RebuildScheduler::RebuildScheduler(store::Store& store, Clock& clock,
                                   std::vector<DeviceProfile> profiles,
                                   const intel::WarningLists* warnings, BuildSettings settings,
                                   PublishedLists& published)
    : store_(store),
      clock_(clock),
      profiles_(std::move(profiles)),
      warnings_(warnings),
      settings_(std::move(settings)),
      published_(published) {}

RebuildScheduler::~RebuildScheduler() { Stop(); }

std::vector<ProfileBuild> RebuildScheduler::RunDue() {
  UnixSeconds now = clock_.Now();
  std::vector<const DeviceProfile*> due;
  for (const auto& profile : profiles_) {
    auto it = last_attempt_.find(profile.name);
    if (it == last_attempt_.end() || it->second + profile.refresh_seconds <= now) {
      due.push_back(&profile);
    }
  }
  std::vector<ProfileBuild> builds;
  if (due.empty()) return builds;
  auto scored = ScoreAll(store_, warnings_, settings_, now);
  if (!scored) {
    for (const DeviceProfile* profile : due) {
      published_.RecordFailure(profile->name, scored.error().ToString(), now);
      last_attempt_[profile->name] = now;
    }
    spdlog::error("blocklist rebuild: scoring failed: {}", scored.error().ToString());
    return builds;
  }
  for (const DeviceProfile* profile : due) {
    ProfileBuild build = BuildAndPublish(store_, *scored, *profile, settings_, &published_, {}, now);
    last_attempt_[profile->name] = now;
    if (build.status) {
      spdlog::info("blocklist {}: {} entries, {:.1f}% of the priority", profile->name,
                   build.selection.coverage.entries,
                   build.selection.coverage.total_priority > 0
                       ? 100 * build.selection.coverage.covered_priority /
                             build.selection.coverage.total_priority
                       : 0.0);
    } else {
      spdlog::error("blocklist {}: build failed, the previous list stays served: {}",
                    profile->name, build.status.error().ToString());
    }
    builds.push_back(std::move(build));
  }
  return builds;
}

void RebuildScheduler::Start(std::chrono::seconds tick) {
  Stop();
  stopping_ = false;
  thread_ = std::thread([this, tick] {
    for (;;) {
      RunDue();
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, tick, [this] { return stopping_; })) return;
    }
  });
}

void RebuildScheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mamori::rse::blocklist
