// The HTTP API and the console's entry page, served on loopback from a real SQLite store and queried with a
// real HTTP client.
#include "server/api_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

namespace mamori::server {
namespace {

using nlohmann::json;

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenSqliteStore(":memory:");
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
    store::SourceRecord source;
    source.name = "test-feed";
    source.url = "https://feeds.example/list.txt";
    source.format = "plain";
    source.reliability = 80;
    auto added = store_->AddSource(source);
    ASSERT_TRUE(added);
    std::vector<store::ListingEntry> entries = {
        {{IndicatorType::kIpv4, "198.51.100.7"}, "c2", 90},
        {{IndicatorType::kCidr, "203.0.113.0/24"}, "", -1},
        {{IndicatorType::kDomain, "evil.example"}, "", -1},
    };
    ASSERT_TRUE(store_->ApplySnapshot(added->id, entries, clock_.Now()));
    store::FetchRecord fetch;
    fetch.attempted_at = clock_.Now();
    fetch.status = "error";
    fetch.error = "<script>alert(1)</script>";
    ASSERT_TRUE(store_->RecordFetch(added->id, fetch));

    ServerOptions options;
    options.port = 0;
    options.require_auth = false;  // accounts and roles: server/auth/auth_test.cc
    server_ = std::make_unique<ApiServer>(*store_, clock_, options);
    auto started = server_->Start();
    ASSERT_TRUE(started) << started.error().ToString();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  json GetJson(const std::string& path, int expected_status) {
    auto res = client_->Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, expected_status) << path << "\n" << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    return json::parse(res->body);
  }

  FakeClock clock_{1'700'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ApiServerTest, HealthReportsStoreCounts) {
  json health = GetJson("/api/v1/health", 200);
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["store"]["sources"], 1);
  EXPECT_EQ(health["store"]["indicators"], 3);
  EXPECT_EQ(health["store"]["open_intervals"], 3);
}

TEST_F(ApiServerTest, AnswersGzipNeverBrotli) {
  // httplib's brotli runs at its slowest quality; browsers offer br first (api_server.cc).
  for (const char* offer : {"gzip, deflate, br", "br, gzip", "gzip;q=1.0, br;q=1.0"}) {
    auto res = client_->Get("/api/v1/sources", {{"Accept-Encoding", offer}});
    ASSERT_TRUE(res) << offer;
    EXPECT_EQ(res->status, 200) << offer;
    EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip") << offer;
    EXPECT_EQ(json::parse(res->body)[0]["name"], "test-feed") << offer;
  }
  auto br_only = client_->Get("/api/v1/sources", {{"Accept-Encoding", "br"}});
  ASSERT_TRUE(br_only);
  EXPECT_EQ(br_only->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(json::parse(br_only->body)[0]["name"], "test-feed");
}

TEST_F(ApiServerTest, SourcesListsEverySourceWithItsState) {
  json sources = GetJson("/api/v1/sources", 200);
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0]["name"], "test-feed");
  EXPECT_EQ(sources[0]["reliability"], 80);
  EXPECT_EQ(sources[0]["listed_count"], 3);
  EXPECT_EQ(sources[0]["fetch"]["status"], "error");
  EXPECT_EQ(GetJson("/api/v1/sources/test-feed", 200)["name"], "test-feed");
  EXPECT_EQ(GetJson("/api/v1/sources/nope", 404)["error"]["code"], "not_found");
}

TEST_F(ApiServerTest, IndicatorLookupNormalizesAndShowsHistory) {
  json r = GetJson("/api/v1/indicators/EVIL.example.", 200);
  EXPECT_EQ(r["query"]["value"], "evil.example");
  EXPECT_EQ(r["listed_now"], true);
  ASSERT_EQ(r["history"]["intervals"].size(), 1u);
  EXPECT_EQ(r["history"]["intervals"][0]["source"], "test-feed");
  EXPECT_EQ(r["history"]["intervals"][0]["first_listed"], "2023-11-14T22:13:20Z");

  json ip = GetJson("/api/v1/indicators/198.51.100.7", 200);
  EXPECT_EQ(ip["history"]["intervals"][0]["category"], "c2");
  EXPECT_EQ(ip["history"]["intervals"][0]["confidence"], 90);

  // An address inside a listed network is found through the CIDR.
  json covered = GetJson("/api/v1/indicators/203.0.113.9", 200);
  EXPECT_EQ(covered["known"], false);
  ASSERT_EQ(covered["covering"].size(), 1u);
  EXPECT_EQ(covered["covering"][0]["value"], "203.0.113.0/24");
}

