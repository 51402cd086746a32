import { describe, expect, it } from 'vitest';
import { docs, synthRepo } from '../../platform/synth-fixture';

/** Go's path.Match for the patterns Argo CD's git directory generator takes: `*` never crosses `/`. */
function pathMatch(pattern: string, p: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
  return re.test(p);
}

/** Every directory of the repository, as the generator sees the synthesized `dist/`. */
function directories(files: Iterable<string>): Set<string> {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = `dist/${f}`.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return dirs;
}

/** Simulates the git directory generator plus the template's name and project. */
function generate(appSet: ReturnType<typeof docs>[number]['doc'], files: Iterable<string>) {
  const patterns: string[] = appSet.spec.generators[0].git.directories.map(
    (d: { path: string }) => d.path,
  );
  const template = appSet.spec.template;
  return [...directories(files)]
    .filter((d) => patterns.some((p) => pathMatch(p, d)))
    .sort()
    .map((d) => {
      const basename = d.split('/').pop()!;
      const render = (s: string) =>
        s.replaceAll('{{.path.basename}}', basename).replaceAll('{{.path.path}}', d);
      return {
        name: render(template.metadata.name),
        project: render(template.spec.project),
        namespace: render(template.spec.destination.namespace),
      };
    });
}

describe.each(['dev', 'staging', 'prod'])('tenant ApplicationSets in %s', (env) => {
  const { model, files } = synthRepo();
  const tenants = model.environments
    .find((e) => e.name === env)!
    .tenants.map((t) => t.name)
    .sort();
  const tenantDirs = [
    ...new Set(
      [...files.keys()].filter((f) => f.startsWith(`${env}/tenants/`)).map((f) => f.split('/')[2]!),
    ),
  ].sort();
  const appSet = (name: string) =>
    docs(`${env}/bootstrap/`).find(
      (d) => d.doc.kind === 'ApplicationSet' && d.doc.metadata.name === name,
    )!.doc;

  it("generates exactly one tenant Application per folder in dist/<env>/tenants/, in that tenant's project", () => {
    expect(tenantDirs).toEqual(tenants);
    const apps = generate(appSet('tenants'), files.keys());
    expect(apps).toEqual(
      tenantDirs.map((t) => ({ name: `tenant-${t}`, project: `tenant-${t}`, namespace: t })),
    );
  });

  it('generates one platform-owned Application per tenant folder, in the platform project', () => {
    const apps = generate(appSet('tenants-platform'), files.keys());
    expect(apps).toEqual(
      tenantDirs.map((t) => ({ name: `tenant-${t}-platform`, project: 'platform', namespace: t })),
    );
  });

  it('generates nothing for files, nested folders or other folders', () => {
    const extra = [
      ...files.keys(),
      `${env}/tenants/README.md`,
      `${env}/tenants/acme/nested/x.yaml`,
      `${env}/platform/tenants/x.yaml`,
      `other/tenants/zeta/x.yaml`,
    ];
    expect(generate(appSet('tenants'), extra).map((a) => a.name)).toEqual(
      tenantDirs.map((t) => `tenant-${t}`),
    );
  });

  it('keeps tenant resources when the ApplicationSet is deleted', () => {
    expect(appSet('tenants').spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(appSet('tenants-platform').spec.syncPolicy).toEqual({
      preserveResourcesOnDeletion: true,
    });
  });

  it('splits each bundle: the tenant Application excludes exactly the files the platform Application includes', () => {
    const tenantSource = appSet('tenants').spec.template.spec.source;
    const platformSources = appSet('tenants-platform').spec.template.spec.sources;
    expect(tenantSource.directory.exclude).toBe(platformSources[0].directory.include);
    expect(platformSources[1].path).toBe(`dist/${env}/platform/tenant-sync/{{.path.basename}}`);
  });
});
