#!/usr/bin/env bash
# Issue 8's figures, end to end and side by side in one run; `make bench` calls it from run.sh.
#   1. nginx access log (bench/gen_nginx_log.py, 1,000,000 lines) through
#      `mamori ingest --format nginx-combined --rules rules/ --no-store` (and once with the store
#      on), against `fail2ban-regex` with the access-log filters nginx-botsearch and
#      nginx-bad-request on a prefix of the same file (fail2ban is ~20x slower; F2B_LINES lines),
#      and mamori on that same prefix, all pinned to one core (taskset -c $CPU).
#   2. Suricata EVE JSON (bench/gen_eve.py, 1,000,000 events) through
#      `mamori ingest --format suricata-eve --rules rules/ --no-store`; `jq -c .` on the same file
#      as a JSON-parsing reference (not a peer: it detects nothing).
#   3. line-to-detection latency of `mamori collect` under a steady 20,000 lines/s syslog stream
#      (bench/collect_latency.py), and a UDP flood that must be counted, not crash.
# Each timed command: page cache warmed first, RUNS rounds (default 3) in which mamori and
# fail2ban-regex alternate, median wall time; CPU time (user+sys) of the median run is shown too. Prints a Markdown table; raw data in $OUT.
#
# Usage: bench/detect_figures.sh [MAMORI] [OUT]      (defaults: build/mamori, /tmp/mamori-detect)
# Generated inputs (~850 MB) go to $DATA (default /tmp/mamori-detect-data), reused across runs.
# Environment: LINES=1000000 F2B_LINES=200000 EVE_EVENTS=1000000 RUNS=3 CPU=0 SEED=8
#              LAT_SECONDS=30 LAT_RATE=20000 FLOOD_SECONDS=10 FLOOD_SENDERS=2 SKIP_LATENCY=0
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MAMORI="$(realpath "${1:-$ROOT/build/mamori}")"
OUT="${2:-/tmp/mamori-detect}"
mkdir -p "$OUT"
OUT="$(realpath "$OUT")"
RULES="$ROOT/rules/"
DATA="${DATA:-/tmp/mamori-detect-data}"
mkdir -p "$DATA"
LINES="${LINES:-1000000}"
F2B_LINES="${F2B_LINES:-200000}"
EVE_EVENTS="${EVE_EVENTS:-1000000}"
RUNS="${RUNS:-3}"
CPU="${CPU:-0}"
SEED="${SEED:-8}"
LAT_SECONDS="${LAT_SECONDS:-30}"
LAT_RATE="${LAT_RATE:-20000}"
FLOOD_SECONDS="${FLOOD_SECONDS:-10}"
FLOOD_SENDERS="${FLOOD_SENDERS:-2}"
SKIP_LATENCY="${SKIP_LATENCY:-0}"
TIMES="$OUT/detect_times.jsonl"
: >"$TIMES"
PIN=(taskset -c "$CPU")
command -v taskset >/dev/null || PIN=()

echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"

# Inputs: the generators are deterministic, so a file of the same size and seed is reused.
NGINX="$DATA/nginx-$LINES-s$SEED.log"
NGINX_PREFIX="$DATA/nginx-$F2B_LINES-of-$LINES-s$SEED.log"
EVE="$DATA/eve-$EVE_EVENTS-s$SEED.json"
[ -s "$NGINX" ] || python3 "$ROOT/bench/gen_nginx_log.py" --lines "$LINES" --seed "$SEED" -o "$NGINX"
[ -s "$NGINX_PREFIX" ] || head -n "$F2B_LINES" "$NGINX" >"$NGINX_PREFIX"
[ -s "$EVE" ] || python3 "$ROOT/bench/gen_eve.py" --events "$EVE_EVENTS" --seed "$SEED" -o "$EVE"

# timed NAME LINES CMD...: runs CMD $RUNS times after one warm-up read of the page cache,
# appends {name, lines, wall: [...], cpu: [...]} to $TIMES; stdout of the last run in $OUT/NAME.out.
# A command that needs a fresh state per run can read $PRE (a shell command run before each run).
timed() {
  local name="$1" lines="$2"
  shift 2
  python3 - "$name" "$lines" "$RUNS" "$OUT" "${PRE:-}" "$@" >>"$TIMES" <<'PY'
import json, os, resource, subprocess, sys, time
name, lines, runs, out, pre = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
cmd = sys.argv[6:]
walls, cpus, codes = [], [], []
for _ in range(runs):
    if pre:
        subprocess.run(pre, shell=True, check=True)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    with open(os.path.join(out, name + ".out"), "w") as f:
        p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    walls.append(time.monotonic() - t0)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
    codes.append(p.returncode)
print(json.dumps({"name": name, "lines": lines, "wall": walls, "cpu": cpus, "exit": codes,
                  "cmd": " ".join(cmd)}))
PY
  echo "  $name: $(tail -n1 "$TIMES" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("wall", [round(x,3) for x in d["wall"]], "exit", d["exit"])')" >&2
}

