#!/usr/bin/env bash
# Issue 9 figures (docs/benchmarks.md "Issue 9"): taint cost, the evasive corpus, the corpus with
# exploration, and attribution.
#  1. instructions per second on the compute guest (bench/guests/decrypt_loop.c) with taint on
#     (natural run only: --max-paths 0) and off (--no-taint), x64 and x86, best of five, and the
#     ratio in the same run (issue: >= 25 M/s with taint, at most 2x slower);
#  2. the evasive programs (samples/evasion_*): the share whose payload shows on the first,
#     natural path, and on any explored path — under the default environment and under the
#     hostile data/environments/sandbox-virtualbox.toml (where exploration must do the work);
#  3. the whole samples/ corpus analysed with exploration and checked, total seconds;
#  4. attribution on the injection corpus (bench/attribution_figures.sh).
# Usage: bench/evasion_figures.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
BUILD="${1:-build}"
OUT="${2:-$BUILD/bench-results/evasion}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MAMORI="$BUILD/mamori"
mkdir -p "$OUT"
[ -x "$MAMORI" ] || { echo "no $MAMORI: build first" >&2; exit 1; }

mips() {  # report.json → M instructions/s of the natural run
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["run"]; print("%.1f" % (r["instructions"]/r["wall_seconds"]/1e6))' "$1"
}

echo "### Taint cost (decrypt_loop, in-process, best of 5, interleaved)"
echo
echo "| guest | taint off M instr/s | taint on M instr/s | on / off |"
echo "|---|---|---|---|"
for arch in x64 x86; do
  guest="$BUILD/bench/guests/decrypt_loop.$arch.exe"
  [ -f "$guest" ] || { echo "no $guest: build the bench_guests target" >&2; exit 1; }
  declare -A best=([off]=0 [on]=0)
  # Interleaved (off, on, off, on …) so both modes see the same load on a shared machine.
  for run in 1 2 3 4 5; do
    for mode in off on; do
      flags="--max-paths 0"
      [ "$mode" = off ] && flags="--no-taint"
      # shellcheck disable=SC2086
      "$MAMORI" analyze --in-process $flags --json "$OUT/decrypt.$arch.$mode.json" "$guest" >/dev/null
      m=$(mips "$OUT/decrypt.$arch.$mode.json")
      best[$mode]=$(python3 -c "print(max(${best[$mode]}, $m))")
    done
  done
  ratio=$(python3 -c "print(f'{${best[on]} / ${best[off]}:.2f}')")
  echo "| decrypt_loop.$arch | ${best[off]} | **${best[on]}** | ${ratio}× |"
done

evasive=$(cd "$ROOT/samples" && ls -d evasion_* | tr '\n' ' ')
only=()
for s in $evasive; do only+=(--only "$s"); done

reveal() {  # samples-check JSON → "builds natural% any%"
  python3 - "$1" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["samples"] if "evasion" in r]
n = len(rows)
natural = sum(r["evasion"]["revealed_on_natural_path"] for r in rows)
anyp = sum(r["evasion"]["revealed_on_any_path"] for r in rows)
missed = [f'{r["sample"]}.{r["arch"]}' for r in rows if not r["evasion"]["revealed_on_any_path"]]
print(n, f"{100*natural/max(n,1):.1f}", f"{100*anyp/max(n,1):.1f}", " ".join(missed) or "-")
PY
}

echo
echo "### Evasive programs ($(( ${#only[@]} / 2 )) samples, x86 + x64 builds)"
echo
echo "| environment | builds | payload on the first path | payload on any explored path | seconds | not revealed |"
echo "|---|---|---|---|---|---|"
for env in default sandbox-virtualbox; do
  flags=()
  [ "$env" != default ] && flags=(--environment "$ROOT/data/environments/$env.toml")
  start=$(date +%s.%N)
  "$MAMORI" samples check --corpus "$BUILD/samples" --samples-dir "$ROOT/samples" "${only[@]}" \
    "${flags[@]}" --json >"$OUT/evasive.$env.json" || true
  end=$(date +%s.%N)
  read -r n natural anyp missed < <(reveal "$OUT/evasive.$env.json")
  printf '| %s | %s | %s%% | **%s%%** | %.1f | %s |\n' "$env" "$n" "$natural" "$anyp" \
    "$(echo "$end - $start" | bc)" "$missed"
done

echo
echo "### The whole corpus with exploration"
echo
start=$(date +%s.%N)
"$MAMORI" samples check --corpus "$BUILD/samples" --samples-dir "$ROOT/samples" \
  --require "$ROOT/samples/required.txt" --json >"$OUT/corpus.json" || true
end=$(date +%s.%N)
python3 - "$OUT/corpus.json" "$(echo "$end - $start" | bc)" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(f"mamori samples check (every build, exploration on): {s['builds']} builds, {s['passed']} pass, "
      f"{len(s['regressions'])} required regressed, **{float(sys.argv[2]):.1f} s**")
PY

if [ -x "$ROOT/bench/attribution_figures.sh" ]; then
  echo
  echo "### Attribution on the injection corpus"
  echo
  "$ROOT/bench/attribution_figures.sh" "$BUILD" "$OUT/attribution"
fi
