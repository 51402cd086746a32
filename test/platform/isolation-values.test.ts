import { describe, expect, it } from 'vitest';
import { docs } from './synth-fixture';

/** Helm values of an add-on's ApplicationSet (`addon-<name>`) in `env`. */
const addonValues = (env: string, addon: string): Record<string, any> =>
  docs(`${env}/bootstrap/`).find((d) => d.doc.metadata.name === `addon-${addon}`)!.doc.spec.template
    .spec.source.helm.valuesObject;

describe.each(['dev', 'staging', 'prod'])('isolation settings of the add-ons in %s', (env) => {
  it("turns Argo CD's local admin account off, leaving Keycloak SSO as the only way in", () => {
    const cm = addonValues(env, 'argo-cd').configs.cm;
    expect(cm['admin.enabled']).toBe('false');
    expect(cm['oidc.config']).toContain('issuer:');
  });

  it('runs the kagent controller in trusted-proxy mode, never unsecure (anonymous admin)', () => {
    expect(addonValues(env, 'kagent').controller.auth).toEqual({ mode: 'trusted-proxy' });
  });
});
