// The response routes against a real ApiServer on loopback with a real SQLite store and a real
// Responder whose device is the blocklist-boost device (it needs no privileges).
#include "server/respond_routes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "rse/respond/boost_actuator.h"
#include "rse/respond/responder.h"
#include "server/api_server.h"
#include "server/auth/auth.h"

namespace mamori::server {
namespace {

using nlohmann::json;

class RespondRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*store::OpenSqliteStore(":memory:"));
    auto set = rse::respond::ParsePlaybooks(R"(
id: boost-review
mode: recommend
when: {rules: [scan]}
actions: [{type: blocklist_boost, value: source, duration: 1h}]
)",
                                            "p.yml");
    ASSERT_TRUE(set.errors.empty());
    rse::respond::ActuatorList devices;
    devices.push_back(std::make_unique<rse::respond::BoostActuator>());
    responder_ = std::make_unique<rse::respond::Responder>(
        *store_, clock_, std::make_shared<rse::respond::PlaybookSet>(std::move(set)),
        std::move(devices), rse::respond::ResponderOptions{});
    ASSERT_TRUE(responder_->Initialize());
    for (int i = 1; i <= 3; ++i) {
      store::DetectionRecord d;
      d.id = i;
      d.rule_id = "scan";
      d.level = "high";
      d.group_field = "source.ip";
      d.group_value = "203.0.113." + std::to_string(i);
      auto made = responder_->Handle(d);
      ASSERT_TRUE(made && made->size() == 1);
      ids_.push_back(made->front().id);
    }
    StartServer(responder_.get());
  }

  void StartServer(rse::respond::Responder* responder) {
    ServerOptions options;
    options.port = 0;
    options.responder = responder;
    server_ = std::make_unique<ApiServer>(*store_, clock_, options);
    ASSERT_TRUE(server_->Start());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
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

  std::pair<int, json> Post(const std::string& path, const httplib::Headers& who,
                            const json& body, const char* method = "POST") {
    auto res = std::string(method) == "PUT"
                   ? client_->Put(path.c_str(), who, body.dump(), "application/json")
                   : client_->Post(path.c_str(), who, body.dump(), "application/json");
    EXPECT_TRUE(res);
    return {res->status, json::parse(res->body, nullptr, false)};
  }

  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<rse::respond::Responder> responder_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::vector<int64_t> ids_;
};

TEST_F(RespondRoutesTest, ViewerReadsOperatorDecidesAdminHoldsTheKillSwitch) {
  auto viewer = As("viewer");
  auto operator_ = As("operator");
  auto admin = As("admin");
  auto listed = client_->Get("/api/v1/actions?state=proposed", viewer);
  ASSERT_EQ(listed->status, 200);
  EXPECT_EQ(json::parse(listed->body)["actions"].size(), 3u);
  EXPECT_EQ(client_->Get("/api/v1/actions?state=bogus", viewer)->status, 400);
  std::string approve = "/api/v1/actions/" + std::to_string(ids_[0]) + "/approve";
  EXPECT_EQ(Post(approve, viewer, json::object()).first, 403);

  auto [status, action] = Post(approve, operator_, {{"comment", "ok"}, {"duration_seconds", 600}});
  ASSERT_EQ(status, 200) << action.dump();
  EXPECT_EQ(action["state"], "active");
  EXPECT_EQ(action["duration_seconds"], 600);
  EXPECT_EQ(action["decided_by"], "token:operator(2)");
  EXPECT_EQ(action["comment"], "ok");
  EXPECT_EQ(Post(approve, operator_, json::object()).first, 409) << "approved twice";

  auto rejected = Post("/api/v1/actions/" + std::to_string(ids_[1]) + "/reject", operator_,
                       {{"comment", "research scanner"}});
  EXPECT_EQ(rejected.second["state"], "rejected");
  auto rolled = Post("/api/v1/actions/" + std::to_string(ids_[0]) + "/rollback", operator_, json::object());
  EXPECT_EQ(rolled.second["state"], "rolled_back");

  EXPECT_EQ(Post("/api/v1/respond/kill-switch", operator_, {{"on", true}}, "PUT").first, 403);
  auto kill = Post("/api/v1/respond/kill-switch", admin, {{"on", true}}, "PUT");
  EXPECT_EQ(kill.first, 200);
  EXPECT_TRUE(responder_->kill_switch());

  auto audit = json::parse(client_->Get("/api/v1/audit?limit=5", viewer)->body);
  EXPECT_EQ(audit["entries"][0]["action"], "kill_switch_on");
  EXPECT_EQ(audit["entries"][0]["actor"], "token:admin(3)");
  auto verify = json::parse(client_->Get("/api/v1/audit/verify", viewer)->body);
  EXPECT_EQ(verify["intact"], true);
  auto detail = json::parse(
      client_->Get(("/api/v1/actions/" + std::to_string(ids_[2])).c_str(), viewer)->body);
  EXPECT_EQ(detail["evidence"]["playbook"]["id"], "boost-review");
  EXPECT_EQ(json::parse(client_->Get("/api/v1/playbooks", viewer)->body)["playbooks"][0]["id"],
            "boost-review");
}

TEST_F(RespondRoutesTest, WithoutTheEngineDecidingAnswers503) {
  StartServer(nullptr);
  auto [status, body] = Post("/api/v1/actions/" + std::to_string(ids_[0]) + "/approve",
                             As("operator"), json::object());
  EXPECT_EQ(status, 503);
  EXPECT_NE(body["error"]["context"].get<std::string>().find("[respond] enabled"),
            std::string::npos);
}

}  // namespace
}  // namespace mamori::server
