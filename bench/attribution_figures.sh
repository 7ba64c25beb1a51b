#!/usr/bin/env bash
# Issue 9 figure "Attribution on the injection corpus": analyses every injection sample build
# (x86 and x64) and measures, from the JSON reports, whether behaviour is attributed to the code
# that caused it:
#  (a) injected behaviours: events in a process other than the sample's own that the injected
#      code caused (the caller behind the event lies in memory made executable at run time in
#      that process, or the process runs a program the sample dropped) — share with
#      `origin: sample`;
#  (b) misattributed API calls in those processes: calls whose caller lies in the process's own
#      code (not injected memory, not a system DLL) yet are tagged `sample`, plus calls from
#      injected memory tagged anything but `sample`.
# Ground truth is the caller address against the report's own executable_memory[] regions, so the
# figure checks the provenance tags (`origin` of events, `caller_code` of API calls) without
# trusting them. Events without an `origin` field (reports from before events carried one) fall
# back to the `caller_code` of the API call behind them (the next call of the same thread).
# Usage: bench/attribution_figures.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
BUILD="${1:-build}"
OUT="${2:-$BUILD/bench-results/attribution}"
MAMORI="$BUILD/mamori"
SAMPLES=(remote_thread_injection apc_injection thread_hijack section_map_injection
         dll_injection_loadlibrary process_hollowing direct_syscall syscall_injection dropper)
mkdir -p "$OUT"
[ -x "$MAMORI" ] || { echo "no $MAMORI: build first" >&2; exit 1; }

for name in "${SAMPLES[@]}"; do
  for arch in x86 x64; do
    exe="$BUILD/samples/$name.$arch.exe"
    [ -f "$exe" ] || { echo "no $exe: build the samples target" >&2; continue; }
    "$MAMORI" analyze --json "$OUT/$name.$arch.json" "$exe" >/dev/null 2>"$OUT/$name.$arch.log" ||
      echo "analysis of $name.$arch failed (see $OUT/$name.$arch.log)" >&2
  done
done

python3 - "$OUT" "${SAMPLES[@]}" <<'PY'
import json, os, sys

out, samples = sys.argv[1], sys.argv[2:]
# The emulated system DLLs' window (system_dlls.cc): callers there are no process's own code.
SYSTEM = {False: (0x70000000, 0x78000000), True: (0x7FF800000000, 0x7FFC00000000)}

def num(v):
    return int(v, 16) if isinstance(v, str) else int(v or 0)

KEYS = ("inj", "inj_ok", "own_calls", "own_wrong", "inj_calls", "inj_wrong", "fallback")
rows, tot = [], dict.fromkeys(KEYS, 0)
for name in samples:
    for arch in ("x86", "x64"):
        path = os.path.join(out, f"{name}.{arch}.json")
        if not os.path.exists(path):
            continue
        report = json.load(open(path))
        is64 = arch == "x64"
        lo, hi = SYSTEM[is64]
        procs = report.get("processes", [])
        if not procs:
            continue
        root = procs[0]["pid"]
        others = {p["pid"]: p for p in procs if p["pid"] != root}
        regions = {pid: [(num(r["address"]), num(r["address"]) + int(r["size"]))
                         for r in p.get("executable_memory", [])] for pid, p in others.items()}

        def origin(pid, caller):
            """'injected', 'own' or 'system' for a caller address in process pid."""
            if caller == 0 or lo <= caller < hi:
                return "system"
            if others[pid].get("sample_code") or any(a <= caller < b for a, b in regions[pid]):
                return "injected"
            return "own"

        calls = {}  # (pid, tid) → [(seq, caller, caller_code)]
        c = dict.fromkeys(KEYS, 0)
        for pid, p in others.items():
            for t in p.get("threads", []):
                lst = calls.setdefault((pid, t["tid"]), [])
                for call in t.get("api_calls", []):
                    caller, code = num(call.get("caller")), call.get("caller_code")
                    lst.append((call["seq"], caller, code))
                    o = origin(pid, caller)
                    if o == "system":
                        continue
                    c[f"{'own' if o == 'own' else 'inj'}_calls"] += 1
                    if o == "own" and code == "sample":
                        c["own_wrong"] += 1
                    if o == "injected" and code != "sample":
                        c["inj_wrong"] += 1
        for e in report.get("events", []):
            pid = e.get("pid")
            if pid not in others:
                continue
            caller, code = e.get("caller"), e.get("origin")
            if caller is None or code is None:
                behind = next((x for x in sorted(calls.get((pid, e.get("tid")), []))
                               if x[0] >= e["seq"]), None)
                if behind is None:
                    continue
                c["fallback"] += 1
                caller = behind[1] if caller is None else caller
                code = behind[2] if code is None else code
            if origin(pid, num(caller)) != "injected":
                continue
            c["inj"] += 1
            c["inj_ok"] += code == "sample"
        rows.append((f"{name}.{arch}", c))
        for k in tot:
            tot[k] += c[k]

def pct(a, b):
    return f"{100.0 * a / b:.0f}%" if b else "–"

def row(label, c, bold=""):
    b = bold
    print(f"| {label} | {b}{c['inj_ok']}/{c['inj']} ({pct(c['inj_ok'], c['inj'])}){b} | "
          f"{b}{c['own_wrong']}/{c['own_calls']}{b} | {b}{c['inj_wrong']}/{c['inj_calls']}{b} | "
          f"{c['fallback']} |")

print("| build | injected behaviours attributed `sample` | host's own API calls tagged `sample` "
      "| injected code's API calls not tagged `sample` | events without `origin` (fallback) |")
print("|---|---|---|---|---|")
for label, c in rows:
    row(label, c)
row("**all**", tot, "**")
PY
