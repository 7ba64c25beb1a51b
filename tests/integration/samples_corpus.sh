#!/usr/bin/env bash
# The whole samples/ corpus through the emulator (docs/samples.md, "Checking the corpus"): every
# built sample is analysed and its report checked against its expected.yaml. The builds listed in
# samples/required.txt pass today and must keep passing; the others are work in progress, so the
# full table is printed for the CI log either way.
SRC="$(cd "$(dirname "$0")/../.." && pwd)"
source "$(dirname "$0")/lib.sh"
SAMPLES_BIN="$(dirname "$MAMORI")/samples"
[ -f "$SAMPLES_BIN/manifest.tsv" ] || fail "no $SAMPLES_BIN/manifest.tsv (samples not built?)"

status=0
"$MAMORI" samples check --corpus "$SAMPLES_BIN" --samples-dir "$SRC/samples" \
  --require "$SRC/samples/required.txt" > "$WORK/table.txt" || status=$?
cat "$WORK/table.txt"
[ "$status" -eq 0 ] || fail "a build in samples/required.txt no longer passes (see 'regression:' above)"

# The JSON form is what scripts read: one entry per build, the required ones all passing.
out=$("$MAMORI" samples check --corpus "$SAMPLES_BIN" --samples-dir "$SRC/samples" \
  --require "$SRC/samples/required.txt" --only file_ops --json) || fail "samples check --json"
[ "$(json_get "$out" 'len(d["samples"])')" = 2 ] || fail "file_ops: expected x86 and x64 in --json"
[ "$(json_get "$out" 'all(s["passed"] for s in d["samples"] if s["required"])')" = True ] ||
  fail "--json disagrees with the table"
echo "ok"
