#!/usr/bin/env python3
"""Response figures of issue 11, end to end against the real binary (bench/respond_figures.sh).

Modes (each starts its own mamori on a fresh store in --workdir):

  block    detection → automatic block applied. `mamori collect --respond` follows an sshd log
           file (or, with --syslog, a syslog UDP port) with an `auto` playbook that blocks the
           source on the nftables device. For --attackers fresh documentation-range addresses
           (203.0.113.x, 198.51.100.x, 192.0.2.x), one every --interval seconds, 8 failed logins
           are written at once; latency = from the write to the poller seeing the address in the
           set inet mamori_respond mamori_block. Needs CAP_NET_ADMIN: run it in a network
           namespace (`unshare -rn` or `unshare -n`), as respond_figures.sh does.
  approve  operator approval → applied. `mamori serve` follows an sshd log with a `recommend`
           playbook; --attackers brute forces give as many proposed actions; each is approved with
           POST /api/v1/actions/ID/approve (bearer token of `mamori tokens create`); reports the
           HTTP round trip and the time from sending the request to the address being in the set.
           Same namespace needs as `block`.
  api      API latency under a fixed open-loop rate: `mamori serve` on a demo-size store
           (--detections SSH brute forces, one recommendation and one active blocklist boost per
           detection, a --indicators-entry feed), then --rate requests/s for --duration seconds
           over keep-alive connections, rotating /api/v1/health, /detections?limit=50,
           /actions?state=active, /dashboard, /indicators/<listed value> and a domain's
           /domains/<name> and /domains/<name>/category. Each request has a
           scheduled send time; its latency runs from that time (not from when a connection was
           free) to the last byte of the response, so a stall is counted for every request it
           delayed (no coordinated omission). With --keep-serving the server stays up after the
           measured run, until SIGTERM, and --info-out gets its URL, a bearer token and a console
           user (for wrk and bench/respond_console.mjs).

The poller reads the set through libnftables (ctypes, one context, `list set`) every --poll-ms
(default 5 ms), which adds up to that much to each figure. Nothing is asserted on timing; a
missing block, an approval that fails or a non-200 answer is reported (and makes the exit 1).
Output: a human summary on stderr; with --json-out FILE the figures as JSON.
"""
import argparse
import asyncio
import ctypes
import json
import math
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

ADDR_RE = re.compile(r"\d+\.\d+\.\d+\.\d+")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def percentile(values, p):
    v = sorted(values)
    if not v:
        return None
    k = max(0, min(len(v) - 1, math.ceil(p / 100.0 * len(v)) - 1))
    return v[k]


def summary_ms(values):
    r = lambda x: None if x is None else round(x * 1000.0, 1)
    return {"n": len(values), "p50": r(percentile(values, 50)), "p95": r(percentile(values, 95)),
            "p99": r(percentile(values, 99)), "max": r(max(values) if values else None),
            "min": r(min(values) if values else None)}


def doc_addresses(n):
    """Distinct documentation-range IPv4 addresses (public for mamori's safety checks)."""
    out = []
    for net in ("203.0.113", "198.51.100", "192.0.2"):
        for host in range(1, 255):
            out.append("%s.%d" % (net, host))
    if n > len(out):
        raise SystemExit("at most %d documentation addresses" % len(out))
    return out[:n]


def sshd_failed(ip, n, k=0):
    now = time.time()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%06d+00:00" % int(
        (now % 1) * 1e6)
    return "".join("%s bastion sshd[%d]: Failed password for root from %s port %d ssh2\n" % (
        stamp, 4000 + k * 10 + i, ip, 50000 + i) for i in range(n))


def syslog_failed(ip, n, k=0):
    t = time.gmtime()
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    head = "<38>%s %2d %02d:%02d:%02d" % (months[t.tm_mon - 1], t.tm_mday, t.tm_hour, t.tm_min,
                                          t.tm_sec)
    return ["%s bastion sshd[%d]: Failed password for root from %s port %d ssh2" % (
        head, 4000 + k * 10 + i, ip, 50000 + i) for i in range(n)]


