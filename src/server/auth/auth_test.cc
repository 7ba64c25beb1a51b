// Accounts, sessions, tokens and CSRF against a real ApiServer on loopback, with a real SQLite
// store and a real HTTP client.
#include "server/auth/auth.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "server/api_server.h"

namespace mamori::server::auth {
namespace {

using nlohmann::json;

TEST(PasswordTest, HashIsArgon2idAndVerifies) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash) << hash.error().ToString();
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA", "x"));
  EXPECT_FALSE(VerifyPassword("garbage", "correct horse battery"));
  EXPECT_NE(*hash, *HashPassword("correct horse battery")) << "salted";
  EXPECT_FALSE(CheckPasswordPolicy("short"));
}

TEST(TokenTest, RandomTokensAreBase64UrlAndDistinct) {
  auto a = *NewApiToken();
  auto b = *NewApiToken();
  EXPECT_TRUE(a.starts_with("mamori_"));
  EXPECT_EQ(a.size(), 7u + 43u);  // 32 bytes in base64url without padding
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of(
                "mamori_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(SecretHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CookieTest, FindsTheNamedCookie) {
  EXPECT_EQ(CookieValue("a=1; mamori_session=xyz; b=2", "mamori_session"), "xyz");
  EXPECT_EQ(CookieValue("xmamori_session=no", "mamori_session"), "");
  EXPECT_EQ(CookieValue("", "mamori_session"), "");
}

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(true); }

  void Start(bool require_auth) {
    server_.reset();
    auto store = store::OpenSqliteStore(":memory:");
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
    using P = std::pair<const char*, const char*>;
    for (auto [name, role] : {P{"vera", "viewer"}, P{"otto", "operator"}, P{"ada", "admin"}}) {
      ASSERT_TRUE(store_->AddUser({.name = name,
                                   .role = role,
                                   .password_hash = *HashPassword(Password(name)),
                                   .created_at = clock_.Now()}));
    }
    ServerOptions options;
    options.port = 0;
    options.require_auth = require_auth;
    options.session_hours = 12;
    server_ = std::make_unique<ApiServer>(*store_, clock_, options);
    auto started = server_->Start();
    ASSERT_TRUE(started) << started.error().ToString();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  static std::string Password(std::string_view user) { return std::string(user) + "-secret-pw"; }

  struct Session {
    std::string cookie;  // "mamori_session=..."
    std::string csrf;
  };

  // Logs in and returns the cookie and CSRF token; `extra` headers are sent along.
  Session LogIn(const std::string& user, const std::string& password,
                const httplib::Headers& extra = {}) {
    json body = {{"username", user}, {"password", password}};
    auto res = client_->Post("/api/v1/session", extra, body.dump(), "application/json");
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, 200) << res->body;
    std::string set_cookie = res->get_header_value("Set-Cookie");
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("Path=/"), std::string::npos) << set_cookie;
    EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "no TLS: " << set_cookie;
    json out = json::parse(res->body);
    EXPECT_EQ(out["user"], user);
    return {set_cookie.substr(0, set_cookie.find(';')), out["csrf_token"].get<std::string>()};
  }
  Session LogIn(const std::string& user) { return LogIn(user, Password(user)); }

  std::string Token(const std::string& role) {
    std::string token = *NewApiToken();
    EXPECT_TRUE(store_->AddApiToken({.name = "t-" + role,
                                     .token_hash = SecretHash(token),
                                     .role = role,
                                     .created_by = "cli",
                                     .created_at = clock_.Now()}));
    return token;
  }

  int Code(const std::string& method, const std::string& path, const httplib::Headers& headers,
           const std::string& body = "{}") {
    httplib::Result res =
        method == "GET"    ? client_->Get(path.c_str(), headers)
        : method == "POST" ? client_->Post(path.c_str(), headers, body, "application/json")
        : method == "PUT"  ? client_->Put(path.c_str(), headers, body, "application/json")
                           : client_->Delete(path.c_str(), headers);
    EXPECT_TRUE(res) << method << " " << path;
    return res ? res->status : 0;
  }

  static httplib::Headers CookieHeaders(const Session& s, bool with_csrf = true) {
    httplib::Headers h = {{"Cookie", s.cookie}};
    if (with_csrf) h.emplace("X-CSRF-Token", s.csrf);
    return h;
  }
  static httplib::Headers Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  FakeClock clock_{1'700'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(AccessTest, NoCredentialsGet401ExceptHealthAndLogin) {
  EXPECT_EQ(Code("GET", "/api/v1/health", {}), 200);
  for (const char* path : {"/api/v1/sources", "/api/v1/indicators/1.2.3.4", "/api/v1/detections",
                           "/api/v1/blocklists", "/api/v1/collector", "/api/v1/users",
                           "/api/v1/session", "/metrics", "/api/v1/no-such-route"}) {
    EXPECT_EQ(Code("GET", path, {}), 401) << path;
  }
  EXPECT_EQ(Code("POST", "/api/v1/tokens", {}, R"({"name":"x","role":"viewer"})"), 401);
  auto res = client_->Get("/api/v1/sources");
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "unauthenticated");
}

