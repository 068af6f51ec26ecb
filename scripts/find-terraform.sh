#!/usr/bin/env bash
# Prints the terraform (or tofu) to use: $TEAMSPHONE_TERRAFORM, else terraform on PATH, else Terraform
# 1.0.3 fetched by fetch-terraform.sh. The acceptance harness follows the same order.
set -euo pipefail
if [ -n "${TEAMSPHONE_TERRAFORM:-}" ]; then
  echo "$TEAMSPHONE_TERRAFORM"
elif command -v terraform >/dev/null 2>&1; then
  command -v terraform
else
  bash "$(dirname "${BASH_SOURCE[0]}")/fetch-terraform.sh"
fi
