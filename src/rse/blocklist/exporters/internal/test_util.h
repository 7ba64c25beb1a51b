// For the exporter tests only: the small Blocklist every format's golden file is rendered from,
// profiles made in code, and running the real device tools (nft, ipset) when they exist.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "rse/blocklist/blocklist.h"
#include "rse/blocklist/profile.h"

namespace mamori::rse::blocklist::exporters::testing {

inline BlocklistEntry Entry(IndicatorType type, std::string value, double priority,
                            std::string category, std::vector<std::string> sources,
                            int64_t covered = 1, bool wildcard = false) {
  BlocklistEntry e;
  e.indicator = {type, std::move(value)};
  e.priority = priority;
  e.category = std::move(category);
  e.sources = std::move(sources);
  e.covered = covered;
  e.wildcard = wildcard;
  return e;
}

// IPv4 hosts (one inside a CIDR of the list), an aggregate CIDR, IPv6 host and network (with two
// zero runs, for the RPZ "zz" rule), domains with a wildcard and an IDN in punycode, a URL with
// characters CSV and STIX must escape, and file hashes.
inline Blocklist Fixture() {
  using T = IndicatorType;
  Blocklist list;
  list.profile = "golden";
  list.built_at = 1700000000;  // 2023-11-14T22:13:20Z
  list.entries = {
      Entry(T::kIpv4, "192.0.2.7", 91.5, "c2", {"abuse-ch", "spamhaus"}),
      Entry(T::kIpv4, "198.51.100.77", 40, "scanner", {"blocklist-de"}),
      Entry(T::kIpv4, "203.0.113.9", 55.125, "bruteforce", {"blocklist-de"}),
      Entry(T::kIpv6, "2001:db8::1", 70, "c2", {"abuse-ch"}),
      Entry(T::kCidr, "198.51.100.0/24", 180.25, "scanner", {"blocklist-de", "dshield"}, 3),
      Entry(T::kCidr, "2001:db8:0:0:1::/80", 60, "malware", {"spamhaus"}),
      Entry(T::kDomain, "c2.bad.example", 95, "c2", {"threatfox"}),
      Entry(T::kDomain, "evil.example", 80, "phishing", {"openphish", "phishtank"}, 1, true),
      Entry(T::kDomain, "xn--bcher-kva.example", 65, "phishing", {"phishtank"}),
      Entry(T::kUrl, "http://evil.example/login.php?id=1,2&n='x\"y'", 75, "phishing",
            {"openphish"}),
      Entry(T::kSha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 85,
            "ransomware", {"malwarebazaar"}),
      Entry(T::kMd5, "d41d8cd98f00b204e9800998ecf8427e", 50, "malware", {"malwarebazaar"}),
  };
  SortCanonical(list.entries);
  return list;
}

// A profile that takes every class, so the golden files show how each format handles each.
inline DeviceProfile AllClassesProfile(DeviceKind kind) {
  DeviceProfile p;
  p.name = "golden";
  p.kind = kind;
  p.capacity = {.ip = 1000, .domain = 1000, .url = 1000, .hash = 1000, .total = 0};
  p.wildcard_domains = true;
  return p;
}

inline std::string SourceDir() {
  const char* env = std::getenv("MAMORI_SOURCE_DIR");
  return env != nullptr ? env : MAMORI_SOURCE_DIR;
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The path of an executable in PATH or the sbin directories (nft and ipset live in /usr/sbin,
// which is not in every user's PATH); empty when absent.
inline std::string FindTool(const std::string& name) {
  std::string dirs = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
  dirs += ":/usr/sbin:/sbin:/usr/bin:/bin";
  std::stringstream ss(dirs);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) continue;
    std::filesystem::path p = std::filesystem::path(dir) / name;
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return {};
}

// Runs a shell command (test-controlled strings only), returning its exit code and output.
inline int RunShell(const std::string& command, std::string* output) {
  std::string full = command + " 2>&1";
  FILE* pipe = ::popen(full.c_str(), "r");
  if (pipe == nullptr) return -1;
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = ::pclose(pipe);
  if (output != nullptr) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A prefix that runs a command in a fresh network namespace, so nft/ipset can apply scripts
// without touching the host's firewall: "unshare -rn" (user + network namespace, no privileges
// needed where user namespaces are allowed) or, as root, "unshare -n". Empty when neither
// works; `probe` is a command that must succeed inside.
inline std::string NetnsPrefix(const std::string& probe) {
  std::string unshare = FindTool("unshare");
  if (unshare.empty()) return {};
  for (const char* flags : {" -rn ", " -n "}) {
    std::string prefix = unshare + flags;
    if (RunShell(prefix + probe, nullptr) == 0) return prefix;
  }
  return {};
}

// Writes `content` to a fresh file under the test temp directory and returns its path.
inline std::string WriteTemp(const std::string& name, const std::string& content) {
  std::filesystem::path p = std::filesystem::path(::testing::TempDir()) / name;
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

}  // namespace mamori::rse::blocklist::exporters::testing