warm() { cat "$@" >/dev/null; }

ROUNDS="$RUNS"
RUNS=1  # each timed() call is one run; the rounds interleave mamori and its peer, so that the
        # other tenants' load hits both alike
HAVE_F2B=0
if command -v fail2ban-regex >/dev/null && [ -f /etc/fail2ban/filter.d/nginx-botsearch.conf ]; then
  HAVE_F2B=1
else
  echo "fail2ban-regex not installed (scripts/install-deps); skipping the peer" >&2
fi
echo "== 1. nginx access log, $LINES lines, $(ls "$RULES" | wc -l) rules in rules/, one core (cpu $CPU); 2. EVE, $EVE_EVENTS events; $ROUNDS interleaved rounds"
warm "$NGINX" "$NGINX_PREFIX" "$EVE"
for round in $(seq "$ROUNDS"); do
  echo " round $round" >&2
  timed mamori_nginx "$LINES" "${PIN[@]}" "$MAMORI" --db "$OUT/nostore.db" ingest "$NGINX" \
    --format nginx-combined --rules "$RULES" --no-store --json
  timed mamori_nginx_prefix "$F2B_LINES" "${PIN[@]}" "$MAMORI" --db "$OUT/nostore.db" ingest \
    "$NGINX_PREFIX" --format nginx-combined --rules "$RULES" --no-store --json
  if [ "$HAVE_F2B" = 1 ]; then
    for filter in nginx-botsearch nginx-bad-request; do
      [ -f "/etc/fail2ban/filter.d/$filter.conf" ] || continue
      timed "f2b_$filter" "$F2B_LINES" "${PIN[@]}" fail2ban-regex --print-no-missed "$NGINX_PREFIX" \
        "/etc/fail2ban/filter.d/$filter.conf"
    done
  fi
  PRE="rm -f $OUT/store.db $OUT/store.db-wal $OUT/store.db-shm" \
    timed mamori_nginx_store "$LINES" "${PIN[@]}" "$MAMORI" --db "$OUT/store.db" ingest "$NGINX" \
    --format nginx-combined --rules "$RULES" --json
  # Where the time goes: an empty file (process start + rule compilation), the same file parsed
  # only (no rules), and with rules but the plain-text report instead of --json.
  timed mamori_startup 0 "${PIN[@]}" "$MAMORI" --db "$OUT/nostore.db" ingest /dev/null \
    --format nginx-combined --rules "$RULES" --no-store --json
  timed mamori_nginx_parse_only "$LINES" "${PIN[@]}" "$MAMORI" --db "$OUT/nostore.db" ingest "$NGINX" \
    --format nginx-combined --json
  timed mamori_nginx_text "$LINES" "${PIN[@]}" "$MAMORI" --db "$OUT/nostore.db" ingest "$NGINX" \
    --format nginx-combined --rules "$RULES" --no-store

  timed mamori_eve "$EVE_EVENTS" "${PIN[@]}" "$MAMORI" --db "$OUT/nostore.db" ingest "$EVE" \
    --format suricata-eve --rules "$RULES" --no-store --json
  PRE="rm -f $OUT/eve-store.db $OUT/eve-store.db-wal $OUT/eve-store.db-shm" \
    timed mamori_eve_store "$EVE_EVENTS" "${PIN[@]}" "$MAMORI" --db "$OUT/eve-store.db" ingest "$EVE" \
    --format suricata-eve --rules "$RULES" --json
  timed mamori_eve_parse_only "$EVE_EVENTS" "${PIN[@]}" "$MAMORI" --db "$OUT/nostore.db" ingest "$EVE" \
    --format suricata-eve --json
done
if command -v jq >/dev/null; then
  timed jq_eve "$EVE_EVENTS" "${PIN[@]}" sh -c "jq -c . '$EVE' >/dev/null"
fi

