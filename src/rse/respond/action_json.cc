#include "rse/respond/action_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/clock.h"

namespace mamori::rse::respond {
namespace {

using nlohmann::json;

json Time(UnixSeconds t) { return t > 0 ? json(FormatIso8601(t)) : json(nullptr); }

json ParsedObject(const std::string& text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? json::object() : parsed;
}

constexpr std::string_view kStates[] = {"proposed", "pending",     "active",   "done",
                                        "failed",   "expired",     "rolled_back", "rejected",
                                        "refused",  "dry_run"};

Expected<int64_t> Number(const std::string& name, const std::string& text, int64_t min,
                         int64_t max) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < min || n > max) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} must be a number from {} to {}", name, min, max), text);
  }
  return n;
}

}  // namespace

bool IsActionState(std::string_view state) {
  return std::find(std::begin(kStates), std::end(kStates), state) != std::end(kStates);
}

json ActionToJson(const store::ActionRecord& a, bool with_evidence) {
  json out = {{"id", a.id},
              {"playbook", a.playbook},
              {"kind", a.kind},
              {"device", a.device},
              {"target", a.target},
              {"params", ParsedObject(a.params_json)},
              {"state", a.state},
              {"mode", a.mode},
              {"duration_seconds", a.duration_seconds},
              {"detection_id", a.detection_id},
              {"expected_effect", a.expected_effect},
              {"reason", a.reason},
              {"created_at", Time(a.created_at)},
              {"decided_at", Time(a.decided_at)},
              {"decided_by", a.decided_by},
              {"comment", a.comment},
              {"applied_at", Time(a.applied_at)},
              {"expires_at", Time(a.expires_at)},
              {"ended_at", Time(a.ended_at)},
              {"last_error", a.last_error},
              {"attempts", a.attempts}};
  if (with_evidence) out["evidence"] = ParsedObject(a.evidence_json);
  return out;
}

Expected<store::ActionQuery> ParseActionQuery(const std::map<std::string, std::string>& params) {
  store::ActionQuery q;
  for (const auto& [name, value] : params) {
    if (name == "state") {
      size_t start = 0;
      while (start <= value.size()) {
        size_t comma = value.find(',', start);
        if (comma == std::string::npos) comma = value.size();
        std::string state = value.substr(start, comma - start);
        start = comma + 1;
        if (state.empty()) continue;
        if (!IsActionState(state)) {
          return MakeError(ErrorCode::kInvalidArgument,
                           fmt::format("unknown state '{}' (proposed, pending, active, done, "
                                       "failed, expired, rolled_back, rejected, refused, "
                                       "dry_run)",
                                       state),
                           "state");
        }
        q.states.push_back(state);
      }
    } else if (name == "kind") {
      q.kind = value;
    } else if (name == "target") {
      q.target = value;
    } else if (name == "playbook") {
      q.playbook = value;
    } else if (name == "detection") {
      MAMORI_ASSIGN_OR_RETURN(q.detection_id, Number(name, value, 1, INT64_MAX));
    } else if (name == "before_id") {
      MAMORI_ASSIGN_OR_RETURN(q.before_id, Number(name, value, 1, INT64_MAX));
    } else if (name == "limit") {
      MAMORI_ASSIGN_OR_RETURN(auto limit, Number(name, value, 1, 1000));
      q.limit = static_cast<int>(limit);
    } else {
      return MakeError(ErrorCode::kInvalidArgument,
                       fmt::format("unknown parameter '{}' (state, kind, target, playbook, "
                                   "detection, before_id, limit)",
                                   name),
                       name);
    }
  }
  return q;
}

}  // namespace mamori::rse::respond
