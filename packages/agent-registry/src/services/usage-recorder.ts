import type { RegistryStore, UsageIncrement } from '../store/registry-store.js';

/**
 * Sums authorization outcomes in memory and writes them in one transaction every
 * `flushMs` and at shutdown: one upsert a key and target a second instead of one a request.
 * Counters are telemetry, never acknowledged to a caller; a crash loses at most one interval.
 */
export class UsageRecorder {
  private pending = new Map<string, { -readonly [K in keyof UsageIncrement]: UsageIncrement[K] }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: RegistryStore,
    private readonly flushMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(this.onError), this.flushMs);
    this.timer.unref();
  }

  record(u: Omit<UsageIncrement, 'allowed' | 'denied'>, allowed: boolean): void {
    this.add(u, allowed ? 1 : 0, allowed ? 0 : 1);
  }

  // On every ext-authz decision: counts are bumped in place, nothing is copied.
  private add(u: Omit<UsageIncrement, 'allowed' | 'denied'>, allowed: number, denied: number) {
    const k = `${u.day}|${u.tenant}|${u.keyId}|${u.targetKind}|${u.target}`;
    const cur = this.pending.get(k);
    if (cur) {
      cur.allowed += allowed;
      cur.denied += denied;
    } else {
      const { day, tenant, keyId, targetKind, target } = u;
      this.pending.set(k, { day, tenant, keyId, targetKind, target, allowed, denied });
    }
  }

  /** Writes everything recorded so far; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    const run = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.store.addUsage(batch);
      } catch (err) {
        // Put the counts back so the next flush retries them.
        for (const u of batch) this.add(u, u.allowed, u.denied);
        throw err;
      }
    });
    // The chain itself never rejects, so one failed flush does not fail every later one.
    this.flushing = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
