# Shared helpers for integration tests (sourced). Each test gets its own temp dir, removed on
# exit, and fails with a message naming the check that failed.
set -euo pipefail
MAMORI="$(realpath "$1")"
WORK="$(mktemp -d /tmp/mamori-it.XXXXXX)"
trap 'rm -rf "$WORK"; [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true' EXIT
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_contains "<haystack>" "<needle>" "<what>"
expect_contains() { [[ "$1" == *"$2"* ]] || fail "$3: expected to contain '$2', got: $1"; }
# json_get '<json>' '<python expression on d>'
json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print($2)" <<<"$1"; }
m() { "$MAMORI" --db "$WORK/mamori.db" "$@"; }
# A free TCP port on loopback (racy in theory; fine for tests run one at a time per port).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Waits up to 10 s for an HTTP URL to answer 2xx.
wait_http() {
  for _ in $(seq 1 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  fail "no answer from $1"
}
# The API needs credentials ([server] require_auth): make_api_token creates an admin API token
# in the store that the given mamori options open (`make_api_token --db "$WORK/mamori.db"`), and
# api_get calls `curl -fsS` with it.
API_TOKEN=""
make_api_token() {
  API_TOKEN=$("$MAMORI" "$@" tokens create it --role admin 2>/dev/null) || fail "tokens create"
}
api_get() { curl -fsS -H "Authorization: Bearer $API_TOKEN" "$@"; }
# The part of a mamori.toml that makes `serve` do nothing on its own (no sample feeds, no feed
# refresh, no blocklist builds), so a test sees only what it does itself.
quiet_serve_toml() {
  printf '[feeds]\nload_sample_feeds = false\n[scheduler]\nenabled = false\n[blocklist]\nbuild_on_serve = false\n'
}
