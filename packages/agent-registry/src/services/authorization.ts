import type { CatalogIndex } from '../catalog/catalog-index.js';
import { RegistryError } from '../errors.js';
import type { TargetKind } from '../store/registry-store.js';
import { parseKey, scopeAllows, secretMatches } from './api-keys.js';
import type { KeyCache } from './key-cache.js';
import { type Principal } from './principal.js';
import type { RateLimiter } from './rate-limiter.js';
import type { UsageRecorder } from './usage-recorder.js';

export type DenyReason =
  | 'ambiguous_path'
  | 'unknown_route'
  | 'no_credentials'
  | 'malformed_key'
  | 'unknown_key'
  | 'invalid_key'
  | 'revoked'
  | 'expired'
  | 'cross_tenant'
  | 'out_of_scope'
  | 'rate_limited'
  | 'too_many_failures'
  | 'invalid_token'
  | 'not_owner';

export type AuthzDecision =
  | {
      readonly allow: true;
      readonly tenant: string;
      readonly keyId: string;
      readonly kind: TargetKind;
      readonly target: string;
    }
  | {
      readonly allow: false;
      readonly status: 400 | 401 | 403 | 429;
      readonly reason: DenyReason;
    };

export interface AuthzRequest {
  /**
   * The original request path exactly as the gateway sent it, still percent-encoded
   * (agentgateway's `request.path`: the raw URI path, no query, not normalized).
   */
  readonly path: string;
  /** An API key (from `x-api-key`, or an `Authorization: Bearer agr_…` header). */
  readonly apiKey?: string;
  /** A non-key bearer token: an OIDC JWT of a tenant owner. */
  readonly bearer?: string;
  /** The client's address as the gateway saw it; failed attempts are limited per source. */
  readonly source?: string;
}

