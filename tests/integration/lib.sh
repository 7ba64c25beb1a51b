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
