#!/usr/bin/env python3
"""Line-to-detection latency of `mamori collect` under a sustained syslog stream (issue 8).

Starts `mamori --db TMP.db collect --input syslog-auto@udp://127.0.0.1:PORT --rules RULES --json`,
sends sshd-style syslog lines over UDP at a steady rate, and measures, for attackers that cross
the threshold of rule mamori-ssh-brute-force (count of failed logins > 5 within 10 minutes), the
time from sending the crossing (6th) failed login to the detection appearing in the store.

What the stream models (seeded: --seed, default 8):
  - ~55% accepted logins / session lines of sshd from internal addresses (10.x),
  - ~25% other programs on the same hosts (CRON, systemd, kernel, sudo, postfix "connect from"),
  - ~20% failed logins ("Failed password", "Invalid user") from many public-looking addresses,
    each address sending at most 3 of them (below the threshold: none of them may fire),
  - every --attack-interval (default 100 ms) a fresh public-looking attacker (its own address
    block, never used by the background) has sent 5 failed logins over the previous 100 ms and
    now sends the 6th: the crossing line, whose send time (CLOCK_MONOTONIC) is recorded.
Lines are RFC 3164 with priority <38> (auth.info) and the current UTC time, e.g.
  <38>Nov 30 08:00:01 web1 sshd[4123]: Failed password for root from 45.12.7.9 port 5555 ssh2
(--rfc3339 sends `2026-11-30T08:00:01.123456+00:00 web1 sshd[...]: ...` after the priority).

Sending is paced to a schedule: every millisecond the lines due by then are sent in one burst
(rate/1000 per ms); the achieved rate is reported. A separate process opens the SQLite store
read-only and polls table `detections` every --poll-ms (default 10 ms), recording when each
attacker's detection first appears; latency = appearance - send of the crossing line. The poll
interval adds up to --poll-ms to each figure. After the stream, polling continues for --drain
seconds; attackers without a detection by then are reported as missed.

Flood mode (--flood): --senders processes send as fast as they can (or at --rate in total when
--rate > 0) for --duration seconds; reports lines sent, what mamori counted as received and
dropped (queue full / by the kernel), and that mamori is still alive and exits cleanly.

Output: a human summary on stderr and, with --json-out FILE, the figures as JSON.

Usage:
  bench/collect_latency.py --mamori build/mamori --rules rules/ --rate 20000 --duration 30
  bench/collect_latency.py --mamori build/mamori --flood --senders 2 --duration 10
Needs python3 only (stdlib). Pin with taskset if wanted: mamori is started with --mamori-cpus.
"""
import argparse
import json
import math
import multiprocessing as mp
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
RULE = "mamori-ssh-brute-force"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Stamper:
    """Current-time syslog headers, formatted once per second (RFC 3164) or per call (3339)."""

    def __init__(self, rfc3339):
        self.rfc3339 = rfc3339
        self.sec = -1
        self.text = ""

    def __call__(self):
        now = time.time()
        if self.rfc3339:
            t = time.gmtime(now)
            return "<38>%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00" % (
                t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
                int((now % 1) * 1e6))
        sec = int(now)
        if sec != self.sec:
            t = time.gmtime(sec)
            self.sec = sec
            self.text = "<38>%s %2d %02d:%02d:%02d" % (MONTHS[t.tm_mon - 1], t.tm_mday, t.tm_hour,
                                                        t.tm_min, t.tm_sec)
        return self.text


def attacker_ip(k):
    # 185.220.0.0/16 onwards: never used by the background failures below.
    return "185.%d.%d.%d" % (220 + (k >> 16) % 30, (k >> 8) & 255, 1 + (k & 255) % 254)


def background_fail_ip(i):
    # 3 failures per address, addresses from 45.0.0.0/8 and 91.0.0.0/8.
    n = i // 3
    return "%d.%d.%d.%d" % (45 if (n >> 22) % 2 == 0 else 91, (n >> 14) & 255, (n >> 6) & 255,
                            1 + (n & 63) * 3)


