import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { placementOf } from '../../../constructs/addons/addon-props';
import {
  PostgresBootstrap,
  type PostgresBootstrapProps,
} from '../../../constructs/platform/postgres-bootstrap';
import { NODE_GROUPS } from '../../../src/model/conventions';

const IMAGE =
  'docker.io/library/postgres:17.6-alpine@sha256:ef257d85f76e48da1c64832459b59fcaba1a4dac97bf5d7450c77753542eee94';
const props: PostgresBootstrapProps = {
  namespace: 'platform-db',
  name: 'postgres-bootstrap',
  roles: [
    {
      name: 'keycloak',
      passwordRemoteKey: 'platform/dev/keycloak-db',
      passwordProperty: 'password',
    },
    {
      name: 'langfuse',
      passwordRemoteKey: 'platform/dev/langfuse',
      passwordProperty: 'postgres-password',
    },
  ],
  image: IMAGE,
  placement: placementOf(NODE_GROUPS.platform),
  masterStore: 'postgres-master',
  masterSecretTag: {
    key: 'aws:rds:primaryDBInstanceArn',
    value: 'arn:aws:rds:eu-west-1:111111111111:db:agentic-dev',
  },
  platformStore: 'platform-secrets',
  endpointRemoteKey: 'platform/dev/postgres-endpoint',
};

function synth(p: PostgresBootstrapProps) {
  const chart = new Chart(new App(), 'test');
  new PostgresBootstrap(chart, 'B', p);
  return chart.toJson() as Record<string, any>[];
}
const find = (objs: Record<string, any>[], kind: string, name?: string) =>
  objs.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name))!;

describe('PostgresBootstrap', () => {
  it('runs psql as a non-root, read-only, unprivileged Job on the platform nodes', () => {
    const objs = synth(props);
    const job = find(objs, 'Job');
    // Not a hook: the Application stays Progressing until the Job succeeded.
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Force=true,Replace=true',
    });
    const pod = job.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.nodeSelector).toEqual({ workload: 'platform' });
    expect(pod.tolerations).toEqual([
      { key: 'workload', operator: 'Equal', value: 'platform', effect: 'NoSchedule' },
    ]);
    const c = pod.containers[0];
    expect(c.image).toBe(IMAGE);
    expect(c.imagePullPolicy).toBe('Always');
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.resources.limits).toEqual({ cpu: '200m', memory: '128Mi' });
    // Secrets only as files, never as env.
    expect(c.env.some((e: any) => e.valueFrom)).toBe(false);
    expect(c.env).toContainEqual({ name: 'BOOTSTRAP_ROLES', value: 'keycloak langfuse' });
    expect(c.env).toContainEqual({ name: 'PGSSLMODE', value: 'require' });
    expect(find(objs, 'Namespace').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  it('finds the RDS master secret by its instance tag and takes only each password property', () => {
    const objs = synth(props);
    const master = find(objs, 'ExternalSecret', 'postgres-bootstrap-master');
    expect(master.spec.secretStoreRef).toEqual({
      kind: 'ClusterSecretStore',
      name: 'postgres-master',
    });
    expect(master.spec.dataFrom).toEqual([
      {
        find: {
          tags: {
            'aws:rds:primaryDBInstanceArn': 'arn:aws:rds:eu-west-1:111111111111:db:agentic-dev',
          },
        },
        rewrite: [{ regexp: { source: '^.*$', target: 'master' } }],
      },
    ]);
    expect(Object.keys(master.spec.target.template.data).sort()).toEqual(['password', 'username']);
    const roles = find(objs, 'ExternalSecret', 'postgres-bootstrap-roles');
    expect(roles.spec.secretStoreRef.name).toBe('platform-secrets');
    expect(roles.spec.data).toEqual([
      {
        secretKey: 'keycloak',
        remoteRef: { key: 'platform/dev/keycloak-db', property: 'password' },
      },
      {
        secretKey: 'langfuse',
        remoteRef: { key: 'platform/dev/langfuse', property: 'postgres-password' },
      },
    ]);
    const script = find(objs, 'ConfigMap').data;
    expect(Object.keys(script).sort()).toEqual(['bootstrap.sh', 'bootstrap.sql']);
    expect(script['bootstrap.sql']).toMatch(/REVOKE ALL ON DATABASE :"role" FROM PUBLIC;/);
  });

  it('takes the sslmode when given', () => {
    const c = find(synth({ ...props, sslMode: 'verify-full' }), 'Job').spec.template.spec
      .containers[0];
    expect(c.env).toContainEqual({ name: 'PGSSLMODE', value: 'verify-full' });
  });

  it.each([
    [{ roles: [] }, /roles is empty/],
    [
      { roles: [{ name: 'Key-Cloak', passwordRemoteKey: 'k', passwordProperty: 'p' }] },
      /role "Key-Cloak" is not a lowercase PostgreSQL identifier/,
    ],
    [{ roles: [props.roles[0]!, props.roles[0]!] }, /role "keycloak" is listed twice/],
    [
      { image: 'docker.io/library/postgres:17.6-alpine' },
      /image "docker.io\/library\/postgres:17.6-alpine" is not pinned by digest/,
    ],
  ] as const)('refuses %j', (over, message) => {
    expect(() => synth({ ...props, ...over })).toThrow(message);
  });
});
