import type { AuditCheckpoint, AuditEntry, RegistryStore } from '../store/registry-store.js';
import { auditHash, GENESIS_HASH } from '../store/sql-registry-store.js';
import type { AuditSigner, CheckpointVerifier } from './audit-signer.js';

export const AUDIT_BREAK_REASONS = [
  'sequence_gap',
  'prev_hash_mismatch',
  'hash_mismatch',
  'checkpoint_mismatch',
  'truncated',
  'bad_checkpoint_signature',
] as const;
export type AuditBreakReason = (typeof AUDIT_BREAK_REASONS)[number];

export type AuditVerification =
  | {
      readonly ok: true;
      readonly entries: number;
      readonly head: string;
      /** The newest signed checkpoint the chain agrees with; 0 when there is none. */
      readonly anchoredSeq: number;
    }
  | {
      readonly ok: false;
      readonly entries: number;
      /** The first entry whose link does not hold (for `truncated`: the first one missing). */
      readonly brokenAt: number;
      readonly reason: AuditBreakReason;
    };

/**
 * Walks the chain from the first entry: each `seq` follows the previous one, each `prevHash`
 * is the previous `hash`, each `hash` recomputes from the row; that catches an edited,
 * inserted, deleted or reordered row unless its editor recomputed every hash after it. What
 * catches the recomputation, and a log cut short, is the signed checkpoints (the stored ones
 * and the `anchors` held outside the database): each must carry a trusted signature, its
 * entry must still have the hash it signed, and no checkpoint may lie beyond the last entry.
 */
export async function verifyAudit(
  store: RegistryStore,
  opts: { verifier: CheckpointVerifier; anchors?: readonly AuditCheckpoint[] },
): Promise<AuditVerification> {
  const checkpoints = [...(await store.listCheckpoints()), ...(opts.anchors ?? [])];
  const expected = new Map<number, string[]>();
  let lastAnchor = 0;
  let badSignature: number | undefined;
  for (const c of checkpoints) {
    if (!opts.verifier.verify(c)) {
      badSignature = Math.min(badSignature ?? c.seq, c.seq);
      continue;
    }
    const list = expected.get(c.seq) ?? [];
    list.push(c.hash);
    expected.set(c.seq, list);
    lastAnchor = Math.max(lastAnchor, c.seq);
  }
  let prevSeq = 0;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let broken: { brokenAt: number; reason: AuditBreakReason } | undefined;
  await store.scanAudit((e) => {
    entries++;
    if (broken) return;
    broken = checkLink(e, prevSeq, prevHash);
    if (!broken && expected.get(e.seq)?.some((h) => h !== e.hash)) {
      broken = { brokenAt: e.seq, reason: 'checkpoint_mismatch' };
    }
    prevSeq = e.seq;
    prevHash = e.hash;
  });
  if (!broken && lastAnchor > prevSeq) broken = { brokenAt: prevSeq + 1, reason: 'truncated' };
  if (!broken && badSignature !== undefined) {
    broken = { brokenAt: badSignature, reason: 'bad_checkpoint_signature' };
  }
  return broken
    ? { ok: false, entries, ...broken }
    : { ok: true, entries, head: prevHash, anchoredSeq: lastAnchor };
}

function checkLink(
  e: AuditEntry,
  prevSeq: number,
  prevHash: string,
): { brokenAt: number; reason: AuditBreakReason } | undefined {
  if (e.seq !== prevSeq + 1) return { brokenAt: prevSeq + 1, reason: 'sequence_gap' };
  if (e.prevHash !== prevHash) return { brokenAt: e.seq, reason: 'prev_hash_mismatch' };
  if (auditHash(e) !== e.hash) return { brokenAt: e.seq, reason: 'hash_mismatch' };
  return undefined;
}

export class AuditChainBrokenError extends Error {
  override readonly name = 'AuditChainBrokenError';
}

/**
 * Anchors the chain's head outside the table, every `intervalMs` when it moved: it checks the
 * entries since the previous checkpoint link onto it (so it never signs a chain rewritten
 * behind it), signs the new head, stores the checkpoint (insert-only, like the log), writes it
 * to the log stream (shipped off the node, out of the database's reach) and keeps it in
 * memory, where `verify` compares against it: a tail cut off together with its stored
 * checkpoints is still caught by every replica that anchored it.
 */
export class AuditCheckpointer {
  private latestCheckpoint: AuditCheckpoint | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<AuditCheckpoint | undefined> | undefined;

  constructor(
    private readonly store: RegistryStore,
    private readonly signer: AuditSigner,
    private readonly opts: {
      readonly intervalMs: number;
      readonly now: () => Date;
      readonly onCheckpoint: (c: AuditCheckpoint) => void;
      readonly onError: (err: unknown) => void;
    },
  ) {}

  /** The newest checkpoint this process signed. */
  get latest(): AuditCheckpoint | undefined {
    return this.latestCheckpoint;
  }

  get verifier(): CheckpointVerifier {
    return this.signer.verifier;
  }

  start(): void {
    this.timer = setInterval(
      () => void this.checkpoint().catch(this.opts.onError),
      this.opts.intervalMs,
    );
    this.timer.unref();
  }

  /** Stops the timer, then anchors the head once more so the last writes are covered. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.checkpoint().catch(this.opts.onError);
  }

  /** Anchors the current head now (when it moved) and returns the newest checkpoint. */
  checkpoint(): Promise<AuditCheckpoint | undefined> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<AuditCheckpoint | undefined> {
    const head = await this.store.auditHead();
    if (!head) return undefined;
    if (this.latestCheckpoint?.seq === head.seq && this.latestCheckpoint.hash === head.hash) {
      return this.latestCheckpoint;
    }
    const from = this.latestCheckpoint ?? (await this.newestTrustedCheckpoint());
    await this.checkIncrement(from, head.seq);
    const c = this.signer.sign(head, this.opts.now());
    await this.store.addCheckpoint(c);
    this.latestCheckpoint = c;
    this.opts.onCheckpoint(c);
    return c;
  }

  private async newestTrustedCheckpoint(): Promise<AuditCheckpoint | undefined> {
    const stored = await this.store.listCheckpoints();
    for (let i = stored.length - 1; i >= 0; i--) {
      if (this.signer.verifier.verify(stored[i]!)) return stored[i];
    }
    return undefined;
  }

  /** The entries after `from` up to `toSeq` must chain onto `from`, or nothing is signed. */
  private async checkIncrement(from: AuditCheckpoint | undefined, toSeq: number): Promise<void> {
    let prevSeq = from?.seq ?? 0;
    let prevHash = from?.hash ?? GENESIS_HASH;
    if (from) {
      const [at] = await this.store.listAudit({ afterSeq: from.seq - 1, limit: 1 });
      if (!at || at.seq !== from.seq || at.hash !== from.hash) {
        throw new AuditChainBrokenError(
          `audit entry ${from.seq} no longer has the hash checkpoint ${from.seq} signed; not signing the head`,
        );
      }
    }
    while (prevSeq < toSeq) {
      const page = await this.store.listAudit({ afterSeq: prevSeq, limit: 1_000 });
      if (page.length === 0) break;
      for (const e of page) {
        if (e.seq > toSeq) return;
        const broken = checkLink(e, prevSeq, prevHash);
        if (broken) {
          throw new AuditChainBrokenError(
            `audit chain broken at ${broken.brokenAt} (${broken.reason}); not signing the head`,
          );
        }
        prevSeq = e.seq;
        prevHash = e.hash;
      }
    }
  }
}
