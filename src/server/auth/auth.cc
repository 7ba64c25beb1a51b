#include "server/auth/auth.h"

#include <argon2.h>
#include <fmt/format.h>
#include <httplib.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/sha256.h"

namespace mamori::server::auth {
namespace {

// OWASP's minimum for Argon2id; about 30 ms per check on one core.
constexpr uint32_t kArgonTime = 2;
constexpr uint32_t kArgonMemoryKib = 19 * 1024;
constexpr uint32_t kArgonLanes = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
// A session's last_seen_at is written at most this often, so reads do not all become writes.
constexpr UnixSeconds kTouchInterval = 60;
constexpr std::string_view kBadLogin = "invalid user name or password";

std::string Base64Url(const unsigned char* data, size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
  }
  if (size - i == 1) {
    uint32_t v = uint32_t{data[i]} << 16;
    for (int shift : {18, 12}) out += kAlphabet[(v >> shift) & 63];
  } else if (size - i == 2) {
    uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
    for (int shift : {18, 12, 6}) out += kAlphabet[(v >> shift) & 63];
  }
  return out;
}

bool ChangesState(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool EqualConstantTime(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string_view BearerToken(const httplib::Request& req) {
  auto it = req.headers.find("Authorization");
  if (it == req.headers.end()) return {};
  std::string_view value = it->second;
  constexpr std::string_view kPrefix = "Bearer ";
  if (value.size() <= kPrefix.size()) return {};
  for (size_t i = 0; i < kPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) !=
        std::tolower(static_cast<unsigned char>(kPrefix[i]))) {
      return {};
    }
  }
  value.remove_prefix(kPrefix.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kOperator:
      return "operator";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "viewer") return Role::kViewer;
  if (name == "operator") return Role::kOperator;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

Status CheckPasswordPolicy(std::string_view password) {
  if (password.size() < 8) {
    return MakeError(ErrorCode::kInvalidArgument, "the password must have at least 8 characters");
  }
  if (password.size() > 1024) {
    return MakeError(ErrorCode::kInvalidArgument, "the password must have at most 1024 bytes");
  }
  return Ok();
}

Expected<std::string> RandomToken(size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
    return MakeError(ErrorCode::kInternal, "OpenSSL RAND_bytes failed: no secure randomness");
  }
  return Base64Url(buffer.data(), buffer.size());
}

Expected<std::string> NewApiToken() {
  MAMORI_ASSIGN_OR_RETURN(auto random, RandomToken(32));
  return "mamori_" + random;
}

std::string SecretHash(std::string_view secret) { return Sha256Hex(secret); }

Expected<std::string> HashPassword(std::string_view password) {
  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) {
    return MakeError(ErrorCode::kInternal, "OpenSSL RAND_bytes failed: no secure randomness");
  }
  size_t encoded_size = argon2_encodedlen(kArgonTime, kArgonMemoryKib, kArgonLanes, kSaltBytes,
                                          kHashBytes, Argon2_id);
  std::string encoded(encoded_size, '\0');
  int rc = argon2id_hash_encoded(kArgonTime, kArgonMemoryKib, kArgonLanes, password.data(),
                                 password.size(), salt, sizeof salt, kHashBytes, encoded.data(),
                                 encoded.size());
  if (rc != ARGON2_OK) {
    return MakeError(ErrorCode::kInternal,
                     fmt::format("Argon2id hashing failed: {}", argon2_error_message(rc)));
  }
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool VerifyPassword(std::string_view phc_hash, std::string_view password) {
  if (!phc_hash.starts_with("$argon2id$")) return false;
  std::string encoded(phc_hash);  // argon2 wants a NUL-terminated string
  // argon2id_verify compares in constant time.
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::string Principal::Actor() const {
  switch (kind) {
    case Kind::kSession:
      return "operator:" + name;
    case Kind::kToken:
      return fmt::format("token:{}({})", name, token_id);
    case Kind::kAnonymous:
      break;
  }
  return "anonymous";
}

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return {};
}

void SendAuthError(httplib::Response& res, int status, std::string_view code,
                   std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}, {"context", ""}}}};
  res.status = status;
  res.set_content(body.dump(2) + "\n", "application/json");
}

