#!/usr/bin/env bash
# `mamori ingest` one-shot: an nginx access log and a gzip'd auth log are read and counted; a
# malformed line makes the exit status 2 and is reported with its reason and line number; the
# first events come out as ECS JSON.
source "$(dirname "$0")/lib.sh"

cat > access.log <<'LOG'
203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0 (compatible; scan \"x\")"
2001:db8::7 - bob [10/Oct/2023:13:55:37 +0000] "POST /login?next=%2F HTTP/2.0" 401 0 "https://example.com/" "curl/8.5.0"
198.51.100.2 - - [10/Oct/2023:13:55:38 +0000] "\x16\x03\x01\x00\xA5" 400 150 "-" "-"
LOG
printf '198.51.100.3 - - [10/Oct/2023:13:55:39 +0000] "GET / HTTP/1.1" 200 5 "-" "-"\r\n' >> access.log

out=$(m ingest access.log --format nginx-combined --json) || fail "clean nginx log exits 0: $out"
[ "$(json_get "$out" 'd["lines"]')" = 4 ] || fail "lines: $out"
[ "$(json_get "$out" 'd["events"]')" = 4 ] || fail "events: $out"
[ "$(json_get "$out" 'd["malformed"]')" = 0 ] || fail "malformed: $out"

events=$(m ingest access.log --format nginx-combined --events 2)
first=$(head -1 <<<"$events")
[ "$(json_get "$first" 'd["source.ip"]')" = 203.0.113.7 ] || fail "first event: $first"
[ "$(json_get "$first" 'd["url.original"]')" = /wp-login.php ] || fail "url: $first"
[ "$(json_get "$first" 'd["@timestamp"]')" = 2023-10-10T13:55:36.000000Z ] || fail "time: $first"
second=$(sed -n 2p <<<"$events")
[ "$(json_get "$second" 'd["source.ip"]')" = 2001:db8::7 ] || fail "IPv6 event: $second"
expect_contains "$events" "4 lines, 4 events" "human summary after the events"

# A malformed line: exit status 2, reason and line number reported.
echo 'this is not an access log line' >> access.log
set +e
out=$(m ingest access.log --format nginx-combined --json)
rc=$?
set -e
[ "$rc" = 2 ] || fail "malformed line must exit 2, got $rc: $out"
[ "$(json_get "$out" 'd["malformed"]')" = 1 ] || fail "malformed count: $out"
[ "$(json_get "$out" 'd["examples"][0]["line"]')" = 5 ] || fail "malformed line number: $out"
[ "$(json_get "$out" 'd["malformed_reasons"]["no time"]')" = 1 ] || fail "reason: $out"

# A gzip'd auth log (as logrotate leaves it), with lines of other programs skipped.
cat > auth.log <<'LOG'
Oct 10 13:55:36 web1 sshd[1234]: Failed password for invalid user admin from 192.0.2.10 port 52344 ssh2
Oct 10 13:55:37 web1 sshd[1234]: Connection closed by invalid user admin 192.0.2.10 port 52344 [preauth]
Oct 10 13:55:38 web1 CRON[99]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)
Oct 10 13:55:39 web1 sshd[1240]: Accepted publickey for deploy from 2001:db8::1 port 40000 ssh2: ED25519 SHA256:abc
LOG
gzip -c auth.log > auth.log.2.gz
out=$(m ingest auth.log.2.gz --format sshd --json --events 4) || fail "auth log exits 0: $out"
[ "$(json_get "$out" 'd["lines"]')" = 4 ] || fail "auth lines: $out"
[ "$(json_get "$out" 'd["events"]')" = 3 ] || fail "auth events: $out"
[ "$(json_get "$out" 'd["skipped"]')" = 1 ] || fail "auth skipped: $out"
[ "$(json_get "$out" 'd["first_events"][0]["event.outcome"]')" = failure ] || fail "outcome: $out"
[ "$(json_get "$out" 'd["first_events"][2]["user.name"]')" = deploy ] || fail "user: $out"

# stdin, and the format list.
out=$(gzip -dc auth.log.2.gz | m ingest - --format sshd) || fail "stdin"
expect_contains "$out" "3 events" "stdin summary"
expect_contains "$(m ingest --format help)" "kernel-firewall" "format list"
set +e
err=$(m ingest access.log --format nope 2>&1)
rc=$?
set -e
[ "$rc" = 1 ] || fail "unknown format exits 1"
expect_contains "$err" "nginx-combined" "unknown format names the known ones"
echo ok
