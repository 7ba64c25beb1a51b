#!/usr/bin/env bash
# `mamori audit verify|list`: an empty log verifies; rows chained as docs/formats/store.md says
# verify and list; a changed row is named; --expect-head catches a log cut at its end.
source "$(dirname "$0")/lib.sh"

out=$(m audit verify --json) || fail "empty log verifies: $out"
[ "$(json_get "$out" 'd["entries"]')" = 0 ] || fail "empty: $out"

# Append two rows the way the store does (the documented chain), from another program.
python3 - "$WORK/mamori.db" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
prev = "0" * 64
for i, (actor, action, target) in enumerate([("operator:alice", "approve", "203.0.113.7"),
                                             ("playbook:ssh", "apply", "203.0.113.7")], 1):
    fields = [prev, str(i), "1700000000", actor, action, target, "{}"]
    text = "".join(f"{len(f.encode())}:{f}" for f in fields)
    h = hashlib.sha256(text.encode()).hexdigest()
    db.execute("INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?)",
               (i, 1700000000, actor, action, target, "{}", prev, h))
    prev = h
db.commit()
PY
out=$(m audit verify --json) || fail "documented chain verifies: $out"
head=$(json_get "$out" 'd["head_hash"]')
[ "$(json_get "$out" 'd["entries"]')" = 2 ] || fail "two rows: $out"
list=$(m audit list --json)
[ "$(json_get "$list" 'd[0]["action"]')" = apply ] || fail "newest first: $list"

# A changed row (triggers dropped by someone with the file) is named.
python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute('DROP TRIGGER audit_log_no_update')
db.execute(\"UPDATE audit_log SET target = '10.0.0.1' WHERE id = 1\")
db.commit()" "$WORK/mamori.db"
set +e
out=$(m audit verify)
rc=$?
set -e
[ "$rc" = 1 ] || fail "broken chain exits 1: $out"
expect_contains "$out" "BROKEN at row 1" "names the changed row"

# --expect-head: a wrong expected head fails even when the chain itself holds.
python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute(\"UPDATE audit_log SET target = '203.0.113.7' WHERE id = 1\")
db.commit()" "$WORK/mamori.db"
m audit verify --expect-head "$head" > /dev/null || fail "restored chain with the right head"
set +e
out=$(m audit verify --expect-head "0000")
rc=$?
set -e
[ "$rc" = 1 ] || fail "unexpected head exits 1: $out"
expect_contains "$out" "not the expected" "says the head differs"
echo ok
