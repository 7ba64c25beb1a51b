// mamori demo setup: a seeded demonstration instance (docs/demo.md) — sample feeds and a feed with
// listing history, generated logs replayed through detection and the playbooks, an admin
// account, samples of the test corpus analysed, a simulated world of domain evidence — in one
// directory, for `make run`.
//
// The data goes through the real pipeline: feeds through the feed updater (the history source
// with a clock set back to the days of its snapshots, the only way to give it a past), logs
// through `mamori ingest --rules`, detections through `mamori respond run`, the account through
// `mamori users add`, domain evidence through `mamori sim domains` and `mamori domain ingest
// --dir`. Those are run as child processes of this binary, exactly as a user would type them,
// and printed; samples go through the sample queue `serve` runs for uploads
// (server/sample_queue.h). What the seed decides (addresses, attack sizes, times within the day,
// the domain world) is the same on every machine: draws come from sim::Rng (portable, see
// rse/blocklist/sim/random.h) and the domain simulator's own seeded generator; only "now" moves, so
// the dashboard's 24 h view shows the events.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "cli/context.h"
#include "cli/feeds_support.h"
#include "core/atomic_file.h"
#include "feeds/sample_feeds.h"
#include "rse/blocklist/connectors/subprocess.h"
#include "rse/blocklist/sim/random.h"
#include "server/auth/auth.h"
#include "server/sample_queue.h"

namespace mamori::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using rse::blocklist::sim::Rng;
using rse::blocklist::sim::StreamSeed;

constexpr int64_t kDay = 86400;
constexpr const char* kMarker = "demo.json";  // written last: a demo directory is complete

struct DemoArgs {
  std::string dir = "var/demo";
  uint64_t seed = 1;
  std::string now;  // "now" of the generated data (default: the clock)
  int port = 8080;
  bool force = false;
};

// ---------------------------------------------------------------------------------------------
// The generated world: who attacks, who is infected, what the C2 feed lists.

struct World {
  std::vector<std::string> ssh_attackers;  // more than 5 failures each: brute force
  std::string ssh_slow;                    // 2 tries: stays under the rule's threshold
  std::string sqli, xss, scanner;          // web attackers
  std::vector<std::string> web_visitors;   // ordinary clients
  std::string port_scanner, ids_attacker;
  std::string c2_address;       // listed by demo-c2 all along
  std::string c2_relisted;      // listed, delisted, listed again: what the infected host reaches
  std::string c2_domain;        // listed by demo-c2; the infected host resolves it
  std::string urlhaus_address;  // listed by the sample feed urlhaus-filter-ips
  std::string infected_host = "10.0.20.15";
  std::string second_host = "10.0.30.7";  // reached a URLhaus-listed address
  std::string web_server = "10.0.0.80", ssh_server = "10.0.0.22", resolver = "10.0.0.53";
};

// A public documentation address (RFC 5737) not drawn before.
std::string DocAddress(Rng& rng, std::set<std::string>& used) {
  static const char* kNets[] = {"203.0.113.", "198.51.100.", "192.0.2."};
  for (;;) {
    std::string a = kNets[rng.Below(3)] + std::to_string(rng.Between(2, 254));
    if (used.insert(a).second) return a;
  }
}

// The first IPv4 address of the sample feed urlhaus-filter-ips picked by the seed (the infected
// second host reaches it, so a shipped feed is seen in a detection too).
std::string PickListed(Rng& rng, const std::string& sample_dir) {
  std::ifstream in(fs::path(sample_dir) / "urlhaus-filter-ips.txt");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line) && lines.size() < 200;) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines.empty() ? "" : lines[rng.Below(lines.size())];
}

World MakeWorld(uint64_t seed, const std::string& sample_dir) {
  Rng rng(StreamSeed(seed, "world"));
  World w;
  std::set<std::string> used;
  size_t ssh = static_cast<size_t>(rng.Between(3, 5));
  for (size_t i = 0; i < ssh; ++i) w.ssh_attackers.push_back(DocAddress(rng, used));
  w.ssh_slow = DocAddress(rng, used);
  w.sqli = DocAddress(rng, used);
  w.xss = DocAddress(rng, used);
  w.scanner = DocAddress(rng, used);
  for (int i = 0; i < 6; ++i) w.web_visitors.push_back(DocAddress(rng, used));
  w.port_scanner = DocAddress(rng, used);
  w.ids_attacker = DocAddress(rng, used);
  w.c2_address = DocAddress(rng, used);
  w.c2_relisted = DocAddress(rng, used);
  static const char* kWords[] = {"update", "cdn", "sync", "telemetry", "static", "api"};
  static const char* kNames[] = {"fastpatch", "cloudmetrics", "winupd", "statsbeacon"};
  w.c2_domain = fmt::format("{}.{}-{}.example", kWords[rng.Below(6)], kNames[rng.Below(4)],
                            rng.Between(10, 99));
  w.urlhaus_address = PickListed(rng, sample_dir);
  return w;
}

// ---------------------------------------------------------------------------------------------
// Log files. Lines are generated per actor, then sorted by time (a log is written in order).

struct Line {
  int64_t micros;  // Unix microseconds
  std::string text;
};

