#!/usr/bin/env bash
# Build the Helm CLI from source using only the Go module proxy (no Helm download site here).
#
# Usage: .ci/install-helm.sh [BIN_DIR]   (default: ~/.cache/agentic-platform/bin, reused across runs)
# Env:   HELM_VERSION (default v3.19.0)
#        GO           (default: go on PATH)
#
# Idempotent: skipped when BIN_DIR already holds helm at the requested version.
set -euo pipefail

BIN_DIR="${1:-${BIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/agentic-platform/bin}}"
HELM_VERSION="${HELM_VERSION:-v3.19.0}"
GO="${GO:-go}"

die() { echo "install-helm: ERROR: $*" >&2; exit 1; }
log() { echo "install-helm: $*" >&2; }

command -v "$GO" >/dev/null 2>&1 || die "'$GO' not found on PATH"
mkdir -p "$BIN_DIR"
BIN_DIR="$(cd "$BIN_DIR" && pwd)"

# Both CI lanes need helm (.ci/run): one builds it, the other waits here for that build and then
# finds it installed.
exec 9>"$BIN_DIR/.install-helm.lock"
flock 9

export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
export CGO_ENABLED=0
export GO111MODULE=on
export GOWORK=off

installed_helm_version() {
  [ -x "$BIN_DIR/helm" ] || return 0
  "$BIN_DIR/helm" version --template '{{.Version}}' 2>/dev/null || true
}

if [ "$(installed_helm_version)" = "$HELM_VERSION" ]; then
  log "helm $HELM_VERSION already present in $BIN_DIR, skipping"
  exit 0
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/helm-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
log "building helm $HELM_VERSION (several minutes on 2 cores)"
start=$(date +%s)
# helm reports its version from ldflags; without them `helm version` says v3.x-unreleased.
(cd "$WORK" && GOBIN="$WORK/bin" "$GO" install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION") \
  || die "go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION failed"
got="$("$WORK/bin/helm" version --template '{{.Version}}')"
[ "$got" = "$HELM_VERSION" ] || die "built helm reports version '$got', expected '$HELM_VERSION'"
mv -f "$WORK/bin/helm" "$BIN_DIR/helm"
log "installed $BIN_DIR/helm ($got) in $(( $(date +%s) - start ))s"
