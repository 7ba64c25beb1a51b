// TaxiiClient (and FetchSource for format "taxii") against a small TAXII 2.1 server on
// loopback: discovery, API root, collections, and an objects endpoint that serves two pages.
#include "feeds/taxii_client.h"

#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "feeds/fetcher.h"
#include "feeds/testing/loopback_server.h"

namespace mamori::feeds {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr char kCollectionId[] = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
constexpr char kWriteOnlyId[] = "52892447-4d7e-4f70-b94d-d7f22742ff63";
// base64("alice:s3cret")
constexpr char kBasicAuth[] = "Basic YWxpY2U6czNjcmV0";
constexpr char kPage1Last[] = "2024-01-02T00:00:00.000Z";
constexpr char kPage2Last[] = "2024-01-03T00:00:00.000Z";

json Indicator(int n, const std::string& ip) {
  return {{"type", "indicator"},
          {"spec_version", "2.1"},
          {"id", "indicator--00000000-0000-4000-8000-00000000000" + std::to_string(n)},
          {"created", "2024-01-01T00:00:00.000Z"},
          {"modified", "2024-01-01T00:00:00.000Z"},
          {"pattern", "[ipv4-addr:value = '" + ip + "']"},
          {"pattern_type", "stix"},
          {"valid_from", "2024-01-01T00:00:00Z"}};
}

struct SeenRequest {
  std::string path;
  std::string accept;
  std::string authorization;
  std::multimap<std::string, std::string> params;
  std::string Param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? "" : it->second;
  }
};

// A TAXII 2.1 server with one API root holding a readable and a write-only collection.
class TaxiiServer {
 public:
  enum class Paging { kNext, kDateAdded, kStuckNext };
  bool require_auth = false;
  Paging paging = Paging::kNext;

  void Start() {
    auto& s = srv_.server();
    s.Get("/taxii2/", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Admit(req, res)) return;
      Reply(res, {{"title", "Test TAXII"},
                  {"default", srv_.Url("/api1/")},
                  {"api_roots", {srv_.Url("/api1/"), "/api2/"}}});
    });
    s.Get("/api1/", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Admit(req, res)) return;
      Reply(res, {{"title", "API 1"},
                  {"versions", {"application/taxii+json;version=2.1"}},
                  {"max_content_length", 10485760}});
    });
    s.Get("/api1/collections/", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Admit(req, res)) return;
      Reply(res, {{"collections",
                   {{{"id", kCollectionId},
                     {"title", "Indicators"},
                     {"can_read", true},
                     {"can_write", false}},
                    {{"id", kWriteOnlyId},
                     {"title", "Drop box"},
                     {"can_read", false},
                     {"can_write", true}}}}});
    });
    s.Get("/api2/collections/", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Admit(req, res)) return;
      Reply(res, json::object());
    });
    s.Get(R"(/api1/collections/([^/]+)/objects/)",
          [this](const httplib::Request& req, httplib::Response& res) {
            if (!Admit(req, res)) return;
            if (req.matches[1].str() != kCollectionId) {
              res.status = 404;
              return;
            }
            Objects(req, res);
          });
    srv_.Start();
  }

  std::string Url(std::string_view path) const { return srv_.Url(path); }
  std::string CollectionUrl() const { return Url("/api1/collections/") + kCollectionId + "/"; }

  std::vector<SeenRequest> Seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }
  std::vector<SeenRequest> SeenObjects() {
    std::vector<SeenRequest> out;
    for (auto& r : Seen()) {
      if (r.path.ends_with("/objects/")) out.push_back(r);
    }
    return out;
  }

 private:
  bool Admit(const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(mu_);
      seen_.push_back({req.path,
                       req.get_header_value("Accept"),
                       req.get_header_value("Authorization"),
                       {req.params.begin(), req.params.end()}});
    }
    if (require_auth && req.get_header_value("Authorization") != kBasicAuth) {
      res.status = 401;
      res.set_header("WWW-Authenticate", "Basic realm=\"taxii\"");
      return false;
    }
    return true;
  }

  static void Reply(httplib::Response& res, const json& body) {
    res.set_content(body.dump(), "application/taxii+json;version=2.1");
  }

  void Objects(const httplib::Request& req, httplib::Response& res) {
    json page1 = {{"more", true},
                  {"objects", {Indicator(1, "198.51.100.1"), Indicator(2, "198.51.100.2")}}};
    json page2 = {{"more", false}, {"objects", {Indicator(3, "198.51.100.3")}}};
    bool second = false;
    switch (paging) {
      case Paging::kNext:
        page1["next"] = "page-2";
        second = req.get_param_value("next") == "page-2";
        break;
      case Paging::kDateAdded:
        second = req.get_param_value("added_after") == kPage1Last;
        break;
      case Paging::kStuckNext:
        page1["next"] = "again";
        break;
    }
    res.set_header("X-TAXII-Date-Added-First", "2024-01-01T00:00:00.000Z");
    res.set_header("X-TAXII-Date-Added-Last", second ? kPage2Last : kPage1Last);
    Reply(res, second ? page2 : page1);
  }

  testing::LoopbackHttpServer srv_;
  std::mutex mu_;
  std::vector<SeenRequest> seen_;
};

