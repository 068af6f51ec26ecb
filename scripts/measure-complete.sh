#!/usr/bin/env bash
# Prints figures (never asserts them) for the complete example against the emulator's demo tenant:
# wall time and the API requests of `terraform apply`, a re-plan and `terraform destroy`, by kind.
# The demo tenant makes new accounts invisible for 1 s and number operations take 1 s, so the figures
# show the provider's waiting and polling, not Microsoft's real latencies.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/emulator.sh
source scripts/lib/emulator.sh
complete_example_against_demo_tenant "$root/target/measure-complete"
for step in "apply -auto-approve" "plan" "destroy -auto-approve"; do
  start=$(date +%s%N)
  "$terraform_bin" $step -no-color >"$work/${step%% *}.log"
  end=$(date +%s%N)
  echo "terraform ${step%% *}: $(( (end - start) / 1000000 )) ms"
  curl -fsS "$url/_emulator/requests" | python3 -c '
import collections, json, re, sys
log = json.load(sys.stdin)
def kind(r):
    if r["service"] == "login": return "token"
    path = re.sub(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", "{id}", r["path"])
    return "/".join(path.split("/")[-2:])
counts = collections.Counter((r["method"], kind(r), r["status"]) for r in log)
print(f"  {len(log)} requests")
for (method, what, status), n in sorted(counts.items()):
    print(f"    {n:3} x {method} {what} -> {status}")'
  curl -fsS -X DELETE "$url/_emulator/requests"
done
