import { describe, expect, it } from 'vitest';
import {
  checkBringUpOrder,
  dependencies,
  syncUnits,
  type SyncUnit,
} from '../../src/render/bring-up-order';
import { ROOT } from '../platform/synth-fixture';
import { renderSome } from './helpers';

describe('bring-up order', () => {
  it("derives kagent's need for its database Secret from the rendered chart and dist/", async () => {
    const env = await renderSome('dev', ['kagent']);
    const units = syncUnits(ROOT, env);
    expect(dependencies(units)).toContainEqual({
      consumer: 'kagent',
      producer: 'platform-kagent',
      resource: 'Deployment/kagent-controller',
      needs: 'Secret kagent/kagent-db-app',
    });
    expect(checkBringUpOrder('dev', units)).toEqual([]);
  });

  it('catches a planted wrong-wave dependency: kagent back in the operators wave', async () => {
    const env = await renderSome('dev', ['kagent']);
    const planted = {
      ...env,
      applications: env.applications.map((a) => ({ ...a, app: { ...a.app, wave: 10 } })),
    };
    const findings = checkBringUpOrder('dev', syncUnits(ROOT, planted));
    expect(findings).toContainEqual(
      expect.objectContaining({
        check: 'order',
        application: 'kagent',
        resource: 'Deployment/kagent-controller',
        message: expect.stringMatching(
          /needs Secret kagent\/kagent-db-app from platform-kagent \(wave 30\), but syncs in wave 10/,
        ),
      }),
    );
  });

  const unit = (name: string, wave: number, objects: SyncUnit['objects']): SyncUnit => ({
    name,
    wave,
    namespace: 'ns',
    objects,
  });
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.io' },
    spec: { group: 'example.io', names: { kind: 'Widget' }, versions: [] },
  };
  const widget = { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' } };

  it('requires the CRD of a custom resource from an earlier wave, not the same one', () => {
    expect(
      checkBringUpOrder('dev', [unit('crds', 0, [crd]), unit('user', 10, [widget])], []),
    ).toEqual([]);
    const same = checkBringUpOrder(
      'dev',
      [unit('crds', 10, [crd]), unit('user', 10, [widget])],
      [],
    );
    expect(same[0]!.message).toMatch(
      /needs CRD example.io\/Widget from crds \(wave 10\), but syncs in wave 10/,
    );
  });

  it('reports a listed late dependency that no longer happens', () => {
    const f = checkBringUpOrder(
      'dev',
      [unit('user', 10, [])],
      [{ consumer: 'user', needs: 'Secret ns/x', why: 'because' }],
    );
    expect(f[0]!.message).toMatch(
      /listed in LATE_DEPENDENCIES for Secret ns\/x, which it no longer needs late/,
    );
  });
});

describe('bring-up order of the add-on databases', () => {
  it("derives Keycloak's and Langfuse's need for their database from the rendered charts and the bootstrap Job", async () => {
    const env = await renderSome('dev', ['keycloak', 'langfuse']);
    const units = syncUnits(ROOT, env);
    const deps = dependencies(units).filter((d) => d.needs.startsWith('Database'));
    expect(deps).toEqual([
      {
        consumer: 'keycloak',
        producer: 'platform-postgres',
        resource: 'StatefulSet/keycloak-keycloakx',
        needs: 'Database keycloak (role keycloak)',
      },
      {
        consumer: 'langfuse',
        producer: 'platform-postgres',
        resource: 'Deployment/langfuse-web',
        needs: 'Database langfuse (role langfuse)',
      },
      {
        consumer: 'langfuse',
        producer: 'platform-postgres',
        resource: 'Deployment/langfuse-worker',
        needs: 'Database langfuse (role langfuse)',
      },
    ]);
    expect(checkBringUpOrder('dev', units)).toEqual([]);
  });

  it('catches the bootstrap planted in the services wave, with the add-ons that connect', async () => {
    const env = await renderSome('dev', ['keycloak']);
    const units = syncUnits(ROOT, env).map((u) =>
      u.name === 'platform-postgres' ? { ...u, wave: 35 } : u,
    );
    expect(checkBringUpOrder('dev', units)).toContainEqual(
      expect.objectContaining({
        check: 'order',
        application: 'keycloak',
        resource: 'StatefulSet/keycloak-keycloakx',
        message:
          'needs Database keycloak (role keycloak) from platform-postgres (wave 35), but syncs in wave 35; the producer must sync in an earlier wave',
      }),
    );
  });
});
