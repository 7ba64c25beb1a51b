#include "server/respond_routes.h"

#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "rse/ingest/event_json.h"
#include "rse/respond/action_json.h"
#include "rse/respond/responder.h"
#include "server/auth/auth.h"
#include "server/json_reply.h"

namespace mamori::server {
namespace {

using nlohmann::json;
using rse::respond::ActionToJson;

// Deciding needs the engine: answers 503 saying how to enable it when there is none.
bool EngineRunning(const rse::respond::Responder* responder, httplib::Response& res) {
  if (responder != nullptr) return true;
  SendError(res, 503,
            Error{ErrorCode::kBusy, "the response engine is not running",
                  "set [respond] enabled = true and restart mamori serve"});
  return false;
}

std::string StringField(const json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json PlaybookToJson(const rse::respond::Playbook& p) {
  json actions = json::array();
  for (const auto& a : p.actions) {
    json action = {{"type", a.type},
                   {"value", rse::respond::ValueOfName(a.value)},
                   {"device", a.device},
                   {"duration_seconds", a.duration_seconds}};
    if (a.widen_v4) action["widen_v4"] = a.widen_v4;
    if (a.widen_v6) action["widen_v6"] = a.widen_v6;
    if (a.boost) action["boost"] = a.boost;
    if (!a.params.empty()) action["params"] = a.params;
    actions.push_back(std::move(action));
  }
  const auto& w = p.when;
  json cidrs = json::array();
  for (const auto& c : w.source_cidrs) cidrs.push_back(c.ToString());
  json not_cidrs = json::array();
  for (const auto& c : w.not_source_cidrs) not_cidrs.push_back(c.ToString());
  json when = {{"rules", w.rules},
               {"min_level", rse::detect::LevelName(w.min_level)},
               {"min_count", w.min_count},
               {"group_field", w.group_field},
               {"source_cidr", cidrs},
               {"not_source_cidr", not_cidrs},
               {"asset_groups", w.asset_groups},
               {"intel_sources", w.intel_sources},
               {"min_reputation", w.min_reputation},
               {"categories", w.categories}};
  when["intel_listed"] = w.intel_listed ? json(*w.intel_listed) : json(nullptr);
  return {
      {"id", p.id},
      {"title", p.title},
      {"description", p.description},
      {"mode", p.mode},
      {"enabled", p.enabled},
      {"file", p.file},
      {"line", p.line},
      {"allow_private", p.allow_private},
      {"allow_own_infrastructure", p.allow_own_infrastructure},
      {"rate_limit",
       {{"per_minute", p.rate_per_minute}, {"per_target_per_hour", p.rate_per_target_per_hour}}},
      {"when", std::move(when)},
      {"actions", std::move(actions)}};
}

json AuditToJson(const store::AuditEntry& e) {
  json details = json::parse(e.details_json, nullptr, false);
  return {{"id", e.id},         {"at", FormatIso8601(e.at)},
          {"actor", e.actor},   {"action", e.action},
          {"target", e.target}, {"details", details.is_discarded() ? json::object() : details},
          {"hash", e.hash},     {"prev_hash", e.prev_hash}};
}

Expected<int64_t> PositiveParam(const httplib::Request& req, const char* name, int64_t max,
                                int64_t fallback) {
  if (!req.has_param(name)) return fallback;
  std::string text = req.get_param_value(name);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > max) {
    return MakeError(ErrorCode::kInvalidArgument,
                     fmt::format("{} must be a number from 1 to {}", name, max), text);
  }
  return n;
}

}  // namespace

void RegisterRespondRoutes(httplib::Server& http, store::Store& store,
                           rse::respond::Responder* responder, auth::Authenticator& auth) {
  using auth::Role;

  http.Get("/api/v1/actions", [&](const httplib::Request& req, httplib::Response& res) {
    if (!auth.Authorize(req, res, Role::kViewer)) return;
    std::map<std::string, std::string> params;
    for (const auto& [name, value] : req.params) params[name] = value;
    auto query = rse::respond::ParseActionQuery(params);
    if (!query) return SendError(res, query.error());
    query->with_evidence = false;  // the list shows none; GET /actions/<id> has it
    auto found = store.ListActions(*query);
    if (!found) return SendError(res, found.error());
    json list = json::array();
    for (const auto& a : *found) list.push_back(ActionToJson(a, false));
    json next = found->size() == static_cast<size_t>(query->limit) && !found->empty()
                    ? json(found->back().id)
                    : json(nullptr);
    SendJson(res, 200, {{"actions", std::move(list)}, {"next_before_id", next}});
  });

  http.Get(R"(/api/v1/actions/(\d{1,18}))", [&](const httplib::Request& req,
                                                httplib::Response& res) {
    if (!auth.Authorize(req, res, Role::kViewer)) return;
    auto found = store.GetAction(std::stoll(req.matches[1].str()));
    if (!found) return SendError(res, found.error());
    if (!*found) {
      return SendError(res, Error{ErrorCode::kNotFound, "no such action", req.matches[1].str()});
    }
    SendJson(res, 200, ActionToJson(**found, true));
  });

  // approve / reject / rollback share their shape: operator, JSON body, one engine call.
  http.Post(R"(/api/v1/actions/(\d{1,18})/(approve|reject|rollback))",
            [&, responder](const httplib::Request& req, httplib::Response& res) {
              auto who = auth.Authorize(req, res, Role::kOperator);
              if (!who) return;
              if (!EngineRunning(responder, res)) return;
              auto body = JsonBody(req, res);
              if (!body) return;
              int64_t id = std::stoll(req.matches[1].str());
              std::string verb = req.matches[2].str();
              std::string comment = StringField(*body, "comment");
              Expected<store::ActionRecord> result = MakeError(ErrorCode::kInternal, "");
              if (verb == "approve") {
                rse::respond::Approval approval{.actor = who->Actor(), .comment = comment};
                if (auto it = body->find("duration_seconds"); it != body->end()) {
                  if (!it->is_number_integer() || it->get<int64_t>() < 0) {
                    return SendError(res, Error{ErrorCode::kInvalidArgument,
                                                "duration_seconds must be a whole number >= 0",
                                                "duration_seconds"});
                  }
                  approval.duration_seconds = it->get<int64_t>();
                }
                if (auto it = body->find("target"); it != body->end() && it->is_string()) {
                  approval.target = it->get<std::string>();
                }
                result = responder->Approve(id, approval);
              } else if (verb == "reject") {
                result = responder->Reject(id, who->Actor(), comment);
              } else {
                result = responder->Rollback(id, who->Actor(), comment);
              }
              if (!result) return SendError(res, result.error());
              SendJson(res, 200, ActionToJson(*result, true));
            });

  http.Get("/api/v1/respond", [&, responder](const httplib::Request& req, httplib::Response& res) {
    if (!auth.Authorize(req, res, Role::kViewer)) return;
    auto counts = store.CountActionsByState();
    if (!counts) return SendError(res, counts.error());
    json by_state = json::object();
    for (const auto& [state, n] : *counts) by_state[state] = n;
    json out = {{"enabled", responder != nullptr}, {"counts", std::move(by_state)}};
    if (responder != nullptr) {
      auto stats = responder->stats();
      out["kill_switch"] = responder->kill_switch();
      out["dry_run"] = responder->dry_run();
      out["devices"] = responder->devices();
      out["playbooks"] = responder->playbooks()->playbooks.size();
      out["playbook_errors"] = responder->playbooks()->errors.size();
      out["stats"] = {{"detections", stats.detections}, {"actions_created", stats.actions_created},
                      {"applied", stats.applied},       {"apply_errors", stats.apply_errors},
                      {"expired", stats.expired},       {"reapplied", stats.reapplied},
                      {"refused", stats.refused},       {"duplicates", stats.duplicates}};
    }
    SendJson(res, 200, out);
  });

  http.Put("/api/v1/respond/kill-switch",
           [&, responder](const httplib::Request& req, httplib::Response& res) {
             auto who = auth.Authorize(req, res, Role::kAdmin);
             if (!who) return;
             if (!EngineRunning(responder, res)) return;
             auto body = JsonBody(req, res);
             if (!body) return;
             auto on = body->find("on");
             if (on == body->end() || !on->is_boolean()) {
               return SendError(
                   res, Error{ErrorCode::kInvalidArgument, "body needs \"on\": true|false", "on"});
             }
             auto set = responder->SetKillSwitch(on->get<bool>(), who->Actor(),
                                                 StringField(*body, "comment"));
             if (!set) return SendError(res, set.error());
             SendJson(res, 200, {{"kill_switch", responder->kill_switch()}});
           });

  http.Get("/api/v1/playbooks",
           [&, responder](const httplib::Request& req, httplib::Response& res) {
             if (!auth.Authorize(req, res, Role::kViewer)) return;
             json list = json::array();
             json errors = json::array();
             if (responder != nullptr) {
               auto set = responder->playbooks();
               for (const auto& p : set->playbooks) list.push_back(PlaybookToJson(p));
               for (const auto& e : set->errors) errors.push_back(e.ToString());
             }
             SendJson(res, 200, {{"playbooks", std::move(list)}, {"errors", std::move(errors)}});
           });

  http.Get("/api/v1/audit", [&](const httplib::Request& req, httplib::Response& res) {
    if (!auth.Authorize(req, res, Role::kViewer)) return;
    auto before = PositiveParam(req, "before_id", INT64_MAX, 0);
    if (!before) return SendError(res, before.error());
    auto limit = PositiveParam(req, "limit", 1000, 100);
    if (!limit) return SendError(res, limit.error());
    auto rows = store.ListAudit(*before, static_cast<int>(*limit));
    if (!rows) return SendError(res, rows.error());
    json list = json::array();
    for (const auto& e : *rows) list.push_back(AuditToJson(e));
    json next = rows->size() == static_cast<size_t>(*limit) && !rows->empty()
                    ? json(rows->back().id)
                    : json(nullptr);
    SendJson(res, 200, {{"entries", std::move(list)}, {"next_before_id", next}});
  });

  http.Get("/api/v1/audit/verify", [&](const httplib::Request& req, httplib::Response& res) {
    if (!auth.Authorize(req, res, Role::kViewer)) return;
    auto v = store.VerifyAudit();
    if (!v) return SendError(res, v.error());
    SendJson(res, 200,
             {{"entries", v->entries},
              {"first_bad_id", v->first_bad_id},
              {"reason", v->reason},
              {"head_hash", v->head_hash},
              {"intact", v->first_bad_id == 0}});
  });
}

}  // namespace mamori::server
