#!/usr/bin/env bash
# Builds the control plane the release tests run against — etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and kwok — from their Go modules, once:
# the binaries are kept in a cache outside the clone (cheaper to keep than GOCACHE)
# and this script prints the folder that holds them.
set -euo pipefail

K8S_VERSION=v1.34.4
ETCD_VERSION=v3.6.16
KWOK_VERSION=v0.7.0
staging_version=v0${K8S_VERSION#v1}

out=${PODREADY_K8S_CACHE:-$HOME/.cache/podready/k8s}/k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
missing=0
for b in "${binaries[@]}"; do [[ -x $out/$b ]] || missing=1; done
if (( missing == 0 )); then echo "$out"; exit 0; fi

command -v go >/dev/null || { echo "error: go is needed to build the control plane (see the README)" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-buildvcs=false CGO_ENABLED=0

log() { echo "build-k8s: $*" >&2; }

if [[ ! -x $out/etcd ]]; then
  log "etcd $ETCD_VERSION"
  mkdir -p "$work/etcd" && cd "$work/etcd"
  go mod init podready.test/etcd >/dev/null 2>&1
  cat > main.go <<'GO'
// etcd's own entry point, built from its Go module.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
  go mod tidy >&2
  go build -trimpath -ldflags '-s -w' -o "$out/etcd.tmp" . && mv "$out/etcd.tmp" "$out/etcd"
fi

kube=(kube-apiserver kube-controller-manager kube-scheduler)
if [[ ! -x $out/kube-apiserver || ! -x $out/kube-controller-manager || ! -x $out/kube-scheduler ]]; then
  log "kubernetes $K8S_VERSION (about 10 minutes cold on 2 cores)"
  mkdir -p "$work/kube" && cd "$work/kube"
  go mod init podready.test/kube >/dev/null 2>&1
  go mod download -json "k8s.io/kubernetes@$K8S_VERSION" >/dev/null
  upstream=$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.mod
  # kubernetes replaces its staging modules with folders of its own repository;
  # a module that requires it replaces them with their published versions instead.
  while read -r module; do
    go mod edit -replace "$module=$module@$staging_version"
  done < <(sed -n 's#^\s*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "$upstream")
  go mod edit -require "k8s.io/kubernetes@$K8S_VERSION"
  {
    echo '//go:build tools'
    echo
    echo '// The commands this module builds, kept in its requirements.'
    echo 'package tools'
    echo
    echo 'import ('
    for c in "${kube[@]}"; do echo "	_ \"k8s.io/kubernetes/cmd/$c\""; done
    echo ')'
  } > tools.go
  go mod tidy >&2
  version=k8s.io/component-base/version
  minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  flags="-s -w -X $version.gitVersion=$K8S_VERSION -X $version.gitMajor=1 -X $version.gitMinor=$minor"
  for c in "${kube[@]}"; do
    log "  $c"
    go build -trimpath -ldflags "$flags" -o "$out/$c.tmp" "k8s.io/kubernetes/cmd/$c" && mv "$out/$c.tmp" "$out/$c"
  done
fi

if [[ ! -x $out/kwok ]]; then
  log "kwok $KWOK_VERSION"
  mkdir -p "$work/gobin"
  GOBIN=$work/gobin go install -trimpath -ldflags '-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" >&2
  mv "$work/gobin/kwok" "$out/kwok"
fi

echo "$out"
