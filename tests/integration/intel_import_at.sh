#!/usr/bin/env bash
# `intel import --at`: historical blocklist snapshots imported oldest first get the listing
# history of their dates; an older snapshot after a newer one is refused and changes nothing.
source "$(dirname "$0")/lib.sh"

printf 'evil.example\nbad.example\n' > day1.txt
printf 'evil.example\n' > day2.txt
printf 'evil.example\nbad.example\n' > day3.txt
m intel import day1.txt --source hist --at 2026-01-05 >/dev/null || fail "import day 1"
m intel import day2.txt --source hist --at 2026-01-06T00:00:00Z >/dev/null || fail "import day 2"
m intel import day3.txt --source hist --at 1767744000 >/dev/null || fail "import day 3 (Unix seconds)"

json=$(m intel lookup bad.example --json)
[ "$(json_get "$json" 'len(d["history"]["intervals"])')" = 2 ] || fail "delisted then relisted: $json"
expect_contains "$(json_get "$json" 'd["history"]["intervals"][0]["first_listed"]')" "2026-01-05" \
  "first interval starts on the first snapshot's date"
expect_contains "$(json_get "$json" 'd["history"]["intervals"][0]["delisted_at"]')" "2026-01-06" \
  "delisted on the second snapshot's date"
expect_contains "$(json_get "$json" 'd["history"]["intervals"][1]["first_listed"]')" "2026-01-07" \
  "relisted on the third snapshot's date"

# Older than the last update: refused, named, nothing changed.
set +e; out=$(m intel import day2.txt --source hist --at 2026-01-06 2>&1); rc=$?; set -e
[ "$rc" = 1 ] || fail "an out-of-order --at exits 1, got $rc: $out"
expect_contains "$out" "older than the last update of source hist" "out-of-order --at refused"
json=$(m intel lookup bad.example --json)
[ "$(json_get "$json" 'd["listed_now"]')" = True ] || fail "refused import changed nothing: $json"

set +e; out=$(m intel import day2.txt --source hist --at yesterday 2>&1); rc=$?; set -e
[ "$rc" = 1 ] || fail "a bad --at exits 1"
expect_contains "$out" "--at yesterday" "a bad --at is named"
echo ok