TEST_F(AccessTest, EachRoleAgainstViewerAndAdminEndpoints) {
  struct Case {
    std::string user;
    int sources, users;
  };
  for (const auto& c : {Case{"vera", 200, 403}, Case{"otto", 200, 403}, Case{"ada", 200, 200}}) {
    Session s = LogIn(c.user);
    EXPECT_EQ(Code("GET", "/api/v1/sources", CookieHeaders(s, false)), c.sources) << c.user;
    EXPECT_EQ(Code("GET", "/metrics", CookieHeaders(s, false)), 200) << c.user;
    EXPECT_EQ(Code("GET", "/api/v1/users", CookieHeaders(s, false)), c.users) << c.user;
    EXPECT_EQ(Code("POST", "/api/v1/tokens", CookieHeaders(s), R"({"name":"x","role":"viewer"})"),
              c.users == 200 ? 201 : 403)
        << c.user;
  }
  using P = std::pair<std::string, int>;
  for (const auto& [role, users] : {P{"viewer", 403}, P{"operator", 403}, P{"admin", 200}}) {
    std::string token = Token(role);
    EXPECT_EQ(Code("GET", "/api/v1/detections", Bearer(token)), 200) << role;
    EXPECT_EQ(Code("GET", "/api/v1/users", Bearer(token)), users) << role;
  }
}

TEST_F(AccessTest, SessionReportsThePrincipalAndExpires) {
  Session s = LogIn("otto");
  auto res = client_->Get("/api/v1/session", CookieHeaders(s, false));
  ASSERT_EQ(res->status, 200);
  json me = json::parse(res->body);
  EXPECT_EQ(me["user"], "otto");
  EXPECT_EQ(me["role"], "operator");
  EXPECT_EQ(me["csrf_token"], s.csrf);
  EXPECT_EQ(me["expires_at"], FormatIso8601(clock_.Now() + 12 * 3600));

  clock_.Advance(std::chrono::hours(12));
  EXPECT_EQ(Code("GET", "/api/v1/session", CookieHeaders(s, false)), 401);
  EXPECT_EQ(Code("GET", "/api/v1/sources", CookieHeaders(s, false)), 401);
}