# ------------------------------------------------------------------ the nftables set, polled

class NftSet:
    """`list set` through libnftables in this process: ~1 ms a call, no fork per poll."""

    def __init__(self, table="mamori_respond", set_name="mamori_block", family="inet"):
        self.lib = ctypes.CDLL("libnftables.so.1")
        self.lib.nft_ctx_new.restype = ctypes.c_void_p
        self.lib.nft_ctx_new.argtypes = [ctypes.c_uint32]
        self.lib.nft_ctx_buffer_output.argtypes = [ctypes.c_void_p]
        self.lib.nft_ctx_buffer_error.argtypes = [ctypes.c_void_p]
        self.lib.nft_run_cmd_from_buffer.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self.lib.nft_ctx_get_output_buffer.restype = ctypes.c_char_p
        self.lib.nft_ctx_get_output_buffer.argtypes = [ctypes.c_void_p]
        self.lib.nft_ctx_get_error_buffer.restype = ctypes.c_char_p
        self.lib.nft_ctx_get_error_buffer.argtypes = [ctypes.c_void_p]
        self.ctx = self.lib.nft_ctx_new(0)
        self.lib.nft_ctx_buffer_output(self.ctx)
        self.lib.nft_ctx_buffer_error(self.ctx)
        self.cmd = ("list set %s %s %s" % (family, table, set_name)).encode()

    def members(self):
        rc = self.lib.nft_run_cmd_from_buffer(self.ctx, self.cmd)
        out = self.lib.nft_ctx_get_output_buffer(self.ctx) or b""
        self.lib.nft_ctx_get_error_buffer(self.ctx)  # drain
        if rc != 0:
            return set()
        text = out.decode()
        at = text.find("elements")
        return set(ADDR_RE.findall(text[at:])) if at >= 0 else set()


class Poller(threading.Thread):
    """Records time.monotonic() of the first poll that sees each awaited address."""

    def __init__(self, nft, poll_ms):
        super().__init__(daemon=True)
        self.nft, self.poll = nft, poll_ms / 1000.0
        self.seen, self.polls = {}, 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            t0 = time.monotonic()
            members = self.nft.members()
            now = time.monotonic()
            self.polls += 1
            for ip in members:
                self.seen.setdefault(ip, now)
            dt = self.poll - (time.monotonic() - t0)
            if dt > 0:
                time.sleep(dt)


# ------------------------------------------------------------------ mamori processes

def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write_config(path, sections):
    with open(path, "w") as f:
        for name, keys in sections.items():
            f.write("[%s]\n" % name)
            for k, v in keys.items():
                f.write("%s = %s\n" % (k, json.dumps(v)))


def start(cmd, workdir, name, ready):
    err = open(os.path.join(workdir, name + ".stderr"), "w")
    out = open(os.path.join(workdir, name + ".stdout"), "w")
    log("starting: " + " ".join(cmd))
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=workdir)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("%s exited early (%s):\n%s" % (name, proc.returncode, open(err.name).read()))
        if ready():
            return proc
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("%s did not get ready within 60 s:\n%s" % (name, open(err.name).read()[-2000:]))


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        return "killed"


def mamori(args, *argv, check=True):
    cmd = [args.mamori, "--db", args.db, "--config", args.config] + list(argv)
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=args.workdir)
    if check and r.returncode != 0:
        raise SystemExit("%s: exit %d\n%s" % (" ".join(cmd), r.returncode, r.stderr[-2000:]))
    return r.stdout


def http_ready(url):
    def ready():
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return True
        except Exception:
            return False
    return ready


def file_contains(path, text):
    return lambda: os.path.exists(path) and text in open(path).read()


