// The webhook and EDR actuators against a cpp-httplib server on 127.0.0.1: the signature is
// checked with OpenSSL's EVP_MAC (not the code under test), the payload field by field.
#include "rse/respond/actuators/webhook_actuator.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "core/test_temp_dir.h"
#include "feeds/testing/loopback_server.h"
#include "rse/respond/actuators/testing/checks.h"

namespace mamori::rse::respond {
namespace {

using feeds::testing::LoopbackHttpServer;
using testing::Action;

constexpr UnixSeconds kNow = 1'800'000'000;

std::string ExpectedSignature(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t length = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, sizeof out,
                &length) == nullptr) {
    return "EVP_Q_mac failed";
  }
  std::string hex = "sha256=";
  for (size_t i = 0; i < length; ++i) hex += fmt::format("{:02x}", out[i]);
  return hex;
}

struct Received {
  std::string path, timestamp, signature, content_type, body;
};

class HttpActuatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* path : {"/hook", "/other", "/edr"}) {
      server_.server().Post(path, [this](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(mutex_);
        received_.push_back({req.path, req.get_header_value("X-Mamori-Timestamp"),
                             req.get_header_value("X-Mamori-Signature"),
                             req.get_header_value("Content-Type"), req.body});
        res.status = status_;
        res.set_content(status_ == 200 ? "ok" : "receiver says no", "text/plain");
      });
    }
    server_.Start();
    secret_file_ = dir_.File("secret");
    ASSERT_TRUE(WriteFileAtomically(secret_file_, "s3cret-key\n"));
    feeds::HttpOptions options;
    options.timeout = std::chrono::milliseconds(3000);
    options.retries = 1;
    http_ = feeds::MakeCurlHttpClient(options, clock_);
  }

  std::vector<Received> TakeReceived() {
    std::lock_guard lock(mutex_);
    return std::exchange(received_, {});
  }

  // Checks the signature headers of `r` against the shared secret.
  void ExpectSigned(const Received& r) {
    EXPECT_EQ(r.timestamp, std::to_string(kNow));
    EXPECT_EQ(r.signature, ExpectedSignature("s3cret-key", r.timestamp + "." + r.body));
    EXPECT_EQ(r.content_type, "application/json");
  }

  mamori::testing::TempDir dir_{"mamori-webhook"};
  LoopbackHttpServer server_;
  FakeClock clock_{kNow};
  std::shared_ptr<feeds::HttpClient> http_;
  std::string secret_file_;
  std::mutex mutex_;
  std::vector<Received> received_;
  int status_ = 200;
};

TEST_F(HttpActuatorTest, WebhookPostsTheSignedActionPayload) {
  WebhookActuator webhook({server_.Url("/hook"), secret_file_}, http_, clock_);
  EXPECT_EQ(webhook.name(), "webhook");
  EXPECT_TRUE(webhook.Supports(kNotifyWebhook));
  EXPECT_TRUE(webhook.Supports(kBlockAddress));  // a notification about any kind
  EXPECT_FALSE(webhook.Supports(kRecommendOnly));
  EXPECT_FALSE(webhook.reversible());

  store::ActionRecord action = Action(std::string(kNotifyWebhook), "webhook", "203.0.113.7", 42);
  action.detection_id = 7;
  ASSERT_TRUE(webhook.Apply(action));
  EXPECT_EQ(webhook.IsInPlace(action), true);
  std::vector<Received> got = TakeReceived();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].path, "/hook");
  ExpectSigned(got[0]);

  nlohmann::json body = nlohmann::json::parse(got[0].body);
  EXPECT_EQ(body["action_id"], 42);
  EXPECT_EQ(body["kind"], "notify_webhook");
  EXPECT_EQ(body["device"], "webhook");
  EXPECT_EQ(body["target"], "203.0.113.7");
  EXPECT_EQ(body["playbook"], "ssh-brute");
  EXPECT_EQ(body["state"], "applying");
  EXPECT_EQ(body["mode"], "auto");
  EXPECT_EQ(body["reason"], "12 failed SSH logins in 60 s");
  EXPECT_EQ(body["expected_effect"], "traffic from the target is dropped for 1 h");
  EXPECT_EQ(body["evidence"]["count"], 12);  // embedded as JSON, not as a string
  EXPECT_EQ(body["detection_id"], 7);
  EXPECT_EQ(body["duration_seconds"], 3600);
  EXPECT_EQ(body["time"], FormatIso8601(kNow));

  // A tampered body no longer matches the signature.
  EXPECT_NE(got[0].signature,
            ExpectedSignature("s3cret-key", got[0].timestamp + "." + got[0].body + " "));
}

