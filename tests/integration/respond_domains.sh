#!/usr/bin/env bash
# The response engine asks the domain subsystem in `mamori serve`: an internal host resolves a
# listed, generated-looking domain (Suricata EVE DNS, followed by serve's collector); the shipped
# playbook `dedicated-domain-boost` — conditions on the domain's category — raises it in the device
# blocklists, and the action's evidence carries the reputation score, its reasons and the
# categorizer's countermeasure (docs/respond.md). The same detection handled without the domain
# subsystem (`mamori respond run`, no serve) does not match that playbook.
source "$(dirname "$0")/lib.sh"

DOMAIN=xjwqpkztbnvqd.com
printf '%s\n' "$DOMAIN" > feed.txt
m feeds add test-c2 "$WORK/feed.txt" --category c2 --reliability 90 > /dev/null || fail "feeds add"

: > eve.json
port=$(free_port)
quiet_serve_toml > serve.toml
printf '[collect]\ninputs = "suricata-eve@%s"\nrules = "%s"\n' "$WORK/eve.json" "$MAMORI_SOURCE_DIR/rules" >> serve.toml
printf '[respond]\nplaybooks = "%s"\n' "$MAMORI_SOURCE_DIR/rules/playbooks" >> serve.toml
make_api_token --db "$WORK/mamori.db"
"$MAMORI" --config serve.toml --db "$WORK/mamori.db" serve --port "$port" > serve.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/api/v1/health" > /dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/api/v1/health" > /dev/null || { cat serve.log; fail "serve did not start"; }

now=$(date -u +%Y-%m-%dT%H:%M:%S.000000+0000)
echo "{\"timestamp\":\"$now\",\"event_type\":\"dns\",\"src_ip\":\"10.0.0.5\",\"src_port\":40000,\"dest_ip\":\"10.0.0.53\",\"dest_port\":53,\"proto\":\"UDP\",\"dns\":{\"type\":\"query\",\"id\":7,\"rrname\":\"$DOMAIN\",\"rrtype\":\"A\",\"tx_id\":0}}" >> eve.json

id=""
for _ in $(seq 1 100); do
  actions=$(api_get "http://127.0.0.1:$port/api/v1/actions?limit=50") || fail "actions"
  id=$(json_get "$actions" 'next((a["id"] for a in (d["actions"] if isinstance(d, dict) else d) if a.get("playbook") == "dedicated-domain-boost"), "")')
  [ -n "$id" ] && break
  sleep 0.1
done
[ -n "$id" ] || { cat serve.log; fail "no dedicated-domain-boost action: $actions"; }
action=$(api_get "http://127.0.0.1:$port/api/v1/actions/$id") || fail "action $id"
[ "$(json_get "$action" 'd["target"]')" = "$DOMAIN" ] || fail "target: $action"
[ "$(json_get "$action" 'd["evidence"]["category"] in ("dga", "attacker_registered")')" = True ] ||
  fail "category in the evidence: $action"
[ "$(json_get "$action" '0 <= d["evidence"]["reputation"] <= 100')" = True ] || fail "score: $action"
[ "$(json_get "$action" 'len(d["evidence"]["reputation_reasons"]) >= 1')" = True ] || fail "reasons: $action"
[ "$(json_get "$action" 'd["evidence"]["countermeasure"]["action"]')" = block-registered-domain ] ||
  fail "countermeasure: $action"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

# Without the domain subsystem the category condition cannot hold: a fresh store, the same
# detection through `respond run`, and the listed-domain playbook still blocks it.
rm -f "$WORK/mamori.db"*
m feeds add test-c2 "$WORK/feed.txt" --category c2 --reliability 90 > /dev/null || fail "feeds add 2"
printf '[respond]\nplaybooks = "%s"\n' "$MAMORI_SOURCE_DIR/rules/playbooks" > cli.toml
"$MAMORI" --config cli.toml --db "$WORK/mamori.db" ingest eve.json --format suricata-eve \
  --rules "$MAMORI_SOURCE_DIR/rules" > /dev/null || fail "ingest"
"$MAMORI" --config cli.toml --db "$WORK/mamori.db" respond run --since 1h > /dev/null || fail "respond run"
actions=$(m actions list --json)
[ "$(json_get "$actions" 'any(a["playbook"] == "c2-domain-block" for a in d)')" = True ] ||
  fail "c2-domain-block without the domain subsystem: $actions"
[ "$(json_get "$actions" 'any(a["playbook"] == "dedicated-domain-boost" for a in d)')" = False ] ||
  fail "dedicated-domain-boost needs the domain subsystem: $actions"
echo ok
