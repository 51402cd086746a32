import { Construct } from 'constructs';
import { ClusterIssuer } from '../../imports/cert-manager-clusterissuer-cert-manager.io';

export interface AcmeClusterIssuerProps {
  readonly name: string;
  /** Route 53 hosted zone the DNS-01 challenges are written to. */
  readonly hostedZoneId: string;
  readonly region: string;
  /**
   * ACME directory.
   *
   * @default 'https://acme-v02.api.letsencrypt.org/directory' - Let's Encrypt production
   */
  readonly server?: string;
}

/**
 * Let's Encrypt over DNS-01 in the environment's Route 53 zone. cert-manager authenticates to
 * Route 53 with EKS Pod Identity (no keys in the issuer).
 */
export class AcmeClusterIssuer extends Construct {
  constructor(scope: Construct, id: string, props: AcmeClusterIssuerProps) {
    super(scope, id);
    new ClusterIssuer(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        acme: {
          server: props.server ?? 'https://acme-v02.api.letsencrypt.org/directory',
          privateKeySecretRef: { name: `${props.name}-account-key` },
          solvers: [
            { dns01: { route53: { hostedZoneId: props.hostedZoneId, region: props.region } } },
          ],
        },
      },
    });
  }
}
