import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { placementOf } from '../../../constructs/addons/addon-props';
import { LangfuseAddon, type LangfuseAddonProps } from '../../../constructs/addons/langfuse-addon';
import { NODE_GROUPS } from '../../../src/model/conventions';

const props: LangfuseAddonProps = {
  environment: 'dev',
  placement: placementOf(NODE_GROUPS.platform),
  hostname: 'langfuse.dev.example.com',
  secretName: 'langfuse',
  database: { name: 'langfuse', secret: 'langfuse', key: 'postgres-password' },
  redisSecretName: 'langfuse-redis',
};
const keycloak = {
  issuer: 'https://keycloak.dev.example.com/realms/platform',
  clientId: 'langfuse',
  clientSecretKey: 'keycloak-client-secret',
};

function langfuseValues(p: LangfuseAddonProps) {
  const chart = new Chart(new App(), 'test');
  new LangfuseAddon(chart, 'langfuse', p);
  const appSet = chart
    .toJson()
    .find(
      (o: { kind: string; spec: any }) =>
        o.kind === 'ApplicationSet' && o.spec.template.spec.source.helm.valuesObject?.langfuse,
    );
  return appSet.spec.template.spec.source.helm.valuesObject.langfuse;
}

describe('LangfuseAddon', () => {
  it('allows no self sign-up without SSO', () => {
    const l = langfuseValues(props);
    expect(l.features.signUpDisabled).toBe(true);
    expect(l.additionalEnv).toBeUndefined();
  });

  it('signs in through Keycloak only, with the client secret read from the Secret', () => {
    const l = langfuseValues({ ...props, keycloak });
    expect(l.additionalEnv).toEqual([
      { name: 'AUTH_KEYCLOAK_ISSUER', value: keycloak.issuer },
      { name: 'AUTH_KEYCLOAK_CLIENT_ID', value: 'langfuse' },
      {
        name: 'AUTH_KEYCLOAK_CLIENT_SECRET',
        valueFrom: { secretKeyRef: { name: 'langfuse', key: 'keycloak-client-secret' } },
      },
      { name: 'AUTH_DISABLE_USERNAME_PASSWORD', value: 'true' },
    ]);
    expect(l.features.signUpDisabled).toBe(false);
  });

  it('refuses an issuer that is not a Keycloak realm URL', () => {
    expect(() =>
      langfuseValues({ ...props, keycloak: { ...keycloak, issuer: 'keycloak.example.com' } }),
    ).toThrow(/keycloak.issuer must be a Keycloak realm URL.*got "keycloak.example.com"/);
  });

  it('refuses a database password Secret other than the one the chart reads', () => {
    expect(() =>
      langfuseValues({ ...props, database: { ...props.database, secret: 'langfuse-db' } }),
    ).toThrow(/database.secret "langfuse-db" differs from secretName "langfuse"/);
  });

  it('connects as the database role with the password key it is given', () => {
    const chart = new Chart(new App(), 'test');
    new LangfuseAddon(chart, 'langfuse', props);
    const pg = chart
      .toJson()
      .find(
        (o: any) =>
          o.kind === 'ApplicationSet' && o.spec.template.spec.source.helm.valuesObject?.postgresql,
      ).spec.template.spec.source.helm.valuesObject.postgresql;
    expect(pg.auth).toEqual({
      username: 'langfuse',
      database: 'langfuse',
      existingSecret: 'langfuse',
      secretKeys: { userPasswordKey: 'postgres-password' },
    });
  });
});
