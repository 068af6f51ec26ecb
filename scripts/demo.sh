#!/usr/bin/env bash
# The main job: build the provider and the emulator, start the emulator with the demo tenant, and
# `terraform apply` the complete Shared Calling example against it with the real terraform binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh
cargo build --bins
terraform_bin="$(bash scripts/find-terraform.sh)"
echo "Using $("$terraform_bin" version | head -n 1) at $terraform_bin"

work="$root/target/demo"
rm -rf "$work"
mkdir -p "$work"
cp examples/complete/*.tf "$work/"

./target/debug/teamsphone-emulator --listen 127.0.0.1:0 --seed examples/emulator/demo-tenant.json \
  >"$work/emulator.out" 2>"$work/emulator.log" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$work/emulator.out" 2>/dev/null && break
  sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$work/emulator.out")"
[ -n "$url" ] || { echo "the emulator did not start:" >&2; cat "$work/emulator.log" >&2; exit 1; }
echo "Emulator (demo tenant) at $url"

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "teamsphone/teamsphone" = "$root/target/debug"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
export TEAMSPHONE_TENANT_ID=11111111-2222-3333-4444-555555555555
export TEAMSPHONE_CLIENT_ID=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
export TEAMSPHONE_CLIENT_SECRET=demo-secret-not-for-production
export TEAMSPHONE_LOGIN_ENDPOINT="$url" TEAMSPHONE_GRAPH_ENDPOINT="$url" TEAMSPHONE_TEAMS_ENDPOINT="$url"

cd "$work"
"$terraform_bin" apply -auto-approve -no-color
echo
echo "== terraform plan after apply (expect no changes) =="
"$terraform_bin" plan -no-color -detailed-exitcode
echo
echo "== the emulator's tenant now =="
curl -fsS "$url/_emulator/tenants/$TEAMSPHONE_TENANT_ID" | python3 -m json.tool
echo
echo "== its users, numbers and number operations =="
curl -fsS "$url/_emulator/tenants/$TEAMSPHONE_TENANT_ID/voice" | python3 -m json.tool
