#!/usr/bin/env python3
"""Regenerates the converted warning lists in this directory from a checkout of the shared
fixtures (default /work/shared). special-ranges.txt is written by hand and not touched here.

    python3 data/warninglists/update.py [--shared /work/shared]

Needs Python 3 and PyYAML (for cdn-provider.yaml). Prints the DGA overlap that PROVENANCE.md
records. See PROVENANCE.md and docs/formats/warninglists.md.
"""
import argparse
import glob
import json
import os

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
MISP_COMMIT = "84f0610aaf3b32159285c9b85510d0f415ea6b27"

# list name -> (reason)
MISP_CIDR = {
    "public-dns-v4": "public DNS resolver",
    "public-dns-v6": "public DNS resolver",
    "amazon-aws": "Amazon AWS address range (shared cloud)",
    "google-gcp": "Google Cloud address range (shared cloud)",
    "microsoft-azure": "Microsoft Azure address range (shared cloud)",
    "microsoft-azure-china": "Microsoft Azure China address range (shared cloud)",
    "microsoft-azure-germany": "Microsoft Azure Germany address range (shared cloud)",
    "microsoft-azure-us-gov": "Microsoft Azure US Government address range (shared cloud)",
    "cloudflare": "Cloudflare address range (shared CDN)",
    "akamai": "Akamai address range (shared CDN)",
    "fastly": "Fastly address range (shared CDN)",
}


def write_list(name, header, entries):
    """entries: list of (value, comment-or-None); writes name.txt with `# key: value` header."""
    path = os.path.join(HERE, name + ".txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for key, value in header:
            f.write(f"# {key}: {value}\n")
        f.write(f"# entries: {len(entries)}\n")
        for value, comment in entries:
            f.write(f"{value}  # {comment}\n" if comment else f"{value}\n")
    print(f"{name}: {len(entries)} entries")


def dedup(values):
    seen = set()
    out = []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="/work/shared")
    args = ap.parse_args()
    misp = os.path.join(args.shared, "schemas/misp-warninglists/lists")
    domains = os.path.join(args.shared, "data/domains")

    for name, reason in MISP_CIDR.items():
        d = json.load(open(os.path.join(misp, name, "list.json"), encoding="utf-8"))
        assert d["type"] == "cidr", name
        write_list(name, [
            ("kind", "cidr"),
            ("reason", reason),
            ("source", f"MISP/misp-warninglists lists/{name}/list.json ({d['name']})"),
            ("commit", MISP_COMMIT),
            ("version", d["version"]),
            ("license", "CC0-1.0"),
        ], [(v, None) for v in dedup(x.strip().lower() for x in d["list"])])

    # Popular domains. Drop every entry that is a known DGA domain (shared dga/*.txt, GPL-2.0:
    # read only to compute the overlap, never copied).
    dga = set()
    for path in glob.glob(os.path.join(domains, "dga", "*.txt")):
        dga.update(line.strip().lower() for line in open(path, encoding="utf-8") if line.strip())
    d = json.load(open(os.path.join(misp, "tranco10k", "list.json"), encoding="utf-8"))
    tranco = dedup(x.strip().lower() for x in d["list"])
    dropped = [x for x in tranco if x in dga]
    print(f"tranco10k: {len(dropped)} DGA domains dropped {dropped}")
    write_list("tranco10k", [
        ("kind", "domain"),
        ("reason", "popular domain (Tranco top 10k)"),
        ("source", f"MISP/misp-warninglists lists/tranco10k/list.json ({d['name']})"),
        ("commit", MISP_COMMIT),
        ("version", d["version"]),
        ("license", "CC0-1.0"),
        ("filtered", f"{len(dropped)} known DGA domains removed (baderj/domain_generation_algorithms examples)"),
    ], [(x, None) for x in tranco if x not in dga])

    top = dedup(l.strip().lower() for l in open(os.path.join(domains, "benign/top-sites.txt"),
                                                 encoding="utf-8") if l.strip())
    dropped = [x for x in top if x in dga]
    print(f"top-sites: {len(dropped)} DGA domains dropped {dropped}")
    write_list("top-sites", [
        ("kind", "domain"),
        ("reason", "popular domain (top-sites)"),
        ("source", "npm top-sites@1.1.222 top-sites.json rootDomain, reduced to registrable domains"),
        ("version", "1.1.222"),
        ("license", "MIT, Copyright (c) 2018 Kiko Beats (licenses/top-sites-MIT.txt)"),
    ], [(x, None) for x in top if x not in dga])

    short = dedup(l.strip().lower() for l in open(os.path.join(domains, "services/shorteners.txt"),
                                                   encoding="utf-8") if l.strip())
    write_list("shorteners", [
        ("kind", "platform"),
        ("reason", "URL shortener (block its URLs, not the domain)"),
        ("source", "PeterDaveHello/url-shorteners list"),
        ("commit", "69dd70bd6bcee90fc14a87d6ea113a0ef6e33e80"),
        ("version", "2025-09-10"),
        ("license", "CC BY-SA 4.0, (c) PeterDaveHello and contributors; this adaptation is "
                    "shared under the same licence (licenses/shorteners-CC-BY-SA-4.0.txt)"),
    ], [(x, None) for x in short])

    y = yaml.safe_load(open(os.path.join(domains, "services/cdn-provider.yaml"), encoding="utf-8"))
    seen = set()
    cdn = []
    for provider, names in y["common"]["fqdn"].items():
        for n in names:
            n = n.strip().lower()
            if n not in seen:
                seen.add(n)
                cdn.append((n, f"CDN/cloud provider domain ({provider})"))
    write_list("cdn-suffixes", [
        ("kind", "platform"),
        ("reason", "CDN/cloud provider domain"),
        ("source", "projectdiscovery/cdncheck cmd/generate-index/provider.yaml, common.fqdn"),
        ("commit", "6fbcc53c0a4f3b17242fbdd46972b46f3a05049b"),
        ("version", "2025-09-15"),
        ("license", "MIT, Copyright (c) 2021 ProjectDiscovery, Inc. (licenses/cdncheck-MIT.txt)"),
    ], cdn)


if __name__ == "__main__":
    main()
