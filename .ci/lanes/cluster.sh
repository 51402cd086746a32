#!/usr/bin/env bash
# CI lane "cluster": the Go-built tools (Helm, Kyverno, the control plane; cached under
# ~/.cache/agentic-platform after the first run) and what runs on them: the add-on renders,
# the Kyverno suites and the cluster suite. Runs beside .ci/lanes/checks.sh (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."
. .ci/lib/step.sh
BIN="${XDG_CACHE_HOME:-$HOME/.cache}/agentic-platform/bin"

step "Helm v3.19 (built from the Go module proxy on a new machine, ~7 min; cached after)"
.ci/install-helm.sh
export HELM="$BIN/helm"
"$HELM" version --short

step "render:addons: every add-on of every environment with the vendored charts, checked"
npm run render:addons

step "Kyverno CLI and controllers (built from the Go module proxy on a new machine, ~16 min; cached after)"
.ci/install-kyverno.sh
KYVERNO="$BIN/kyverno"
"$KYVERNO" version

step "kyverno test: convention suites"
"$KYVERNO" test test/kyverno

step "kyverno apply agrees with the CEL gate (fixtures and dist/<env>)"
npx tsx src/cli/kyverno-agreement.ts --kyverno "$KYVERNO"

step "cluster suite: dist/dev and dist/prod on a real control plane (etcd, kube-apiserver, scheduler, kwok, Kyverno)"
# Kyverno's controllers came with the CLI build above; this adds etcd, the Kubernetes binaries
# and kwok (cold ~30-45 min on 2 cores, cached after).
.ci/install-cluster-tools.sh
npm run test:cluster

step "lane cluster: done"
