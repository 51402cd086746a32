import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REMOVED_DEPENDENCIES_ANNOTATION } from './vendored-charts';

/** One `helm template` run, as Argo CD's repo server performs it for a Helm source. */
export interface HelmTemplateInput {
  /** Chart folder (vendor/charts/<chart>). */
  readonly chartDir: string;
  readonly releaseName: string;
  readonly namespace: string;
  /** `--kube-version`: the environment's cluster version. */
  readonly kubeVersion: string;
  /** `--api-versions`: group/version and group/version/Kind of the CRDs the cluster serves. */
  readonly apiVersions: readonly string[];
  readonly values: Readonly<Record<string, unknown>>;
}

export type RenderedObject = Record<string, unknown> & {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly annotations?: Record<string, string>;
    readonly labels?: Record<string, string>;
  };
};

/** A failure of the chart to render, with helm's own message. */
export class HelmRenderError extends Error {}

/**
 * Runs the real `helm template` as Argo CD does (with CRDs; test hooks left out, Argo CD does
 * not run `helm test` hooks) and resolves to its output text. `includeCrds: false` leaves out the chart's crds/ folders,
 * which Helm copies verbatim (no value can change them): the value-effect check renders
 * that way, to compare less.
 */
export function helmTemplateText(
  helm: string,
  input: HelmTemplateInput,
  includeCrds = true,
): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'render-addons-'));
  const valuesFile = path.join(dir, 'values.json');
  // JSON is YAML: Helm reads the values file without a YAML round trip that could retype them.
  writeFileSync(valuesFile, JSON.stringify(input.values));
  const args = [
    'template',
    input.releaseName,
    input.chartDir,
    '--namespace',
    input.namespace,
    '--kube-version',
    input.kubeVersion,
    ...(includeCrds ? ['--include-crds'] : []),
    '--skip-tests',
    '--values',
    valuesFile,
    ...input.apiVersions.flatMap((v) => ['--api-versions', v]),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      helm,
      args,
      { maxBuffer: 256 * 1024 * 1024, env: helmEnv(dir) },
      (err, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        if (err) {
          reject(
            new HelmRenderError(
              `helm template ${input.releaseName} ${path.basename(input.chartDir)}: ${(stderr || err.message).trim()}`,
            ),
          );
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/** Helm state in a throw-away directory: no repository config, cache or plugins of the host. */
function helmEnv(dir: string): NodeJS.ProcessEnv {
  return {
    HOME: dir,
    HELM_CACHE_HOME: path.join(dir, 'cache'),
    HELM_CONFIG_HOME: path.join(dir, 'config'),
    HELM_DATA_HOME: path.join(dir, 'data'),
  };
}

export function parseRendered(stdout: string, where: string): RenderedObject[] {
  const out: RenderedObject[] = [];
  for (const doc of parseAllDocuments(stdout) as unknown as {
    errors: { message: string }[];
    toJS(): unknown;
  }[]) {
    if (doc.errors.length > 0)
      throw new HelmRenderError(
        `${where}: rendered YAML does not parse: ${doc.errors[0]!.message}`,
      );
    const obj = doc.toJS() as RenderedObject | null;
    if (!obj || typeof obj !== 'object') continue;
    if (typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string') {
      throw new HelmRenderError(
        `${where}: rendered a document without apiVersion/kind: ${JSON.stringify(obj).slice(0, 200)}`,
      );
    }
    if (obj.kind === 'List' && Array.isArray(obj.items))
      out.push(...(obj.items as RenderedObject[]));
    else out.push(obj);
  }
  return out;
}

/** A dependency the vendoring left out (Chart.yaml annotation), with the condition that keeps it off. */
export interface RemovedDependency {
  readonly name: string;
  readonly condition: string;
}

export function removedDependencies(chartDir: string): RemovedDependency[] {
  const text = readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8');
  const doc = parseAllDocuments(text)[0]!.toJS() as { annotations?: Record<string, string> };
  const raw = doc.annotations?.[REMOVED_DEPENDENCIES_ANNOTATION];
  if (!raw) return [];
  return raw.split(';').map((entry) => {
    const [name, condition] = entry.split('=') as [string, string];
    return { name, condition };
  });
}

/**
 * Helm's rule for a dependency condition (pkg/chartutil/dependencies.go): the first of the
 * comma-separated paths that holds a boolean in the merged values decides; none means enabled.
 */
export function conditionEnabled(
  condition: string,
  values: Readonly<Record<string, unknown>>,
): boolean {
  for (const p of condition.split(',').map((s) => s.trim())) {
    let v: unknown = values;
    for (const seg of p.split('.'))
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
    if (typeof v === 'boolean') return v;
  }
  return true;
}
