/**
 * Token buckets per API key, in this replica's memory: `ratePerSecond` sustained, `burst`
 * at once. With N replicas behind the gateway a key gets up to N times the rate; the limit
 * protects the service and its database, not a billing contract.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Whether the key is over its limit now, without taking a token. */
  exhausted(key: string): boolean {
    const b = this.buckets.get(key);
    if (!b) return false;
    return b.tokens + ((this.nowMs() - b.at) / 1000) * this.ratePerSecond < 1;
  }

  /** Takes one token; false when the key is over its limit. */
  take(key: string): boolean {
    const now = this.nowMs();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.ratePerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    // Full buckets carry no information: drop them so the map tracks only busy keys.
    if (this.buckets.size > 100_000) this.prune(now);
    return true;
  }

  private prune(now: number) {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.ratePerSecond >= this.burst)
        this.buckets.delete(k);
    }
  }
}
