#!/usr/bin/env python3
"""Generates the Windows API prototype database behind src/malware/win/prototypes.h.

Run by CMake at build time (src/CMakeLists.txt); Python 3 standard library only.
docs/malware-prototypes.md explains the sources and the limits of the data.

Inputs
  * mingw-w64 import libraries (lib<dll>.a, both i686 and x86_64): which DLL exports which
    name, import-by-ordinal ordinals, data exports, and on i686 the decorated name
    (_CreateFileA@28 = stdcall popping 28 bytes, _sprintf = cdecl). The archives are parsed
    here, both the short import format (IMPORT_OBJECT_HEADER) and the long format that GNU
    dlltool writes (.idata$4/5/6/7 sections).
  * mingw-w64 headers, through `gcc -aux-info`: return and argument types. A second compile
    of the same translation unit asks gcc (__builtin_classify_type) whether each type is a
    pointer, an integer or a bool, so typedef names need no guessing.
  * src/malware/win/data/ordinals.txt: real export ordinals the import libraries lack.

Outputs (into the build directory)
  * <out>.h — the raw table layout (included by src/malware/win/prototypes.cc)
  * <out>.cc — the tables: one string pool, type names, argument lists, prototypes.
"""

import argparse
import concurrent.futures
import os
import re
import struct
import subprocess
import sys
import tempfile

# Import library (lib<name>.a) per DLL the database covers. The DLL's name comes from the
# library itself; this list only says which libraries to read.
LIBRARIES = [
    "advapi32", "avicap32", "bcrypt", "cabinet", "cfgmgr32", "comctl32", "comdlg32", "crypt32",
    "dbghelp", "dnsapi", "gdi32", "imagehlp", "iphlpapi", "kernel32", "mpr", "msi", "msvcrt",
    "mswsock", "ncrypt", "netapi32", "ntdll", "ole32", "oleaut32", "powrprof", "psapi",
    "rpcrt4", "secur32", "setupapi", "shell32", "shfolder", "shlwapi", "sspicli", "ucrtbase",
    "urlmon", "user32", "userenv", "version", "winhttp", "wininet", "winmm", "wintrust",
    "wldap32", "ws2_32", "wsock32", "wtsapi32",
]
# mingw-w64 ships no libkernelbase.a. kernelbase.dll is built from the API sets in
# libmincore.a that Windows 10 resolves to kernelbase (api-ms-win-core-* and
# api-ms-win-security-base-*), minus the sets hosted elsewhere.
KERNELBASE_LIBRARY = "mincore"
KERNELBASE_SETS = re.compile(r"^api-ms-win-(core|security-base)-")
KERNELBASE_EXCLUDED_SETS = re.compile(r"^api-ms-win-core-(com|winrt|rtlsupport)")

# Headers for the type information. Translation units are separate where headers conflict
# (wininet.h and winhttp.h both define INTERNET_SCHEME) or need kernel-mode setup (ntifs.h).
COMMON_DEFINES = ["-D_WIN32_WINNT=0x0A00", "-DWINVER=0x0A00", "-DNTDDI_VERSION=0x0A000000",
                  "-DSECURITY_WIN32", "-D_CRT_SECURE_NO_WARNINGS", "-DPSAPI_VERSION=2"]
USER_HEADERS = [
    "winsock2.h", "ws2tcpip.h", "mswsock.h", "windows.h", "wininet.h", "urlmon.h", "shlobj.h",
    "shellapi.h", "tlhelp32.h", "psapi.h", "winternl.h", "wincrypt.h", "bcrypt.h", "ncrypt.h",
    "iphlpapi.h", "icmpapi.h", "winsvc.h", "winreg.h", "shlwapi.h", "objbase.h", "oleauto.h",
    "lmcons.h", "lm.h", "dbghelp.h", "winver.h", "userenv.h", "wtsapi32.h", "windns.h",
    "security.h", "sspi.h", "ntsecapi.h", "sddl.h", "aclapi.h", "accctrl.h", "winnetwk.h",
    "rpc.h", "mmsystem.h", "commctrl.h", "commdlg.h", "setupapi.h", "wintrust.h", "softpub.h",
    "imagehlp.h", "powrprof.h", "winldap.h", "vfw.h", "msi.h", "cfgmgr32.h", "fdi.h", "fci.h",
    "stdio.h", "stdlib.h", "string.h", "wchar.h", "ctype.h", "wctype.h", "math.h", "time.h",
    "process.h", "io.h", "direct.h", "conio.h", "malloc.h", "signal.h", "locale.h",
    "sys/stat.h", "fcntl.h", "mbstring.h", "mbctype.h", "setjmp.h", "errno.h", "float.h",
    "search.h",
]
TRANSLATION_UNITS = [
    ("user", [], USER_HEADERS),
    ("winhttp", [], ["windows.h", "winhttp.h"]),
    # ntdll's Nt*/Zw*/Rtl* functions: user-mode headers declare few of them.
    # Then src/malware/win/data/native_prototypes.h for the well-known rest.
    ("ddk", ["-I{include}/ddk", "-I{data}"], ["ntifs.h", "native_prototypes.h"]),
]

