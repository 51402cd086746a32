#!/usr/bin/env bash
# Build the control-plane binaries of the cluster suite (test/cluster/) from the Go module proxy
# and install etcd from Debian: kube-apiserver, kube-controller-manager and kube-scheduler
# (one wrapper module, one `go build`, so the three share one compile of k8s.io/kubernetes),
# kwok (fake nodes and kubelets) and etcd.
#
# Usage: .ci/install-cluster-tools.sh [BIN_DIR]   (default: ~/.cache/agentic-platform/bin)
# Env:   KUBERNETES_VERSION (default v1.35.0)
#        KWOK_VERSION       (default v0.8.0)
#        GO                 (default: go on PATH)
#        SHARE_DIR          (default: BIN_DIR/../share; kwok's default stages go there)
#
# Idempotent: a tool is skipped when BIN_DIR already holds it at the requested version.
# The Kyverno controllers the suite also runs are built by .ci/install-kyverno.sh.
set -euo pipefail

BIN_DIR="${1:-${BIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/agentic-platform/bin}}"
KUBERNETES_VERSION="${KUBERNETES_VERSION:-v1.35.0}"
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
GO="${GO:-go}"

die() { echo "install-cluster-tools: ERROR: $*" >&2; exit 1; }
log() { echo "install-cluster-tools: $*" >&2; }

command -v "$GO" >/dev/null 2>&1 || die "'$GO' not found on PATH"
mkdir -p "$BIN_DIR"
BIN_DIR="$(cd "$BIN_DIR" && pwd)"
SHARE_DIR="${SHARE_DIR:-$(dirname "$BIN_DIR")/share}"

export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
export CGO_ENABLED=0
export GO111MODULE=on
export GOWORK=off

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cluster-tools.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# ------------------------------------------------------------------ etcd
# Debian's etcd-server (3.4) is what kube-apiserver 1.35 was tried with on these machines.
if command -v etcd >/dev/null 2>&1; then
  log "etcd present: $(etcd --version 2>/dev/null | head -1)"
else
  log "installing etcd-server from Debian"
  "$(dirname "$0")/apt-install.sh" --no-install-recommends etcd-server >/dev/null \
    || die "etcd is not on PATH and apt-get could not install etcd-server: install etcd 3.4+"
  # The package starts a system etcd on 2379; the suite runs its own on a free port.
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now etcd >/dev/null 2>&1 || true; fi
  command -v etcd >/dev/null 2>&1 || die "etcd-server installed but no etcd on PATH"
  log "installed $(etcd --version | head -1)"
fi

# ------------------------------------------------------------ kubernetes
K8S_MOD=k8s.io/kubernetes
K8S_CMDS=(kube-apiserver kube-controller-manager kube-scheduler)

k8s_present() {
  local cmd
  for cmd in "${K8S_CMDS[@]}"; do
    [ -x "$BIN_DIR/$cmd" ] || return 1
    [ "$("$BIN_DIR/$cmd" --version 2>/dev/null | awk '{print $2}')" = "$KUBERNETES_VERSION" ] || return 1
  done
}

if k8s_present; then
  log "${K8S_CMDS[*]} $KUBERNETES_VERSION already present in $BIN_DIR, skipping"
