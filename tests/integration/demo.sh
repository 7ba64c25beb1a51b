#!/usr/bin/env bash
# `mamori demo setup` (docs/demo.md, what `make run` starts): the demo is made in a temp dir, a
# second run leaves it alone, the same seed and --now give the same logs, and a `mamori serve` on
# its configuration shows through the API detections, automatic actions in force or done,
# recommendations waiting, feeds with indicators and listing history, audit entries, an
# infected host on the dashboard, finished sample reports with IOCs (when the corpus is built
# beside the binary) and the printed domain names scored and categorized.
source "$(dirname "$0")/lib.sh"

DEMO="$WORK/demo"
out=$("$MAMORI" demo setup --dir "$DEMO" --port 8080) || fail "demo setup: $out"
expect_contains "$out" "login     admin / demo-" "prints the credentials"
[ -s "$DEMO/admin-password.txt" ] || fail "password file"
[ -f "$DEMO/demo.json" ] || fail "marker written last"

# Idempotent: a second run changes nothing and says so.
before=$(stat -c %Y "$DEMO/mamori.db")
out=$("$MAMORI" demo setup --dir "$DEMO") || fail "second setup: $out"
expect_contains "$out" "already set up" "second run"
[ "$(stat -c %Y "$DEMO/mamori.db")" = "$before" ] || fail "second run touched the store"

# Deterministic: one seed and one "now" give the same files; another seed other attackers.
now=$(json_get "$(cat "$DEMO/demo.json")" 'd["now"]')
"$MAMORI" demo setup --dir "$WORK/again" --now "$now" > /dev/null || fail "setup again"
for f in logs/auth.log logs/access.log logs/kern.log logs/eve.json feeds/demo-c2.1.txt \
         domains/truth.csv domains/pdns/dnsdb.jsonl; do
  cmp -s "$DEMO/$f" "$WORK/again/$f" || fail "$f differs for the same seed"
done
"$MAMORI" demo setup --dir "$WORK/other" --now "$now" --seed 2 > /dev/null || fail "seed 2"
cmp -s "$DEMO/logs/auth.log" "$WORK/other/logs/auth.log" && fail "seed 2 gave the same auth.log"
cmp -s "$DEMO/domains/truth.csv" "$WORK/other/domains/truth.csv" && fail "seed 2 gave the same domains"
[ "$(json_get "$(cat "$DEMO/demo.json")" 'd["domains"]')" = \
  "$(json_get "$(cat "$WORK/again/demo.json")" 'd["domains"]')" ] || fail "same seed, other domain names"

# A non-empty directory that holds no demo is refused.
mkdir "$WORK/busy" && touch "$WORK/busy/x"
if "$MAMORI" demo setup --dir "$WORK/busy" > /dev/null 2>&1; then fail "non-empty dir accepted"; fi

port=$(free_port)
make_api_token -c "$DEMO/mamori.toml"
"$MAMORI" -c "$DEMO/mamori.toml" serve --port "$port" --no-scheduler > serve.log 2>&1 &
SERVER_PID=$!
wait_http "http://127.0.0.1:$port/api/v1/health"
base="http://127.0.0.1:$port/api/v1"

# Everything the console reads, then one check over all of it (python starts slowly on a busy
# machine: one run, not one per value).
api_get "$base/detections?since=24h&limit=500" > detections.json
api_get "$base/actions?limit=500" > actions.json
api_get "$base/sources" > sources.json
c2=$(json_get "$(cat "$DEMO/demo.json")" 'd["c2_address"]')
api_get "$base/indicators/$c2" > c2.json
api_get "$base/audit?limit=1000" > audit.json
api_get "$base/audit/verify" > /dev/null || fail "audit chain verifies"
api_get "$base/dashboard?range=24h" > dashboard.json
# The analysed samples (step 5) when the corpus is built beside the binary, as the demo finds it.
api_get "$base/samples" > samples.json
if [ -f "$(dirname "$MAMORI")/samples/manifest.tsv" ]; then
  first=$(json_get "$(cat "$DEMO/demo.json")" 'd["samples"][0]')
  api_get "$base/samples/$first/report" > report.json || fail "the report of sample $first"
  api_get "$base/samples/$first/iocs?format=json" > iocs.json || fail "the IOCs of sample $first"
else
  echo "NOTE: no samples/ beside $MAMORI: the demo skipped its analysed sample"
  echo '{}' > report.json; echo '{}' > iocs.json
