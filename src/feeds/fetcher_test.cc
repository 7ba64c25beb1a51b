// FetchSource for local files, plain HTTP feeds and MISP feeds (TAXII is covered in
// taxii_client_test.cc), against real files in a temporary directory and a loopback server.
#include "feeds/fetcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "feeds/testing/loopback_server.h"

namespace mamori::feeds {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;
using testing::LoopbackHttpServer;

constexpr char kEvent1[] = "5f0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
constexpr char kEvent2[] = "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d";

HttpOptions FastOptions() {
  HttpOptions options;
  options.timeout = milliseconds(2000);
  options.connect_timeout = milliseconds(1000);
  options.retries = 2;
  return options;
}

store::SourceRecord Source(const std::string& url, const std::string& format = "plain",
                           const std::string& options_json = "{}") {
  store::SourceRecord source;
  source.name = "test-feed";
  source.url = url;
  source.format = format;
  source.options_json = options_json;
  return source;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mamori-fetch-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& content) const {
    fs::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

class FetchTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  std::unique_ptr<HttpClient> http_ = MakeCurlHttpClient(FastOptions(), clock_);
};

TEST_F(FetchTest, ReadsLocalPathAndFileUrl) {
  TempDir dir;
  std::string path = dir.Write("list.txt", "1.2.3.4\nevil.example\n");
  for (const std::string& url : {path, "file://" + path}) {
    auto fetched = FetchSource(Source(url), *http_, 1 << 20);
    ASSERT_TRUE(fetched) << fetched.error().ToString();
    EXPECT_FALSE(fetched->not_modified);
    EXPECT_EQ(fetched->http_status, 0);
    ASSERT_EQ(fetched->documents.size(), 1u);
    EXPECT_EQ(fetched->documents[0].origin, path);
    EXPECT_EQ(fetched->documents[0].body, "1.2.3.4\nevil.example\n");
    EXPECT_EQ(fetched->bytes, 21);
  }
}

TEST_F(FetchTest, MissingFileIsAnIoErrorNamingThePath) {
  TempDir dir;
  std::string path = dir.path() + "/absent.txt";
  auto fetched = FetchSource(Source(path), *http_, 1 << 20);
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().code, ErrorCode::kIo);
  EXPECT_NE(fetched.error().ToString().find(path), std::string::npos);
  EXPECT_NE(fetched.error().ToString().find("test-feed"), std::string::npos);

  auto directory = FetchSource(Source(dir.path()), *http_, 1 << 20);
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().code, ErrorCode::kIo);
}

TEST_F(FetchTest, LocalFileAboveTheCapIsTooLarge) {
  TempDir dir;
  std::string path = dir.Write("big.txt", std::string(4096, 'x'));
  auto fetched = FetchSource(Source(path), *http_, 1024);
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().code, ErrorCode::kTooLarge);
  EXPECT_NE(fetched.error().message.find("1024"), std::string::npos);
}

TEST_F(FetchTest, HttpFeedIsConditionalOnStoredValidators) {
  LoopbackHttpServer srv;
  srv.server().Get("/feed.txt", [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("ETag", "\"v7\"");
    res.set_header("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT");
    if (req.get_header_value("If-None-Match") == "\"v7\"") {
      res.status = 304;
      return;
    }
    res.set_content("198.51.100.7\n", "text/plain");
  });
  srv.Start();
  store::SourceRecord source = Source(srv.Url("/feed.txt"));
  auto first = FetchSource(source, *http_, 1 << 20);
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->http_status, 200);
  ASSERT_EQ(first->documents.size(), 1u);
  EXPECT_EQ(first->documents[0].origin, srv.Url("/feed.txt"));
  EXPECT_EQ(first->documents[0].body, "198.51.100.7\n");
  EXPECT_EQ(first->etag, "\"v7\"");
  EXPECT_EQ(first->last_modified, "Wed, 01 Jan 2025 00:00:00 GMT");

  source.etag = first->etag;
  source.last_modified = first->last_modified;
  auto second = FetchSource(source, *http_, 1 << 20);
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_TRUE(second->not_modified);
  EXPECT_EQ(second->http_status, 304);
  EXPECT_TRUE(second->documents.empty());
  EXPECT_EQ(second->etag, "\"v7\"");
}

