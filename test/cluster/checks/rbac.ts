import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import {
  oidcGroupSubject,
  OIDC_USERNAME_PREFIX,
  tenantManagerGroups,
} from '../../../src/model/identity';
import type { EnvironmentModel, TenantModel } from '../../../src/model/types';
import type { CheckResult } from './result';

/** One request a subject might make: `verb` on `resource` (`group/resource[/subresource]`). */
export interface Access {
  readonly label: string;
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  /** Cluster-scoped: asked without a namespace. */
  readonly cluster?: boolean;
}

/** The requests that matter for tenant isolation, one column of the matrix each. */
export const ACCESSES: readonly Access[] = [
  { label: 'create agents', verb: 'create', group: 'kagent.dev', resource: 'agents' },
  { label: 'delete agents', verb: 'delete', group: 'kagent.dev', resource: 'agents' },
  { label: 'create mcpservers', verb: 'create', group: 'kagent.dev', resource: 'mcpservers' },
  { label: 'update modelconfigs', verb: 'update', group: 'kagent.dev', resource: 'modelconfigs' },
  { label: 'list pods', verb: 'list', group: '', resource: 'pods' },
  { label: 'get pods/log', verb: 'get', group: '', resource: 'pods', subresource: 'log' },
  { label: 'create pods/exec', verb: 'create', group: '', resource: 'pods', subresource: 'exec' },
  { label: 'get secrets', verb: 'get', group: '', resource: 'secrets' },
  { label: 'list secrets', verb: 'list', group: '', resource: 'secrets' },
  { label: 'create serviceaccounts', verb: 'create', group: '', resource: 'serviceaccounts' },
  {
    label: 'create rolebindings',
    verb: 'create',
    group: 'rbac.authorization.k8s.io',
    resource: 'rolebindings',
  },
  { label: 'create deployments', verb: 'create', group: 'apps', resource: 'deployments' },
  {
    label: 'delete networkpolicies',
    verb: 'delete',
    group: 'networking.k8s.io',
    resource: 'networkpolicies',
  },
  { label: 'update resourcequotas', verb: 'update', group: '', resource: 'resourcequotas' },
  { label: 'create namespaces', verb: 'create', group: '', resource: 'namespaces', cluster: true },
  {
    label: 'create clusterrolebindings',
    verb: 'create',
    group: 'rbac.authorization.k8s.io',
    resource: 'clusterrolebindings',
    cluster: true,
  },
  { label: 'list nodes', verb: 'list', group: '', resource: 'nodes', cluster: true },
];

/** Who asks: a tenant's owners (through their groups) or its Argo CD sync identity. */
export interface Subject {
  readonly tenant: string;
  readonly role: 'developer' | 'viewer' | 'gitops-sync';
  readonly user: string;
  readonly groups: readonly string[];
}

/**
 * The promise the platform makes, as data: in its own namespace a developer manages agents,
 * MCP servers and models and reads pods and logs; the sync identity writes agents, MCP servers,
 * models and service accounts. Nothing else anywhere, and nothing in another namespace or at
 * cluster scope.
 */
export function expected(subject: Subject, access: Access, ownNamespace: boolean): boolean {
  if (access.cluster || !ownNamespace) return false;
  const kagentWrite = access.group === 'kagent.dev';
  const readPods =
    access.resource === 'pods' && access.verb !== 'create' && access.subresource !== 'exec';
  // Viewers hold Kubernetes' built-in `view` role: reads, never Secrets, never a write.
  if (subject.role === 'viewer') return readPods;
  if (subject.role === 'developer') {
    return (
      kagentWrite ||
      (access.resource === 'pods' && access.verb !== 'create' && access.subresource !== 'exec')
    );
  }
  return kagentWrite || (access.resource === 'serviceaccounts' && access.verb === 'create');
}

/**
 * Who asks, as the API server sees them: Keycloak groups arrive with the OIDC prefix (the
 * subjects the tenant's RoleBindings name); the sync identity is a ServiceAccount of argocd.
 */
export function subjectsOf(tenant: TenantModel, syncServiceAccount: string): Subject[] {
  const person = (role: 'developer' | 'viewer') => (group: string) => ({
    tenant: tenant.name,
    role,
    user: `${OIDC_USERNAME_PREFIX}member-of${group}`,
    groups: [oidcGroupSubject(group), 'system:authenticated'],
  });
  return [
    ...tenantManagerGroups(tenant.groups).map(person('developer')),
    ...tenant.groups.viewer.map(person('viewer')),
    {
      tenant: tenant.name,
      role: 'gitops-sync' as const,
      user: `system:serviceaccount:argocd:${syncServiceAccount}`,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:argocd', 'system:authenticated'],
    },
  ];
}

/**
 * Asks the API server's authorizer (SubjectAccessReview, RBAC as configured by `dist/`) every
 * subject × namespace × access cell, compares with `expected`, prints the matrix and returns
 * every mismatch naming the subject, namespace, request, expected and observed decision.
 */
export async function rbacMatrix(
  kc: KubeConfig,
  env: EnvironmentModel,
  syncServiceAccount: (tenant: string) => string,
): Promise<CheckResult> {
  const api = kc.makeApiClient(AuthorizationV1Api);
  const namespaces = env.tenants.map((t) => t.namespace);
  const failures: string[] = [];
  const rows: string[] = [];
  let cells = 0;
  const header = ['subject', 'namespace', ...ACCESSES.map((a) => a.label)];
  for (const tenant of env.tenants) {
    for (const subject of subjectsOf(tenant, syncServiceAccount(tenant.name))) {
      for (const ns of namespaces) {
        const marks: string[] = [];
        for (const access of ACCESSES) {
          if (access.cluster && ns !== tenant.namespace) {
            marks.push('');
            continue;
          }
          const review = await api.createSubjectAccessReview({
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SubjectAccessReview',
              spec: {
                user: subject.user,
                groups: [...subject.groups],
                resourceAttributes: {
                  verb: access.verb,
                  group: access.group,
                  resource: access.resource,
                  ...(access.subresource ? { subresource: access.subresource } : {}),
                  ...(access.cluster ? {} : { namespace: ns }),
                },
              },
            },
          });
          cells++;
          const allowed = review.status?.allowed === true;
          const want = expected(subject, access, ns === tenant.namespace);
          marks.push(
            allowed === want ? (allowed ? 'allow' : 'deny') : allowed ? 'ALLOW!' : 'DENY!',
          );
          if (allowed !== want) {
            failures.push(
              `RBAC ${subject.role} of ${subject.tenant} (${subject.user}, group ${subject.groups[0]}) ${access.label} in ${access.cluster ? 'the cluster scope' : `namespace ${ns}`}: expected ${want ? 'allowed' : 'denied'}, observed ${allowed ? `allowed (${review.status?.reason ?? 'no reason given'})` : 'denied'}`,
            );
          }
        }
        rows.push(
          [
            `${subject.tenant}:${subject.role}${subject.role === 'gitops-sync' ? '' : `(${subject.groups[0]})`}`,
            ns,
            ...marks,
          ].join(' | '),
        );
      }
    }
  }
  const table = [header.join(' | '), ...rows].join('\n');
  return { name: 'rbac', cases: cells, failures, report: table };
}
