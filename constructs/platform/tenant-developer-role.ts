import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';

export interface TenantDeveloperRoleProps {
  /** ClusterRole name (TENANT_DEVELOPER_ROLE); tenant bundles bind it per namespace. */
  readonly name: string;
}

/**
 * What a tenant's developers may do inside their namespace (the role is only ever bound with
 * a RoleBinding there): manage kagent Agents, ModelConfigs and MCP servers, read pods, logs,
 * events and the platform-owned objects that shape their namespace. Namespaced resources
 * only; no secrets, no RBAC, no policy.
 */
export class TenantDeveloperRole extends Construct {
  constructor(scope: Construct, id: string, props: TenantDeveloperRoleProps) {
    super(scope, id);
    const read = ['get', 'list', 'watch'];
    new k8s.KubeClusterRole(this, 'Resource', {
      metadata: { name: props.name },
      rules: [
        {
          apiGroups: ['kagent.dev'],
          resources: ['agents', 'modelconfigs', 'mcpservers', 'remotemcpservers'],
          verbs: [...read, 'create', 'update', 'patch', 'delete'],
        },
        {
          apiGroups: [''],
          resources: ['pods', 'pods/log', 'services', 'events', 'configmaps', 'serviceaccounts'],
          verbs: read,
        },
        { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: read },
        {
          apiGroups: ['gateway.networking.k8s.io'],
          resources: ['httproutes', 'gateways'],
          verbs: read,
        },
        {
          apiGroups: ['agentgateway.dev'],
          resources: ['agentgatewaybackends', 'agentgatewaypolicies'],
          verbs: read,
        },
        { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: read },
        { apiGroups: [''], resources: ['resourcequotas', 'limitranges'], verbs: read },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: read },
      ],
    });
  }
}
