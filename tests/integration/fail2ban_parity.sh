#!/usr/bin/env bash
# Line-level parity with fail2ban's filters (issue 8, point 5): for the sshd, nginx-http-auth,
# nginx-botsearch, apache-auth and postfix filters, our shipped rules must flag the same lines
# and addresses as fail2ban's annotated test logs (from the installed fail2ban package) say, in
# each filter's default mode; every difference must be explained in docs/fail2ban-parity.md.
# Exits 77 (skipped) when the fail2ban package is not installed. The work is done by
# fail2ban_parity.py; `fail2ban_parity.py MAMORI --report` prints the tables for the doc.
set -euo pipefail
MAMORI="$(realpath "$1")"
HERE="$(cd "$(dirname "$0")" && pwd)"
exec python3 "$HERE/fail2ban_parity.py" "$MAMORI" "${@:2}"