TEST_F(ApiServerTest, UnknownIndicatorIs404AndGarbageIs400) {
  EXPECT_EQ(GetJson("/api/v1/indicators/good.example", 404)["known"], false);
  EXPECT_EQ(GetJson("/api/v1/indicators/not%20an%20indicator", 400)["error"]["code"],
            "invalid_argument");
}

TEST_F(ApiServerTest, RootServesTheWebConsoleAndOldLookupLinksRedirect) {
  // The console itself is tested in web_assets_test.cc and tests/browser/.
  auto res = client_->Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(res->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);

  auto lookup = client_->Get("/lookup?q=evil.example");
  ASSERT_TRUE(lookup);
  EXPECT_EQ(lookup->status, 302);
  EXPECT_EQ(lookup->get_header_value("Location"), "/ui/lookup?q=evil.example");
}

TEST_F(ApiServerTest, APortInUseIsAClearError) {
  ServerOptions options;
  options.port = server_->port();
  ApiServer second(*store_, clock_, options);
  auto started = second.Start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().context.find(std::to_string(server_->port())), std::string::npos);
}

}  // namespace
}  // namespace mamori::server

namespace mamori::server {
namespace {

store::DetectionRecord Detection(std::string group, int64_t first_seconds, std::string level) {
  store::DetectionRecord d;
  d.rule_id = "mamori-ssh-brute-force";
  d.title = "SSH brute force";
  d.level = std::move(level);
  d.group_field = "source.ip";
  d.group_value = std::move(group);
  d.input = "file:/var/log/auth.log";
  d.first_time = first_seconds * 1'000'000;
  d.last_time = d.first_time + 30'000'000;
  d.count = 7;
  d.evidence_json = R"([{"event.original":"Failed password for root from 203.0.113.7"}])";
  d.updated_at = first_seconds;
  return d;
}

TEST_F(ApiServerTest, DetectionsAreListedNewestFirstFilteredAndPaged) {
  ASSERT_TRUE(store_->UpsertDetection(Detection("203.0.113.7", 1'700'000'000, "high")));
  ASSERT_TRUE(store_->UpsertDetection(Detection("198.51.100.9", 1'700'000'100, "low")));
  ASSERT_TRUE(store_->UpsertDetection(Detection("192.0.2.4", 1'700'000'200, "critical")));

  json all = GetJson("/api/v1/detections", 200);
  ASSERT_EQ(all["detections"].size(), 3u);
  EXPECT_EQ(all["detections"][0]["group"], "192.0.2.4");
  EXPECT_FALSE(all["detections"][0].contains("evidence"));
  EXPECT_TRUE(all["next_before"].is_null());

  json high = GetJson("/api/v1/detections?level=high", 200);
  EXPECT_EQ(high["detections"].size(), 2u);

  json page = GetJson("/api/v1/detections?limit=2", 200);
  ASSERT_EQ(page["detections"].size(), 2u);
  int64_t before = page["next_before"].get<int64_t>();
  json rest = GetJson("/api/v1/detections?limit=2&before=" + std::to_string(before), 200);
  ASSERT_EQ(rest["detections"].size(), 1u);
  EXPECT_EQ(rest["detections"][0]["group"], "203.0.113.7");

  int64_t id = rest["detections"][0]["id"].get<int64_t>();
  json one = GetJson("/api/v1/detections/" + std::to_string(id), 200);
  EXPECT_EQ(one["rule"], "mamori-ssh-brute-force");
  EXPECT_EQ(one["evidence"][0]["event.original"], "Failed password for root from 203.0.113.7");

  GetJson("/api/v1/detections/999", 404);
  json bad = GetJson("/api/v1/detections?level=severe", 400);
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("level"), std::string::npos);
  GetJson("/api/v1/detections?colour=red", 400);
  // No collector configured: said plainly.
  json collector = GetJson("/api/v1/collector", 404);
  EXPECT_NE(collector["error"]["message"].get<std::string>().find("[collect] inputs"),
            std::string::npos);
}

}  // namespace
}  // namespace mamori::server