const ROUTE = /^\/(a2a|mcp|llm)\/([^/]+)\/([^/]+)(?:\/|$)/;
const KIND_OF_PREFIX: Readonly<Record<string, TargetKind>> = {
  a2a: 'agent',
  mcp: 'mcp',
  llm: 'model',
};
const PLAIN_PATH = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9\-._~!$&'()*+,=:@]+)+\/?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Whether `path` means one thing to every component that may read it. The registry decides
 * on the path as sent, but a backend (or a gateway that normalizes before routing) may
 * resolve `..`, decode `%2f` into a separator or treat `\` as one, and so reach a route the
 * check never saw (`/a2a/acme/triage/../../globex/x`). Such paths are refused outright:
 * dot segments (also encoded or with `;` parameters), encoded or literal separators inside a
 * segment, empty segments, double encoding, control characters, undecodable escapes.
 */
export function isUnambiguousPath(path: string): boolean {
  // Nearly every path the gateway sends: non-empty segments of unreserved and sub-delim
  // characters (no `%`, `;`, `\\`, controls: nothing decodes or splits), none `.` or `..`,
  // at most one trailing slash. Anything else takes the full check.
  return PLAIN_PATH.test(path) || isUnambiguousDecoded(path);
}

/** The full check of `isUnambiguousPath`, segment by decoded segment (exported for its test). */
export function isUnambiguousDecoded(path: string): boolean {
  if (!path.startsWith('/') || path.includes('?') || path.includes('#')) return false;
  const segments = path.slice(1).split('/');
  for (const [i, raw] of segments.entries()) {
    if (raw === '') {
      if (i === segments.length - 1 && i > 0) continue; // one trailing slash
      return false;
    }
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return false;
    }
    const beforeParams = s.split(';')[0]!;
    if (beforeParams === '.' || beforeParams === '..') return false;
    if (s.includes('/') || s.includes('\\') || s.includes('%') || CONTROL.test(s)) return false;
  }
  return true;
}

/**
 * The check the gateway runs before routing to a tenant's agent, MCP server or model:
 * which target the path names and whether the credential may call it. Decided from memory
 * (the catalog index and the key cache): no database round trip per request.
 *
 * Order matters for what an attacker can do with a known key id: the secret is verified
 * before anything is charged to the key, so wrong secrets cannot exhaust the real key's
 * rate limit; failed attempts are charged to their source instead; and only a verified key
 * of the target's tenant produces a usage row, so random ids cannot write into a tenant's
 * usage.
 */
export class AuthorizationService {
  constructor(
    private readonly keys: KeyCache,
    private readonly keyLimiter: RateLimiter,
    private readonly failureLimiter: RateLimiter,
    private readonly usage: UsageRecorder,
    private readonly verifyOwner: (token: string) => Promise<Principal>,
    private readonly now: () => Date,
  ) {}

  async check(catalog: CatalogIndex, req: AuthzRequest): Promise<AuthzDecision> {
    if (!isUnambiguousPath(req.path))
      return { allow: false, status: 400, reason: 'ambiguous_path' };
    const m = ROUTE.exec(req.path);
    const kind = KIND_OF_PREFIX[m?.[1] ?? ''] ?? 'agent';
    const routePath = m ? `/${m[1]}/${m[2]}/${m[3]}` : '';
    const target = !m
      ? undefined
      : kind === 'agent'
        ? catalog.agentByPath(routePath)
        : kind === 'mcp'
          ? catalog.mcpServerByPath(routePath)
          : catalog.exposedModelByPath(routePath);
    if (!target) return { allow: false, status: 403, reason: 'unknown_route' };

    const now = this.now();
    const source = req.source ?? 'unknown';
    const day = this.dayOf(now);
    const record = (keyId: string, d: AuthzDecision): AuthzDecision => {
      this.usage.record(
        {
          day,
          tenant: target.tenant,
          keyId,
          targetKind: kind,
          target: target.name,
        },
        d.allow,
      );
      return d;
    };
    const deny = (status: 400 | 401 | 403 | 429, reason: DenyReason): AuthzDecision => ({
      allow: false,
      status,
      reason,
    });
    // A source over its failure budget is refused before any work is done for it.
    const failed = (status: 401 | 403, reason: DenyReason): AuthzDecision =>
      this.failureLimiter.take(source) ? deny(status, reason) : deny(429, 'too_many_failures');
    if (this.failureLimiter.exhausted(source)) return deny(429, 'too_many_failures');

    if (req.apiKey === undefined && req.bearer !== undefined) {
      return this.checkOwner(catalog, req.bearer, target.tenant, failed, (sub, d) =>
        record(sub, d.allow ? { ...d, kind, target: target.name } : d),
      );
    }
    if (req.apiKey === undefined) return deny(401, 'no_credentials');
    const id = parseKey(req.apiKey);
    if (!id) return failed(401, 'malformed_key');
    const key = this.keys.get(id);
    if (!key) return failed(403, 'unknown_key');
    if (!secretMatches(req.apiKey, key.secretHash)) return failed(403, 'invalid_key');
    // From here on the caller holds the key.
    if (key.tenant !== target.tenant) return deny(403, 'cross_tenant');
    if (key.revoked) return record(id, deny(403, 'revoked'));
    if (key.expiresAtMs <= now.getTime()) return record(id, deny(403, 'expired'));
    if (!this.keyLimiter.take(id)) return record(id, deny(429, 'rate_limited'));
    if (!scopeAllows(key.scopes, kind, target.name)) return record(id, deny(403, 'out_of_scope'));
    return record(id, { allow: true, tenant: key.tenant, keyId: id, kind, target: target.name });
  }

  private day = { index: NaN, text: '' };
  /** The UTC day of `now` (YYYY-MM-DD), formatted once a day rather than once a check. */
  private dayOf(now: Date): string {
    const index = Math.floor(now.getTime() / 86_400_000);
    if (index !== this.day.index) this.day = { index, text: now.toISOString().slice(0, 10) };
    return this.day.text;
  }

  /** Owners may call their own tenant's agents with their OIDC token (no key needed). */
  private async checkOwner(
    catalog: CatalogIndex,
    token: string,
    tenant: string,
    failed: (status: 401 | 403, reason: DenyReason) => AuthzDecision,
    record: (keyId: string, d: AuthzDecision) => AuthzDecision,
  ): Promise<AuthzDecision> {
    let principal: Principal;
    try {
      principal = await this.verifyOwner(token);
    } catch (err) {
      if (err instanceof RegistryError) return failed(401, 'invalid_token');
      throw err;
    }
    const owners = new Set(catalog.tenant(tenant).owners.map((g) => g.replace(/^\/+/, '')));
    const owner = principal.admin || principal.groups.some((g) => owners.has(g));
    const keyId = 'oidc';
    return owner
      ? record(keyId, { allow: true, tenant, keyId, kind: 'agent', target: '' })
      : { allow: false, status: 403, reason: 'not_owner' };
  }
}
