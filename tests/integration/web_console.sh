#!/usr/bin/env bash
# The web console in a real browser: a `mamori serve` on a temp store with a feed, an SSH brute
# force and an infected host's connection to a listed address, a small simulated world of domain
# evidence, a user; then headless Chromium (tests/browser/console.test.mjs, playwright-core) logs
# in (and is refused with a wrong password), reads the dashboard, a detection, a lookup with
# listing history, a domain lookup with reputation and category, the feeds, the audit log and the
# other pages, and approves a recommendation when the server has response actions.
# Page load times are printed, never asserted. Skipped (77) only when chromium is not installed.
source "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || true)
if [ -z "$CHROMIUM" ]; then
  echo "SKIP: chromium is not installed (scripts/install-deps installs it)"
  exit 77
fi
command -v node >/dev/null || fail "node is needed for the browser test (scripts/install-deps)"
[ -d "$MAMORI_SOURCE_DIR/web/node_modules/playwright-core" ] ||
  fail "web/node_modules/playwright-core missing: build first (the build runs npm ci in web/)"

# A feed that lists the attacker and the C2 address, delisting and relisting the attacker so its
# history has two intervals.
printf '203.0.113.7\n198.51.100.66\nevil.example\n' > feed.txt
m feeds add blocklist-de "$WORK/feed.txt" --category attacks --reliability 80 > /dev/null
printf '198.51.100.66\nevil.example\n' > feed.txt
m feeds update blocklist-de > /dev/null
printf '203.0.113.7\n198.51.100.66\nevil.example\n' > feed.txt
m feeds update blocklist-de > /dev/null

# Domain evidence for the domain lookup (reputation and category): a small simulated world
# (docs/domain-sim.md) read into the store; `serve` scores with its built-in model over it. The
# page is checked on a re-registered name of that world (category from the store's zone history)
# and on evil.example, which only the feed above lists.
m sim domains --domains 300 --days 60 --seed 5 --out world > /dev/null || fail "sim domains"
m domain ingest --dir world > ingest.out 2>&1 || { cat ingest.out; fail "domain ingest --dir world"; }
DOMAIN_VALUE=$(awk -F, '$2 == "reregistered" && $3 == 1 { print $1; exit }' world/truth.csv)
[ -n "$DOMAIN_VALUE" ] || fail "no re-registered domain in world/truth.csv"

# An SSH brute force from 203.0.113.7 (recent, so the dashboard's 24 h shows it).
: > auth.log
for i in $(seq 10 17); do
  echo "$(date -u +'%b %e %H:%M'):$i web1 sshd[41$i]: Failed password for root from 203.0.113.7 port 5$i ssh2" >> auth.log
done
m ingest auth.log --format sshd --rules "$MAMORI_SOURCE_DIR/rules" > /dev/null || fail "ingest auth.log"
# An internal host connecting to the listed address: an infected host on the dashboard.
now=$(date -u +%Y-%m-%dT%H:%M:%S.000000+0000)
echo "{\"timestamp\":\"$now\",\"event_type\":\"flow\",\"src_ip\":\"10.0.0.5\",\"src_port\":51000,\"dest_ip\":\"198.51.100.66\",\"dest_port\":443,\"proto\":\"TCP\"}" > eve.json
m ingest eve.json --format suricata-eve --rules "$MAMORI_SOURCE_DIR/rules" > /dev/null || fail "ingest eve.json"

list=$(m detections list --json)
DETECTION_ID=$(json_get "$list" '[x["id"] for x in d if x["group"] == "203.0.113.7"][0]') ||
  fail "no brute-force detection: $list"

# A user, when this build has accounts.
USER_NAME="" PASSWORD=""
if "$MAMORI" users --help > /dev/null 2>&1; then
  USER_NAME=alice
  PASSWORD="correct horse battery staple"
  printf '%s' "$PASSWORD" > pw.txt
  m users add "$USER_NAME" --role admin --password-file pw.txt > /dev/null || fail "users add"
fi

