#!/usr/bin/env bash
# Runs Dockerfile.registry's stages without a container engine (none exists on the CI
# machine) and starts the result the way the image's ENTRYPOINT does:
#   deps     npm ci --ignore-scripts                      (package.json, package-lock.json)
#   prune    npm prune --omit=dev (tsx, which runs the service, is a production dependency)
#   runtime  exactly the files the runtime stage COPYs from the build context, read-only
# then GET /healthz and /readyz, SIGTERM, and expect a clean exit. What it cannot show: that
# the base image and its `node` user behave like this machine's Node.js 20 (they are the
# official node:20.19-bookworm-slim image; the workflow builds the real image on GitHub).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
dockerfile=Dockerfile.registry
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "registry-image-smoke: $*" >&2; exit 1; }

# The ENTRYPOINT runs on tsx: it must survive the prune, i.e. be a production dependency.
node -e "process.exit(require('./package.json').dependencies?.tsx ? 0 : 1)" ||
  fail "tsx is not in package.json dependencies; npm prune --omit=dev would drop it from the image"

echo "== deps + prune stages"
mkdir -p "$work/build" "$work/app"
cp package.json package-lock.json "$work/build/"
(
  cd "$work/build"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  npm prune --omit=dev --ignore-scripts --loglevel=error
)
# The stages' commands, as the Dockerfile writes them, must be the ones run above.
grep -q '^RUN npm ci --ignore-scripts' "$dockerfile" || fail "$dockerfile: deps stage changed; update this script"
grep -q '^RUN npm prune --omit=dev --ignore-scripts$' "$dockerfile" ||
  fail "$dockerfile: prune stage changed; update this script"
[ -d "$work/build/node_modules/tsx" ] || fail "tsx is missing after the prune"
[ ! -d "$work/build/node_modules/vitest" ] || fail "dev dependencies survived the prune"


echo "== runtime stage: the build-context COPYs of $dockerfile"
cp -R "$work/build/node_modules" "$work/app/node_modules"
# Every `COPY` without --from after the last FROM: sources relative to the context, then dest.
copies=$(awk '/^FROM /{stage=$0; n=0; delete lines} /^COPY / && $0 !~ /--from=/ {lines[n++]=$0}
  END {for (i = 0; i < n; i++) print lines[i]}' "$dockerfile")
[ -n "$copies" ] || fail "no build-context COPY in the runtime stage of $dockerfile"
while read -r line; do
  read -ra words <<<"$line"
  args=()
  for w in "${words[@]:1}"; do [[ $w == --* ]] || args+=("$w"); done
  dest=${args[-1]}
  for src in "${args[@]:0:${#args[@]}-1}"; do
    [ -e "$repo/$src" ] || fail "$dockerfile copies $src, which does not exist"
    if [[ $dest == */ ]]; then
      mkdir -p "$work/app/$dest"
      cp -R "$repo/$src" "$work/app/$dest"
    else
      mkdir -p "$(dirname "$work/app/$dest")"
      cp -R "$repo/$src" "$work/app/$dest"
    fi
  done
done <<<"$copies"
# The Deployment runs with a read-only root filesystem; the image's files are root-owned.
chmod -R a-w "$work/app"

echo "== ENTRYPOINT"
entry=$(sed -n 's/^ENTRYPOINT \[\(.*\)\]$/\1/p' "$dockerfile" | tr -d '"' | tr ',' ' ')
[ -n "$entry" ] || fail "no exec-form ENTRYPOINT in $dockerfile"
port=18080
catalog="$repo/dist/dev/registry/configmap-agent-registry-catalog.yaml"
(
  cd "$work/app"
  # shellcheck disable=SC2086 # the ENTRYPOINT words, split on purpose
  exec env -i PATH="$PATH" HOME="$work" REGISTRY_PORT=$port REGISTRY_HOST=127.0.0.1 \
    REGISTRY_CATALOG_FILE="$catalog" REGISTRY_LOG_LEVEL=warn $entry
) &
server_pid=$!

ready=
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before it was ready"
  sleep 0.5
done
[ -n "$ready" ] || fail "/readyz did not answer 200 within 30 s"
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || fail "/healthz failed"
curl -fsS "http://127.0.0.1:$port/openapi.json" | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const d=JSON.parse(s);if(!d.openapi)process.exit(1)})' ||
  fail "/openapi.json is not an OpenAPI document"

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=
[ "$status" -eq 0 ] || fail "the server exited with $status on SIGTERM (expected a clean shutdown)"
echo "registry-image-smoke: the image's files start, answer /healthz, /readyz and /openapi.json, and stop cleanly on SIGTERM"
