#include "server/auth/auth_routes.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "server/json_reply.h"

namespace mamori::server::auth {
namespace {

using nlohmann::json;

void SendStoreError(httplib::Response& res, const Error& error) {
  int status = 500;
  std::string code = "internal";
  if (error.code == ErrorCode::kNotFound) status = 404, code = "not_found";
  if (error.code == ErrorCode::kAlreadyExists) status = 409, code = "already_exists";
  if (error.code == ErrorCode::kInvalidArgument) status = 400, code = "invalid_argument";
  if (error.code == ErrorCode::kBusy) status = 503, code = "busy";
  SendAuthError(res, status, code, error.ToString());
}

// The body as a JSON object, or nullopt after answering 400.
std::optional<json> ParseBody(const httplib::Request& req, httplib::Response& res) {
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    SendAuthError(res, 400, "invalid_argument", "the request body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

// body[key] as a string; "" when absent; nullopt after answering 400 when of another type.
std::optional<std::string> StringField(const json& body, const char* key, httplib::Response& res) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    SendAuthError(res, 400, "invalid_argument", fmt::format("'{}' must be a string", key));
    return std::nullopt;
  }
  return it->get<std::string>();
}

json SessionJson(const Principal& p) {
  json out = {{"user", p.name},
              {"role", RoleName(p.role)},
              {"kind", p.kind == Principal::Kind::kSession ? "session"
                       : p.kind == Principal::Kind::kToken ? "token"
                                                           : "anonymous"}};
  if (p.kind == Principal::Kind::kSession) {
    out["csrf_token"] = p.csrf_token;
    out["expires_at"] = FormatIso8601(p.expires_at);
  }
  return out;
}

json UserJson(const store::UserRecord& u) {
  return {{"name", u.name},
          {"role", u.role},
          {"created_at", FormatIso8601(u.created_at)},
          {"disabled", u.disabled}};
}

json TokenJson(const store::ApiTokenRecord& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"role", t.role},
          {"created_by", t.created_by},
          {"created_at", FormatIso8601(t.created_at)},
          {"last_used_at", t.last_used_at ? json(FormatIso8601(t.last_used_at)) : json(nullptr)},
          {"revoked_at", t.revoked_at ? json(FormatIso8601(t.revoked_at)) : json(nullptr)}};
}

bool ValidUserName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-' &&
        c != '@') {
      return false;
    }
  }
  return true;
}

// True when `users` with `changed` applied (nullopt: removed) still has an enabled admin.
bool KeepsAnAdmin(const std::vector<store::UserRecord>& users, std::string_view name,
                  const std::optional<store::UserRecord>& changed) {
  for (const auto& u : users) {
    const store::UserRecord* v = &u;
    if (u.name == name) {
      if (!changed) continue;
      v = &*changed;
    }
    if (v->role == "admin" && !v->disabled) return true;
  }
  return false;
}

}  // namespace

void Audit(store::Store& store, Clock& clock, std::string actor, std::string action,
           std::string target, std::string details_json) {
  store::AuditEntry e;
  e.at = clock.Now();
  e.actor = std::move(actor);
  e.action = std::move(action);
  e.target = std::move(target);
  e.details_json = std::move(details_json);
  auto appended = store.AppendAudit(e);
  if (!appended) {
    spdlog::error("audit log: cannot record {} {}: {}", e.action, e.target,
                  appended.error().ToString());
  }
}

