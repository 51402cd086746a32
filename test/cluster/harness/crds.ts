import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ApiextensionsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { readDirectory, type Manifest } from './argo-plan';
import { StrictApplyApi, describeError } from './apply';
import { waitFor } from './processes';

/**
 * The CRDs the project vendors under `schemas/crds` (the add-ons' CRDs at the pinned chart
 * versions), without `cli.kyverno.io`: those describe the Kyverno CLI's test files, not cluster
 * objects.
 */
export function vendoredCrds(root: string): Manifest[] {
  const base = 'schemas/crds';
  const dirs: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const sub = `${rel}/${name}`;
      if (statSync(path.join(root, sub)).isDirectory()) {
        if (name !== 'cli.kyverno.io') {
          dirs.push(sub);
          walk(sub);
        }
      }
    }
  };
  dirs.push(base);
  walk(base);
  return dirs
    .flatMap((d) => readDirectory(root, d, { recurse: false }))
    .filter((m) => m.object.kind === 'CustomResourceDefinition');
}

/** Resolves once every named CRD reports Established. */
export async function waitForCrds(kc: KubeConfig, names: readonly string[]): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const pending = new Set(names);
  await waitFor(
    `${names.length} CRDs to be established`,
    async () => {
      const list = await api.listCustomResourceDefinition();
      for (const crd of list.items) {
        if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) {
          pending.delete(crd.metadata?.name ?? '');
        }
      }
      return pending.size === 0;
    },
    120_000,
    () => `not established: ${[...pending].join(', ')}`,
  );
}

/** Server-side applies the vendored CRDs (strict) and waits until they are served. */
export async function installVendoredCrds(kc: KubeConfig, root: string): Promise<number> {
  const api = StrictApplyApi.makeApiClient(kc);
  const crds = vendoredCrds(root);
  for (const { object, file } of crds) {
    try {
      await api.apply(object as never);
    } catch (err) {
      throw new Error(
        `${file}: CRD ${object.metadata?.name} refused: ${describeError(err).message}`,
      );
    }
  }
  await waitFor(
    'discovery of the vendored CRDs',
    async () => {
      await waitForCrds(
        kc,
        crds.map((c) => c.object.metadata.name),
      );
      return true;
    },
    120_000,
  );
  return crds.length;
}
