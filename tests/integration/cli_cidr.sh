#!/usr/bin/env bash
# `mamori cidr` against FireHOL's iprange on the same seeded random lists: merge output byte for
# byte (files, several files, stdin, ranges), count against `iprange -C`, diff against
# `iprange A --except B`; invalid lines named by file and line; no store is opened.
source "$(dirname "$0")/lib.sh"
command -v iprange >/dev/null || fail "iprange is not installed (scripts/install-deps)"

# gen FILE SEED LINES: hosts, CIDRs with host bits set, ranges (both orders, with and without
# spaces), duplicates, comments, blank lines and CRLF, in a small universe so they overlap.
gen() {
  python3 - "$@" <<'PY'
import random, sys
path, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)
def ip(v): return "%d.%d.%d.%d" % (v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255)
def addr():
    r = rnd.random()
    if r < 0.7: return (10 << 24) | rnd.randrange(1 << 16)          # dense: 10.0.0.0/16
    if r < 0.9: return (192 << 24) | (168 << 16) | rnd.randrange(1 << 16)
    return rnd.randrange(1 << 24, 224 << 24)                     # anywhere unicast
lines, seen = [], []
for _ in range(n):
    r = rnd.random()
    if r < 0.55:
        lines.append(ip(addr()))
    elif r < 0.70:
        lines.append("%s/%d" % (ip(addr()), rnd.randint(22, 32)))
    elif r < 0.80:
        a = addr(); b = min(a + rnd.randrange(600), 0xFFFFFFFF)
        if rnd.random() < 0.2: a, b = b, a
        lines.append("%s%s-%s%s" % (ip(a), " " * rnd.randint(0, 1), " " * rnd.randint(0, 1), ip(b)))
    elif r < 0.88 and seen:
        lines.append(rnd.choice(seen))                           # duplicate
    elif r < 0.92:
        lines.append(rnd.choice(["# comment", "; comment", "", "   "]))
    elif r < 0.96:
        lines.append("%s # trailing comment" % ip(addr()))
    else:
        lines.append(ip(addr()) + "\r")                          # CRLF line
    seen.append(lines[-1])
with open(path, "w") as f:
    f.write("\n".join(lines) + "\n")
PY
}

gen a.txt 11 20000
gen b.txt 22 15000
gen c.txt 33 5000
# One invalid line in A. iprange 1.0.4 skips it with a message, newer versions refuse the whole
# file, so iprange reads the file without it.
sed -i '1234s/.*/999.1.2.3/' a.txt
grep -v '^999\.1\.2\.3$' a.txt > a-clean.txt

# merge == iprange --optimize, byte for byte.
"$MAMORI" cidr merge a.txt > merged.txt 2> merge.err || fail "merge exits 0 with one invalid line"
iprange --optimize a-clean.txt > expected.txt 2>/dev/null
cmp -s merged.txt expected.txt || { diff merged.txt expected.txt | head; fail "merge differs from iprange --optimize"; }
[ "$(wc -l < expected.txt)" -gt 1000 ] || fail "test data too small: $(wc -l < expected.txt) CIDRs"
grep -q '/' expected.txt && grep -qv '/' expected.txt || fail "expected both hosts and CIDRs in the output"
expect_contains "$(cat merge.err)" "a.txt:1234:" "invalid line named with file and line"

"$MAMORI" cidr merge a.txt b.txt c.txt > merged3.txt 2>/dev/null
iprange --optimize a-clean.txt b.txt c.txt > expected3.txt 2>/dev/null
cmp -s merged3.txt expected3.txt || fail "merge of three files differs from iprange"
"$MAMORI" cidr optimize < b.txt > stdin.txt
iprange --optimize < b.txt > expected-stdin.txt
cmp -s stdin.txt expected-stdin.txt || fail "optimize from stdin differs from iprange"
cat c.txt | "$MAMORI" cidr merge b.txt - > mixed.txt
iprange --optimize b.txt c.txt > expected-mixed.txt
cmp -s mixed.txt expected-mixed.txt || fail "file + stdin differs from iprange"
"$MAMORI" cidr merge --ranges b.txt > ranges.txt
iprange -j b.txt > expected-ranges.txt
cmp -s ranges.txt expected-ranges.txt || fail "--ranges differs from iprange -j"

