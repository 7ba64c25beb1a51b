#!/usr/bin/env bash
# Domain reputation end to end with the real binary: a small simulated world is written, ingested
# (every format through `domain ingest --dir`, one file through `--format`), a model is trained
# and evaluated on a time split, names are scored and explained, and findings are published as
# sightings that the intel store shows.
source "$(dirname "$0")/lib.sh"

m sim domains --domains 1500 --days 150 --seed 3 --out world >/dev/null || fail "sim domains"
m domain ingest --dir world --json > ingest.json || fail "ingest --dir: $(cat ingest.json)"
[ "$(json_get "$(cat ingest.json)" 'd["blocklist_snapshots"] > 100')" = True ] || fail "blocklists"
[ "$(json_get "$(cat ingest.json)" 'sum(f["malformed"] for f in d["files"])')" = 0 ] || fail "malformed"
# Each blocklist folder became a source whose URL is its latest snapshot: a refresh (as serve's
# scheduler does) reads it and finds it unchanged.
m feeds update sim-simfeed-fast > update.out 2>&1 || fail "refresh a sim feed: $(cat update.out)"

# A malformed line is counted with its place and skipped; the exit status says so.
printf '{"rrname":"ok.example.","rrtype":"A","rdata":"192.0.2.1","time_first":1,"time_last":2,"count":1}\nnot json\n' > bad.jsonl
set +e; out=$(m domain ingest bad.jsonl --format dnsdb 2>&1); rc=$?; set -e
[ "$rc" = 2 ] || fail "a malformed line exits 2, got $rc: $out"
expect_contains "$out" "bad.jsonl:2" "the malformed line is named"

m domain train --asn world/asn/ip2asn.tsv --out model.json --rounds 40 --json > train.json \
  || fail "train: $(cat train.json)"
json=$(m domain eval --split 2025-03-01 --truth world/truth.csv --asn world/asn/ip2asn.tsv \
         --rounds 40 --json) || fail "eval"
[ "$(json_get "$json" 'd["roc_auc"] > 0.6')" = True ] || fail "eval ROC-AUC: $json"
[ "$(json_get "$json" 'len(d["operating_points"])')" = 3 ] || fail "operating points: $json"
[ "$(json_get "$json" 'any(k["kind"] == "dga" for k in d["kinds"])')" = True ] || fail "kinds: $json"

# Score: JSON lines; an IP is refused on its own line and the batch goes on (exit 1).
dga=$(awk -F, '$2=="dga"{print $1; exit}' world/truth.csv)
set +e; out=$(m domain score "$dga" 192.0.2.1 example.com --model model.json --asn world/asn/ip2asn.tsv); rc=$?; set -e
[ "$rc" = 1 ] || fail "an invalid name exits 1: $out"
[ "$(wc -l <<<"$out")" = 3 ] || fail "one line per input: $out"
expect_contains "$(sed -n 2p <<<"$out")" '"error"' "the IP gets an error line"
expect_contains "$(sed -n 1p <<<"$out")" '"has_history":true' "a world domain has history"

json=$(m domain explain "$dga" --model model.json --json --top 3)
[ "$(json_get "$json" 'len(d["reasons"]) >= 1')" = True ] || fail "reasons: $json"
[ "$(json_get "$json" '"dns_addresses" in d["features"]')" = True ] || fail "features: $json"
expect_contains "$(m domain explain brand-new-name.example --no-store --model model.json)" \
  "scored on the name alone" "no history says so"

# A model for other features is refused with what to do.
python3 - <<'PY'
import json; m = json.load(open("model.json")); m["features"] = m["features"][:-1]
json.dump(m, open("old.json", "w"))
PY
set +e; out=$(m domain score example.com --model old.json 2>&1); rc=$?; set -e
[ "$rc" = 1 ] || fail "a mismatched model exits 1"
expect_contains "$out" "mamori domain train" "the mismatch says how to fix it"

# Publishing: names at or above the threshold become own findings in the intel store.
awk -F, '$3=="1" && n++ < 200 {print $1}' world/truth.csv > suspects.txt  # no head: SIGPIPE under pipefail
m domain score --file suspects.txt --model model.json --asn world/asn/ip2asn.tsv --publish > scores.jsonl
flagged=$(grep -m1 '"malicious":true' scores.jsonl | python3 -c 'import json,sys; print(json.load(sys.stdin)["domain"])') \
  || fail "no suspect reached the threshold"
json=$(m intel lookup "$flagged" --json)
expect_contains "$json" "analysis:domain-reputation" "a published finding is a sighting"
# Categorization with the same evidence: a domain the world re-registered after a lapse.
rereg=$(awk -F, '$2=="reregistered" && $6!="" {print $1; exit}' world/truth.csv)
json=$(m domain categorize "$rereg" --evidence --at 2025-05-30 --json)
[ "$(json_get "$json" 'd["category"]')" = reregistered ] || fail "re-registration seen: $json"
[ "$(json_get "$(m domain categorize "$rereg" --json)" 'd["category"]')" != reregistered ] \
  || fail "without --evidence there is nothing to see it by"
echo "ok"
