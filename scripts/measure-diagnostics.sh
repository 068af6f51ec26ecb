#!/usr/bin/env bash
# Prints figures (never asserts them) for the two diagnostic tools against the emulator's demo tenant:
# the wall time of the complete example's apply, re-plan and destroy without and with
# TEAMSPHONE_WIRE_LOG, the log's size, and the wall time of `doctor`. The demo tenant's deliberate
# delays (1 s account visibility, 1 s number operations) dominate the terraform times.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/emulator.sh
source scripts/lib/emulator.sh
complete_example_against_demo_tenant "$root/target/measure-diagnostics"
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
for mode in off on; do
  if [ "$mode" = on ]; then export TEAMSPHONE_WIRE_LOG="$work/wire.jsonl"; fi
  for step in "apply -auto-approve" "plan" "destroy -auto-approve"; do
    start=$(date +%s%N)
    "$terraform_bin" $step -no-color >"$work/${step%% *}-$mode.log"
    echo "wire log $mode: terraform ${step%% *}: $(ms "$start") ms"
  done
done
unset TEAMSPHONE_WIRE_LOG
echo "wire log: $(wc -l <"$work/wire.jsonl") lines, $(wc -c <"$work/wire.jsonl") bytes, mode $(stat -c %a "$work/wire.jsonl")"
start=$(date +%s%N)
code=0
"$root/target/debug/terraform-provider-teamsphone" doctor >"$work/doctor.txt" || code=$?
echo "doctor: $(ms "$start") ms, exit code $code"
