import { Construct } from 'constructs';
import {
  AuthorizationPolicy,
  AuthorizationPolicySpecAction,
} from '../../imports/istio-security.istio.io';

export interface TenantMeshAuthorizationProps {
  readonly namespace: string;
  /** Namespaces whose workloads may call into the tenant (besides the tenant itself). */
  readonly allowedNamespaces: readonly string[];
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
        ],
      },
    });
  }
}
