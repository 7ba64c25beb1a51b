#!/usr/bin/env bash
# Issue 6's typosquat figures: recall on dnstwist's permutations of 50 held-out brands, false
# matches on a benign list, throughput, and generation time beside dnstwist's.
#   held-out brands: names of the benign list from rank START (default 2000) on that are not in
#   data/brands/top-sites.txt, are their own registrable domain and have a .com/.net/.org/.de
#   style single-label suffix (dnstwist without python3-tld splits other suffixes differently);
#   the first 50 such names. They were not used in development.
#   dnstwist runs with all its fuzzers and our word and TLD lists (--dictionary, --tld).
# Usage: bench/typosquat_figures.sh [BUILD_DIR] [TRANCO] [OUT]
#   defaults: build, ../shared/data/domains/benign/tranco-top-100k.txt, /tmp/mamori-typosquat
# Environment: START=2000 COUNT=50
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$(realpath "${1:-$ROOT/build}")"
TRANCO="$(realpath "${2:-$ROOT/../shared/data/domains/benign/tranco-top-100k.txt}")"
OUT="${3:-/tmp/mamori-typosquat}"
START="${START:-2000}"
COUNT="${COUNT:-50}"
BENCH="$BUILD/bench/typosquat_bench"
command -v dnstwist >/dev/null || { echo "dnstwist is not installed (scripts/install-deps)" >&2; exit 1; }
[ -x "$BENCH" ] || { echo "$BENCH is missing: ninja -C $BUILD typosquat_bench" >&2; exit 1; }
mkdir -p "$OUT"
BRANDS="$ROOT/data/brands/top-sites.txt"
LISTS="$ROOT/data/typosquat"

# Held-out brands: one label + a single-label suffix ("name.tld"), not a shipped brand.
tail -n +"$START" "$TRANCO" | grep -E '^[a-z0-9-]+\.[a-z]{2,}$' | grep -vxF -f "$BRANDS" \
  | sed -n "1,${COUNT}p" > "$OUT/heldout.txt"  # sed reads to the end: no SIGPIPE under pipefail

# dnstwist's permutations, "brand<TAB>fuzzer<TAB>name". Its Fuzzer class is called directly
# (the installed module, all fuzzers, our lists as its CLI would load them): the CLI's CSV output
# would resolve every name in DNS, and its list output does not say which fuzzer made a name.
# Timed is generation only, like ours.
DNSTWIST_S=$(python3 - "$OUT/heldout.txt" "$LISTS/words.txt" "$LISTS/tlds.txt" "$OUT/perms.tsv" <<'PY'
import re, sys, time
sys.path.insert(0, '/usr/lib/python3/dist-packages')
import dnstwist
brands = [l.strip() for l in open(sys.argv[1]) if l.strip()]
words = [x for x in set(open(sys.argv[2]).read().splitlines()) if x.isalnum()]
tlds = [x for x in set(open(sys.argv[3]).read().splitlines())
        if re.match(r'^[a-z0-9-]{2,63}(\.[a-z0-9-]{2,63}){0,1}$', x)]
start = time.perf_counter()
rows = []
for b in brands:
    f = dnstwist.Fuzzer(b, dictionary=words, tld_dictionary=list(tlds))
    f.generate()
    rows += [(b, p['fuzzer'], p['domain']) for p in f.domains if p['fuzzer'] != '*original']
elapsed = time.perf_counter() - start
with open(sys.argv[4], 'w') as out:
    for r in rows:
        out.write('\t'.join(r) + '\n')
print(f'{elapsed:.3f}')
PY
)
echo "dnstwist: $(wc -l < "$OUT/perms.tsv") permutations of $(wc -l < "$OUT/heldout.txt") brands in ${DNSTWIST_S} s" >&2

taskset -c "${CPU:-0}" "$BENCH" "$BRANDS" "$LISTS" "$OUT/heldout.txt" "$OUT/perms.tsv" "$TRANCO" \
  | tee "$OUT/table.md"
printf '| dnstwist generation, same brands, all fuzzers | %s names in %.3f s |\n' \
  "$(wc -l < "$OUT/perms.tsv")" "$DNSTWIST_S" | tee -a "$OUT/table.md"
