import type { CatalogIndex } from '../catalog/catalog-index.js';
import { RegistryError } from '../errors.js';
import type { RegistryStore, TargetKind } from '../store/registry-store.js';
import { parseKey, scopeAllows, secretMatches } from './api-keys.js';
import { type Principal } from './principal.js';
import type { RateLimiter } from './rate-limiter.js';
import type { UsageRecorder } from './usage-recorder.js';

export type DenyReason =
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
  | { readonly allow: false; readonly status: 401 | 403 | 429; readonly reason: DenyReason };

export interface AuthzRequest {
  /** The original request path the gateway is about to route, e.g. `/a2a/acme/triage/…`. */
  readonly path: string;
  /** An API key (from `x-api-key`, or an `Authorization: Bearer agr_…` header). */
  readonly apiKey?: string;
  /** A non-key bearer token: an OIDC JWT of a tenant owner. */
  readonly bearer?: string;
}

const ROUTE = /^\/(a2a|mcp|llm)\/([^/?#]+)\/([^/?#]+)(?:[/?#]|$)/;
const KIND_OF_PREFIX: Readonly<Record<string, TargetKind>> = {
  a2a: 'agent',
  mcp: 'mcp',
  llm: 'model',
};

/**
 * The check the gateway runs before routing to a tenant's agent or MCP server: which target
 * the path names, whether the credential may call it, and a usage count either way.
 */
export class AuthorizationService {
  constructor(
    private readonly store: RegistryStore,
    private readonly limiter: RateLimiter,
    private readonly usage: UsageRecorder,
    private readonly verifyOwner: (token: string) => Promise<Principal>,
    private readonly now: () => Date,
  ) {}

  async check(catalog: CatalogIndex, req: AuthzRequest): Promise<AuthzDecision> {
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
    const decide = (keyId: string, d: AuthzDecision): AuthzDecision => {
      this.usage.record(
        {
          day: now.toISOString().slice(0, 10),
          tenant: target.tenant,
          keyId,
          targetKind: kind,
          target: target.name,
        },
        d.allow,
      );
      return d;
    };
    const deny = (keyId: string, status: 401 | 403 | 429, reason: DenyReason) =>
      decide(keyId, { allow: false, status, reason });

    if (req.apiKey === undefined && req.bearer !== undefined) {
      return this.checkOwner(catalog, req.bearer, target.tenant, (sub, d) =>
        decide(sub, d.allow ? { ...d, kind, target: target.name } : d),
      );
    }
    if (req.apiKey === undefined) return deny('-', 401, 'no_credentials');
    const id = parseKey(req.apiKey);
    if (!id) return deny('-', 401, 'malformed_key');
    if (!this.limiter.take(id)) return deny(id, 429, 'rate_limited');
    const key = await this.store.getKey({ id });
    if (!key) return deny(id, 403, 'unknown_key');
    if (!secretMatches(req.apiKey, key.secretHash)) return deny(id, 403, 'invalid_key');
    if (key.revokedAt) return deny(id, 403, 'revoked');
    if (Date.parse(key.expiresAt) <= now.getTime()) return deny(id, 403, 'expired');
    if (key.tenant !== target.tenant) return deny(id, 403, 'cross_tenant');
    if (!scopeAllows(key.scopes, kind, target.name)) return deny(id, 403, 'out_of_scope');
    return decide(id, { allow: true, tenant: key.tenant, keyId: id, kind, target: target.name });
  }

  /** Owners may call their own tenant's agents with their OIDC token (no key needed). */
  private async checkOwner(
    catalog: CatalogIndex,
    token: string,
    tenant: string,
    decide: (keyId: string, d: AuthzDecision) => AuthzDecision,
  ): Promise<AuthzDecision> {
    let principal: Principal;
    try {
      principal = await this.verifyOwner(token);
    } catch (err) {
      if (err instanceof RegistryError) {
        return decide('-', { allow: false, status: 401, reason: 'invalid_token' });
      }
      throw err;
    }
    const owners = new Set(catalog.tenant(tenant).owners.map((g) => g.replace(/^\/+/, '')));
    const owner = principal.admin || principal.groups.some((g) => owners.has(g));
    const keyId = 'oidc';
    return owner
      ? decide(keyId, { allow: true, tenant, keyId, kind: 'agent', target: '' })
      : decide(keyId, { allow: false, status: 403, reason: 'not_owner' });
  }
}