HttpOptions FastOptions() {
  HttpOptions options;
  options.timeout = milliseconds(2000);
  options.connect_timeout = milliseconds(1000);
  options.retries = 1;
  return options;
}

TaxiiOptions Credentials() {
  TaxiiOptions options;
  options.username = "alice";
  options.password = "s3cret";
  return options;
}

TEST(TaxiiClientTest, DiscoversApiRootsAndCollections) {
  TaxiiServer server;
  server.Start();
  FakeClock clock;
  auto http = MakeCurlHttpClient(FastOptions(), clock);
  TaxiiClient client(*http, TaxiiOptions{});

  auto discovery = client.Discover(server.Url("/taxii2/"));
  ASSERT_TRUE(discovery) << discovery.error().ToString();
  EXPECT_EQ(discovery->title, "Test TAXII");
  EXPECT_EQ(discovery->default_api_root, server.Url("/api1/"));
  ASSERT_EQ(discovery->api_roots.size(), 2u);
  EXPECT_EQ(discovery->api_roots[1], server.Url("/api2/"));  // relative entry resolved

  auto root = client.GetApiRoot(server.Url("/api1"));
  ASSERT_TRUE(root) << root.error().ToString();
  EXPECT_EQ(root->title, "API 1");
  EXPECT_EQ(root->versions, std::vector<std::string>{std::string(kTaxiiMediaType)});
  EXPECT_EQ(root->max_content_length, 10485760);

  auto collections = client.ListCollections(server.Url("/api1/"));
  ASSERT_TRUE(collections) << collections.error().ToString();
  ASSERT_EQ(collections->size(), 2u);
  EXPECT_EQ((*collections)[0].id, kCollectionId);
  EXPECT_EQ((*collections)[0].title, "Indicators");
  EXPECT_TRUE((*collections)[0].can_read);
  EXPECT_EQ((*collections)[0].url, server.CollectionUrl());
  EXPECT_FALSE((*collections)[1].can_read);

  for (const auto& r : server.Seen()) EXPECT_EQ(r.accept, kTaxiiMediaType) << r.path;
}

