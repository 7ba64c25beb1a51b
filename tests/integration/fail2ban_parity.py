#!/usr/bin/env python3
"""Line-level parity of mamori's shipped rules with fail2ban's filters (issue 8, point 5).

fail2ban ships annotated test logs (tests/files/logs/<filter> of its Python package): before
most log lines a `# failJSON: {...}` comment says whether the filter must flag the NEXT line
("match": true/false) and for which host. This script reads them exactly as fail2ban's own runner
does (fail2ban/tests/samplestestcase.py):

  - `# filterOptions: [{...}, ...]` starts a block tested with each option set (a `mode`, a
    `logtype`...); a set with "test.condition" false drops the block; keys "test.*" are not
    filter options;
  - `# failJSON:` applies to the next line, whatever it is; a "constraint" is a Python expression
    on `name` (the filter) and `opts` (the option set) that limits the line to some sets;
  - a log line without failJSON must not match;
  - `# addFILE:` includes another file (sshd-journal: journald text, not a mamori input; skipped).

We compare in each filter's DEFAULT mode (the mode fail2ban's jail uses unless configured:
`normal`, postfix's `more`): a line is compared when its block has an option set of that mode
and its constraint holds for it. Lines tested only in other modes (ddos, extra, aggressive, auth,
fallback...) are reported separately, for information.

For each filter, mamori runs the rules that cover the jail (RULES below) over the log with
`mamori rules test --json`, which reports per line whether a rule's per-line condition matched
(thresholds are not line-level). A helper rule written to a temporary directory reports the
source.ip the parser gave each line. A line agrees when both say "no match", or both say "match"
and the address is the one fail2ban names (when it names one).

Every difference in the default mode must be explained in docs/fail2ban-parity.md (the table under
"## Explained differences": filter, the log line, the reason); an unexplained one fails the test.

Usage: fail2ban_parity.py MAMORI [--report] [--logs DIR] [--doc FILE] [--rules DIR]
Exit status: 0 agreement (all differences explained), 1 unexplained differences, 77 no fail2ban
test logs (skipped).
"""

import argparse
import ipaddress
import json
import os
import re
import subprocess
import sys
import tempfile

LOGS_DIR = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# filter -> (default mode, [(mamori format, [rule files])]). nginx-botsearch's test log mixes
# access-log and error-log lines: each run reads the lines of its format (the others are
# malformed for it and skipped).
FILTERS = {
    "sshd": ("normal", [("sshd", ["ssh_brute_force.yml"])]),
    "nginx-http-auth": ("normal", [("nginx-error",
                                    ["http_auth_brute_force.yml", "web_access_denied.yml"])]),
    "nginx-botsearch": ("normal", [("nginx-error", ["web_scanner_probing.yml"]),
                                   ("nginx-combined", ["web_scanner_probing.yml"])]),
    "apache-auth": ("normal", [("apache-error",
                                ["http_auth_brute_force.yml", "web_access_denied.yml"])]),
    "postfix": ("more", [("postfix",
                          ["smtp_client_rejected.yml", "smtp_auth_brute_force.yml"])]),
}

# Reports every parsed source.ip as a selection hit (the line number comes with it).
ADDRESS_PROBE_RULE = """\
title: parity helper - the parsed source address
id: parity-address-probe
status: test
description: Reports source.ip of every event, for the fail2ban parity test.
author: mamori tests
tags: [test]
level: informational
detection:
  has_address:
    source.ip: '*'
  condition: has_address
"""

ANNOTATION = re.compile(r"^#+ ?(failJSON|(?:file|filter)Options|addFILE):(.+)$")


def safe_eval(expr, name, opts):
    return bool(eval(expr, {"__builtins__": {}}, {"name": name, "opts": opts}))  # noqa: S307


class Line:
    def __init__(self, number, text, faildata, default_tested, modes):
        self.number = number          # 1-based line number in the log file
        self.text = text
        self.faildata = faildata      # the failJSON dict ({} for a bare line)
        self.default_tested = default_tested
        self.modes = modes            # modes the line is tested in (for the report)


