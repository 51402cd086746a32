import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHARTS, GATEWAY_API_CRDS, type ChartName } from '../../constructs/addons/charts';
import { mergeValues } from '../../constructs/addons/private/values';
import { generateApplication, type GeneratedApplication } from './application-set';
import { clusterSecretFromTerraform, type ClusterSecret } from './cluster-secret';
import {
  conditionEnabled,
  helmTemplateText,
  HelmRenderError,
  type HelmTemplateInput,
  parseRendered,
  removedDependencies,
  type RenderedObject,
} from './helm';
import { VENDORED_CHARTS, VENDORED_GATEWAY_API } from './vendored-charts';

/** One add-on Application of one environment and the objects Argo CD would apply for it. */
export interface RenderedApplication {
  readonly app: GeneratedApplication;
  readonly source: ChartSource;
  /** Vendored folder below vendor/charts that was rendered. */
  readonly vendored: string;
  /** Set when the vendored chart is not the pinned version (see VENDORED_CHARTS). */
  readonly standIn?: string;
  readonly objects: readonly RenderedObject[];
}

export interface RenderedEnvironment {
  readonly name: string;
  readonly kubernetesVersion: string;
  readonly cluster: ClusterSecret;
  readonly applications: readonly RenderedApplication[];
  /** ApplicationSets whose cluster generator does not select this environment's Secret. */
  readonly notGenerated: readonly string[];
  /** `--api-versions` the charts were rendered with: every CRD version the environment installs. */
  readonly apiVersions: readonly string[];
}

/** A chart that failed to render: the command must fail, naming it. */
export interface RenderFailure {
  readonly environment: string;
  readonly application: string;
  readonly message: string;
}

export interface RenderAddonsOptions {
  /** Repository root (holds dist/ and vendor/charts/). */
  readonly root: string;
  /** Path of the helm v3.19 binary. */
  readonly helm: string;
  /** @default - every environment folder of dist/ */
  readonly environments?: readonly string[];
  /** Concurrent helm processes. @default 2 */
  readonly concurrency?: number;
}

/** What renderApplication needs to know about an Application's chart. */
export interface ChartSource {
  readonly chart?: ChartName;
  readonly dir: string;
  readonly plain: boolean;
  readonly standIn?: string;
}

/**
 * Renders every add-on ApplicationSet of every environment with the vendored charts, as Argo
 * CD would on that cluster: the ApplicationSet is instantiated for the environment's cluster
 * Secret (read from dist/<env>/terraform), then its chart is rendered with `helm template`,
 * the environment's Kubernetes version and the API versions of every CRD the environment
 * installs (Argo CD passes the cluster's; charts such as Langfuse refuse to render without
 * their operator's CRDs). The cluster suite calls this to get the manifests it applies.
 */
export async function renderAddons(
  options: RenderAddonsOptions,
): Promise<{ environments: RenderedEnvironment[]; failures: RenderFailure[] }> {
  const dist = path.join(options.root, 'dist');
  const names =
    options.environments ??
    readdirSync(dist)
      .filter((d) => existsSync(path.join(dist, d, 'bootstrap')))
      .sort();
  const environments: RenderedEnvironment[] = [];
  const failures: RenderFailure[] = [];
  const limit = limiter(options.concurrency ?? 2);
  for (const env of names) {
    const tfFile = path.join(dist, env, 'terraform', 'cdk.tf.json');
    const tfText = readFileSync(tfFile, 'utf8');
    const cluster = clusterSecretFromTerraform(tfText, path.relative(options.root, tfFile));
    const kubernetesVersion = eksVersion(tfText, path.relative(options.root, tfFile));
    const { apps, notGenerated } = generatedApplications(options.root, env, cluster);
    const render = (which: typeof apps, apiVersions: readonly string[]) =>
      Promise.all(
        which.map(({ app, source }) =>
          limit(() =>
            renderApplication(options, app, source, kubernetesVersion, apiVersions).then(
              (objects) => ({ app, source, objects, error: undefined as string | undefined }),
              (err: unknown) => {
                if (!(err instanceof HelmRenderError)) throw err;
                return { app, source, objects: [] as RenderedObject[], error: err.message };
              },
            ),
          ),
        ),
      );
    // Two passes: the first finds the CRDs the environment installs, the second renders every
    // chart against a cluster that serves them (the state Argo CD converges to).
    const first = await render(apps, []);
    const apiVersions = crdApiVersions(first.flatMap((r) => r.objects));
    // Only a chart that asks for API versions (or failed without them) renders differently.
    const again = new Set(
      first
        .filter(
          (r) =>
            r.error ||
            (!r.source.plain &&
              readsApiVersions(path.join(options.root, 'vendor', 'charts', r.source.dir))),
        )
        .map((r) => r.app.name),
    );
    const rerendered = new Map(
      (
        await render(
          apps.filter((a) => again.has(a.app.name)),
          apiVersions,
        )
      ).map((r) => [r.app.name, r]),
    );
    const second = first.map((r) => rerendered.get(r.app.name) ?? r);
    for (const r of second)
      if (r.error) failures.push({ environment: env, application: r.app.name, message: r.error });
    environments.push({
      name: env,
      kubernetesVersion,
      cluster,
      apiVersions,
      notGenerated,
      applications: second
        .filter((r) => !r.error)
        .map((r) => ({
          app: r.app,
          source: r.source,
          vendored: r.source.dir,
          ...(r.source.standIn ? { standIn: r.source.standIn } : {}),
          objects: r.objects,
        })),
    });
  }
  return { environments, failures };
}

