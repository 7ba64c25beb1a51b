// Log parsing speed on one core: LineReader + parser over generated logs held in memory.
// Goal (issue 8): 500,000 nginx lines/s including 10 rules, so the nginx-combined parser alone
// should do several million lines/s. items_per_second is lines per second. Inputs come from a
// fixed seed, so runs compare like with like.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "rse/ingest/ingest.h"
#include "rse/ingest/line_reader.h"
#include "rse/ingest/log_parser.h"

namespace {

using namespace mamori::rse::ingest;

constexpr size_t kLines = 500'000;

std::string Ipv4(std::mt19937_64& rng) {
  uint64_t r = rng();
  return std::to_string(1 + (r & 0xFF) % 223) + '.' + std::to_string((r >> 8) & 0xFF) + '.' +
         std::to_string((r >> 16) & 0xFF) + '.' + std::to_string((r >> 24) & 0xFF);
}

std::string Ipv6(std::mt19937_64& rng) {
  char buf[64];
  uint64_t r = rng();
  std::snprintf(buf, sizeof buf, "2001:db8:%x:%x::%x", static_cast<unsigned>(r & 0xFFFF),
                static_cast<unsigned>((r >> 16) & 0xFFFF), static_cast<unsigned>(r >> 48));
  return buf;
}

// A realistic mix: 15% IPv6 clients, browsers' long user agents and bots' short ones, query
// strings on a third of the requests, mostly 200s with 404 scans and 401s.
std::string MakeNginxLog() {
  static constexpr std::array<std::string_view, 6> kAgents = {
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/124.0.0.0 Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
      "Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
      "curl/8.5.0",
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "python-requests/2.31.0"};
  static constexpr std::array<std::string_view, 8> kPaths = {"/",
                                                             "/index.html",
                                                             "/wp-login.php",
                                                             "/api/v1/items",
                                                             "/static/app.3f9a1c.js",
                                                             "/images/logo.png",
                                                             "/.env",
                                                             "/search"};
  static constexpr std::array<std::string_view, 5> kStatus = {"200", "200", "304", "404", "401"};
  std::mt19937_64 rng(8080);
  std::string log;
  log.reserve(kLines * 220);
  for (size_t i = 0; i < kLines; ++i) {
    uint64_t r = rng();
    log += (r % 100 < 15) ? Ipv6(rng) : Ipv4(rng);
    log += " - - [";
    char stamp[40];
    std::snprintf(stamp, sizeof stamp, "%02d/Mar/2024:%02d:%02d:%02d +0100",
                  1 + int(i / 86400) % 28, int(i / 3600) % 24, int(i / 60) % 60, int(i % 60));
    log += stamp;
    log += "] \"";
    log += (r >> 8) % 10 == 0 ? "POST " : "GET ";
    log += kPaths[(r >> 12) % kPaths.size()];
    if ((r >> 16) % 3 == 0) log += "?q=" + std::to_string(rng() % 100000) + "&page=2&sort=desc";
    log += " HTTP/1.1\" ";
    log += kStatus[(r >> 20) % kStatus.size()];
    log += ' ';
    log += std::to_string((r >> 24) % 50000);
    log += (r >> 40) % 2 ? " \"https://www.example.com/\" \"" : " \"-\" \"";
    log += kAgents[(r >> 44) % kAgents.size()];
    log += "\"\n";
  }
  return log;
}

std::string MakeAuthLog() {
  std::mt19937_64 rng(2222);
  std::string log;
  log.reserve(kLines * 110);
  for (size_t i = 0; i < kLines; ++i) {
    uint64_t r = rng();
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "Mar %2d %02d:%02d:%02d web1 ", 1 + int(i / 86400) % 28,
                  int(i / 3600) % 24, int(i / 60) % 60, int(i % 60));
    log += stamp;
    std::string ip = Ipv4(rng);
    switch (r % 6) {
      case 0:
        log += "sshd[1234]: Failed password for root from " + ip + " port 52344 ssh2";
        break;
      case 1:
        log += "sshd[1234]: Invalid user admin from " + ip + " port 4242";
        break;
      case 2:
        log += "sshd[1234]: Connection closed by authenticating user root " + ip +
               " port 4242 [preauth]";
        break;
      case 3:
        log +=
            "sshd[99]: Accepted publickey for deploy from " + ip + " port 2 ssh2: ED25519 SHA256:x";
        break;
      case 4:
        log += "CRON[5]: pam_unix(cron:session): session opened for user root";
        break;
      default:
        log += "sshd[7]: Received disconnect from " + ip + " port 3:11: Bye Bye [preauth]";
    }
    log += '\n';
  }
  return log;
}

void RunIngest(benchmark::State& state, std::string_view format, const std::string& log) {
  auto parser = MakeLogParser(format, ParserOptions{.now = 1710000000});
  if (!parser) {
    state.SkipWithError(parser.error().message.c_str());
    return;
  }
  uint64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto reader = LineReader::FromString(log);  // copying the input is not parsing
    state.ResumeTiming();
    auto stats = Ingest(*reader, **parser, [](const Event&) { return true; });
    if (!stats || stats->malformed != 0) {
      state.SkipWithError("generated log has malformed lines");
      return;
    }
    events = stats->events;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kLines));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * log.size()));
  state.counters["events"] = static_cast<double>(events);
}

void BM_NginxCombined(benchmark::State& state) {
  static const std::string log = MakeNginxLog();
  RunIngest(state, "nginx-combined", log);
}
BENCHMARK(BM_NginxCombined)->Unit(benchmark::kMillisecond);

void BM_Sshd(benchmark::State& state) {
  static const std::string log = MakeAuthLog();
  RunIngest(state, "sshd", log);
}
BENCHMARK(BM_Sshd)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