std::tm Utc(int64_t micros) {
  time_t seconds = static_cast<time_t>(micros / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}

// "2026-11-30T08:00:10.123456+00:00" (rsyslog's RFC 3339 file format, Debian 12).
std::string SyslogTime(int64_t micros) {
  std::tm tm = Utc(micros);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+00:00", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     micros % 1'000'000);
}

// "30/Nov/2026:08:00:10 +0000" (nginx $time_local in UTC).
std::string NginxTime(int64_t micros) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm = Utc(micros);
  return fmt::format("{:02}/{}/{:04}:{:02}:{:02}:{:02} +0000", tm.tm_mday, kMonths[tm.tm_mon],
                     tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// "2026-11-30T08:00:10.123456+0000" (Suricata EVE).
std::string EveTime(int64_t micros) {
  std::string t = SyslogTime(micros);
  return t.substr(0, t.size() - 3) + "00";
}

std::string Join(std::vector<Line> lines) {
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.micros < b.micros; });
  std::string out;
  for (const auto& l : lines) out += l.text + '\n';
  return out;
}

// A time in the last `hours` hours before `now` (whole seconds plus some microseconds).
int64_t Recent(Rng& rng, int64_t now, int hours_from, int hours_to) {
  int64_t seconds = rng.Between(int64_t{hours_from} * 3600, int64_t{hours_to} * 3600);
  return (now - seconds) * 1'000'000 + static_cast<int64_t>(rng.Below(1'000'000));
}

std::string AuthLog(const World& w, uint64_t seed, int64_t now) {
  Rng rng(StreamSeed(seed, "auth.log"));
  static const char* kUsers[] = {"root",     "admin", "ubuntu", "test", "oracle",
                                 "postgres", "git",   "user",   "pi",   "deploy"};
  std::vector<Line> lines;
  int pid = 20000;
  auto failures = [&](const std::string& ip, int count, int64_t start) {
    int64_t t = start;
    for (int i = 0; i < count; ++i) {
      std::string user = kUsers[rng.Below(10)];
      bool invalid = user != "root";
      int port = static_cast<int>(rng.Between(32768, 60999));
      lines.push_back(
          {t, fmt::format("{} gw1 sshd[{}]: Failed password for {}{} from {} port {} "
                          "ssh2",
                          SyslogTime(t), ++pid, invalid ? "invalid user " : "", user, ip, port)});
      lines.push_back({t + 400'000, fmt::format("{} gw1 sshd[{}]: Connection closed by {}{} {} "
                                                "port {} [preauth]",
                                                SyslogTime(t + 400'000), pid,
                                                invalid ? "invalid user " : "authenticating user ",
                                                user, ip, port)});
      t += rng.Between(2, 25) * 1'000'000;
    }
  };
  for (const auto& ip : w.ssh_attackers) {
    failures(ip, static_cast<int>(rng.Between(8, 40)), Recent(rng, now, 1, 20));
  }
  // Two tries (each logs a failed password and a failed disconnect: 4 failures, the rule
  // needs more than 5).
  failures(w.ssh_slow, 2, Recent(rng, now, 1, 20));
  // Administrators logging in from inside, as every day.
  for (int i = 0; i < 6; ++i) {
    int64_t t = Recent(rng, now, 0, 22);
    std::string ip = fmt::format("10.0.1.{}", rng.Between(10, 30));
    lines.push_back({t, fmt::format("{} gw1 sshd[{}]: Accepted publickey for {} from {} port {} "
                                    "ssh2: ED25519 SHA256:demo{}",
                                    SyslogTime(t), ++pid, i % 2 ? "alice" : "bob", ip,
                                    rng.Between(32768, 60999), rng.Below(1000))});
  }
  return Join(std::move(lines));
}

std::string AccessLog(const World& w, uint64_t seed, int64_t now) {
  Rng rng(StreamSeed(seed, "access.log"));
  static const char* kPages[] = {"/",          "/index.html",   "/products",
                                 "/about",     "/contact",      "/css/site.css",
                                 "/js/app.js", "/img/logo.png", "/blog/2026/11"};
  static const char* kBrowsers[] = {
      "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/119.0 Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"};
  std::vector<Line> lines;
  auto request = [&](int64_t t, const std::string& ip, const std::string& url, int status,
                     const std::string& agent) {
    lines.push_back(
        {t, fmt::format("{} - - [{}] \"GET {} HTTP/1.1\" {} {} \"-\" \"{}\"", ip, NginxTime(t), url,
                        status, status == 200 ? rng.Between(300, 40000) : 153, agent)});
  };
  for (int i = 0; i < 120; ++i) {
    request(Recent(rng, now, 0, 23), w.web_visitors[rng.Below(w.web_visitors.size())],
            kPages[rng.Below(9)], 200, kBrowsers[rng.Below(3)]);
  }
  // SQL injection with sqlmap: tautologies, UNION SELECT, time-based.
  static const char* kSqli[] = {
      "/products?id=1%27%20OR%20%271%27%3D%271",
      "/products?id=1+UNION+ALL+SELECT+NULL,NULL,version()--", "/products?id=1%27+AND+SLEEP(5)--+-",
      "/products?id=-1+UNION+SELECT+table_name,2+FROM+information_schema.tables--"};
  int64_t t = Recent(rng, now, 2, 18);
  for (const char* url : kSqli) {
    request(t, w.sqli, url, 500, "sqlmap/1.7.11#stable (https://sqlmap.org)");
    t += rng.Between(1, 4) * 1'000'000;
  }
  // Reflected XSS probes.
  t = Recent(rng, now, 2, 18);
  for (const char* url : {"/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E",
                          "/search?q=%22%3E%3Csvg/onload=alert(1)%3E"}) {
    request(t, w.xss, url, 200, kBrowsers[0]);
    t += rng.Between(5, 30) * 1'000'000;
  }
  // A vulnerability scanner walking well-known paths.
  static const char* kProbes[] = {"/wp-login.php",
                                  "/.env",
                                  "/.git/config",
                                  "/phpmyadmin/",
                                  "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
                                  "/actuator/health",
                                  "/server-status",
                                  "/backup.sql",
                                  "/xmlrpc.php",
                                  "/cgi-bin/luci"};
  t = Recent(rng, now, 2, 18);
  for (const char* url : kProbes) {
    request(t, w.scanner, url, 404, "Mozilla/5.0 zgrab/0.x");
    t += static_cast<int64_t>(rng.Below(3'000'000));
  }
  return Join(std::move(lines));
}

