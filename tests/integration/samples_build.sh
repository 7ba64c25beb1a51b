#!/usr/bin/env bash
# The samples/ corpus (docs/samples.md): every sample was built for x86 and x64 as a valid PE of
# the right machine and kind (exe/dll), and every samples/*/expected.yaml parses and uses only the
# vocabulary of docs/formats/samples-expected.md. Also checks what some samples are about: the
# PEB-walking sample imports nothing, the packed sample carries its .mpk section, DLL samples
# export what their expected.yaml says, and strings "decoded at run time" are not in the file.
SAMPLES_SRC="$(cd "$(dirname "$0")/../.." && pwd)/samples"
source "$(dirname "$0")/lib.sh"
SAMPLES_BIN="$(dirname "$MAMORI")/samples"
[ -f "$SAMPLES_BIN/manifest.tsv" ] || fail "no $SAMPLES_BIN/manifest.tsv (samples not built?)"
python3 -c 'import yaml' 2>/dev/null || fail "python3-yaml is not installed"

python3 - "$SAMPLES_SRC" "$SAMPLES_BIN" <<'PY' || fail "samples corpus check (see above)"
import fnmatch, os, struct, sys, yaml

src, bin_dir = sys.argv[1], sys.argv[2]
errors = []
def err(msg): errors.append(msg)

# The vocabulary of expected.yaml is checked by `mamori samples lint` (below), with the parser the
# checker itself uses; this script only needs the arch names.
ARCHES = {"x86", "x64"}
MACHINE = {"x86": 0x14C, "x64": 0x8664}

# --- PE parsing ------------------------------------------------------------------------------
def pe_info(path):
    data = open(path, "rb").read()
    if data[:2] != b"MZ":
        raise ValueError("no MZ header")
    lfanew = struct.unpack_from("<I", data, 0x3C)[0]
    if data[lfanew:lfanew + 4] != b"PE\0\0":
        raise ValueError("no PE signature")
    machine, nsec, _, _, _, opt_size, chars = struct.unpack_from("<HHIIIHH", data, lfanew + 4)
    opt = lfanew + 24
    magic = struct.unpack_from("<H", data, opt)[0]
    pe32plus = magic == 0x20B
    subsystem = struct.unpack_from("<H", data, opt + 68)[0]
    dirs = opt + (112 if pe32plus else 96)
    ndirs = struct.unpack_from("<I", data, dirs - 4)[0]
    dd = [struct.unpack_from("<II", data, dirs + 8 * i) for i in range(min(ndirs, 16))]
    sections = []
    for i in range(nsec):
        o = opt + opt_size + 40 * i
        name = data[o:o + 8].rstrip(b"\0").decode("latin-1")
        vsize, va, rsize, rptr = struct.unpack_from("<IIII", data, o + 8)
        sections.append((name, va, vsize, rptr, rsize))
    def rva_to_off(rva):
        for _, va, vs, rp, rs in sections:
            if va <= rva < va + max(vs, rs):
                return rp + rva - va
        raise ValueError(f"rva {rva:#x} outside sections")
    def cstr(rva):
        o = rva_to_off(rva)
        return data[o:data.index(b"\0", o)].decode("latin-1")
    imports = []
    if len(dd) > 1 and dd[1][0]:
        o = rva_to_off(dd[1][0])
        while True:
            name_rva = struct.unpack_from("<I", data, o + 12)[0]
            if not name_rva:
                break
            imports.append(cstr(name_rva).lower())
            o += 20
    exports = []
    if dd and dd[0][0]:
        o = rva_to_off(dd[0][0])
        nnames, _, names_rva = struct.unpack_from("<III", data, o + 24)
        no = rva_to_off(names_rva)
        exports = [cstr(struct.unpack_from("<I", data, no + 4 * i)[0]) for i in range(nnames)]
    return dict(machine=machine, dll=bool(chars & 0x2000), pe32plus=pe32plus, subsystem=subsystem,
                sections=[s[0] for s in sections], imports=imports, exports=exports, data=data)

# --- built files -----------------------------------------------------------------------------
built = {}
for line in open(os.path.join(bin_dir, "manifest.tsv")):
    if not line.strip():
        continue
    name, arch, ext, path = line.rstrip("\n").split("\t")
    if not os.path.isfile(path):
        err(f"{name}.{arch}: not built ({path})")
        continue
    try:
        info = pe_info(path)
    except Exception as ex:
        err(f"{path}: not a valid PE: {ex}")
        continue
    if info["machine"] != MACHINE[arch]:
        err(f"{path}: machine {info['machine']:#x}, expected {MACHINE[arch]:#x} ({arch})")
    if info["pe32plus"] != (arch == "x64"):
        err(f"{path}: wrong optional header for {arch}")
    if info["dll"] != (ext == "dll"):
        err(f"{path}: DLL flag does not match .{ext}")
    if any("libgcc" in i or "libwinpthread" in i for i in info["imports"]):
        err(f"{path}: depends on a mingw runtime DLL: {info['imports']}")
    built[(name, arch)] = (path, info)
