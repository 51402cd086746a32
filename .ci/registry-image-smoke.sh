#!/usr/bin/env bash
# Runs Dockerfile.registry without a container engine (none exists on the CI machine): each
# stage is a scratch directory standing for its WORKDIR, its COPY lines are replayed (from the
# build context or, with --from, from an earlier stage's directory) and its RUN lines run there
# with this machine's node and npm. Then it checks what the runtime stage holds (no IaC
# toolchain, no TypeScript runner, no embedded database, its size) and starts its ENTRYPOINT on
# the read-only tree against PostgreSQL (REGISTRY_TEST_PG_URL, from .ci/start-postgres.sh) with
# the catalog read from dist/dev/registry: /healthz, /readyz, /openapi.json and a clean exit on
# SIGTERM; and started on PGlite it must refuse with what to set instead. What it cannot show: that the
# base image and its `node` user behave like this machine's Node.js 20 (they are the official
# node:20.19-bookworm-slim image; the workflow builds the real image on GitHub).
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
[ -n "${REGISTRY_TEST_PG_URL:-}" ] && [ -n "${REGISTRY_TEST_PG_SERVICE_URL:-}" ] ||
  fail 'REGISTRY_TEST_PG_URL and REGISTRY_TEST_PG_SERVICE_URL are not set; run eval "$(.ci/start-postgres.sh)" first (the image runs on PostgreSQL only)'

# Joins continuation lines, drops comments and blank lines.
instructions=$(sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' "$dockerfile" | grep -Ev '^\s*(#|$)')

stage=
workdir=
while read -r op rest; do
  case "$op" in
    FROM)
      read -ra words <<<"$rest"
      [ "${#words[@]}" -eq 3 ] && [ "${words[1]}" = AS ] || fail "FROM without 'AS <name>': $rest"
      stage=${words[2]}
      mkdir -p "$work/$stage"
      workdir=
      echo "== stage $stage (FROM ${words[0]})"
      ;;
    WORKDIR)
      [ "$rest" = /app ] || fail "only WORKDIR /app is replayed, found $rest"
      workdir=$rest
      ;;
    COPY)
      [ -n "$workdir" ] || fail "COPY before WORKDIR in stage $stage"
      read -ra words <<<"$rest"
      from=
      args=()
      for w in "${words[@]}"; do
        case "$w" in
          --from=*) from=${w#--from=} ;;
          --chown=*) ;;
          --*) fail "unsupported COPY flag $w" ;;
          *) args+=("$w") ;;
        esac
      done
      dest=${args[-1]}
      dest=${dest#"$workdir"/}
      for src in "${args[@]:0:${#args[@]}-1}"; do
        if [ -n "$from" ]; then
          [ -d "$work/$from" ] || fail "COPY --from=$from: no such stage before $stage"
          path="$work/$from/${src#"$workdir"/}"
        else
          path="$repo/$src"
        fi
        [ -e "$path" ] || fail "$dockerfile ($stage) copies $src, which does not exist"
        if [[ $dest == */ || $dest == . || $dest == ./ ]]; then
          mkdir -p "$work/$stage/$dest"
          cp -R "$path" "$work/$stage/$dest"
        else
          mkdir -p "$(dirname "$work/$stage/$dest")"
          cp -R "$path" "$work/$stage/$dest"
        fi
      done
      ;;
    RUN)
      echo "   RUN $rest"
      (cd "$work/$stage" && bash -euo pipefail -c "$rest") || fail "RUN failed in stage $stage: $rest"
      ;;
    USER | EXPOSE | STOPSIGNAL | ENTRYPOINT) ;;
    *) fail "instruction $op is not replayed by this script; extend it" ;;
  esac
done <<<"$instructions"