/** Every add-on ApplicationSet of dist/<env>/bootstrap, instantiated for the cluster Secret. */
export function generatedApplications(
  root: string,
  env: string,
  cluster: ClusterSecret,
): { apps: { app: GeneratedApplication; source: ChartSource }[]; notGenerated: string[] } {
  const dir = path.join(root, 'dist', env, 'bootstrap');
  const apps: { app: GeneratedApplication; source: ChartSource }[] = [];
  const notGenerated: string[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.startsWith('applicationset-addon-')) continue;
    const rel = path.join('dist', env, 'bootstrap', file);
    const obj = parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'))[0]!.toJS();
    const app = generateApplication(obj, cluster, rel);
    if (!app) {
      notGenerated.push((obj as { metadata: { name: string } }).metadata.name);
      continue;
    }
    apps.push({ app, source: chartSourceOf(app, rel) });
  }
  return { apps, notGenerated };
}

/** Finds the vendored chart of an Application's source; throws when nothing vendored matches. */
export function chartSourceOf(app: GeneratedApplication, file: string): ChartSource {
  const s = app.source;
  if (s.repoURL === GATEWAY_API_CRDS.repoUrl) {
    if (s.targetRevision !== GATEWAY_API_CRDS.revision || s.path !== GATEWAY_API_CRDS.path)
      throw new Error(
        `${file}: ${s.repoURL} ${s.targetRevision} ${s.path} is not the vendored ${VENDORED_GATEWAY_API.dir}`,
      );
    return { dir: VENDORED_GATEWAY_API.dir, plain: true };
  }
  const match = (Object.entries(CHARTS) as [ChartName, (typeof CHARTS)[ChartName]][]).find(
    ([, pin]) =>
      pin.repoUrl === s.repoURL && (pin.type === 'oci' ? s.path === '.' : pin.chart === s.chart),
  );
  if (!match)
    throw new Error(
      `${file}: source ${s.repoURL} ${s.chart ?? s.path ?? ''} is not a pinned chart of constructs/addons/charts.ts`,
    );
  const [chart, pin] = match;
  if (pin.version !== s.targetRevision)
    throw new Error(
      `${file}: targetRevision ${s.targetRevision} differs from the pin ${pin.version} of ${chart}`,
    );
  const vendored = VENDORED_CHARTS[chart];
  return {
    chart,
    dir: vendored.dir,
    plain: false,
    ...(vendored.standIn ? { standIn: vendored.standIn } : {}),
  };
}

/**
 * Renders one Application with `values` (default: its own). Exposed for the value-effect
 * check, which renders the same Application with one value removed or changed.
 */
