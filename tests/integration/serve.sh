#!/usr/bin/env bash
# `mamori serve` as a user starts it: sample feeds on first start, JSON API and web console on
# loopback, clean stop on SIGTERM.
source "$(dirname "$0")/lib.sh"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > mamori.toml <<TOML
[server]
port = $PORT
[store]
path = "$WORK/var/mamori.db"
[feeds]
sample_feeds_dir = "$MAMORI_SOURCE_DIR/data/feeds"
TOML
make_api_token --config mamori.toml
"$MAMORI" --config mamori.toml serve > serve.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done
health=$(curl -fs "http://127.0.0.1:$PORT/api/v1/health") || { cat serve.log; fail "health"; }
[ "$(json_get "$health" 'd["status"]')" = ok ] || fail "health status"

# The scheduler fetches the sample feeds right away.
for _ in $(seq 1 100); do
  n=$(json_get "$(curl -fs "http://127.0.0.1:$PORT/api/v1/health")" 'd["store"]["open_intervals"]')
  [ "$n" -gt 3000 ] && break
  sleep 0.1
done
[ "$n" -gt 3000 ] || { cat serve.log; fail "sample feeds loaded, got $n open intervals"; }

[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/sources")" = 401 ] ||
  fail "the API needs credentials"
sources=$(api_get "http://127.0.0.1:$PORT/api/v1/sources")
[ "$(json_get "$sources" 'sorted(s["name"] for s in d)')" = "['urlhaus-filter-hosts', 'urlhaus-filter-ips']" ] ||
  fail "sample sources: $sources"
ind=$(api_get "http://127.0.0.1:$PORT/api/v1/indicators/1.11.234.99")
[ "$(json_get "$ind" 'd["history"]["intervals"][0]["source"]')" = urlhaus-filter-ips ] ||
  fail "indicator lookup: $ind"
# Mixed case in the feed is normalized.
api_get "http://127.0.0.1:$PORT/api/v1/indicators/cqsoiltesting.yourpageserver.com" >/dev/null ||
  fail "normalized host lookup"
page=$(curl -fs "http://127.0.0.1:$PORT/")
expect_contains "$page" '<div id="app">' "/ serves the web console"
expect_contains "$(cat serve.log)" "curl http://127.0.0.1:$PORT/api/v1/health" "prints what to try"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "serve exits 0 on SIGTERM"
SERVER_PID=
[ -f "$WORK/var/mamori.db" ] || fail "store created at the configured path"
echo "ok"
