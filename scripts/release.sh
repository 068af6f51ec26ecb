#!/usr/bin/env bash
# Builds the Terraform Registry release artifacts for this machine's platform:
#   terraform-provider-teamsphone_<version>_<os>_<arch>.zip   (holds terraform-provider-teamsphone_v<version>)
#   terraform-provider-teamsphone_<version>_SHA256SUMS
#   terraform-provider-teamsphone_<version>_manifest.json
# Usage: scripts/release.sh [--version X.Y.Z] [--out DIR] [--binary PATH]
#   --binary packages an already built provider instead of running `cargo build --release`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
out="$root/target/release-artifacts"
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --binary) binary="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$(uname -s)" in
  Linux) os=linux ;; Darwin) os=darwin ;; *) echo "unsupported OS $(uname -s)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) echo "unsupported arch $(uname -m)" >&2; exit 1 ;;
esac
if [ -z "$binary" ]; then
  bash scripts/ensure-tools.sh
  cargo build --release --bin terraform-provider-teamsphone
  binary="$root/target/release/terraform-provider-teamsphone"
fi
name="terraform-provider-teamsphone_${version}"
mkdir -p "$out"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
install -m 0755 "$binary" "$stage/terraform-provider-teamsphone_v${version}"
rm -f "$out/${name}_${os}_${arch}.zip"
(cd "$stage" && python3 -m zipfile -c "$out/${name}_${os}_${arch}.zip" "terraform-provider-teamsphone_v${version}")
cp terraform-registry-manifest.json "$out/${name}_manifest.json"
(cd "$out" && sha256sum "${name}_${os}_${arch}.zip" "${name}_manifest.json" > "${name}_SHA256SUMS")
echo "$out/${name}_${os}_${arch}.zip"