runtime="$work/$stage"
echo "== runtime stage ($stage): contents"
# The image must not carry the synthesis toolchain nor run through a TypeScript loader. The
# programs are bundles: what went into them is the `sources` list of their source maps.
[ ! -e "$runtime/node_modules" ] || fail "the runtime stage has a node_modules; the programs are bundles"
for map in "$runtime"/packages/agent-registry/dist/*.js.map; do
  node -e '
    const forbidden = ["cdktf", "cdk8s", "cdk8s-plus-28", "@cdktf", "constructs", "tsx", "typescript", "vitest", "esbuild", "@electric-sql/pglite"];
    const sources = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).sources;
    const bad = sources.filter((s) => forbidden.some((p) => s.includes(`node_modules/${p}/`)));
    if (bad.length) { console.error(`${process.argv[1]} bundles ${bad.slice(0, 3).join(", ")}`); process.exit(1); }
  ' "$map" || fail "a bundle of the runtime stage contains an IaC, TypeScript or embedded-database package"
done
! find "$runtime" -name '*.ts' -print | grep -q . ||
  fail "the runtime stage carries TypeScript sources; it must run the compiled JavaScript"
echo "   bundles: $(du -ch "$runtime"/packages/agent-registry/dist/*.js | tail -1 | cut -f1), source maps: $(du -ch "$runtime"/packages/agent-registry/dist/*.map | tail -1 | cut -f1), total above the base image: $(du -sh "$runtime" | cut -f1)"
chmod -R a-w "$runtime"

echo "== ENTRYPOINT"
entry=$(sed -n 's/^ENTRYPOINT \[\(.*\)\]$/\1/p' "$dockerfile" | tr -d '"' | tr ',' ' ')
[ -n "$entry" ] || fail "no exec-form ENTRYPOINT in $dockerfile"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port=$(free_port)
# The kubelet's probes are served on a port of their own, by a worker thread of the bundle.
probe_port=$(free_port)
catalog="$repo/dist/dev/registry"
# Without a database setting the image must refuse to start, saying what to set.
if out=$(cd "$runtime" && env -i PATH="$PATH" HOME="$work" REGISTRY_CATALOG_DIR="$catalog" $entry 2>&1); then
  fail "the image started on PGlite, which it must not carry"
fi
grep -q 'set REGISTRY_DATABASE=postgres' <<<"$out" || fail "started without a database, the image said: $out"

# As the Deployment runs it: the service as a role that owns nothing refuses an unmigrated
# schema; the init container's command (MIGRATE_COMMAND in constants.ts) migrates as the owner
# and grants that role; then the service starts as it, signing audit checkpoints with a key
# from a file (cert-manager's Ed25519 tls.key in the cluster).
migrate=$(cd "$runtime" && node -e 'import(process.cwd() + "/packages/agent-registry/dist/constants.js").then((c) => console.log(c.MIGRATE_COMMAND.join(" ")))') ||
  fail "could not read MIGRATE_COMMAND from the runtime stage's dist/constants.js"
# A schema of its own, so a rerun against the same server starts unmigrated too.
schema="smoke_$$_$(date +%s)"
node -e 'const pg = require("pg"); const c = new pg.Client(process.argv[1]); c.connect().then(() => c.query(`CREATE SCHEMA ${process.argv[2]}`)).then(() => c.end())' \
  "$REGISTRY_TEST_PG_URL" "$schema" || fail "could not create schema $schema"
in_schema() { node -e 'const u = new URL(process.argv[1]); u.searchParams.set("options", `-c search_path=${process.argv[2]}`); console.log(u.toString())' "$1" "$schema"; }
owner_url=$(in_schema "$REGISTRY_TEST_PG_URL")
service_url=$(in_schema "$REGISTRY_TEST_PG_SERVICE_URL")
signing_key="$work/audit-signing-key.pem"
openssl genpkey -algorithm ed25519 -out "$signing_key" 2>/dev/null || fail "openssl could not make an Ed25519 key"
service_env=(REGISTRY_DATABASE=postgres REGISTRY_DATABASE_URL="$service_url"
  REGISTRY_DATABASE_MIGRATIONS=require REGISTRY_AUDIT_SIGNING_KEY_FILE="$signing_key")
if out=$(cd "$runtime" && env -i PATH="$PATH" HOME="$work" "${service_env[@]}" REGISTRY_CATALOG_DIR="$catalog" $entry 2>&1); then
  fail "the service started as its role on a schema nobody migrated"
fi
grep -q 'lacks migrations' <<<"$out" || fail "started on an unmigrated schema, the image said: $out"
echo "   $migrate (as the owner, granting registry_service)"
# shellcheck disable=SC2086 # the command's words, split on purpose
(cd "$runtime" && env -i PATH="$PATH" HOME="$work" REGISTRY_DATABASE=postgres \
  REGISTRY_DATABASE_URL="$owner_url" REGISTRY_DATABASE_SERVICE_ROLE=registry_service $migrate) ||
  fail "the migration command failed"
(
  cd "$runtime"
  # shellcheck disable=SC2086 # the ENTRYPOINT words, split on purpose
  exec env -i PATH="$PATH" HOME="$work" REGISTRY_PORT="$port" REGISTRY_PROBE_PORT="$probe_port" REGISTRY_HOST=127.0.0.1 \
    "${service_env[@]}" REGISTRY_CATALOG_DIR="$catalog" REGISTRY_LOG_LEVEL=warn $entry
) &
server_pid=$!

ready=
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$probe_port/readyz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before it was ready"
  sleep 0.5
done
[ -n "$ready" ] || fail "/readyz on the probe port did not answer 200 within 60 s"
curl -fsS "http://127.0.0.1:$probe_port/healthz" >/dev/null || fail "/healthz on the probe port failed"
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || fail "/readyz on the public port failed"
curl -fsS "http://127.0.0.1:$port/openapi.json" | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const d=JSON.parse(s);if(!d.openapi)process.exit(1)})' ||
  fail "/openapi.json is not an OpenAPI document"

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=
[ "$status" -eq 0 ] || fail "the server exited with $status on SIGTERM (expected a clean shutdown)"
echo "registry-image-smoke: the runtime stage holds no IaC packages, migrates as the owner, serves as the insert-only role with plain node, answers /healthz and /readyz on the probe port, /readyz and /openapi.json on the public one, and stops cleanly on SIGTERM"