names = {n for n, _ in built}
for n in sorted(names):
    for arch in ARCHES:
        if (n, arch) not in built:
            err(f"{n}: no {arch} build in the manifest")

# --- expected.yaml ---------------------------------------------------------------------------
samples = 0
for entry in sorted(os.listdir(src)):
    d = os.path.join(src, entry)
    if not os.path.isdir(d) or entry in ("common", "packer"):
        continue
    y = os.path.join(d, "expected.yaml")
    if not os.path.isfile(y):
        err(f"samples/{entry}: no expected.yaml")
        continue
    samples += 1
    where = f"samples/{entry}/expected.yaml"
    try:
        doc = yaml.safe_load(open(y))
    except yaml.YAMLError as ex:
        err(f"{where}: does not parse: {ex}")
        continue
    if not isinstance(doc, dict):
        err(f"{where}: not a mapping")
        continue
    if doc.get("sample") != entry:
        err(f"{where}: sample is {doc.get('sample')!r}, expected {entry!r}")
    if not isinstance(doc.get("description"), str) or not doc["description"].strip():
        err(f"{where}: needs a description")
    arches = doc.get("arch")
    if not isinstance(arches, list) or not arches or not set(arches) <= ARCHES:
        err(f"{where}: arch must be a non-empty list of x86/x64")
        arches = []
    if doc.get("type", "exe") not in ("exe", "dll"):
        err(f"{where}: type must be exe or dll")
    expect = doc.get("expect")
    if not isinstance(expect, list) or not expect:
        err(f"{where}: expect must be a non-empty list")
        expect = []
    for arch in arches:
        if (entry, arch) not in built:
            err(f"{where}: {entry}.{arch} was not built")
            continue
        path, info = built[(entry, arch)]
        if info["dll"] != (doc.get("type", "exe") == "dll"):
            err(f"{path}: type in expected.yaml does not match the file")
        for x in doc.get("exports") or []:
            if x not in info["exports"]:
                err(f"{path}: does not export {x} (exports: {info['exports']})")
        for x in doc.get("run") or []:
            if x not in (doc.get("exports") or []):
                err(f"{where}: run names {x}, which is not in exports")
        # strings decoded at run time must not be in the file in clear
        for e in expect:
            v = e.get("value") if e.get("kind") == "string" else None
            if v and not any(c in v for c in "*?[") and v.encode() in info["data"]:
                err(f"{path}: '{v}' is in the file in clear text, yet expected as decoded at run time")

# --- what particular samples are about ---------------------------------------------------------
for arch in ARCHES:
    if ("peb_walk_hashing", arch) in built and built[("peb_walk_hashing", arch)][1]["imports"]:
        err(f"peb_walk_hashing.{arch}: must import nothing, imports {built[('peb_walk_hashing', arch)][1]['imports']}")
    if ("packed_file_ops", arch) in built:
        info = built[("packed_file_ops", arch)][1]
        if ".mpk" not in info["sections"] or info["imports"] != ["kernel32.dll"]:
            err(f"packed_file_ops.{arch}: expected a .mpk section and only kernel32 imports, got "
                f"{info['sections']} {info['imports']}")
        if b"file_ops" in info["data"]:
            err(f"packed_file_ops.{arch}: the packed program is visible in clear text")
    if ("self_decrypt", arch) in built and ".mpay" not in built[("self_decrypt", arch)][1]["sections"]:
        err(f"self_decrypt.{arch}: no .mpay section")
    for inj in ("remote_thread_injection", "apc_injection", "thread_hijack", "section_map_injection"):
        if (inj, arch) in built and ".inj" not in built[(inj, arch)][1]["sections"]:
            err(f"{inj}.{arch}: no .inj section with the injected code")

if samples < 20:
    err(f"only {samples} samples with expected.yaml; the corpus has at least 20")
for e in errors:
    print("FAIL:", e, file=sys.stderr)
print(f"samples_build: {samples} samples, {len(built)} built files checked, {len(errors)} problems")
sys.exit(1 if errors else 0)
PY
# The vocabulary: the checker's own parser over every expected.yaml.
"$MAMORI" samples lint --samples-dir "$SAMPLES_SRC" || fail "expected.yaml vocabulary (see above)"
echo "PASS samples_build"
