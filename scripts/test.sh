#!/usr/bin/env bash
# The whole test suite, on a fresh machine or a used one: installs what the
# tests need when it is missing, then runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build output lives outside the clone so CI runs reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/podready/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

if ! command -v cargo >/dev/null; then
    echo "error: cargo is not installed; install Rust (https://rustup.rs) and run this again" >&2
    exit 2
fi

# Debian packages the tests use, installed only when missing: Maven and a
# JDK for the real build of a fixed project; OpenSSL headers for libgit2's
# https; MariaDB for the grant center's tests, which start a private
# mariadbd of their own (nothing is started system-wide); Chromium for the
# HTML report.
need=()
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(default-jdk-headless)
pkg-config --exists openssl 2>/dev/null || need+=(libssl-dev pkg-config)
if ! [ -x /usr/sbin/mariadbd ] || ! command -v mariadb-install-db >/dev/null || ! command -v mariadb >/dev/null; then
    need+=(mariadb-server mariadb-client)
fi
# The openssl command makes the certificates of the TLS grant tests.
command -v openssl >/dev/null || need+=(openssl)
# The pod binary's tests: umoci builds and unpacks its OCI image, a static
# busybox is the only other thing in the chroot it runs in, and the image
# carries the CA certificates.
command -v umoci >/dev/null || need+=(umoci)
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || need+=(busybox-static)
[ -f /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)
# Headless Chromium renders the bulk run's HTML report in its test.
command -v chromium >/dev/null || need+=(chromium)
if ((${#need[@]})); then
    echo "installing ${need[*]} (needed by the tests)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The Kubernetes schema validator the render tests run (PyPI).
if ! python3 -c "import kubernetes_validate" 2>/dev/null; then
    echo "installing kubernetes-validate (needed by the tests)" >&2
    python3 -m pip install -q --disable-pip-version-check "kubernetes-validate==1.33.1"
fi

# The Kubernetes control plane of the release tests (etcd, kube-apiserver,
# controller-manager, scheduler, kwok), built once from the Go module proxy
# and cached outside the clone: about 6 to 10 minutes the first time.
if ! command -v go >/dev/null; then
    echo "error: go is not installed; the release tests build their Kubernetes control plane with it (Go 1.24 or newer)" >&2
    exit 2
fi
PODREADY_K8S_BIN=$(scripts/build-k8s.sh)
export PODREADY_K8S_BIN

# Test binaries of earlier builds pile up in the shared target folder.
find "$CARGO_TARGET_DIR/debug/deps" -maxdepth 1 -type f -executable ! -name '*.so' -mtime +2 -delete 2>/dev/null || true

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# The static pod binary and its image, which the pod tests run.
PODREADY_POD_IMAGE=$(scripts/build-image.sh "$CARGO_TARGET_DIR/oci")
PODREADY_POD_BIN=$(scripts/build-pod.sh)
export PODREADY_POD_IMAGE PODREADY_POD_BIN
# The doc tests in a run of their own: built in one run with the tests,
# rustdoc was once handed a dependency's other build (E0463, "can't find
# crate") after a rule-model change rebuilt the workspace.
cargo test --workspace --locked --lib --bins --tests
cargo test --workspace --locked --doc
