#!/usr/bin/env bash
# Issue 11's figures, end to end against the real binary; `make bench` calls it from run.sh.
#   1. detection → automatic block applied: `mamori collect --respond` follows an sshd log file
#      (default settings: file polled, [collect] sync_interval_ms 200), an `auto` playbook blocks
#      the source on the nftables device; ATTACKERS fresh documentation-range addresses, one
#      every ~0.15 s, 8 failed logins each; latency from the write to the address being in the set
#      (bench/respond_latency.py block). Once more with a syslog UDP input (no file polling).
#      The engine alone (Responder::Handle → NftablesActuator::Apply) and 10,000 timed blocks
#      expiring are build/bench/respond_engine_bench, which run.sh runs with the other benches.
#   2. operator approval → applied: `mamori serve` with a `recommend` playbook; APPROVALS
#      recommendations approved with POST /api/v1/actions/ID/approve (bearer token): HTTP round
#      trip, and request → address in the set.
#   1 and 2 run in a private network namespace (`unshare -n`, or `-rn` when not root).
#   4. API under a fixed 200 requests/s (open loop, latency from each request's scheduled time),
#      on a demo-size store (DETECTIONS brute forces, a recommendation and an active boost each,
#      a feed of INDICATORS entries); then wrk (closed loop, 1 thread, 4 connections, same
#      endpoints as the open loop) for the throughput ceiling and its latency distribution.
#   5. console page loads (bench/respond_console.mjs, headless Chromium) on the same store.
# Prints Markdown tables; raw JSON and logs in $OUT. Nothing is asserted on timing.
#
# Usage: bench/respond_figures.sh [MAMORI] [OUT]   (defaults: build/mamori, /tmp/mamori-respond)
# Environment: ATTACKERS=200 APPROVALS=100 DETECTIONS=3000 INDICATORS=20000 API_RATE=200
#              API_SECONDS=30 WRK_SECONDS=20 CONSOLE_RUNS=20 SKIP_NETNS=0 SKIP_CONSOLE=0
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MAMORI="$(realpath "${1:-$ROOT/build/mamori}")"
OUT="${2:-/tmp/mamori-respond}"
mkdir -p "$OUT"
OUT="$(realpath "$OUT")"
RULES="$ROOT/rules/"
ATTACKERS="${ATTACKERS:-200}"
APPROVALS="${APPROVALS:-100}"
DETECTIONS="${DETECTIONS:-3000}"
INDICATORS="${INDICATORS:-20000}"
API_RATE="${API_RATE:-200}"
API_SECONDS="${API_SECONDS:-30}"
WRK_SECONDS="${WRK_SECONDS:-20}"
CONSOLE_RUNS="${CONSOLE_RUNS:-20}"
SKIP_NETNS="${SKIP_NETNS:-0}"
SKIP_CONSOLE="${SKIP_CONSOLE:-0}"
LAT=(python3 "$ROOT/bench/respond_latency.py")

echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"

# netns CMD...: CMD in a new network namespace (its own empty ruleset and loopback).
NETNS=()
for how in "-n" "-rn"; do
  if unshare $how true 2>/dev/null; then NETNS=(unshare $how); break; fi
done
run_netns() {
  if [ "${#NETNS[@]}" = 0 ] || ! command -v nft >/dev/null; then
    echo "  skipped: no network namespace or no nft here" >&2
    return 0
  fi
  "${NETNS[@]}" "$@" || echo "  run failed or incomplete: see $OUT/*.log" >&2
}

if [ "$SKIP_NETNS" != 1 ]; then
  echo "== 1. detection → block in the nftables set, $ATTACKERS attackers (file input, defaults)"
  run_netns "${LAT[@]}" block --mamori "$MAMORI" --rules "$RULES" --attackers "$ATTACKERS" \
    --workdir "$OUT/block-file" --json-out "$OUT/block-file.json" 2>"$OUT/block-file.log"
  echo "== 1b. same, syslog UDP input"
  run_netns "${LAT[@]}" block --syslog --mamori "$MAMORI" --rules "$RULES" --attackers "$ATTACKERS" \
    --workdir "$OUT/block-syslog" --json-out "$OUT/block-syslog.json" 2>"$OUT/block-syslog.log"
  echo "== 2. approval → applied, $APPROVALS approvals"
  run_netns "${LAT[@]}" approve --mamori "$MAMORI" --rules "$RULES" --attackers "$APPROVALS" \
    --workdir "$OUT/approve" --json-out "$OUT/approve.json" 2>"$OUT/approve.log"
fi

echo "== 4. API at $API_RATE requests/s (open loop, $API_SECONDS s) on a demo store; wrk; 5. console"
rm -f "$OUT/api-info.json"
"${LAT[@]}" api --mamori "$MAMORI" --rules "$RULES" --detections "$DETECTIONS" \
  --indicators "$INDICATORS" --rate "$API_RATE" --duration "$API_SECONDS" --keep-serving \
  --info-out "$OUT/api-info.json" --workdir "$OUT/api" --json-out "$OUT/api.json" 2>"$OUT/api.log" &
API_PID=$!
trap 'kill -TERM $API_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 1200); do
  [ -s "$OUT/api-info.json" ] && break
  kill -0 "$API_PID" 2>/dev/null || break
  sleep 0.5
done
if [ -s "$OUT/api-info.json" ]; then
  info() { python3 -c "import json,sys; print(json.load(open('$OUT/api-info.json'))[sys.argv[1]])" "$1"; }
  URL=$(info url)
  if command -v wrk >/dev/null; then
    cat >"$OUT/wrk.lua" <<EOF
