// GET /api/v1/domains/<name>/category served by the real ApiServer on loopback with the built-in
// categorizer (service lists, popularity, DGA model; the typosquat lists when found).
#include "server/domain_routes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "domain/category/toolkit.h"
#include "domain/reputation/service.h"
#include "server/api_server.h"
#include "store/store.h"

namespace mamori::server {
namespace {

using nlohmann::json;

class DomainRoutesTest : public ::testing::Test {
 protected:
  void Start(const domain::Categorizer* categorizer,
             domain::reputation::ReputationService* reputation = nullptr) {
    if (!store_) OpenStore();
    ServerOptions options;
    options.reputation = reputation;
    options.port = 0;
    options.require_auth = false;  // roles: server/auth/auth_test.cc
    options.categorizer = categorizer;
    server_ = std::make_unique<ApiServer>(*store_, clock_, options);
    auto started = server_->Start();
    ASSERT_TRUE(started) << started.error().ToString();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  void OpenStore() {
    auto store = store::OpenSqliteStore(":memory:");
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
  }

  FakeClock clock_{1'700'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(DomainRoutesTest, CategorizesNamesAndPercentEncodedUrls) {
  auto kit = domain::CategorizerToolkit::Build({});
  ASSERT_TRUE(kit) << kit.error().ToString();
  Start(&(*kit)->categorizer());

  auto res = client_->Get("/api/v1/domains/evil.duckdns.org/category");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json body = json::parse(res->body);
  EXPECT_EQ(body["category"], "dynamic_dns");
  EXPECT_EQ(body["action"], "block-fqdn");
  EXPECT_EQ(body["block_at"], "evil.duckdns.org");

  // A URL on a shortener, percent-encoded as one path segment: blocked as a URL only.
  auto url = client_->Get("/api/v1/domains/https%3A%2F%2Fbit.ly%2F3xYz/category");
  ASSERT_TRUE(url);
  ASSERT_EQ(url->status, 200) << url->body;
  json u = json::parse(url->body);
  EXPECT_EQ(u["category"], "url_shortener");
  EXPECT_EQ(u["action"], "block-url");
  EXPECT_EQ(u["block_at"], "bit.ly/3xYz");

  auto bad = client_->Get("/api/v1/domains/co.uk/category");  // a public suffix, not a name
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(json::parse(bad->body).dump().find("co.uk"), std::string::npos);
}

TEST_F(DomainRoutesTest, WithoutACategorizerIs503) {
  Start(nullptr);
  auto res = client_->Get("/api/v1/domains/example.com/category");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
}

TEST_F(DomainRoutesTest, ScoresWithReasonsFromTheStoreAndReloadsItsEvidence) {
  OpenStore();
  auto model = domain::reputation::BuiltInReputationModel();
  ASSERT_TRUE(model) << model.error().ToString();
  domain::reputation::ReputationService service(*store_, clock_, *model, {}, /*refresh=*/300);
  Start(nullptr, &service);

  auto res = client_->Get("/api/v1/domains/fresh-example.com?top=3");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json body = json::parse(res->body);
  EXPECT_EQ(body["domain"], "fresh-example.com");
  EXPECT_FALSE(body["has_history"].get<bool>());
  EXPECT_GE(body["score"].get<int>(), 0);
  EXPECT_LE(body["score"].get<int>(), 100);
  EXPECT_EQ(body["reasons"][0]["feature"], "no_history");
  EXPECT_LE(body["reasons"].size(), 4u);  // no_history + top 3
  EXPECT_TRUE(body["features"]["dns_addresses"].is_null());

  // Evidence stored later is seen once the index is older than the refresh interval.
  ASSERT_TRUE(store_->MergePdns({{"www.fresh-example.com", "fresh-example.com", 1, "192.0.2.7",
                                  clock_.Now() - 3 * 86400, clock_.Now(), 5}}));
  json cached = json::parse(client_->Get("/api/v1/domains/www.fresh-example.com")->body);
  EXPECT_FALSE(cached["has_history"].get<bool>());
  clock_.Advance(std::chrono::seconds(301));
  auto reloaded = client_->Get("/api/v1/domains/www.fresh-example.com");
  ASSERT_EQ(reloaded->status, 200) << reloaded->body;
  json r = json::parse(reloaded->body);
  EXPECT_TRUE(r["has_history"].get<bool>());
  EXPECT_EQ(r["features"]["dns_addresses"], 1.0);
  // As of a date before that evidence, it has none.
  json before = json::parse(client_->Get("/api/v1/domains/www.fresh-example.com?at=2020-01-01")->body);
  EXPECT_FALSE(before["has_history"].get<bool>());

  EXPECT_EQ(client_->Get("/api/v1/domains/192.0.2.1")->status, 400);
  EXPECT_EQ(client_->Get("/api/v1/domains/not_a..name")->status, 400);
  EXPECT_EQ(client_->Get("/api/v1/domains/example.com?at=someday")->status, 400);
  EXPECT_EQ(client_->Get("/api/v1/domains/example.com?top=x")->status, 400);
}

TEST_F(DomainRoutesTest, CategoryUsesTheStoresRegistrationHistory) {
  OpenStore();
  // Zone snapshots every 10 days: lapsed.com leaves .com for a while and comes back.
  const store::Day today = static_cast<store::Day>(clock_.Now() / 86400);
  for (int d = 100; d >= 0; d -= 10) {
    std::vector<std::string> names = {"steady.com"};
    if (d > 60 || d < 30) names.push_back("lapsed.com");
    ASSERT_TRUE(store_->ApplyZoneSnapshot("com", today - d, names));
  }
  auto model = domain::reputation::BuiltInReputationModel();
  ASSERT_TRUE(model);
  domain::reputation::ReputationService service(*store_, clock_, *model, {});
  auto kit = domain::CategorizerToolkit::Build({});
  ASSERT_TRUE(kit) << kit.error().ToString();
  Start(&(*kit)->categorizer(), &service);
  auto res = client_->Get("/api/v1/domains/lapsed.com/category");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["category"], "reregistered") << res->body;
  json steady = json::parse(client_->Get("/api/v1/domains/steady.com/category")->body);
  EXPECT_NE(steady["category"], "reregistered") << steady.dump();
}

TEST_F(DomainRoutesTest, WithoutAReputationServiceTheScoreIs503) {
  Start(nullptr, nullptr);
  auto res = client_->Get("/api/v1/domains/example.com");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
}

}  // namespace
}  // namespace mamori::server
