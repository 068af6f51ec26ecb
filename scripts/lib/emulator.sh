# Shared by the scripts that run terraform against a local emulator (demo, measurements, benchmarks):
# start the emulator and wait for its URL, point terraform at a freshly built provider through
# dev_overrides, and point the provider at the emulator. Source it; it defines functions only.

# start_emulator BINARY SEED WORK [ARG...]: starts BINARY on an ephemeral loopback port with SEED
# (and any further emulator arguments, such as --generate-users N), sets `emulator_pid` and `url`,
# and stops the emulator when the calling script exits.
start_emulator() {
  local binary=$1 seed=$2 work=$3
  shift 3
  "$binary" --listen 127.0.0.1:0 --seed "$seed" "$@" >"$work/emulator.out" 2>"$work/emulator.log" &
  emulator_pid=$!
  trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT
  # Generating a large tenant takes a few seconds: wait up to a minute.
  for _ in $(seq 1 600); do
    grep -q '^listening on ' "$work/emulator.out" 2>/dev/null && break
    sleep 0.1
  done
  url="$(sed -n 's/^listening on //p' "$work/emulator.out")"
  if [ -z "$url" ]; then
    echo "the emulator did not start:" >&2
    cat "$work/emulator.log" >&2
    exit 1
  fi
}

# use_provider_build WORK DIR: makes terraform use the provider binary in DIR (dev_overrides, so no
# `terraform init`), non-interactively.
use_provider_build() {
  local work=$1 dir=$2
  cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "teamsphone/teamsphone" = "$dir"
  }
  direct {}
}
RC
  export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
}

# sign_in_to_emulator SECRET: the provider settings for the seeded tenant and app at `url`.
sign_in_to_emulator() {
  export TEAMSPHONE_TENANT_ID=11111111-2222-3333-4444-555555555555
  export TEAMSPHONE_CLIENT_ID=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
  export TEAMSPHONE_CLIENT_SECRET=$1
  export TEAMSPHONE_LOGIN_ENDPOINT="$url" TEAMSPHONE_GRAPH_ENDPOINT="$url" TEAMSPHONE_TEAMS_ENDPOINT="$url"
}

# copy_complete_example WORK TERRAFORM: copies examples/complete into WORK with the site module it
# calls beside it (WORK has no ../modules, so the source becomes ./modules/...) and installs the
# module with `TERRAFORM get` (dev_overrides skip `init`, but a module must still be installed).
# Call it after use_provider_build, so `get` reads that CLI configuration.
copy_complete_example() {
  local work=$1 terraform=$2
  mkdir -p "$work/modules"
  cp -r examples/modules/shared-calling-site "$work/modules/"
  for file in examples/complete/*.tf; do
    sed 's#"\.\./modules/shared-calling-site"#"./modules/shared-calling-site"#' "$file" >"$work/$(basename "$file")"
  done
  (cd "$work" && "$terraform" get -no-color >/dev/null)
}

# complete_example_against_demo_tenant WORK: builds the debug binaries, starts the emulator with the
# demo tenant, and leaves the shell in a fresh WORK holding the complete example, signed in and with
# `terraform_bin` and `work` set, ready for the caller's terraform steps.
complete_example_against_demo_tenant() {
  work=$1
  cargo build --bins -q
  terraform_bin="$(bash scripts/find-terraform.sh)"
  rm -rf "$work" && mkdir -p "$work"
  start_emulator ./target/debug/teamsphone-emulator examples/emulator/demo-tenant.json "$work"
  use_provider_build "$work" "$root/target/debug"
  copy_complete_example "$work" "$terraform_bin"
  sign_in_to_emulator demo-secret-not-for-production
  cd "$work"
  echo "terraform: $("$terraform_bin" version | head -n 1)"
}
