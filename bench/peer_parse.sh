#!/usr/bin/env bash
# Side by side: `mamori feeds check` (parse, normalize, de-duplicate, count) against FireHOL's
# iprange (parse, normalize, merge) on the same generated 1,000,000-line IPv4 file, and against
# `sort -u` as a floor for "read and de-duplicate lines". Prints seconds and ratios.
set -euo pipefail
MAMORI="$1"
OUT="$2"
FILE="$OUT/ipv4-1m.txt"
python3 - "$FILE" <<'PY'
import random, sys
random.seed(20261129)
with open(sys.argv[1], "w") as f:
    for _ in range(1_000_000):
        f.write("%d.%d.%d.%d\n" % (random.randint(1, 223), random.randint(0, 255),
                                   random.randint(0, 255), random.randint(0, 255)))
PY
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs 5 --export-json "$OUT/peer_parse.json" \
    "$MAMORI feeds check $FILE --format plain" \
    "iprange $FILE" \
    "sort -u $FILE" | tee "$OUT/peer_parse.txt"
else
  echo "hyperfine not installed (scripts/install-deps --bench); skipping" >&2
fi