if [ "$SKIP_LATENCY" != 1 ]; then
  echo "== 3. syslog line-to-detection latency at $LAT_RATE lines/s for $LAT_SECONDS s; flood"
  python3 "$ROOT/bench/collect_latency.py" --mamori "$MAMORI" --rules "$RULES" --rate "$LAT_RATE" \
    --duration "$LAT_SECONDS" --seed "$SEED" --workdir "$OUT/latency" \
    --json-out "$OUT/latency.json" 2>"$OUT/latency.log" || echo "latency run failed: $OUT/latency.log" >&2
  python3 "$ROOT/bench/collect_latency.py" --mamori "$MAMORI" --rules "$RULES" --flood --rate 0 \
    --senders "$FLOOD_SENDERS" --duration "$FLOOD_SECONDS" --seed "$SEED" --workdir "$OUT/flood" \
    --json-out "$OUT/flood.json" 2>"$OUT/flood.log" || echo "flood run failed: $OUT/flood.log" >&2
fi

echo
python3 - "$OUT" "$DATA" "$ROOT" <<'PY'
import json, os, re, statistics, sys
out, data, root = sys.argv[1], sys.argv[2], sys.argv[3] + "/"
runs = {}
for line in open(os.path.join(out, "detect_times.jsonl")):
    d = json.loads(line)
    # A run that failed (exit other than 0, or 2 = some malformed lines) is not timed; the table
    # says how many failed.
    keep = [i for i, e in enumerate(d["exit"]) if e in (0, 2)]
    d["failed"] = len(d["exit"]) - len(keep)
    for k in ("wall", "cpu", "exit"):
        d[k] = [d[k][i] for i in keep]
    if d["name"] in runs:
        runs[d["name"]]["failed"] += d["failed"]
        for k in ("wall", "cpu", "exit"):
            runs[d["name"]][k] += d[k]
    else:
        runs[d["name"]] = d

def med(name):
    d = runs.get(name)
    if not d or not d["wall"]:
        return None
    walls = d["wall"]
    m = statistics.median(walls)
    cpu = d["cpu"][walls.index(min(walls, key=lambda w: abs(w - m)))]
    return {"wall": m, "cpu": cpu, "lines": d["lines"], "rate": d["lines"] / m, "cmd": d["cmd"],
            "failed": d["failed"], "runs": len(walls)}

def counts(name):
    """events and detections from mamori's --json output of the last run."""
    try:
        text = open(os.path.join(out, name + ".out")).read()
        j = json.loads(text[text.index("{"):])
    except (OSError, ValueError):
        return ""
    d = j.get("detection")
    if not d:
        return "%s events" % format(j.get("events", 0), ",")
    det = d.get("detections")
    n = len(det) if isinstance(det, list) else det if isinstance(det, int) else "?"
    return "%s events, %s matched a rule, %s detections" % (
        format(j.get("events", 0), ","), format(d.get("matched_events", 0), ","), format(n, ","))

def f2b_matched(name):
    try:
        m = re.search(r"Lines: (\d+) lines, \d+ ignored, (\d+) matched", open(os.path.join(out, name + ".out")).read())
        return "%s of %s lines matched" % (format(int(m.group(2)), ","), format(int(m.group(1)), ","))
    except (OSError, AttributeError):
        return ""

def row(what, name, goal="", note="", unit="lines/s"):
    r = med(name)
    if not r:
        return
    if r["failed"]:
        note += " **%d run(s) failed, median of %d**" % (r["failed"], r["runs"])
    cmd = r["cmd"].replace(data, "$DATA").replace(out, "$OUT").replace(root, "")
    print("| %s | %s | **%s %s** | %.2f s (CPU %.2f s) | %s | `%s` |" % (
        what, goal, format(round(r["rate"]), ","), unit, r["wall"], r["cpu"], note, cmd))

print("| what | goal | median rate | median wall | notes | command |")
print("|---|---|---|---|---|---|")
row("mamori, nginx, %s lines, rules/, --no-store" % format(med("mamori_nginx")["lines"], ","),
    "mamori_nginx", "≥ 500,000 lines/s", counts("mamori_nginx"))
row("mamori, same, store on (fresh store)", "mamori_nginx_store", "", counts("mamori_nginx_store"))
row("diagnostic: same file, parse only (no --rules)", "mamori_nginx_parse_only", "", counts("mamori_nginx_parse_only"))
row("diagnostic: same file, rules/, --no-store, text report instead of --json", "mamori_nginx_text")
st = med("mamori_startup")
if st:
    print("| diagnostic: empty input, rules/ (process start + rule compilation) | | — | %.2f s (CPU %.2f s) | | `… ingest /dev/null …` |" % (st["wall"], st["cpu"]))
