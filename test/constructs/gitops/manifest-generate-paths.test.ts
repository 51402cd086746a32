import { describe, expect, it } from 'vitest';
import {
  MANIFEST_GENERATE_PATHS_ANNOTATION,
  manifestGeneratePaths,
} from '../../../constructs/gitops/manifest-generate-paths';
import { docs, synthRepo } from '../../platform/synth-fixture';

interface Source {
  repoURL: string;
  path?: string;
  chart?: string;
}

/** The Git paths an Application (or ApplicationSet template) spec reads. */
function gitPaths(spec: { source?: Source; sources?: Source[] }): string[] {
  return gitSourcesOf(spec)
    .filter((s) => s.path !== undefined)
    .map((s) => s.path!);
}

describe('manifestGeneratePaths', () => {
  it('writes absolute, ;-separated, de-duplicated repository paths', () => {
    expect(manifestGeneratePaths(['dist/dev/bootstrap', '/dist/x/', 'dist/dev/bootstrap'])).toEqual(
      {
        [MANIFEST_GENERATE_PATHS_ANNOTATION]: '/dist/dev/bootstrap;/dist/x',
      },
    );
  });

  it('refuses an empty list, a ; inside a path and ..', () => {
    expect(() => manifestGeneratePaths([])).toThrow(/paths is empty/);
    expect(() => manifestGeneratePaths(['a;b'])).toThrow(/"a;b" is not a repository folder/);
    expect(() => manifestGeneratePaths(['dist/../x'])).toThrow(/no '\.\.'/);
  });
});

describe('every generated Application that reads this repository', () => {
  const { model } = synthRepo();
  const repoUrl = model.environments[0]!.spec.gitops.repoUrl;

  it('lists exactly the paths its sources read, in every environment', () => {
    let checked = 0;
    for (const env of model.environments) {
      for (const { path, doc } of docs(`${env.name}/bootstrap/`)) {
        const spec =
          doc.kind === 'Application'
            ? { spec: doc.spec, meta: doc.metadata }
            : doc.kind === 'ApplicationSet'
              ? { spec: doc.spec.template.spec, meta: doc.spec.template.metadata }
              : undefined;
        if (!spec) continue;
        const paths = gitPaths(spec.spec);
        const annotation = spec.meta.annotations?.[MANIFEST_GENERATE_PATHS_ANNOTATION];
        if (paths.length === 0) {
          // Helm/OCI charts come from their pinned version, not from a commit of any repository.
          expect(annotation, path).toBeUndefined();
          continue;
        }
        expect(annotation, path).toBe(paths.map((p) => `/${p}`).join(';'));
        if (gitSourcesOf(spec.spec).every((s) => s.repoURL === repoUrl)) checked++;
      }
    }
    // Root, platform folders and both tenant ApplicationSets of each environment.
    expect(checked).toBeGreaterThanOrEqual(3 * 4);
  });

  it('scopes a tenant Application to its own folders, never to tenants/*', () => {
    const [tenants] = docs('dev/bootstrap/applicationset-tenants-platform.yaml');
    expect(
      tenants!.doc.spec.template.metadata.annotations[MANIFEST_GENERATE_PATHS_ANNOTATION],
    ).toBe('/{{.path.path}};/dist/dev/platform/tenant-sync/{{.path.basename}}');
  });
});

function gitSourcesOf(spec: { source?: Source; sources?: Source[] }): Source[] {
  // A chart from a Helm repository names `chart`; one from an OCI registry has an oci:// URL.
  return (spec.sources ?? (spec.source ? [spec.source] : [])).filter(
    (s) => s.chart === undefined && !s.repoURL.startsWith('oci://'),
  );
}
