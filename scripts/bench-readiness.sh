#!/usr/bin/env bash
# Benchmark of data "teamsphone_shared_calling_readiness" at scale, through the real terraform binary
# against the emulator: USERS users (a tenth without Teams Phone, a tenth not Enterprise Voice
# enabled), one data source over all of them. Prints wall time, the requests the emulator answered per
# kind, and how many users came back ready and not ready; asserts nothing about time.
#
# Usage: bash scripts/bench-readiness.sh [USERS]   (default 10000)
#   PROFILE=debug uses target/debug instead of building --release (quicker to build, slower to run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/emulator.sh
source scripts/lib/emulator.sh
users="${1:-10000}"
profile="${PROFILE:-release}"
bash scripts/ensure-tools.sh
if [ "$profile" = release ]; then cargo build --release --bins --quiet; else cargo build --bins --quiet; fi
terraform_bin="$(bash scripts/find-terraform.sh)"
echo "terraform: $("$terraform_bin" version 2>/dev/null | head -n 1); users: $users; profile: $profile; cores: $(nproc)"

work="$root/target/bench-readiness"
rm -rf "$work"
mkdir -p "$work/tf"
{
  echo '{"tenants":[{"tenant_id":"11111111-2222-3333-4444-555555555555","domain":"contoso.onmicrosoft.com",'
  echo '"apps":[{"client_id":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","client_secret":"bench-secret","teams_administrator":true}],'
  echo '"users":['
  for ((i = 0; i < users; i++)); do
    sep=','; [ "$i" -eq $((users - 1)) ] && sep=''
    ev=true; [ $((i % 10)) -eq 1 ] && ev=false
    features=''; [ $((i % 10)) -eq 2 ] && features=',"featureTypes":["Teams"]'
    printf '{"id":"cccccccc-0000-4000-8000-%012d","userPrincipalName":"user%05d@contoso.com","displayName":"User %d","enterpriseVoiceEnabled":%s%s}%s\n' \
      "$i" "$i" "$i" "$ev" "$features" "$sep"
  done
  echo ']}]}'
} >"$work/seed.json"

start_emulator "$root/target/$profile/teamsphone-emulator" "$work/seed.json" "$work"
use_provider_build "$work" "$root/target/$profile"
sign_in_to_emulator bench-secret
{
  printf 'terraform {\n  required_providers {\n    teamsphone = { source = "teamsphone/teamsphone" }\n  }\n}\nprovider "teamsphone" {}\n'
  echo 'data "teamsphone_shared_calling_readiness" "all" {'
  echo '  policy_name = "Seattle"'
  echo '  user_ids = ['
  for ((i = 0; i < users; i++)); do printf '    "user%05d@contoso.com",\n' "$i"; done
  echo '  ]'
  echo '}'
  echo 'output "ready" { value = length(data.teamsphone_shared_calling_readiness.all.ready) }'
  echo 'output "not_ready" { value = length(data.teamsphone_shared_calling_readiness.all.not_ready) }'
} >"$work/tf/main.tf"

curl -fsS -X DELETE "$url/_emulator/requests" >/dev/null
start=$(date +%s.%N)
(cd "$work/tf" && "$terraform_bin" apply -auto-approve -no-color >"$work/apply.log" 2>&1) || { tail -n 30 "$work/apply.log"; exit 1; }
end=$(date +%s.%N)
printf '\n== readiness of %d users (terraform apply)\n' "$users"
printf '   wall time:          %.1f s\n' "$(echo "$end - $start" | bc)"
echo "   requests per kind:  $(curl -fsS "$url/_emulator/requests/counts")"
echo "   ready / not ready:  $(cd "$work/tf" && "$terraform_bin" output -raw ready) / $(cd "$work/tf" && "$terraform_bin" output -raw not_ready)"
