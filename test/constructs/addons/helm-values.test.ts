import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHARTS, type ChartName, type ChartPin } from '../../../constructs/addons/charts';
import { VENDORED_CHARTS } from '../../../src/render/vendored-charts';
import { docs, ROOT } from '../../platform/synth-fixture';

/**
 * Paths we write below a chart key whose default is an empty or free-form map, so the chart
 * cannot declare the keys; or keys a chart reads without declaring them. Each named, with why.
 */
const EXCEPTIONS: readonly { chart: string; path: RegExp; why: string }[] = [
  { chart: '*', path: /(^|\.)nodeSelector\.[^.]+$/, why: 'nodeSelector is a label map' },
  {
    chart: 'istio/*',
    path: /^profile$/,
    why: 'read by templates/zzz_profile.yaml (coalesce .Values.profile .Values.global.profile); istio ambient install doc',
  },
  {
    chart: 'argo-cd',
    path: /^configs\.cm\.(oidc\.config|resource\.customizations\.health\.argoproj\.io_Application)$/,
    why: 'configs.cm is rendered verbatim into argocd-cm',
  },
  {
    chart: 'argo-cd',
    path: /^configs\.params\.(server\.insecure|controller\.(status|operation)\.processors|reposerver\.parallelism\.limit|applicationsetcontroller\.status\.max\.resources\.count)$/,
    why: 'configs.params is rendered verbatim into argocd-cmd-params-cm (argo-helm values.yaml: "You can customize parameters by adding parameters here")',
  },
  {
    chart: 'opentelemetry-collector',
    path: /^config\./,
    why: 'collector configuration, merged by the chart over its defaults',
  },
  {
    chart: 'agentgateway',
    path: /^controller\.podDisruptionBudget\.[^.]+$/,
    why: 'PodDisruptionBudget spec map',
  },
  { chart: 'keycloakx', path: /^podDisruptionBudget\.[^.]+$/, why: 'PodDisruptionBudget spec map' },
  {
    chart: 'kagent',
    path: /^kmcp\.image\.tag$/,
    why: 'kmcp 0.3.0 values.yaml has it only as a comment; templates/_helpers.tpl reads .Values.image.tag (and npm run render:addons shows it changes the image)',
  },
  {
    chart: 'kube-prometheus-stack',
    path: /^grafana\.grafana\.ini\.(server\.root_url|auth\.generic_oauth(\..+)?)$/,
    why: 'grafana.ini is rendered section by section into grafana.ini (grafana values.yaml: "values in map will be converted to ini format")',
  },
  {
    chart: 'kube-prometheus-stack',
    path: /^grafana\.envValueFrom\.GF_[A-Z_]+(\..+)?$/,
    why: 'envValueFrom maps environment variable names to valueFrom sources (grafana values.yaml)',
  },
];

type Values = Record<string, unknown>;
const isMap = (v: unknown): v is Values => !!v && typeof v === 'object' && !Array.isArray(v);

interface Schema {
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
}

/** The vendored chart of a pin (vendor/charts, sub-charts included): what CI renders. */
function load(chart: ChartName) {
  const base = path.join(ROOT, 'vendor/charts', VENDORED_CHARTS[chart].dir);
  let defaults = parse(readFileSync(path.join(base, 'values.yaml'), 'utf8')) as Values | null;
  // Istio charts keep defaults under this key; users set the same paths without it.
  if (nameOf(chart).startsWith('istio/'))
    defaults = (defaults?._internal_defaults_do_not_set ?? {}) as Values;
  let schema: Schema | undefined;
  try {
    schema = JSON.parse(readFileSync(path.join(base, 'values.schema.json'), 'utf8')) as Schema;
  } catch {
    schema = undefined;
  }
  // Sub-charts vendored under charts/<name>/ read their values below the key <name>; the
  // parent's own block for that key is merged over the sub-chart's defaults, as Helm does.
  const subcharts = path.join(base, 'charts');
  const merged: Values = { ...(defaults ?? {}) };
  for (const sub of existsSync(subcharts) ? readdirSync(subcharts) : []) {
    const subDefaults = parse(readFileSync(path.join(subcharts, sub, 'values.yaml'), 'utf8'));
    const parentBlock = isMap(merged[sub]) ? merged[sub] : {};
    merged[sub] = { ...(subDefaults as Values), ...parentBlock };
  }
  return { defaults: merged, schema };
}

