#!/usr/bin/env python3
"""Regenerates the converted service lists in this directory (docs/formats/service-list.md):

    shorteners.txt   from the shared services/shorteners.txt (CC BY-SA 4.0)
    cdn.txt          from the shared services/cdn-provider.yaml, key common.fqdn (MIT)
    psl-private.txt  from the PRIVATE section of the system Public Suffix List (MPL-2.0,
                     Debian package `publicsuffix`)

The other lists here (dynamic-dns, web-hosting, cloud-storage, paste-sites, advertising) are
written by hand for mamori and are not touched.

    python3 data/services/update.py [--shared /work/shared] [--psl /usr/share/publicsuffix/public_suffix_list.dat]

Needs Python 3 and PyYAML. See PROVENANCE.md.
"""
import argparse
import os

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


def write_list(name, header, entries):
    """entries: list of (domain, provider, abuse); duplicates dropped keeping the first."""
    seen = set()
    rows = []
    for domain, provider, abuse in entries:
        domain = domain.strip().lower()
        if not domain or domain in seen:
            continue
        seen.add(domain)
        rows.append((domain, provider or "", abuse or ""))
    path = os.path.join(HERE, name + ".txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for key, value in header:
            f.write(f"# {key}: {value}\n")
        f.write(f"# entries: {len(rows)}\n")
        for domain, provider, abuse in rows:
            line = domain
            if provider or abuse:
                line += f" | {provider}"
            if abuse:
                line += f" | {abuse}"
            f.write(line.rstrip() + "\n")
    return len(rows)


def shorteners(shared):
    path = os.path.join(shared, "data/domains/services/shorteners.txt")
    entries = [(l, "", "") for l in open(path, encoding="utf-8").read().splitlines()]
    return write_list("shorteners", [
        ("category", "url_shortener"),
        ("source", "PeterDaveHello/url-shorteners list @ 69dd70bd6bcee90fc14a87d6ea113a0ef6e33e80 (2025-09-10)"),
        ("license", "CC BY-SA 4.0, (c) PeterDaveHello and contributors; this adaptation is shared "
                    "under the same licence (licenses/shorteners-CC-BY-SA-4.0.txt)"),
    ], entries)


def cdn(shared):
    path = os.path.join(shared, "data/domains/services/cdn-provider.yaml")
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    entries = []
    for provider, names in doc["common"]["fqdn"].items():
        for n in names:
            entries.append((n, provider, ""))
    return write_list("cdn", [
        ("category", "cdn"),
        ("source", "projectdiscovery/cdncheck cmd/generate-index/provider.yaml, key common.fqdn "
                   "@ 6fbcc53c0a4f3b17242fbdd46972b46f3a05049b"),
        ("license", "MIT, Copyright (c) 2021 ProjectDiscovery, Inc. (licenses/cdncheck-MIT.txt)"),
    ], entries)


def psl_private(psl):
    entries = []
    inside = False
    provider = ""
    new_block = True
    for raw in open(psl, encoding="utf-8").read().splitlines():
        line = raw.strip()
        if "===BEGIN PRIVATE DOMAINS===" in line:
            inside = True
            continue
        if "===END PRIVATE DOMAINS===" in line:
            break
        if not inside:
            continue
        if not line:
            new_block = True
            continue
        if line.startswith("//"):
            if new_block:
                # A block's first comment names the company: "Amazon CloudFront : https://...".
                provider = line[2:].strip().split(" : ")[0].split(": http")[0].strip()
                provider = provider.replace("|", "/")
                new_block = False
            continue
        new_block = False
        if line.startswith("!"):
            continue  # exception rule: the name is registrable, not a platform
        # "*.compute.amazonaws.com": every name below compute.amazonaws.com is a platform suffix
        # of its own; listing the parent makes everything below it a platform customer.
        domain = line[2:] if line.startswith("*.") else line
        entries.append((domain, provider, ""))
    return write_list("psl-private", [
        ("category", "web_hosting"),
        ("fallback", "yes"),
        ("source", "Public Suffix List, PRIVATE section, from " + psl +
                   " (Debian publicsuffix " + psl_version() + ")"),
        ("license", "MPL-2.0 (licenses/psl-MPL-2.0.txt)"),
    ], entries)


def psl_version():
    try:
        import subprocess
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "publicsuffix"],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except Exception:  # noqa: BLE001 - version is informational only
        return "unknown version"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="/work/shared")
    ap.add_argument("--psl", default="/usr/share/publicsuffix/public_suffix_list.dat")
    args = ap.parse_args()
    print("shorteners", shorteners(args.shared))
    print("cdn", cdn(args.shared))
    print("psl-private", psl_private(args.psl))


if __name__ == "__main__":
    main()
