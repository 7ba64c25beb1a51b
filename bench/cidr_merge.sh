#!/usr/bin/env bash
# `mamori cidr merge` against FireHOL's `iprange --optimize` on the same generated file of
# 1,000,000 random IPv4 lines (95% hosts, 5% CIDRs /16-/31 with host bits set), in the same
# hyperfine run. Checks both print the same bytes first, then prints both means and the ratio.
# Goal (issue 4): mamori at most half of iprange's time.
# Usage: bench/cidr_merge.sh [path/to/mamori] [output dir]   (defaults: build/mamori, a temp dir)
set -euo pipefail
MAMORI="$(realpath "${1:-build/mamori}")"
OUT="${2:-$(mktemp -d /tmp/mamori-cidr-bench.XXXXXX)}"
mkdir -p "$OUT"
command -v iprange >/dev/null || { echo "iprange not installed (scripts/install-deps)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine not installed (scripts/install-deps --bench)" >&2; exit 1; }

FILE="$OUT/cidr-merge-1m.txt"
python3 - "$FILE" <<'PY'
import random, sys
rnd = random.Random(20261130)
out = []
for _ in range(1_000_000):
    ip = "%d.%d.%d.%d" % (rnd.randint(1, 223), rnd.randint(0, 255), rnd.randint(0, 255),
                          rnd.randint(0, 255))
    out.append("%s/%d" % (ip, rnd.randint(16, 31)) if rnd.random() < 0.05 else ip)
with open(sys.argv[1], "w") as f:
    f.write("\n".join(out) + "\n")
PY

"$MAMORI" cidr merge "$FILE" > "$OUT/mamori.out"
iprange --optimize "$FILE" > "$OUT/iprange.out"
if ! cmp -s "$OUT/mamori.out" "$OUT/iprange.out"; then
  echo "FAIL: mamori cidr merge and iprange --optimize differ:" >&2
  diff "$OUT/mamori.out" "$OUT/iprange.out" | head >&2
  exit 1
fi
echo "same output: $(wc -l < "$OUT/mamori.out") CIDRs from 1,000,000 lines ($(du -h "$FILE" | cut -f1))"

hyperfine --warmup 2 --runs 10 --export-json "$OUT/cidr_merge.json" \
  -n "mamori cidr merge" "$MAMORI cidr merge $FILE > /dev/null" \
  -n "iprange --optimize" "iprange --optimize $FILE > /dev/null" | tee "$OUT/cidr_merge.txt"

python3 - "$OUT/cidr_merge.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
m, i = r["mamori cidr merge"], r["iprange --optimize"]
ratio = m["mean"] / i["mean"]
print("cidr merge, 1,000,000 IPv4 lines: mamori %.1f ms (±%.1f), iprange %.1f ms (±%.1f), "
      "ratio %.3f (goal <= 0.5: %s)" % (m["mean"] * 1e3, m["stddev"] * 1e3, i["mean"] * 1e3,
                                         i["stddev"] * 1e3, ratio, "met" if ratio <= 0.5 else "NOT met"))
PY