def read_annotations(path, name, default_mode):
    """The tested lines of one fail2ban test log, as samplestestcase.py walks them."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        raw = f.read().split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    lines = []
    option_sets = [{}]  # no filterOptions yet: the filter's defaults
    ignore_block = False
    i = 0
    while i < len(raw):
        text = raw[i].rstrip("\r")
        i += 1
        m = ANNOTATION.match(text)
        faildata = {}
        if m:
            kind, payload = m.group(1), m.group(2)
            data = json.loads(payload)
            if kind == "fileOptions" or kind == "addFILE":
                continue  # only in files we do not read (addFILE: sshd-journal)
            if kind == "filterOptions":
                option_sets = []
                ignore_block = False
                for opts in data if isinstance(data, list) else [data]:
                    if opts.get("test.condition"):
                        ignore_block = not safe_eval(opts["test.condition"], name, opts)
                    if not ignore_block:
                        option_sets.append(opts)
                continue
            faildata = data
            if i >= len(raw):
                break
            text = raw[i].rstrip("\r")
            i += 1
        elif ignore_block or text.startswith("#") or not text.strip():
            continue
        if ignore_block:
            continue
        modes, default_tested = [], False
        for opts in option_sets:
            constraint = faildata.get("constraint")
            if constraint and not safe_eval(constraint, name, opts):
                continue
            mode = opts.get("mode", default_mode)
            modes.append(mode)
            default_tested |= mode == default_mode
        if modes:
            lines.append(Line(i, text, faildata, default_tested, modes))
    return lines


def mamori_lines(mamori, log, fmt, rules_dir, rule_files):
    """{line number: (matched rule ids, source.ip or None)} from `mamori rules test --json`."""
    with tempfile.TemporaryDirectory(prefix="mamori-parity.") as tmp:
        for rule in rule_files:
            # A rule missing from --rules (an older pack, for a before/after figure) is skipped.
            if os.path.exists(os.path.join(rules_dir, rule)):
                os.symlink(os.path.join(rules_dir, rule), os.path.join(tmp, rule))
        with open(os.path.join(tmp, "zz_parity_address_probe.yml"), "w") as f:
            f.write(ADDRESS_PROBE_RULE)
        proc = subprocess.run([mamori, "rules", "test", tmp, log, "--format", fmt, "--json"],
                              capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        sys.exit(f"mamori rules test failed ({proc.returncode}): {proc.stderr.strip()}")
    out = {}
    for m in json.loads(proc.stdout)["matches"]:
        ids, address = out.setdefault(m["line"], (set(), None))
        if m["rule"] == "parity-address-probe":
            for sel in m["selections"]:
                for hit in sel["hits"]:
                    if hit["field"] == "source.ip":
                        address = hit["value"]
        else:
            ids.add(m["rule"])
        out[m["line"]] = (ids, address)
    return out


def same_address(a, b):
    if a is None or b is None:
        return False
    try:
        return ipaddress.ip_address(a) == ipaddress.ip_address(b)
    except ValueError:
        return a == b


def is_address(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def compare(mamori, logs_dir, rules_dir):
    results = {}
    for name, (default_mode, runs) in FILTERS.items():
        path = os.path.join(logs_dir, name)
        lines = read_annotations(path, name, default_mode)
        ours = {}
        for fmt, rules in runs:
            for number, (ids, address) in mamori_lines(mamori, path, fmt, rules_dir, rules).items():
                prev_ids, prev_addr = ours.get(number, (set(), None))
                ours[number] = (prev_ids | ids, prev_addr or address)
        rows = []
        for line in lines:
            ids, address = ours.get(line.number, (set(), None))
            expect = bool(line.faildata.get("match", False))
            host = line.faildata.get("host")
            flagged = bool(ids)
            if not expect:
                agree = not flagged
            else:
                agree = flagged and address is not None and (host is None or
                                                            same_address(address, host))
            rows.append({"line": line, "expect": expect, "host": host, "flagged": flagged,
                         "address": address, "rules": sorted(ids), "agree": agree})
        results[name] = rows
    return results


def read_explained(doc):
    """{(filter, log line): reason} from the "## Explained differences" table of the doc."""
    explained = {}
    in_section = False
    with open(doc, encoding="utf-8") as f:
        for text in f:
            if text.startswith("## "):
                in_section = text.strip().lower() == "## explained differences"
                continue
            if not in_section or not text.startswith("|"):
                continue
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", text.strip())[1:-1]]
            if len(cells) < 3 or cells[0] in ("filter", "") or set(cells[0]) <= set("-: "):
                continue
            line = cells[1].replace("\\|", "|")
            if line.startswith("`") and line.endswith("`"):
                line = line[1:-1]
            explained[(cells[0], line)] = cells[2]
    return explained


def describe(row):
    exp = "match" if row["expect"] else "no match"
    if row["expect"] and row["host"]:
        exp += f" {row['host']}"
    got = "match" if row["flagged"] else "no match"
    if row["flagged"]:
        got += f" {row['address'] or '(no address)'} [{', '.join(row['rules'])}]"
    return f"fail2ban: {exp}; mamori: {got}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mamori")
    ap.add_argument("--report", action="store_true", help="print the Markdown tables for docs")
    ap.add_argument("--logs", default=LOGS_DIR)
    ap.add_argument("--doc", default=os.path.join(REPO, "docs", "fail2ban-parity.md"))
    ap.add_argument("--rules", default=os.path.join(REPO, "rules"),
                    help="rule directory (default: the repository's rules/)")
    args = ap.parse_args()

    missing = [n for n in FILTERS if not os.path.isfile(os.path.join(args.logs, n))]
    if missing:
        print(f"SKIP: fail2ban test logs not found in {args.logs} ({', '.join(missing)}); "
              "install the fail2ban package", file=sys.stderr)
        return 77

    results = compare(args.mamori, args.logs, os.path.abspath(args.rules))
    explained = read_explained(args.doc)
    used = set()
    unexplained = []

    print("Default mode (compared):\n")
    print("| filter | mode | lines | agree | differ | explained |")
    print("|---|---|---:|---:|---:|---:|")
    for name, rows in results.items():
        tested = [r for r in rows if r["line"].default_tested]
        differ = [r for r in tested if not r["agree"]]
        n_explained = 0
        for r in differ:
            key = (name, r["line"].text)
            if key in explained:
                used.add(key)
                n_explained += 1
            else:
                unexplained.append((name, r))
        print(f"| {name} | {FILTERS[name][0]} | {len(tested)} | {len(tested) - len(differ)} | "
              f"{len(differ)} | {n_explained} |")

    print("\nOther modes only (for information, not compared):\n")
    print("| filter | modes | lines | agree | differ |")
    print("|---|---|---:|---:|---:|")
    for name, rows in results.items():
        other = [r for r in rows if not r["line"].default_tested]
        if not other:
            continue
        modes = sorted({m for r in other for m in r["line"].modes})
        differ = sum(1 for r in other if not r["agree"])
        print(f"| {name} | {', '.join(modes)} | {len(other)} | {len(other) - differ} | {differ} |")

    print("\nDifferences in the default mode:\n")
    for name, rows in results.items():
        for r in rows:
            if r["line"].default_tested and not r["agree"]:
                reason = explained.get((name, r["line"].text))
                tag = "explained" if reason else "UNEXPLAINED"
                print(f"  {name}:{r['line'].number} [{tag}] {describe(r)}\n    {r['line'].text}")
                if reason and not args.report:
                    print(f"    reason: {reason}")

    if args.report:
        print("\nOther-mode lines where mamori differs from that mode:\n")
        for name, rows in results.items():
            for r in rows:
                if not r["line"].default_tested and not r["agree"]:
                    print(f"  {name}:{r['line'].number} ({', '.join(r['line'].modes)}) "
                          f"{describe(r)}\n    {r['line'].text}")

    stale = [k for k in explained if k not in used]
    for name, text in stale:
        # Another fail2ban version may lack the line; the doc should be brought up to date.
        print(f"WARNING: explained difference no longer seen: {name}: {text}", file=sys.stderr)
    if unexplained:
        print(f"\nFAIL: {len(unexplained)} unexplained difference(s); fix the rule/parser or "
              f"explain them in {os.path.relpath(args.doc, REPO)}", file=sys.stderr)
        return 1
    print("\nOK: every difference in the default mode is explained")
    return 0


if __name__ == "__main__":
    sys.exit(main())