Authenticator::Authenticator(store::Store& store, Clock& clock, AuthOptions options)
    : store_(store), clock_(clock), options_(options) {
  auto dummy = HashPassword("not a password of anyone");
  if (dummy) dummy_hash_ = std::move(*dummy);
}

std::optional<Principal> Authenticator::FromToken(std::string_view token) {
  auto found = store_.GetApiTokenByHash(SecretHash(token));
  if (!found || !*found || (*found)->revoked_at != 0) return std::nullopt;
  auto role = ParseRole((*found)->role);
  if (!role) return std::nullopt;
  UnixSeconds now = clock_.Now();
  if (now - (*found)->last_used_at >= kTouchInterval) {
    (void)store_.TouchApiToken((*found)->id, now);
  }
  Principal p;
  p.kind = Principal::Kind::kToken;
  p.name = (*found)->name;
  p.role = *role;
  p.token_id = (*found)->id;
  return p;
}

std::optional<Principal> Authenticator::FromSession(std::string_view session_id) {
  std::string id_hash = SecretHash(session_id);
  auto session = store_.GetSession(id_hash);
  if (!session || !*session) return std::nullopt;
  UnixSeconds now = clock_.Now();
  if ((*session)->expires_at <= now) {
    (void)store_.RemoveSession(id_hash);
    return std::nullopt;
  }
  // The role is the user's current one: demoting or disabling a user takes effect at once.
  auto user = store_.GetUser((*session)->user);
  if (!user || !*user || (*user)->disabled) return std::nullopt;
  auto role = ParseRole((*user)->role);
  if (!role) return std::nullopt;
  if (now - (*session)->last_seen_at >= kTouchInterval) (void)store_.TouchSession(id_hash, now);
  Principal p;
  p.kind = Principal::Kind::kSession;
  p.name = (*user)->name;
  p.role = *role;
  p.csrf_token = (*session)->csrf_token;
  p.expires_at = (*session)->expires_at;
  return p;
}

std::optional<Principal> Authenticator::Authenticate(const httplib::Request& req) {
  std::string_view bearer = BearerToken(req);
  if (!bearer.empty()) return FromToken(bearer);
  std::string session_id = CookieValue(req.get_header_value("Cookie"), kSessionCookie);
  if (!session_id.empty()) return FromSession(session_id);
  return std::nullopt;
}

std::optional<Principal> Authenticator::Authorize(const httplib::Request& req,
                                                  httplib::Response& res, Role min_role) {
  bool has_credentials = !BearerToken(req).empty() ||
                         !CookieValue(req.get_header_value("Cookie"), kSessionCookie).empty();
  std::optional<Principal> principal;
  if (has_credentials) {
    principal = Authenticate(req);
  } else if (!options_.require_auth && min_role == Role::kViewer && !ChangesState(req.method)) {
    principal = Principal{};  // anonymous viewer
  }
  if (!principal) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"mamori\"");
    SendAuthError(res, 401, "unauthenticated",
                  has_credentials
                      ? "the session expired or the token is invalid or revoked; log in again"
                      : "log in (POST /api/v1/session) or send an API token "
                        "(Authorization: Bearer mamori_...)");
    return std::nullopt;
  }
  if (principal->kind == Principal::Kind::kSession && ChangesState(req.method)) {
    std::string sent = req.get_header_value(std::string(kCsrfHeader).c_str());
    if (sent.empty() || !EqualConstantTime(sent, principal->csrf_token)) {
      SendAuthError(res, 403, "csrf",
                    "missing or wrong X-CSRF-Token header: send the csrf_token of the login");
      return std::nullopt;
    }
  }
  if (static_cast<int>(principal->role) < static_cast<int>(min_role)) {
    SendAuthError(res, 403, "forbidden",
                  fmt::format("this needs the {} role; you have {}", RoleName(min_role),
                              RoleName(principal->role)));
    return std::nullopt;
  }
  return principal;
}

bool Authenticator::Gate(const httplib::Request& req, httplib::Response& res) {
  std::string_view path = req.path;
  bool guarded = path == "/metrics" || path == "/api/v1" || path.starts_with("/api/v1/");
  if (!guarded) return true;
  if (path == "/api/v1/health" && (req.method == "GET" || req.method == "HEAD")) return true;
  if (path == "/api/v1/session" && req.method == "POST") return true;
  return Authorize(req, res, Role::kViewer).has_value();
}

