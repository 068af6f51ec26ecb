#!/usr/bin/env bash
# Installs what building needs and a fresh machine may lack: protoc (tf-provider's build script runs it).
set -euo pipefail
if ! command -v protoc >/dev/null 2>&1; then
  echo "Installing protobuf-compiler (protoc) for the tf-provider build..." >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq protobuf-compiler >&2
fi
