import { describe, expect, it } from 'vitest';
import {
  PLATFORM_OWNED_KINDS,
  PLATFORM_OWNED_FILE_GLOBS,
} from '../../../constructs/gitops/tenant-ownership';
import { docs, synthRepo } from '../../platform/synth-fixture';

const IN_CLUSTER = 'https://kubernetes.default.svc';

describe.each(['dev', 'staging', 'prod'])('tenant AppProjects in %s', (env) => {
  const { model } = synthRepo();
  const environment = model.environments.find((e) => e.name === env)!;
  const projects = docs(`${env}/bootstrap/`).filter((d) => d.doc.kind === 'AppProject');

  it.each(environment.tenants.map((t) => [t.name, t] as const))(
    '%s: one repo, its own namespace, no cluster kinds, no platform kinds',
    (_name, tenant) => {
      const p = projects.find((d) => d.doc.metadata.name === `tenant-${tenant.name}`)!.doc;
      expect(p.spec.sourceRepos).toEqual([environment.spec.gitops.repoUrl]);
      expect(p.spec.destinations).toEqual([{ server: IN_CLUSTER, namespace: tenant.namespace }]);
      const others = environment.tenants
        .filter((t) => t.name !== tenant.name)
        .map((t) => t.namespace);
      for (const d of p.spec.destinations) {
        expect(others).not.toContain(d.namespace);
        expect(d.namespace).not.toMatch(/[*?[]/);
        expect(d.server).toBe(IN_CLUSTER);
      }
      expect(p.spec.clusterResourceWhitelist).toEqual([]);
      expect(p.spec.clusterResourceBlacklist).toEqual([{ group: '*', kind: '*' }]);
      expect(p.spec.namespaceResourceWhitelist).toBeUndefined();
      expect(p.spec.namespaceResourceBlacklist).toEqual(
        PLATFORM_OWNED_KINDS.map((k) => ({ group: k.group, kind: k.kind })),
      );
      for (const kind of ['ResourceQuota', 'LimitRange', 'NetworkPolicy', 'AuthorizationPolicy'])
        expect(p.spec.namespaceResourceBlacklist.map((k: { kind: string }) => k.kind)).toContain(
          kind,
        );
      expect(p.spec.destinationServiceAccounts).toEqual([
        {
          server: IN_CLUSTER,
          namespace: tenant.namespace,
          defaultServiceAccount: `argocd:tenant-${tenant.name}-sync`,
        },
      ]);
      expect(p.spec.sourceNamespaces).toBeUndefined();
    },
  );

  it('has a file glob for every platform-owned kind that appears in a tenant bundle', () => {
    const bundleFiles = docs(`${env}/tenants/`);
    for (const { path, doc } of bundleFiles) {
      const owned = PLATFORM_OWNED_KINDS.some((k) => k.kind === doc.kind);
      const file = path.split('/').pop()!;
      const globbed = PLATFORM_OWNED_FILE_GLOBS.some((g) =>
        file.startsWith(g.replace('*.yaml', '')),
      );
      expect(globbed, `${path} (${doc.kind})`).toBe(owned);
    }
  });
});