-- The endpoints of the open-loop run in rotation, with the bearer token.
local paths = {}
for p in string.gmatch("$(python3 -c "import json; print(' '.join(json.load(open('$OUT/api-info.json'))['paths']))")", "%S+") do
  paths[#paths + 1] = p
end
wrk.headers["Authorization"] = "Bearer $(info token)"
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
EOF
    wrk -t1 -c4 -d"${WRK_SECONDS}s" --latency -s "$OUT/wrk.lua" "$URL" >"$OUT/wrk.txt" 2>&1 ||
      echo "  wrk failed: $OUT/wrk.txt" >&2
  else
    echo "  wrk not installed (scripts/install-deps --bench); skipped" >&2
  fi
  if [ "$SKIP_CONSOLE" != 1 ] && command -v chromium >/dev/null && command -v node >/dev/null &&
    [ -d "$ROOT/web/node_modules/playwright-core" ]; then
    # Page loads are CPU-bound in the browser: say how busy the machine was.
    # One analysed corpus sample for the sample report page (skipped when the server has no
    # analysis or the samples are not built).
    SAMPLE_ID=""
    SAMPLE_FILE="$(dirname "$MAMORI")/samples/file_ops.x64.exe"
    if [ -f "$SAMPLE_FILE" ]; then
      SAMPLE_ID=$(curl -fsS -H "Authorization: Bearer $(info token)" --data-binary @"$SAMPLE_FILE" \
        -H 'Content-Type: application/octet-stream' "$URL/api/v1/samples?name=file_ops.exe" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' 2>/dev/null) || SAMPLE_ID=""
      for _ in $(seq 1 120); do
        [ -n "$SAMPLE_ID" ] || break
        curl -fsS -H "Authorization: Bearer $(info token)" "$URL/api/v1/samples/$SAMPLE_ID" |
          grep -q '"status": *"\(done\|failed\)"' && break
        sleep 0.5
      done
    fi
    echo "  console bench: load $(cut -d' ' -f1-3 /proc/loadavg) before"
    MAMORI_URL="$URL" MAMORI_SOURCE_DIR="$ROOT" CHROMIUM="$(command -v chromium)" \
      MAMORI_USER="$(info user)" MAMORI_PASSWORD="$(info password)" \
      DETECTION_ID="$(info detection_id)" LOOKUP_VALUE="$(info lookup_value)" SAMPLE_ID="$SAMPLE_ID" \
      RUNS="$CONSOLE_RUNS" OUT="$OUT/console.json" \
      node "$ROOT/bench/respond_console.mjs" >"$OUT/console.md" 2>"$OUT/console.log" ||
      echo "  console bench failed: $OUT/console.log" >&2
    echo "  console bench: load $(cut -d' ' -f1-3 /proc/loadavg) after"
  else
    echo "  console bench skipped (needs chromium, node and web/node_modules)" >&2
  fi
else
  echo "  API run failed: $OUT/api.log" >&2
fi
kill -TERM "$API_PID" 2>/dev/null || true
wait "$API_PID" || true
trap - EXIT

echo
python3 - "$OUT" <<'PY'
import json, os, re, sys
out = sys.argv[1]

def load(name):
    try:
        return json.load(open(os.path.join(out, name)))
    except (OSError, ValueError):
        return None

def lat(d):
    return "%s / %s / %s / %s ms" % (d.get("p50"), d.get("p95"), d.get("p99"), d.get("max"))

print("| figure | goal | p50 / p95 / p99 / max | notes |")
print("|---|---|---|---|")
for name, what in (("block-file.json", "log lines written to a followed file → address in the nftables set"),
                   ("block-syslog.json", "syslog UDP lines sent → address in the nftables set")):
    d = load(name)
    if d:
        print("| %s | p99 < 1 s | **%s** | %s/%s attackers blocked (%s missed), one every ~%s s; sync_interval_ms %s; poll %s ms; actions %s |" % (
            what, lat(d["latency_ms"]), d["blocked"], d["attackers"], d["missed"],
            d["interval_s"], d["sync_interval_ms"], d["poll_ms"], d["action_states"]))
d = load("approve.json")
if d:
    print("| POST /api/v1/actions/ID/approve: request sent → address in the set | < 1 s | **%s** | %s/%s applied, %s failed |" % (
        lat(d["request_to_in_set_ms"]), d["applied"], d["approvals"], d["failed"]))
    print("| same, HTTP round trip of the approve call | — | %s | |" % lat(d["http_round_trip_ms"]))
d = load("api.json")
if d:
    print("| API, %s req/s open loop for %s s, every endpoint below | p99 < 50 ms | **%s** | achieved %s req/s over %s connections; %s non-200; %s late sends; store: %s |" % (
        d["rate"], d["duration_s"], lat(d["all_ms"]), d["achieved_rate"], d["connections"],
        d["non_200"], d["late_sends"], d["store"]))
    for p, s in d["per_path"].items():
        print("| `GET %s` | p99 < 50 ms | %s | |" % (p, lat(s)))
try:
    w = open(os.path.join(out, "wrk.txt")).read()
    rps = re.search(r"Requests/sec:\s*([\d.]+)", w)
    dist = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", w, re.M))
    print("| wrk -t1 -c4 (closed loop, same endpoints): throughput; latency p50 / p90 / p99 | — | %s req/s; %s / %s / %s | |" % (
        rps.group(1) if rps else "?", dist.get("50"), dist.get("90"), dist.get("99")))
except OSError:
    pass
c = os.path.join(out, "console.md")
if os.path.exists(c):
    print("\nconsole page loads (goal < 200 ms), navigation start → last request:\n")
    print(open(c).read())
PY