class Background:
    def __init__(self, rng, stamp):
        self.rng = rng
        self.stamp = stamp
        self.fail_i = 0
        self.users = ["alice", "bob", "deploy", "git", "backup", "monitor", "carol", "dave"]
        self.hosts = ["web1", "web2", "db1", "mail1", "bastion"]

    def line(self):
        rng = self.rng
        x = rng.random()
        h = rng.choice(self.hosts)
        pid = rng.randint(1000, 65000)
        head = self.stamp()
        if x < 0.55:
            ip = "10.%d.%d.%d" % (rng.randint(0, 3), rng.randint(0, 255), rng.randint(2, 254))
            y = rng.random()
            u = rng.choice(self.users)
            if y < 0.4:
                return "%s %s sshd[%d]: Accepted publickey for %s from %s port %d ssh2: ED25519 SHA256:Xq3m7PfVvO0yq9TqfHqjYb1cTNy0u7n6vR2Yw7cKk4s" % (
                    head, h, pid, u, ip, rng.randint(30000, 65000))
            if y < 0.6:
                return "%s %s sshd[%d]: Accepted password for %s from %s port %d ssh2" % (
                    head, h, pid, u, ip, rng.randint(30000, 65000))
            if y < 0.8:
                return "%s %s sshd[%d]: pam_unix(sshd:session): session opened for user %s(uid=1001) by (uid=0)" % (
                    head, h, pid, u)
            return "%s %s sshd[%d]: Received disconnect from %s port %d:11: disconnected by user" % (
                head, h, pid, ip, rng.randint(30000, 65000))
        if x < 0.80:
            y = rng.random()
            if y < 0.3:
                return "%s %s CRON[%d]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)" % (head, h, pid)
            if y < 0.5:
                return "%s %s systemd[1]: Started session-%d.scope - Session %d of User deploy." % (head, h, pid, pid)
            if y < 0.7:
                return "%s %s sudo[%d]:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl reload nginx" % (head, h, pid)
            if y < 0.85:
                return "%s %s postfix/smtpd[%d]: connect from mail-ej1-f41.google.com[209.85.218.41]" % (head, h, pid)
            return "%s %s kernel: [%d.%06d] TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies." % (
                head, h, pid, rng.randint(0, 999999))
        ip = background_fail_ip(self.fail_i)
        self.fail_i += 1
        if rng.random() < 0.6:
            return "%s %s sshd[%d]: Failed password for %s from %s port %d ssh2" % (
                head, h, pid, rng.choice(["root", "admin", "ubuntu"]), ip, rng.randint(30000, 65000))
        return "%s %s sshd[%d]: Invalid user %s from %s port %d" % (
            head, h, pid, rng.choice(["oracle", "test", "pi", "postgres"]), ip, rng.randint(30000, 65000))


def failed(stamp, ip, k):
    return "%s bastion sshd[%d]: Failed password for root from %s port %d ssh2" % (
        stamp(), 20000 + k % 40000, ip, 40000 + k % 20000)


# ---------------------------------------------------------------- poller (separate process)

def poller(db, poll_ms, stop, conn):
    """Records CLOCK_MONOTONIC of the first sighting of each group_value of RULE."""
    seen = {}
    other = {}
    polls = 0
    errors = 0
    db_conn = None
    last_id = 0
    while not stop.is_set():
        t0 = time.monotonic()
        try:
            if db_conn is None:
                if os.path.exists(db):
                    db_conn = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=0.05,
                                              check_same_thread=False)
            if db_conn is not None:
                rows = db_conn.execute(
                    "SELECT id, rule_id, group_value FROM detections WHERE id > ? ORDER BY id",
                    (last_id,)).fetchall()
                now = time.monotonic()
                for rid, rule, group in rows:
                    last_id = max(last_id, rid)
                    target = seen if rule == RULE else other
                    target.setdefault(group, now)
                polls += 1
        except sqlite3.Error:
            errors += 1  # table not created yet, or busy: try again next tick
        dt = poll_ms / 1000.0 - (time.monotonic() - t0)
        if dt > 0:
            time.sleep(dt)
    conn.send({"seen": seen, "other": other, "polls": polls, "errors": errors})
    conn.close()


# ---------------------------------------------------------------- sender processes (flood)

def flood_sender(port, seed, duration, rate, rfc3339, conn):
    rng = random.Random(seed)
    stamp = Stamper(rfc3339)
    bg = Background(rng, stamp)
    bg.fail_i = seed * 10_000_000
    # Pre-build a few thousand lines and cycle through them: the sender's speed, not Python's
    # string formatting, should bound the flood.
    lines = [bg.line().encode() for _ in range(4096)]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect(("127.0.0.1", port))
    sent = errors = 0
    start = time.monotonic()
    end = start + duration
    i = 0
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if rate > 0:
            due = int((now - start) * rate)
            n = due - sent
            if n <= 0:
                time.sleep(0.0005)
                continue
        else:
            n = 256
        for _ in range(n):
            try:
                s.send(lines[i & 4095])
                sent += 1
            except OSError:
                errors += 1  # ENOBUFS/ECONNREFUSED: counted, not fatal
            i += 1
    conn.send({"sent": sent, "send_errors": errors, "seconds": time.monotonic() - start})
    conn.close()


