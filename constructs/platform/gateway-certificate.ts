import { Construct } from 'constructs';
import { Certificate } from '../../imports/cert-manager-certificate-cert-manager.io';

export interface GatewayCertificateProps {
  readonly name: string;
  readonly namespace: string;
  /** Secret cert-manager writes; the Gateway listener references it. */
  readonly secretName: string;
  readonly dnsNames: readonly string[];
  /** ClusterIssuer that signs it. */
  readonly clusterIssuer: string;
}

/** The public listener's certificate, issued and renewed by cert-manager. */
export class GatewayCertificate extends Construct {
  constructor(scope: Construct, id: string, props: GatewayCertificateProps) {
    super(scope, id);
    if (props.dnsNames.length === 0) {
      throw new Error(
        `GatewayCertificate ${props.name}: dnsNames is empty; name the listener hostname`,
      );
    }
    new Certificate(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        secretName: props.secretName,
        dnsNames: [...props.dnsNames],
        issuerRef: { kind: 'ClusterIssuer', name: props.clusterIssuer, group: 'cert-manager.io' },
      },
    });
  }
}
