#!/usr/bin/env bash
# Runs every benchmark and the side-by-side peer comparisons; `make bench` calls this.
# Results: console, and JSON under $BUILD/bench-results/. Copy the figures into
# docs/benchmarks.md with the machine description printed at the top.
set -euo pipefail
BUILD="${1:-build}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$BUILD/bench-results"
mkdir -p "$OUT"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(free -g | awk '/Mem:/{print $2}') GiB, $(date -u +%Y-%m-%d)"

for bench in "$BUILD"/bench/*_bench; do
  name=$(basename "$bench")
  [ "$name" = typosquat_bench ] && continue  # a driver of bench/typosquat_figures.sh, below
  echo "== $name"
  "$bench" --benchmark_out="$OUT/$name.json" --benchmark_out_format=json \
    --benchmark_counters_tabular=true
done

echo "== peer: parse + normalize 1,000,000 IPv4 lines, mamori vs iprange (same file, same run)"
"$ROOT/bench/peer_parse.sh" "$BUILD/mamori" "$OUT"

echo "== peer: merge 1,000,000 IPv4 lines into CIDRs, mamori cidr merge vs iprange --optimize"
"$ROOT/bench/cidr_merge.sh" "$BUILD/mamori" "$OUT"

echo "== issue 8, end to end: nginx + rules vs fail2ban-regex, Suricata EVE, syslog latency"
"$ROOT/bench/detect_figures.sh" "$BUILD/mamori" "$OUT/detect"

echo "== issue 11, end to end: detection → block, approval → block, API at 200 req/s, console pages"
"$ROOT/bench/respond_figures.sh" "$BUILD/mamori" "$OUT/respond"

echo "== issue 7: emulator instructions/s (decryption loop, x86/x64) and the whole samples/ corpus"
"$ROOT/bench/emulator_figures.sh" "$BUILD" "$OUT/emulator"

echo "== issue 7: the corpus under Wine (wine64), as an oracle for the samples' expected.yaml"
"$ROOT/bench/samples_wine.sh" "$BUILD" || echo "samples_wine: some samples differ under Wine (see above)"

echo "== issue 9: taint cost, evasive programs (default and hostile environment), corpus with exploration, attribution"
"$ROOT/bench/evasion_figures.sh" "$BUILD" "$OUT/evasion"

echo "== issue 6: typosquat detector — recall on dnstwist's permutations, false matches, speed"
TRANCO="$ROOT/../shared/data/domains/benign/tranco-top-100k.txt"
if [ -f "$TRANCO" ] && command -v dnstwist >/dev/null; then
  "$ROOT/bench/typosquat_figures.sh" "$BUILD" "$TRANCO" "$OUT/typosquat"
else
  echo "skipped: needs $TRANCO (the shared evaluation lists) and dnstwist"
fi

echo "== issue 5: domain reputation on a simulated world — ingest, index load, time-split eval, scoring speed"
taskset -c 0 "$BUILD/bench/reputation_figures" --dir "$OUT/reputation"
echo "== issue 5: passive DNS ingest of 10,000,000 DNSDB records"
taskset -c 0 "$BUILD/bench/pdns_ingest" --records 10000000