# ---------------------------------------------------------------- mamori

def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_mamori(args, db, port, workdir):
    cmd = [args.mamori, "--db", db, "collect", "--input", "syslog-auto@udp://127.0.0.1:%d" % port,
           "--rules", args.rules, "--json"]
    if args.mamori_cpus:
        cmd = ["taskset", "-c", args.mamori_cpus] + cmd
    err_path = os.path.join(workdir, "collect.stderr")
    out_path = os.path.join(workdir, "collect.stdout")
    err = open(err_path, "w")
    out = open(out_path, "w")
    log("starting: " + " ".join(cmd))
    proc = subprocess.Popen(cmd, stdout=out, stderr=err)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("mamori collect exited early (%s); stderr:\n%s" % (
                proc.returncode, open(err_path).read()))
        if "listening for syslog" in open(err_path).read():
            return proc, out_path, err_path
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("mamori collect did not start listening within 60 s")


def stop_mamori(proc, out_path, err_path):
    alive = proc.poll() is None
    if alive:
        proc.send_signal(signal.SIGINT)
    try:
        rc = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = "killed after 60 s"
    text = open(out_path).read()
    try:
        counters = json.loads(text[text.index("{"):]) if "{" in text else {}
    except ValueError:
        counters = {"unparsed_stdout": text[-2000:]}
    return {"alive_at_end": alive, "exit_code": rc, "counters": counters,
            "stderr_tail": open(err_path).read()[-1500:]}


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    # nearest rank: the smallest value with at least p% of the values at or below it
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100.0 * len(sorted_values)) - 1))
    return sorted_values[k]


# ---------------------------------------------------------------- modes

