import { Construct } from 'constructs';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyEncoding,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
} from '../../imports/cert-manager-certificate-cert-manager.io';
import { Issuer } from '../../imports/cert-manager-issuer-cert-manager.io';

export interface RegistryAuditSignerProps {
  readonly namespace: string;
  /** Name of the Issuer, the Certificate and the Secret holding the key. */
  readonly name: string;
}

/**
 * The Ed25519 key the registry signs its audit checkpoints with, made in the cluster by
 * cert-manager (a self-signed Certificate; only its key is used) into a Secret only the
 * registry pods mount: the database never holds it, so its owner cannot sign a rewritten
 * chain. `rotationPolicy: Never` keeps the key across renewals, so checkpoints signed years
 * ago still verify; the certificate (`tls.crt`) is the public half auditors verify with.
 */
export class RegistryAuditSigner extends Construct {
  public readonly secretName: string;
  /** Key of the PKCS#8 private key in `secretName`. */
  public static readonly PRIVATE_KEY = 'tls.key';

  constructor(scope: Construct, id: string, props: RegistryAuditSignerProps) {
    super(scope, id);
    this.secretName = props.name;
    new Issuer(this, 'Issuer', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: { selfSigned: {} },
    });
    new Certificate(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        secretName: props.name,
        commonName: `${props.name}.${props.namespace}`,
        // Not a TLS identity: nothing trusts this certificate for a connection.
        usages: [CertificateSpecUsages.DIGITAL_SIGNATURE],
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ED25519,
          encoding: CertificateSpecPrivateKeyEncoding.PKCS8,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.NEVER,
        },
        issuerRef: { kind: 'Issuer', name: props.name, group: 'cert-manager.io' },
      },
    });
  }
}