TEST_F(FetchTest, ErrorStatusesNameStatusAndUrl) {
  LoopbackHttpServer srv;
  std::atomic<int> failing_hits{0};
  srv.server().Get("/gone",
                   [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
  srv.server().Get("/failing", [&](const httplib::Request&, httplib::Response& res) {
    ++failing_hits;
    res.status = 500;
  });
  srv.Start();
  auto gone = FetchSource(Source(srv.Url("/gone")), *http_, 1 << 20);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNetwork);
  EXPECT_NE(gone.error().message.find("HTTP 404"), std::string::npos);
  EXPECT_NE(gone.error().message.find(srv.Url("/gone")), std::string::npos);

  auto failing = FetchSource(Source(srv.Url("/failing")), *http_, 1 << 20);
  ASSERT_FALSE(failing);
  EXPECT_EQ(failing.error().code, ErrorCode::kNetwork);
  EXPECT_NE(failing.error().message.find("HTTP 500"), std::string::npos);
  EXPECT_NE(failing.error().message.find("3 attempts"), std::string::npos);
  EXPECT_EQ(failing_hits.load(), 3);
}

TEST_F(FetchTest, HeadersOptionCarriesApiKeys) {
  LoopbackHttpServer srv;
  srv.server().Get("/keyed", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Token abc123") {
      res.status = 401;
      return;
    }
    res.set_content("evil.example\n", "text/plain");
  });
  srv.Start();
  auto without = FetchSource(Source(srv.Url("/keyed")), *http_, 1 << 20);
  ASSERT_FALSE(without);
  EXPECT_NE(without.error().message.find("\"headers\""), std::string::npos);

  auto with = FetchSource(
      Source(srv.Url("/keyed"), "plain", R"({"headers": {"Authorization": "Token abc123"}})"),
      *http_, 1 << 20);
  ASSERT_TRUE(with) << with.error().ToString();
  EXPECT_EQ(with->documents.at(0).body, "evil.example\n");
}

TEST_F(FetchTest, OptionErrorsNameTheKey) {
  TempDir dir;
  std::string path = dir.Write("list.txt", "1.2.3.4\n");
  auto taxii_key = FetchSource(Source(path, "plain", R"({"collection": "x"})"), *http_, 1 << 20);
  ASSERT_FALSE(taxii_key);
  EXPECT_EQ(taxii_key.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(taxii_key.error().message.find("'collection'"), std::string::npos);

  auto headers_on_file =
      FetchSource(Source(path, "plain", R"({"headers": {"A": "b"}})"), *http_, 1 << 20);
  ASSERT_FALSE(headers_on_file);
  EXPECT_NE(headers_on_file.error().message.find("'headers'"), std::string::npos);

  auto unknown = FetchSource(Source(path, "plain", R"({"bogus_key": 1})"), *http_, 1 << 20);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().ToString().find("bogus_key"), std::string::npos)
      << unknown.error().ToString();

  auto not_json = FetchSource(Source(path, "plain", "[1,2]"), *http_, 1 << 20);
  ASSERT_FALSE(not_json);
  EXPECT_EQ(not_json.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(FetchTest, UnsupportedSchemeIsAnError) {
  auto fetched = FetchSource(Source("ftp://example.org/list.txt"), *http_, 1 << 20);
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().code, ErrorCode::kUnsupported);
}

TEST_F(FetchTest, TotalCapAppliesToHttpBodies) {
  LoopbackHttpServer srv;
  srv.server().Get("/feed.txt", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(2048, 'a'), "application/octet-stream");
  });
  srv.Start();
  auto fetched = FetchSource(Source(srv.Url("/feed.txt")), *http_, 1024);
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().code, ErrorCode::kTooLarge);
}

json MispEvent(const std::string& uuid, const std::string& ip) {
  return {{"Event",
           {{"uuid", uuid},
            {"info", "test event"},
            {"Attribute", {{{"type", "ip-dst"}, {"value", ip}, {"to_ids", true}}}}}}};
}

// A MISP feed under /misp/: manifest.json lists two events, each served as <uuid>.json.
class MispFeedServer {
 public:
  std::atomic<bool> bad_manifest{false};
  std::atomic<bool> drop_second_event{false};