def nft_rules(args):
    """The admin's table (docs/respond-devices.md), so the sets exist before the first block."""
    script = """table inet mamori_respond {
  set mamori_block { type ipv4_addr; }
  set mamori_block_net { type ipv4_addr; flags interval; }
  set mamori_block_v6 { type ipv6_addr; }
  set mamori_block_v6_net { type ipv6_addr; flags interval; }
  chain input {
    type filter hook input priority filter - 10; policy accept;
    ip saddr @mamori_block drop
    ip saddr @mamori_block_net drop
  }
}
"""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=False)
    subprocess.run(["nft", "-f", "-"], input=script, text=True, check=True)


def playbook(path, mode, kind="block_address", duration="1h", extra=""):
    with open(path, "w") as f:
        f.write("id: bench-%s\nmode: %s\nwhen: {rules: [mamori-ssh-brute-force]}\nactions:\n"
                "  - {type: %s, value: source, duration: %s%s}\n" % (mode, mode, kind, duration, extra))


# ------------------------------------------------------------------ mode: block

def run_block(args):
    nft_rules(args)
    pb = os.path.join(args.workdir, "playbooks.yml")
    playbook(pb, "auto")
    auth = os.path.join(args.workdir, "auth.log")
    open(auth, "w").close()
    respond = {"playbooks": pb, "nftables_table": "mamori_respond",
               # 30/min by default: 200 attackers in ~30 s would exceed it and the rest would
               # become recommendations. Raised so every detection is blocked automatically.
               "rate_per_minute": args.rate_per_minute}
    collect = {}
    if args.sync_ms:
        collect["sync_interval_ms"] = args.sync_ms
    write_config(args.config, {"respond": respond, **({"collect": collect} if collect else {})})
    if args.syslog:
        port = free_port(socket.SOCK_DGRAM)
        source = "syslog-auto@udp://127.0.0.1:%d" % port
        ready_text = "listening for syslog"
    else:
        source = "sshd@" + auth
        ready_text = "collecting from"
    err = os.path.join(args.workdir, "collect.stderr")
    proc = start([args.mamori, "--db", args.db, "--config", args.config, "collect", "--respond",
                  "--input", source, "--rules", args.rules], args.workdir, "collect",
                 file_contains(err, ready_text))
    nft = NftSet()
    poller = Poller(nft, args.poll_ms)
    poller.start()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM) if args.syslog else None
    written = {}
    addrs = doc_addresses(args.attackers)
    rng = random.Random(args.seed)
    t_start = time.monotonic()
    with open(auth, "a") as f:
        for k, ip in enumerate(addrs):
            # Jittered spacing: the writes fall at every phase of the collector's poll and sync
            # ticks.
            due = t_start + k * args.interval + rng.uniform(0, args.interval / 2)
            dt = due - time.monotonic()
            if dt > 0:
                time.sleep(dt)
            if args.syslog:
                lines = syslog_failed(ip, 8, k)
                written[ip] = time.monotonic()
                for line in lines:
                    sock.sendto(line.encode(), ("127.0.0.1", port))
            else:
                text = sshd_failed(ip, 8, k)
                written[ip] = time.monotonic()
                f.write(text)
                f.flush()
    deadline = time.monotonic() + args.drain
    while time.monotonic() < deadline and not all(ip in poller.seen for ip in addrs):
        time.sleep(0.05)
    poller.stop.set()
    poller.join()
    rc = stop(proc)
    lat = [poller.seen[ip] - written[ip] for ip in addrs if ip in poller.seen]
    missed = [ip for ip in addrs if ip not in poller.seen]
    states = {}
    try:
        db = sqlite3.connect("file:%s?mode=ro" % args.db, uri=True)
        states = dict(db.execute("SELECT state, count(*) FROM actions GROUP BY state").fetchall())
    except sqlite3.Error as e:
        states = {"error": str(e)}
    return {"mode": "block", "input": "syslog-udp" if args.syslog else "file",
            "attackers": len(addrs), "blocked": len(lat), "missed": len(missed),
            "missed_examples": missed[:5], "interval_s": args.interval,
            "sync_interval_ms": args.sync_ms or 200, "poll_ms": args.poll_ms, "polls": poller.polls,
            "latency_ms": summary_ms(lat), "action_states": states, "collect_exit": rc,
            "ok": not missed and rc == 0}


