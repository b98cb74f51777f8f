#!/usr/bin/env bash
# Builds the OCI image the rendered pods' grant container uses: the static
# podready-pod binary as /usr/local/bin/podready, the CA certificates, and
# nothing else. Offline, with umoci (no daemon, no registry).
#
#   scripts/build-image.sh [DIR]    # default: $CARGO_TARGET_DIR/oci
#
# Prints the image as LAYOUT:TAG; the tag is podready's version, the one
# `podready deploy render` references by default. To push it:
#   skopeo copy oci:LAYOUT:TAG docker://REGISTRY/podready/podready:TAG
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/podready/target}"
for tool in umoci; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install $tool)" >&2; exit 2; }
done
certs=/etc/ssl/certs/ca-certificates.crt
[ -f "$certs" ] || { echo "error: $certs is missing (apt-get install ca-certificates)" >&2; exit 2; }
bin=$(scripts/build-pod.sh)
tag=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
out="${1:-$CARGO_TARGET_DIR/oci}"
layout="$out/podready"
bundle="$out/bundle"
rm -rf "$layout" "$bundle"
mkdir -p "$out"
umoci init --layout "$layout"
umoci new --image "$layout:$tag"
umoci unpack --image "$layout:$tag" "$bundle" >/dev/null
install -D -m 0755 "$bin" "$bundle/rootfs/usr/local/bin/podready"
install -D -m 0644 "$certs" "$bundle/rootfs/etc/ssl/certs/ca-certificates.crt"
umoci repack --image "$layout:$tag" "$bundle"
umoci config --image "$layout:$tag" \
    --os linux --architecture amd64 --author podready \
    --config.env PATH=/usr/local/bin \
    --config.entrypoint /usr/local/bin/podready \
    --config.user 65532:65532
umoci gc --layout "$layout"
rm -rf "$bundle"
echo "$layout:$tag"