  MispFeedServer() {
    srv_.server().Get("/misp/manifest.json",
                      [this](const httplib::Request& req, httplib::Response& res) {
                        ++manifest_hits;
                        res.set_header("ETag", "\"m1\"");
                        if (req.get_header_value("If-None-Match") == "\"m1\"") {
                          res.status = 304;
                          return;
                        }
                        json manifest = {{kEvent1, {{"info", "one"}, {"timestamp", "1"}}},
                                         {kEvent2, {{"info", "two"}, {"timestamp", "2"}}}};
                        if (bad_manifest) manifest["../../etc/passwd"] = json::object();
                        res.set_content(manifest.dump(), "application/json");
                      });
    srv_.server().Get(
        R"(/misp/([0-9a-f-]+)\.json)", [this](const httplib::Request& req, httplib::Response& res) {
          std::string uuid = req.matches[1].str();
          if (uuid == kEvent1 || (uuid == kEvent2 && !drop_second_event)) {
            res.set_content(MispEvent(uuid, "203.0.113.9").dump(), "application/json");
            return;
          }
          res.status = 404;
        });
    srv_.Start();
  }
  std::string Url(std::string_view path) const { return srv_.Url(path); }
  std::atomic<int> manifest_hits{0};

 private:
  LoopbackHttpServer srv_;
};

TEST_F(FetchTest, MispFeedGivesOneDocumentPerEvent) {
  MispFeedServer misp;
  for (const std::string& url :
       {misp.Url("/misp/"), misp.Url("/misp"), misp.Url("/misp/manifest.json")}) {
    auto fetched = FetchSource(Source(url, "misp"), *http_, 1 << 20);
    ASSERT_TRUE(fetched) << url << ": " << fetched.error().ToString();
    EXPECT_EQ(fetched->http_status, 200);
    EXPECT_EQ(fetched->etag, "\"m1\"");
    ASSERT_EQ(fetched->documents.size(), 2u) << url;
    EXPECT_EQ(fetched->documents[0].origin, misp.Url("/misp/") + kEvent1 + ".json");
    EXPECT_EQ(fetched->documents[1].origin, misp.Url("/misp/") + kEvent2 + ".json");
    EXPECT_EQ(json::parse(fetched->documents[1].body)["Event"]["uuid"], kEvent2);
  }
}

TEST_F(FetchTest, MispUnchangedManifestIsNotModified) {
  MispFeedServer misp;
  store::SourceRecord source = Source(misp.Url("/misp/"), "misp");
  source.etag = "\"m1\"";
  auto fetched = FetchSource(source, *http_, 1 << 20);
  ASSERT_TRUE(fetched) << fetched.error().ToString();
  EXPECT_TRUE(fetched->not_modified);
  EXPECT_TRUE(fetched->documents.empty());
}

TEST_F(FetchTest, MispBadManifestKeyOrMissingEventFailsTheWholeFetch) {
  MispFeedServer misp;
  misp.bad_manifest = true;
  auto traversal = FetchSource(Source(misp.Url("/misp/"), "misp"), *http_, 1 << 20);
  ASSERT_FALSE(traversal);
  EXPECT_EQ(traversal.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(traversal.error().message.find("../../etc/passwd"), std::string::npos);

  misp.bad_manifest = false;
  misp.drop_second_event = true;
  auto missing = FetchSource(Source(misp.Url("/misp/"), "misp"), *http_, 1 << 20);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNetwork);
  EXPECT_NE(missing.error().message.find(std::string(kEvent2) + ".json"), std::string::npos);
}

TEST_F(FetchTest, MispFeedFromALocalDirectory) {
  TempDir dir;
  dir.Write("manifest.json", json{{kEvent1, json::object()}}.dump());
  dir.Write(std::string(kEvent1) + ".json", MispEvent(kEvent1, "192.0.2.1").dump());
  auto fetched = FetchSource(Source(dir.path(), "misp"), *http_, 1 << 20);
  ASSERT_TRUE(fetched) << fetched.error().ToString();
  ASSERT_EQ(fetched->documents.size(), 1u);
  EXPECT_EQ(fetched->documents[0].origin, dir.path() + "/" + kEvent1 + ".json");
}

}  // namespace
}  // namespace mamori::feeds
