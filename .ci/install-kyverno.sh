#!/usr/bin/env bash
# Build the Kyverno CLI, the Kyverno admission and background controllers (and kubeconform)
# from source using only the Go module proxy.
#
# Usage: .ci/install-kyverno.sh [BIN_DIR]   (default: ~/.cache/agentic-platform/bin, reused across runs)
# Env:   KYVERNO_VERSION     (default v1.19.0)
#        KUBECONFORM_VERSION (default v0.8.0)
#        GO                  (default: go on PATH)
#        SHARE_DIR           (default: BIN_DIR/../share; Kyverno's CRDs go there)
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
SHARE_DIR="${SHARE_DIR:-$(dirname "$BIN_DIR")/share}"

# Use the local Go if it satisfies kyverno's `go` directive, otherwise download the
# required toolchain via the module proxy. Caller may force GOTOOLCHAIN=local.
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
export CGO_ENABLED=0
export GO111MODULE=on
export GOWORK=off

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kyverno-tools.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# ---------------------------------------------------------------- kyverno
# Three commands of one module, built by one `go build` so they share its compile: the CLI
# (`kyverno`, for `kyverno test`/`apply`) and, for the cluster suite (test/cluster/), the
# admission controller and the background controller, which run out of cluster (--serverIP).
KYVERNO_MOD=github.com/kyverno/kyverno
# binary name in BIN_DIR -> package
declare -A KYVERNO_PKGS=(
  [kyverno]=$KYVERNO_MOD/cmd/cli/kubectl-kyverno
  [kyverno-admission-controller]=$KYVERNO_MOD/cmd/kyverno
  [kyverno-background-controller]=$KYVERNO_MOD/cmd/background-controller
)

# The version the binary was built from, read from its Go build info (the controllers have no
# --version flag; build info names the module of the main package).
installed_kyverno_version() {
  [ -x "$BIN_DIR/$1" ] || return 0
  "$GO" version -m "$BIN_DIR/$1" 2>/dev/null | awk -v m="$KYVERNO_MOD" '($1 == "mod" || $1 == "dep") && $2 == m {print $3; exit}' || true
}

missing=()
for bin in kyverno kyverno-admission-controller kyverno-background-controller; do
  if [ "$(installed_kyverno_version "$bin")" = "$KYVERNO_VERSION" ]; then
    log "$bin $KYVERNO_VERSION already present in $BIN_DIR, skipping"
  else
    missing+=("$bin")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  log "building ${missing[*]} $KYVERNO_VERSION (cold: ~16 min for the CLI on 2 cores, shared by the controllers)"
  start=$(date +%s)
  mkdir -p "$WORK/kyverno" "$WORK/out"
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
  pkgs=()
  for bin in "${missing[@]}"; do pkgs+=("${KYVERNO_PKGS[$bin]}"); done
  {
    printf '//go:build tools\n\npackage tools\n\n'
    for pkg in "${pkgs[@]}"; do printf 'import _ "%s"\n' "$pkg"; done
  } > tools.go
  "$GO" mod tidy || die "go mod tidy failed"
  "$GO" build -mod=readonly -trimpath \
    -ldflags "-s -w -X $KYVERNO_MOD/pkg/version.BuildVersion=$KYVERNO_VERSION" \
    -o "$WORK/out/" "${pkgs[@]}" || die "go build of ${pkgs[*]} failed"

  for bin in "${missing[@]}"; do
    pkg="${KYVERNO_PKGS[$bin]}"
    built="$WORK/out/${pkg##*/}"
    got="$("$GO" version -m "$built" | awk -v m="$KYVERNO_MOD" '($1 == "mod" || $1 == "dep") && $2 == m {print $3; exit}')"
    [ "$got" = "$KYVERNO_VERSION" ] || die "built $bin was built from kyverno '$got', expected '$KYVERNO_VERSION'"
    mv -f "$built" "$BIN_DIR/$bin"
  done
  cd - >/dev/null
  log "installed ${missing[*]} ($KYVERNO_VERSION) in $(( $(date +%s) - start ))s"
fi

# The controllers serve and store Kyverno's own kinds (UpdateRequest, GlobalContextEntry,
# PolicyException, ...): the cluster suite installs these CRDs, copied from the module version
# the controllers were built from.
KYVERNO_CRDS="$SHARE_DIR/kyverno-$KYVERNO_VERSION/crds"
if [ -f "$KYVERNO_CRDS/.complete" ]; then
  log "kyverno $KYVERNO_VERSION CRDs already present in $KYVERNO_CRDS, skipping"
else
  crd_json="$(cd "$WORK" && "$GO" mod download -json "$KYVERNO_MOD@$KYVERNO_VERSION" 2>&1)" \
    || die "go mod download $KYVERNO_MOD@$KYVERNO_VERSION failed: $crd_json"
  kyverno_dir="$(printf '%s\n' "$crd_json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
  [ -d "$kyverno_dir/config/crds" ] || die "no config/crds in $kyverno_dir"
  rm -rf "$KYVERNO_CRDS" && mkdir -p "$KYVERNO_CRDS"
  cp -R "$kyverno_dir/config/crds/." "$KYVERNO_CRDS/"
  chmod -R u+w "$KYVERNO_CRDS"
  touch "$KYVERNO_CRDS/.complete"
  log "copied kyverno $KYVERNO_VERSION CRDs to $KYVERNO_CRDS"
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