export async function renderApplication(
  options: Pick<RenderAddonsOptions, 'root' | 'helm'>,
  app: GeneratedApplication,
  source: ChartSource,
  kubernetesVersion: string,
  apiVersions: readonly string[],
  values: Readonly<Record<string, unknown>> = app.source.values ?? {},
): Promise<RenderedObject[]> {
  if (source.plain) {
    const chartDir = path.join(options.root, 'vendor', 'charts', source.dir);
    if (!existsSync(chartDir))
      throw new Error(
        `vendor/charts/${source.dir} is missing; vendor it (vendor/charts/SOURCES.md)`,
      );
    // Argo CD directory source, recurse: false: every YAML file of the folder, applied as is.
    return readdirSync(chartDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .flatMap((f) =>
        parseRendered(readFileSync(path.join(chartDir, f), 'utf8'), `${source.dir}/${f}`),
      );
  }
  const input = helmInput(options, app, source, kubernetesVersion, apiVersions, values);
  return parseRendered(await helmTemplateText(options.helm, input), input.chartDir);
}

/**
 * The `helm template` run of an Application with `values`. Throws when the values switch on a
 * dependency the vendoring left out (Helm would fail without saying why).
 */
export function helmInput(
  options: Pick<RenderAddonsOptions, 'root' | 'helm'>,
  app: GeneratedApplication,
  source: ChartSource,
  kubernetesVersion: string,
  apiVersions: readonly string[],
  values: Readonly<Record<string, unknown>>,
): HelmTemplateInput {
  const chartDir = path.join(options.root, 'vendor', 'charts', source.dir);
  if (!existsSync(chartDir))
    throw new Error(`vendor/charts/${source.dir} is missing; vendor it (vendor/charts/SOURCES.md)`);
  // A values.yaml of comments only (agentgateway-crds) is an empty document set.
  const defaults = (parseAllDocuments(
    readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'),
  )[0]?.toJS() ?? null) as Record<string, unknown> | null;
  const merged = mergeValues(defaults ?? {}, values);
  for (const dep of removedDependencies(chartDir)) {
    if (conditionEnabled(dep.condition, merged)) {
      throw new HelmRenderError(
        `${app.name}: values enable the dependency ${dep.name} (${dep.condition}), which is not vendored in vendor/charts/${source.dir}; vendor it or keep it disabled`,
      );
    }
  }
  return {
    chartDir,
    releaseName: app.source.releaseName ?? app.name,
    namespace: app.namespace,
    kubeVersion: kubernetesVersion,
    apiVersions,
    values,
  };
}

/** `group/version` and `group/version/Kind` of every served version of every CRD in `objects`. */
export function crdApiVersions(objects: readonly RenderedObject[]): string[] {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = o.spec as {
      group: string;
      names: { kind: string };
      versions: { name: string; served: boolean }[];
    };
    for (const v of spec.versions) {
      if (!v.served) continue;
      out.add(`${spec.group}/${v.name}`);
      out.add(`${spec.group}/${v.name}/${spec.names.kind}`);
    }
  }
  return [...out].sort();
}

const readsApiVersionsCache = new Map<string, boolean>();

/** Whether any template of a chart (sub-charts included) reads `.Capabilities.APIVersions`. */
function readsApiVersions(dir: string): boolean {
  let hit = readsApiVersionsCache.get(dir);
  if (hit === undefined) {
    const scan = (d: string): boolean =>
      readdirSync(d, { withFileTypes: true }).some((e) =>
        e.isDirectory()
          ? scan(path.join(d, e.name))
          : /\.(tpl|yaml|yml|txt)$/.test(e.name) &&
            readFileSync(path.join(d, e.name), 'utf8').includes('APIVersions'),
      );
    hit = scan(dir);
    readsApiVersionsCache.set(dir, hit);
  }
  return hit;
}

function eksVersion(tfText: string, file: string): string {
  const tf = JSON.parse(tfText) as {
    resource?: { aws_eks_cluster?: Record<string, { version?: string }> };
  };
  const clusters = Object.values(tf.resource?.aws_eks_cluster ?? {});
  const version = clusters[0]?.version;
  if (clusters.length !== 1 || !version)
    throw new Error(`${file}: expected one aws_eks_cluster with a version`);
  return version;
}

function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const run = () => {
        active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            queue.shift()?.();
          });
      };
      if (active < n) run();
      else queue.push(run);
    });
}