TEST_F(AccessTest, BadLoginsAreUniformAndLockOut) {
  using P = std::pair<const char*, const char*>;
  for (auto [user, password] : {P{"ada", "wrong-password"}, P{"nobody", "whatever-pw"}}) {
    json body = {{"username", user}, {"password", password}};
    auto res = client_->Post("/api/v1/session", body.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(json::parse(res->body)["error"]["message"], "invalid user name or password");
    EXPECT_TRUE(res->get_header_value("Set-Cookie").empty());
  }
  // Five failures for one name lock it, even with the right password, until the lockout ends.
  for (int i = 0; i < 4; ++i) {
    client_->Post("/api/v1/session", R"({"username":"ada","password":"nope-nope"})",
                  "application/json");
  }
  json good = {{"username", "ada"}, {"password", Password("ada")}};
  auto locked = client_->Post("/api/v1/session", good.dump(), "application/json");
  EXPECT_EQ(locked->status, 429);
  EXPECT_FALSE(locked->get_header_value("Retry-After").empty());
  clock_.Advance(std::chrono::seconds(301));
  EXPECT_EQ(client_->Post("/api/v1/session", good.dump(), "application/json")->status, 200);
  // Failed logins are in the audit log.
  auto audit = *store_->ListAudit(0, 100);
  int failed = 0;
  for (const auto& e : audit) failed += e.action == "login_failed";
  EXPECT_EQ(failed, 6);
}

TEST_F(AccessTest, CookieRequestsThatChangeStateNeedTheCsrfToken) {
  Session s = LogIn("ada");
  std::string body = R"({"name":"ci","role":"viewer"})";
  EXPECT_EQ(Code("POST", "/api/v1/tokens", CookieHeaders(s, false), body), 403);
  httplib::Headers forged = {{"Cookie", s.cookie}, {"X-CSRF-Token", "forged"}};
  EXPECT_EQ(Code("POST", "/api/v1/tokens", forged, body), 403);
  Session other = LogIn("ada");
  httplib::Headers crossed = {{"Cookie", s.cookie}, {"X-CSRF-Token", other.csrf}};
  EXPECT_EQ(Code("POST", "/api/v1/tokens", crossed, body), 403) << "another session's token";
  EXPECT_EQ(Code("POST", "/api/v1/tokens", CookieHeaders(s), body), 201);
  // Even a route nobody registered answers 403 rather than reaching a handler without CSRF.
  EXPECT_EQ(Code("POST", "/api/v1/not-yet", CookieHeaders(s, false)), 403);
  EXPECT_TRUE(store_->ListApiTokens()->size() == 1);
}

TEST_F(AccessTest, BearerTokensNeedNoCsrfAndStopWorkingWhenRevoked) {
  std::string token = Token("admin");
  auto res = client_->Post("/api/v1/tokens", Bearer(token), R"({"name":"ci","role":"operator"})",
                           "application/json");
  ASSERT_EQ(res->status, 201) << res->body;
  json created = json::parse(res->body);
  std::string second = created["token"];
  EXPECT_TRUE(second.starts_with("mamori_"));
  EXPECT_EQ(Code("GET", "/api/v1/detections", Bearer(second)), 200);

  EXPECT_EQ(Code("DELETE", "/api/v1/tokens/" + std::to_string(created["id"].get<int64_t>()),
                 Bearer(token)),
            204);
  EXPECT_EQ(Code("GET", "/api/v1/detections", Bearer(second)), 401);
  EXPECT_EQ(Code("GET", "/api/v1/detections", Bearer("mamori_made-up")), 401);
  // The listing never shows secrets.
  auto list = client_->Get("/api/v1/tokens", Bearer(token));
  EXPECT_EQ(list->body.find(second), std::string::npos);
  EXPECT_EQ(list->body.find("token_hash"), std::string::npos);
}

TEST_F(AccessTest, DemotionTakesEffectOnOpenSessions) {
  // An admin demoted to operator keeps its session but loses admin routes at once.
  Session s = LogIn("ada");
  ASSERT_TRUE(store_->AddUser({.name = "root2",
                               .role = "admin",
                               .password_hash = *HashPassword("root2-secret"),
                               .created_at = 1}));
  auto demoted = *store_->GetUser("ada");
  demoted->role = "operator";
  ASSERT_TRUE(store_->UpdateUser(*demoted));
  EXPECT_EQ(Code("POST", "/api/v1/tokens", CookieHeaders(s), R"({"name":"x","role":"viewer"})"),
            403);
  Session root = LogIn("root2", "root2-secret");
  EXPECT_EQ(Code("POST", "/api/v1/tokens", CookieHeaders(root), R"({"name":"x","role":"admin"})"),
            201);
}

TEST_F(AccessTest, LoginAlwaysIssuesANewSessionAndLogoutEndsIt) {
  Session first = LogIn("vera");
  // A client that arrives with a session id (planted or old) gets a different one.
  Session second = LogIn("vera", Password("vera"), {{"Cookie", first.cookie}});
  EXPECT_NE(first.cookie, second.cookie);
  EXPECT_NE(first.csrf, second.csrf);
  EXPECT_EQ(Code("GET", "/api/v1/sources", CookieHeaders(first, false)), 401)
      << "the id presented at login is dropped";
  Session planted{"mamori_session=attacker-chosen-id", ""};
  Session third = LogIn("vera", Password("vera"), {{"Cookie", planted.cookie}});
  EXPECT_EQ(third.cookie.find("attacker-chosen-id"), std::string::npos);

  EXPECT_EQ(Code("DELETE", "/api/v1/session", CookieHeaders(second, false)), 403) << "CSRF";
  auto out = client_->Delete("/api/v1/session", CookieHeaders(second));
  ASSERT_EQ(out->status, 204);
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Code("GET", "/api/v1/sources", CookieHeaders(second, false)), 401);
  EXPECT_EQ(Code("GET", "/api/v1/sources", CookieHeaders(third, false)), 200);
}