/** Every path of `ours` that neither values.yaml nor values.schema.json declares. */
function unknownPaths(
  chart: string,
  ours: Values,
  defaults: unknown,
  schema: Schema | undefined,
  prefix = '',
): string[] {
  const missing: string[] = [];
  for (const [k, v] of Object.entries(ours)) {
    const p = prefix ? `${prefix}.${k}` : k;
    const excepted = EXCEPTIONS.some(
      (e) =>
        (e.chart === '*' ||
          e.chart === chart ||
          (e.chart.endsWith('/*') && chart.startsWith(e.chart.slice(0, -1)))) &&
        e.path.test(p),
    );
    if (excepted) continue;
    const d = isMap(defaults) && k in defaults ? defaults[k] : undefined;
    const s = schema?.properties?.[k];
    const declared = (isMap(defaults) && k in defaults) || s !== undefined;
    if (!declared) {
      missing.push(p);
      continue;
    }
    if (isMap(v)) missing.push(...unknownPaths(chart, v, d, s, p));
  }
  return missing;
}

interface HelmSource {
  repoURL: string;
  targetRevision: string;
  chart?: string;
  helm?: { valuesObject?: Values };
}

function helmSources(): { file: string; source: HelmSource }[] {
  return docs('')
    .filter(({ doc }) => doc.kind === 'Application' || doc.kind === 'ApplicationSet')
    .flatMap(({ path: file, doc }) => {
      const spec = doc.kind === 'ApplicationSet' ? doc.spec.template.spec : doc.spec;
      const sources: HelmSource[] = spec.sources ?? (spec.source ? [spec.source] : []);
      return sources.map((source) => ({ file, source }));
    });
}

function pinOf(source: HelmSource): ChartName | undefined {
  return (Object.entries(CHARTS) as [ChartName, ChartPin][]).find(
    ([, c]) =>
      c.repoUrl === source.repoURL &&
      c.version === source.targetRevision &&
      (c.type === 'oci' || c.chart === source.chart),
  )?.[0];
}

/** The name EXCEPTIONS use for a chart: its schemas/charts folder, else its key. */
function nameOf(chart: ChartName): string {
  return (CHARTS[chart] as ChartPin).valuesDir ?? chart;
}

describe('Helm values of every add-on Application', () => {
  const withValues = helmSources().filter((s) => s.source.helm?.valuesObject);

  it('finds Helm values to check in every environment', () => {
    for (const env of ['dev', 'staging', 'prod'])
      expect(withValues.filter((s) => s.file.startsWith(`${env}/`)).length).toBeGreaterThan(10);
  });

  it('pins every chart to a version vendored in vendor/charts', () => {
    for (const { file, source } of helmSources().filter((s) => s.source.helm)) {
      expect(pinOf(source), `${file}: ${source.repoURL} ${source.targetRevision}`).toBeDefined();
    }
  });

  it('writes only keys the pinned chart declares in values.yaml or values.schema.json', () => {
    const problems: string[] = [];
    for (const { file, source } of withValues) {
      const pin = pinOf(source);
      if (!pin) {
        problems.push(`${file}: values set on ${source.repoURL}, which is not a pinned chart`);
        continue;
      }
      const { defaults, schema } = load(pin);
      for (const p of unknownPaths(nameOf(pin), source.helm!.valuesObject!, defaults, schema))
        problems.push(`${file}: ${nameOf(pin)} has no key ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it('reports a key the chart does not declare', () => {
    const { defaults, schema } = load('cert-manager');
    expect(
      unknownPaths(
        'cert-manager',
        { webhook: { replicaCount: 2, replicas: 2 }, nodeSelector: { workload: 'platform' } },
        defaults,
        schema,
      ),
    ).toEqual(['webhook.replicas']);
  });

  it('checks a sub-chart block against the vendored sub-chart values', () => {
    const { defaults, schema } = load('kube-prometheus-stack');
    expect(
      unknownPaths(
        'kube-prometheus-stack',
        { grafana: { replicas: 1, admin: { existingSecret: 'x' }, replicaz: 2 } },
        defaults,
        schema,
      ),
    ).toEqual(['grafana.replicaz']);
  });

  it('names a reason for every exception', () => {
    for (const e of EXCEPTIONS) expect(e.why.length).toBeGreaterThan(10);
  });
});