TEST(TaxiiClientTest, FollowsNextThroughTwoPagesWithFiltersAndAuth) {
  TaxiiServer server;
  server.require_auth = true;
  server.Start();
  FakeClock clock;
  auto http = MakeCurlHttpClient(FastOptions(), clock);
  TaxiiOptions options = Credentials();
  options.added_after = "2024-01-01T00:00:00+00:00";
  options.page_limit = 2;
  TaxiiClient client(*http, options);

  auto url = client.ResolveCollection(server.Url("/taxii2/"), "indicators");  // by title
  ASSERT_TRUE(url) << url.error().ToString();
  EXPECT_EQ(*url, server.CollectionUrl());

  auto objects = client.GetObjects(*url);
  ASSERT_TRUE(objects) << objects.error().ToString();
  ASSERT_EQ(objects->pages.size(), 2u);
  EXPECT_TRUE(objects->pages[0].more);
  EXPECT_EQ(objects->pages[0].next, "page-2");
  EXPECT_EQ(objects->pages[0].object_count, 2u);
  EXPECT_FALSE(objects->pages[1].more);
  EXPECT_EQ(objects->pages[1].object_count, 1u);
  EXPECT_EQ(objects->date_added_last, kPage2Last);
  auto body = json::parse(objects->pages[1].body);
  EXPECT_EQ(body["objects"][0]["pattern"], "[ipv4-addr:value = '198.51.100.3']");

  auto seen = server.SeenObjects();
  ASSERT_EQ(seen.size(), 2u);
  for (const auto& r : seen) {
    EXPECT_EQ(r.accept, "application/taxii+json;version=2.1");
    EXPECT_EQ(r.authorization, kBasicAuth);
    EXPECT_EQ(r.Param("added_after"), "2024-01-01T00:00:00+00:00");  // '+' survived encoding
    EXPECT_EQ(r.Param("limit"), "2");
  }
  EXPECT_EQ(seen[0].Param("next"), "");
  EXPECT_EQ(seen[1].Param("next"), "page-2");
  for (const auto& r : server.Seen()) EXPECT_EQ(r.authorization, kBasicAuth) << r.path;
}

TEST(TaxiiClientTest, PagesByDateAddedWhenTheServerGivesNoNext) {
  TaxiiServer server;
  server.paging = TaxiiServer::Paging::kDateAdded;
  server.Start();
  FakeClock clock;
  auto http = MakeCurlHttpClient(FastOptions(), clock);
  TaxiiClient client(*http, TaxiiOptions{});
  auto objects = client.GetObjects(server.CollectionUrl());
  ASSERT_TRUE(objects) << objects.error().ToString();
  ASSERT_EQ(objects->pages.size(), 2u);
  auto seen = server.SeenObjects();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].Param("added_after"), "");
  EXPECT_EQ(seen[1].Param("added_after"), kPage1Last);
  EXPECT_EQ(objects->date_added_last, kPage2Last);
}

TEST(TaxiiClientTest, RepeatedNextTokenStopsWithAnError) {
  TaxiiServer server;
  server.paging = TaxiiServer::Paging::kStuckNext;
  server.Start();
  FakeClock clock;
  auto http = MakeCurlHttpClient(FastOptions(), clock);
  TaxiiClient client(*http, TaxiiOptions{});
  auto objects = client.GetObjects(server.CollectionUrl());
  ASSERT_FALSE(objects);
  EXPECT_EQ(objects.error().code, ErrorCode::kCorrupt);
  EXPECT_LE(server.SeenObjects().size(), 3u);
}

TEST(TaxiiClientTest, MissingCredentialsNameTheFix) {
  TaxiiServer server;
  server.require_auth = true;
  server.Start();
  FakeClock clock;
  auto http = MakeCurlHttpClient(FastOptions(), clock);
  TaxiiClient client(*http, TaxiiOptions{});
  auto objects = client.GetObjects(server.CollectionUrl());
  ASSERT_FALSE(objects);
  EXPECT_EQ(objects.error().code, ErrorCode::kNetwork);
  EXPECT_NE(objects.error().message.find("HTTP 401"), std::string::npos);
  EXPECT_NE(objects.error().message.find("\"username\""), std::string::npos);
}

