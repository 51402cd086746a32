import { Construct } from 'constructs';
import {
  AuthorizationPolicy,
  AuthorizationPolicySpecAction,
} from '../../imports/istio-security.istio.io';

export interface TenantMeshAuthorizationProps {
  readonly namespace: string;
  /** Namespaces whose workloads may call into the tenant (besides the tenant itself). */
  readonly allowedNamespaces: readonly string[];
  /**
   * Namespaces that may call in on the listed ports only, e.g. kagent on the agents' A2A port.
   *
   * @default - none
   */
  readonly portLimitedCallers?: readonly {
    readonly namespace: string;
    readonly ports: readonly number[];
  }[];
}

/**
 * Namespace-wide ALLOW policy enforced by ztunnel (L4, mTLS identity): only the tenant and
 * the listed platform namespaces can open connections to its workloads. With any ALLOW
 * policy present, everything else is denied.
 */
export class TenantMeshAuthorization extends Construct {
  constructor(scope: Construct, id: string, props: TenantMeshAuthorizationProps) {
    super(scope, id);
    new AuthorizationPolicy(this, 'Resource', {
      metadata: { name: 'tenant-isolation', namespace: props.namespace },
      spec: {
        action: AuthorizationPolicySpecAction.ALLOW,
        rules: [
          { from: [{ source: { namespaces: [props.namespace, ...props.allowedNamespaces] } }] },
          ...(props.portLimitedCallers ?? []).map((c) => ({
            from: [{ source: { namespaces: [c.namespace] } }],
            to: [{ operation: { ports: c.ports.map(String) } }],
          })),
        ],
      },
    });
  }
}