def run_latency(args, port):
    rng = random.Random(args.seed)
    stamp = Stamper(args.rfc3339)
    bg = Background(rng, stamp)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect(("127.0.0.1", port))
    send = s.send

    per_attacker = 6
    interval = args.attack_interval
    # Attacker k sends failure j (0..5) at k*interval + j*interval/5: the 6th (crossing) at
    # (k+1)*interval, while attacker k+1 begins. Attackers start after a 1 s warm-up.
    warmup = 1.0
    n_attackers = int((args.duration - warmup) / interval) - 1
    attack_events = []
    for k in range(n_attackers):
        for j in range(per_attacker):
            attack_events.append((warmup + k * interval + j * interval / 5.0, k, j))
    attack_events.sort()
    crossing_sent = {}

    send_errors = 0
    sent = 0
    attack_sent = 0
    ai = 0
    per_ms = args.rate / 1000.0
    start = time.monotonic()
    end = start + args.duration
    tick = 0
    late_ticks = 0
    while True:
        tick += 1
        due_t = start + tick / 1000.0
        now = time.monotonic()
        if due_t > now:
            time.sleep(due_t - now)
        elif now - due_t > 0.005:
            late_ticks += 1
        if due_t >= end:
            break
        target = int(tick * per_ms)
        elapsed = due_t - start
        while ai < len(attack_events) and attack_events[ai][0] <= elapsed:
            _, k, j = attack_events[ai]
            ai += 1
            ip = attacker_ip(k)
            line = failed(stamp, ip, k * 10 + j).encode()
            t_send = time.monotonic()
            try:
                send(line)
            except OSError:
                send_errors += 1
            if j == per_attacker - 1:
                crossing_sent[ip] = t_send
            sent += 1
            attack_sent += 1
        while sent < target:
            try:
                send(bg.line().encode())
            except OSError:
                send_errors += 1
            sent += 1
    seconds = time.monotonic() - start
    return {"sent": sent, "attack_lines": attack_sent, "send_errors": send_errors,
            "seconds": seconds, "late_ticks": late_ticks, "crossing_sent": crossing_sent,
            "background_failed_addresses": (bg.fail_i + 2) // 3}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mamori", default="build/mamori")
    ap.add_argument("--rules", default="rules/")
    ap.add_argument("--rate", type=int, default=20000, help="lines/s (flood: total, 0 = unpaced)")
    ap.add_argument("--duration", type=float, default=30.0, help="seconds of sending")
    ap.add_argument("--attack-interval", type=float, default=0.1, help="seconds between attackers")
    ap.add_argument("--poll-ms", type=float, default=10.0)
    ap.add_argument("--drain", type=float, default=5.0, help="seconds to keep polling after sending")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--rfc3339", action="store_true", help="RFC 3339 timestamps instead of RFC 3164")
    ap.add_argument("--flood", action="store_true", help="flood variant (no latency figures)")
    ap.add_argument("--senders", type=int, default=2, help="flood: sender processes")
    ap.add_argument("--mamori-cpus", default="", help="taskset CPU list for mamori, e.g. 0")
    ap.add_argument("--workdir", default="", help="directory for the store and logs (default: new in /tmp)")
    ap.add_argument("--json-out", default="", help="write the figures as JSON here")
    args = ap.parse_args()

    workdir = args.workdir or tempfile.mkdtemp(prefix="mamori-latency-", dir="/tmp")
    os.makedirs(workdir, exist_ok=True)
    db = os.path.join(workdir, "collect.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    port = free_udp_port()
    proc, out_path, err_path = start_mamori(args, db, port, workdir)

    result = {"mode": "flood" if args.flood else "latency", "workdir": workdir, "port": port}
    try:
        if args.flood:
            pipes, procs = [], []
            per_sender = args.rate / args.senders if args.rate > 0 else 0
            for i in range(args.senders):
                a, b = mp.Pipe(False)
                p = mp.Process(target=flood_sender,
                               args=(port, args.seed + i, args.duration, per_sender, args.rfc3339, b))
                p.start()
                pipes.append(a)
                procs.append(p)
            reports = [c.recv() for c in pipes]
            for p in procs:
                p.join()
            sent = sum(r["sent"] for r in reports)
            secs = max(r["seconds"] for r in reports)
            result.update(sent=sent, send_errors=sum(r["send_errors"] for r in reports),
                          seconds=round(secs, 3), sent_per_second=round(sent / secs),
                          senders=args.senders)
            time.sleep(args.drain)  # let the queue drain before the final counters
        else:
            stop = mp.Event()
            a, b = mp.Pipe(False)
            pp = mp.Process(target=poller, args=(db, args.poll_ms, stop, b))
            pp.start()
            time.sleep(0.3)
            sres = run_latency(args, port)
            time.sleep(args.drain)
            stop.set()
            pres = a.recv()
            pp.join()
            crossing = sres.pop("crossing_sent")
            lat = []
            missed = []
            for ip, t in crossing.items():
                seen = pres["seen"].get(ip)
                if seen is None:
                    missed.append(ip)
                else:
                    lat.append(seen - t)
            lat.sort()
            crossing_set = set(crossing)
            false_groups = [g for g in pres["seen"] if g not in crossing_set]
            ms = lambda v: None if v is None else round(v * 1000.0, 1)
            result.update(
                sent=sres["sent"], seconds=round(sres["seconds"], 3),
                sent_per_second=round(sres["sent"] / sres["seconds"]),
                attack_lines=sres["attack_lines"], send_errors=sres["send_errors"],
                late_ticks=sres["late_ticks"], attackers=len(crossing), detected=len(lat),
                missed=len(missed), missed_examples=missed[:5],
                unexpected_detections=len(false_groups), unexpected_examples=false_groups[:5],
                other_rule_detections=len(pres["other"]),
                background_failed_addresses=sres["background_failed_addresses"],
                polls=pres["polls"], poll_errors=pres["errors"], poll_ms=args.poll_ms,
                latency_ms={"p50": ms(percentile(lat, 50)), "p95": ms(percentile(lat, 95)),
                            "p99": ms(percentile(lat, 99)), "max": ms(lat[-1] if lat else None),
                            "min": ms(lat[0] if lat else None)})
    finally:
        result["mamori"] = stop_mamori(proc, out_path, err_path)

    c = result["mamori"]["counters"]
    udp = c.get("udp", {}) if isinstance(c, dict) else {}
    result["udp"] = udp
    result["queue"] = c.get("queue", {}) if isinstance(c, dict) else {}
    inputs = c.get("inputs", []) if isinstance(c, dict) else []
    result["mamori_lines"] = sum(i.get("lines", 0) for i in inputs)
    result["mamori_events"] = sum(i.get("events", 0) for i in inputs)
    log(json.dumps({k: v for k, v in result.items() if k != "mamori"}, indent=1))
    log("mamori: alive at end %s, exit %s" % (result["mamori"]["alive_at_end"],
                                               result["mamori"]["exit_code"]))
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(result, f, indent=1)
    ok = result["mamori"]["alive_at_end"] and result["mamori"]["exit_code"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
