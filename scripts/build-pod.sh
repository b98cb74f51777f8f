#!/usr/bin/env bash
# Builds the pod-side binary, podready-pod: statically linked (glibc with
# crt-static, rustls for TLS, no OpenSSL), stripped, and prints its path.
# The rendered pods run it in the application's own image, whatever its libc.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/podready/target}"
target=x86_64-unknown-linux-gnu
# --target keeps the flag off build scripts, which must stay dynamic.
RUSTFLAGS="-C target-feature=+crt-static" \
    cargo build --locked --quiet --profile pod --target "$target" -p podready-pod
echo "$CARGO_TARGET_DIR/$target/pod/podready-pod"
