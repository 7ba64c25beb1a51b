#!/usr/bin/env bash
# Detection end to end: `mamori ingest --rules` over an auth log with a brute force from one
# public address and two failures from another stores one detection with its evidence, records
# the attacker as an intel sighting (not the private or below-threshold ones), and
# `mamori detections list|show` and GET /api/v1/detections return it.
source "$(dirname "$0")/lib.sh"

: > auth.log
for i in $(seq 10 17); do
  echo "Nov 30 08:00:$i web1 sshd[41$i]: Failed password for root from 203.0.113.7 port 5$i ssh2" >> auth.log
done
for i in 20 21; do
  echo "Nov 30 08:00:$i web1 sshd[42$i]: Failed password for bob from 198.51.100.4 port 6$i ssh2" >> auth.log
done
for i in $(seq 30 37); do
  echo "Nov 30 08:00:$i web1 sshd[43$i]: Failed password for admin from 10.1.2.3 port 7$i ssh2" >> auth.log
done
echo "Nov 30 08:01:00 web1 sshd[4400]: Accepted publickey for alice from 192.0.2.10 port 4000 ssh2" >> auth.log

out=$(m ingest auth.log --format sshd --rules "$MAMORI_SOURCE_DIR/rules" --json) \
  || fail "ingest with rules: $out"
[ "$(json_get "$out" 'len(d["detection"]["detections"])')" = 2 ] || fail "two detections (public + private attacker): $out"
[ "$(json_get "$out" 'sorted(x["group"] for x in d["detection"]["detections"])')" = "['10.1.2.3', '203.0.113.7']" ] \
  || fail "groups: $out"
[ "$(json_get "$out" 'd["detection"]["sightings"]')" = 1 ] || fail "only the public attacker is sighted: $out"

list=$(m detections list --json)
[ "$(json_get "$list" 'len(d)')" = 2 ] || fail "stored: $list"
id=$(json_get "$list" '[x["id"] for x in d if x["group"] == "203.0.113.7"][0]')
show=$(m detections show "$id" --json)
[ "$(json_get "$show" 'd["count"]')" = 8 ] || fail "count: $show"
[ "$(json_get "$show" 'd["rule"]')" = mamori-ssh-brute-force ] || fail "rule: $show"
[ "$(json_get "$show" 'd["target"]')" = web1 ] || fail "target is the host that logged it: $show"
expect_contains "$(json_get "$show" 'd["evidence"][0]["event.original"]')" "Failed password for root from 203.0.113.7" "evidence line"
human=$(m detections show "$id")
expect_contains "$human" "sshd[4110]: Failed password for root from 203.0.113.7 port 510" "human show prints evidence lines"

lookup=$(m intel lookup 203.0.113.7 --json)
expect_contains "$lookup" "log:import:" "the attacker's sighting names the import"

# Importing the same file again does not duplicate detections (same rule, group, input, first
# event): it updates them.
m ingest auth.log --format sshd --rules "$MAMORI_SOURCE_DIR/rules" > /dev/null
[ "$(json_get "$(m detections list --json)" 'len(d)')" = 2 ] || fail "re-import must not duplicate"

# Filters.
[ "$(json_get "$(m detections list --group 10.1.2.3 --json)" 'len(d)')" = 1 ] || fail "--group"
set +e
bad=$(m detections list --level severe 2>&1)
rc=$?
set -e
[ "$rc" != 0 ] || fail "bad level must fail"
expect_contains "$bad" "level" "bad level names the parameter"

# An invalid rule next to valid ones: reported with file and line, the others still run.
mkdir rules
cp "$MAMORI_SOURCE_DIR"/rules/ssh_brute_force.yml rules/
printf 'title: broken\nid: broken\ndetection:\n  condition: nothing\n' > rules/broken.yml
out=$(m ingest auth.log --format sshd --rules rules --no-store 2>err.txt) || fail "valid rules still run: $out"
expect_contains "$(cat err.txt)" "broken.yml" "invalid rule reported with its file"
expect_contains "$out" "2 detections" "the valid rule still detects"

# The API serves the same detections.
port=$(free_port)
quiet_serve_toml > quiet.toml
make_api_token --db "$WORK/mamori.db"
"$MAMORI" --config quiet.toml --db "$WORK/mamori.db" serve --port "$port" > serve.log 2>&1 &
SERVER_PID=$!
wait_http "http://127.0.0.1:$port/api/v1/health"
api=$(api_get "http://127.0.0.1:$port/api/v1/detections?group=203.0.113.7")
[ "$(json_get "$api" 'd["detections"][0]["count"]')" = 8 ] || fail "API list: $api"
api_one=$(api_get "http://127.0.0.1:$port/api/v1/detections/$id")
[ "$(json_get "$api_one" 'd["group"]')" = 203.0.113.7 ] || fail "API one: $api_one"
echo ok
