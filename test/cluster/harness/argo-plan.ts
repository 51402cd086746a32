import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A manifest as committed, with the file it came from. */
export interface Manifest {
  readonly file: string;
  readonly object: Record<string, any>;
}

/** What one Argo CD Application syncs. */
export interface SyncUnit {
  /** Application name (ApplicationSets: the generated Application's name). */
  readonly app: string;
  /** Sync wave of the Application in the root app-of-apps. */
  readonly wave: number;
  /** Namespace for namespaced objects that name none (Argo CD's destination.namespace). */
  readonly namespace: string;
  /** `CreateNamespace=true`: Argo CD creates the destination namespace before syncing. */
  readonly createNamespace: boolean;
  /** The manifests from git, in Argo CD's order (wave, kind, name). */
  readonly manifests: readonly Manifest[];
  /** Set for Helm-chart sources: the chart, which this plan does not render. */
  readonly chart?: string;
}

/** The whole environment as Argo CD would sync it: the root app's own objects, then its children. */
export interface SyncPlan {
  readonly env: string;
  /** The root Application (`dist/<env>/bootstrap`): Applications, ApplicationSets, AppProjects. */
  readonly root: SyncUnit;
  /** Child applications, by wave. */
  readonly units: readonly SyncUnit[];
}

const WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * Helm's install order, which Argo CD's gitops-engine uses within a wave
 * (helm pkg/releaseutil/kind_sorter.go InstallOrder); unknown kinds (custom resources) go last.
 */
const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

function waveOf(object: Record<string, any>): number {
  const raw = object.metadata?.annotations?.[WAVE];
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (!Number.isInteger(n)) {
    throw new Error(`${object.kind}/${object.metadata?.name}: ${WAVE} "${raw}" is not an integer`);
  }
  return n;
}

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i === -1 ? KIND_ORDER.length : i;
}

/** Argo CD's order inside one sync: wave, then kind, then name. */
export function syncOrder(a: Manifest, b: Manifest): number {
  return (
    waveOf(a.object) - waveOf(b.object) ||
    kindRank(a.object.kind) - kindRank(b.object.kind) ||
    String(a.object.kind).localeCompare(String(b.object.kind)) ||
    String(a.object.metadata?.namespace ?? '').localeCompare(
      String(b.object.metadata?.namespace ?? ''),
    ) ||
    String(a.object.metadata?.name).localeCompare(String(b.object.metadata?.name))
  );
}

/** `{a,b}*.yaml` style patterns (Argo CD directory include/exclude) as a RegExp. */
export function globToRegExp(pattern: string): RegExp {
  const alternatives = (p: string): string[] => {
    const open = p.indexOf('{');
    if (open === -1) return [p];
    const close = p.indexOf('}', open);
    if (close === -1) throw new Error(`unbalanced "{" in directory pattern "${pattern}"`);
    const head = p.slice(0, open);
    const tail = p.slice(close + 1);
    return p
      .slice(open + 1, close)
      .split(',')
      .flatMap((alt) => alternatives(head + alt + tail));
  };
  const body = alternatives(pattern)
    .map((alt) =>
      alt
        .split('')
        .map((c) =>
          c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^$()|[\]\\]/g, '\\$&'),
        )
        .join(''),
    )
    .join('|');
  return new RegExp(`^(?:${body})$`);
}

/** Every YAML document under `dir` (recursively when `recurse`), filtered like Argo CD does. */
export function readDirectory(
  root: string,
  dir: string,
  options: { recurse: boolean; include?: string; exclude?: string },
): Manifest[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) throw new Error(`Argo CD source path ${dir} does not exist in ${root}`);
  const include = options.include ? globToRegExp(options.include) : undefined;
  const exclude = options.exclude ? globToRegExp(options.exclude) : undefined;
  const out: Manifest[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(abs, rel)).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const full = path.join(abs, relPath);
      if (statSync(full).isDirectory()) {
        if (options.recurse) walk(relPath);
        continue;
      }
      if (!/\.(ya?ml|json)$/.test(name)) continue;
      if (include && !include.test(relPath)) continue;
      if (exclude && exclude.test(relPath)) continue;
      const file = `${dir}/${relPath}`;
      for (const doc of parseAllDocuments(readFileSync(full, 'utf8'))) {
        if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
        const object = doc.toJSON() as Record<string, any> | null;
        if (object) out.push({ file, object });
      }
    }
  };
  walk('');
  return out;
}