TEST(TaxiiClientTest, CollectionSelectionErrorsListWhatExists) {
  TaxiiServer server;
  server.Start();
  FakeClock clock;
  auto http = MakeCurlHttpClient(FastOptions(), clock);
  TaxiiClient client(*http, TaxiiOptions{});

  auto missing = client.ResolveCollection(server.Url("/api1/"), "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find(kCollectionId), std::string::npos);
  EXPECT_NE(missing.error().message.find("Indicators"), std::string::npos);

  auto unreadable = client.ResolveCollection(server.Url("/api1/"), kWriteOnlyId);
  ASSERT_FALSE(unreadable);
  EXPECT_EQ(unreadable.error().code, ErrorCode::kRejected);

  // One readable collection: no selector needed.
  auto only = client.ResolveCollection(server.Url("/taxii2/"), "");
  ASSERT_TRUE(only) << only.error().ToString();
  EXPECT_EQ(*only, server.CollectionUrl());

  // A collection URL is used as is, without asking the server.
  size_t before = server.Seen().size();
  auto direct = client.ResolveCollection(server.CollectionUrl() + "objects/", "");
  ASSERT_TRUE(direct) << direct.error().ToString();
  EXPECT_EQ(*direct, server.CollectionUrl());
  EXPECT_EQ(server.Seen().size(), before);
}

store::SourceRecord TaxiiSource(const std::string& url, const std::string& options_json) {
  store::SourceRecord source;
  source.name = "taxii-test";
  source.url = url;
  source.format = "taxii";
  source.options_json = options_json;
  return source;
}

TEST(TaxiiFetchTest, FetchSourceReturnsOneDocumentPerPage) {
  TaxiiServer server;
  server.require_auth = true;
  server.Start();
  FakeClock clock;
  auto http = MakeCurlHttpClient(FastOptions(), clock);
  json options = {{"collection", kCollectionId},
                  {"username", "alice"},
                  {"password", "s3cret"},
                  {"added_after", "2024-01-01T00:00:00Z"},
                  {"page_limit", 2}};
  auto fetched = FetchSource(TaxiiSource(server.Url("/taxii2/"), options.dump()), *http, 1 << 20);
  ASSERT_TRUE(fetched) << fetched.error().ToString();
  EXPECT_FALSE(fetched->not_modified);
  EXPECT_EQ(fetched->http_status, 200);
  ASSERT_EQ(fetched->documents.size(), 2u);
  int64_t bytes = 0;
  for (const auto& doc : fetched->documents) {
    EXPECT_NE(doc.origin.find("/objects/?added_after=2024-01-01T00%3A00%3A00Z&limit=2"),
              std::string::npos)
        << doc.origin;
    EXPECT_TRUE(json::parse(doc.body).contains("objects"));
    bytes += static_cast<int64_t>(doc.body.size());
  }
  EXPECT_EQ(fetched->bytes, bytes);
  auto seen = server.SeenObjects();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].Param("added_after"), "2024-01-01T00:00:00Z");
}

TEST(TaxiiFetchTest, BadOptionsAreErrorsNamingTheKey) {
  FakeClock clock;
  auto http = MakeCurlHttpClient(FastOptions(), clock);
  const std::string url = "http://127.0.0.1:1/taxii2/";  // never reached
  auto zero = FetchSource(TaxiiSource(url, R"({"page_limit": 0})"), *http, 1 << 20);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(zero.error().message.find("page_limit"), std::string::npos);

  auto date = FetchSource(TaxiiSource(url, R"({"added_after": "yesterday"})"), *http, 1 << 20);
  ASSERT_FALSE(date);
  EXPECT_NE(date.error().message.find("added_after"), std::string::npos);

  auto typo = FetchSource(TaxiiSource(url, R"({"colection": "x"})"), *http, 1 << 20);
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().ToString().find("colection"), std::string::npos)
      << typo.error().ToString();

  auto file = FetchSource(TaxiiSource("/tmp/x", "{}"), *http, 1 << 20);
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace mamori::feeds