# gcc's __builtin_classify_type results we use.
TYPE_CLASS_POINTER = 5
TYPE_CLASS_BOOLEAN = 4

# ArgKind, in the order of the enum in prototypes.h.
KIND_INT, KIND_POINTER, KIND_HANDLE, KIND_ANSI, KIND_WIDE, KIND_BOOL, KIND_VOID = range(7)

ANSI_TYPES = {
    "LPCSTR", "LPSTR", "PCSTR", "PSTR", "LPCCH", "LPCH", "PCCH", "PCH", "PCHAR", "PSZ", "PCSZ",
    "NPSTR", "PZZSTR", "PCZZSTR", "PNZCH", "PCNZCH", "char*", "CHAR*", "signedchar*",
    "RPC_CSTR",
}
WIDE_TYPES = {
    "LPCWSTR", "LPWSTR", "PCWSTR", "PWSTR", "LPCWCH", "LPWCH", "PCWCH", "PWCH", "PWCHAR",
    "NWPSTR", "PZZWSTR", "PCZZWSTR", "PNZWCH", "PCNZWCH", "LPOLESTR", "LPCOLESTR", "BSTR",
    "wchar_t*", "WCHAR*", "OLECHAR*", "RPC_WSTR", "LPCWCHAR", "PCWCHAR",
}
HANDLE_TYPES = {"HANDLE", "SOCKET", "HINTERNET", "SC_HANDLE", "SC_LOCK", "HCRYPTPROV",
                "HCRYPTKEY", "HCRYPTHASH", "HCERTSTORE", "HCRYPTMSG", "HDEVINFO", "HKL",
                "HDESK", "HWINSTA", "HCONV", "HSZ", "HDDEDATA", "HDROP", "HCATADMIN",
                "HCATINFO", "HMMIO", "HWAVEIN", "HWAVEOUT", "HMIDIIN", "HMIDIOUT", "HIC",
                "HDRVR", "HRASCONN", "HTHEME", "HIMAGELIST", "HPOWERNOTIFY"}
NOT_HANDLES = {"HRESULT", "HALF_PTR", "UHALF_PTR", "HFILE_ERROR"}
BOOL_TYPES = {"BOOL", "BOOLEAN", "WINBOOL", "_Bool", "bool"}


def fail(message):
    sys.stderr.write("gen_prototypes.py: error: %s\n" % message)
    sys.exit(1)


# --- ar archives and COFF objects ---------------------------------------------------------------

