// Routes of logins, users and API tokens (docs/api.md, "Authentication"; docs/api.yaml).
//
//   POST   /api/v1/session          {"username","password"} -> 200 {"user","role","csrf_token",
//                                   "expires_at"} + Set-Cookie mamori_session; 401 for any bad
//                                   login, 429 (Retry-After) while locked out
//   GET    /api/v1/session          the caller: same body (csrf_token only for a session)
//   DELETE /api/v1/session          logs out: 204 and a cleared cookie
//   GET    /api/v1/users            admin: every user (no password hashes)
//   POST   /api/v1/users            admin: {"name","role","password"} -> 201
//   PUT    /api/v1/users/<name>     admin: any of {"role","password","disabled"}; logs the user
//                                   out everywhere
//   DELETE /api/v1/users/<name>     admin
//   GET    /api/v1/tokens           admin: every token (never the secret)
//   POST   /api/v1/tokens           admin: {"name","role"} -> 201 with "token", shown only here;
//                                   the role may not exceed the creator's
//   DELETE /api/v1/tokens/<id>      admin: revokes
// Changes and logins (failed ones too) are written to the audit log. The last enabled admin
// cannot be removed, disabled or demoted (409), so the server cannot be locked out of itself.
#pragma once

#include "core/clock.h"
#include "server/auth/auth.h"
#include "store/store.h"

namespace httplib {
class Server;
}

namespace mamori::server::auth {

// Everything passed must outlive the server.
void RegisterAuthRoutes(httplib::Server& http, Authenticator& auth, store::Store& store,
                        Clock& clock);

// Audit helper shared with the CLI: appends {actor, action, target, details} at clock.Now().
// Failures are logged, never fatal (the change itself already happened).
void Audit(store::Store& store, Clock& clock, std::string actor, std::string action,
           std::string target, std::string details_json = "{}");

}  // namespace mamori::server::auth
