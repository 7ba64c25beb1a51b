// /edl/ and /api/v1/blocklists served by the real ApiServer on loopback and fetched with a real
// HTTP client.
#include "server/edl_routes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "server/api_server.h"

namespace mamori::server {
namespace {

using nlohmann::json;
using rse::blocklist::DeviceKind;
using rse::blocklist::DeviceProfile;
using rse::blocklist::PublishedLists;

constexpr char kToken[] = "s3cret-token";
constexpr char kPassword[] = "pa55word";

DeviceProfile Profile(std::string name, DeviceKind kind) {
  DeviceProfile p;
  p.name = std::move(name);
  p.kind = kind;
  return p;
}

class EdlRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenSqliteStore(":memory:");
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);

    fw_ = Profile("fw", DeviceKind::kPaloAltoEdl);
    fw_.auth.bearer_token_sha256 = Sha256Hex(kToken);
    DeviceProfile forti = Profile("forti", DeviceKind::kFortigateFeed);
    forti.auth.basic_user = "fortigate";
    forti.auth.basic_password_sha256 = Sha256Hex(kPassword);
    DeviceProfile open = Profile("open", DeviceKind::kHosts);  // no credentials: never served
    DeviceProfile dns = Profile("dns", DeviceKind::kUnboundRpz);
    dns.auth.bearer_token_sha256 = Sha256Hex(kToken);
    DeviceProfile fresh = Profile("fresh", DeviceKind::kPf);
    fresh.auth.bearer_token_sha256 = Sha256Hex(kToken);

