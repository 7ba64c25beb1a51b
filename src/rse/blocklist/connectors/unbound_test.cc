// The unbound RPZ connector against a real unbound on loopback: no internet, the "test." names
// come from a local auth-zone, the RPZ is the rendered "unbound-rpz" export, and the answers are
// checked with dig.
#include "rse/blocklist/connectors/unbound.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/atomic_file.h"
#include "rse/blocklist/connectors/subprocess.h"
#include "rse/blocklist/exporters/exporter.h"

namespace mamori::rse::blocklist {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool HaveProgram(const std::string& name) {
  auto run = connectors::RunProcess({"sh", "-c", "command -v \"$0\"", name}, 10s);
  return run && run->exit_code == 0;
}

// A port free for both TCP and UDP on 127.0.0.1 right now.
int FreePort() {
  for (int attempt = 0; attempt < 20; ++attempt) {
    int tcp = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(tcp, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(tcp, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ::close(tcp);
      continue;
    }
    int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
    bool udp_ok = ::bind(udp, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(udp);
    ::close(tcp);
    if (udp_ok) return ntohs(addr.sin_port);
  }
  return 0;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mamori-unbound-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? fs::path(pattern) : fs::path();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// `unbound -d -c CONF`, stopped (SIGTERM, then SIGKILL) when this goes out of scope.
class UnboundProcess {
 public:
  UnboundProcess(const fs::path& conf, const fs::path& log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::execlp("unbound", "unbound", "-d", "-c", conf.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~UnboundProcess() { Stop(); }
  UnboundProcess(const UnboundProcess&) = delete;
  UnboundProcess& operator=(const UnboundProcess&) = delete;

  bool Exited() {
    if (pid_ <= 0) return true;
    int status;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return true;
    }
    return false;
  }
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (Exited()) return;
      std::this_thread::sleep_for(50ms);
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

struct Answer {
  std::string status;                  // "NOERROR", "NXDOMAIN", or "" when no reply
  std::vector<std::string> addresses;  // A records of the answer section
};

Answer Dig(int port, const std::string& name) {
  Answer answer;
  auto run = connectors::RunProcess({"dig", "@127.0.0.1", "-p", std::to_string(port), "+tries=1",
                                     "+time=2", "+noall", "+comments", "+answer", name, "A"},
                                    5s);
  if (!run || run->exit_code != 0) return answer;
  std::istringstream lines(run->out);
  std::string line;
  while (std::getline(lines, line)) {
    size_t at = line.find("status: ");
    if (at != std::string::npos) {
      answer.status = line.substr(at + 8, line.find(',', at) - at - 8);
      continue;
    }
    if (line.empty() || line[0] == ';') continue;
    std::istringstream fields(line);
    std::string owner, ttl, cls, type, data;
    if (fields >> owner >> ttl >> cls >> type >> data && type == "A") {
      answer.addresses.push_back(data);
    }
  }
  return answer;
}

Blocklist ListOf(const std::vector<std::string>& values) {
  Blocklist list;
  list.profile = "resolver";
  list.built_at = 1700000000;
  for (const std::string& v : values) {
    auto n = NormalizeIndicator(v);
    EXPECT_TRUE(n.has_value()) << v << ": " << (n ? "" : n.error().ToString());
    if (!n) continue;
    BlocklistEntry e;
    e.indicator = n->indicator;
    list.entries.push_back(e);
  }
  SortCanonical(list.entries);
  return list;
}

DeviceProfile RpzProfile() {
  DeviceProfile p;
  p.name = "resolver";
  p.kind = DeviceKind::kUnboundRpz;
  p.capacity.domain = 100000;
  p.capacity.ip = 100000;
  p.rpz_zone = "rpz.mamori";
  return p;
}

class UnboundRpzTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* program : {"unbound", "unbound-control", "dig"}) {
      if (!HaveProgram(program)) GTEST_SKIP() << program << " is not installed";
    }
    ASSERT_FALSE(dir_.path().empty());
    target_.zone_file = dir_.path() / "rpz.mamori.zone";
    target_.zone = "rpz.mamori";
    target_.control_config = dir_.path() / "unbound.conf";
    target_.timeout = 10s;
    // Names under test. are served by a local zone that unbound treats as upstream data, so
    // answers go through the resolver path where RPZ applies (local-data would bypass it).
    ASSERT_TRUE(
        WriteFileAtomically(dir_.path() / "test.zone",
                            "$TTL 300\n"
                            "@ IN SOA localhost. hostmaster.localhost. 1 3600 600 86400 300\n"
                            "@ IN NS localhost.\n"
                            "allowed IN A 192.0.2.10\n"
                            "blocked IN A 192.0.2.11\n"
                            "byaddress IN A 192.0.2.12\n"));
    // The first list: blocks blocked.test by name and 192.0.2.12 by address (rpz-ip).
    auto first = Render(ListOf({"blocked.test", "192.0.2.12"}), RpzProfile());
    ASSERT_TRUE(first.has_value()) << first.error().ToString();
    first_zone_ = first->content;
    ASSERT_TRUE(WriteFileAtomically(target_.zone_file, first_zone_));

    for (int attempt = 0; attempt < 3 && port_ == 0; ++attempt) StartUnbound();
    ASSERT_NE(port_, 0) << "unbound did not answer within 10 s; its log:\n"
                        << ReadFile(dir_.path() / "unbound.log");
  }

  void StartUnbound() {
    int port = FreePort();
    int control_port = FreePort();
    if (port == 0 || control_port == 0 || port == control_port) return;
    std::string conf = fmt::format(
        "server:\n"
        "  interface: 127.0.0.1\n"
        "  port: {0}\n"
        "  do-ip6: no\n"
        "  do-daemonize: no\n"
        "  username: \"\"\n"
        "  chroot: \"\"\n"
        "  directory: \"{2}\"\n"
        "  pidfile: \"\"\n"
        "  use-syslog: no\n"
        "  logfile: \"\"\n"
        "  verbosity: 1\n"
        "  num-threads: 1\n"
        "  auto-trust-anchor-file: \"\"\n"
        "  module-config: \"respip iterator\"\n"
        "  local-zone: \"test.\" nodefault\n"
        "remote-control:\n"
        "  control-enable: yes\n"
        "  control-interface: 127.0.0.1\n"
        "  control-port: {1}\n"
        "  control-use-cert: no\n"
        "auth-zone:\n"
        "  name: \"test.\"\n"
        "  zonefile: \"{2}/test.zone\"\n"
        "  for-downstream: no\n"
        "  for-upstream: yes\n"
        "  fallback-enabled: no\n"
        "{3}",
        port, control_port, dir_.path().string(), UnboundRpzConfig(target_));
    ASSERT_TRUE(WriteFileAtomically(target_.control_config, conf));
    unbound_ =
        std::make_unique<UnboundProcess>(target_.control_config, dir_.path() / "unbound.log");
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (unbound_->Exited()) break;  // e.g. the port was taken meanwhile: try another
      if (!Dig(port, "allowed.test").status.empty()) {
        port_ = port;
        return;
      }
      std::this_thread::sleep_for(100ms);
    }
    unbound_.reset();
  }

  TempDir dir_;
  UnboundRpzTarget target_;
  std::string first_zone_;
  std::unique_ptr<UnboundProcess> unbound_;
  int port_ = 0;
};

TEST_F(UnboundRpzTest, ApplyReloadsTheZoneIntoRunningUnbound) {
  // The first list is in force.
  Answer allowed = Dig(port_, "allowed.test");
  EXPECT_EQ(allowed.status, "NOERROR");
  EXPECT_EQ(allowed.addresses, std::vector<std::string>{"192.0.2.10"});
  EXPECT_EQ(Dig(port_, "blocked.test").status, "NXDOMAIN");
  EXPECT_EQ(Dig(port_, "byaddress.test").status, "NXDOMAIN") << "rpz-ip trigger 192.0.2.12";

  // A new list that blocks allowed.test and no longer blocks blocked.test nor the address.
  UnboundRpzConnector unbound(target_);
  auto applied = unbound.ApplyList(ListOf({"allowed.test"}), RpzProfile());
  ASSERT_TRUE(applied.has_value()) << applied.error().ToString();
  EXPECT_EQ(applied->written, 1);
  EXPECT_EQ(ReadFile(target_.zone_file), applied->content);

  EXPECT_EQ(Dig(port_, "allowed.test").status, "NXDOMAIN");
  Answer blocked = Dig(port_, "blocked.test");
  EXPECT_EQ(blocked.status, "NOERROR");
  EXPECT_EQ(blocked.addresses, std::vector<std::string>{"192.0.2.11"});
  EXPECT_EQ(Dig(port_, "byaddress.test").status, "NOERROR");
}

TEST_F(UnboundRpzTest, ZoneUnboundCannotLoadLeavesThePreviousListInForce) {
  UnboundRpzConnector unbound(target_);
  auto bad = unbound.Apply("this is not ((( a zone file\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kRejected) << bad.error().ToString();
  // The previous file is back, and unbound enforces it again.
  EXPECT_EQ(ReadFile(target_.zone_file), first_zone_);
  EXPECT_EQ(Dig(port_, "blocked.test").status, "NXDOMAIN");
  EXPECT_EQ(Dig(port_, "allowed.test").status, "NOERROR");
}

TEST_F(UnboundRpzTest, ClearErrorsForWrongZoneProgramOrStoppedUnbound) {
  UnboundRpzTarget wrong_zone = target_;
  wrong_zone.zone = "rpz.other";
  auto no_zone = UnboundRpzConnector(wrong_zone).Reload();
  ASSERT_FALSE(no_zone.has_value());
  EXPECT_EQ(no_zone.error().code, ErrorCode::kNotFound) << no_zone.error().ToString();

  UnboundRpzTarget injected = target_;
  injected.zone = "rpz.mamori\nstop";
  EXPECT_EQ(UnboundRpzConnector(injected).Apply("").error().code, ErrorCode::kInvalidArgument);

  UnboundRpzTarget no_program = target_;
  no_program.control_program = "mamori-no-such-unbound-control";
  auto missing = UnboundRpzConnector(no_program).Reload();
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  unbound_->Stop();
  std::string zone = ReadFile(target_.zone_file);
  auto stopped = UnboundRpzConnector(target_).Apply(zone + "; changed\n");
  ASSERT_FALSE(stopped.has_value());
  EXPECT_EQ(stopped.error().code, ErrorCode::kNetwork) << stopped.error().ToString();
  EXPECT_EQ(ReadFile(target_.zone_file), zone) << "a failed Apply keeps the previous file";
}

TEST(UnboundRpzConfig, SnippetNamesZoneAndFile) {
  UnboundRpzTarget target;
  target.zone_file = "/var/lib/mamori/rpz.mamori.zone";
  std::string conf = UnboundRpzConfig(target);
  EXPECT_NE(conf.find("rpz:\n    name: rpz.mamori\n"), std::string::npos) << conf;
  EXPECT_NE(conf.find("zonefile: \"/var/lib/mamori/rpz.mamori.zone\""), std::string::npos);
  EXPECT_TRUE(IsUnboundZoneName("rpz.mamori."));
  EXPECT_FALSE(IsUnboundZoneName("rpz mamori"));
  EXPECT_FALSE(IsUnboundZoneName(""));
}

}  // namespace
}  // namespace mamori::rse::blocklist