TEST_F(HttpActuatorTest, WebhookUrlFromParamsOverridesTheConfiguredOne) {
  WebhookActuator webhook({server_.Url("/hook"), secret_file_}, http_, clock_);
  store::ActionRecord action = Action(std::string(kNotifyWebhook), "webhook", "evil.example");
  action.params_json = nlohmann::json{{"url", server_.Url("/other")}}.dump();
  ASSERT_TRUE(webhook.Apply(action));
  std::vector<Received> got = TakeReceived();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].path, "/other");
  ExpectSigned(got[0]);

  action.params_json = "[1, 2]";
  auto bad = webhook.Apply(action);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(HttpActuatorTest, NonSuccessStatusIsAnErrorWithTheStatus) {
  WebhookActuator webhook({server_.Url("/hook"), secret_file_}, http_, clock_);
  store::ActionRecord action = Action(std::string(kNotifyWebhook), "webhook", "203.0.113.7");
  status_ = 500;
  auto failed = webhook.Apply(action);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kNetwork);
  EXPECT_NE(failed.error().message.find("HTTP 500"), std::string::npos)
      << failed.error().ToString();
  EXPECT_NE(failed.error().context.find("webhook"), std::string::npos);
  EXPECT_NE(failed.error().context.find("203.0.113.7"), std::string::npos);
  EXPECT_EQ(TakeReceived().size(), 2u);  // retried once, as configured

  status_ = 403;
  failed = webhook.Apply(action);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kRejected);
  EXPECT_NE(failed.error().message.find("HTTP 403"), std::string::npos);
  EXPECT_NE(failed.error().message.find("receiver says no"), std::string::npos);
}

TEST_F(HttpActuatorTest, MissingOrEmptySecretFileIsNamed) {
  const std::string missing = dir_.File("no-such-secret");
  WebhookActuator webhook({server_.Url("/hook"), missing}, http_, clock_);
  store::ActionRecord action = Action(std::string(kNotifyWebhook), "webhook", "203.0.113.7");
  auto failed = webhook.Apply(action);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kNotFound);
  EXPECT_NE(failed.error().ToString().find(missing), std::string::npos)
      << failed.error().ToString();
  EXPECT_NE(failed.error().message.find("webhook_secret_file"), std::string::npos);

  ASSERT_TRUE(WriteFileAtomically(dir_.File("empty"), "\n"));
  WebhookActuator empty({server_.Url("/hook"), dir_.File("empty")}, http_, clock_);
  failed = empty.Apply(action);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(failed.error().ToString().find(dir_.File("empty")), std::string::npos);
  EXPECT_TRUE(TakeReceived().empty());  // nothing unsigned went out
}

TEST_F(HttpActuatorTest, EdrIsolatesAndReleasesTheHost) {
  EdrActuator edr({server_.Url("/edr"), secret_file_}, http_, clock_);
  EXPECT_EQ(edr.name(), "edr");
  EXPECT_TRUE(edr.Supports(kIsolateHost));
  EXPECT_FALSE(edr.Supports(kBlockAddress));
  EXPECT_TRUE(edr.reversible());

  store::ActionRecord action = Action(std::string(kIsolateHost), "edr", "WS-042.corp.example", 9);
  ASSERT_TRUE(edr.Apply(action));
  EXPECT_EQ(edr.IsInPlace(action), true);
  ASSERT_TRUE(edr.Revert(action));
  std::vector<Received> got = TakeReceived();
  ASSERT_EQ(got.size(), 2u);
  for (const Received& r : got) ExpectSigned(r);
  nlohmann::json isolate = nlohmann::json::parse(got[0].body);
  nlohmann::json release = nlohmann::json::parse(got[1].body);
  EXPECT_EQ(isolate["action"], "isolate");
  EXPECT_EQ(release["action"], "release");
  for (const nlohmann::json& body : {isolate, release}) {
    EXPECT_EQ(body["host"], "WS-042.corp.example");
    EXPECT_EQ(body["action_id"], 9);
    EXPECT_EQ(body["kind"], "isolate_host");
    EXPECT_EQ(body["playbook"], "ssh-brute");
  }

  ASSERT_TRUE(edr.Apply(Action(std::string(kIsolateHost), "edr", "2001:db8::5")));
  for (const char* bad : {"", "host name", "a;b", "x\ny"}) {
    auto refused = edr.Apply(Action(std::string(kIsolateHost), "edr", bad));
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  }

  status_ = 500;
  auto failed = edr.Revert(action);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("HTTP 500"), std::string::npos);
}

}  // namespace
}  // namespace mamori::rse::respond
