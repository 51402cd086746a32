import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { AuditCheckpoint } from '../store/registry-store.js';

/** The bytes a checkpoint's signature covers: every field but the signature, canonical JSON. */
function signedBytes(c: Omit<AuditCheckpoint, 'signature'>): Buffer {
  return Buffer.from(canonicalJson({ seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId }), 'utf8');
}

/** SHA-256 (hex) of a public key's SPKI DER: how a checkpoint names the key that signed it. */
export function publicKeyId(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/**
 * Checks checkpoints against the public keys trusted to sign them. It holds no private key,
 * so an auditor's copy (or the verify endpoint) can check checkpoints it could not make.
 */
export class CheckpointVerifier {
  private readonly keys = new Map<string, KeyObject>();

  constructor(publicKeys: readonly KeyObject[]) {
    for (const k of publicKeys) this.keys.set(publicKeyId(k), k);
  }

  /** Public keys in PEM (SPKI) or the certificate cert-manager writes next to the key. */
  static fromPem(pems: readonly string[]): CheckpointVerifier {
    return new CheckpointVerifier(pems.map((p) => createPublicKey(p)));
  }

  /** True when a trusted key signed exactly these fields. */
  verify(c: AuditCheckpoint): boolean {
    const key = this.keys.get(c.keyId);
    if (!key) return false;
    try {
      return verify(null, signedBytes(c), key, Buffer.from(c.signature, 'base64url'));
    } catch {
      return false;
    }
  }
}

/**
 * Signs checkpoints of the audit chain's head with an Ed25519 key that lives outside the
 * database (in the cluster: a cert-manager Secret mounted into the pod only). Whoever can
 * rewrite audit_log can recompute its hashes, but cannot sign the rewritten head.
 */
export class AuditSigner {
  readonly keyId: string;
  readonly publicKey: KeyObject;
  readonly verifier: CheckpointVerifier;

  private constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new Error(
        `the audit signing key must be Ed25519, got ${privateKey.asymmetricKeyType ?? 'a non-asymmetric key'}`,
      );
    }
    this.publicKey = createPublicKey(privateKey);
    this.keyId = publicKeyId(this.publicKey);
    this.verifier = new CheckpointVerifier([this.publicKey]);
  }

  /** A PKCS#8 PEM private key (cert-manager's `tls.key` with `privateKey.algorithm: Ed25519`). */
  static fromPem(pem: string): AuditSigner {
    return new AuditSigner(createPrivateKey(pem));
  }

  /** A key made now, held in memory only: for PGlite and tests, where nothing outlives the process. */
  static ephemeral(): AuditSigner {
    return new AuditSigner(generateKeyPairSync('ed25519').privateKey);
  }

  sign(head: { seq: number; hash: string }, at: Date): AuditCheckpoint {
    const unsigned = { seq: head.seq, hash: head.hash, at: at.toISOString(), keyId: this.keyId };
    return {
      ...unsigned,
      signature: sign(null, signedBytes(unsigned), this.privateKey).toString('base64url'),
    };
  }
}
