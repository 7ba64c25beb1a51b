#!/usr/bin/env bash
# Builds the libFuzzer targets with clang + ASan/UBSan and runs each for FUZZ_SECONDS (default
# 60), seeded from the parser test fixtures; FUZZ_TARGETS picks targets. Crashes land in
# build-fuzz/crashes/; the run goes on to the next target and exits 1 at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$ROOT/build-fuzz"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMAMORI_FUZZ=ON >/dev/null
ALL_TARGETS="feed_parsers_fuzz indicator_fuzz config_fuzz log_parsers_fuzz syslog_framing_fuzz rules_fuzz
  pe_loader_fuzz"
TARGETS="${FUZZ_TARGETS:-$ALL_TARGETS}"
# shellcheck disable=SC2086
cmake --build "$BUILD" --target $TARGETS
mkdir -p "$BUILD/crashes"
failed=()
for target in $TARGETS; do
  corpus="$BUILD/corpus/$target"
  mkdir -p "$corpus"
  if [ "$target" = feed_parsers_fuzz ]; then
    # Prefix each fixture with a format byte for each format.
    i=0
    for f in "$ROOT"/src/feeds/parsers/testdata/*; do
      for b in 0 1 2 3 4 5 6 7; do
        { printf "\\$(printf %03o $b)"; cat "$f"; } > "$corpus/seed-$i-$b"
      done
      i=$((i + 1))
    done
  fi
  if [ "$target" = log_parsers_fuzz ]; then
    # Every test log line we have, once per format byte (the first byte picks the format).
    i=0
    for f in "$ROOT"/tests/data/logs/* "$ROOT"/docs/formats/logs-*.md; do
      [ -f "$f" ] || continue
      for b in $(seq 0 24); do
        { printf "\\$(printf %03o "$b")"; head -c 4000 "$f"; } > "$corpus/seed-$i-$b"
      done
      i=$((i + 1))
    done
  fi
  if [ "$target" = rules_fuzz ]; then
    for f in "$ROOT"/rules/*.yml; do cp "$f" "$corpus/"; done
  fi
  seeds=()
  if [ "$target" = pe_loader_fuzz ]; then
    # The target writes builder-made PE images (x86/x64, every table) into the corpus at start.
    seeds=(env PE_LOADER_FUZZ_SEEDS="$corpus")
  fi
  echo "== $target for ${SECONDS_PER_TARGET}s"
  "${seeds[@]}" "$BUILD/fuzz/$target" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 \
    -artifact_prefix="$BUILD/crashes/$target-" "$corpus" || failed+=("$target")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}; inputs in $BUILD/crashes/" >&2
  exit 1
fi
echo "fuzz: no findings"