fi
# The printed domain names (step 6).
dga=$(json_get "$(cat "$DEMO/demo.json")" 'd["domains"]["dga"]')
rereg=$(json_get "$(cat "$DEMO/demo.json")" 'd["domains"]["reregistered"]')
api_get "$base/domains/$dga" > dga.json
api_get "$base/domains/$rereg/category" > rereg.json
python3 - "$DEMO" <<'PY' || fail "demo data (above)"
import json, sys
demo = sys.argv[1]
load = lambda f: json.load(open(f))
meta = load(demo + "/demo.json")
problems = []
def check(ok, what, got):
    if not ok: problems.append(f"{what}: got {got}")

detections = load("detections.json")["detections"]
rules = {d["rule"] for d in detections}
for rule in ["mamori-ssh-brute-force", "mamori-sql-injection-url", "mamori-xss-url",
             "mamori-web-scanner-probing", "mamori-port-scan", "mamori-ids-high-severity-alert",
             "mamori-intel-outbound-connection", "mamori-intel-dns-query"]:
    check(rule in rules, f"a detection of {rule} in the last 24 h", sorted(rules))

actions = load("actions.json")["actions"]
in_force = [a for a in actions if a["state"] in ("active", "done")]
check(any(a["kind"] == "blocklist_boost" and a["state"] == "active" for a in actions),
      "the C2 address boosted in the blocklists (active)", in_force)
proposed = {a["playbook"] for a in actions if a["state"] == "proposed"}
for pb in ["web-injection-review", "port-scan-review", "ids-alert-review", "infected-host-isolate"]:
    check(pb in proposed, f"a recommendation of {pb} waiting", sorted(proposed))
# Once the DNS detection names the queried domain as its target (not the resolver's address),
# c2-domain-block blocks the domain in the demo's RPZ zone file.
dns = [d for d in detections if d["rule"] == "mamori-intel-dns-query"]
if dns and dns[0]["target"] == meta["c2_domain"]:
    check(any(a["kind"] == "block_domain" and a["state"] == "active" for a in actions),
          "the C2 domain blocked (active)", in_force)
    zone = open(demo + "/respond.rpz").read()
    check(meta["c2_domain"] + " CNAME ." in zone, "the domain in respond.rpz", zone)
elif dns:
    print(f"NOTE: the DNS detection's target is {dns[0]['target']}, not {meta['c2_domain']}: "
          "no domain block")

sources = load("sources.json")
# The demo's three feeds, then the simulated domain world's (sim-*, domain ingest --dir).
demo_sources = [s for s in sources if not s["name"].startswith("sim-")]
check(len(demo_sources) == 3 and all(s["listed_count"] > 0 for s in demo_sources),
      "three sources with indicators", [(s["name"], s["listed_count"]) for s in sources])
check(len(sources) > 3 and all(s["url"].endswith(".txt") for s in sources),
      "simulated feeds, each pointing at a snapshot file", [(s["name"], s["url"]) for s in sources])
intervals = load("c2.json")["history"]["intervals"]
check(len(intervals) == 2 and intervals[0]["delisted_at"] is not None,
      "the beaconing address delisted and listed again", intervals)
check(len(load("audit.json")["entries"]) >= 10, "audit entries", len(load("audit.json")["entries"]))
hosts = [h["host"] for h in load("dashboard.json")["infected_hosts"]]
check(meta["infected_host"] in hosts, "the infected host on the dashboard", hosts)
if meta["samples"]:
    samples = {s["id"]: s for s in load("samples.json")["samples"]}
    for sid in meta["samples"]:
        s = samples.get(sid, {})
        check(s.get("status") == "done" and s.get("report_status") == "analyzed",
              f"sample {sid} analysed", s)
    report = load("report.json")
    check(report.get("status") == "analyzed" and len(report.get("events", [])) > 0,
          "a report with events", {k: report.get(k) for k in ("status", "status_detail")})
    # The first sample is http_beacon: its beacon's host and URL are network IOCs.
    iocs = load("iocs.json").get("iocs", {})
    check(iocs.get("domain") and iocs.get("url"), "network IOCs of the first sample", iocs)
dga = load("dga.json")
check(dga.get("has_history") is True and isinstance(dga.get("score"), int),
      f"{meta['domains']['dga']} scored over its history", dga)
rereg = load("rereg.json")
check(rereg.get("category") == "reregistered",
      f"{meta['domains']['reregistered']} categorized", rereg)
for p in problems: print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo ok
