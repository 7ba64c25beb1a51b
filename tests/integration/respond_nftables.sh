#!/usr/bin/env bash
# Response end to end, in a private network namespace: a replayed SSH brute force produces a
# detection; the shipped-style playbook adds the source to the nftables set of the response
# table; traffic from that address in the namespace is dropped (others pass); at expiry the
# element disappears and the traffic passes again. The actions and the audit log say so.
# Also prints the detection → block latency (a figure of docs/benchmarks.md; never asserted).
if [ -z "${MAMORI_IN_NETNS:-}" ]; then
  # Re-run inside a new network namespace: as root with `unshare -n`, otherwise in a user
  # namespace mapped to root (`unshare -rn`). Skip (77) when neither is allowed here.
  command -v nft >/dev/null || { echo "SKIP: nft not installed"; exit 77; }
  for how in "-n" "-rn"; do
    if unshare $how true 2>/dev/null; then
      MAMORI_IN_NETNS=1 exec unshare $how bash "$0" "$@"
    fi
  done
  echo "SKIP: cannot create a network namespace here"; exit 77
fi
source "$(dirname "$0")/lib.sh"
RULES="$MAMORI_SOURCE_DIR/rules"
ip link set lo up
ip addr add 203.0.113.7/32 dev lo
ip addr add 198.51.100.9/32 dev lo

# The admin's rules (docs/respond-devices.md): drop what the response sets hold.
nft -f - <<'EOF' || fail "loading the admin's nft rules"
table inet mamori_respond {
  set mamori_block { type ipv4_addr; }
  set mamori_block_net { type ipv4_addr; flags interval; }
  set mamori_block_v6 { type ipv6_addr; }
  set mamori_block_v6_net { type ipv6_addr; flags interval; }
  chain input {
    type filter hook input priority filter - 10; policy accept;
    ip saddr @mamori_block drop
    ip saddr @mamori_block_net drop
  }
}
EOF

# A UDP listener on loopback; `reaches FROM` sends one datagram from FROM and says whether it
# arrived (loopback delivery is synchronous: a dropped datagram never shows up).
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
reaches() {
  python3 - "$1" "$PORT" <<'PY'
import socket, sys
src, port = sys.argv[1], int(sys.argv[2])
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
rx.bind(("127.0.0.1", port))
rx.settimeout(0.5)
tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
tx.bind((src, 0))
tx.sendto(b"ping", ("127.0.0.1", port))
try:
    rx.recvfrom(16)
    print("yes")
except socket.timeout:
    print("no")
PY
}
[ "$(reaches 203.0.113.7)" = yes ] || fail "before the attack, 203.0.113.7 reaches the listener"

mkdir playbooks
cat > playbooks/ssh.yml <<'EOF'
id: ssh-brute-force-block
title: Block SSH password guessing
mode: auto
when: {rules: [mamori-ssh-brute-force]}
actions:
  - {type: block_address, value: source, duration: 10s}
EOF
cat > mamori.toml <<EOF
[respond]
playbooks = "$WORK/playbooks"
nftables_table = "mamori_respond"
reconcile_seconds = 5
EOF

failed() {  # failed IP N: sshd lines stamped now
  for i in $(seq 1 "$2"); do
    echo "$(date -u +%Y-%m-%dT%H:%M:%S.%6N+00:00) web1 sshd[$((4000 + i))]: Failed password for root from $1 port $((50000 + i)) ssh2"
  done
}
: > auth.log
"$MAMORI" --db "$WORK/mamori.db" --config mamori.toml collect --respond \
  --input "sshd@$WORK/auth.log" --rules "$RULES" > collect.out 2> collect.err &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q "collecting from" collect.err && break; sleep 0.1; done
grep -q "collecting from" collect.err || { cat collect.err; fail "collect started"; }

# Whether the response set holds ADDR. The listing goes to a file first: with pipefail,
# `nft … | grep -q` fails whenever grep exits before nft has written everything (SIGPIPE).
set_has() { nft list set inet mamori_respond mamori_block > set.out 2>&1; grep -q "$1" set.out; }
in_set() { set_has 203.0.113.7; }
# set_has, retried for up to 3 s (a loaded machine).
eventually_has() { for _ in $(seq 1 30); do set_has "$1" && return 0; sleep 0.1; done; return 1; }
start=$(date +%s%N)
failed 203.0.113.7 8 >> auth.log
for _ in $(seq 1 200); do in_set && break; sleep 0.05; done
in_set || { cat collect.err set.out; m detections list; m actions list; fail "203.0.113.7 added to the nftables set"; }
end=$(date +%s%N)
echo "log lines written → address in the nftables set: $(( (end - start) / 1000000 )) ms"
[ "$(reaches 203.0.113.7)" = no ] || fail "blocked address still reaches the listener"
[ "$(reaches 198.51.100.9)" = yes ] || fail "another address is blocked too"

actions=$(m actions list --json)
[ "$(json_get "$actions" 'd[0]["state"]')" = active ] || fail "action active: $actions"
[ "$(json_get "$actions" 'd[0]["target"]')" = 203.0.113.7 ] || fail "action target: $actions"
[ "$(json_get "$actions" 'd[0]["device"]')" = nftables ] || fail "action device: $actions"

# Expiry (10 s): the element goes, the traffic passes again.
for _ in $(seq 1 200); do in_set || break; sleep 0.1; done
in_set && fail "the block did not expire"
[ "$(reaches 203.0.113.7)" = yes ] || fail "after expiry, 203.0.113.7 reaches the listener again"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || fail "collect exits 0: $(cat collect.err)"
SERVER_PID=""

actions=$(m actions list --json)
[ "$(json_get "$actions" 'd[0]["state"]')" = expired ] || fail "action expired: $actions"
audit=$(m audit list --json)
expect_contains "$audit" '"expire"' "audit log records the expiry"
expect_contains "$audit" '"apply"' "audit log records the block"
m audit verify >/dev/null || fail "audit chain intact"

# A restart re-applies what the firewall lost: approve a block by hand, flush the set, start
# again; the element is back without a new detection.
cat > playbooks/ssh.yml <<'EOF'
id: ssh-brute-force-review
mode: recommend
when: {rules: [mamori-ssh-brute-force]}
actions:
  - {type: block_address, value: source, duration: 1h}
EOF
failed 198.51.100.9 8 | m --config mamori.toml collect --respond --input sshd@- --rules "$RULES" >/dev/null 2>&1 \
  || fail "collect from stdin"
proposed=$(m actions list --state proposed --json)
id=$(json_get "$proposed" 'd[0]["id"]')
m --config mamori.toml actions approve "$id" --comment "seen in the VPN logs" > approve.out 2>&1 || fail "approve: $(cat approve.out)"
eventually_has 198.51.100.9 || fail "approved block applied: $(cat approve.out; nft list table inet mamori_respond; m actions list)"
nft flush set inet mamori_respond mamori_block
m --config mamori.toml respond status > status.out 2>&1 || fail "respond status: $(cat status.out)"  # start-up reconciles
eventually_has 198.51.100.9 || fail "lost block re-applied: $(cat status.out; m actions list)"
m --config mamori.toml actions rollback "$id" --comment "false positive" >/dev/null || fail "rollback"
set_has 198.51.100.9 && fail "rolled back block gone"
echo "ok"
