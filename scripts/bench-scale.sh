#!/usr/bin/env bash
# Benchmark of large tenants (issue 14), through the real terraform binary against the emulator.
# Prints figures; asserts nothing about time. Not part of scripts/test.sh or CI.
#
# Cases (give any of them as arguments; default: all):
#   shards    SHARDS (default 100) x 1,000 generated users as teamsphone_policy_assignment_sets of
#             1,000 on one policy: apply, the no-op plan after it, a change of 100 users (50 leave
#             shard 0, 50 new ones join the last shard); SHARD_REFS=ids lists the users by object
#             id instead of principal name (read from the emulator through Graph before the
#             phases), and then the change reads no pass at apply
#   list      one set of LIST_USERS users (default 20000; Terraform's cost for one big list grows
#             about quadratically, so 100,000 does not finish in 10 minutes): apply, no-op plan
#   per-user  PER_USER (default 1000) teamsphone_user_policy_assignments in a tenant of
#             PER_USER_TENANT users (default PER_USER + 10): apply, no-op plan
#   tenants   TENANTS (default 20) tenants of 1,000 users, one provider alias and one set each:
#             apply, no-op plan
#
# For each phase: wall time, terraform CPU seconds (its provider children included, GNU time),
# the provider's CPU seconds and peak memory (VmHWM, sampled from /proc every 50 ms), the emulator's
# CPU seconds, and reads / writes per kind from the emulator's /_emulator/requests/counts.
#
# Usage: bash scripts/bench-scale.sh [shards] [list] [per-user] [tenants]
#   TEAMSPHONE_TERRAFORM=target/tools/terraform-1.0.3/terraform bash scripts/bench-scale.sh shards
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/emulator.sh
source scripts/lib/emulator.sh
# shellcheck source=lib/measure.sh
source scripts/lib/measure.sh
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(shards list per-user tenants)
list_users="${LIST_USERS:-20000}"
per_user="${PER_USER:-1000}"
per_user_tenant="${PER_USER_TENANT:-$((per_user + 10))}"
tenants="${TENANTS:-20}"
shards="${SHARDS:-100}"
shard_refs="${SHARD_REFS:-names}"
bash scripts/ensure-tools.sh
# SKIP_BUILD=1 uses the release binaries already built (for instance while the tree is being edited).
[ "${SKIP_BUILD:-}" = 1 ] || cargo build --release --bins --quiet
terraform_bin="${TEAMSPHONE_TERRAFORM:-$(bash scripts/find-terraform.sh)}"
provider_bin="$root/target/release/terraform-provider-teamsphone"
emulator_bin="$root/target/release/teamsphone-emulator"
echo "terraform: $("$terraform_bin" version 2>/dev/null | head -n 1); cases: ${cases[*]}; cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
ticks=$(getconf CLK_TCK)
work="$root/target/bench-scale"
rm -rf "$work"
mkdir -p "$work"
use_provider_build "$work" "$root/target/release"
domain=contoso.onmicrosoft.com
tenant_id=11111111-2222-3333-4444-555555555555
app_id=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee

# base_seed FILE: one tenant, one app, one shared calling policy, no users (the emulator
# generates them).
base_seed() {
  cat >"$1" <<JSON
{"tenants":[{"tenant_id":"$tenant_id","domain":"$domain",
 "apps":[{"client_id":"$app_id","client_secret":"bench-secret","teams_administrator":true}],
 "shared_calling_policies":[{"Identity":"Tag:Seattle","ResourceAccount":"3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01"}]}]}
JSON
}

# emulator_with_users USERS: a fresh emulator with USERS generated users; sets `url`.
emulator_with_users() {
  [ -n "${emulator_pid:-}" ] && { kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; }
  base_seed "$work/seed.json"
  local started
  started=$(date +%s.%N)
  start_emulator "$emulator_bin" "$work/seed.json" "$work" --generate-users "$1" --generate-seed 14
  printf '\nemulator with %d generated users listening after %.1f s\n' "$1" "$(echo "$(date +%s.%N) - $started" | bc)"
  sign_in_to_emulator bench-secret
}

# object_ids FILE: a JSON list of the tenant's object ids in principal-name order (user j is at j),
# paged through Graph as any client would; curl retries the emulator's throttling answers.
object_ids() {
  local token next page
  token=$(curl -sSf --retry 8 -X POST "$url/$tenant_id/oauth2/v2.0/token" \
    -d grant_type=client_credentials -d client_id="$app_id" -d client_secret=bench-secret \
    --data-urlencode scope=https://graph.microsoft.com/.default | jq -r .access_token)
  next="$url/v1.0/admin/teams/userConfigurations?\$top=999"
  : >"$1.tsv"
  while [ -n "$next" ]; do
    page=$(curl -sSf --retry 8 -H "Authorization: Bearer $token" "$next")
    jq -r '.value[] | [.userPrincipalName, .id] | @tsv' <<<"$page" >>"$1.tsv"
    next=$(jq -r '."@odata.nextLink" // empty' <<<"$page")
  done
  LC_ALL=C sort "$1.tsv" | cut -f2 | jq -R . | jq -cs . >"$1"
}

provider_hcl='terraform {
  required_providers {
    teamsphone = { source = "teamsphone/teamsphone" }
  }
}
provider "teamsphone" {}
'
# Terraform's range() stops at 1,024 values, so users are built a thousand at a time.
user_name='format("user%06d@'"$domain"'", j)'

for case in "${cases[@]}"; do
  case "$case" in
  shards)
    emulator_with_users $((shards * 1000 + 100))
    mkdir -p "$work/shards"
    cat >"$work/shards/main.tf" <<HCL