else
  log "building ${K8S_CMDS[*]} $KUBERNETES_VERSION in one wrapper module (cold: ~25 min on 2 cores)"
  start=$(date +%s)
  mkdir -p "$WORK/k8s"
  cd "$WORK/k8s"
  # k8s.io/kubernetes replaces its staging modules with ./staging/... paths, which `go install
  # pkg@version` refuses. The wrapper module replaces each of them with the published module of
  # the same name at the matching v0.x version instead; the list comes from upstream's go.mod.
  dl_json="$(cd "$WORK" && "$GO" mod download -json "$K8S_MOD@$KUBERNETES_VERSION" 2>&1)" \
    || die "go mod download $K8S_MOD@$KUBERNETES_VERSION failed: $dl_json"
  upstream_gomod="$(printf '%s\n' "$dl_json" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
  [ -f "$upstream_gomod" ] || die "could not locate go.mod of $K8S_MOD@$KUBERNETES_VERSION in: $dl_json"
  staging_version="v0.${KUBERNETES_VERSION#v1.}"
  mapfile -t staging < <(sed -n 's#^[[:space:]]*\(k8s\.io/[^ ]*\) => \./staging/src/.*#\1#p' "$upstream_gomod")
  [ "${#staging[@]}" -gt 20 ] || die "found only ${#staging[@]} staging modules in $upstream_gomod"
  go_directive="$(awk '/^go / {print $2; exit}' "$upstream_gomod")"
  {
    echo "module agentic-platform/cluster-tools"
    echo
    echo "go $go_directive"
    echo
    echo "require $K8S_MOD $KUBERNETES_VERSION"
    echo
    echo "replace ("
    for m in "${staging[@]}"; do echo "	$m => $m $staging_version"; done
    echo ")"
  } > go.mod
  log "replaced ${#staging[@]} staging modules with their published $staging_version"
  pkgs=()
  for cmd in "${K8S_CMDS[@]}"; do pkgs+=("$K8S_MOD/cmd/$cmd"); done
  GOFLAGS=-mod=mod "$GO" get "${pkgs[@]/%/@$KUBERNETES_VERSION}" || die "go get ${pkgs[*]} failed"
  minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
  ldflags="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  mkdir -p "$WORK/out"
  # One invocation: the three commands share every package of the compile.
  GOFLAGS=-mod=mod "$GO" build -trimpath -ldflags "$ldflags" -o "$WORK/out/" "${pkgs[@]}" \
    || die "go build ${pkgs[*]} failed"
  for cmd in "${K8S_CMDS[@]}"; do
    got="$("$WORK/out/$cmd" --version | awk '{print $2}')"
    [ "$got" = "$KUBERNETES_VERSION" ] || die "built $cmd reports '$got', expected '$KUBERNETES_VERSION'"
    mv -f "$WORK/out/$cmd" "$BIN_DIR/$cmd"
  done
  cd - >/dev/null
  log "installed ${K8S_CMDS[*]} ($KUBERNETES_VERSION) in $(( $(date +%s) - start ))s"
fi

# ------------------------------------------------------------------ kwok
installed_kwok_version() {
  [ -x "$BIN_DIR/kwok" ] || return 0
  "$BIN_DIR/kwok" --version 2>/dev/null | awk '{print $3; exit}' || true
}

if [ "$(installed_kwok_version)" = "$KWOK_VERSION" ]; then
  log "kwok $KWOK_VERSION already present in $BIN_DIR, skipping"
else
  log "building kwok $KWOK_VERSION (its own module: it requires k8s.io v0.36 libraries)"
  start=$(date +%s)
  mkdir -p "$WORK/gobin"
  (cd "$WORK" && GOBIN="$WORK/gobin" "$GO" install -trimpath \
      -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
      "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION") || die "go install kwok@$KWOK_VERSION failed"
  got="$("$WORK/gobin/kwok" --version | awk '{print $3; exit}')"
  [ "$got" = "$KWOK_VERSION" ] || die "built kwok reports '$got', expected '$KWOK_VERSION'"
  mv -f "$WORK/gobin/kwok" "$BIN_DIR/kwok"
  log "installed $BIN_DIR/kwok ($got) in $(( $(date +%s) - start ))s"
fi

# kwok's default stages (node initialize + heartbeat, pod ready/complete/delete) are what
# kwokctl feeds the kwok binary; the bare binary needs them as --config. They are copied from
# the same module version the binary was built from, so the two cannot disagree.
KWOK_STAGES="$SHARE_DIR/kwok-$KWOK_VERSION/stages"
if [ -f "$KWOK_STAGES/.complete" ]; then
  log "kwok $KWOK_VERSION stages already present in $KWOK_STAGES, skipping"
else
  kwok_json="$(cd "$WORK" && "$GO" mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" 2>&1)" \
    || die "go mod download sigs.k8s.io/kwok@$KWOK_VERSION failed: $kwok_json"
  kwok_dir="$(printf '%s\n' "$kwok_json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
  [ -d "$kwok_dir/kustomize/stage" ] || die "no kustomize/stage in $kwok_dir"
  rm -rf "$KWOK_STAGES" && mkdir -p "$KWOK_STAGES"
  cp "$kwok_dir/kustomize/stage/node/fast/node-initialize.yaml" \
     "$kwok_dir/kustomize/stage/node/heartbeat/node-heartbeat.yaml" \
     "$kwok_dir/kustomize/stage/pod/fast/pod-ready.yaml" \
     "$kwok_dir/kustomize/stage/pod/fast/pod-complete.yaml" \
     "$kwok_dir/kustomize/stage/pod/fast/pod-delete.yaml" "$KWOK_STAGES/"
  chmod -R u+w "$KWOK_STAGES"
  touch "$KWOK_STAGES/.complete"
  log "copied kwok $KWOK_VERSION stages to $KWOK_STAGES"
fi