/** Fills `{{.path.basename}}` / `{{.path.path}}` of a git-directory generator's template. */
function renderTemplate(value: unknown, params: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{\s*\.([a-zA-Z.]+)\s*\}\}/g, (m, key: string) => {
      const v = params[key];
      if (v === undefined)
        throw new Error(`ApplicationSet template parameter ${m} is not supported`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => renderTemplate(v, params));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, renderTemplate(v, params)]),
    );
  }
  return value;
}

function unitFor(root: string, name: string, wave: number, spec: Record<string, any>): SyncUnit {
  const sources: Record<string, any>[] = spec.sources ?? (spec.source ? [spec.source] : []);
  const syncOptions: string[] = spec.syncPolicy?.syncOptions ?? [];
  const manifests: Manifest[] = [];
  let chart: string | undefined;
  for (const source of sources) {
    if (source.chart || String(source.repoURL ?? '').startsWith('oci://') || source.helm) {
      chart = `${source.repoURL}${source.chart ? `/${source.chart}` : ''}@${source.targetRevision}`;
      continue;
    }
    if (!String(source.path ?? '').startsWith('dist/')) {
      // A directory of another repository (e.g. the Gateway API CRDs at a tag).
      chart = `${source.repoURL}/${source.path}@${source.targetRevision}`;
      continue;
    }
    manifests.push(
      ...readDirectory(root, source.path, {
        recurse: source.directory?.recurse ?? false,
        include: source.directory?.include,
        exclude: source.directory?.exclude,
      }),
    );
  }
  return {
    app: name,
    wave,
    namespace: spec.destination?.namespace ?? 'default',
    createNamespace: syncOptions.includes('CreateNamespace=true'),
    manifests: manifests.sort(syncOrder),
    ...(chart ? { chart } : {}),
  };
}

/**
 * Reads `dist/<env>/bootstrap` the way the root Application syncs it and expands each child:
 * Applications by their source directories; ApplicationSets with a git-directories generator
 * over the matching `dist/` folders; cluster-generator ApplicationSets of Helm charts as units
 * with `chart` set (their objects come from the chart, not from `dist/`).
 */
export function syncPlan(root: string, env: string): SyncPlan {
  const bootstrapDir = `dist/${env}/bootstrap`;
  const rootManifests = readDirectory(root, bootstrapDir, { recurse: false }).sort(syncOrder);
  const units: SyncUnit[] = [];
  for (const { object, file } of rootManifests) {
    const wave = waveOf(object);
    if (object.kind === 'Application') {
      if (object.spec?.source?.path === bootstrapDir) continue; // the root itself
      units.push(unitFor(root, object.metadata.name, wave, object.spec));
    } else if (object.kind === 'ApplicationSet') {
      const template = object.spec.template;
      for (const generator of object.spec.generators ?? []) {
        if (generator.git) {
          for (const { path: pattern } of generator.git.directories ?? []) {
            const parent = path.posix.dirname(pattern);
            if (path.posix.basename(pattern) !== '*') {
              throw new Error(`${file}: git directory pattern "${pattern}" is not "<dir>/*"`);
            }
            const dirs = existsSync(path.join(root, parent))
              ? readdirSync(path.join(root, parent))
                  .filter((d) => statSync(path.join(root, parent, d)).isDirectory())
                  .sort()
              : [];
            for (const dir of dirs) {
              const rendered = renderTemplate(template, {
                'path.basename': dir,
                'path.path': `${parent}/${dir}`,
              }) as Record<string, any>;
              units.push(unitFor(root, rendered.metadata.name, wave, rendered.spec));
            }
          }
        } else if (generator.clusters) {
          // One cluster (this one): the template's name is literal.
          units.push(unitFor(root, template.metadata.name, wave, template.spec));
        } else {
          throw new Error(`${file}: generator ${Object.keys(generator).join()} is not supported`);
        }
      }
    }
  }
  units.sort((a, b) => a.wave - b.wave || a.app.localeCompare(b.app));
  return {
    env,
    root: {
      app: 'bootstrap',
      wave: 0,
      namespace: 'argocd',
      createNamespace: false,
      manifests: rootManifests,
    },
    units,
  };
}