# ------------------------------------------------------------------ mode: approve

def serve_with_token(args, sections, extra_args=()):
    write_config(args.config, sections)
    token = mamori(args, "tokens", "create", "bench", "--role", "admin").strip().split()[-1]
    port = args.port or free_port()
    url = "http://127.0.0.1:%d" % port
    proc = start([args.mamori, "--db", args.db, "--config", args.config, "serve", "--port",
                  str(port)] + list(extra_args), args.workdir, "serve",
                 http_ready(url + "/api/v1/health"))
    return proc, url, token


def api(url, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, json.loads(r.read() or b"null")


def quiet():
    return {"feeds": {"load_sample_feeds": False}, "scheduler": {"enabled": False},
            "blocklist": {"build_on_serve": False}}


def run_approve(args):
    nft_rules(args)
    pb = os.path.join(args.workdir, "playbooks.yml")
    playbook(pb, "recommend")
    auth = os.path.join(args.workdir, "auth.log")
    open(auth, "w").close()
    sections = quiet()
    sections["collect"] = {"inputs": "sshd@" + auth, "rules": args.rules}
    sections["respond"] = {"playbooks": pb, "nftables_table": "mamori_respond"}
    proc, url, token = serve_with_token(args, sections)
    addrs = doc_addresses(args.attackers)
    with open(auth, "a") as f:
        for k, ip in enumerate(addrs):
            f.write(sshd_failed(ip, 8, k))
    proposed = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(proposed) < len(addrs):
        _, rows = api(url, token, "GET", "/api/v1/actions?state=proposed&limit=1000")
        rows = rows.get("actions", rows) if isinstance(rows, dict) else rows
        proposed = {r["target"]: r["id"] for r in rows}
        time.sleep(0.2)
    nft = NftSet()
    rtt, applied, failures = [], [], []
    for ip in addrs:
        if ip not in proposed:
            failures.append("%s: no recommendation" % ip)
            continue
        t0 = time.monotonic()
        try:
            status, body = api(url, token, "POST", "/api/v1/actions/%d/approve" % proposed[ip],
                               {"comment": "bench"})
        except Exception as e:  # an HTTP error is a failure to report, not a crash
            failures.append("%s: %s" % (ip, e))
            continue
        t1 = time.monotonic()
        rtt.append(t1 - t0)
        while ip not in nft.members():
            if time.monotonic() - t0 > 10:
                failures.append("%s: not in the set 10 s after approval" % ip)
                break
            time.sleep(args.poll_ms / 1000.0)
        else:
            applied.append(time.monotonic() - t0)
        time.sleep(args.gap)
    rc = stop(proc)
    return {"mode": "approve", "approvals": len(addrs), "applied": len(applied),
            "failures": failures[:5], "failed": len(failures),
            "http_round_trip_ms": summary_ms(rtt), "request_to_in_set_ms": summary_ms(applied),
            "serve_exit": rc, "ok": not failures}


# ------------------------------------------------------------------ mode: api

def demo_store(args):
    """A demo-size store through the public CLI: a feed, SSH brute forces, and per detection a
    recommendation (block_address, proposed) and an active blocklist boost."""
    rng = random.Random(args.seed)
    write_config(args.config, quiet())
    feed = os.path.join(args.workdir, "feed.txt")
    listed = []
    with open(feed, "w") as f:
        for i in range(args.indicators):
            ip = "%d.%d.%d.%d" % (rng.choice([45, 91, 185, 193]), rng.randint(0, 255),
                                  rng.randint(0, 255), rng.randint(1, 254))
            listed.append(ip)
            f.write(ip + "\n")
    mamori(args, "feeds", "add", "bench-feed", feed, "--category", "attacks", "--reliability", "80")
    auth = os.path.join(args.workdir, "demo-auth.log")
    with open(auth, "w") as f:
        for k in range(args.detections):
            # Half of the attackers are listed by the feed.
            ip = listed[k] if k % 2 == 0 else "%d.%d.%d.%d" % (
                rng.choice([31, 62, 77, 89]), rng.randint(0, 255), rng.randint(0, 255),
                rng.randint(1, 254))
            f.write(sshd_failed(ip, 6 + k % 5, k))
    mamori(args, "ingest", auth, "--format", "sshd", "--rules", args.rules)
    pb = os.path.join(args.workdir, "playbooks")
    os.makedirs(pb, exist_ok=True)
    playbook(os.path.join(pb, "review.yml"), "recommend")
    with open(os.path.join(pb, "boost.yml"), "w") as f:
        f.write("id: bench-boost\nmode: auto\nwhen: {rules: [mamori-ssh-brute-force]}\nactions:\n"
                "  - {type: blocklist_boost, value: source, boost: 20, duration: 7d}\n")
    return listed, pb


def demo_sections(args, pb):
    sections = quiet()
    sections["respond"] = {"playbooks": pb, "nftables_table": "", "rate_per_minute": 100000}
    return sections


async def open_loop(url, token, paths, rate, duration, conns):
    host, port = url.split("//")[1].split(":")
    port = int(port)
    pool = asyncio.Queue()
    for _ in range(conns):
        pool.put_nowait(await asyncio.open_connection(host, port))
    results = []  # (path, latency s, status)

    async def read_response(reader):
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        m = re.search(rb"(?i)content-length:\s*(\d+)", head)
        if m:
            await reader.readexactly(int(m.group(1)))
        elif re.search(rb"(?i)transfer-encoding:\s*chunked", head):
            while True:
                size = int((await reader.readline()).strip(), 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        return status, bool(re.search(rb"(?i)\r\nconnection:\s*close", head))

    async def one(path, due):
        reader, writer = await pool.get()
        try:
            writer.write(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n\r\n" % (
                path, host, port, token)).encode())
            status, closing = await read_response(reader)
            results.append((path, time.monotonic() - due, status))
        except Exception:
            results.append((path, time.monotonic() - due, 0))
            closing = True
        if closing:
            # The server ends a keep-alive connection after a number of requests (cpp-httplib:
            # 5 by default): open a new one, as any client would; its cost lands on later
            # requests that wait for a connection.
            writer.close()
            pool.put_nowait(await asyncio.open_connection(host, port))
        else:
            pool.put_nowait((reader, writer))

    tasks = []
    start = time.monotonic() + 0.1
    n = int(rate * duration)
    late = 0
    for i in range(n):
        due = start + i / rate
        dt = due - time.monotonic()
        if dt > 0:
            await asyncio.sleep(dt)
        elif dt < -0.005:
            late += 1
        tasks.append(asyncio.create_task(one(paths[i % len(paths)], due)))
    await asyncio.gather(*tasks)
    return results, time.monotonic() - start, late


