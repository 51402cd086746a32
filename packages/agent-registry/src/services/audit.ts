import type { RegistryStore } from '../store/registry-store.js';
import { auditHash, GENESIS_HASH } from '../store/sql-registry-store.js';

export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | {
      readonly ok: false;
      readonly entries: number;
      /** The first entry whose link does not hold. */
      readonly brokenAt: number;
      readonly reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch';
    };

/**
 * Walks the chain from the first entry: each `seq` follows the previous one, each
 * `prevHash` is the previous `hash`, and each `hash` recomputes from the row. An edited,
 * inserted or deleted row breaks one of the three at or right after it.
 */
export async function verifyAudit(store: RegistryStore): Promise<AuditVerification> {
  let prevSeq = 0;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let broken:
    | { brokenAt: number; reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' }
    | undefined;
  await store.scanAudit((e) => {
    entries++;
    if (broken) return;
    if (e.seq !== prevSeq + 1) broken = { brokenAt: prevSeq + 1, reason: 'sequence_gap' };
    else if (e.prevHash !== prevHash) broken = { brokenAt: e.seq, reason: 'prev_hash_mismatch' };
    else if (auditHash(e) !== e.hash) broken = { brokenAt: e.seq, reason: 'hash_mismatch' };
    prevSeq = e.seq;
    prevHash = e.hash;
  });
  return broken ? { ok: false, entries, ...broken } : { ok: true, entries, head: prevHash };
}