row("mamori, nginx, first %s lines, --no-store" % format(runs["mamori_nginx_prefix"]["lines"], ","),
    "mamori_nginx_prefix", "", counts("mamori_nginx_prefix"))
for f in ("nginx-botsearch", "nginx-bad-request"):
    row("fail2ban-regex %s, same %s lines" % (f, format(runs.get("f2b_" + f, {}).get("lines", 0), ",")),
        "f2b_" + f, "", f2b_matched("f2b_" + f))
row("mamori, Suricata EVE, %s events, rules/, --no-store" % format(runs["mamori_eve"]["lines"], ","),
    "mamori_eve", "≥ 200,000 events/s", counts("mamori_eve"), "events/s")
row("mamori, same EVE file, store on (fresh, empty store: the intel rules look up every address and name)",
    "mamori_eve_store", "", counts("mamori_eve_store"), "events/s")
row("diagnostic: same EVE file, parse only (no --rules)", "mamori_eve_parse_only", "", counts("mamori_eve_parse_only"), "events/s")
row("reference: `jq -c .` on the same EVE file (parse + print only, 1 run)", "jq_eve", unit="events/s")

m, p = med("mamori_nginx"), med("mamori_nginx_prefix")
print()
for f in ("nginx-botsearch", "nginx-bad-request"):
    b = med("f2b_" + f)
    if b and m and p:
        print("ratio vs fail2ban-regex %s: %.1f× (mamori 1M-line rate / fail2ban prefix rate); "
              "same %s-line file: %.1f× (wall), %.1f× (CPU)" % (
                  f, m["rate"] / b["rate"], format(b["lines"], ","), b["wall"] / p["wall"], b["cpu"] / p["cpu"]))
b1, b2 = med("f2b_nginx-botsearch"), med("f2b_nginx-bad-request")
if b1 and b2 and m:
    both = b1["lines"] / (b1["wall"] + b2["wall"])
    print("both access-log filters (two fail2ban passes, as two jails read the file twice): %s lines/s; "
          "ratio %.1f×" % (format(round(both), ","), m["rate"] / both))

lat_path = os.path.join(out, "latency.json")
if os.path.exists(lat_path):
    L = json.load(open(lat_path))
    l = L.get("latency_ms", {})
    u = L.get("udp", {})
    print("\n| syslog latency (%s s at %s lines/s sent) | goal | measured |" % (L.get("seconds"), format(L.get("sent_per_second", 0), ",")))
    print("|---|---|---|")
    print("| line → detection p50 / p95 / p99 / max | p99 < 1 s | %s / %s / %s / %s ms |" % (
        l.get("p50"), l.get("p95"), l.get("p99"), l.get("max")))
    print("| attackers detected / sent (missed) | all | %s / %s (%s) |" % (L.get("detected"), L.get("attackers"), L.get("missed")))
    print("| unexpected detections (background addresses) | 0 | %s |" % L.get("unexpected_detections"))
    print("| lines sent / received by mamori | | %s / %s |" % (format(L.get("sent", 0), ","), format(u.get("messages", 0), ",")))
    print("| udp.dropped_queue_full / udp.kernel_drops | | %s / %s |" % (u.get("dropped_queue_full"), u.get("kernel_drops")))
flood_path = os.path.join(out, "flood.json")
if os.path.exists(flood_path):
    F = json.load(open(flood_path))
    u = F.get("udp", {})
    mm = F.get("mamori", {})
    acc = u.get("messages", 0) + u.get("dropped_queue_full", 0) + u.get("kernel_drops", 0)
    print("\nflood: %s senders, %s lines in %s s (%s lines/s); mamori received %s, dropped %s (queue full) + %s (kernel); "
          "received+dropped = %s (%.1f%% of sent); %s lines processed; alive at end: %s, exit %s" % (
              F.get("senders"), format(F.get("sent", 0), ","), F.get("seconds"), format(F.get("sent_per_second", 0), ","),
              format(u.get("messages", 0), ","), format(u.get("dropped_queue_full", 0), ","),
              format(u.get("kernel_drops", 0), ","), format(acc, ","), 100.0 * acc / max(F.get("sent", 1), 1),
              format(F.get("mamori_lines", 0), ","), mm.get("alive_at_end"), mm.get("exit_code")))
PY
