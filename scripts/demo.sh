#!/usr/bin/env bash
# The main job: build the provider and the emulator, start the emulator with the demo tenant, and
# `terraform apply` the complete Shared Calling example against it with the real terraform binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/emulator.sh
source scripts/lib/emulator.sh
bash scripts/ensure-tools.sh
cargo build --bins
terraform_bin="$(bash scripts/find-terraform.sh)"
echo "Using $("$terraform_bin" version | head -n 1) at $terraform_bin"

work="$root/target/demo"
rm -rf "$work"
mkdir -p "$work"

start_emulator ./target/debug/teamsphone-emulator examples/emulator/demo-tenant.json "$work"
echo "Emulator (demo tenant) at $url"
use_provider_build "$work" "$root/target/debug"
copy_complete_example "$work" "$terraform_bin"
sign_in_to_emulator demo-secret-not-for-production

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
