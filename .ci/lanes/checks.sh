#!/usr/bin/env bash
# CI lane "checks": the static gates, then everything that runs on Node.js, PostgreSQL,
# Chromium and Keycloak. Runs beside .ci/lanes/cluster.sh (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."
. .ci/lib/step.sh

step "typecheck"
npm run typecheck

step "lint"
npm run lint

step "format"
npm run format:check

step "check: drift, strict schemas + CRD CEL rules, Terraform guardrails, CEL guardrails"
npm run check

step "checkov over dist/<env> (kubernetes + terraform_json), failures only as .ci/checkov-baseline.txt lists them"
.ci/install-checkov.sh
.ci/checkov.sh

step "PostgreSQL for the registry integration tests"
eval "$(.ci/start-postgres.sh)"
trap '.ci/start-postgres.sh stop >/dev/null 2>&1 || true' EXIT

step "registry image: Dockerfile.registry's stages and ENTRYPOINT on PostgreSQL, without a container engine"
.ci/registry-image-smoke.sh

step "tests (npm test), on PGlite and on PostgreSQL"
# The render tests run the real helm; on a new machine the cluster lane is building it, and
# this waits for that build instead of starting a second one.
.ci/install-helm.sh
npm test

step "diff: the HTML report in headless Chromium (Debian chromium; installed when absent)"
if ! command -v chromium >/dev/null 2>&1; then
  .ci/apt-install.sh --no-install-recommends chromium fonts-dejavu-core
fi
# The report, its JSON and the screenshot stay in .tmp/diff-report (kept as CI artifacts).
DIFF_REPORT_ARTIFACTS="$PWD/.tmp/diff-report" npm run test:diff-report
ls -l .tmp/diff-report

step "identity: Keycloak 26.5.6 (Maven Central, cached) and the identity suite against it"
# The suite starts its own Keycloak (dev mode, loopback, free port, in-memory database) with
# the synthesized realm, converges it with the bundled program from dist/ and drives the
# registry with real tokens (test/identity).
KEYCLOAK_HOME="$(.ci/install-keycloak.sh)"
KEYCLOAK_HOME="$KEYCLOAK_HOME" npm run test:identity

step "lane checks: done"
