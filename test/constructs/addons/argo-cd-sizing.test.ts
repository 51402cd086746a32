import { describe, expect, it } from 'vitest';
import {
  ARGO_CD_TENANT_STEPS,
  argoCdControllerEnv,
  argoCdSizing,
  argoCdSizingParams,
} from '../../../constructs/addons/private/argo-cd-sizing';
import { docs } from '../../platform/synth-fixture';

/** Helm values of the argo-cd add-on ApplicationSet of `env`. */
const addonValues = (env: string, addon: string): Record<string, any> =>
  docs(`${env}/bootstrap/`).find((d) => d.doc.metadata.name === `addon-${addon}`)!.doc.spec.template
    .spec.source.helm.valuesObject;

describe('argoCdSizing', () => {
  it('follows the HA guide ratio: 50 status and 25 operation processors per 1,000 Applications', () => {
    const s = argoCdSizing(10_000, 2);
    expect(s.tenantCapacity).toBe(10_000);
    expect(s.applications).toBe(20_050);
    expect(s.statusProcessors).toBe(1003);
    expect(s.operationProcessors).toBe(502);
    expect(s.kubeClientQps).toBe(1003);
    expect(s.kubeClientBurst).toBe(2006);
    expect(s.repoServerReplicas).toBe(9);
  });

  it('never goes below Argo CD defaults or the HA floor for a small environment', () => {
    const s = argoCdSizing(3, 2);
    expect(s.tenantCapacity).toBe(250);
    expect(s.statusProcessors).toBe(28);
    expect(s.operationProcessors).toBe(14);
    expect(s.kubeClientQps).toBe(50);
    expect(s.kubeClientBurst).toBe(100);
    expect(s.repoServerReplicas).toBe(2);
    expect(argoCdSizing(0, 1).repoServerReplicas).toBe(1);
  });

  it('does not move when one tenant is added inside a step, only when a step is crossed', () => {
    expect(argoCdSizing(1_001, 1)).toEqual(argoCdSizing(2_500, 1));
    expect(argoCdSizing(2_501, 1)).not.toEqual(argoCdSizing(2_500, 1));
  });

  it('refuses a count over the largest step and a negative or fractional count', () => {
    expect(() => argoCdSizing(ARGO_CD_TENANT_STEPS.at(-1)! + 1, 1)).toThrow(
      /over the largest step 50000; add a step/,
    );
    expect(() => argoCdSizing(-1, 1)).toThrow(/tenants must be a whole number >= 0, got -1/);
    expect(() => argoCdSizing(1.5, 1)).toThrow(/got 1\.5/);
  });

  it('writes the sizing into the argo-cd values of every environment', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const values = addonValues(env, 'argo-cd');
      const sizing = argoCdSizing(3, values.repoServer.pdb.enabled ? 2 : 1);
      expect(values.configs.params).toMatchObject(argoCdSizingParams(sizing));
      expect(values.controller.env).toEqual(argoCdControllerEnv(sizing));
      expect(values.controller.replicas).toBe(1);
      expect(values.repoServer.replicas).toBe(sizing.repoServerReplicas);
    }
  });
});
