#!/usr/bin/env bash
# `mamori domain categorize`: JSON lines per input (arguments, --file, stdin), the fields of the
# countermeasure output, an error per bad item while the batch goes on, the table, --services,
# --help; no store is opened.
source "$(dirname "$0")/lib.sh"

# field '<json line>' '<python expression on d>'
field() { json_get "$1" "$2"; }

out=$("$MAMORI" domain categorize --json evil.duckdns.org 'https://bit.ly/3xYz' 192.0.2.7 \
      'xn--pypal-4ve.com' paypal-login.000webhostapp.com) || fail "categorize exits 0"
[ "$(wc -l <<<"$out")" = 5 ] || fail "one JSON line per input: $out"
l1=$(sed -n 1p <<<"$out"); l2=$(sed -n 2p <<<"$out"); l3=$(sed -n 3p <<<"$out")
l4=$(sed -n 4p <<<"$out"); l5=$(sed -n 5p <<<"$out")
[ "$(field "$l1" 'd["category"]')" = dynamic_dns ] || fail "duckdns customer: $l1"
[ "$(field "$l1" 'd["action"]')" = block-fqdn ] || fail "duckdns action: $l1"
[ "$(field "$l1" 'd["block_at"]')" = evil.duckdns.org ] || fail "duckdns block_at: $l1"
[ "$(field "$l1" '",".join(d["defense_points"])')" = dns_rpz,firewall,web_proxy,endpoint ] ||
  fail "defense points of block-fqdn: $l1"
[ "$(field "$l2" 'd["category"]+" "+d["action"]+" "+d["block_at"]')" = "url_shortener block-url bit.ly/3xYz" ] ||
  fail "shortener URL: $l2"
[ "$(field "$l3" 'd["category"]')" = ip_literal ] || fail "IP literal: $l3"
[ "$(field "$l4" 'd["category"]+" "+d["typosquat"]["brand"]')" = "typosquatting paypal.com" ] ||
  fail "punycode homoglyph of paypal.com: $l4"
[ "$(field "$l4" 'd["action"]')" = block-registered-domain ] || fail "typosquat action: $l4"
[ "$(field "$l5" 'd["category"]+" "+d["block_at"]')" = "web_hosting paypal-login.000webhostapp.com" ] ||
  fail "hosting customer: $l5"
expect_contains "$(field "$l5" 'd["abuse_contact"]')" "hostinger" "platform abuse contact"
# The built-in DGA model is consulted (and can be turned off).
line=$("$MAMORI" domain categorize --json xjwqpkztvbnm.com)
[ "$(field "$line" 'd["category"]+" "+d["action"]')" = "dga block-registered-domain" ] ||
  fail "random-letter name is dga: $line"
line=$("$MAMORI" domain categorize --json --no-dga xjwqpkztvbnm.com)
[ "$(field "$line" 'd["category"]')" != dga ] || fail "--no-dga: $line"
expect_contains "$line" "DGA model not loaded" "evidence says the DGA model is off"
for k in input domain category confidence evidence action block_at defense_points abuse_contact; do
  [ "$(field "$l1" "'$k' in d")" = True ] || fail "field $k missing: $l1"
done

# The platform itself is never blocked whole.
for p in duckdns.org bit.ly github.io blogspot.com 000webhostapp.com; do
  line=$("$MAMORI" domain categorize --json "$p")
  [ "$(field "$line" 'd["action"]')" != block-registered-domain ] || fail "$p blocked whole: $line"
done

# --file and stdin, with comments, blank lines and a bad item in the middle: the batch goes on,
# the bad item gets an error object, the exit status is 1.
printf '# iocs\nEVIL.DuckDNS.org.\n\nnot a name!\nhxxps://pastebin[.]com/raw/AbC\n' > in.txt
set +e; out=$("$MAMORI" domain categorize --file in.txt --json 2>err.txt); rc=$?; set -e
[ "$rc" = 1 ] || fail "a bad item makes the exit status 1 (got $rc)"
[ "$(wc -l <<<"$out")" = 3 ] || fail "three items from the file: $out"
expect_contains "$(sed -n 2p <<<"$out")" '"error"' "bad item reported as an error object"
[ "$(field "$(sed -n 1p <<<"$out")" 'd["block_at"]')" = evil.duckdns.org ] || fail "normalized name"
[ "$(field "$(sed -n 3p <<<"$out")" 'd["block_at"]')" = pastebin.com/raw/AbC ] || fail "defanged URL"
out=$(printf 'bit.ly/x\n' | "$MAMORI" domain categorize - --json)
[ "$(field "$out" 'd["action"]')" = block-url ] || fail "stdin: $out"

# The table names category, action and what to block, with the evidence below.
table=$("$MAMORI" domain categorize evil.duckdns.org)
expect_contains "$table" "CATEGORY" "table header"
expect_contains "$table" "dynamic_dns" "table row"
expect_contains "$table" "never duckdns.org" "evidence in the table"

# User service lists.
mkdir svc && printf '# category: paste_site\npaste.corp.example | Corp paste | abuse@corp.example\n' > svc/corp.txt
line=$("$MAMORI" domain categorize --services svc --json https://paste.corp.example/x)
[ "$(field "$line" 'd["category"]+" "+d["abuse_contact"]')" = "paste_site abuse@corp.example" ] ||
  fail "--services list: $line"

help=$("$MAMORI" domain categorize --help)
expect_contains "$help" "block-registered-domain" "help explains actions"
expect_contains "$help" "Examples" "help has examples"
[ ! -e mamori.db ] || fail "domain categorize must not create a store"
echo "ok"