std::string KernLog(const World& w, uint64_t seed, int64_t now) {
  Rng rng(StreamSeed(seed, "kern.log"));
  std::vector<Line> lines;
  auto drop = [&](int64_t t, const std::string& src, int port) {
    lines.push_back(
        {t, fmt::format("{} fw1 kernel: [{}.{:06}] [UFW BLOCK] IN=eth0 OUT= "
                        "MAC=00:16:3e:12:34:56:00:16:3e:65:43:21:08:00 SRC={} DST={} "
                        "LEN=44 TOS=0x00 PREC=0x00 TTL=52 ID={} PROTO=TCP SPT={} "
                        "DPT={} WINDOW=1024 RES=0x00 SYN URGP=0",
                        SyslogTime(t), 100000 + (t / 1'000'000) % 900000, rng.Below(1'000'000), src,
                        w.web_server, rng.Below(65536), rng.Between(40000, 60000), port)});
  };
  // A SYN scan of the first ports of a top-ports list, a few seconds long.
  static const int kPorts[] = {21,   22,   23,   25,   53,   80,   110,  111,  135,  139,
                               143,  443,  445,  993,  995,  1723, 3306, 3389, 5900, 8080,
                               8443, 1433, 1521, 2049, 5432, 6379, 9200, 27017};
  int64_t t = Recent(rng, now, 3, 16);
  for (int port : kPorts) {
    drop(t, w.port_scanner, port);
    t += static_cast<int64_t>(rng.Below(200'000));
  }
  // Background noise: single drops from many places, too few ports each to be a scan.
  std::set<std::string> used;
  for (int i = 0; i < 25; ++i) {
    drop(Recent(rng, now, 0, 23), DocAddress(rng, used), static_cast<int>(rng.Between(1, 9999)));
  }
  return Join(std::move(lines));
}

std::string EveLog(const World& w, uint64_t seed, int64_t now) {
  Rng rng(StreamSeed(seed, "eve.json"));
  std::vector<Line> lines;
  auto add = [&](int64_t t, json event) {
    json line = {
        {"timestamp", EveTime(t)}, {"flow_id", rng.Below(uint64_t{1} << 50)}, {"in_iface", "eth1"}};
    line.update(event);
    lines.push_back({t, line.dump()});
  };
  auto dns = [&](int64_t t, const std::string& host, const std::string& name) {
    add(t, {{"event_type", "dns"},
            {"src_ip", host},
            {"src_port", rng.Between(32768, 60999)},
            {"dest_ip", w.resolver},
            {"dest_port", 53},
            {"proto", "UDP"},
            {"dns",
             {{"type", "query"},
              {"id", rng.Below(65536)},
              {"rrname", name},
              {"rrtype", "A"},
              {"tx_id", 0}}}});
  };
  auto flow = [&](int64_t t, const std::string& src, const std::string& dst, int port,
                  const char* app) {
    add(t, {{"event_type", "flow"},
            {"src_ip", src},
            {"src_port", rng.Between(32768, 60999)},
            {"dest_ip", dst},
            {"dest_port", port},
            {"proto", "TCP"},
            {"app_proto", app},
            {"flow",
             {{"pkts_toserver", rng.Between(5, 40)},
              {"pkts_toclient", rng.Between(5, 40)},
              {"bytes_toserver", rng.Between(600, 9000)},
              {"bytes_toclient", rng.Between(600, 90000)},
              {"state", "closed"}}}});
  };
  // Ordinary traffic of the office.
  static const char* kNames[] = {"deb.debian.org", "www.wikipedia.org", "github.com",
                                 "ntp.example.net", "mail.example.org"};
  for (int i = 0; i < 40; ++i) {
    dns(Recent(rng, now, 0, 23), fmt::format("10.0.{}.{}", rng.Between(1, 40), rng.Between(2, 200)),
        kNames[rng.Below(5)]);
  }
  // The infected host: resolves its C2 name, then beacons every few minutes to the address
  // the C2 feed delisted for a while and lists again.
  int64_t t = Recent(rng, now, 2, 6);
  dns(t, w.infected_host, w.c2_domain);
  for (int i = 0; i < 6; ++i) {
    flow(t + 500'000, w.infected_host, w.c2_relisted, 443, "tls");
    t += rng.Between(240, 360) * 1'000'000;
  }
  // A second host fetched something from an address a shipped feed lists (URLhaus).
  if (!w.urlhaus_address.empty()) {
    flow(Recent(rng, now, 3, 10), w.second_host, w.urlhaus_address, 80, "http");
  }
  // IDS alerts: an exploit attempt of priority 1 from outside, and lower-priority noise.
  t = Recent(rng, now, 4, 12);
  for (int i = 0; i < 3; ++i) {
    add(t, {{"event_type", "alert"},
            {"src_ip", w.ids_attacker},
            {"src_port", rng.Between(32768, 60999)},
            {"dest_ip", w.web_server},
            {"dest_port", 443},
            {"proto", "TCP"},
            {"app_proto", "http"},
            {"alert",
             {{"action", "allowed"},
              {"gid", 1},
              {"signature_id", 2034647},
              {"rev", 2},
              {"signature", "ET EXPLOIT Apache log4j RCE Attempt (http ldap) (CVE-2021-44228)"},
              {"category", "Attempted Administrator Privilege Gain"},
              {"severity", 1}}}});
    t += rng.Between(1, 20) * 1'000'000;
  }
  for (int i = 0; i < 5; ++i) {
    add(Recent(rng, now, 0, 23), {{"event_type", "alert"},
                                  {"src_ip", w.web_visitors[rng.Below(w.web_visitors.size())]},
                                  {"src_port", rng.Between(32768, 60999)},
                                  {"dest_ip", w.web_server},
                                  {"dest_port", 80},
                                  {"proto", "TCP"},
                                  {"alert",
                                   {{"action", "allowed"},
                                    {"gid", 1},
                                    {"signature_id", 2013028},
                                    {"rev", 7},
                                    {"signature", "ET POLICY curl User-Agent Outbound"},
                                    {"category", "Attempted Information Leak"},
                                    {"severity", 3}}}});
  }
  return Join(std::move(lines));
}

// The snapshots of the "demo-c2" feed, oldest first, with the day (before now) each was taken:
// the C2 address is listed all along, the beaconing address is delisted and listed again, the
// domain joins later, some entries come and go.
std::vector<std::pair<int64_t, std::string>> C2Snapshots(const World& w, uint64_t seed,
                                                         int64_t now) {
  Rng rng(StreamSeed(seed, "demo-c2"));
  std::set<std::string> used = {w.c2_address, w.c2_relisted};
  std::vector<std::string> others;
  for (int i = 0; i < 12; ++i) others.push_back(DocAddress(rng, used));
  const int64_t times[] = {now - 14 * kDay, now - 9 * kDay, now - 5 * kDay, now - 2 * 3600};
  std::vector<std::pair<int64_t, std::string>> out;
  for (int s = 0; s < 4; ++s) {
    std::string body = fmt::format(
        "# demo-c2: command-and-control addresses and domains "
        "(generated by mamori demo setup, seed {}, snapshot {})\n",
        seed, s + 1);
    body += w.c2_address + '\n';
    if (s != 2) body += w.c2_relisted + '\n';
    if (s >= 1) body += w.c2_domain + '\n';
    for (size_t i = 0; i < others.size(); ++i) {
      // Each other entry is listed from a snapshot on and stays or leaves, by its index.
      size_t from = i % 3, until = i % 4 == 0 ? 2 : 4;
      if (static_cast<size_t>(s) >= from && static_cast<size_t>(s) < until) {
        body += others[i] + '\n';
      }
    }
    out.emplace_back(times[s], std::move(body));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Steps.

Status WriteFile(const fs::path& path, std::string_view text) {
  return WriteFileAtomically(path, text);
}

std::string TomlString(const fs::path& p) {
  std::string s = p.string();
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

// The directory holding rules/ and rules/playbooks: ./rules, else the source tree of the
// binary, else /usr/share/mamori/rules.
fs::path FindRulesDir() {
  std::error_code ec;
  if (fs::exists("rules/playbooks", ec)) return fs::absolute("rules");
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  for (fs::path p = exe.parent_path(); !ec && !p.empty() && p != p.root_path();
       p = p.parent_path()) {
    if (fs::exists(p / "rules" / "playbooks", ec)) return p / "rules";
  }
  if (fs::exists("/usr/share/mamori/rules/playbooks", ec)) return "/usr/share/mamori/rules";
  return {};
}

std::string DemoConfigText(const fs::path& dir, const fs::path& rules,
                           const std::string& sample_dir, int port) {
  std::string outbox = (dir / "outbox.txt").string();
  // email_command is split on whitespace: a path with a blank cannot be its argument.
  bool email = outbox.find_first_of(" \t") == std::string::npos;
  return fmt::format(
      "# mamori demo (docs/demo.md), written by `mamori demo setup`. Start it with\n"
      "#   mamori -c {0}/mamori.toml serve\n"
      "[server]\nport = {1}\n\n"
      "[store]\npath = {2}\n\n"
      "[feeds]\nsample_feeds_dir = {3}\n\n"
      "[blocklist]\noutput_dir = {4}\n\n"
      "[collect]\nrules = {5}\n\n"
      "# Samples submitted on the console's Samples page (and the demo's own) are kept here.\n"
      "[analysis]\nsamples_dir = {9}\n\n"
      "# Devices that work without root: no firewall (nftables needs CAP_NET_ADMIN, so automatic\n"
      "# address blocks end `failed` with \"no configured device\"), an RPZ zone file for domain\n"
      "# blocks, the blocklist builder for boosts (always there), and `tee` standing in for the\n"
      "# mail transfer agent: notification emails land in outbox.txt.\n"
      "[respond]\nplaybooks = {6}\nnftables_table = \"\"\nrpz_zone_file = {7}\n{8}",
      dir.string(), port, TomlString(dir / "mamori.db"), TomlString(sample_dir),
      TomlString(dir / "blocklists"), TomlString(rules), TomlString(rules / "playbooks"),
      TomlString(dir / "respond.rpz"),
      email ? fmt::format("email_command = \"tee -a {}\"\nemail_to = \"soc@example.org\"\n", outbox)
            : std::string(),
      TomlString(dir / "samples"));
}

// Runs this binary with the demo configuration, as a user would type the command; prints the
// command and its summary lines (those not indented).
Status RunMamori(const fs::path& config, const std::vector<std::string>& args) {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return MakeError(ErrorCode::kIo, "cannot find the mamori binary", "/proc/self/exe");
  std::vector<std::string> argv = {self.string(), "-c", config.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string shown =
      rse::blocklist::connectors::ArgvText(std::vector<std::string>(argv.begin() + 1, argv.end()));
  std::cout << "  $ mamori " << shown << '\n' << std::flush;
  MAMORI_ASSIGN_OR_RETURN(auto result,
                          rse::blocklist::connectors::RunProcess(argv, std::chrono::minutes(5)));
  std::istringstream out(result.out);
  int shown_lines = 0;
  for (std::string line; std::getline(out, line);) {
    if (line.empty() || line[0] == ' ' || ++shown_lines > 4) continue;
    std::cout << "      " << line << '\n';
  }
  if (result.exit_code != 0) {
    return MakeError(ErrorCode::kInternal, fmt::format("exit {}: {}", result.exit_code, result.err),
                     "mamori " + shown);
  }
  return Ok();
}

// Sample feeds (as `serve` adds them on its first start) and fetched now; then the demo-c2
// feed, whose four snapshots are applied by the feed updater at the times they were taken.
Status LoadFeeds(const fs::path& config, const fs::path& dir, const World& w, uint64_t seed,
                 int64_t now) {
  Context demo;
  demo.options.config_path = config.string();
  demo.options.config_given = true;
  MAMORI_ASSIGN_OR_RETURN(Config * cfg, demo.GetConfig());
  MAMORI_ASSIGN_OR_RETURN(store::Store * store, demo.GetStore());
  std::string sample_dir = feeds::FindSampleFeedsDir(cfg->feeds.sample_feeds_dir);
  if (!sample_dir.empty()) {
    MAMORI_ASSIGN_OR_RETURN(auto added, feeds::AddSampleFeeds(*store, sample_dir, now));
    std::cout << fmt::format("  sample feeds from {}: {}\n", sample_dir, added.size());
    if (RunUpdates(demo, {}, false, false) != 0) {
      return MakeError(ErrorCode::kInternal, "a sample feed did not load", sample_dir);
    }
  }

  auto snapshots = C2Snapshots(w, seed, now);
  fs::path feeds_dir = dir / "feeds";
  fs::create_directories(feeds_dir);
  for (size_t i = 0; i < snapshots.size(); ++i) {
    MAMORI_RETURN_IF_ERROR(
        WriteFile(feeds_dir / fmt::format("demo-c2.{}.txt", i + 1), snapshots[i].second));
  }
  // The source's URL is its last snapshot: the scheduler's refreshes find it unchanged.
  fs::path current = feeds_dir / "demo-c2.txt";
  MAMORI_RETURN_IF_ERROR(WriteFile(current, snapshots.back().second));
  store::SourceRecord source;
  source.name = "demo-c2";
  source.url = current.string();
  source.format = "plain";
  source.reliability = 85;
  source.default_category = "c2";
  source.refresh_seconds = static_cast<int>(kDay);
  source.license = "CC0-1.0 (generated demo data)";
  source.created_at = snapshots.front().first;
  MAMORI_ASSIGN_OR_RETURN(source, store->AddSource(source));
  FakeClock clock(snapshots.front().first);
  auto http = feeds::MakeCurlHttpClient(HttpOptionsForConfig(*cfg), clock);
  feeds::FeedUpdater updater(*store, *http, clock, UpdateOptionsForConfig(*cfg));
  for (size_t i = 0; i < snapshots.size(); ++i) {
    clock.Set(snapshots[i].first);
    MAMORI_ASSIGN_OR_RETURN(
        auto report,
        updater.Apply(source, {{fmt::format("demo-c2.{}.txt", i + 1), snapshots[i].second}}));
    if (report.status != feeds::UpdateStatus::kOk) {
      return MakeError(ErrorCode::kInternal, report.message,
                       "demo-c2 snapshot " + std::to_string(i + 1));
    }
    std::cout << fmt::format("  demo-c2 snapshot {} of {}: {} added, {} removed\n", i + 1,
                             FormatIso8601(snapshots[i].first), report.diff.added,
                             report.diff.removed);
  }
  return Ok();
}

// ---------------------------------------------------------------------------------------------
// A sample analysed (step 5): harmless programs of our own test corpus (samples/, docs/samples.md)
// go through the queue `serve` runs for the Samples page, so the console opens on finished
// reports.

// The corpus built beside this binary (<build>/samples, as tests/integration/web_samples.sh and
// `mamori samples check --corpus` expect it), else ./build/samples; empty when not built.
fs::path FindCorpusDir() {
  std::error_code ec;
  std::vector<fs::path> candidates;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path() / "samples");
  candidates.push_back(fs::absolute("build/samples", ec));
  for (const auto& dir : candidates) {
    if (fs::exists(dir / "manifest.tsv", ec)) return dir;
  }
  return {};
}

// A beacon to .invalid hosts (network IOCs) and a dropper (a dropped, started file): both only
// act inside the emulated machine.
constexpr const char* kDemoSamples[] = {"http_beacon.x64.exe", "dropper.x64.exe"};

// Submits the corpus samples to the sample queue of the demo configuration and waits for the
// worker processes to finish them. Returns the ids of the finished samples (empty, with a note
// printed, when the corpus is not built: the demo is still usable without).
Expected<std::vector<int64_t>> AnalyseSamples(const fs::path& config) {
  fs::path corpus = FindCorpusDir();
  if (corpus.empty()) {
    std::cout << "  skipped: the sample corpus is not built (no samples/manifest.tsv beside the\n"
                 "  mamori binary or in ./build; `ninja -C build samples` builds it)\n";
    return std::vector<int64_t>{};
  }
  Context demo;
  demo.options.config_path = config.string();
  demo.options.config_given = true;
  MAMORI_ASSIGN_OR_RETURN(Config * cfg, demo.GetConfig());
  MAMORI_ASSIGN_OR_RETURN(store::Store * store, demo.GetStore());
  server::SampleQueue queue(*store, SystemClock::Instance(),
                            server::SampleQueueOptionsForConfig(*cfg));
  // Started first: Start() makes the samples folder Submit() writes into.
  auto started = std::chrono::steady_clock::now();
  MAMORI_RETURN_IF_ERROR(queue.Start());
  std::vector<int64_t> ids;
  for (const char* name : kDemoSamples) {
    std::ifstream in(corpus / name, std::ios::binary);
    if (!in) {
      std::cout << fmt::format("  skipped {}: not in {}\n", name, corpus.string());
      continue;
    }
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
    // As the admin's upload on the Samples page would be recorded.
    MAMORI_ASSIGN_OR_RETURN(auto added, queue.Submit(bytes, name, "operator:admin"));
    ids.push_back(added.id);
  }
  if (ids.empty()) return ids;
  // Each analysis is bounded by the worker's own timeout ([analysis] timeout_seconds + 30 s);
  // this is only a backstop against a queue that never moves.
  auto deadline = started + std::chrono::seconds(cfg->analysis.timeout_seconds + 60) *
                                static_cast<int>(ids.size());
  std::vector<int64_t> finished;
  while (finished.size() < ids.size() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    finished.clear();
    for (int64_t id : ids) {
      MAMORI_ASSIGN_OR_RETURN(auto sample, store->GetSample(id, false));
      if (sample && (sample->status == "done" || sample->status == "failed")) {
        finished.push_back(id);
      }
    }
  }
  queue.Stop();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (int64_t id : ids) {
    MAMORI_ASSIGN_OR_RETURN(auto sample, store->GetSample(id, false));
    if (!sample) continue;
    json summary = json::parse(sample->summary_json, nullptr, false);
    std::cout << fmt::format("  sample #{} {}: {} ({}, {} events)\n", id, sample->file_name,
                             sample->status,
                             sample->error.empty() ? sample->report_status : sample->error,
                             summary.is_object() ? summary.value("events", 0) : 0);
  }
  std::cout << fmt::format("  analysed in {:.1f} s (emulated, in worker processes)\n", seconds);
  if (finished.size() < ids.size()) {
    return MakeError(ErrorCode::kTimeout, "the sample queue did not finish in time",
                     cfg->analysis.samples_dir);
  }
  return finished;
}

// ---------------------------------------------------------------------------------------------
// Domain evidence (step 6): a small simulated world of domains (docs/domain-sim.md) ending the
// day before "now", read into the store by `mamori domain ingest --dir`, so `serve` scores and
// categorizes its names.

constexpr int kWorldDomains = 2000, kWorldDays = 120;

struct DomainPicks {
  std::string dga, reregistered, popular;
};

// Names to look up, from the world's ground truth (truth.csv, sorted by name): the first DGA and
// the first re-registered name some feed listed, and the first popular site.
Expected<DomainPicks> PickDomains(const fs::path& world) {
  fs::path truth = world / "truth.csv";
  std::ifstream in(truth);
  if (!in) return MakeError(ErrorCode::kIo, "cannot read", truth.string());
  DomainPicks picks;
  std::string line;
  std::getline(in, line);  // header: domain,kind,malicious,registered_day,active_from,first_listed
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
    if (f.size() < 2) continue;
    bool listed = f.size() >= 6 && !f[5].empty();
    if (f[1] == "dga" && listed && picks.dga.empty()) picks.dga = f[0];
    if (f[1] == "reregistered" && listed && picks.reregistered.empty()) picks.reregistered = f[0];
    if (f[1] == "popular" && picks.popular.empty()) picks.popular = f[0];
  }
  if (picks.dga.empty() || picks.reregistered.empty() || picks.popular.empty()) {
    return MakeError(ErrorCode::kNotFound, "no listed DGA, re-registered or popular name",
                     truth.string());
  }
  return picks;
}

Expected<DomainPicks> LoadDomainWorld(const fs::path& config, const fs::path& dir, uint64_t seed,
                                      int64_t now) {
  fs::path world = dir / "domains";
  // Whole UTC days: the world's last day is the day before "now".
  std::string start = FormatIso8601((now / kDay - kWorldDays) * kDay).substr(0, 10);
  MAMORI_RETURN_IF_ERROR(
      RunMamori(config, {"sim", "domains", "--domains", std::to_string(kWorldDomains), "--days",
                         std::to_string(kWorldDays), "--seed", std::to_string(seed), "--start",
                         start, "--out", world.string()}));
  MAMORI_RETURN_IF_ERROR(RunMamori(config, {"domain", "ingest", "--dir", world.string()}));
  return PickDomains(world);
}

Expected<std::string> NewPassword() {
  // Random, not seeded: the seed makes the data, not the credentials.
  MAMORI_ASSIGN_OR_RETURN(std::string token, server::auth::RandomToken(12));
  std::string out;
  for (char c : token) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
  }
  return "demo-" + out.substr(0, 12);
}

void PrintLogin(const fs::path& dir, int port) {
  std::ifstream in(dir / "admin-password.txt");
  std::string password;
  std::getline(in, password);
  std::cout << fmt::format(
      "\nDemo ready in {0}\n"
      "  console   http://127.0.0.1:{1}/ui   (after `mamori -c {0}/mamori.toml serve`)\n"
      "  login     admin / {2}     (also in {0}/admin-password.txt)\n"
      "  what to look at: docs/demo.md\n",
      dir.string(), port, password);
}

bool IsEmptyDir(const fs::path& dir) {
  std::error_code ec;
  return !fs::exists(dir, ec) || fs::is_empty(dir, ec);
}

int Setup(const DemoArgs& a) {
  fs::path dir = fs::absolute(a.dir).lexically_normal();
  if (dir.has_filename() == false) dir = dir.parent_path();
  std::error_code ec;
  if (fs::exists(dir / kMarker, ec)) {
    if (!a.force) {
      std::ifstream in(dir / kMarker);
      json meta = json::parse(in, nullptr, false);
      int port = meta.is_object() ? meta.value("port", a.port) : a.port;
      std::cout << fmt::format(
          "demo already set up in {} ({}); --force makes it again with "
          "fresh times\n",
          dir.string(), meta.is_object() ? meta.value("created_at", "") : "");
      PrintLogin(dir, port);
      return 0;
    }
    // Ours (the marker says so): start again from nothing.
    for (const auto& entry : fs::directory_iterator(dir)) fs::remove_all(entry.path());
  } else if (!IsEmptyDir(dir)) {
    return Fail(Error{ErrorCode::kAlreadyExists,
                      "the directory is not empty and holds no demo: choose another --dir or "
                      "empty it",
                      dir.string()});
  }
  int64_t now = SystemClock::Instance().Now();
  if (!a.now.empty()) {
    now = ParseTimestamp(a.now);
    if (now < 0) return Fail(Error{ErrorCode::kInvalidArgument, "not a time", "--now " + a.now});
  }
  fs::path rules = FindRulesDir();
  if (rules.empty()) {
    return Fail(Error{ErrorCode::kNotFound,
                      "no rules/playbooks next to the working directory or the binary: run from "
                      "the source tree",
                      "rules"});
  }
  std::string sample_dir = feeds::FindSampleFeedsDir("data/feeds");
  if (sample_dir.empty()) {
    return Fail(
        Error{ErrorCode::kNotFound, "no sample feeds (data/feeds/sources.json)", "data/feeds"});
  }
  sample_dir = fs::absolute(sample_dir).lexically_normal().string();
  fs::create_directories(dir / "logs", ec);
  if (ec) return Fail(Error{ErrorCode::kIo, ec.message(), dir.string()});

  std::cout << fmt::format("Setting up the mamori demo in {} (seed {}, now {})\n", dir.string(),
                           a.seed, FormatIso8601(now));
  fs::path config = dir / "mamori.toml";
  World w = MakeWorld(a.seed, sample_dir);
  struct LogFile {
    const char* name;
    const char* format;
    std::string text;
  };
  std::vector<LogFile> logs = {{"auth.log", "sshd", AuthLog(w, a.seed, now)},
                               {"access.log", "nginx-combined", AccessLog(w, a.seed, now)},
                               {"kern.log", "kernel-firewall", KernLog(w, a.seed, now)},
                               {"eve.json", "suricata-eve", EveLog(w, a.seed, now)}};
  Status written = WriteFile(config, DemoConfigText(dir, rules, sample_dir, a.port));
  for (const auto& log : logs) {
    if (written) written = WriteFile(dir / "logs" / log.name, log.text);
  }
  if (!written) return Fail(written.error());

  std::cout << "1. feeds\n";
  if (auto loaded = LoadFeeds(config, dir, w, a.seed, now); !loaded) return Fail(loaded.error());

  std::cout << "2. logs through detection\n";
  for (const auto& log : logs) {
    Status ran =
        RunMamori(config, {"ingest", (dir / "logs" / log.name).string(), "--format", log.format,
                           "--rules", rules.string(), "--input", std::string("demo:") + log.name});
    if (!ran) return Fail(ran.error());
  }
  std::cout << "3. detections through the playbooks\n";
  if (Status ran = RunMamori(config, {"respond", "run", "--since", "48h"}); !ran) {
    return Fail(ran.error());
  }
  std::cout << "4. an administrator account\n";
  auto password = NewPassword();
  if (!password) return Fail(password.error());
  fs::path password_file = dir / "admin-password.txt";
  if (Status ok = WriteFile(password_file, *password + "\n"); !ok) return Fail(ok.error());
  chmod(password_file.c_str(), 0600);
  if (Status ran = RunMamori(config, {"users", "add", "admin", "--role", "admin", "--password-file",
                                      password_file.string()});
      !ran) {
    return Fail(ran.error());
  }
  std::cout << "5. a sample analysed\n";
  auto samples = AnalyseSamples(config);
  if (!samples) return Fail(samples.error());
  std::cout << "6. domain evidence\n";
  auto domains_started = std::chrono::steady_clock::now();
  auto domains = LoadDomainWorld(config, dir, a.seed, now);
  if (!domains) return Fail(domains.error());
  std::cout << fmt::format(
      "  in {:.1f} s; look these up on the console's Lookup page:\n"
      "      {:<28} a DGA name\n      {:<28} re-registered by an attacker\n"
      "      {:<28} a popular site\n",
      std::chrono::duration<double>(std::chrono::steady_clock::now() - domains_started).count(),
      domains->dga, domains->reregistered, domains->popular);
  json meta = {{"seed", a.seed},
               {"now", FormatIso8601(now)},
               {"created_at", FormatIso8601(SystemClock::Instance().Now())},
               {"port", a.port},
               {"infected_host", w.infected_host},
               {"c2_domain", w.c2_domain},
               {"c2_address", w.c2_relisted},
               {"samples", *samples},
               {"domains",
                {{"dga", domains->dga},
                 {"reregistered", domains->reregistered},
                 {"popular", domains->popular}}}};
  if (Status ok = WriteFile(dir / kMarker, meta.dump(2) + "\n"); !ok) return Fail(ok.error());
  PrintLogin(dir, a.port);
  return 0;
}

}  // namespace

void RegisterDemoCommands(CLI::App& app, Context& ctx) {
  auto* demo = AddCommand(app, "demo", "A demonstration instance with generated data");
  demo->require_subcommand(1);
  auto args = std::make_shared<DemoArgs>();
  auto* setup = AddCommand(
      *demo, "setup",
      "Make a demo instance in a directory: its mamori.toml, the sample feeds and a feed with\n"
      "two weeks of listing history, generated logs (SSH brute force, web attacks, a port scan,\n"
      "IDS alerts, an infected internal host calling a listed C2) replayed through detection\n"
      "and the playbooks, an admin account whose password is printed, two samples of the test\n"
      "corpus analysed (when it is built beside the binary) and a simulated world of domain\n"
      "evidence whose names to look up are printed. The seed fixes the data; times are relative\n"
      "to now. Does nothing when the directory already holds a demo\n"
      "(--force makes it again). What it shows: docs/demo.md. `make run` runs it.\n"
      "Examples:\n"
      "  mamori demo setup --dir var/demo && mamori -c var/demo/mamori.toml serve\n"
      "  mamori demo setup --dir /tmp/demo --seed 7 --port 9090");
  setup->add_option("--dir", args->dir, "Directory of the demo (created)")->capture_default_str();
  setup->add_option("--seed", args->seed, "Random seed of the data")->capture_default_str();
  setup->add_option("--port", args->port, "[server] port of the demo configuration")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  setup->add_option("--now", args->now,
                    "Time the data ends at (ISO 8601 or Unix seconds; default: now), for "
                    "reproducing a demo exactly");
  setup->add_flag("--force", args->force, "Remove an existing demo in --dir and make it again");
  setup->callback([&ctx, args] { ctx.exit_code = Setup(*args); });
}

}  // namespace mamori::cli
