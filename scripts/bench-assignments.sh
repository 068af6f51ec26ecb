#!/usr/bin/env bash
# Benchmark of policy assignment at scale, through the real terraform binary against the emulator.
# Seeds 10,100 users and measures, for each phase: wall time, requests the emulator answered per kind
# (from /_emulator/requests/counts) and the provider's peak memory (VmHWM of the provider process,
# sampled from /proc every 50 ms). Prints figures; asserts nothing about time.
#
#   1. apply one teamsphone_policy_assignment_set with 10,000 users
#   2. the following no-op plan
#   3. a change of 100 users (50 leave, 50 join)
#   4. apply the same users as one teamsphone_user_policy_assignment resource each
#   5. the following no-op plan
#
# It also prints the CPU seconds of terraform (with its provider child), of the provider alone and of
# the emulator in each phase: on a shared machine wall time varies, and these show whose work it is.
#
# The grant route follows TEAMSPHONE_POLICY_ASSIGNMENT_ROUTE like the provider: run once as is (Graph
# batches) and once with TEAMSPHONE_POLICY_ASSIGNMENT_ROUTE=teams to see the Teams per-user route's cost.
#
# Usage: bash scripts/bench-assignments.sh [USERS [PER_USER]]
#   USERS     users in the set phases (default 10000); PER_USER: users in the per-user phases
#   (default USERS). Builds with --release.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/emulator.sh
source scripts/lib/emulator.sh
# shellcheck source=lib/measure.sh
source scripts/lib/measure.sh
users="${1:-10000}"
per_user="${2:-$users}"
extra=100
bash scripts/ensure-tools.sh
cargo build --release --bins --quiet
terraform_bin="$(bash scripts/find-terraform.sh)"
provider_bin="$root/target/release/terraform-provider-teamsphone"
echo "terraform: $("$terraform_bin" version 2>/dev/null | head -n 1); users: $users; per-user resources: $per_user; grant route: ${TEAMSPHONE_POLICY_ASSIGNMENT_ROUTE:-auto}; cores: $(nproc)"
ticks=$(getconf CLK_TCK)

work="$root/target/bench-assignments"
rm -rf "$work"
mkdir -p "$work/set" "$work/per-user"


# Seed: one tenant, one app, two shared calling policies, $users + $extra users.
{
  echo '{"tenants":[{"tenant_id":"11111111-2222-3333-4444-555555555555","domain":"contoso.onmicrosoft.com",'
  echo '"apps":[{"client_id":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","client_secret":"bench-secret","teams_administrator":true}],'
  echo '"shared_calling_policies":[{"Identity":"Tag:Seattle","ResourceAccount":"3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01"}],'
  echo '"users":['
  for ((i = 0; i < users + extra; i++)); do
    sep=','; [ "$i" -eq $((users + extra - 1)) ] && sep=''
    printf '{"id":"cccccccc-0000-4000-8000-%012d","userPrincipalName":"user%05d@contoso.com","displayName":"User %d"}%s\n' "$i" "$i" "$i" "$sep"
  done
  echo ']}]}'
} >"$work/seed.json"

start_emulator "$root/target/release/teamsphone-emulator" "$work/seed.json" "$work"
use_provider_build "$work" "$root/target/release"
sign_in_to_emulator bench-secret
provider_hcl='terraform {
  required_providers {
    teamsphone = { source = "teamsphone/teamsphone" }
  }
}
provider "teamsphone" {}
'

# The set of users first..first+count-1 plus the given extra range, as HCL list items.
user_list() {
  local from=$1 to=$2
  for ((i = from; i < to; i++)); do printf '    "user%05d@contoso.com",\n' "$i"; done
}

{
  echo "$provider_hcl"
  echo 'resource "teamsphone_policy_assignment_set" "all" {'
  echo '  policy_name = "Seattle"'
  echo '  user_ids = ['
  user_list 0 "$users"
  echo '  ]'
  echo '}'
} >"$work/set/main.tf"
run_phase "1-set-apply" "$work/set" apply -auto-approve -no-color
run_phase "2-set-noop-plan" "$work/set" plan -detailed-exitcode -no-color
{
  echo "$provider_hcl"
  echo 'resource "teamsphone_policy_assignment_set" "all" {'
  echo '  policy_name = "Seattle"'
  echo '  user_ids = ['
  user_list 50 "$((users + 50))"
  echo '  ]'
  echo '}'
} >"$work/set/main.tf"
run_phase "3-set-change-100" "$work/set" apply -auto-approve -no-color
(cd "$work/set" && "$terraform_bin" destroy -auto-approve -no-color >"$work/set-destroy.log" 2>&1)

[ "$per_user" -gt 0 ] || exit 0
{
  echo "$provider_hcl"
  echo 'locals {'
  echo '  users = ['
  user_list 0 "$per_user"
  echo '  ]'
  echo '}'
  echo 'resource "teamsphone_user_policy_assignment" "each" {'
  echo '  for_each    = toset(local.users)'
  echo '  user_id     = each.value'
  echo '  policy_name = "Seattle"'
  echo '}'
} >"$work/per-user/main.tf"
run_phase "4-per-user-apply" "$work/per-user" apply -auto-approve -no-color
run_phase "5-per-user-noop-plan" "$work/per-user" plan -detailed-exitcode -no-color
