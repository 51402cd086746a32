import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import {
  ANNOTATIONS,
  ISTIO,
  LABELS,
  RESTRICTED_POD_SECURITY_LABELS,
} from '../../src/model/conventions';

export interface TenantNamespaceProps {
  /** Namespace name. */
  readonly name: string;
  /** Labels identifying the tenant; platform labels are added on top. */
  readonly labels: Readonly<Record<string, string>>;
  /** Name of the tenant's waypoint Gateway (same namespace) that L7 traffic goes through. */
  readonly waypointName: string;
  /**
   * Route segments besides the namespace name that the tenant owns (agent aliases); recorded
   * on the namespace so the route guardrail can check them in CI and in the cluster.
   *
   * @default - none
   */
  readonly routeAliases?: readonly string[];
  /**
   * Enrol the namespace in the Istio ambient mesh.
   *
   * @default true - ztunnel gives every pod mTLS identity; turning it off also drops the
   * mesh authorization policies' effect, so it exists only for break-glass debugging.
   */
  readonly ambient?: boolean;
}

/**
 * The tenant's namespace: Pod Security `restricted` in enforce, audit and warn modes,
 * enrolled in Istio ambient with its waypoint, and admitted to the central gateway's
 * listeners (its routes are platform-owned, see constructs/gitops/tenant-ownership.ts).
 */
export class TenantNamespace extends Construct {
  public readonly name: string;
  public readonly resource: kplus.Namespace;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const ambient = props.ambient ?? true;
    this.name = props.name;
    this.resource = new kplus.Namespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          ...RESTRICTED_POD_SECURITY_LABELS,
          [LABELS.gatewayRoutes]: 'true',
          [ISTIO.dataplaneMode]: ambient ? 'ambient' : 'none',
          ...(ambient ? { [ISTIO.useWaypoint]: props.waypointName } : {}),
        },
        ...(props.routeAliases && props.routeAliases.length > 0
          ? { annotations: { [ANNOTATIONS.routeAliases]: props.routeAliases.join(',') } }
          : {}),
      },
    });
  }
}
