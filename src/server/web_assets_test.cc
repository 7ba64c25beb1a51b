// The embedded web console: entry page, hashed assets and client routes, with their caching and
// security headers, served by a real ApiServer on loopback.
#include "server/web_assets.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include "server/api_server.h"

namespace mamori::server {
namespace {

class WebAssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenSqliteStore(":memory:");
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
    ServerOptions options;
    options.port = 0;
    options.require_auth = false;  // accounts and roles: server/auth/auth_test.cc
    server_ = std::make_unique<ApiServer>(*store_, clock_, options);
    ASSERT_TRUE(server_->Start());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  FakeClock clock_{1'700'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(WebAssetsTest, EmbedsAnIndexAndHashedAssets) {
  const WebAsset* index = FindWebAsset("index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  int scripts = 0;
  for (const auto& asset : EmbeddedWebAssets()) {
    if (asset.path.ends_with(".js")) {
      ++scripts;
      EXPECT_TRUE(asset.path.starts_with("assets/")) << asset.path;
      EXPECT_EQ(asset.content_type, "text/javascript; charset=utf-8");
      EXPECT_NE(index->body.find("/" + std::string(asset.path)), std::string::npos)
          << "index.html loads " << asset.path;
    }
  }
  EXPECT_GE(scripts, 1);
  // Everything is bundled: no script or style from another origin.
  EXPECT_EQ(index->body.find("http://"), std::string::npos);
  EXPECT_EQ(index->body.find("https://"), std::string::npos);
}

TEST_F(WebAssetsTest, IndexIsRevalidatedAndCarriesSecurityHeaders) {
  auto res = client_->Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res->get_header_value("Content-Security-Policy").rfind("default-src 'self'", 0), 0u);
  EXPECT_EQ(res->body, FindWebAsset("index.html")->body);
}

TEST_F(WebAssetsTest, ClientRoutesFallBackToIndexButApiPathsDoNot) {
  for (const char* path : {"/ui", "/ui/", "/ui/detections/12", "/ui/lookup?q=evil.example"}) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->body, FindWebAsset("index.html")->body) << path;
  }
  for (const char* path : {"/api/v1/nothing-here", "/edl/x.txt", "/uix", "/index.html.bak"}) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
  }
}

TEST_F(WebAssetsTest, HashedAssetsAreImmutableAndUnknownOnesAre404) {
  const WebAsset* script = nullptr;
  for (const auto& asset : EmbeddedWebAssets()) {
    if (asset.path.ends_with(".js")) script = &asset;
  }
  ASSERT_NE(script, nullptr);
  auto res = client_->Get("/" + std::string(script->path));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(res->body, script->body);

  auto gz = client_->Get("/" + std::string(script->path), {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");

  auto missing = client_->Get("/assets/nope-123.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto traversal = client_->Get("/assets/..%2f..%2fetc%2fpasswd");
  ASSERT_TRUE(traversal);
  EXPECT_EQ(traversal->status, 404);
}

}  // namespace
}  // namespace mamori::server
