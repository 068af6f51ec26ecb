#!/usr/bin/env bash
# scripts/bench-scale.sh on Terraform 1.11.4 and 1.0.3 in one run, case by case (each case on one
# version, then on the other, so both see about the same machine load), then one side-by-side
# table. Prints figures; asserts nothing about time. Not part of CI.
#
# Usage: bash scripts/bench-scale-both.sh [shards] [list] [per-user] [tenants]
#   (environment as for bench-scale.sh: SHARDS, LIST_USERS, PER_USER, TENANTS)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(shards list per-user tenants)
new_tf="$(bash scripts/find-terraform.sh)"
old_tf="$(bash scripts/fetch-terraform.sh)"
summary="$root/target/bench-scale-summary.tsv"
: >"$summary"
[ "${SKIP_BUILD:-}" = 1 ] || cargo build --release --bins --quiet
for case in "${cases[@]}"; do
  for tf in "$new_tf" "$old_tf"; do
    BENCH_SUMMARY="$summary" SKIP_BUILD=1 TEAMSPHONE_TERRAFORM="$tf" bash scripts/bench-scale.sh "$case"
  done
done
echo
echo "== side by side (wall s / reads / writes / pages / provider peak MiB / CPU s terraform, provider, emulator / load)"
python3 - "$summary" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
versions = sorted({r[0] for r in rows}, reverse=True)
labels = list(dict.fromkeys(r[1] for r in rows))
by = {(r[0], r[1]): r for r in rows}
print("| phase | " + " | ".join(f"Terraform {v}" for v in versions) + " |")
print("|---|" + "---|" * len(versions))
for label in labels:
    cells = []
    for v in versions:
        r = by.get((v, label))
        if r is None:
            cells.append("not run")
            continue
        _, _, wall, reads, writes, pages, peak, tf, prov, emu, load, code = r
        bad = "" if code in ("0", "2") else f" (exit {code})"
        cells.append(f"{wall} s, {reads}/{writes} ({pages} pages), {peak} MiB, CPU {tf}/{prov}/{emu}, load {load}{bad}")
    print(f"| {label} | " + " | ".join(cells) + " |")
PY
