import { describe, expect, it } from 'vitest';
import { GitOpsBridge, type GitOpsBridgeProps } from '../../../constructs/infra/gitops-bridge';
import {
  ADDON_IDENTITIES,
  ADDONS,
  clusterSecretMetadata,
  GITOPS_BRIDGE,
  IDENTITY_NAMES,
  type BridgeAnnotation,
  type IdentityName,
} from '../../../src/model/gitops-bridge';
import { PLATFORM_NAMESPACES } from '../../../src/spec/reserved';
import { bootstrapRootManifests } from '../../../src/platform/layers';
import { repoModel, sharedEnv } from '../../helpers';
import { only, resources, synthScope } from './helpers';

const root = bootstrapRootManifests(sharedEnv(repoModel(), 'dev'));

const annotationValues = Object.fromEntries(
  Object.keys(GITOPS_BRIDGE.annotations).map((k) => [k, `value-of-${k}`]),
) as Record<BridgeAnnotation, string>;
const identityRoleArns = Object.fromEntries(
  IDENTITY_NAMES.map((n) => [n, `arn:aws:iam::111111111111:role/${n}`]),
) as Record<IdentityName, string>;
const props: GitOpsBridgeProps = {
  environment: 'dev',
  clusterName: 'agentic-dev',
  endpoint: 'https://example.eks.amazonaws.com',
  certificateAuthorityData: 'Q0E=',
  region: 'eu-west-1',
  enabledAddons: ADDONS,
  annotationValues,
  identityRoleArns,
  repoUrl: 'https://github.com/example-org/agentic-platform.git',
  targetRevision: 'main',
  rootApplication: root.application,
  bootstrapProject: root.project,
};
/** Kubernetes qualified-name rule for label and annotation keys (optional DNS prefix + name). */
const QUALIFIED_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

describe('GitOpsBridge', () => {
  const json = synthScope((s) => new GitOpsBridge(s, 'Bridge', props));
  const secret = only(json, 'kubernetes_secret_v1');

  it('writes cluster-secret label and annotation keys that come from src/model/gitops-bridge.ts', () => {
    const expectedLabels = [
      GITOPS_BRIDGE.labels.secretType,
      GITOPS_BRIDGE.labels.environment,
      ...ADDONS.map(GITOPS_BRIDGE.enableLabel),
    ];
    expect(Object.keys(secret.metadata.labels).sort()).toEqual(expectedLabels.sort());
    const expectedAnnotations = [
      ...Object.values(GITOPS_BRIDGE.annotations),
      ...IDENTITY_NAMES.flatMap((n) => Object.values(GITOPS_BRIDGE.identityAnnotations(n))),
    ];
    expect(Object.keys(secret.metadata.annotations).sort()).toEqual(expectedAnnotations.sort());
    const model = clusterSecretMetadata({
      environment: 'dev',
      enabledAddons: ADDONS,
      values: annotationValues,
      identities: Object.fromEntries(
        IDENTITY_NAMES.map((n) => [n, { roleArn: identityRoleArns[n] }]),
      ) as never,
    });
    expect(secret.metadata.labels).toEqual(model.labels);
    expect(secret.metadata.annotations).toEqual(model.annotations);
  });

  it('marks the Secret as an Argo CD cluster with string "true" enable labels', () => {
    expect(secret.metadata.namespace).toContain('kubernetes_namespace_v1');
    expect(secret.metadata.labels['argocd.argoproj.io/secret-type']).toBe('cluster');
    for (const addon of ADDONS)
      expect(secret.metadata.labels[GITOPS_BRIDGE.enableLabel(addon)]).toBe('true');
    expect(secret.data).toMatchObject({
      name: 'agentic-dev',
      server: 'https://kubernetes.default.svc',
    });
  });

  it('uses only valid Kubernetes label and annotation keys', () => {
    for (const key of [
      ...Object.keys(secret.metadata.labels),
      ...Object.keys(secret.metadata.annotations),
    ])
      expect(key).toMatch(QUALIFIED_KEY);
  });

  it('carries role ARN, namespace and service account of every Pod Identity', () => {
    for (const n of IDENTITY_NAMES) {
      const keys = GITOPS_BRIDGE.identityAnnotations(n);
      expect(secret.metadata.annotations[keys.roleArn]).toBe(identityRoleArns[n]);
      expect(secret.metadata.annotations[keys.serviceAccount]).toBe(
        ADDON_IDENTITIES[n].serviceAccount,
      );
    }
  });

  it('creates exactly the root Application and AppProject that the bootstrap folder holds', () => {
    const manifests = resources(json, 'kubernetes_manifest').map((m) => m.manifest);
    const project = manifests.find((m) => m.kind === 'AppProject');
    const app = manifests.find((m) => m.kind === 'Application');
    // Argo CD takes these objects over from Terraform: any difference would be fought over.
    expect(app).toEqual(JSON.parse(JSON.stringify(root.application)));
    expect(project).toEqual(JSON.parse(JSON.stringify(root.project)));
    expect(app.spec).toMatchObject({
      project: 'bootstrap',
      source: { path: 'dist/dev/bootstrap' },
    });
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
  });

  it('authenticates the Kubernetes provider with aws eks get-token', () => {
    const provider = (json as any).provider.kubernetes[0];
    expect(provider.exec[0]).toMatchObject({
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'agentic-dev', '--region', 'eu-west-1'],
    });
  });

  it('enables only the add-ons it is given', () => {
    const labels = only(
      synthScope((s) => new GitOpsBridge(s, 'B', { ...props, enabledAddons: ['kyverno'] })),
      'kubernetes_secret_v1',
    ).metadata.labels;
    expect(Object.keys(labels).filter((k) => k.startsWith('enable_'))).toEqual(['enable_kyverno']);
  });

  it('fails on an unknown or repeated add-on', () => {
    expect(() =>
      synthScope((s) => new GitOpsBridge(s, 'B', { ...props, enabledAddons: ['nginx' as never] })),
    ).toThrow(/enabledAddons: "nginx" is not a platform add-on/);
    expect(() =>
      synthScope((s) => new GitOpsBridge(s, 'B', { ...props, enabledAddons: ['istio', 'istio'] })),
    ).toThrow(/"istio" is listed twice/);
  });

  it('puts every Pod Identity service account in a platform namespace or kube-system', () => {
    for (const n of IDENTITY_NAMES)
      expect([...PLATFORM_NAMESPACES, 'kube-system']).toContain(ADDON_IDENTITIES[n].namespace);
  });
});