    ASSERT_TRUE(lists_.Publish(fw_, "198.51.100.7\n203.0.113.0/24\n", 1'700'000'000, 2));
    ASSERT_TRUE(lists_.Publish(forti, "198.51.100.9\n", 1'700'000'000, 1));
    ASSERT_TRUE(lists_.Publish(open, "0.0.0.0 evil.example\n", 1'700'000'000, 1));
    ASSERT_TRUE(lists_.Publish(dns, "; rpz\n", 1'700'000'000, 0));

    ServerOptions options;
    options.port = 0;
    options.require_auth = false;  // accounts and roles: server/auth/auth_test.cc
    options.published = &lists_;
    options.profiles = {fw_, forti, open, dns, fresh};
    server_ = std::make_unique<ApiServer>(*store_, clock_, options);
    auto started = server_->Start();
    ASSERT_TRUE(started) << started.error().ToString();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  httplib::Result Get(const std::string& path, httplib::Headers headers = {}) {
    return client_->Get(path.c_str(), headers);
  }
  static httplib::Headers Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  FakeClock clock_{1'700'000'000};
  std::unique_ptr<store::Store> store_;
  PublishedLists lists_;
  DeviceProfile fw_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(EdlRoutesTest, ServesTheListWithTheRightToken) {
  auto res = Get("/edl/fw.txt", Bearer(kToken));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "198.51.100.7\n203.0.113.0/24\n");
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(res->get_header_value("ETag"), lists_.Get("fw")->etag);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(res->get_header_value("Last-Modified"), "Tue, 14 Nov 2023 22:13:20 GMT");
  // Scheme names are case-insensitive.
  auto lower = Get("/edl/fw.txt", {{"Authorization", std::string("bearer ") + kToken}});
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->status, 200);
}

TEST_F(EdlRoutesTest, MissingOrWrongTokenIs401) {
  auto none = Get("/edl/fw.txt");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer realm=\"mamori\"");
  EXPECT_EQ(none->body.find("198.51.100.7"), std::string::npos);

  for (const std::string& wrong : {std::string("s3cret-toke"), std::string("S3CRET-TOKEN"),
                                   Sha256Hex(kToken), std::string(kToken) + "x"}) {
    auto res = Get("/edl/fw.txt", Bearer(wrong));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << wrong;
    EXPECT_EQ(res->body.find("198.51.100.7"), std::string::npos);
  }
  // Basic credentials do not open a bearer-only profile.
  httplib::Headers basic = {
      {"Authorization", httplib::make_basic_authentication_header("x", kToken).second}};
  auto res = Get("/edl/fw.txt", basic);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST_F(EdlRoutesTest, BasicAuth) {
  client_->set_basic_auth("fortigate", kPassword);
  auto ok = Get("/edl/forti.txt");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "198.51.100.9\n");

  client_->set_basic_auth("fortigate", "wrong");
  auto wrong_password = Get("/edl/forti.txt");
  ASSERT_TRUE(wrong_password);
  EXPECT_EQ(wrong_password->status, 401);
  EXPECT_EQ(wrong_password->get_header_value("WWW-Authenticate"),
            "Basic realm=\"mamori\", charset=\"UTF-8\"");

  client_->set_basic_auth("someone", kPassword);
  auto wrong_user = Get("/edl/forti.txt");
  ASSERT_TRUE(wrong_user);
  EXPECT_EQ(wrong_user->status, 401);
}

TEST_F(EdlRoutesTest, IfNoneMatchGives304AndNewContentANewEtag) {
  auto first = Get("/edl/fw.txt", Bearer(kToken));
  ASSERT_TRUE(first);
  std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());

  auto headers = Bearer(kToken);
  headers.emplace("If-None-Match", etag);
  auto not_modified = Get("/edl/fw.txt", headers);
  ASSERT_TRUE(not_modified);
  EXPECT_EQ(not_modified->status, 304);
  EXPECT_TRUE(not_modified->body.empty());
  EXPECT_EQ(not_modified->get_header_value("ETag"), etag);

  // A conditional request without credentials learns nothing.
  auto anonymous = Get("/edl/fw.txt", {{"If-None-Match", etag}});
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);

  ASSERT_TRUE(lists_.Publish(fw_, "198.51.100.8\n", 1'700'000'100, 1));
  auto changed = Get("/edl/fw.txt", headers);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->status, 200);
  EXPECT_EQ(changed->body, "198.51.100.8\n");
  EXPECT_NE(changed->get_header_value("ETag"), etag);
}

TEST_F(EdlRoutesTest, AFailedBuildKeepsServingTheLastGoodList) {
  std::string etag = lists_.Get("fw")->etag;
  lists_.RecordFailure("fw", "capacity exceeded", 1'700'000'500);
  auto res = Get("/edl/fw.txt", Bearer(kToken));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "198.51.100.7\n203.0.113.0/24\n");
  EXPECT_EQ(res->get_header_value("ETag"), etag);
}

TEST_F(EdlRoutesTest, UnknownUnservedAndWrongExtensionLookAlike) {
  auto unknown = Get("/edl/nope.txt", Bearer(kToken));
  auto unknown_anonymous = Get("/edl/nope.txt");
  auto unserved = Get("/edl/open.txt", Bearer(kToken));
  auto wrong_extension = Get("/edl/fw.csv", Bearer(kToken));
  auto no_extension = Get("/edl/fw", Bearer(kToken));
  for (auto* res : {&unknown, &unknown_anonymous, &unserved, &wrong_extension, &no_extension}) {
    ASSERT_TRUE(*res);
    EXPECT_EQ((*res)->status, 404);
    EXPECT_EQ((*res)->body, unknown->body);
    EXPECT_FALSE((*res)->has_header("WWW-Authenticate"));
  }
  EXPECT_EQ(unserved->body.find("evil.example"), std::string::npos);
}

TEST_F(EdlRoutesTest, NativeExtensionIsAccepted) {
  auto rpz = Get("/edl/dns.rpz", Bearer(kToken));
  ASSERT_TRUE(rpz);
  EXPECT_EQ(rpz->status, 200);
  EXPECT_EQ(rpz->body, "; rpz\n");
  auto txt = Get("/edl/dns.txt", Bearer(kToken));
  ASSERT_TRUE(txt);
  EXPECT_EQ(txt->status, 200);
}

TEST_F(EdlRoutesTest, NothingPublishedYetIs503) {
  auto res = Get("/edl/fresh.txt", Bearer(kToken));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->get_header_value("Retry-After"), "60");
  // Credentials are checked first, so a 503 does not reveal anything either.
  auto anonymous = Get("/edl/fresh.txt");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

TEST_F(EdlRoutesTest, HeadReturnsHeadersOnly) {
  auto res = client_->Head("/edl/fw.txt", Bearer(kToken));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(res->body.empty());
  EXPECT_EQ(res->get_header_value("ETag"), lists_.Get("fw")->etag);
}

TEST_F(EdlRoutesTest, BlocklistsStatusHasNoContentOrSecrets) {
  lists_.RecordFailure("fw", "capacity exceeded", 1'700'000'500);
  auto res = Get("/api/v1/blocklists");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(res->body.find("198.51.100.7"), std::string::npos);
  EXPECT_EQ(res->body.find(Sha256Hex(kToken)), std::string::npos);
  EXPECT_EQ(res->body.find("fortigate\""), std::string::npos);  // the basic user
  json body = json::parse(res->body);
  ASSERT_EQ(body.size(), 5u);
  // Sorted by profile name.
  EXPECT_EQ(body[0]["profile"], "dns");
  EXPECT_EQ(body[1]["profile"], "forti");
  EXPECT_EQ(body[2]["profile"], "fresh");
  EXPECT_EQ(body[3]["profile"], "fw");
  EXPECT_EQ(body[4]["profile"], "open");
  const json& fw = body[3];
  EXPECT_EQ(fw["kind"], "paloalto-edl");
  EXPECT_EQ(fw["served"], true);
  EXPECT_EQ(fw["entries"], 2);
  EXPECT_EQ(fw["built_at"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(fw["etag"], lists_.Get("fw")->etag);
  EXPECT_EQ(fw["last_error"], "capacity exceeded");
  EXPECT_EQ(fw["last_error_at"], "2023-11-14T22:21:40Z");
  const json& fresh = body[2];
  EXPECT_EQ(fresh["entries"], nullptr);
  EXPECT_EQ(fresh["built_at"], nullptr);
  EXPECT_EQ(fresh["etag"], nullptr);
  EXPECT_EQ(fresh["last_error"], "");
  EXPECT_EQ(fresh["last_error_at"], nullptr);
  EXPECT_EQ(body[4]["served"], false);
}

TEST(EdlRoutesNoListsTest, WithoutPublishedListsNothingIsServed) {
  auto store = store::OpenSqliteStore(":memory:");
  ASSERT_TRUE(store);
  FakeClock clock;
  ServerOptions options;
  options.port = 0;
  options.require_auth = false;
  ApiServer server(**store, clock, options);
  ASSERT_TRUE(server.Start());
  httplib::Client client("127.0.0.1", server.port());
  auto edl = client.Get("/edl/fw.txt", {{"Authorization", "Bearer x"}});
  ASSERT_TRUE(edl);
  EXPECT_EQ(edl->status, 404);
  auto listing = client.Get("/api/v1/blocklists");
  ASSERT_TRUE(listing);
  EXPECT_EQ(listing->status, 200);
  EXPECT_EQ(json::parse(listing->body), json::array());
}

TEST(EdlHelpersTest, Sha256Hex) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(EdlHelpersTest, CheckDeliveryAuth) {
  rse::blocklist::DeliveryAuth auth;
  EXPECT_FALSE(CheckDeliveryAuth(auth, "Bearer "));
  EXPECT_FALSE(CheckDeliveryAuth(auth, "Bearer x"));  // nothing configured: nothing passes
  auth.bearer_token_sha256 = Sha256Hex("tok");
  EXPECT_TRUE(CheckDeliveryAuth(auth, "Bearer tok"));
  EXPECT_TRUE(CheckDeliveryAuth(auth, "  Bearer   tok  "));
  EXPECT_FALSE(CheckDeliveryAuth(auth, "Bearer"));
  EXPECT_FALSE(CheckDeliveryAuth(auth, "Bearertok"));
  EXPECT_FALSE(CheckDeliveryAuth(auth, "Token tok"));
  EXPECT_FALSE(CheckDeliveryAuth(auth, ""));
  auth.basic_user = "u";
  auth.basic_password_sha256 = Sha256Hex("p:w");
  EXPECT_TRUE(CheckDeliveryAuth(auth, "Basic dTpwOnc="));  // "u:p:w": the password holds ':'
  EXPECT_TRUE(CheckDeliveryAuth(auth, "Basic dTpwOnc"));   // padding optional
  EXPECT_FALSE(CheckDeliveryAuth(auth, "Basic dTpw"));     // "u:p"
  EXPECT_FALSE(CheckDeliveryAuth(auth, "Basic dQ=="));     // "u", no colon
  EXPECT_FALSE(CheckDeliveryAuth(auth, "Basic !!!!"));
}

TEST(EdlHelpersTest, EtagMatches) {
  EXPECT_TRUE(EtagMatches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(EtagMatches("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(EtagMatches("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(EtagMatches("*", "\"abc\""));
  EXPECT_FALSE(EtagMatches("\"abcd\"", "\"abc\""));
  EXPECT_FALSE(EtagMatches("abc", "\"abc\""));
  EXPECT_FALSE(EtagMatches("", "\"abc\""));
  EXPECT_FALSE(EtagMatches(" , ", "\"abc\""));
}

TEST(EdlHelpersTest, HttpDate) {
  EXPECT_EQ(HttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(HttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

}  // namespace
}  // namespace mamori::server