$provider_hcl
variable "cut" { default = 0 }
variable "add" { default = 0 }
resource "teamsphone_policy_assignment_set" "shard" {
  for_each    = local.shards
  policy_name = "Seattle"
  user_ids    = each.value
}
HCL
    if [ "$shard_refs" = ids ]; then
      object_ids "$work/shards/ids.json"
      printf 'shards list users by object id (%s ids read)\n' "$(jq length "$work/shards/ids.json")"
      # The ids go in as one list per shard: Terraform 1.11.4 took 9 minutes of CPU to index one
      # list of 100,000 ids once per user, and slices a list per shard at once.
      jq -c --argjson n "$shards" \
        '. as $ids | [range($n) | {key: (. | tostring | if length < 2 then "0" + . else . end), value: $ids[. * 1000:(. + 1) * 1000]}]
         | from_entries + {extra: $ids[$n * 1000:]}' "$work/shards/ids.json" >"$work/shards/by_shard.json"
      cat >>"$work/shards/main.tf" <<HCL
locals {
  by_shard = jsondecode(file("by_shard.json"))
  shards = { for i in range($shards) : format("%02d", i) => concat(
    slice(local.by_shard[format("%02d", i)], i == 0 ? var.cut : 0, 1000),
    i == $((shards - 1)) ? slice(local.by_shard.extra, 0, var.add) : []
  ) }
}
HCL
    else
      cat >>"$work/shards/main.tf" <<HCL
locals {
  shards = { for i in range($shards) : format("%02d", i) => concat(
    [for j in range(i * 1000 + (i == 0 ? var.cut : 0), (i + 1) * 1000) : $user_name],
    i == $((shards - 1)) ? [for j in range($((shards * 1000)), $((shards * 1000)) + var.add) : $user_name] : []
  ) }
}
HCL
    fi
    run_phase "shards-apply" "$work/shards" apply -auto-approve -no-color
    run_phase "shards-noop-plan" "$work/shards" plan -detailed-exitcode -no-color
    run_phase "shards-change-100" "$work/shards" apply -auto-approve -no-color -var cut=50 -var add=50
    ;;
  list)
    emulator_with_users "$list_users"
    mkdir -p "$work/list"
    cat >"$work/list/main.tf" <<HCL
$provider_hcl
resource "teamsphone_policy_assignment_set" "all" {
  policy_name = "Seattle"
  user_ids    = flatten([for i in range(ceil($list_users / 1000)) : [for j in range(i * 1000, min((i + 1) * 1000, $list_users)) : $user_name]])
}
HCL
    run_phase "list-$list_users-apply" "$work/list" apply -auto-approve -no-color
    run_phase "list-$list_users-noop-plan" "$work/list" plan -detailed-exitcode -no-color
    ;;
  per-user)
    emulator_with_users "$per_user_tenant"
    mkdir -p "$work/per-user"
    cat >"$work/per-user/main.tf" <<HCL
$provider_hcl
locals {
  users = flatten([for i in range(ceil($per_user / 1000)) : [for j in range(i * 1000, min((i + 1) * 1000, $per_user)) : $user_name]])
}
resource "teamsphone_user_policy_assignment" "each" {
  for_each    = toset(local.users)
  user_id     = each.value
  policy_name = "Seattle"
}
HCL
    run_phase "per-user-$per_user-apply" "$work/per-user" apply -auto-approve -no-color
    run_phase "per-user-$per_user-noop-plan" "$work/per-user" plan -detailed-exitcode -no-color
    ;;
  tenants)
    # One emulator with TENANTS tenants of 1,000 users each (written out: --generate-users fills
    # the first tenant only).
    [ -n "${emulator_pid:-}" ] && { kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; }
    python3 - "$tenants" "$app_id" >"$work/tenants-seed.json" <<'PY'
import json, sys
count, app = int(sys.argv[1]), sys.argv[2]
tenants = []
for t in range(count):
    tenants.append({
        "tenant_id": f"{t:08x}-2222-4333-8444-555555555555", "domain": f"t{t}.onmicrosoft.com",
        "apps": [{"client_id": app, "client_secret": "bench-secret", "teams_administrator": True}],
        "shared_calling_policies": [{"Identity": "Tag:Seattle", "ResourceAccount": "3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01"}],
        "users": [{"id": f"{t:08x}-0000-4000-8000-{i:012d}", "userPrincipalName": f"user{i:06d}@t{t}.onmicrosoft.com",
                   "displayName": f"User {i}"} for i in range(1000)],
    })
print(json.dumps({"tenants": tenants}))
PY
    start_emulator "$emulator_bin" "$work/tenants-seed.json" "$work"
    sign_in_to_emulator bench-secret
    mkdir -p "$work/tenants"
    {
      printf 'terraform {\n  required_providers {\n    teamsphone = { source = "teamsphone/teamsphone" }\n  }\n}\n'
      for ((t = 0; t < tenants; t++)); do
        printf 'provider "teamsphone" {\n  alias     = "t%d"\n  tenant_id = "%08x-2222-4333-8444-555555555555"\n}\n' "$t" "$t"
        printf 'resource "teamsphone_policy_assignment_set" "t%d" {\n  provider    = teamsphone.t%d\n  policy_name = "Seattle"\n' "$t" "$t"
        printf '  user_ids    = [for j in range(1000) : format("user%%06d@t%d.onmicrosoft.com", j)]\n}\n' "$t"
      done
    } >"$work/tenants/main.tf"
    run_phase "tenants-$tenants-apply" "$work/tenants" apply -auto-approve -no-color
    run_phase "tenants-$tenants-noop-plan" "$work/tenants" plan -detailed-exitcode -no-color
    ;;
  *)
    echo "unknown case '$case' (shards, list, per-user, tenants)" >&2
    exit 2
    ;;
  esac
done
