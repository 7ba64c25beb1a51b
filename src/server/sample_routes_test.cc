// The sample routes against a real ApiServer on loopback, a real SQLite store and a real queue
// whose worker processes are the built mamori binary (malware/worker.h), on built samples.
#include "server/sample_routes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/sha256.h"
#include "core/test_temp_dir.h"
#include "server/api_server.h"
#include "server/auth/auth.h"
#include "server/sample_queue.h"

namespace mamori::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ReadSample(const std::string& name) {
  fs::path path = fs::path(MAMORI_BINARY_DIR) / "samples" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "not built: " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class SampleRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(dir_.File("mamori.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  SampleQueueOptions QueueOptions() {
    SampleQueueOptions options;
    options.samples_dir = dir_.path() / "samples";
    options.worker.executable = fs::path(MAMORI_BINARY_DIR) / "mamori";
    options.poll_interval = std::chrono::milliseconds(100);
    return options;
  }

  // `start_queue` false: samples stay queued.
  void StartServer(bool start_queue = true, size_t max_sample_bytes = 32u << 20) {
    queue_ = std::make_unique<SampleQueue>(*store_, clock_, QueueOptions());
    if (start_queue) {
      ASSERT_TRUE(queue_->Start());
    } else {
      fs::create_directories(dir_.path() / "samples");
    }
    ServerOptions options;
    options.port = 0;
    options.samples = queue_.get();
    options.max_sample_bytes = max_sample_bytes;
    server_ = std::make_unique<ApiServer>(*store_, clock_, options);
    ASSERT_TRUE(server_->Start());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(60, 0);
  }

  httplib::Headers As(const std::string& role) {
    std::string token = *auth::NewApiToken();
    EXPECT_TRUE(store_->AddApiToken({.name = role,
                                     .token_hash = auth::SecretHash(token),
                                     .role = role,
                                     .created_by = "test",
                                     .created_at = clock_.Now()}));
    return {{"Authorization", "Bearer " + token}};
  }

  httplib::Result Submit(const std::string& bytes, const httplib::Headers& who,
                         const std::string& name = "sample.exe") {
    return client_->Post(("/api/v1/samples?name=" + name).c_str(), who, bytes,
                         "application/octet-stream");
  }

  // Polls GET /api/v1/samples/<id> until the analysis finished (generous upper bound).
  json WaitFinished(int64_t id, const httplib::Headers& who) {
    json sample;
    for (int i = 0; i < 1800; ++i) {
      auto res = client_->Get(("/api/v1/samples/" + std::to_string(id)).c_str(), who);
      EXPECT_TRUE(res && res->status == 200);
      if (!res) return sample;
      sample = json::parse(res->body);
      if (sample["status"] == "done" || sample["status"] == "failed") return sample;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "sample " << id << " not finished: " << sample.dump();
    return sample;
  }

  mamori::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SampleQueue> queue_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(SampleRoutesTest, SubmitAnalyseAndFetchTheReport) {
  StartServer();
  auto viewer = As("viewer");
  auto analyst = As("operator");
  std::string bytes = ReadSample("file_ops.x64.exe");
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(Submit(bytes, viewer)->status, 403);

  auto res = Submit(bytes, analyst, "file_ops.exe");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  json accepted = json::parse(res->body);
  int64_t id = accepted["id"];
  EXPECT_EQ(res->get_header_value("Location"), "/api/v1/samples/" + std::to_string(id));
  EXPECT_EQ(accepted["file_name"], "file_ops.exe");
  EXPECT_EQ(accepted["sha256"].get<std::string>().size(), 64u);

  json sample = WaitFinished(id, viewer);
  ASSERT_EQ(sample["status"], "done") << sample.dump();
  EXPECT_EQ(sample["report_status"], "analyzed");
  EXPECT_GT(sample["summary"]["event_kinds"]["file"].get<int>(), 0) << sample.dump();

  auto report_res = client_->Get(("/api/v1/samples/" + std::to_string(id) + "/report").c_str(), viewer);
  ASSERT_EQ(report_res->status, 200);
  json report = json::parse(report_res->body);
  EXPECT_EQ(report["sample"]["file_name"], "file_ops.exe");
  bool wrote_a_file = false;
  for (const auto& e : report["events"]) wrote_a_file |= e["kind"] == "file" && e["op"] == "write";
  EXPECT_TRUE(wrote_a_file) << report["events"].dump();

  json list = json::parse(client_->Get("/api/v1/samples?limit=10", viewer)->body);
  ASSERT_EQ(list["samples"].size(), 1u);
  EXPECT_EQ(list["samples"][0]["id"], id);
  json audit = json::parse(client_->Get("/api/v1/audit?limit=1", viewer)->body);
  EXPECT_EQ(audit["entries"][0]["action"], "sample_submit");
  EXPECT_EQ(audit["entries"][0]["target"], accepted["sha256"]);
  EXPECT_EQ(client_->Get("/api/v1/samples/999", viewer)->status, 404);
}

TEST_F(SampleRoutesTest, PlainIocListsFromTheReport) {
  StartServer();
  auto viewer = As("viewer");
  auto res = Submit(ReadSample("file_ops.x64.exe"), As("operator"), "file_ops.exe");
  ASSERT_EQ(res->status, 202) << res->body;
  json accepted = json::parse(res->body);
  std::string sha256 = accepted["sha256"];
  std::string path = "/api/v1/samples/" + std::to_string(accepted["id"].get<int64_t>()) + "/iocs";
  ASSERT_EQ(WaitFinished(accepted["id"], viewer)["status"], "done");

  auto text = client_->Get(path.c_str(), viewer);  // txt is the default
  ASSERT_EQ(text->status, 200) << text->body;
  EXPECT_EQ(text->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(text->get_header_value("Content-Disposition"),
            "attachment; filename=\"" + sha256 + ".iocs.txt\"");
  EXPECT_NE(text->body.find("# sha256\n" + sha256 + "\n"), std::string::npos) << text->body;
  EXPECT_NE(text->body.find("# file_path\n"), std::string::npos) << text->body;

  auto j = client_->Get((path + "?format=json").c_str(), viewer);
  ASSERT_EQ(j->status, 200) << j->body;
  json iocs = json::parse(j->body)["iocs"];
  EXPECT_EQ(iocs["sha256"], json::array({sha256}));
  EXPECT_FALSE(iocs["file_path"].empty()) << j->body;
  EXPECT_TRUE(iocs.contains("mutex"));

  auto csv = client_->Get((path + "?format=csv").c_str(), viewer);
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body.rfind("type,value\r\nmd5,", 0), 0u) << csv->body;
  EXPECT_NE(csv->body.find("sha256," + sha256 + "\r\n"), std::string::npos);

  auto only = client_->Get((path + "?type=sha256").c_str(), viewer);
  ASSERT_EQ(only->status, 200);
  EXPECT_EQ(only->body, sha256 + "\n");

  EXPECT_EQ(client_->Get((path + "?format=stix").c_str(), viewer)->status, 400);
  EXPECT_EQ(client_->Get((path + "?type=nothing").c_str(), viewer)->status, 400);
  EXPECT_EQ(client_->Get("/api/v1/samples/999/iocs", viewer)->status, 404);
  EXPECT_EQ(client_->Get(path.c_str())->status, 401);
}

TEST_F(SampleRoutesTest, OversizeSampleGets413) {
  StartServer(true, 4096);
  auto res = Submit(std::string(8192, 'x'), As("operator"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  // The unread body must not be parsed as the next request on this connection.
  EXPECT_EQ(res->get_header_value("Connection"), "close");
  EXPECT_NE(json::parse(res->body)["error"]["message"].get<std::string>().find("limit"),
            std::string::npos);
  EXPECT_EQ(client_->Get("/api/v1/health")->status, 200);
}

TEST_F(SampleRoutesTest, GarbageIsDoneWithStatusNotPe) {
  StartServer();
  auto viewer = As("viewer");
  auto res = Submit("this is not a Windows program", As("operator"), "notes.txt");
  ASSERT_EQ(res->status, 202) << res->body;
  json sample = WaitFinished(json::parse(res->body)["id"], viewer);
  EXPECT_EQ(sample["status"], "done");
  EXPECT_EQ(sample["report_status"], "not_pe");
  EXPECT_EQ(client_->Get("/api/v1/health")->status, 200);
}

TEST_F(SampleRoutesTest, ReportIs404UntilTheAnalysisFinished) {
  StartServer(false);
  auto viewer = As("viewer");
  auto res = Submit("MZ", As("operator"));
  ASSERT_EQ(res->status, 202) << res->body;
  std::string id = std::to_string(json::parse(res->body)["id"].get<int64_t>());
  EXPECT_EQ(json::parse(client_->Get(("/api/v1/samples/" + id).c_str(), viewer)->body)["status"],
            "queued");
  EXPECT_EQ(client_->Get(("/api/v1/samples/" + id + "/report").c_str(), viewer)->status, 404);
  EXPECT_EQ(client_->Get(("/api/v1/samples/" + id + "/iocs").c_str(), viewer)->status, 404);
}

TEST_F(SampleRoutesTest, RestartPutsRunningSamplesBackInTheQueue) {
  // A server that stopped in the middle of an analysis left this row running.
  std::string bytes = "not a PE either";
  fs::create_directories(dir_.path() / "samples");
  store::SampleRecord row;
  row.sha256 = Sha256Hex(bytes);
  row.file_name = "left.exe";
  row.size = static_cast<int64_t>(bytes.size());
  row.submitted_by = "test";
  {
    std::ofstream(dir_.path() / "samples" / row.sha256, std::ios::binary) << bytes;
  }
  auto added = store_->AddSample(row);
  ASSERT_TRUE(added);
  ASSERT_TRUE(*store_->ClaimNextSample(clock_.Now()));
  ASSERT_EQ((*store_->GetSample(added->id, false))->status, "running");

  StartServer();  // starts the queue, as `mamori serve` does
  json sample = WaitFinished(added->id, As("viewer"));
  EXPECT_EQ(sample["status"], "done");
  EXPECT_EQ(sample["report_status"], "not_pe");
}

}  // namespace
}  // namespace mamori::server