def ar_members(path):
    """Yields (member name, bytes) of a System V / GNU ar archive."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"!<arch>\n":
        fail("%s is not an ar archive" % path)
    pos, long_names = 8, b""
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        if header[58:60] != b"`\n":
            fail("%s: bad ar member header at offset %d" % (path, pos))
        name = header[:16].decode("latin-1").rstrip()
        size = int(header[48:58].decode("ascii").strip())
        body = data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
        if name == "//":
            long_names = body
            continue
        if name in ("/", "/SYM64/", "__.SYMDEF", "__.SYMDEF SORTED"):
            continue
        if name.startswith("/") and name[1:].isdigit():
            start = int(name[1:])
            end = long_names.find(b"\n", start)
            name = long_names[start:end if end >= 0 else None].decode("latin-1")
        yield name.rstrip("/"), body


def c_string(data, offset=0):
    end = data.find(b"\0", offset)
    return data[offset:end if end >= 0 else None].decode("latin-1")


def parse_short_import(body):
    """IMPORT_OBJECT_HEADER (Sig1=0, Sig2=0xFFFF): returns an Export or None for non-code."""
    (_sig1, _sig2, _version, machine, _time, _size, ordinal_or_hint,
     bits) = struct.unpack_from("<HHHHIIHH", body, 0)
    import_type = bits & 3          # 0 code, 1 data, 2 const
    name_type = (bits >> 2) & 7     # 0 ordinal, 1 name, 2 noprefix, 3 undecorate, 4 export as
    symbol = c_string(body, 20)
    dll = c_string(body, 20 + len(symbol) + 1)
    export_as = None
    if name_type == 4:
        export_as = c_string(body, 20 + len(symbol) + 1 + len(dll) + 1)
    return {
        "dll": dll, "symbol": symbol, "machine": machine,
        "ordinal": ordinal_or_hint if name_type == 0 else None,
        "hint": ordinal_or_hint if name_type != 0 else None,
        "data": import_type != 0, "name_type": name_type, "export_as": export_as,
    }


class Coff:
    """The few parts of a COFF object that an import library member needs."""

    def __init__(self, body):
        (self.machine, nsections, _time, symtab, nsymbols, opt_size,
         _chars) = struct.unpack_from("<HHIIIHH", body, 0)
        strtab = symtab + 18 * nsymbols
        self.sections = []
        for i in range(nsections):
            offset = 20 + opt_size + 40 * i
            raw_name, _vsize, _vaddr, size, pointer = struct.unpack_from("<8sIIII", body, offset)
            name = raw_name.rstrip(b"\0").decode("latin-1")
            if name.startswith("/") and name[1:].isdigit():
                name = c_string(body, strtab + int(name[1:]))
            self.sections.append((name, body[pointer:pointer + size] if pointer else b""))
        self.symbols = []  # (name, section number (1-based, 0 = undefined), storage class)
        i = 0
        while i < nsymbols:
            offset = symtab + 18 * i
            raw_name = body[offset:offset + 8]
            _value, section, _type, storage, naux = struct.unpack_from("<IhHBB", body, offset + 8)
            if raw_name[:4] == b"\0\0\0\0":
                name = c_string(body, strtab + struct.unpack_from("<I", raw_name, 4)[0])
            else:
                name = raw_name.rstrip(b"\0").decode("latin-1")
            self.symbols.append((name, section, storage))
            i += 1 + naux

    def section(self, name):
        for section_name, data in self.sections:
            if section_name == name:
                return data
        return None


IMAGE_FILE_MACHINE_I386 = 0x14C
IMAGE_SYM_CLASS_EXTERNAL = 2


def read_import_library(path):
    """Returns (exports, skipped): exports as dicts with dll, symbol, ordinal, hint, data."""
    exports, skipped = [], 0
    inames = {}       # <core> of the tail member's <core>_iname symbol -> DLL name
    pending = []      # long-format members waiting for their DLL name
    for member, body in ar_members(path):
        if len(body) >= 20 and body[:4] == b"\0\0\xff\xff":
            exports.append(parse_short_import(body))
            continue
        try:
            coff = Coff(body)
        except struct.error:
            skipped += 1
            continue
        defined = [s for s in coff.symbols if s[2] == IMAGE_SYM_CLASS_EXTERNAL and s[1] > 0]
        undefined = [s for s in coff.symbols if s[2] == IMAGE_SYM_CLASS_EXTERNAL and s[1] == 0]
        # Tail member: .idata$7 holds the DLL name, defines <core>_iname.
        for name, _section, _storage in defined:
            if name.endswith("_iname"):
                idata7 = coff.section(".idata$7")
                if idata7:
                    inames[name.lstrip("_")[:-len("_iname")]] = c_string(idata7)
        imp = [s[0] for s in defined if s[0].startswith("__imp_")]
        if not imp:
            continue  # head/tail members and mingw's own helper code
        idata5 = coff.section(".idata$5")
        idata6 = coff.section(".idata$6")
        if idata5 is None:
            continue  # mingw's own replacement (msvcrt _vscprintf …) behind an __imp_ pointer
        symbol = imp[0][len("__imp_"):]
        entry = {"symbol": symbol, "machine": coff.machine, "ordinal": None, "hint": None,
                 "data": not any(s[0] == symbol for s in defined), "name_type": 1,
                 "export_as": None}
        if idata6 and len(idata6) > 2:
            entry["hint"] = struct.unpack_from("<H", idata6, 0)[0]
            entry["export_as"] = c_string(idata6, 2)
        else:
            width = 8 if coff.machine != IMAGE_FILE_MACHINE_I386 else 4
            thunk = int.from_bytes(idata5[:width], "little") if len(idata5) >= width else 0
            if thunk >> (width * 8 - 1):
                entry["ordinal"] = thunk & 0xFFFF
                entry["name_type"] = 0
        head = [s[0] for s in undefined if "_head_" in s[0]]
        entry["head"] = head[0].lstrip("_")[len("head_"):] if head else None
        pending.append(entry)
    single = set(inames.values())
    for entry in pending:
        # The member's __head_<core> reference names its DLL through the tail's <core>_iname.
        dll = inames.get(entry.pop("head"))
        if dll is None and len(single) == 1:
            dll = next(iter(single))
        if dll is None:
            skipped += 1
            continue
        entry["dll"] = dll
        exports.append(entry)
    return exports, skipped


MAX_STACK_BYTES = 4 * 64


def undecorate(symbol, machine):
    """(export name, conv, stack bytes or None) from an import symbol."""
    if machine != IMAGE_FILE_MACHINE_I386:
        return symbol, None, None
    m = re.match(r"^@(.+)@(\d+)$", symbol)
    if m:  # fastcall: ECX and EDX carry the first two dword arguments
        return m.group(1), "fastcall", int(m.group(2))
    m = re.match(r"^_(.+)@(\d+)$", symbol)
    if m:
        size = int(m.group(2))
        # A few .def entries carry nonsense (rpcrt4 NdrTypeFlags@60029): no call pops that.
        if size % 4 or size > MAX_STACK_BYTES:
            return m.group(1), "stdcall", None
        return m.group(1), "stdcall", size
    if symbol.startswith("_"):
        return symbol[1:], "cdecl", None
    return symbol, "cdecl", None


# --- headers: gcc -aux-info ---------------------------------------------------------------------

# '/* file:line:NC */ extern T f (A, B);' for declarations; definitions (NF) add their parameter
# names: '/* file:line:NF */ extern T f (A a, B b); /* (a, b) A a; B b; */'.
AUX_LINE = re.compile(r"^/\* (.*?):(\d+):(N[CF]) \*/ (.*)$")
AUX_NAMES = re.compile(r"^(.*?); /\* \((.*?)\)")


def split_top_level(text):
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def matching_paren(text, open_index):
    depth = 0
    for i in range(open_index, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def parse_declaration(decl):
    """'extern HANDLE CreateFileA (LPCSTR, DWORD)' -> (name, ret type, [arg types], variadic)."""
    for prefix in ("extern ", "static ", "__inline__ ", "inline "):
        while decl.startswith(prefix):
            decl = decl[len(prefix):]
    for m in re.finditer(r"([A-Za-z_]\w*) \(", decl):
        if decl[m.end():m.end() + 1] == "*":
            continue  # 'void (*signal (…)) (int)': the return type's parenthesis
        name = m.group(1)
        open_index = m.end() - 1
        close = matching_paren(decl, open_index)
        if close < 0:
            return None
        params = decl[open_index + 1:close]
        before = decl[:m.start()].strip()
        # 'void (*signal (int, …)) (int)' returns a function pointer.
        ret = "function pointer" if before.endswith("(*") else before
        args = [] if params.strip() in ("void", "") else split_top_level(params)
        variadic = bool(args) and args[-1] == "..."
        if variadic:
            args = args[:-1]
        return name, ret, args, variadic
    return None


def normalize_type(text):
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\bWINBOOL\b", "BOOL", text)
    text = re.sub(r"\b__restrict__\b|\b__restrict\b|\brestrict\b", "", text)
    return re.sub(r"\s+", " ", text).replace(" *", " *").strip()


def run_compiler(cc, args, source, workdir, tag):
    path = os.path.join(workdir, tag + ".c")
    with open(path, "w") as f:
        f.write(source)
    aux = os.path.join(workdir, tag + ".aux")
    asm = os.path.join(workdir, tag + ".s")
    cmd = [cc] + args + ["-w", "-S", "-o", asm, path]
    if tag.endswith("-aux"):
        cmd[1:1] = ["-aux-info", aux]
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return result, aux, asm


def header_prototypes(cc, include_dir, data_dir, workdir, jobs):
    """{name: (ret, [args], variadic)} and the type probe, over all translation units."""
    units = []
    for tag, extra, headers in TRANSLATION_UNITS:
        args = COMMON_DEFINES + [a.format(include=include_dir, data=data_dir) for a in extra]
        source = "".join("#include <%s>\n" % h for h in headers)
        units.append((tag, args, source))

    def aux_pass(unit):
        tag, args, source = unit
        result, aux, _asm = run_compiler(cc, args, source, workdir, tag + "-aux")
        if result.returncode != 0 or not os.path.exists(aux):
            fail("%s failed on the %s headers:\n%s" % (cc, tag, result.stderr[-3000:]))
        decls = {}
        with open(aux, encoding="latin-1") as f:
            for line in f:
                m = AUX_LINE.match(line.strip())
                if not m:
                    continue
                decl, param_names = m.group(4), []
                if m.group(3) == "NF":
                    named = AUX_NAMES.match(decl)
                    if not named:
                        continue
                    decl = named.group(1)
                    param_names = [n.strip() for n in named.group(2).split(",") if n.strip()]
                elif decl.endswith(";"):
                    decl = decl[:-1]
                parsed = parse_declaration(decl)
                if not parsed:
                    continue
                name, ret, args_, variadic = parsed
                if param_names and len(param_names) == len(args_):
                    args_ = [re.sub(r"\b%s$" % re.escape(n), "", a).strip()
                             for a, n in zip(args_, param_names)]
                # A declaration (NC) wins over an inline definition's (NF) normalized form.
                if name in decls and decls[name][3] == "NC":
                    continue
                decls[name] = (normalize_type(ret), [normalize_type(a) for a in args_],
                               variadic, m.group(3))
        return decls

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        per_unit = list(pool.map(aux_pass, units))

    # Probe every type each unit uses: pointer, bool or other (integer, enum, float, struct).
    def probe_pass(item):
        (tag, args, source), decls = item
        types = sorted({t for ret, a, _v, _k in decls.values() for t in [ret] + a
                        if t not in ("void", "function pointer")})
        prologue = source + "#define MP(T) __builtin_classify_type(*(__typeof__(T)*)0)\n"
        first_line = prologue.count("\n") + 1
        dropped = set()
        for _attempt in range(4):
            lines = [prologue]
            for i, t in enumerate(types):
                # A type gcc rejects keeps its line (as a comment) so line numbers stay put.
                lines.append(("// %d\n" if i in dropped else "int __mamori_probe_%d = MP(%s);\n")
                             % ((i,) if i in dropped else (i, t)))
            result, _aux, asm = run_compiler(cc, args, "".join(lines), workdir, tag + "-probe")
            if result.returncode == 0:
                break
            bad = {int(n) - first_line for n in re.findall(r"-probe\.c:(\d+):\d+: error", result.stderr)}
            bad = {i for i in bad if 0 <= i < len(types)} - dropped
            if not bad:
                fail("%s failed probing the %s types:\n%s" % (cc, tag, result.stderr[-3000:]))
            dropped |= bad
        else:
            fail("%s failed probing the %s types:\n%s" % (cc, tag, result.stderr[-3000:]))
        values = {}
        with open(asm, encoding="latin-1") as f:
            current = None
            for line in f:
                m = re.match(r"^__mamori_probe_(\d+):", line)
                if m:
                    current = int(m.group(1))
                    continue
                m = re.match(r"^\s+\.long\s+(-?\d+)", line)
                if m and current is not None:
                    values[types[current]] = int(m.group(1))
                    current = None
        return {t: values.get(t, 0) for t in types}

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        probes = list(pool.map(probe_pass, zip(units, per_unit)))

    merged, type_class = {}, {}
    for decls, probe in zip(per_unit, probes):  # earlier units win: user-mode headers first
        for name, (ret, args, variadic, _kind) in decls.items():
            merged.setdefault(name, (ret, args, variadic))
        for t, c in probe.items():
            type_class.setdefault(t, c)
    # ntdll exports every Nt* system call twice, as Nt* and Zw*, with one prototype.
    for name in list(merged):
        for a, b in (("Nt", "Zw"), ("Zw", "Nt")):
            if name.startswith(a):
                merged.setdefault(b + name[2:], merged[name])
    return merged, type_class


def classify(type_name, type_class, is_return=False):
    bare = type_name.replace("const", " ").replace("volatile", " ")
    bare = re.sub(r"\s+", "", bare)
    bare = re.sub(r"^(struct|enum|union)", "", bare)
    if bare == "void":
        return KIND_VOID if is_return else KIND_INT
    if bare == "functionpointer":
        return KIND_POINTER
    if bare in ANSI_TYPES:
        return KIND_ANSI
    if bare in WIDE_TYPES:
        return KIND_WIDE
    if bare in BOOL_TYPES or type_class.get(type_name) == TYPE_CLASS_BOOLEAN:
        return KIND_BOOL
    if "*" not in bare and bare not in NOT_HANDLES and (
            bare in HANDLE_TYPES or re.match(r"^H[A-Z0-9]+$", bare) or
            (bare.endswith("HANDLE") and not bare.startswith(("P", "LP")))):
        return KIND_HANDLE
    if "*" in bare or type_class.get(type_name) == TYPE_CLASS_POINTER:
        return KIND_POINTER
    return KIND_INT


# --- merging ------------------------------------------------------------------------------------

def read_ordinals(path):
    """{dll: {name: ordinal}} from 'dll ordinal name' lines."""
    table = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 3 or not parts[1].isdigit():
                fail("%s:%d: expected 'dll ordinal name'" % (path, number))
            table.setdefault(parts[0].lower(), {})[parts[2]] = int(parts[1])
    return table


def collect_exports(lib_dirs):
    """{dll: {name: info}} from the import libraries of both architectures."""
    dlls, skipped, read = {}, 0, 0

    def add(dll, name, machine, conv, stack, ordinal, data):
        info = dlls.setdefault(dll, {}).setdefault(
            name, {"conv": None, "stack": None, "ordinal": None, "data": data, "x86": False})
        if machine == IMAGE_FILE_MACHINE_I386 and conv is not None:
            info["conv"], info["stack"], info["x86"] = conv, stack, True
        if ordinal is not None:
            info["ordinal"] = ordinal
        info["data"] = info["data"] and data

    for lib in LIBRARIES + [KERNELBASE_LIBRARY]:
        for lib_dir in lib_dirs:
            path = os.path.join(lib_dir, "lib%s.a" % lib)
            if not os.path.exists(path):
                if lib == "kernel32":
                    fail("%s is missing: install the mingw-w64 packages (scripts/install-deps)"
                         % path)
                continue
            read += 1
            exports, n_skipped = read_import_library(path)
            skipped += n_skipped
            for e in exports:
                dll = e["dll"].lower()
                if lib == KERNELBASE_LIBRARY:
                    if not KERNELBASE_SETS.match(dll) or KERNELBASE_EXCLUDED_SETS.match(dll):
                        continue
                    dll = "kernelbase.dll"
                elif dll.startswith("api-ms-win-crt-"):
                    dll = "ucrtbase.dll"
                elif dll.startswith("api-ms-win-") or dll.startswith("ext-ms-"):
                    continue
                name, conv, stack = undecorate(e["symbol"], e["machine"])
                symbol = e["symbol"]
                if e.get("export_as"):  # long format's .idata$6, short format's EXPORTAS
                    name = e["export_as"]
                elif e["name_type"] == 1:  # IMPORT_OBJECT_NAME: the symbol as it is
                    name = symbol
                elif e["name_type"] in (2, 3):  # NOPREFIX, UNDECORATE
                    name = symbol[1:] if symbol[:1] in ("?", "@", "_") else symbol
                    if e["name_type"] == 3:
                        name = name.split("@", 1)[0]
                add(dll, name, e["machine"], conv, stack, e["ordinal"], e["data"])
    return dlls, skipped, read


def assign_ordinals(names, real):
    """Real ordinals where known; the rest 1 + their lexical position (dlltool's hint), moved
    past the highest real ordinal when a DLL has any, so no two exports share one."""
    result = dict(real)
    rest = sorted(n for n in names if n not in result)
    base = max(result.values()) + 1 if result else 1
    for i, name in enumerate(rest):
        result[name] = base + i
    return result


class Pool:
    """One string pool: every string stored once, referred to by (offset, length)."""

    def __init__(self):
        self.parts, self.index, self.size = [], {}, 0

    def add(self, text):
        if text not in self.index:
            self.index[text] = self.size
            self.parts.append(text)
            self.size += len(text.encode("latin-1"))
        return self.index[text], len(text)


def c_literal_lines(text, width=96):
    out, line = [], ""
    for ch in text:
        code = ord(ch)
        piece = ch if 32 <= code < 127 and ch not in "\\\"?" else "\\%03o" % code
        if len(line) + len(piece) > width:
            out.append('"%s"' % line)
            line = ""
        line += piece
    out.append('"%s"' % line)
    return out


HEADER = """\
// Generated by cmake/gen_prototypes.py — do not edit. The raw tables behind
// src/malware/win/prototypes.h; prototypes.cc turns them into ApiPrototype values.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mamori::malware::win::internal {

struct RawString {
  std::uint32_t offset;  // into kProtoStrings
  std::uint16_t length;
};
struct RawArg {
  std::uint16_t type;  // index into kProtoTypes
  std::uint8_t kind;   // ArgKind
};
struct RawPrototype {
  RawString name;
  std::uint16_t dll;            // index into kProtoDlls
  std::uint16_t ordinal;
  std::uint16_t x86_stack_bytes;
  std::uint8_t conv;            // CallConv
  std::uint8_t flags;           // kRawTypesKnown | kRawData
  std::uint32_t ret;            // index into kProtoArgs
  std::uint32_t args;           // first argument, index into kProtoArgs
  std::uint8_t arg_count;
};
inline constexpr std::uint8_t kRawTypesKnown = 1;
inline constexpr std::uint8_t kRawData = 2;  // a data export (msvcrt _iob): not callable

extern const char kProtoStrings[];
extern const RawString kProtoDlls[];
extern const std::size_t kProtoDllCount;
extern const RawString kProtoTypes[];
extern const RawArg kProtoArgs[];
extern const std::size_t kProtoArgCount;
// Sorted by DLL, then ordinal.
extern const RawPrototype kProtoPrototypes[];
extern const std::size_t kProtoPrototypeCount;

}  // namespace mamori::malware::win::internal
"""


def generate(args):
    lib_dirs = [os.path.join(args.mingw_root, triplet, "lib")
                for triplet in ("i686-w64-mingw32", "x86_64-w64-mingw32")]
    for d in lib_dirs:
        if not os.path.isdir(d):
            fail("%s is missing: install the mingw-w64 packages (scripts/install-deps)" % d)
    dlls, skipped, libraries_read = collect_exports(lib_dirs)

    with tempfile.TemporaryDirectory(prefix="mamori-proto-") as workdir:
        headers, type_class = header_prototypes(args.cc, args.include_dir, args.data_dir,
                                                workdir, args.jobs)

    real_ordinals = read_ordinals(os.path.join(args.data_dir, "ordinals.txt"))

    pool = Pool()
    types, type_index = [], {}
    arg_lists, arg_list_index, flat_args = [], {}, []

    type_text = []

    def type_id(t):
        if t not in type_index:
            type_text.append(t)
            type_index[t] = len(types)
            types.append(pool.add(t))
        return type_index[t]

    def arg_list(items):
        key = tuple(items)
        if key not in arg_list_index:
            # Reuse a longer identical run already stored? Keep it simple: exact lists only.
            arg_list_index[key] = len(flat_args)
            flat_args.extend(key)
        return arg_list_index[key]

    dll_names = sorted(dlls)
    rows = []
    typed = 0
    crt = {"msvcrt.dll", "ucrtbase.dll"}
    for dll_id, dll in enumerate(dll_names):
        exports = dlls[dll]
        known = {n: o for n, o in real_ordinals.get(dll, {}).items() if n in exports}
        known.update({n: i["ordinal"] for n, i in exports.items()
                      if i["ordinal"] is not None and n not in known})
        ordinals = assign_ordinals(exports, known)
        for name in sorted(exports):
            info = exports[name]
            header = None if info["data"] else headers.get(name)
            if header:
                ret_t, arg_ts, _variadic = header
                ret = (type_id(ret_t), classify(ret_t, type_class, True))
                params = [(type_id(t), classify(t, type_class)) for t in arg_ts]
                typed += 1
            else:
                ret = (type_id("int"), KIND_INT)
                params = []
            conv = info["conv"]
            stack = info["stack"]
            if conv == "stdcall" and stack is None:  # undecodable decoration
                stack = 4 * len(params)
            if conv is None:  # only in the x64 library
                conv = "cdecl" if dll in crt else "stdcall"
                stack = 4 * len(params) if conv == "stdcall" else 0
            if conv == "fastcall":
                # Reported as stdcall popping what is left after ECX and EDX.
                conv, stack = "stdcall", max(0, stack - 8)
            if conv == "cdecl":
                stack = 0
            if not header and not info["data"] and conv == "stdcall" and info["x86"]:
                params = [(type_id("int"), KIND_INT)] * (stack // 4)
            flags = (1 if header else 0) | (2 if info["data"] else 0)
            rows.append((dll_id, ordinals[name], name, conv, stack, flags,
                         arg_list([ret]), arg_list(params) if params else 0, len(params)))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))

    out = ["// Generated by cmake/gen_prototypes.py from the mingw-w64 import libraries and",
           "// headers — do not edit. See docs/malware-prototypes.md.",
           '#include "%s"' % os.path.basename(args.header), "",
           "namespace mamori::malware::win::internal {", ""]
    raw_rows = []
    for dll_id, ordinal, name, conv, stack, flags, ret, first, count in rows:
        off, length = pool.add(name)
        raw_rows.append("{{%d,%d},%d,%d,%d,%d,%d,%d,%d,%d}," % (
            off, length, dll_id, ordinal, stack, 0 if conv == "stdcall" else 1, flags, ret,
            first, count))
    dll_refs = ["{%d,%d}," % pool.add(d) for d in dll_names]
    type_refs = ["{%d,%d}," % t for t in types]

    out.append("const char kProtoStrings[] =")
    out.extend(c_literal_lines("".join(pool.parts)))
    out[-1] += ";"
    out.append("const RawString kProtoDlls[] = {")
    out.extend(dll_refs)
    out.append("};")
    out.append("const std::size_t kProtoDllCount = %d;" % len(dll_names))
    out.append("const RawString kProtoTypes[] = {")
    out.extend(" ".join(type_refs[i:i + 8]) for i in range(0, len(type_refs), 8))
    out.append("};")
    out.append("const RawArg kProtoArgs[] = {")
    arg_refs = ["{%d,%d}," % a for a in flat_args]
    out.extend(" ".join(arg_refs[i:i + 10]) for i in range(0, len(arg_refs), 10))
    out.append("};")
    out.append("const std::size_t kProtoArgCount = %d;" % len(flat_args))
    out.append("const RawPrototype kProtoPrototypes[] = {")
    out.extend(raw_rows)
    out.append("};")
    out.append("const std::size_t kProtoPrototypeCount = %d;" % len(rows))
    out.append("")
    out.append("}  // namespace mamori::malware::win::internal")
    source = "\n".join(out) + "\n"
    widths = [(pool.size, 32), (len(types), 16), (len(flat_args), 32), (len(dll_names), 16)]
    for dll_id, ordinal, name, conv, stack, flags, ret, first, count in rows:
        widths += [(ordinal, 16), (stack, 16), (count, 8), (len(name), 16)]
    if any(value >= 1 << bits for value, bits in widths):
        fail("a value outgrew its field in the generated tables; widen RawPrototype")

    if args.list:
        kinds = "int pointer handle astr wstr bool void".split()
        lines = []
        for dll_id, ordinal, name, conv, stack, flags, ret, first, count in rows:
            def show(index):
                type_ref, kind = flat_args[index]
                return "%s:%s" % (type_text[type_ref], kinds[kind])
            params = ", ".join(show(first + i) for i in range(count))
            lines.append("%s #%d %s %s %d %s%s (%s)\n" % (
                dll_names[dll_id], ordinal, name, conv, stack, show(ret),
                "" if flags & 1 else " [untyped]" if not flags & 2 else " [data]", params))
        write_if_changed(args.list, "".join(lines))
    write_if_changed(args.header, HEADER)
    write_if_changed(args.out, source)
    functions = sum(1 for r in rows if not r[5] & 2)
    print("gen_prototypes: %d DLLs, %d functions (%d typed from headers), %d data exports, "
          "%d import libraries read, %d members skipped" % (
              len(dll_names), functions, typed, len(rows) - functions, libraries_read, skipped))


def write_if_changed(path, text):
    if os.path.exists(path):
        with open(path) as f:
            if f.read() == text:
                return
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="generated .cc")
    parser.add_argument("--header", required=True, help="generated .h (raw table layout)")
    parser.add_argument("--mingw-root", default="/usr", help="holds <triplet>/lib/lib*.a")
    parser.add_argument("--cc", default="x86_64-w64-mingw32-gcc")
    parser.add_argument("--include-dir", default="/usr/share/mingw-w64/include")
    parser.add_argument("--data-dir", required=True,
                        help="src/malware/win/data: ordinals.txt, native_prototypes.h")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--list", help="also write a readable listing (for review)")
    args = parser.parse_args()
    generate(args)


if __name__ == "__main__":
    main()
