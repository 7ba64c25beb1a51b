#!/usr/bin/env bash
# A device list end to end: feed → `mamori blocklist build` → `mamori serve` hands it to the
# device at /edl/<profile>.txt only with its token, with ETag/If-None-Match; a feed that breaks
# never changes what is served (the update is rejected, the rebuilt list is the same), and a
# restart serves the last good list from disk at once.
source "$(dirname "$0")/lib.sh"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TOKEN=s3cret-device-token
TOKEN_SHA=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
mkdir -p profiles
cat > profiles/edge.toml <<TOML
description = "test firewall"
kind = "paloalto-edl"
refresh = "1h"
[capacity]
ip = 50
[delivery]
bearer_token_sha256 = "$TOKEN_SHA"
TOML
cat > mamori.toml <<TOML
[server]
port = $PORT
[store]
path = "$WORK/mamori.db"
[feeds]
load_sample_feeds = false
[blocklist]
profiles_dir = "$WORK/profiles"
builtin_profiles_dir = "$MAMORI_SOURCE_DIR/data/profiles"
output_dir = "$WORK/out"
build_on_serve = false
TOML
c() { "$MAMORI" --config mamori.toml "$@"; }

# 80 listed addresses in 185.220.101.0/24 and 10 elsewhere, plus a public DNS resolver that must
# never be blocked, from a feed with high reliability.
python3 - > feed.txt <<'PY'
for i in range(1, 81): print(f"185.220.101.{i}")
for i in range(1, 11): print(f"91.92.240.{i * 20}")
print("8.8.8.8")
PY
c feeds add partner "$WORK/feed.txt" --format plain --reliability 90 --category c2 >/dev/null
report=$(c blocklist build --profile edge --json)
[ "$(json_get "$report" 'd["profiles"][0]["entries"] <= 50')" = True ] || fail "capacity: $report"
[ "$(json_get "$report" 'd["excluded"]["warninglist"]')" = 1 ] || fail "8.8.8.8 excluded: $report"
list=$(cat out/edge.txt)
[[ "$list" != *"8.8.8.8"* ]] || fail "a public resolver was emitted"
# 90 listed addresses fit into 50 entries only because runs of hosts became CIDRs.
expect_contains "$list" "185.220.101." "listed network present"
[ "$(json_get "$report" 'd["profiles"][0]["covered_candidates"]')" = 90 ] || fail "coverage: $report"
[ "$(c blocklist history edge --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["status"])')" = ok ] ||
  fail "build recorded"
explain=$(c blocklist explain 185.220.101.7 --json)
[ "$(json_get "$explain" 'd["sources"][0]["source"]')" = partner ] || fail "explain: $explain"

# The feed breaks: the update is rejected, the store keeps the snapshot, the list stays.
printf 'this is not a feed\n<html>oops</html>\n' > feed.txt
c feeds update partner >/dev/null 2>&1 && fail "a broken feed update must be rejected"
cp out/edge.txt before.txt
c blocklist build --profile edge >/dev/null
cmp -s before.txt out/edge.txt || fail "the list changed after a rejected feed update"

# mamori serve serves the last good list from disk, only with the token.
make_api_token --config mamori.toml
"$MAMORI" --config mamori.toml serve > serve.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done
URL="http://127.0.0.1:$PORT/edl/edge.txt"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL")" = 401 ] || fail "no token must be refused"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong' "$URL")" = 401 ] ||
  fail "a wrong token must be refused"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/edl/csv.txt")" = 404 ] ||
  fail "a profile without credentials is not served"
curl -fs -D headers.txt -H "Authorization: Bearer $TOKEN" "$URL" > served.txt || { cat serve.log; fail "fetch with token"; }
cmp -s served.txt out/edge.txt || fail "served list differs from the last good build"
etag=$(grep -i '^etag:' headers.txt | cut -d' ' -f2 | tr -d '\r')
[ -n "$etag" ] || fail "no ETag"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H "If-None-Match: $etag" "$URL")" = 304 ] ||
  fail "If-None-Match must answer 304"
status=$(api_get "http://127.0.0.1:$PORT/api/v1/blocklists")
expect_contains "$status" '"edge"' "blocklist status lists the profile"
[[ "$status" != *"$TOKEN_SHA"* ]] || fail "status must not show secrets"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || { cat serve.log; fail "serve exits 0"; }
SERVER_PID=
echo ok
