// The collector end to end with real components: files on disk, syslog over loopback UDP/TCP,
// a SQLite store file; rules from YAML. Waits poll the store (no timing assertions).
#include "rse/collect/collector.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "rse/collect/test_files.h"

namespace mamori::rse::collect {
namespace {

using testing::Append;
using testing::TempDir;

constexpr std::string_view kRule = R"(title: SSH brute force
id: ssh-brute
level: high
detection:
  fail:
    event.action: ssh_login
    event.outcome: failure
  condition: fail | count() by source.ip > 5
  timeframe: 10m
)";

std::shared_ptr<const detect::RuleSet> Rules() {
  auto loaded = detect::ParseRules(kRule, "test.yml");
  EXPECT_TRUE(loaded.errors.empty());
  return *detect::RuleSet::Compile(std::move(loaded.rules));
}

// Lines stamped with the current time (RFC 3339, as rsyslog writes them): the collector closes
// quiet windows by the wall clock once caught up, so old times would close them early.
std::string FailedLine(const std::string& ip, int i) {
  return fmt::format("{} web1 sshd[{}]: Failed password for root from {} port {} ssh2",
                     FormatIso8601(SystemClock::Instance().Now()), 4000 + i, ip, 50000 + i);
}

// Waits (up to 20 s) until `pred` holds.
template <typename Pred>
bool WaitFor(Pred pred) {
  for (int i = 0; i < 2000; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

class CollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenSqliteStore(dir_.File("mamori.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  std::vector<store::DetectionRecord> Detections() { return *store_->ListDetections({}); }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  SystemClock& clock_ = SystemClock::Instance();
};

TEST_F(CollectorTest, FollowsAFileStoresDetectionsAndResumesAfterRestart) {
  std::string log = dir_.File("auth.log");
  std::string lines;
  for (int i = 0; i < 8; ++i) lines += FailedLine("203.0.113.7", i) + "\n";
  Append(log, lines);

  CollectorOptions options;
  options.inputs = {*ParseInputSpec("sshd@" + log)};
  options.poll_interval = std::chrono::milliseconds(20);
  options.sync_interval = std::chrono::milliseconds(20);
  {
    auto c = Collector::Start(options, Rules(), store_.get(), nullptr, clock_);
    ASSERT_TRUE(c) << c.error().ToString();
    ASSERT_TRUE(WaitFor([&] { return Detections().size() == 1; }));
    ASSERT_TRUE(WaitFor([&] { return (*c)->status().inputs[0].counts.lines == 8; }));
    (*c)->Stop();
    auto st = (*c)->status();
    EXPECT_EQ(st.inputs[0].input, "file:" + log);
    EXPECT_EQ(st.inputs[0].counts.events, 8u);
    EXPECT_EQ(st.inputs[0].detections_opened, 1);
  }
  auto d = Detections();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].group_value, "203.0.113.7");
  EXPECT_EQ(d[0].input, "file:" + log);
  auto offset = *store_->GetCollectorOffset("file:" + log);
  ASSERT_TRUE(offset);
  EXPECT_EQ(offset->offset, lines.size());

  // Restart: the ongoing detection is closed (its window was lost), and only the new line is
  // read.
  Append(log, FailedLine("198.51.100.9", 9) + "\n");
  auto c = Collector::Start(options, Rules(), store_.get(), nullptr, clock_);
  ASSERT_TRUE(c);
  ASSERT_TRUE(WaitFor([&] { return (*c)->status().inputs[0].counts.lines == 1; }));
  (*c)->Stop();
  EXPECT_EQ((*c)->status().inputs[0].counts.lines, 1u);
  store::DetectionQuery ongoing;
  ongoing.ongoing_only = true;
  EXPECT_TRUE(store_->ListDetections(ongoing)->empty());
}

TEST_F(CollectorTest, SyslogOverUdpAndTcpReachesThePipelineOfItsInput) {
  CollectorOptions options;
  options.inputs = {*ParseInputSpec("syslog-auto@udp://127.0.0.1:0"),
                    *ParseInputSpec("syslog-auto@tcp://127.0.0.1:0")};
  options.sync_interval = std::chrono::milliseconds(20);
  auto c = Collector::Start(options, Rules(), store_.get(), nullptr, clock_);
  ASSERT_TRUE(c) << c.error().ToString();
  auto st = (*c)->status();
  ASSERT_EQ(st.endpoints.size(), 2u);
  uint16_t udp_port = 0, tcp_port = 0;
  for (const auto& e : st.endpoints) (e.transport == Transport::kUdp ? udp_port : tcp_port) = e.port;

  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to.sin_port = htons(udp_port);
  int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
  for (int i = 0; i < 6; ++i) {
    std::string m = "<38>" + FailedLine("203.0.113.50", i);
    ::sendto(udp, m.data(), m.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  }
  ::close(udp);

  int tcp = ::socket(AF_INET, SOCK_STREAM, 0);
  to.sin_port = htons(tcp_port);
  ASSERT_EQ(::connect(tcp, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
  std::string stream;
  for (int i = 0; i < 6; ++i) {
    std::string m = "<38>" + FailedLine("198.51.100.60", i);
    stream += fmt::format("{} {}", m.size(), m);  // octet counting
  }
  ASSERT_EQ(::send(tcp, stream.data(), stream.size(), 0), static_cast<ssize_t>(stream.size()));
  ::close(tcp);

  ASSERT_TRUE(WaitFor([&] { return Detections().size() == 2; }));
  (*c)->Stop();
  for (const auto& d : Detections()) {
    if (d.group_value == "203.0.113.50") {
      EXPECT_TRUE(d.input.starts_with("syslog-udp:127.0.0.1:")) << d.input;
    } else {
      EXPECT_EQ(d.group_value, "198.51.100.60");
      EXPECT_TRUE(d.input.starts_with("syslog-tcp:127.0.0.1:")) << d.input;
    }
  }
}

TEST(InputSpecTest, ParsesEachSourceKindAndNamesErrors) {
  auto file = ParseInputSpec(" sshd@/var/log/auth.log ");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->transport, Transport::kFile);
  EXPECT_EQ(file->source, "/var/log/auth.log");
  auto udp = ParseInputSpec("syslog-auto@udp://[::]:5514");
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->transport, Transport::kUdp);
  EXPECT_EQ(udp->source, "[::]:5514");
  EXPECT_EQ(ParseInputSpec("nginx-combined@-")->transport, Transport::kStdin);

  auto bad_format = ParseInputSpec("nginx@/var/log/nginx/access.log");
  ASSERT_FALSE(bad_format);
  EXPECT_NE(bad_format.error().message.find("nginx-combined"), std::string::npos)
      << "names the known formats: " << bad_format.error().message;
  EXPECT_FALSE(ParseInputSpec("/var/log/auth.log"));
  EXPECT_FALSE(ParseInputSpec("sshd@udp://127.0.0.1"));
  EXPECT_FALSE(ParseInputSpec("sshd@http://x:1"));

  auto list = ParseInputSpecs("sshd@/var/log/auth.log, syslog-auto@udp://0.0.0.0:514,");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 2u);
  EXPECT_FALSE(ParseInputSpecs("sshd@/a, broken"));
}

}  // namespace
}  // namespace mamori::rse::collect
