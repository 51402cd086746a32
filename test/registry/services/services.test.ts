import { describe, expect, it } from 'vitest';
import {
  generateKey,
  parseKey,
  secretMatches,
  sha256Hex,
} from '@agentic-platform/agent-registry/services/api-keys';
import { verifyBearer } from '@agentic-platform/agent-registry/services/principal';
import { RateLimiter } from '@agentic-platform/agent-registry/services/rate-limiter';
import { UsageRecorder } from '@agentic-platform/agent-registry/services/usage-recorder';
import type { RegistryStore } from '@agentic-platform/agent-registry/store/registry-store';
import { canonicalJson } from '@agentic-platform/agent-registry/canonical-json';
import { testIssuer } from '../helpers';
import { SignJWT } from 'jose';

/** One usage row's identity; a fresh object each time, since a test checks it is left alone. */
function usageKey() {
  return {
    day: '2026-01-01',
    tenant: 't',
    keyId: 'k',
    targetKind: 'agent' as const,
    target: 'a',
  };
}

describe('registry services', () => {
  it('generates keys whose id parses back and whose hash matches', () => {
    const { id, secret } = generateKey();
    expect(parseKey(secret)).toBe(id);
    expect(secretMatches(secret, sha256Hex(secret))).toBe(true);
    expect(secretMatches(secret + 'x', sha256Hex(secret))).toBe(false);
  });

  it('sorts keys at every level in canonical JSON', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: undefined, e: null })).toBe(
      '{"b":[{"c":2,"d":1}],"e":null}',
    );
  });

  it('refills a rate-limit bucket with time', () => {
    let t = 0;
    const l = new RateLimiter(2, 2, () => t);
    expect([l.take('k'), l.take('k'), l.take('k')]).toEqual([true, true, false]);
    t = 500;
    expect(l.take('k')).toBe(true);
  });

  it('sums usage per day, key and target in one row, leaving the caller’s object alone', async () => {
    const written: unknown[] = [];
    const store = {
      addUsage: async (rows: unknown[]) => void written.push(...rows),
    } as unknown as RegistryStore;
    const u = new UsageRecorder(store, 1000, () => undefined);
    const key = usageKey();
    for (const allowed of [true, true, false, true]) u.record(key, allowed);
    u.record({ ...key, target: 'b' }, false);
    await u.stop();
    expect(written).toEqual([
      { ...key, allowed: 3, denied: 1 },
      { ...key, target: 'b', allowed: 0, denied: 1 },
    ]);
    expect(key).toEqual({
      day: '2026-01-01',
      tenant: 't',
      keyId: 'k',
      targetKind: 'agent',
      target: 'a',
    });
  });

  it('keeps usage counts for the next flush when writing fails', async () => {
    let fail = true;
    const written: unknown[] = [];
    const store = {
      addUsage: async (rows: unknown[]) => {
        if (fail) throw new Error('db down');
        written.push(...rows);
      },
    } as unknown as RegistryStore;
    const u = new UsageRecorder(store, 1000, () => undefined);
    const key = usageKey();
    u.record(key, true);
    await expect(u.flush()).rejects.toThrow(/db down/);
    u.record(key, false);
    fail = false;
    await u.stop();
    expect(written).toEqual([{ ...key, allowed: 1, denied: 1 }]);
  });

  it('rejects a verified token without a subject', async () => {
    const issuer = await testIssuer('https://id.example.com');
    const { privateKey } = await import('jose').then((j) => j.generateKeyPair('RS256'));
    void privateKey;
    const token = await issuer.token({ sub: '' });
    await expect(
      verifyBearer(token, {
        issuer: 'https://id.example.com',
        keySet: issuer.keySet,
        groupsClaim: 'groups',
        adminRole: 'admin',
      }),
    ).rejects.toThrow(/no sub claim/);
    void SignJWT;
  });
});
