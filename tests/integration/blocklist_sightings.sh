#!/usr/bin/env bash
# Log sightings in blocklist builds: `mamori intel sight` records hits (arguments, a file with
# counts, stdin; bad lines are reported, skipped and give exit status 2). Once hits reach the
# store, listed values our hosts reach outrank those they never reach (relevance), and an
# aggregate CIDR no longer covers an unlisted address our hosts use heavily.
source "$(dirname "$0")/lib.sh"

mkdir -p profiles
cat > profiles/tiny.toml <<TOML
description = "one-entry firewall"
kind = "paloalto-edl"
[capacity]
ip = 1
TOML
cat > mamori.toml <<TOML
[store]
path = "$WORK/mamori.db"
[feeds]
load_sample_feeds = false
[blocklist]
profiles_dir = "$WORK/profiles"
builtin_profiles_dir = "$MAMORI_SOURCE_DIR/data/profiles"
output_dir = "$WORK/out"
TOML
c() { "$MAMORI" --config mamori.toml "$@"; }

# Four listed hosts at both ends of one /24: with one entry, the /24 covers them all.
printf '185.220.101.1\n185.220.101.2\n185.220.101.250\n185.220.101.251\n' > feed.txt
c feeds add partner "$WORK/feed.txt" --format plain --reliability 90 --category c2 >/dev/null
c blocklist build --profile tiny >/dev/null
[ "$(cat out/tiny.txt)" = "185.220.101.0/24" ] || fail "aggregate before sightings: $(cat out/tiny.txt)"
before=$(c blocklist explain 185.220.101.1 --json)
[ "$(json_get "$before" 'd["relevance"]')" = 1.0 ] || fail "no logs: relevance 1: $before"

# Our firewall log: heavy traffic to an unlisted neighbour, some to one listed host, a bad line.
cat > hits.txt <<'TXT'
# uniq -c output and VALUE,COUNT both work
   2000 185.220.101.100
185.220.101.2,40
not an address at all
185.220.101.9,999999999999999999999999999999
TXT
set +e
out=$(c intel sight --file hits.txt --observer fw:edge --json 2>err.txt)
status=$?
set -e
[ "$status" = 2 ] || fail "a skipped line gives exit status 2, got $status: $out $(cat err.txt)"
[ "$(json_get "$out" 'd["hits"]')" = 2040 ] || fail "hits recorded: $out"
[ "$(json_get "$out" 'd["malformed"]')" = 2 ] || fail "malformed counted (bad line, overflowing count): $out"
expect_contains "$(cat err.txt)" "hits.txt:4" "the bad line is named"
expect_contains "$(cat err.txt)" "hits.txt:5" "the overflowing count is named"
c intel sight 185.220.101.250 --count 3 --observer fw:edge >/dev/null
c intel sight 1.2.3.4 --observer malware:x >/dev/null 2>&1 && fail "malware: observers are refused"

seen=$(c blocklist explain 185.220.101.2 --json)
unseen=$(c blocklist explain 185.220.101.1 --json)
python3 - "$seen" "$unseen" <<'PY' || fail "relevance: $seen / $unseen"
import json, sys
seen, unseen = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert abs(unseen["relevance"] - 0.2) < 1e-9, unseen
assert seen["relevance"] > 0.8 and seen["priority"] > 3 * unseen["priority"], seen
PY
c blocklist build --profile tiny >/dev/null
list=$(cat out/tiny.txt)
[ "$list" = "185.220.101.0/30" ] || fail "the aggregate must leave the busy unlisted address alone and keep the host our logs saw: $list"
echo ok
