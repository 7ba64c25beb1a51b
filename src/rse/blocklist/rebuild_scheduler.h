// RebuildScheduler: rebuilds each device profile's list inside `mamori serve` when its refresh
// interval has passed, and publishes it for /edl/.
//
// RunDue() does one pass synchronously (tests drive it with a FakeClock); Start() runs passes
// every `tick` on a background thread until Stop(). A pass scores the store once and builds
// every due profile from those scores. A profile that was never built in this process is due at
// once. A failed build is recorded, the previous list stays published, and the profile waits a
// full interval before trying again. Start/Stop from one thread; RunDue must not run while the
// thread does.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "intel/warninglists.h"
#include "rse/blocklist/publisher.h"

namespace mamori::rse::blocklist {

class RebuildScheduler {
 public:
  RebuildScheduler(store::Store& store, Clock& clock, std::vector<DeviceProfile> profiles,
                   const intel::WarningLists* warnings, BuildSettings settings,
                   PublishedLists& published);
  ~RebuildScheduler();

  // Builds every due profile; returns the builds it ran.
  std::vector<ProfileBuild> RunDue();
  void Start(std::chrono::seconds tick);
  void Stop();

 private:
  store::Store& store_;
  Clock& clock_;
  std::vector<DeviceProfile> profiles_;
  const intel::WarningLists* warnings_;
  BuildSettings settings_;
  PublishedLists& published_;
  std::map<std::string, UnixSeconds> last_attempt_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace mamori::rse::blocklist
