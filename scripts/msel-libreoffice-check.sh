#!/usr/bin/env bash
# Opens a scenario's MSEL sheet in LibreOffice (headless): CSV → XLSX → CSV, and checks
# that every cell comes back as exported (same rows, same columns, same text). Not in the
# suite (LibreOffice is a large package); run it after changing the MSEL columns:
#
#   scripts/msel-libreoffice-check.sh [SCENARIO.toml]   (default: scenarios/dfs-salary-tide.toml)
#
# Needs `soffice` (Debian: apt-get install libreoffice-calc-nogui) and a built binary
# (TABLETOP_BIN, default target/debug/tabletop).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/dfs-salary-tide.toml}
bin=${TABLETOP_BIN:-target/debug/tabletop}
command -v soffice >/dev/null || { echo "soffice not found: apt-get install libreoffice-calc-nogui" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" msel export "$scenario" > "$work/msel.csv"
# 44,34,76,1: comma-separated, double-quoted, UTF-8, from row 1.
(cd "$work" && soffice --headless --infilter="CSV:44,34,76,1" --convert-to xlsx msel.csv >/dev/null 2>&1)
(cd "$work" && soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir back msel.xlsx >/dev/null 2>&1)
python3 - "$work/msel.csv" "$work/back/msel.csv" <<'PY'
import csv, sys
read = lambda p: list(csv.reader(open(p, encoding="utf-8-sig", newline="")))
a, b = read(sys.argv[1]), read(sys.argv[2])
assert len(a) == len(b), f"{len(a)} rows exported, {len(b)} after LibreOffice"
for i, (ra, rb) in enumerate(zip(a, b), 1):
    rb = rb + [""] * (len(ra) - len(rb))
    for j, (x, y) in enumerate(zip(ra, rb), 1):
        assert x == y, f"row {i} column {j}: {x!r} became {y!r}"
print(f"ok: {len(a)} rows × {len(a[0])} columns read back unchanged through LibreOffice")
PY