void RegisterAuthRoutes(httplib::Server& http, Authenticator& auth, store::Store& store,
                        Clock& clock) {
  http.Post("/api/v1/session", [&](const httplib::Request& req, httplib::Response& res) {
    auto body = ParseBody(req, res);
    if (!body) return;
    auto user = StringField(*body, "username", res);
    if (!user) return;
    auto password = StringField(*body, "password", res);
    if (!password) return;
    if (user->size() > 128 || password->size() > 1024) {
      return SendAuthError(res, 401, "unauthenticated", "invalid user name or password");
    }
    // A session id the client already holds is never reused (session fixation): drop it.
    (void)auth.LogOut(req);
    auto login = auth.LogIn(*user, *password, req.remote_addr);
    json details = {{"address", req.remote_addr}};
    if (!login) {
      if (login.error().code == ErrorCode::kBusy) {
        Audit(store, clock, "operator:" + *user, "login_locked", *user, details.dump());
        res.set_header("Retry-After", login.error().context);
        return SendAuthError(res, 429, "locked", login.error().message);
      }
      if (login.error().code == ErrorCode::kRejected) {
        Audit(store, clock, "operator:" + *user, "login_failed", *user, details.dump());
        return SendAuthError(res, 401, "unauthenticated", login.error().message);
      }
      return SendStoreError(res, login.error());
    }
    Audit(store, clock, login->principal.Actor(), "login", *user, details.dump());
    res.set_header("Set-Cookie", auth.SessionCookie(*login));
    res.set_header("Cache-Control", "no-store");
    SendJson(res, 200, SessionJson(login->principal));
  });

  http.Get("/api/v1/session", [&](const httplib::Request& req, httplib::Response& res) {
    auto p = auth.Authorize(req, res, Role::kViewer);
    if (!p) return;
    res.set_header("Cache-Control", "no-store");
    SendJson(res, 200, SessionJson(*p));
  });

  http.Delete("/api/v1/session", [&](const httplib::Request& req, httplib::Response& res) {
    auto p = auth.Authorize(req, res, Role::kViewer);
    if (!p) return;
    auto out = auth.LogOut(req);
    if (!out) return SendStoreError(res, out.error());
    if (p->kind == Principal::Kind::kSession) Audit(store, clock, p->Actor(), "logout", p->name);
    res.set_header("Set-Cookie", auth.ClearedSessionCookie());
    res.status = 204;
  });

  http.Get("/api/v1/users", [&](const httplib::Request& req, httplib::Response& res) {
    if (!auth.Authorize(req, res, Role::kAdmin)) return;
    auto users = store.ListUsers();
    if (!users) return SendStoreError(res, users.error());
    json out = json::array();
    for (const auto& u : *users) out.push_back(UserJson(u));
    SendJson(res, 200, {{"users", out}});
  });

  http.Post("/api/v1/users", [&](const httplib::Request& req, httplib::Response& res) {
    auto p = auth.Authorize(req, res, Role::kAdmin);
    if (!p) return;
    auto body = ParseBody(req, res);
    if (!body) return;
    auto name = StringField(*body, "name", res);
    if (!name) return;
    auto role = StringField(*body, "role", res);
    if (!role) return;
    auto password = StringField(*body, "password", res);
    if (!password) return;
    if (!ValidUserName(*name)) {
      return SendAuthError(res, 400, "invalid_argument",
                           "'name' must be 1..64 letters, digits or . _ - @");
    }
    if (!ParseRole(*role)) {
      return SendAuthError(res, 400, "invalid_argument",
                           "'role' must be viewer, operator or admin");
    }
    if (auto ok = CheckPasswordPolicy(*password); !ok) {
      return SendAuthError(res, 400, "invalid_argument", ok.error().message);
    }
    auto hash = HashPassword(*password);
    if (!hash) return SendStoreError(res, hash.error());
    store::UserRecord user{
        .name = *name, .role = *role, .password_hash = *hash, .created_at = clock.Now()};
    auto added = store.AddUser(user);
    if (!added) return SendStoreError(res, added.error());
    Audit(store, clock, p->Actor(), "user_add", *name, json{{"role", *role}}.dump());
    SendJson(res, 201, UserJson(*added));
  });

  http.Put(R"(/api/v1/users/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
    auto p = auth.Authorize(req, res, Role::kAdmin);
    if (!p) return;
    std::string name = req.matches[1].str();
    auto body = ParseBody(req, res);
    if (!body) return;
    auto users = store.ListUsers();
    if (!users) return SendStoreError(res, users.error());
    auto it =
        std::find_if(users->begin(), users->end(), [&](const auto& u) { return u.name == name; });
    if (it == users->end()) return SendAuthError(res, 404, "not_found", "no such user");
    store::UserRecord user = *it;
    json changed = json::object();
    if (body->contains("role")) {
      auto role = StringField(*body, "role", res);
      if (!role) return;
      if (!ParseRole(*role)) {
        return SendAuthError(res, 400, "invalid_argument",
                             "'role' must be viewer, operator or admin");
      }
      user.role = *role;
      changed["role"] = *role;
    }
    if (body->contains("disabled")) {
      if (!(*body)["disabled"].is_boolean()) {
        return SendAuthError(res, 400, "invalid_argument", "'disabled' must be true or false");
      }
      user.disabled = (*body)["disabled"].get<bool>();
      changed["disabled"] = user.disabled;
    }
    if (body->contains("password")) {
      auto password = StringField(*body, "password", res);
      if (!password) return;
      if (auto ok = CheckPasswordPolicy(*password); !ok) {
        return SendAuthError(res, 400, "invalid_argument", ok.error().message);
      }
      auto hash = HashPassword(*password);
      if (!hash) return SendStoreError(res, hash.error());
      user.password_hash = *hash;
      changed["password"] = "changed";
    }
    if (!KeepsAnAdmin(*users, name, user)) {
      return SendAuthError(res, 409, "last_admin",
                           "this would leave no enabled admin; add another admin first");
    }
    if (auto ok = store.UpdateUser(user); !ok) return SendStoreError(res, ok.error());
    (void)store.RemoveUserSessions(name);
    Audit(store, clock, p->Actor(), "user_update", name, changed.dump());
    SendJson(res, 200, UserJson(user));
  });

  http.Delete(R"(/api/v1/users/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
    auto p = auth.Authorize(req, res, Role::kAdmin);
    if (!p) return;
    std::string name = req.matches[1].str();
    auto users = store.ListUsers();
    if (!users) return SendStoreError(res, users.error());
    if (!KeepsAnAdmin(*users, name, std::nullopt)) {
      return SendAuthError(res, 409, "last_admin",
                           "this would leave no enabled admin; add another admin first");
    }
    if (auto ok = store.RemoveUser(name); !ok) return SendStoreError(res, ok.error());
    Audit(store, clock, p->Actor(), "user_remove", name);
    res.status = 204;
  });

  http.Get("/api/v1/tokens", [&](const httplib::Request& req, httplib::Response& res) {
    if (!auth.Authorize(req, res, Role::kAdmin)) return;
    auto tokens = store.ListApiTokens();
    if (!tokens) return SendStoreError(res, tokens.error());
    json out = json::array();
    for (const auto& t : *tokens) out.push_back(TokenJson(t));
    SendJson(res, 200, {{"tokens", out}});
  });

  http.Post("/api/v1/tokens", [&](const httplib::Request& req, httplib::Response& res) {
    auto p = auth.Authorize(req, res, Role::kAdmin);
    if (!p) return;
    auto body = ParseBody(req, res);
    if (!body) return;
    auto name = StringField(*body, "name", res);
    if (!name) return;
    auto role_name = StringField(*body, "role", res);
    if (!role_name) return;
    if (name->empty() || name->size() > 128) {
      return SendAuthError(res, 400, "invalid_argument", "'name' must be 1..128 characters");
    }
    auto role = ParseRole(*role_name);
    if (!role) {
      return SendAuthError(res, 400, "invalid_argument",
                           "'role' must be viewer, operator or admin");
    }
    if (static_cast<int>(*role) > static_cast<int>(p->role)) {
      return SendAuthError(res, 403, "forbidden", "a token's role may not exceed your own");
    }
    auto token = NewApiToken();
    if (!token) return SendStoreError(res, token.error());
    store::ApiTokenRecord record{.name = *name,
                                 .token_hash = SecretHash(*token),
                                 .role = *role_name,
                                 .created_by = p->Actor(),
                                 .created_at = clock.Now()};
    auto added = store.AddApiToken(record);
    if (!added) return SendStoreError(res, added.error());
    Audit(store, clock, p->Actor(), "token_create", fmt::format("token:{}", added->id),
          json{{"name", *name}, {"role", *role_name}}.dump());
    json out = TokenJson(*added);
    out["token"] = *token;
    res.set_header("Cache-Control", "no-store");
    SendJson(res, 201, out);
  });

  http.Delete(R"(/api/v1/tokens/(\d{1,18}))",
              [&](const httplib::Request& req, httplib::Response& res) {
                auto p = auth.Authorize(req, res, Role::kAdmin);
                if (!p) return;
                int64_t id = std::stoll(req.matches[1].str());
                if (auto ok = store.RevokeApiToken(id, clock.Now()); !ok) {
                  return SendStoreError(res, ok.error());
                }
                Audit(store, clock, p->Actor(), "token_revoke", fmt::format("token:{}", id));
                res.status = 204;
              });
}

}  // namespace mamori::server::auth
