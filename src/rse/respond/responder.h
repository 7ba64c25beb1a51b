// Responder: the response engine — detections in, countermeasures (or recommendations) out.
//
// For each new detection it evaluates every enabled playbook (playbook.h). For each action of a
// matching playbook it picks the device (the action's `device`, or the first configured actuator
// supporting the kind), asks the SafetyGate (safety.h) whether the value may be acted on, and
// stores an ActionRecord (store/records.h, docs/respond.md):
//   refused    the safety checks said no (allowlisted, our own infrastructure, private range,
//              protected platform) — kept so the operator sees what was held back and why;
//   proposed   a `recommend` playbook, or an `auto` one while the kill switch is on or over a
//              rate limit — waits for an operator's Approve/Reject;
//   dry_run    [respond] dry_run: nothing is touched;
//   active     an `auto` action carried out (reversible kinds; expires at expires_at);
//   done       a one-shot action carried out (notifications);
//   failed     the device refused it `max_attempts` times (retried by Tick() before that,
//              state pending meanwhile).
// An action already open for the same kind, device and target is not duplicated: an active one
// is extended when the new one would last longer.
// Tick() reverts actions whose time is up (expired), retries pending ones, and every
// `reconcile_seconds` checks that each active action is still in place on its device and
// re-applies it where a device lost it (restart, flushed set). Initialize() does the same once at
// start-up, so actions survive restarts of mamori and of the devices.
// Every decision and every device change is appended to the audit log (store AppendAudit).
//
// Thread-safety: every public method may be called from any thread; they are serialized on one
// mutex (actuators are called under it, from one thread at a time). Start() runs a worker thread
// that takes Submit()ted detections and calls Tick() at each action's expiry, at most a second
// late.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "rse/respond/actuator.h"
#include "rse/respond/playbook.h"
#include "rse/respond/safety.h"
#include "store/store.h"

namespace mamori::rse::respond {

struct ResponderOptions {
  bool dry_run = false;
  bool kill_switch_default = false;  // used when the store has no kill-switch state yet
  int64_t default_duration_seconds = 3600;
  int64_t reconcile_seconds = 60;
  int max_attempts = 3;
  SafetyOptions safety;
};

// What an operator may change when approving a recommendation.
struct Approval {
  std::string actor;    // "operator:alice"
  std::string comment;
  std::optional<int64_t> duration_seconds;  // 0 = until rolled back
  std::optional<std::string> target;        // a wider scope, e.g. the /24 of the address
};

struct ResponderStats {
  int64_t detections = 0;      // detections evaluated
  int64_t actions_created = 0;
  int64_t applied = 0;         // device changes that succeeded (incl. re-applies)
  int64_t apply_errors = 0;
  int64_t expired = 0;
  int64_t reapplied = 0;       // active actions a device had lost
  int64_t refused = 0;
  int64_t duplicates = 0;      // not created: the same action was open already
};

// Asks the domain subsystem about a domain (lower case, no trailing dot); nullopt when it has
// nothing to say. Called from the engine's thread under its lock: it must be thread-safe and
// should be quick (the reputation service answers from an in-memory index).
using DomainAssessor = std::function<std::optional<DomainAssessment>(std::string_view domain)>;

class Responder {
 public:
  // `warning_lists` may be null; not owned. Actuators are owned.
  Responder(store::Store& store, Clock& clock, std::shared_ptr<const PlaybookSet> playbooks,
            ActuatorList actuators, ResponderOptions options,
            const intel::WarningLists* warning_lists = nullptr);
  ~Responder();
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;

  // Reads the kill switch (store setting "respond.kill_switch"), loads the allowlist and
  // reconciles every active action with its device. Call before Start() or the first Handle.
  Status Initialize();
  void Start();
  void Stop();  // idempotent; waits for the worker

  // Queues detections for the worker (from collector threads); never blocks on devices.
  void Submit(std::vector<store::DetectionRecord> detections);
  // Waits until everything submitted so far has been handled (tests, one-shot imports).
  void Drain();

