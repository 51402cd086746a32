import { describe, expect, it } from 'vitest';
import {
  EksCluster,
  type EksClusterProps,
  type OidcIdentityProviderOptions,
} from '../../../constructs/infra/eks-cluster';
import { only, synthScope } from './helpers';

const props: EksClusterProps = {
  clusterName: 'agentic-test',
  kubernetesVersion: '1.33',
  subnetIds: ['subnet-a', 'subnet-b'],
  secretsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/secrets',
  logsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/logs',
  partition: 'aws',
  adminPrincipalArns: ['arn:aws:iam::111111111111:role/PlatformAdmin'],
  serviceCidr: '172.20.0.0/16',
};
const oidc: OidcIdentityProviderOptions = {
  name: 'keycloak',
  issuerUrl: 'https://keycloak.dev.example.com/realms/platform',
  clientId: 'kubernetes',
  groupsClaim: 'groups',
  groupsPrefix: 'oidc:',
  usernameClaim: 'sub',
  usernamePrefix: 'oidc:',
};
const associate = (o: Partial<OidcIdentityProviderOptions> = {}) =>
  synthScope((s) =>
    new EksCluster(s, 'Eks', props).addOidcIdentityProvider('Idp', { ...oidc, ...o }),
  );

describe('EksCluster.addOidcIdentityProvider', () => {
  it('associates the issuer with the groups claim and prefixes', () => {
    const idp = only(associate(), 'aws_eks_identity_provider_config');
    expect(idp.oidc).toEqual({
      identity_provider_config_name: 'keycloak',
      issuer_url: oidc.issuerUrl,
      client_id: 'kubernetes',
      groups_claim: 'groups',
      groups_prefix: 'oidc:',
      username_claim: 'sub',
      username_prefix: 'oidc:',
    });
  });

  it('fails for an issuer that is not https', () => {
    expect(() => associate({ issuerUrl: 'http://keycloak/realms/platform' })).toThrow(
      /issuerUrl "http:\/\/keycloak\/realms\/platform" must be an https URL/,
    );
  });

  it.each([
    ['groupsPrefix', ''],
    ['usernamePrefix', 'system:oidc:'],
  ])('fails for %s "%s"', (field, value) => {
    expect(() => associate({ [field]: value })).toThrow(
      new RegExp(`${field} "${value}" must be non-empty and not start with "system:"`),
    );
  });
});
