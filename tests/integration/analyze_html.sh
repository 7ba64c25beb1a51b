#!/usr/bin/env bash
# `mamori analyze --html` end to end (docs/formats/report.md, "HTML page"): a corpus sample
# analysed with --json and --html together still prints its summary and writes a self-contained
# page (no scripts, no external resources) that shows its hashes, sections and dropped files. The
# page must be well-formed: xmllint's XML parser accepts it (the markup is XML-clean on purpose)
# and its HTML parser finds nothing but the HTML5 element names it does not know. A file that is
# not a PE still gets a page, and exit code 2.
source "$(dirname "$0")/lib.sh"
SAMPLE="$(dirname "$MAMORI")/samples/file_ops.x86.exe"
[ -f "$SAMPLE" ] || fail "no $SAMPLE (samples not built?)"

"$MAMORI" analyze "$SAMPLE" --json "$WORK/report.json" --html "$WORK/report.html" \
  > "$WORK/summary.txt" || fail "analyze --json --html"
expect_contains "$(cat "$WORK/summary.txt")" "status: analyzed" "the summary still prints"
[ -s "$WORK/report.json" ] || fail "--json was not written next to --html"
[ -s "$WORK/report.html" ] || fail "--html was not written"

python3 - "$WORK/report.json" "$WORK/report.html" <<'PY' || fail "HTML page content (see above)"
import html, json, re, sys
report = json.load(open(sys.argv[1]))
page = open(sys.argv[2], encoding="utf-8").read()
errors = []
def need(text, what):
    if text not in page:
        errors.append(f"missing {what}: {text!r}")
need("<!DOCTYPE html>", "doctype")
for h in ["Sample", "Run", "PE file", "Process tree", "Behaviour", "Dropped files", "API calls"]:
    need(f"<h2>{h}</h2>", "section")
for k in ["md5", "sha1", "sha256", "ssdeep"]:
    need(report["sample"][k], k)
need(html.escape(report["run"]["end_reason"]), "end reason")
if not report["dropped_files"]:
    errors.append("file_ops dropped nothing: the check below needs a dropped file")
for f in report["dropped_files"]:
    need(html.escape(f["path"], quote=True).replace("&#x27;", "&#39;"), "dropped file path")
    need(f["sha256"], "dropped file sha256")
for p in report["processes"]:
    need(html.escape(p["name"]), "process name")
if re.search(r"<(script|link|iframe|img|object|embed)\b|<[^>]*\s(src|href)=\"(?!#)|url\(|@import", page, re.I):
    errors.append("the page is not self-contained (script, link or external resource)")
for e in errors:
    print("FAIL:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY

printf 'not a program' > "$WORK/notes.txt"
status=0
"$MAMORI" analyze "$WORK/notes.txt" --html "$WORK/notes.html" >/dev/null || status=$?
[ "$status" -eq 2 ] || fail "a file that is not a PE: exit $status, expected 2"
expect_contains "$(cat "$WORK/notes.html")" ">not_pe</span>" "the page of a file that is not a PE"
command -v xmllint >/dev/null || { echo "SKIP well-formedness: xmllint (libxml2-utils) is not installed"; exit 77; }
xmllint --noout "$WORK/report.html" 2>"$WORK/xml.txt" ||
  fail "the page is not well-formed: $(head -5 "$WORK/xml.txt")"
# libxml2's HTML parser predates HTML5: it names these elements "invalid" and nothing else.
xmllint --html --noout "$WORK/report.html" 2>&1 |
  grep -E 'parser (error|warning) :' |
  grep -vE 'Tag (header|nav|main|section|footer|details|summary) invalid' > "$WORK/html.txt" || true
[ ! -s "$WORK/html.txt" ] || fail "xmllint --html: $(head -5 "$WORK/html.txt")"

xmllint --noout "$WORK/notes.html" || fail "the not_pe page is not well-formed"
echo "PASS analyze_html"
