#!/usr/bin/env node
// Re-vendors the add-on charts from a checkout of the upstream chart sources (default
// ../shared/charts-src, each folder with a SOURCE line and the chart under chart/).
// Run it after changing a pin in constructs/addons/charts.ts, then review the diff:
//
//   node vendor/charts/update.mjs [CHARTS_SRC] [STAMPED_CHART_YAMLS]
//
// What it changes from upstream, and only this (SOURCES.md repeats it per chart):
// - version/appVersion stamped where the release process stamps them (Chart.yaml taken from
//   the stamped copies in STAMPED_CHART_YAMLS, default ../shared/charts, or stamped here);
// - sub-charts copied into charts/<name>/ as `helm dependency build` would unpack them;
// - dependencies that the platform's values keep disabled and that are not vendored are
//   removed from Chart.yaml and listed in the annotation `agentic-platform.io/removed-dependencies`
//   (`name=condition;…`): Helm refuses a chart whose listed dependency is missing, and the
//   renderer fails if the values ever switch one of them on;
// - files Helm never renders (README, CI values, unit tests, docs) are left out.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(process.argv[2] ?? path.join(here, '../../../shared/charts-src'));
const stamped = path.resolve(process.argv[3] ?? path.join(here, '../../../shared/charts'));
const REMOVED = 'agentic-platform.io/removed-dependencies';
const SKIP = new Set([
  'README.md', 'README.md.gotmpl', 'README.template.md', 'README-testing.md', 'CONTRIBUTING.md',
  'UPGRADE.md', 'UPGRADING.md', 'CHANGELOG.md', 'OWNERS', 'ci', 'tests', 'unittests', 'hack',
  'examples', '.editorconfig', '.gitignore', 'values.linter.exceptions', 'values.lint.yaml',
  'signkey_annotation.txt', 'Chart-template.yaml',
]);

/**
 * target folder → { from: charts-src path, chartYaml?: stamped Chart.yaml, stamp?: {version,
 * appVersion}, sub: sub-charts, remove: dependency names not vendored (their values keep them off) }
 */
const CHARTS = {
  'argo-cd-10.1.1': { from: 'argo-cd/chart', sub: { 'redis-ha': { from: 'redis-ha/chart' } } },
  'kyverno-3.9.0': { from: 'kyverno/chart', dropSub: ['grafana', 'reports-server'], remove: ['grafana', 'reports-server'] },
  'kagent-crds-0.9.12': {
    from: 'kagent-src/chart/kagent-crds',
    chartYaml: 'kagent-crds/Chart.yaml',
    sub: { 'kmcp-crds': { from: 'kmcp-src/chart/kmcp-crds', stamp: { version: '0.3.0' } } },
    remove: ['substrate-crds'],
  },
  'kagent-0.9.12': {
    from: 'kagent-src/chart/kagent',
    chartYaml: 'kagent/Chart.yaml',
    sub: {
      kmcp: { from: 'kmcp-src/chart/kmcp', stamp: { version: '0.3.0' } },
      'kagent-tools': { from: 'kagent-tools-src/chart', chartYaml: null, template: 'Chart-template.yaml', stamp: { version: '0.2.1', appVersion: '0.2.1' } },
    },
    remove: [
      'substrate', 'grafana-mcp', 'querydoc', 'k8s-agent', 'kgateway-agent', 'istio-agent', 'promql-agent',
      'observability-agent', 'argo-rollouts-agent', 'helm-agent', 'cilium-policy-agent',
      'cilium-manager-agent', 'cilium-debug-agent', 'oauth2-proxy',
    ],
  },
  'agentgateway-crds-v1.4.1': { from: 'agentgateway-crds/chart', chartYaml: 'agentgateway-crds/Chart.yaml' },
  'agentgateway-v1.4.1': { from: 'agentgateway/chart', chartYaml: 'agentgateway/Chart.yaml' },
  'istio-base-1.30.3': { from: 'istio-base/chart', chartYaml: 'istio/base/Chart.yaml' },
  'istiod-1.30.3': { from: 'istiod/chart', chartYaml: 'istio/istiod/Chart.yaml' },
  'istio-cni-1.30.3': { from: 'istio-cni/chart', chartYaml: 'istio/cni/Chart.yaml' },
  'ztunnel-1.30.3': { from: 'ztunnel/chart', chartYaml: 'istio/ztunnel/Chart.yaml' },
  'cert-manager-v1.21.1': { from: 'cert-manager/chart', chartYaml: 'cert-manager/Chart.yaml' },
  'external-secrets-2.9.0': { from: 'external-secrets/chart', remove: ['bitwarden-sdk-server'], externalSecretsCrds: 'external-secrets-crds/chart' },
  'external-dns-1.21.1': { from: 'external-dns/chart' },
  'cloudnative-pg-0.29.0': { from: 'cloudnative-pg/chart', remove: ['cluster'] },
  'keycloakx-7.1.11': { from: 'keycloakx/chart' },
  'langfuse-2.0.0': { from: 'langfuse/chart', remove: ['postgres', 'valkey', 'seaweedfs'] },
  // Stand-in: the pinned 0.0.5 has no source tag; main is rendered, with the appVersion its
  // release stamps (Makefile package-helmchart: helm package --app-version v${VERSION}).
  'clickhouse-operator-main-581494e': {
    from: 'clickhouse-operator/chart',
    dropSub: ['cert-manager-v1.19.2.tgz'],
    remove: ['cert-manager'],
    stamp: { appVersion: 'v0.0.5' },
  },
  'kube-prometheus-stack-88.5.3': {
    from: 'kube-prometheus-stack/chart',
    sub: {
      'kube-state-metrics': { from: 'kube-state-metrics/chart' },
      'prometheus-node-exporter': { from: 'prometheus-node-exporter/chart' },
      grafana: { from: 'grafana/chart' },
    },
    remove: ['prometheus-windows-exporter'],
  },
  'opentelemetry-collector-0.170.0': { from: 'opentelemetry-collector/chart' },
  'gateway-api-crds-v1.6.1': { from: 'gateway-api-crds/chart', plain: true },
};

