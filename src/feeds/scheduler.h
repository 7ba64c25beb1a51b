// Scheduler: refreshes every enabled source when its refresh interval has passed.
//
// RunDue() does one pass synchronously (used by tests with a FakeClock, and by the thread);
// Start() runs passes every `tick` on a background thread until Stop() or destruction. A
// source is due when it was never attempted or last_attempt_at + refresh_seconds <= now; a
// failed attempt waits a full interval too, so a broken feed is not hammered (the HTTP client
// already retried with backoff). Sources are refreshed one at a time to keep the load on the
// store and the network predictable.
// Thread-safety: Start/Stop from one thread; RunDue must not run concurrently with the thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "feeds/updater.h"
#include "store/store.h"

namespace mamori::feeds {

class Scheduler {
 public:
  Scheduler(store::Store& store, FeedUpdater& updater, Clock& clock);
  ~Scheduler();

  // One pass: updates every due source; returns the reports of the updates it ran.
  std::vector<UpdateReport> RunDue();

  void Start(std::chrono::seconds tick);
  void Stop();

 private:
  store::Store& store_;
  FeedUpdater& updater_;
  Clock& clock_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace mamori::feeds
