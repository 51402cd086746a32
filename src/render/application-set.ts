import type { ClusterSecret } from './cluster-secret';

/** The Application an add-on ApplicationSet generates for one cluster, as far as rendering needs it. */
export interface GeneratedApplication {
  /** ApplicationSet name (`addon-<name>`). */
  readonly applicationSet: string;
  /** Application (and Helm release) name. */
  readonly name: string;
  readonly namespace: string;
  /** `argocd.argoproj.io/sync-wave` of the ApplicationSet, as a number. */
  readonly wave: number;
  readonly source: {
    readonly repoURL: string;
    readonly chart?: string;
    readonly path?: string;
    readonly targetRevision: string;
    readonly releaseName?: string;
    readonly values?: Readonly<Record<string, unknown>>;
  };
}

interface ApplicationSetJson {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    goTemplate?: boolean;
    goTemplateOptions?: string[];
    generators: { clusters?: { selector?: { matchLabels?: Record<string, string> } } }[];
    template: {
      metadata: { name: string };
      spec: {
        destination: { namespace: string };
        source: {
          repoURL: string;
          chart?: string;
          path?: string;
          targetRevision: string;
          helm?: { releaseName?: string; valuesObject?: Record<string, unknown> };
        };
      };
    };
  };
}

const TEMPLATE = /\{\{(.*?)\}\}/g;

/**
 * Instantiates an add-on ApplicationSet for one cluster Secret the way the ApplicationSet
 * controller does with `goTemplate: true` and `missingkey=error`: the cluster generator
 * selects the Secret by its labels, and every `{{…}}` of the template is filled from the
 * Secret's `.metadata.labels` / `.metadata.annotations`, `.name` and `.server`. Returns
 * undefined when the selector does not match (the add-on is not enabled there). Throws,
 * naming the file and the field, on a reference the Secret does not have or a template
 * expression other than those lookups.
 */
export function generateApplication(
  appSet: unknown,
  cluster: ClusterSecret,
  file: string,
): GeneratedApplication | undefined {
  const a = appSet as ApplicationSetJson;
  if (a.spec.generators.length !== 1 || !a.spec.generators[0]!.clusters) {
    throw new Error(
      `${file}: spec.generators must be one cluster generator, as every add-on ApplicationSet has`,
    );
  }
  const selector = a.spec.generators[0]!.clusters.selector?.matchLabels ?? {};
  if (!Object.entries(selector).every(([k, v]) => cluster.labels[k] === v)) return undefined;
  if (a.spec.goTemplate !== true || !a.spec.goTemplateOptions?.includes('missingkey=error')) {
    throw new Error(
      `${file}: spec.goTemplate must be true with goTemplateOptions [missingkey=error]`,
    );
  }
  const fill = (value: unknown, at: string): unknown => {
    if (typeof value === 'string') {
      return value.replace(TEMPLATE, (_, expr: string) =>
        lookup(expr.trim(), cluster, `${file}: ${at}`),
      );
    }
    if (Array.isArray(value)) return value.map((v, i) => fill(v, `${at}[${i}]`));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, `${at}.${k}`)]));
    return value;
  };
  const t = fill(a.spec.template, 'spec.template') as ApplicationSetJson['spec']['template'];
  const s = t.spec.source;
  const waveText = a.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0';
  const wave = Number(waveText);
  if (!Number.isInteger(wave))
    throw new Error(`${file}: sync-wave "${waveText}" is not an integer`);
  return {
    applicationSet: a.metadata.name,
    name: t.metadata.name,
    namespace: t.spec.destination.namespace,
    wave,
    source: {
      repoURL: s.repoURL,
      targetRevision: s.targetRevision,
      ...(s.chart ? { chart: s.chart } : {}),
      ...(s.path ? { path: s.path } : {}),
      ...(s.helm?.releaseName ? { releaseName: s.helm.releaseName } : {}),
      ...(s.helm?.valuesObject ? { values: s.helm.valuesObject } : {}),
    },
  };
}

function lookup(expr: string, cluster: ClusterSecret, where: string): string {
  if (expr === '.server') return cluster.server;
  if (expr === '.name') return cluster.name;
  const m = /^index \.metadata\.(labels|annotations) "([^"]+)"$/.exec(expr);
  if (!m)
    throw new Error(
      `${where}: template {{${expr}}} is not a cluster-generator lookup the renderer knows`,
    );
  const map = m[1] === 'labels' ? cluster.labels : cluster.annotations;
  const value = map[m[2]!];
  if (value === undefined) {
    throw new Error(
      `${where}: {{${expr}}}: the cluster Secret has no ${m[1]!.slice(0, -1)} "${m[2]}" (missingkey=error fails this Application)`,
    );
  }
  return value;
}