port=$(free_port)
quiet_serve_toml > quiet.toml
# One playbook that only recommends, so the Playbooks page has something to show.
cat > playbooks.yml <<'YAML'
id: web-console-test
title: Raise SSH guessers in the device blocklists
mode: recommend
when:
  rules: [mamori-ssh-brute-force]
actions:
  - type: blocklist_boost
    value: source
    boost: 20
    duration: 1h
YAML
printf '[respond]\nplaybooks = "%s"\n' "$WORK/playbooks.yml" >> quiet.toml
"$MAMORI" --config quiet.toml --db "$WORK/mamori.db" serve --port "$port" > serve.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/v1/health" > /dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/api/v1/health" > /dev/null || { cat serve.log; fail "serve did not start"; }
BASE="http://127.0.0.1:$port"

# Headers the console is served with (the browser checks that it runs under this CSP).
headers=$(curl -fsS -D - -o /dev/null "$BASE/ui/detections/$DETECTION_ID")
expect_contains "$headers" "Content-Security-Policy: default-src 'self'" "CSP on client routes"
expect_contains "$headers" "Cache-Control: no-cache" "index.html is revalidated"

# A recommendation to approve, when this build has response actions: raise the attacker in the
# device blocklists (blocklist_boost, on the built-in "blocklist" device), added as the actions row (migration 0006)
# a `recommend` playbook would have written.
ACTION_ID="" ACTION_TARGET=""
# (Logged in when the server has accounts: /api/v1 answers 401 to anyone else, route or not.)
if [ -n "$USER_NAME" ]; then
  curl -fsS -c cookies.txt -H 'Content-Type: application/json' \
    -d "{\"username\":\"$USER_NAME\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/session" > /dev/null ||
    fail "log in with curl"
fi
actions_status=$(curl -s -b cookies.txt -o /dev/null -w '%{http_code}' "$BASE/api/v1/actions?limit=1")
if [ "$actions_status" = 200 ]; then
  ACTION_TARGET=203.0.113.7
  ACTION_ID=$(python3 - "$WORK/mamori.db" "$DETECTION_ID" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
cur = db.execute(
    "INSERT INTO actions (playbook, kind, device, target, params, state, mode, duration_seconds, "
    "detection_id, evidence, expected_effect, reason, created_at, updated_at) "
    "VALUES ('browser-test', 'blocklist_boost', 'blocklist', '203.0.113.7', '{\"boost\": 20}', 'proposed', "
    "'recommend', 3600, ?, '{\"rule\": \"mamori-ssh-brute-force\", \"count\": 8}', "
    "'203.0.113.7 ranks higher in every device blocklist for an hour', "
    "'SSH brute force from an address a feed lists', ?, ?)",
    (int(sys.argv[2]), int(time.time()), int(time.time())))
db.commit()
print(cur.lastrowid)
PY
) || fail "could not add a proposed action"
fi

set +e
MAMORI_URL="$BASE" CHROMIUM="$CHROMIUM" WORK="$WORK" \
  MAMORI_USER="$USER_NAME" MAMORI_PASSWORD="$PASSWORD" \
  DETECTION_ID="$DETECTION_ID" DETECTION_GROUP=203.0.113.7 \
  EVIDENCE_TEXT="Failed password for root from 203.0.113.7" \
  LOOKUP_VALUE=203.0.113.7 LOOKUP_SOURCE=blocklist-de FEED_NAME=blocklist-de \
  ACTION_ID="$ACTION_ID" ACTION_TARGET="$ACTION_TARGET" PLAYBOOK_ID=web-console-test \
  DOMAIN_VALUE="$DOMAIN_VALUE" DOMAIN_CATEGORY=reregistered LISTED_DOMAIN=evil.example \
  timeout 240 node "$MAMORI_SOURCE_DIR/tests/browser/console.test.mjs"
rc=$?
set -e
if [ "$rc" != 0 ]; then
  echo "--- serve.log (tail)"; tail -30 serve.log
  fail "browser test failed (exit $rc)"
fi
echo ok
