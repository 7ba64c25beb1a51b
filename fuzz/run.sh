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
cmake --build "$BUILD" --target feed_parsers_fuzz indicator_fuzz config_fuzz
mkdir -p "$BUILD/crashes"
TARGETS="${FUZZ_TARGETS:-feed_parsers_fuzz indicator_fuzz config_fuzz}"
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
  echo "== $target for ${SECONDS_PER_TARGET}s"
  "$BUILD/fuzz/$target" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 \
    -artifact_prefix="$BUILD/crashes/$target-" "$corpus" || failed+=("$target")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}; inputs in $BUILD/crashes/" >&2
  exit 1
fi
echo "fuzz: no findings"