int64_t Authenticator::LockedFor(std::string_view user, std::string_view address, UnixSeconds now) {
  std::lock_guard lock(mutex_);
  int64_t wait = 0;
  for (const std::string& key : {"u:" + std::string(user), "a:" + std::string(address)}) {
    auto it = failures_.find(key);
    if (it != failures_.end() && it->second.locked_until > now) {
      wait = std::max<int64_t>(wait, it->second.locked_until - now);
    }
  }
  return wait;
}

void Authenticator::RecordFailure(std::string_view user, std::string_view address,
                                  UnixSeconds now) {
  std::lock_guard lock(mutex_);
  // Bounded memory under a spray of names: forget entries whose window is over.
  if (failures_.size() > 10000) {
    std::erase_if(failures_, [&](const auto& kv) {
      return kv.second.locked_until <= now &&
             now - kv.second.first_at > options_.failure_window_seconds;
    });
  }
  auto bump = [&](std::string key, int max) {
    Failures& f = failures_[key];
    if (now - f.first_at > options_.failure_window_seconds) f = Failures{0, now, 0};
    if (++f.count >= max) {
      f.locked_until = now + options_.lockout_seconds;
      f.count = 0;
      f.first_at = now;
    }
  };
  bump("u:" + std::string(user), options_.max_user_failures);
  bump("a:" + std::string(address), options_.max_address_failures);
}

void Authenticator::ClearFailures(std::string_view user) {
  std::lock_guard lock(mutex_);
  failures_.erase("u:" + std::string(user));
}

Expected<Authenticator::Login> Authenticator::LogIn(std::string_view user,
                                                    std::string_view password,
                                                    std::string_view address) {
  UnixSeconds now = clock_.Now();
  if (int64_t wait = LockedFor(user, address, now); wait > 0) {
    return MakeError(ErrorCode::kBusy, "too many failed logins; try again later",
                     std::to_string(wait));
  }
  MAMORI_ASSIGN_OR_RETURN(auto found, store_.GetUser(user));
  // An unknown user costs one Argon2id check too, so timing does not tell which names exist.
  bool ok = VerifyPassword(found ? found->password_hash : dummy_hash_, password);
  std::optional<Role> role = found ? ParseRole(found->role) : std::nullopt;
  if (!ok || !found || found->disabled || !role) {
    RecordFailure(user, address, now);
    return MakeError(ErrorCode::kRejected, std::string(kBadLogin));
  }
  ClearFailures(user);
  MAMORI_ASSIGN_OR_RETURN(auto session_id, RandomToken(32));
  MAMORI_ASSIGN_OR_RETURN(auto csrf, RandomToken(32));
  store::SessionRecord session{.id_hash = SecretHash(session_id),
                               .user = found->name,
                               .csrf_token = csrf,
                               .created_at = now,
                               .expires_at = now + int64_t{options_.session_hours} * 3600,
                               .last_seen_at = now};
  MAMORI_RETURN_IF_ERROR(store_.AddSession(session));
  Login login;
  login.session_id = std::move(session_id);
  login.principal.kind = Principal::Kind::kSession;
  login.principal.name = found->name;
  login.principal.role = *role;
  login.principal.csrf_token = std::move(csrf);
  login.principal.expires_at = session.expires_at;
  return login;
}

Status Authenticator::LogOut(const httplib::Request& req) {
  std::string session_id = CookieValue(req.get_header_value("Cookie"), kSessionCookie);
  if (session_id.empty()) return Ok();
  return store_.RemoveSession(SecretHash(session_id));
}

std::string Authenticator::SessionCookie(const Login& login) const {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kSessionCookie,
                     login.session_id, int64_t{options_.session_hours} * 3600,
                     options_.secure_cookie ? "; Secure" : "");
}

std::string Authenticator::ClearedSessionCookie() const {
  return fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{}", kSessionCookie,
                     options_.secure_cookie ? "; Secure" : "");
}

}  // namespace mamori::server::auth
