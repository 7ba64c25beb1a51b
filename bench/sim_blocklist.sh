#!/usr/bin/env bash
# Headline runs of the blocklist simulator (docs/simulator.md):
#   1. IPv4, seed 1: a ~1,000,000-entry union of 20 simulated feeds, budgets 10k/50k/150k/300k;
#   2. the 50k budget again for seeds 2-5 (one seed's figures swing with a few heavy hitters);
#   3. domains, seed 1, same budgets.
# Prints tables and wall times; JSON reports go to $OUT/sim_blocklist*.json.
#   bench/sim_blocklist.sh [path/to/mamori] [out-dir] [extra sim flags...]
set -euo pipefail
MAMORI="${1:-build/mamori}"
OUT="${2:-build/bench-results}"
shift $(( $# > 2 ? 2 : $# ))
mkdir -p "$OUT"

table() {  # table JSON: the per-budget table of one report
  python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
w, c = r["world"], r["config"]
print(f"{c['class']}, seed {c['seed']}: union {w['union_entries']:,} entries "
      f"({w['union_malicious']:,} malicious of which {w['union_active']:,} active; "
      f"{w['union_benign']:,} benign); {r['attempts']['malicious']:,} malicious / "
      f"{r['attempts']['benign']:,} benign attempts")
print(f"{'BUDGET':>8}  {'STRATEGY':<26} {'ENTRIES':>9} {'MALICIOUS':>9} {'WEIGHTED':>9} "
      f"{'BENIGN':>8} {'OURS/IT':>8}")
for b in r["budgets"]:
    ours = b["ours"]["malicious_share"]
    rows = [("ours", b["ours"]), ("newest", b["newest"]),
            (f"best-feed ({b['best_feed'].get('feed', '')})", b["best_feed"]),
            ("union", r["union"]), ("sighted", b["sighted"]), ("oracle", b["oracle"])]
    for i, (name, s) in enumerate(rows):
        ratio = "-" if name == "ours" or s["malicious_share"] == 0 else \
            f"{ours / s['malicious_share']:.2f}"
        print(f"{b['budget'] if i == 0 else '':>8}  {name:<26} {s['entries']:>9,} "
              f"{100 * s['malicious_share']:>8.2f}% {100 * s['weighted_share']:>8.2f}% "
              f"{100 * s['benign_share']:>7.2f}% {ratio:>8}")
s = r["seconds"]
print(f"simulator: {s['total']:.1f}s (generate {s['generate']:.1f}, score {s['score']:.1f}, "
      f"select {s['select']:.1f}, evaluate {s['evaluate']:.1f})")
PY
}

run() {  # run OUTFILE ARGS...: one simulation, timed
  local out="$1"; shift
  echo "== $MAMORI sim blocklist $*"
  local start end
  start=$(date +%s.%N)
  "$MAMORI" sim blocklist "$@" --json >"$out"
  end=$(date +%s.%N)
  echo "wall: $(python3 -c "print(f'{$end - $start:.1f}')") s"
}

run "$OUT/sim_blocklist.json" --seed 1 --budgets 10000,50000,150000,300000 "$@"
table "$OUT/sim_blocklist.json"

echo
echo "== 50k budget over seeds 1-5 (ratios are ours' malicious share ÷ the other's)"
cp "$OUT/sim_blocklist.json" "$OUT/sim_blocklist_seed1.json"
for seed in 2 3 4 5; do
  run "$OUT/sim_blocklist_seed$seed.json" --seed "$seed" --budgets 50000 "$@" >/dev/null
done
python3 - "$OUT" <<'PY'
import json, sys
rows = []
print(f"{'SEED':>4} {'UNION':>8} {'OURS':>7} {'NEWEST':>7} {'BEST':>7} {'ours/union':>10} "
      f"{'ours/newest':>11} {'ours/best':>9} {'BENIGN ours':>11} {'union':>7}")
for seed in range(1, 6):
    r = json.load(open(f"{sys.argv[1]}/sim_blocklist_seed{seed}.json"))
    b = next(b for b in r["budgets"] if b["budget"] == 50000)
    u = r["union"]
    t = b["ratios"]
    rows.append(t)
    print(f"{seed:>4} {100*u['malicious_share']:>7.1f}% {100*b['ours']['malicious_share']:>6.1f}% "
          f"{100*b['newest']['malicious_share']:>6.1f}% {100*b['best_feed']['malicious_share']:>6.1f}% "
          f"{t['ours_vs_union']:>10.2f} {t['ours_vs_newest']:>11.2f} {t['ours_vs_best_feed']:>9.2f} "
          f"{100*b['ours']['benign_share']:>10.2f}% {100*u['benign_share']:>6.2f}%")
mean = lambda k: sum(t[k] for t in rows) / len(rows)
print(f"mean {'':>33} {mean('ours_vs_union'):>10.2f} {mean('ours_vs_newest'):>11.2f} "
      f"{mean('ours_vs_best_feed'):>9.2f}")
PY

echo
run "$OUT/sim_blocklist_domain.json" --class domain --seed 1 \
  --budgets 10000,50000,150000,300000 "$@"
table "$OUT/sim_blocklist_domain.json"
