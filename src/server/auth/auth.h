// Authentication and authorization of the HTTP API (docs/api.md, "Authentication").
//
// Who may call what: accounts have one role, viewer < operator < admin; a request is made by a
// Principal, authenticated either by the `mamori_session` cookie of a login (web console) or by
// an API token in `Authorization: Bearer mamori_...` (scripts, Prometheus). Route handlers call
// Authenticator::Authorize(req, res, min_role): it answers 401/403 itself and returns nullopt,
// or returns the principal (whose Actor() goes into the audit log).
//
// Secrets: passwords are stored as Argon2id PHC strings; session ids, CSRF tokens and API
// tokens are 256-bit values from OpenSSL's RAND_bytes, and the store keeps only the SHA-256 of
// session ids and API tokens. A cookie-authenticated request that changes state (POST, PUT,
// PATCH, DELETE) must repeat the session's CSRF token in `X-CSRF-Token`; bearer requests need
// not (a browser never adds that header on its own). Every login makes a new session id.
// Failed logins answer one uniform error, take the time of a real password check whether or not
// the user exists, and lock the user name and the client address out for a while after repeated
// failures (in memory: a restart forgets it).
//
// Ownership and threads: Authenticator borrows the Store and Clock (they must outlive it) and is
// safe to call from httplib's worker threads (the lockout table has its own mutex).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace mamori::server::auth {

enum class Role { kViewer = 1, kOperator = 2, kAdmin = 3 };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// Argon2id (m = 19 MiB, t = 2, p = 1: the OWASP minimum) with a random 16-byte salt.
Expected<std::string> HashPassword(std::string_view password);
// False for a wrong password and for a malformed or non-Argon2id hash.
bool VerifyPassword(std::string_view phc_hash, std::string_view password);
// 8..1024 bytes; the error says what is wrong.
Status CheckPasswordPolicy(std::string_view password);

// `bytes` random bytes from RAND_bytes, base64url without padding.
Expected<std::string> RandomToken(size_t bytes = 32);
// "mamori_" + RandomToken(32): the prefix lets secret scanners recognize a leaked token.
Expected<std::string> NewApiToken();
// What the store keeps of a session id or API token: lower-case hex SHA-256.
std::string SecretHash(std::string_view secret);

struct Principal {
  enum class Kind { kSession, kToken, kAnonymous };
  Kind kind = Kind::kAnonymous;
  std::string name;  // user name, token name, or "anonymous"
  Role role = Role::kViewer;
  int64_t token_id = 0;        // kToken
  std::string csrf_token;      // kSession
  UnixSeconds expires_at = 0;  // kSession
  // For the audit log: "operator:alice", "token:ci" (id), "anonymous".
  std::string Actor() const;
};

struct AuthOptions {
  // false: GET/HEAD requests without credentials act as an anonymous viewer; anything that needs
  // more, or changes state, still needs credentials.
  bool require_auth = true;
  int session_hours = 12;
  bool secure_cookie = false;     // TLS is on: the cookie gets Secure
  int max_user_failures = 5;      // within failure_window_seconds, then the name is locked
  int max_address_failures = 20;  // same for one client address
  int64_t failure_window_seconds = 900;
  int64_t lockout_seconds = 300;
};

inline constexpr std::string_view kSessionCookie = "mamori_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

class Authenticator {
 public:
  Authenticator(store::Store& store, Clock& clock, AuthOptions options);

  // The principal behind the request's credentials (bearer token first, then the session
  // cookie), or nullopt when there are none or they are invalid, expired, revoked or disabled.
  // Does not check CSRF or roles.
  std::optional<Principal> Authenticate(const httplib::Request& req);

  // Authenticate + role check + CSRF check for state-changing cookie requests. On failure writes
  // 401 (no or bad credentials), 403 (role too low, CSRF token missing or wrong) or 503 (store
  // error) as a JSON error to `res` and returns nullopt.
  std::optional<Principal> Authorize(const httplib::Request& req, httplib::Response& res,
                                     Role min_role);

  // For httplib's pre-routing handler: true when the request may go on to its route; false
  // when `res` holds the 401/403. Guards /api/v1/* (except GET /api/v1/health and
  // POST /api/v1/session) and /metrics with at least viewer, so a route added later is never
  // open by mistake; routes that need more call Authorize themselves.
  bool Gate(const httplib::Request& req, httplib::Response& res);

  struct Login {
    Principal principal;
    std::string session_id;  // the cookie value; only its hash is stored
  };
  // Checks the password and opens a new session. Errors: kRejected "invalid user name or
  // password" (one message for every cause), kBusy when locked out (context: seconds to wait).
  Expected<Login> LogIn(std::string_view user, std::string_view password, std::string_view address);
  // Deletes the session of the request's cookie, if any.
  Status LogOut(const httplib::Request& req);

  // Set-Cookie values that set and clear the session cookie.
  std::string SessionCookie(const Login& login) const;
  std::string ClearedSessionCookie() const;

  const AuthOptions& options() const { return options_; }

 private:
  std::optional<Principal> FromToken(std::string_view token);
  std::optional<Principal> FromSession(std::string_view session_id);
  // Seconds the name or address is still locked out; 0 when it is not.
  int64_t LockedFor(std::string_view user, std::string_view address, UnixSeconds now);
  void RecordFailure(std::string_view user, std::string_view address, UnixSeconds now);
  void ClearFailures(std::string_view user);

  store::Store& store_;
  Clock& clock_;
  AuthOptions options_;
  // The hash a login for an unknown user is checked against, so it costs as much as a real one.
  std::string dummy_hash_;

  struct Failures {
    int count = 0;
    UnixSeconds first_at = 0;
    UnixSeconds locked_until = 0;
  };
  std::mutex mutex_;
  std::map<std::string, Failures, std::less<>> failures_;  // "u:NAME" and "a:ADDRESS"
};

// The cookie value of `name` in a Cookie header, or "".
std::string CookieValue(std::string_view cookie_header, std::string_view name);
// Writes {"error": {"code", "message", "context"}} with `status`.
void SendAuthError(httplib::Response& res, int status, std::string_view code,
                   std::string_view message);

}  // namespace mamori::server::auth