function copyChart(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (SKIP.has(entry)) continue;
    cpSync(path.join(from, entry), path.join(to, entry), { recursive: true });
  }
}

function writeChartYaml(dir, text, { stamp, remove = [], header = [] } = {}) {
  const doc = parseDocument(text);
  if (stamp?.version) doc.set('version', stamp.version);
  if (stamp?.appVersion) doc.set('appVersion', stamp.appVersion);
  if (remove.length > 0) {
    const deps = doc.get('dependencies');
    const removed = [];
    for (const name of remove) {
      const i = deps.items.findIndex((d) => d.get('name') === name);
      if (i < 0) throw new Error(`${dir}: no dependency ${name} in Chart.yaml`);
      removed.push(`${name}=${deps.items[i].get('condition')}`);
      deps.items.splice(i, 1);
    }
    if (deps.items.length === 0) doc.delete('dependencies');
    if (!doc.has('annotations')) doc.set('annotations', doc.createNode({}));
    doc.get('annotations').set(REMOVED, removed.join(';'));
  }
  const out = [...header.map((h) => `# ${h}`), doc.toString()].join('\n');
  writeFileSync(path.join(dir, 'Chart.yaml'), out);
}

function sourceLine(folder) {
  return readFileSync(path.join(src, folder.split('/')[0], 'SOURCE'), 'utf8').trim();
}

// Upstream's release step (hack/helm.generate.sh) splits the CRD bundle into templates/crds/
// and wraps each file in the installCRDs / crds.create<Kind> switches; the cert-manager CA
// injection and conversion blocks it also adds are off with crds.conversion.enabled=false and
// webhook.certManager.enabled=false, which is how the platform installs it.
function externalSecretsCrds(from, to) {
  const dir = path.join(to, 'templates', 'crds');
  for (const file of readdirSync(from).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort()) {
    const text = readFileSync(path.join(from, file), 'utf8');
    const kind = parseDocument(text).getIn(['spec', 'names', 'kind']);
    const flag = `create${kind}`;
    const open = kind.includes('Cluster') || kind.includes('PushSecret')
      ? `{{- if and (.Values.installCRDs) (.Values.crds.${flag}) }}`
      : '{{- if .Values.installCRDs }}';
    const body = text
      .replace(/name: kubernetes/g, 'name: {{ include "external-secrets.fullname" . }}-webhook')
      .replace(/namespace: default/g, 'namespace: {{ .Release.Namespace | quote }}')
      .replace(/^(  annotations:\n)/m, '$1    {{- with .Values.crds.annotations }}\n    {{- toYaml . | nindent 4}}\n    {{- end }}\n');
    const singular = parseDocument(text).getIn(['spec', 'names', 'singular']);
    writeFileSync(path.join(dir, `${singular}.yaml`), `${open}\n${body}{{- end }}\n`);
  }
}

const only = process.env.ONLY;
for (const [target, c] of Object.entries(CHARTS)) {
  if (only && target !== only) continue;
  const to = path.join(here, target);
  rmSync(to, { recursive: true, force: true });
  const from = path.join(src, c.from);
  if (c.plain) {
    copyChart(from, to);
    continue;
  }
  copyChart(from, to);
  for (const d of c.dropSub ?? []) rmSync(path.join(to, 'charts', d), { recursive: true, force: true });
  const chartYaml = c.chartYaml ? readFileSync(path.join(stamped, c.chartYaml), 'utf8') : readFileSync(path.join(from, 'Chart.yaml'), 'utf8');
  writeChartYaml(to, chartYaml, { remove: c.remove, stamp: c.stamp });
  for (const [name, s] of Object.entries(c.sub ?? {})) {
    const subTo = path.join(to, 'charts', name);
    rmSync(subTo, { recursive: true, force: true });
    copyChart(path.join(src, s.from), subTo);
    const text = readFileSync(path.join(src, s.from, s.template ?? 'Chart.yaml'), 'utf8');
    const stampedText = s.template ? text.replaceAll('${VERSION}', s.stamp.version) : text;
    writeChartYaml(subTo, stampedText, {
      stamp: s.template ? undefined : s.stamp,
      header: s.stamp ? [`Source: ${sourceLine(s.from)}; version stamped to ${s.stamp.version} as its release (helm package --version) does.`] : [],
    });
  }
  if (c.externalSecretsCrds) externalSecretsCrds(path.join(src, c.externalSecretsCrds), to);
  if (!existsSync(path.join(to, 'Chart.yaml'))) throw new Error(`${target}: no Chart.yaml`);
}
