import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { placementOf } from '../../../constructs/addons/addon-props';
import {
  KubePrometheusStackAddon,
  type KubePrometheusStackAddonProps,
} from '../../../constructs/addons/kube-prometheus-stack-addon';
import { NODE_GROUPS } from '../../../src/model/conventions';

const props: KubePrometheusStackAddonProps = {
  environment: 'dev',
  placement: placementOf(NODE_GROUPS.platform),
  grafanaHostname: 'grafana.dev.example.com',
};
const oidc = {
  issuer: 'https://keycloak.dev.example.com/realms/platform',
  clientId: 'grafana',
  clientSecretName: 'grafana-oidc-keycloak',
  clientSecretKey: 'clientSecret',
  adminGroup: 'platform-admin',
  editorGroup: 'developer',
  viewerGroup: 'viewer',
};

function grafanaValues(p: KubePrometheusStackAddonProps) {
  const chart = new Chart(new App(), 'test');
  new KubePrometheusStackAddon(chart, 'kps', p);
  const appSet = chart.toJson().find((o: { kind: string }) => o.kind === 'ApplicationSet');
  return appSet.spec.template.spec.source.helm.valuesObject.grafana;
}

describe('KubePrometheusStackAddon', () => {
  it('keeps Grafana to its local login when no SSO is given', () => {
    const g = grafanaValues(props);
    expect(g['grafana.ini']).toEqual({ server: { root_url: 'https://grafana.dev.example.com' } });
    expect(g.envValueFrom).toBeUndefined();
    expect(g.nodeSelector).toEqual({ workload: 'platform' });
  });

  it('signs in through Keycloak, refusing users outside the three platform groups', () => {
    const g = grafanaValues({ ...props, grafanaOidc: oidc });
    const o = g['grafana.ini']['auth.generic_oauth'];
    expect(o.token_url).toBe(
      'https://keycloak.dev.example.com/realms/platform/protocol/openid-connect/token',
    );
    expect(o.role_attribute_strict).toBe(true);
    expect(o.role_attribute_path).toBe(
      "contains(groups[*], 'platform-admin') && 'Admin' || contains(groups[*], 'developer') && 'Editor' || contains(groups[*], 'viewer') && 'Viewer'",
    );
    // The secret comes from a Secret, never from grafana.ini.
    expect(JSON.stringify(g['grafana.ini'])).not.toMatch(/client_secret/);
    expect(g.envValueFrom).toEqual({
      GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: {
        secretKeyRef: { name: 'grafana-oidc-keycloak', key: 'clientSecret' },
      },
    });
  });

  it('refuses an issuer that is not a Keycloak realm URL', () => {
    expect(() =>
      grafanaValues({
        ...props,
        grafanaOidc: { ...oidc, issuer: 'https://keycloak.dev.example.com/' },
      }),
    ).toThrow(
      /grafanaOidc.issuer must be a Keycloak realm URL.*got "https:\/\/keycloak.dev.example.com\/"/,
    );
  });
});