  // Evaluates the playbooks for one stored detection now; returns the actions it created.
  Expected<std::vector<store::ActionRecord>> Handle(const store::DetectionRecord& detection);
  // Expires due actions, retries pending ones, reconciles when due.
  Status Tick();
  // Re-applies every active action its device lost; returns how many. Works in slices of
  // kReconcileSlice actions and releases the lock between them.
  Expected<int> Reconcile();
  static constexpr int kReconcileSlice = 500;

  Expected<store::ActionRecord> Approve(int64_t id, const Approval& approval);
  Expected<store::ActionRecord> Reject(int64_t id, const std::string& actor,
                                       const std::string& comment);
  // Undoes an active action (or withdraws a pending one) now.
  Expected<store::ActionRecord> Rollback(int64_t id, const std::string& actor,
                                         const std::string& comment);

  // The domain subsystem's view of domains (playbook conditions min_reputation / categories,
  // and the reputation reasons and countermeasure in an action's evidence). Without one those
  // conditions never hold. May be set while running.
  void set_domain_assessor(DomainAssessor assessor);

  Status SetKillSwitch(bool on, const std::string& actor, const std::string& comment);
  bool kill_switch() const;
  bool dry_run() const { return options_.dry_run; }
  std::shared_ptr<const PlaybookSet> playbooks() const { return playbooks_; }
  // Device names, in the order they are tried.
  std::vector<std::string> devices() const;
  ResponderStats stats() const;

 private:
  Expected<std::vector<store::ActionRecord>> HandleLocked(const store::DetectionRecord& d);
  Expected<store::ActionRecord> CreateAction(const Playbook& playbook,
                                             const PlaybookAction& action,
                                             const store::DetectionRecord& detection,
                                             const ValueFacts& facts, UnixSeconds now);
  // Carries out a pending action and stores the outcome (active/done/pending/failed).
  Expected<store::ActionRecord> ApplyLocked(store::ActionRecord action, UnixSeconds now,
                                            const std::string& actor);
  Expected<store::ActionRecord> RevertLocked(store::ActionRecord action, std::string end_state,
                                             const std::string& actor, const std::string& comment,
                                             UnixSeconds now);
  // The action `id` when it is in one of `states`; kNotFound, or kRejected naming `rule`.
  Expected<store::ActionRecord> LoadForDecision(int64_t id,
                                                std::initializer_list<std::string_view> states,
                                                std::string_view rule);
  Status ExpireLocked(UnixSeconds now);
  Status RetryLocked(UnixSeconds now);
  // One slice of Reconcile(): the active actions with id < `before` (all when 0), newest first,
  // at most kReconcileSlice; sets `before` to where the next slice starts (0: done).
  Expected<int> ReconcileSliceLocked(UnixSeconds now, int64_t& before);
  Status Audit(const std::string& actor, const std::string& what, const store::ActionRecord& a,
               UnixSeconds now, const std::string& comment = "");
  Actuator* Device(std::string_view name) const;
  Actuator* DeviceFor(const PlaybookAction& action) const;
  ValueFacts FactsFor(const std::string& value);
  void ReloadAllowlist(UnixSeconds now);
  void Run();

  store::Store& store_;
  Clock& clock_;
  std::shared_ptr<const PlaybookSet> playbooks_;
  ActuatorList actuators_;
  ResponderOptions options_;
  SafetyGate safety_;

  mutable std::mutex mu_;  // guards everything below and serializes device calls
  bool kill_switch_ = false;
  UnixSeconds last_reconcile_ = 0;
  UnixSeconds allowlist_loaded_at_ = 0;
  ResponderStats stats_;
  DomainAssessor assess_domain_;

  std::mutex queue_mu_;  // guards the queue and the worker's flags
  std::condition_variable queue_cv_;
  std::deque<store::DetectionRecord> queue_;
  int64_t submitted_ = 0;
  int64_t handled_ = 0;
  bool stop_ = false;
  std::thread worker_;
};

// The sentence shown with a proposed action: what applying it changes.
std::string ExpectedEffect(std::string_view kind, std::string_view device,
                           const std::string& target, int64_t duration_seconds);

}  // namespace mamori::rse::respond
