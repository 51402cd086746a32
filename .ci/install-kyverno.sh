#!/usr/bin/env bash
# Build the Kyverno CLI (and kubeconform) from source using only the Go module proxy.
#
# Usage: .ci/install-kyverno.sh [BIN_DIR]   (default: ~/.cache/agentic-platform/bin, reused across runs)
# Env:   KYVERNO_VERSION     (default v1.19.0)
#        KUBECONFORM_VERSION (default v0.8.0)
#        GO                  (default: go on PATH)
#        WITH_KUBECONFORM=1  to also build kubeconform
#
# Idempotent: a tool is skipped when BIN_DIR already holds it at the requested version.
# Needs: Go >= 1.21 (older/newer toolchains are fetched through GOPROXY as module
# golang.org/toolchain when GOTOOLCHAIN=auto), network access to GOPROXY (+ GOSUMDB).
set -euo pipefail

BIN_DIR="${1:-${BIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/agentic-platform/bin}}"
KYVERNO_VERSION="${KYVERNO_VERSION:-v1.19.0}"
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.8.0}"
GO="${GO:-go}"

die() { echo "install-kyverno-tools: ERROR: $*" >&2; exit 1; }
log() { echo "install-kyverno-tools: $*" >&2; }

command -v "$GO" >/dev/null 2>&1 || die "'$GO' not found on PATH"
mkdir -p "$BIN_DIR"
BIN_DIR="$(cd "$BIN_DIR" && pwd)"

# Use the local Go if it satisfies kyverno's `go` directive, otherwise download the
# required toolchain via the module proxy. Caller may force GOTOOLCHAIN=local.
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
export CGO_ENABLED=0
export GO111MODULE=on
export GOWORK=off

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kyverno-tools.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# ---------------------------------------------------------------- kyverno
KYVERNO_MOD=github.com/kyverno/kyverno
KYVERNO_PKG=$KYVERNO_MOD/cmd/cli/kubectl-kyverno

installed_kyverno_version() {
  [ -x "$BIN_DIR/kyverno" ] || return 0
  "$BIN_DIR/kyverno" version 2>/dev/null | awk '/^Version:/ {print $2; exit}' || true
}

if [ "$(installed_kyverno_version)" = "$KYVERNO_VERSION" ]; then
  log "kyverno $KYVERNO_VERSION already present in $BIN_DIR, skipping"
else
  log "building kyverno $KYVERNO_VERSION (this takes ~10 min on 2 cores)"
  start=$(date +%s)
  mkdir -p "$WORK/kyverno"
  cd "$WORK/kyverno"

  # kyverno's go.mod has `replace` directives, so `go install pkg@version` is refused.
  # Use kyverno's own go.mod as the wrapper module's go.mod: this carries over its
  # replace/exclude/godebug directives and exact requirement versions verbatim.
  dl_json="$(cd "$WORK" && "$GO" mod download -json "$KYVERNO_MOD@$KYVERNO_VERSION" 2>&1)" \
    || die "go mod download $KYVERNO_MOD@$KYVERNO_VERSION failed: $dl_json"
  upstream_gomod="$(printf '%s\n' "$dl_json" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
  [ -n "$upstream_gomod" ] && [ -f "$upstream_gomod" ] \
    || die "could not locate go.mod of $KYVERNO_MOD@$KYVERNO_VERSION in: $dl_json"
  if grep -Eq '=>[[:space:]]*\.{0,2}/' "$upstream_gomod"; then
    die "$KYVERNO_MOD@$KYVERNO_VERSION go.mod has local-path replace directives; cannot build via proxy"
  fi
  cp "$upstream_gomod" go.mod
  chmod u+w go.mod
  "$GO" mod edit -module=kyverno-cli-build -require="$KYVERNO_MOD@$KYVERNO_VERSION"
  log "replace directives taken from upstream go.mod:"
  grep -E '=>' go.mod >&2 || log "  (none)"
  cat > tools.go <<EOF
//go:build tools

package tools

import _ "$KYVERNO_PKG"
EOF
  "$GO" mod tidy || die "go mod tidy failed"
  "$GO" build -mod=readonly -trimpath \
    -ldflags "-s -w -X $KYVERNO_MOD/pkg/version.BuildVersion=$KYVERNO_VERSION" \
    -o "$WORK/kyverno.bin" "$KYVERNO_PKG" || die "go build of $KYVERNO_PKG failed"

  got="$("$WORK/kyverno.bin" version | awk '/^Version:/ {print $2; exit}')"
  [ "$got" = "$KYVERNO_VERSION" ] || die "built kyverno reports version '$got', expected '$KYVERNO_VERSION'"
  mv -f "$WORK/kyverno.bin" "$BIN_DIR/kyverno"
  cd - >/dev/null
  log "installed $BIN_DIR/kyverno ($got) in $(( $(date +%s) - start ))s"
fi

# ------------------------------------------------------------ kubeconform
# kubeconform is optional: npm run check already validates strictly against vendored schemas.
if [ "${WITH_KUBECONFORM:-0}" = "1" ]; then
  if [ -x "$BIN_DIR/kubeconform" ] && [ "$("$BIN_DIR/kubeconform" -v 2>/dev/null || true)" = "$KUBECONFORM_VERSION" ]; then
    log "kubeconform $KUBECONFORM_VERSION already present in $BIN_DIR, skipping"
  else
    log "building kubeconform $KUBECONFORM_VERSION"
    mkdir -p "$WORK/gobin"
    (cd "$WORK" && GOBIN="$WORK/gobin" "$GO" install -trimpath \
        -ldflags "-s -w -X main.version=$KUBECONFORM_VERSION" \
        "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION") \
      || die "go install kubeconform@$KUBECONFORM_VERSION failed"
    got="$("$WORK/gobin/kubeconform" -v)"
    [ "$got" = "$KUBECONFORM_VERSION" ] || die "built kubeconform reports '$got', expected '$KUBECONFORM_VERSION'"
    mv -f "$WORK/gobin/kubeconform" "$BIN_DIR/kubeconform"
    log "installed $BIN_DIR/kubeconform ($got)"
  fi
fi
