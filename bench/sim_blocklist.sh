#!/usr/bin/env bash
# Headline run of the blocklist simulator (docs/simulator.md): a ~1,000,000-entry union of 20
# simulated feeds, budgets 10k/50k/150k/300k, seed 1. Prints the table and the wall time; the
# JSON report goes to $OUT/sim_blocklist.json.
#   bench/sim_blocklist.sh [path/to/mamori] [out-dir] [extra sim flags...]
set -euo pipefail
MAMORI="${1:-build/mamori}"
OUT="${2:-build/bench-results}"
shift $(( $# > 2 ? 2 : $# ))
mkdir -p "$OUT"
ARGS=(sim blocklist --seed 1 --budgets 10000,50000,150000,300000 "$@")
echo "== $MAMORI ${ARGS[*]}"
start=$(date +%s.%N)
"$MAMORI" "${ARGS[@]}" --json >"$OUT/sim_blocklist.json"
end=$(date +%s.%N)
# The table comes from the same report, re-run would double the time: print it from the JSON.
python3 - "$OUT/sim_blocklist.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
w = r["world"]
print(f"union {w['union_entries']:,} entries ({w['union_malicious']:,} malicious, "
      f"{w['union_active']:,} active; {w['union_benign']:,} benign); "
      f"{r['attempts']['malicious']:,} malicious / {r['attempts']['benign']:,} benign attempts")
print(f"{'BUDGET':>8}  {'STRATEGY':<24} {'ENTRIES':>9} {'MALICIOUS':>9} {'WEIGHTED':>9} "
      f"{'BENIGN':>8} {'OURS/IT':>8}")
u = r["union"]
for b in r["budgets"]:
    ours = b["ours"]["malicious_share"]
    rows = [("ours", b["ours"]), ("newest", b["newest"]),
            (f"best-feed ({b['best_feed'].get('feed', '')})", b["best_feed"]),
            ("union", u), ("oracle", b["oracle"])]
    for i, (name, s) in enumerate(rows):
        ratio = "-" if name == "ours" or s["malicious_share"] == 0 else f"{ours / s['malicious_share']:.2f}"
        print(f"{b['budget'] if i == 0 else '':>8}  {name:<24} {s['entries']:>9,} "
              f"{100 * s['malicious_share']:>8.2f}% {100 * s['weighted_share']:>8.2f}% "
              f"{100 * s['benign_share']:>7.2f}% {ratio:>8}")
s = r["seconds"]
print(f"simulator: {s['total']:.1f}s (generate {s['generate']:.1f}, score {s['score']:.1f}, "
      f"select {s['select']:.1f}, evaluate {s['evaluate']:.1f})")
PY
echo "wall: $(echo "$end - $start" | bc) s"
