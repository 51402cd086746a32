#!/usr/bin/env bash
# Install the Keycloak server distribution the pinned keycloakx chart runs (26.5.6), from Maven
# Central (org.keycloak:keycloak-quarkus-dist:<version>:zip), into the shared tool cache.
#
# Usage: .ci/install-keycloak.sh        prints the install directory (KEYCLOAK_HOME) on stdout
# Env:   KEYCLOAK_VERSION (default 26.5.6)
#        CACHE_DIR        (default ~/.cache/agentic-platform)
#
# Idempotent: when CACHE_DIR/keycloak-<version>/bin/kc.sh exists and its version file matches,
# nothing is downloaded. The zip is fetched by Maven (its checksum is verified against Central's
# .sha1), unpacked into a temporary directory beside the target and renamed into place, so a
# failed run never leaves a half-unpacked Keycloak behind.
set -euo pipefail

KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-26.5.6}"
CACHE_DIR="${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/agentic-platform}"
TARGET="$CACHE_DIR/keycloak-$KEYCLOAK_VERSION"
ARTIFACT="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip"

die() { echo "install-keycloak: ERROR: $*" >&2; exit 1; }
log() { echo "install-keycloak: $*" >&2; }

if [ -x "$TARGET/bin/kc.sh" ] && [ "$(cat "$TARGET/.installed-version" 2>/dev/null)" = "$KEYCLOAK_VERSION" ]; then
  log "keycloak $KEYCLOAK_VERSION already present in $TARGET, skipping"
  echo "$TARGET"
  exit 0
fi

if ! command -v mvn >/dev/null 2>&1; then
  log "installing maven with apt-get"
  "$(dirname "$0")/apt-install.sh" maven >&2 || die "mvn not found and apt-get could not install maven: install Maven"
fi

mkdir -p "$CACHE_DIR"
WORK="$(mktemp -d "$CACHE_DIR/.keycloak-install.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

log "fetching $ARTIFACT from Maven Central"
start=$(date +%s)
mvn -B -q -Dmaven.repo.local="$CACHE_DIR/m2" \
  -DremoteRepositories=central::default::https://repo.maven.apache.org/maven2 \
  -Dartifact="$ARTIFACT" -Dtransitive=false -DoutputDirectory="$WORK" -Dmdep.stripVersion=false \
  -Dmdep.checksumPolicy=fail \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy >&2 \
  || die "mvn could not fetch $ARTIFACT"
zip="$WORK/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
[ -f "$zip" ] || die "expected $zip after mvn dependency:copy"

log "unpacking"
mkdir -p "$WORK/unpacked"
if command -v unzip >/dev/null 2>&1; then
  unzip -q "$zip" -d "$WORK/unpacked"
else
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$WORK/unpacked"
fi
src="$WORK/unpacked/keycloak-$KEYCLOAK_VERSION"
[ -f "$src/bin/kc.sh" ] || die "archive has no keycloak-$KEYCLOAK_VERSION/bin/kc.sh"
chmod +x "$src"/bin/*.sh
echo "$KEYCLOAK_VERSION" >"$src/.installed-version"
rm -rf "$TARGET"
mv "$src" "$TARGET"
log "installed keycloak $KEYCLOAK_VERSION in $TARGET in $(( $(date +%s) - start ))s"
echo "$TARGET"
