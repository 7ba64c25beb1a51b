#!/usr/bin/env bash
# The Samples page of the web console in a real browser (docs/web-console.md): a `mamori serve`
# on a temp store with sample analysis on ([analysis], 1 MiB limit) and an operator; headless
# Chromium (tests/browser/samples.test.mjs, playwright-core) logs in, sees an empty and an
# oversize upload refused, uploads a built corpus sample, waits on the list (which refreshes by
# itself) until it is done, opens its report, finds a file write of the report in the behaviour
# tables and the sha256 in the downloaded IOC list. A finished sample whose report is full of
# markup (written into the store as a hostile sample's report would be) must show it as text and
# run none of it. Page load times are printed, never asserted. Skipped (77) only when chromium is
# not installed.
source "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || true)
if [ -z "$CHROMIUM" ]; then
  echo "SKIP: chromium is not installed (scripts/install-deps installs it)"
  exit 77
fi
command -v node >/dev/null || fail "node is needed for the browser test (scripts/install-deps)"
[ -d "$MAMORI_SOURCE_DIR/web/node_modules/playwright-core" ] ||
  fail "web/node_modules/playwright-core missing: build first (the build runs npm ci in web/)"
SAMPLE="$(dirname "$MAMORI")/samples/file_ops.x64.exe"
[ -f "$SAMPLE" ] || fail "no $SAMPLE (samples not built?)"

USER_NAME=olga
PASSWORD="correct horse battery staple"
printf '%s' "$PASSWORD" > pw.txt
m users add "$USER_NAME" --role operator --password-file pw.txt > /dev/null || fail "users add"

# A finished sample with a hostile report: markup in every string a sample controls. Written as
# the queue would have stored it (migration 0009), so no worker has to produce it.
XSS_ID=$(python3 - "$WORK/mamori.db" <<'PY'
import json, sys, time
import sqlite3
mark = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
sha = 'ab' * 32
report = {
    "version": 1, "status": "analyzed",
    "sample": {"file_name": mark + ".exe", "size": 4, "md5": "cd" * 16, "sha1": "ef" * 20, "sha256": sha},
    "run": {"end_reason": "all_threads_exited", "detail": mark, "instructions": 1, "api_calls": 1, "wall_seconds": 0.1},
    "processes": [{"pid": 4, "parent_pid": 0, "name": mark, "image": "C:\\" + mark, "command_line": mark,
                   "sample_code": True, "exit_code": "0x0", "threads": [], "executable_memory": []}],
    "events": [
        {"seq": 1, "pid": 4, "tid": 8, "kind": "file", "op": "write", "path": "C:\\Temp\\" + mark, "size": "4"},
        {"seq": 2, "pid": 4, "tid": 8, "kind": "mutex", "op": "create", "name": mark},
        {"seq": 3, "pid": 4, "tid": 8, "kind": mark, "op": mark, mark: mark},
    ],
    "dropped_files": [{"path": "C:\\Temp\\" + mark, "size": 4, "sha256": sha}],
    "unimplemented_apis": {"kernel32.dll!" + mark: 1},
    "errors": [mark],
    "truncated": {"api_calls_dropped": 0, "events_dropped": 0},
}
db = sqlite3.connect(sys.argv[1])
now = int(time.time())
cur = db.execute(
    "INSERT INTO malware_samples (sha256, file_name, size, submitted_at, submitted_by, status, "
    "report_status, summary, report, started_at, finished_at) "
    "VALUES (?, ?, 4, ?, 'test', 'done', 'analyzed', ?, ?, ?, ?)",
    (sha, mark + ".exe", now, json.dumps({"status": "analyzed", "events": 3}), json.dumps(report), now, now))
db.commit()
print(cur.lastrowid)
PY
) || fail "could not add the hostile sample"

port=$(free_port)
quiet_serve_toml > quiet.toml
printf '[analysis]\nenabled = true\nsamples_dir = "%s"\nmax_sample_mb = 1\n' "$WORK/samples" >> quiet.toml
"$MAMORI" --config quiet.toml --db "$WORK/mamori.db" serve --port "$port" > serve.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/v1/health" > /dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/api/v1/health" > /dev/null || { cat serve.log; fail "serve did not start"; }

set +e
MAMORI_URL="http://127.0.0.1:$port" CHROMIUM="$CHROMIUM" WORK="$WORK" \
  MAMORI_USER="$USER_NAME" MAMORI_PASSWORD="$PASSWORD" SAMPLE="$SAMPLE" XSS_ID="$XSS_ID" SHOTS="${SHOTS:-}" \
  timeout 240 node "$MAMORI_SOURCE_DIR/tests/browser/samples.test.mjs"
rc=$?
set -e
if [ "$rc" != 0 ]; then
  echo "--- serve.log (tail)"; tail -30 serve.log
  fail "browser test failed (exit $rc)"
fi
echo ok