# count --csv == iprange -C.
[ "$("$MAMORI" cidr count --csv a.txt b.txt 2>/dev/null)" = "$(iprange -C a-clean.txt b.txt 2>/dev/null)" ] ||
  fail "count --csv differs from iprange -C"
[ "$("$MAMORI" cidr count --csv --header c.txt)" = "$(iprange -C --header c.txt)" ] ||
  fail "count --csv --header differs from iprange -C --header"
json=$("$MAMORI" cidr count b.txt --json)
[ "$(json_get "$json" 'd["ipv4"]["cidrs"]')" = "$(wc -l < expected-stdin.txt)" ] || fail "count cidrs: $json"
[ "$(json_get "$json" 'd["ipv4"]["ranges"]')" = "$(wc -l < expected-ranges.txt)" ] || fail "count ranges"
[ "$(json_get "$json" 'd["ipv4"]["addresses"]')" = "$(iprange -C b.txt | cut -d, -f2)" ] || fail "count addresses"
expect_contains "$("$MAMORI" cidr count b.txt)" "unique addresses" "human count output"

# diff == iprange A --except B; --both adds B minus A.
"$MAMORI" cidr diff a.txt b.txt > diff.txt 2>/dev/null
iprange a-clean.txt --except b.txt > expected-diff.txt 2>/dev/null
cmp -s diff.txt expected-diff.txt || fail "diff differs from iprange --except"
[ -s expected-diff.txt ] || fail "diff test data has no difference"
"$MAMORI" cidr diff b.txt c.txt --both > both.txt
[ "$(grep '^-' both.txt | cut -c2-)" = "$(iprange b.txt --except c.txt)" ] || fail "diff --both: - lines"
[ "$(grep '^+' both.txt | cut -c2-)" = "$(iprange c.txt --except b.txt)" ] || fail "diff --both: + lines"
json=$("$MAMORI" cidr diff b.txt c.txt --json)
[ "$(json_get "$json" 'len(d["only_in_b"]["cidrs"])')" = "$(iprange c.txt --except b.txt | wc -l)" ] ||
  fail "diff --json only_in_b"
[ "$(json_get "$json" 'd["identical"]')" = False ] || fail "diff --json identical"
[ "$("$MAMORI" cidr diff b.txt b.txt)" = "" ] || fail "a list minus itself is empty"

# IPv6 and filters.
printf '2001:db8::1\n2001:db8::/127\n10.0.0.1\n2001:db8::10-2001:db8::1f\n' > v6.txt
[ "$("$MAMORI" cidr merge v6.txt)" = "$(printf '10.0.0.1\n2001:db8::/127\n2001:db8::10/124')" ] ||
  fail "IPv6 merge: $("$MAMORI" cidr merge v6.txt)"
[ "$("$MAMORI" cidr merge --ipv4 v6.txt)" = "10.0.0.1" ] || fail "--ipv4 filter"
[ "$("$MAMORI" cidr merge -6 v6.txt | wc -l)" = 2 ] || fail "--ipv6 filter"

# Errors name their input; no store is created.
printf 'nope\n1.2.3.4/40\n' > bad.txt
set +e; out=$("$MAMORI" cidr merge b.txt bad.txt 2>&1); rc=$?; set -e
[ "$rc" = 1 ] || fail "a file with no valid line exits 1"
expect_contains "$out" "bad.txt" "error names the file"
expect_contains "$out" "line 1" "error names the first bad line"
set +e; out=$("$MAMORI" cidr count missing.txt 2>&1); rc=$?; set -e
[ "$rc" = 1 ] || fail "missing file exits 1"
expect_contains "$out" "missing.txt" "missing file named"
set +e; "$MAMORI" cidr merge --strict a.txt >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || fail "--strict fails on an invalid line"
[ ! -e mamori.db ] || fail "cidr commands must not create a store"

expect_contains "$("$MAMORI" cidr merge --help)" "Example" "cidr merge --help has examples"
expect_contains "$("$MAMORI" cidr diff --help)" "--except" "cidr diff --help explains iprange"
echo "ok"
