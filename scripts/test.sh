#!/usr/bin/env bash
# Runs every test: unit tests, the emulator's own tests and the acceptance tests that drive the real
# terraform binary against the provider and the emulator.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh
# Resolve terraform once (downloading 1.0.3 if there is none) so parallel tests do not race for it.
TEAMSPHONE_TERRAFORM="$(bash scripts/find-terraform.sh)"
export TEAMSPHONE_TERRAFORM
echo "Acceptance tests use $("$TEAMSPHONE_TERRAFORM" version | head -n 1) at $TEAMSPHONE_TERRAFORM"
cargo test --all-targets "$@"
# Terraform 1.0.3 is the oldest client we support: when the default is another one, run the acceptance
# tests through 1.0.3 as well.
oldest="$(bash scripts/fetch-terraform.sh)"
if [ "$("$TEAMSPHONE_TERRAFORM" version | head -n 1)" != "Terraform v1.0.3" ]; then
  echo "Acceptance tests again with Terraform 1.0.3 at $oldest"
  TEAMSPHONE_TERRAFORM="$oldest" cargo test --test acceptance "$@"
fi