TEST_F(AccessTest, AdminsManageUsersButNeverRemoveTheLastAdmin) {
  Session s = LogIn("ada");
  EXPECT_EQ(Code("POST", "/api/v1/users", CookieHeaders(s),
                 R"({"name":"nia","role":"operator","password":"nia-secret-pw"})"),
            201);
  EXPECT_EQ(Code("POST", "/api/v1/users", CookieHeaders(s),
                 R"({"name":"nia","role":"operator","password":"nia-secret-pw"})"),
            409);
  EXPECT_EQ(Code("POST", "/api/v1/users", CookieHeaders(s),
                 R"({"name":"bad","role":"operator","password":"short"})"),
            400);
  Session nia = LogIn("nia", "nia-secret-pw");
  EXPECT_EQ(Code("PUT", "/api/v1/users/nia", CookieHeaders(s), R"({"disabled":true})"), 200);
  EXPECT_EQ(Code("GET", "/api/v1/sources", CookieHeaders(nia, false)), 401);
  json login = {{"username", "nia"}, {"password", "nia-secret-pw"}};
  EXPECT_EQ(client_->Post("/api/v1/session", login.dump(), "application/json")->status, 401);

  EXPECT_EQ(Code("PUT", "/api/v1/users/ada", CookieHeaders(s), R"({"role":"viewer"})"), 409);
  EXPECT_EQ(Code("DELETE", "/api/v1/users/ada", CookieHeaders(s)), 409);
  EXPECT_EQ(Code("DELETE", "/api/v1/users/nia", CookieHeaders(s)), 204);
  EXPECT_EQ(Code("DELETE", "/api/v1/users/nia", CookieHeaders(s)), 404);
  auto list = client_->Get("/api/v1/users", CookieHeaders(s, false));
  EXPECT_EQ(list->body.find("argon2"), std::string::npos);
}

TEST_F(AccessTest, WithoutRequireAuthReadsAreOpenButChangesAreNot) {
  Start(false);
  EXPECT_EQ(Code("GET", "/api/v1/sources", {}), 200);
  EXPECT_EQ(Code("GET", "/metrics", {}), 200);
  EXPECT_EQ(Code("GET", "/api/v1/users", {}), 401);
  EXPECT_EQ(Code("POST", "/api/v1/tokens", {}, R"({"name":"x","role":"viewer"})"), 401);
}

TEST_F(AccessTest, MetricsCountRequestsByRouteTemplate) {
  std::string token = Token("viewer");
  Code("GET", "/api/v1/sources/abc", Bearer(token));
  Code("GET", "/api/v1/sources/def", Bearer(token));
  Code("GET", "/api/v1/sources", {});
  // A request is counted by httplib's logger, which runs after its response was sent: the
  // client may ask for /metrics first, so wait (bounded) until the three are in.
  auto res = client_->Get("/metrics", Bearer(token));
  for (int i = 0; i < 100 && res; ++i) {
    if (res->body.find("status=\"401\"} 1") != std::string::npos &&
        res->body.find("status=\"404\"} 2") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    res = client_->Get("/metrics", Bearer(token));
  }
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = res->body;
  EXPECT_NE(m.find("mamori_http_requests_total{method=\"GET\",route=\"/api/v1/sources/{id}\","
                   "status=\"404\"} 2"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("mamori_http_requests_total{method=\"GET\",route=\"/api/v1/sources\","
                   "status=\"401\"} 1"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("mamori_http_request_duration_seconds_count{route=\"/api/v1/sources/{id}\"} 2"),
            std::string::npos);
  EXPECT_NE(m.find("mamori_store_up 1"), std::string::npos);
  EXPECT_NE(m.find("# TYPE mamori_http_request_duration_seconds histogram"), std::string::npos);
}

}  // namespace
}  // namespace mamori::server::auth
