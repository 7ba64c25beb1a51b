#!/usr/bin/env bash
# Live collection end to end: stdin until it ends; a followed file with a restart that neither
# loses nor repeats lines; `serve` with a [collect] syslog UDP input answering on the API.
source "$(dirname "$0")/lib.sh"
RULES="$MAMORI_SOURCE_DIR/rules"

# Lines stamped now (RFC 3339, as rsyslog writes files): live windows close by the wall clock.
failed() {  # failed IP N
  for i in $(seq 1 "$2"); do
    echo "$(date -u +%Y-%m-%dT%H:%M:%S.%6N+00:00) web1 sshd[$((4000 + i))]: Failed password for root from $1 port $((50000 + i)) ssh2"
  done
}

# 1. stdin: collect ends with its input and stores what it found.
out=$(failed 203.0.113.7 7 | m collect --input sshd@- --rules "$RULES" --json) || fail "collect from stdin: $out"
[ "$(json_get "$out" 'd["inputs"][0]["lines"]')" = 7 ] || fail "stdin lines: $out"
[ "$(json_get "$out" 'd["inputs"][0]["detections_opened"]')" = 1 ] || fail "stdin detection: $out"
list=$(m detections list --json)
[ "$(json_get "$list" 'd[0]["input"]')" = stdin ] || fail "stdin detection stored: $list"

# 2. A followed file: detections while it runs; after a restart only new lines are read.
failed 198.51.100.20 3 > auth.log
"$MAMORI" --db "$WORK/mamori.db" collect --input "sshd@$WORK/auth.log" --rules "$RULES" --json > run1.json 2> run1.err &
pid=$!
failed 198.51.100.20 4 >> auth.log
for _ in $(seq 1 100); do
  n=$(json_get "$(m detections list --group 198.51.100.20 --json)" 'len(d)')
  [ "$n" = 1 ] && break
  sleep 0.1
done
[ "$n" = 1 ] || { cat run1.err; fail "followed file detection"; }
kill -TERM "$pid"
wait "$pid" || fail "collect exits 0 on SIGTERM: $(cat run1.err)"
[ "$(json_get "$(cat run1.json)" 'd["inputs"][0]["lines"]')" = 7 ] || fail "run 1 lines: $(cat run1.json)"

failed 192.0.2.99 2 >> auth.log
"$MAMORI" --db "$WORK/mamori.db" collect --input "sshd@$WORK/auth.log" --rules "$RULES" --json > run2.json 2> run2.err &
pid=$!
for _ in $(seq 1 50); do
  grep -q "collecting from" run2.err && break
  sleep 0.1
done
sleep 1  # a few polls of the file (every 200 ms)
kill -TERM "$pid"
wait "$pid" || fail "second run exits 0"
[ "$(json_get "$(cat run2.json)" 'd["inputs"][0]["lines"]')" = 2 ] \
  || fail "restart must read only the 2 new lines: $(cat run2.json)"

# 3. serve with a syslog UDP input.
port=$(free_port)
syslog_port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
quiet_serve_toml > serve.toml
cat >> serve.toml <<TOML
[collect]
inputs = "syslog-auto@udp://127.0.0.1:$syslog_port"
rules = "$RULES"
sync_interval_ms = 50
TOML
make_api_token --db "$WORK/mamori.db"
"$MAMORI" --config serve.toml --db "$WORK/mamori.db" serve --port "$port" > serve.log 2>&1 &
SERVER_PID=$!
wait_http "http://127.0.0.1:$port/api/v1/health"
failed 203.0.113.80 6 | python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for line in sys.stdin:
    s.sendto(("<38>" + line.rstrip("\n")).encode(), ("127.0.0.1", int(sys.argv[1])))
' "$syslog_port"
for _ in $(seq 1 100); do
  api=$(api_get "http://127.0.0.1:$port/api/v1/detections?group=203.0.113.80")
  [ "$(json_get "$api" 'len(d["detections"])')" = 1 ] && break
  sleep 0.1
done
[ "$(json_get "$api" 'd["detections"][0]["input"]')" = "syslog-udp:127.0.0.1:$syslog_port" ] \
  || { cat serve.log; fail "serve collected over UDP: $api"; }
status=$(api_get "http://127.0.0.1:$port/api/v1/collector")
[ "$(json_get "$status" 'd["udp"]["messages"]')" = 6 ] || fail "collector status: $status"
[ "$(json_get "$status" 'd["inputs"][0]["detections_opened"]')" = 1 ] || fail "collector status: $status"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "serve exits 0"
SERVER_PID=
echo ok
