#!/usr/bin/env bash
# End to end through the CLI: add a file feed, look up, change the feed, relist, reject broken
# updates, import, allowlist — against a real SQLite file.
source "$(dirname "$0")/lib.sh"

printf '# test feed\n198.51.100.7\nEvil.Example.\n203.0.113.0/24\nbad line here\n' > feed.txt
out=$(m feeds add local "$WORK/feed.txt" --category malware --reliability 80)
expect_contains "$out" "local: updated +3 -0 =0" "feeds add fetches once"
expect_contains "$out" "line 5:" "invalid line reported with its number"

json=$(m feeds list --json)
[ "$(json_get "$json" 'd[0]["listed_count"]')" = 3 ] || fail "listed_count after first update"

out=$(m intel lookup evil.example)
expect_contains "$out" "LISTED NOW" "lookup of a listed domain"
expect_contains "$out" "local" "lookup names the source"
m intel lookup 203.0.113.77 >/dev/null || fail "address inside a listed CIDR should be known"
set +e; m intel lookup unknown.example >/dev/null; rc=$?; set -e
[ "$rc" = 3 ] || fail "unknown indicator exits 3, got $rc"

# Delist evil.example, then relist it: two intervals.
printf '198.51.100.7\n203.0.113.0/24\n' > feed.txt
m feeds update local >/dev/null
printf '198.51.100.7\n203.0.113.0/24\nevil.example\n' > feed.txt
m feeds update local >/dev/null
json=$(m intel lookup evil.example --json)
[ "$(json_get "$json" 'len(d["history"]["intervals"])')" = 2 ] || fail "relisting opens a new interval: $json"
[ "$(json_get "$json" 'd["history"]["intervals"][0]["delisted_at"] is not None')" = True ] ||
  fail "first interval closed"

# A broken update is rejected and changes nothing.
: > feed.txt
set +e; out=$(m feeds update local); rc=$?; set -e
[ "$rc" = 1 ] || fail "rejected update exits 1"
expect_contains "$out" "REJECTED" "empty feed rejected"
[ "$(json_get "$(m feeds show local --json)" 'd["listed_count"]')" = 3 ] || fail "snapshot kept"
[ "$(json_get "$(m feeds show local --json)" 'd["fetch"]["status"]')" = rejected ] ||
  fail "rejection recorded"

# Import into a new source, merge mode.
printf 'd41d8cd98f00b204e9800998ecf8427e\nhxxp://phish[.]example/login\n' > import.txt
out=$(m intel import import.txt --source imported --merge --json)
[ "$(json_get "$out" 'd["added"]')" = 2 ] || fail "import adds 2: $out"
json=$(m intel lookup 'http://phish.example/login' --json)
[ "$(json_get "$json" 'd["history"]["intervals"][0]["source"]')" = imported ] || fail "imported url"

# Allowlist shows up in lookups.
m intel allow add example --kind suffix --reason test 2>/dev/null && fail "single label is not a domain"
m intel allow add evil.example --reason "false positive" >/dev/null
expect_contains "$(m intel lookup www.evil.example)" "allowlisted by suffix evil.example" "allowlist"

# Errors name their input.
set +e; out=$(m feeds add 'Bad Name' x.txt 2>&1); set -e
expect_contains "$out" "Bad Name" "bad source name is named"
set +e; out=$(m feeds update nope 2>&1); set -e
expect_contains "$out" "nope" "unknown feed named"
printf 'garbage' > corrupt.db; dd if=/dev/urandom of=corrupt.db bs=1024 count=8 2>/dev/null
set +e; out=$("$MAMORI" --db corrupt.db feeds list 2>&1); rc=$?; set -e
[ "$rc" = 1 ] || fail "corrupt db exits 1"
expect_contains "$out" "corrupt.db" "corrupt database error names the file"

# Removing a source removes its history.
m feeds remove imported >/dev/null
set +e; m intel lookup 'http://phish.example/login' >/dev/null; rc=$?; set -e
[ "$rc" = 3 ] || fail "history of removed source gone"

# --help teaches with examples.
expect_contains "$("$MAMORI" feeds add --help)" "Example" "feeds add --help has an example"
expect_contains "$("$MAMORI" intel lookup --help)" "Example" "intel lookup --help has an example"
echo "ok"
