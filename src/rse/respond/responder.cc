#include "rse/respond/responder.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "core/indicator.h"
#include "rse/detect/detection_json.h"

namespace mamori::rse::respond {
namespace {

constexpr std::string_view kKillSwitchKey = "respond.kill_switch";
// The allowlist is re-read from the store this often, so an entry an operator adds takes effect
// without a restart.
constexpr UnixSeconds kAllowlistRefreshSeconds = 30;

std::string DurationText(int64_t seconds) {
  if (seconds <= 0) return "until rolled back";
  if (seconds % 86400 == 0) return fmt::format("for {}d", seconds / 86400);
  if (seconds % 3600 == 0) return fmt::format("for {}h", seconds / 3600);
  if (seconds % 60 == 0) return fmt::format("for {}m", seconds / 60);
  return fmt::format("for {}s", seconds);
}

// block_address may widen an address to its network (`widen`); anything else is used as is.
std::string Scoped(const PlaybookAction& action, const std::string& value) {
  if (action.type != kBlockAddress) return value;
  auto address = IpAddress::Parse(value);
  if (!address) return value;
  int prefix = address->is_v4() ? action.widen_v4 : action.widen_v6;
  if (prefix <= 0 || prefix >= address->bit_length()) return value;
  return Cidr::Of(*address, prefix).ToString();
}

bool Reversible(std::string_view kind) {
  return kind == kBlockAddress || kind == kBlockDomain || kind == kBlocklistBoost ||
         kind == kIsolateHost;
}

nlohmann::json EvidenceJson(const Playbook& playbook, const store::DetectionRecord& d,
                            const ValueFacts& facts, std::string_view device) {
  nlohmann::json detection = detect::DetectionRecordToJson(d, /*with_evidence=*/true);
  nlohmann::json intel = {{"listed", facts.listed}, {"listed_by", facts.listed_by}};
  nlohmann::json out = {
      {"detection", std::move(detection)},
      {"intel", std::move(intel)},
      {"playbook", {{"id", playbook.id}, {"title", playbook.title}, {"mode", playbook.mode}}},
      {"defense_point", device},
  };
  out["reputation"] = facts.reputation ? nlohmann::json(*facts.reputation) : nlohmann::json();
  out["category"] = facts.category.empty() ? nlohmann::json() : nlohmann::json(facts.category);
  if (facts.domain) {
    // The reasons behind the score and the categorizer's countermeasure, so the operator
    // deciding a recommendation sees why and where it should be blocked.
    out["reputation_reasons"] = facts.domain->reasons;
    if (!facts.domain->action.empty()) {
      out["countermeasure"] = {{"action", facts.domain->action},
                               {"block_at", facts.domain->block_at},
                               {"defense_points", facts.domain->defense_points},
                               {"abuse_contact", facts.domain->abuse_contact}};
    }
  }
  return out;
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string ExpectedEffect(std::string_view kind, std::string_view device,
                           const std::string& target, int64_t duration_seconds) {
  std::string how_long = DurationText(duration_seconds);
  if (kind == kBlockAddress) {
    return fmt::format("Drops all traffic from and to {} at {} {}.", target, device, how_long);
  }
  if (kind == kBlockDomain) {
    return fmt::format("Resolving {} and every name below it fails at {} {}.", target, device,
                       how_long);
  }
  if (kind == kBlocklistBoost) {
    return fmt::format("{} ranks higher in every device blocklist built {}.", target, how_long);
  }
  if (kind == kIsolateHost) {
    return fmt::format("The EDR cuts {} off the network {}.", target, how_long);
  }
  if (kind == kRecommendOnly) return "Nothing is changed: the detection is brought to an operator.";
  return fmt::format("Sends a notification about {} through {}.", target, device);
}

Responder::Responder(store::Store& store, Clock& clock,
                     std::shared_ptr<const PlaybookSet> playbooks, ActuatorList actuators,
                     ResponderOptions options, const intel::WarningLists* warning_lists)
    : store_(store),
      clock_(clock),
      playbooks_(std::move(playbooks)),
      actuators_(std::move(actuators)),
      options_(std::move(options)),
      safety_(options_.safety, warning_lists),
      kill_switch_(options_.kill_switch_default) {}

Responder::~Responder() { Stop(); }

Status Responder::Initialize() {
  {
    std::lock_guard lock(mu_);
    MAMORI_ASSIGN_OR_RETURN(auto stored, store_.GetSetting(kKillSwitchKey));
    if (stored) kill_switch_ = *stored == "on";
    ReloadAllowlist(clock_.Now());
  }
  auto reapplied = Reconcile();
  if (!reapplied) return tl::unexpected(reapplied.error());
  if (*reapplied > 0) spdlog::info("respond: re-applied {} actions devices had lost", *reapplied);
  return Ok();
}

void Responder::Start() {
  std::lock_guard lock(queue_mu_);
  if (worker_.joinable()) return;
  stop_ = false;
  worker_ = std::thread([this] { Run(); });
}

void Responder::Stop() {
  {
    std::lock_guard lock(queue_mu_);
    stop_ = true;
  }
  queue_cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void Responder::Submit(std::vector<store::DetectionRecord> detections) {
  {
    std::lock_guard lock(queue_mu_);
    for (auto& d : detections) queue_.push_back(std::move(d));
    submitted_ += static_cast<int64_t>(detections.size());
  }
  queue_cv_.notify_all();
}

void Responder::Drain() {
  std::unique_lock lock(queue_mu_);
  int64_t target = submitted_;
  queue_cv_.wait(lock, [&] { return handled_ >= target || (stop_ && !worker_.joinable()); });
}

void Responder::Run() {
  while (true) {
    std::deque<store::DetectionRecord> batch;
    {
      std::unique_lock lock(queue_mu_);
      // Expiry times are whole seconds: waking just after each second boundary handles an
      // expiry within milliseconds of its second (a fixed 1 s wait made it up to 1.16 s late
      // at 10,000 timed blocks: docs/benchmarks.md).
      auto now = std::chrono::system_clock::now();
      auto next_second =
          std::chrono::ceil<std::chrono::seconds>(now + std::chrono::milliseconds(1));
      queue_cv_.wait_until(lock, next_second + std::chrono::milliseconds(5),
                           [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      batch.swap(queue_);
    }
    for (const auto& d : batch) {
      auto handled = Handle(d);
      if (!handled) spdlog::warn("respond: detection {}: {}", d.id, handled.error().ToString());
    }
    if (!batch.empty()) {
      std::lock_guard lock(queue_mu_);
      handled_ += static_cast<int64_t>(batch.size());
      queue_cv_.notify_all();
    }
    if (auto ticked = Tick(); !ticked) spdlog::warn("respond: {}", ticked.error().ToString());
  }
}

Expected<std::vector<store::ActionRecord>> Responder::Handle(const store::DetectionRecord& d) {
  std::lock_guard lock(mu_);
  return HandleLocked(d);
}

Expected<std::vector<store::ActionRecord>> Responder::HandleLocked(
    const store::DetectionRecord& d) {
  ++stats_.detections;
  UnixSeconds now = clock_.Now();
  if (now - allowlist_loaded_at_ >= kAllowlistRefreshSeconds) ReloadAllowlist(now);
  std::vector<store::ActionRecord> created;
  // A detection has two values (source, target): each is looked up in the intel store once, not
  // once per playbook and action.
  std::map<std::string, ValueFacts> facts_of;
  auto facts_for = [&](const std::string& value) -> const ValueFacts& {
    auto it = facts_of.find(value);
    if (it == facts_of.end()) it = facts_of.emplace(value, FactsFor(value)).first;
    return it->second;
  };
  for (const Playbook& playbook : playbooks_->playbooks) {
    if (!playbook.enabled) continue;
    // Conditions on intel/reputation are about the value the first action acts on.
    const ValueFacts& facts = facts_for(ValueFor(playbook.actions.front(), d));
    if (!Matches(playbook, d, playbooks_->asset_groups, facts)) continue;
    for (const PlaybookAction& action : playbook.actions) {
      auto made = CreateAction(playbook, action, d, facts_for(ValueFor(action, d)), now);
      if (!made) return tl::unexpected(made.error());
      if (made->id > 0) created.push_back(std::move(*made));
    }
  }
  return created;
}

Expected<store::ActionRecord> Responder::CreateAction(const Playbook& playbook,
                                                      const PlaybookAction& action,
                                                      const store::DetectionRecord& d,
                                                      const ValueFacts& facts, UnixSeconds now) {
  store::ActionRecord a;
  a.playbook = playbook.id;
  a.kind = action.type;
  a.target = Scoped(action, ValueFor(action, d));
  if (auto normalized = NormalizeIndicator(a.target)) a.target = normalized->indicator.value;
  Actuator* device = action.type == kRecommendOnly ? nullptr : DeviceFor(action);
  // Notifications are best effort: a playbook may ask for every channel, and those a site has
  // not configured are left out instead of failing.
  if (device == nullptr && action.device.empty() && a.kind.starts_with("notify_")) {
    return store::ActionRecord{};
  }
  a.device = device ? std::string(device->name()) : action.device;
  a.mode = playbook.mode;
  a.duration_seconds = Reversible(a.kind)
                           ? (action.duration_seconds > 0 ? action.duration_seconds
                                                          : options_.default_duration_seconds)
                           : 0;
  a.detection_id = d.id;
  nlohmann::json params = action.params;
  if (action.boost > 0) params["boost"] = action.boost;
  a.params_json = Dump(params);
  a.evidence_json = Dump(EvidenceJson(playbook, d, facts, a.device));
  a.expected_effect = ExpectedEffect(a.kind, a.device, a.target, a.duration_seconds);
  a.reason = fmt::format("playbook {} ({}) on detection {} of {}", playbook.id,
                         playbook.title.empty() ? playbook.mode : playbook.title, d.id, d.rule_id);
  a.created_at = now;
  a.updated_at = now;
  std::string actor = "playbook:" + playbook.id;

  // The same action already open: do not pile up; make an active one last as long as asked.
  if (!a.target.empty()) {
    store::ActionQuery open;
    open.states = {"proposed", "pending", "active"};
    open.target = a.target;
    open.kind = a.kind;
    MAMORI_ASSIGN_OR_RETURN(auto existing, store_.ListActions(open));
    for (auto& e : existing) {
      if (e.device != a.device) continue;
      ++stats_.duplicates;
      UnixSeconds wanted = a.duration_seconds > 0 ? now + a.duration_seconds : 0;
      if (e.state == "active" && e.expires_at > 0 && (wanted == 0 || wanted > e.expires_at)) {
        e.expires_at = wanted;
        e.updated_at = now;
        MAMORI_RETURN_IF_ERROR(store_.UpdateAction(e));
        MAMORI_RETURN_IF_ERROR(Audit(actor, "extend", e, now));
      }
      return store::ActionRecord{};  // id 0: nothing created
    }
  }

  auto refusal = safety_.Refusal(playbook, a.kind, a.target);
  if (refusal) {
    a.state = "refused";
    a.reason = *refusal;
    a.ended_at = now;
    ++stats_.refused;
  } else if (device == nullptr && a.kind != kRecommendOnly && playbook.mode == "auto") {
    a.state = "failed";
    a.last_error =
        action.device.empty()
            ? fmt::format("no configured device can carry out {} (docs/respond.md)", a.kind)
            : fmt::format("device '{}' is not configured or cannot carry out {}", action.device,
                          a.kind);
    a.ended_at = now;
  } else if (options_.dry_run) {
    a.state = "dry_run";
    a.ended_at = now;
  } else if (playbook.mode == "recommend" || a.kind == kRecommendOnly) {
    a.state = "proposed";
    if (device == nullptr && a.kind != kRecommendOnly) {
      a.reason += fmt::format(
          "; no configured device carries out {}: approving records the "
          "decision, carry it out by hand",
          a.kind);
    }
  } else if (kill_switch_) {
    a.state = "proposed";
    a.reason += "; held for an operator: the kill switch is on";
  } else if (auto limited = safety_.TakeRate(playbook, a.kind, a.target, now)) {
    a.state = "proposed";
    a.reason += "; held for an operator: " + *limited;
  } else {
    a.state = "pending";
    a.decided_at = now;
    a.decided_by = actor;
  }
  MAMORI_ASSIGN_OR_RETURN(store::ActionRecord stored, store_.AddAction(a));
  ++stats_.actions_created;
  MAMORI_RETURN_IF_ERROR(
      Audit(actor, stored.state == "pending" ? "decide" : stored.state, stored, now));
  if (stored.state != "pending") return stored;
  return ApplyLocked(std::move(stored), now, actor);
}

Expected<store::ActionRecord> Responder::ApplyLocked(store::ActionRecord a, UnixSeconds now,
                                                     const std::string& actor) {
  Actuator* device = Device(a.device);
  ++a.attempts;
  a.updated_at = now;
  Status applied = device
                       ? device->Apply(a)
                       : Status(MakeError(ErrorCode::kNotFound,
                                          fmt::format("device '{}' is not configured", a.device)));
  if (applied) {
    ++stats_.applied;
    a.last_error.clear();
    a.applied_at = now;
    if (device->reversible()) {
      a.state = "active";
      a.expires_at = a.duration_seconds > 0 ? now + a.duration_seconds : 0;
    } else {
      a.state = "done";
      a.ended_at = now;
    }
  } else {
    ++stats_.apply_errors;
    a.last_error = applied.error().ToString();
    if (a.attempts >= options_.max_attempts) {
      a.state = "failed";
      a.ended_at = now;
    }
    spdlog::warn("respond: action {} ({} {} at {}): {}", a.id, a.kind, a.target, a.device,
                 a.last_error);
  }
  MAMORI_RETURN_IF_ERROR(store_.UpdateAction(a));
  MAMORI_RETURN_IF_ERROR(Audit(actor, applied ? "apply" : "apply_failed", a, now));
  return a;
}

Expected<store::ActionRecord> Responder::RevertLocked(store::ActionRecord a, std::string end_state,
                                                      const std::string& actor,
                                                      const std::string& comment, UnixSeconds now) {
  if (a.state == "active") {
    Actuator* device = Device(a.device);
    if (device == nullptr) {
      return MakeError(ErrorCode::kNotFound,
                       fmt::format("action {}: device '{}' is not configured any more; "
                                   "remove {} by hand",
                                   a.id, a.device, a.target));
    }
    if (device->reversible()) {
      if (Status reverted = device->Revert(a); !reverted) {
        a.last_error = reverted.error().ToString();
        a.updated_at = now;
        MAMORI_RETURN_IF_ERROR(store_.UpdateAction(a));
        MAMORI_RETURN_IF_ERROR(Audit(actor, "revert_failed", a, now, comment));
        return tl::unexpected(reverted.error());
      }
    }
  }
  a.state = std::move(end_state);
  a.ended_at = now;
  a.updated_at = now;
  if (!comment.empty()) a.comment = comment;
  MAMORI_RETURN_IF_ERROR(store_.UpdateAction(a));
  MAMORI_RETURN_IF_ERROR(
      Audit(actor, a.state == "expired" ? "expire" : "rollback", a, now, comment));
  return a;
}

Status Responder::Tick() {
  bool reconcile_due = false;
  {
    std::lock_guard lock(mu_);
    UnixSeconds now = clock_.Now();
    MAMORI_RETURN_IF_ERROR(ExpireLocked(now));
    MAMORI_RETURN_IF_ERROR(RetryLocked(now));
    reconcile_due = now - last_reconcile_ >= options_.reconcile_seconds;
  }
  if (reconcile_due) {
    auto reapplied = Reconcile();
    if (!reapplied) return tl::unexpected(reapplied.error());
  }
  return Ok();
}

Status Responder::ExpireLocked(UnixSeconds now) {
  store::ActionQuery due;
  due.states = {"active"};
  due.expires_before = now;
  due.limit = 1000;
  while (true) {
    MAMORI_ASSIGN_OR_RETURN(auto rows, store_.ListActions(due));
    int reverted = 0;
    for (auto& a : rows) {
      auto done = RevertLocked(std::move(a), "expired", "mamori", "", now);
      if (done) {
        ++stats_.expired;
        ++reverted;
      }
    }
    // A device that refuses to revert keeps its rows due; stop rather than spin on them.
    if (rows.size() < static_cast<size_t>(due.limit) || reverted == 0) return Ok();
  }
}

Status Responder::RetryLocked(UnixSeconds now) {
  store::ActionQuery pending;
  pending.states = {"pending"};
  pending.limit = 100;
  MAMORI_ASSIGN_OR_RETURN(auto rows, store_.ListActions(pending));
  for (auto& a : rows) {
    auto applied = ApplyLocked(std::move(a), now, "mamori");
    if (!applied) return tl::unexpected(applied.error());
  }
  return Ok();
}

// Reconciles slice by slice, taking the lock per slice: checking 10,000 active actions against
// their devices took 0.4–0.5 s, and as one critical section it held every approval, rollback and
// detection behind it for that long (docs/benchmarks.md, issue 11).
Expected<int> Responder::Reconcile() {
  int reapplied = 0;
  int64_t before = 0;
  do {
    std::lock_guard lock(mu_);
    MAMORI_ASSIGN_OR_RETURN(int n, ReconcileSliceLocked(clock_.Now(), before));
    reapplied += n;
  } while (before != 0);
  return reapplied;
}

Expected<int> Responder::ReconcileSliceLocked(UnixSeconds now, int64_t& before) {
  if (before == 0) last_reconcile_ = now;
  store::ActionQuery active;
  active.states = {"active"};
  active.before_id = before;
  active.limit = kReconcileSlice;
  MAMORI_ASSIGN_OR_RETURN(auto rows, store_.ListActions(active));
  before = static_cast<int>(rows.size()) < kReconcileSlice ? 0 : rows.back().id;
  int reapplied = 0;
  for (auto& a : rows) {
    if (a.expires_at > 0 && a.expires_at <= now) continue;  // ExpireLocked's work
    Actuator* device = Device(a.device);
    if (device == nullptr) continue;
    auto in_place = device->IsInPlace(a);
    if (!in_place) {
      spdlog::warn("respond: cannot check action {} at {}: {}", a.id, a.device,
                   in_place.error().ToString());
      continue;
    }
    if (*in_place) continue;
    Status applied = device->Apply(a);
    a.updated_at = now;
    if (applied) {
      ++reapplied;
      ++stats_.reapplied;
      a.last_error.clear();
    } else {
      a.last_error = applied.error().ToString();
    }
    MAMORI_RETURN_IF_ERROR(store_.UpdateAction(a));
    MAMORI_RETURN_IF_ERROR(Audit("mamori", applied ? "reapply" : "reapply_failed", a, now));
  }
  return reapplied;
}

Expected<store::ActionRecord> Responder::LoadForDecision(
    int64_t id, std::initializer_list<std::string_view> states, std::string_view rule) {
  MAMORI_ASSIGN_OR_RETURN(auto found, store_.GetAction(id));
  if (!found) return MakeError(ErrorCode::kNotFound, fmt::format("no action {}", id));
  if (std::find(states.begin(), states.end(), found->state) == states.end()) {
    return MakeError(ErrorCode::kRejected,
                     fmt::format("action {} is {}: {}", id, found->state, rule));
  }
  return std::move(*found);
}

Expected<store::ActionRecord> Responder::Approve(int64_t id, const Approval& approval) {
  std::lock_guard lock(mu_);
  UnixSeconds now = clock_.Now();
  MAMORI_ASSIGN_OR_RETURN(
      store::ActionRecord a,
      LoadForDecision(id, {"proposed"}, "only a recommendation can be approved"));
  if (approval.duration_seconds) {
    if (*approval.duration_seconds < 0) {
      return MakeError(ErrorCode::kInvalidArgument, "duration_seconds must be 0 or more");
    }
    a.duration_seconds = *approval.duration_seconds;
  }
  if (approval.target && *approval.target != a.target) {
    auto normalized = NormalizeIndicator(*approval.target);
    if (!normalized) {
      return MakeError(ErrorCode::kInvalidArgument, fmt::format("target '{}': {}", *approval.target,
                                                                normalized.error().message));
    }
    Playbook rules_of;  // the playbook's exemptions still apply to a modified scope
    for (const auto& p : playbooks_->playbooks) {
      if (p.id == a.playbook) rules_of = p;
    }
    if (auto refusal = safety_.Refusal(rules_of, a.kind, normalized->indicator.value)) {
      return MakeError(ErrorCode::kRejected, fmt::format("target refused: {}", *refusal));
    }
    a.target = normalized->indicator.value;
  }
  a.expected_effect = ExpectedEffect(a.kind, a.device, a.target, a.duration_seconds);
  a.decided_at = now;
  a.decided_by = approval.actor;
  a.comment = approval.comment;
  a.updated_at = now;
  if (a.kind == kRecommendOnly || Device(a.device) == nullptr) {
    // Nothing here can carry it out: the approval records the decision, people act on it.
    a.state = "done";
    a.ended_at = now;
  } else {
    a.state = options_.dry_run ? "dry_run" : "pending";
  }
  MAMORI_RETURN_IF_ERROR(store_.UpdateAction(a));
  MAMORI_RETURN_IF_ERROR(Audit(approval.actor, "approve", a, now, approval.comment));
  if (a.state != "pending") return a;
  return ApplyLocked(std::move(a), now, approval.actor);
}

Expected<store::ActionRecord> Responder::Reject(int64_t id, const std::string& actor,
                                                const std::string& comment) {
  std::lock_guard lock(mu_);
  UnixSeconds now = clock_.Now();
  MAMORI_ASSIGN_OR_RETURN(
      store::ActionRecord a,
      LoadForDecision(id, {"proposed"}, "only a recommendation can be rejected"));
  a.state = "rejected";
  a.decided_at = now;
  a.decided_by = actor;
  a.comment = comment;
  a.ended_at = now;
  a.updated_at = now;
  MAMORI_RETURN_IF_ERROR(store_.UpdateAction(a));
  MAMORI_RETURN_IF_ERROR(Audit(actor, "reject", a, now, comment));
  return a;
}

Expected<store::ActionRecord> Responder::Rollback(int64_t id, const std::string& actor,
                                                  const std::string& comment) {
  std::lock_guard lock(mu_);
  UnixSeconds now = clock_.Now();
  MAMORI_ASSIGN_OR_RETURN(store::ActionRecord a,
                          LoadForDecision(id, {"active", "pending"},
                                          "only an active or pending action can be rolled back"));
  return RevertLocked(std::move(a), "rolled_back", actor, comment, now);
}

Status Responder::SetKillSwitch(bool on, const std::string& actor, const std::string& comment) {
  std::lock_guard lock(mu_);
  UnixSeconds now = clock_.Now();
  MAMORI_RETURN_IF_ERROR(store_.SetSetting(kKillSwitchKey, on ? "on" : "off", now));
  kill_switch_ = on;
  store::AuditEntry e;
  e.at = now;
  e.actor = actor;
  e.action = on ? "kill_switch_on" : "kill_switch_off";
  e.target = "respond";
  e.details_json = Dump({{"comment", comment}});
  return store_.AppendAudit(e).map([](auto&&) {});
}

bool Responder::kill_switch() const {
  std::lock_guard lock(mu_);
  return kill_switch_;
}

std::vector<std::string> Responder::devices() const {
  std::vector<std::string> out;
  for (const auto& a : actuators_) out.emplace_back(a->name());
  return out;
}

ResponderStats Responder::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

Status Responder::Audit(const std::string& actor, const std::string& what,
                        const store::ActionRecord& a, UnixSeconds now, const std::string& comment) {
  store::AuditEntry e;
  e.at = now;
  e.actor = actor;
  e.action = what;
  e.target = a.target;
  nlohmann::json details = {{"action_id", a.id},         {"kind", a.kind},
                            {"device", a.device},        {"state", a.state},
                            {"playbook", a.playbook},    {"detection_id", a.detection_id},
                            {"expires_at", a.expires_at}};
  if (!a.last_error.empty()) details["error"] = a.last_error;
  if (!comment.empty()) details["comment"] = comment;
  if (a.state == "refused" || a.state == "proposed") details["reason"] = a.reason;
  e.details_json = Dump(details);
  return store_.AppendAudit(e).map([](auto&&) {});
}

Actuator* Responder::Device(std::string_view name) const {
  for (const auto& a : actuators_) {
    if (a->name() == name) return a.get();
  }
  return nullptr;
}

Actuator* Responder::DeviceFor(const PlaybookAction& action) const {
  if (!action.device.empty()) {
    Actuator* named = Device(action.device);
    return named && named->Supports(action.type) ? named : nullptr;
  }
  for (const auto& a : actuators_) {
    if (a->Supports(action.type)) return a.get();
  }
  return nullptr;
}

ValueFacts Responder::FactsFor(const std::string& value) {
  ValueFacts facts;
  if (value.empty()) return facts;
  auto normalized = NormalizeIndicator(value);
  if (!normalized) return facts;
  const Indicator& indicator = normalized->indicator;
  if (indicator.type == IndicatorType::kDomain && assess_domain_) {
    facts.domain = assess_domain_(indicator.value);
    if (facts.domain) {
      facts.reputation = facts.domain->score;
      facts.category = facts.domain->category;
    }
  }
  auto history = store_.Lookup(indicator);
  if (!history || !*history) return facts;
  for (const auto& interval : (*history)->intervals) {
    if (interval.delisted_at != 0) continue;
    facts.listed = true;
    if (std::find(facts.listed_by.begin(), facts.listed_by.end(), interval.source_name) ==
        facts.listed_by.end()) {
      facts.listed_by.push_back(interval.source_name);
    }
  }
  return facts;
}

void Responder::set_domain_assessor(DomainAssessor assessor) {
  std::lock_guard lock(mu_);
  assess_domain_ = std::move(assessor);
}

void Responder::ReloadAllowlist(UnixSeconds now) {
  allowlist_loaded_at_ = now;
  auto entries = store_.ListAllowlist();
  if (!entries) {
    spdlog::warn("respond: cannot read the allowlist: {}", entries.error().ToString());
    return;
  }
  safety_.set_allowlist(intel::AllowlistMatcher::Build(*entries, now));
}

}  // namespace mamori::rse::respond