def run_api(args):
    listed, pb = demo_store(args)
    sections = demo_sections(args, pb)
    write_config(args.config, sections)
    # The response engine acts on the stored detections: proposals and active boosts.
    mamori(args, "respond", "run", "--since", "24h")
    # A console user (the console logs in with a session; the API load uses a bearer token).
    pw = os.path.join(args.workdir, "password.txt")
    with open(pw, "w") as f:
        f.write("bench password 11")
    mamori(args, "users", "add", "bench", "--role", "admin", "--password-file", pw)
    proc, url, token = serve_with_token(args, sections)
    counts = {}
    db = sqlite3.connect("file:%s?mode=ro" % args.db, uri=True)
    detection_id = db.execute("SELECT id FROM detections WHERE group_value = ?",
                              (listed[0],)).fetchone()[0]
    counts["detections"] = db.execute("SELECT count(*) FROM detections").fetchone()[0]
    counts["actions"] = dict(db.execute("SELECT state, count(*) FROM actions GROUP BY state").fetchall())
    counts["indicators"] = db.execute("SELECT count(*) FROM indicators").fetchone()[0]
    db.close()
    # The domain pages' two calls too (reputation score with reasons, category with the
    # countermeasure), for a DGA-looking name the store has no evidence about.
    paths = ["/api/v1/health", "/api/v1/detections?limit=50", "/api/v1/actions?state=active",
             "/api/v1/dashboard", "/api/v1/indicators/" + listed[0],
             "/api/v1/domains/xjwqpkztbnvq.com", "/api/v1/domains/xjwqpkztbnvq.com/category"]
    info = {"url": url, "token": token, "paths": paths, "store": counts, "user": "bench",
            "password": "bench password 11", "detection_id": detection_id,
            "lookup_value": listed[0]}
    # Warm-up (first queries fill SQLite's page cache), then the measured run.
    asyncio.run(open_loop(url, token, paths, args.rate, 2, args.conns))
    results, secs, late = asyncio.run(open_loop(url, token, paths, args.rate, args.duration,
                                                args.conns))
    out = {"mode": "api", "rate": args.rate, "duration_s": args.duration,
           "achieved_rate": round(len(results) / secs, 1), "late_sends": late,
           "connections": args.conns, "store": counts,
           "all_ms": summary_ms([r[1] for r in results]),
           "non_200": sum(1 for r in results if r[2] != 200), "per_path": {}}
    for p in paths:
        out["per_path"][p] = summary_ms([r[1] for r in results if r[0] == p])
    if args.keep_serving:
        # The server stays up for wrk and the console benchmark until SIGTERM; the info file
        # (URL, token, user) says it is ready.
        if args.json_out:
            json.dump(out, open(args.json_out, "w"), indent=1)
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        tmp = args.info_out + ".tmp"
        json.dump(info, open(tmp, "w"))
        os.rename(tmp, args.info_out)
        log("serving %s (details in %s); SIGTERM to stop" % (url, args.info_out))
        while not stopping.is_set() and proc.poll() is None:
            time.sleep(0.2)
    out["serve_exit"] = stop(proc)
    out["ok"] = out["non_200"] == 0
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["block", "approve", "api"])
    ap.add_argument("--mamori", default="build/mamori")
    ap.add_argument("--rules", default="rules/")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--json-out", default="")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--poll-ms", type=float, default=5.0)
    # block
    ap.add_argument("--attackers", type=int, default=200)
    ap.add_argument("--interval", type=float, default=0.15, help="block: seconds between attackers")
    ap.add_argument("--syslog", action="store_true", help="block: syslog UDP input instead of a file")
    ap.add_argument("--sync-ms", type=int, default=0, help="block: [collect] sync_interval_ms (0: default)")
    ap.add_argument("--rate-per-minute", type=int, default=100000)
    ap.add_argument("--drain", type=float, default=10.0)
    # approve
    ap.add_argument("--gap", type=float, default=0.05, help="approve: seconds between approvals")
    # api
    ap.add_argument("--detections", type=int, default=3000)
    ap.add_argument("--indicators", type=int, default=20000)
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--conns", type=int, default=8)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--keep-serving", action="store_true")
    ap.add_argument("--info-out", default="")
    args = ap.parse_args()
    args.mamori = os.path.realpath(args.mamori)
    args.rules = os.path.realpath(args.rules)
    args.workdir = os.path.realpath(args.workdir)
    os.makedirs(args.workdir, exist_ok=True)
    args.db = os.path.join(args.workdir, "mamori.db")
    args.config = os.path.join(args.workdir, "mamori.toml")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)
    result = {"block": run_block, "approve": run_approve, "api": run_api}[args.mode](args)
    log(json.dumps(result, indent=1))
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(result, f, indent=1)
    return 0 if result.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
