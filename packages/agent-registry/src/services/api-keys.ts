import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CatalogIndex } from '../catalog/catalog-index.js';
import { ConflictError, InputError, NotFoundError } from '../errors.js';
import type { ApiKeyRecord, RegistryStore, TargetKind } from '../store/registry-store.js';
import { assertCanManage, type Principal } from './principal.js';

/** Every key starts with this, so secret scanners and log redaction can recognise one. */
export const KEY_PREFIX = 'agr_';
const KEY_PATTERN = /^agr_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

// One-shot hashing: no Hash object a call (it runs on every ext-authz check).
export const sha256Hex = (s: string) => hash('sha256', s, 'hex');

/** A new key: the public id and the full secret (returned once, never stored). */
export function generateKey(): { id: string; secret: string } {
  const id = randomBytes(6).toString('hex');
  const secret = `${KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  return { id, secret };
}

/** The public id of a well-formed key, or undefined. */
export function parseKey(secret: string): string | undefined {
  return KEY_PATTERN.exec(secret)?.[1];
}

/** Whether `secret` hashes to the stored hash (hex or raw bytes), in constant time. */
export function secretMatches(secret: string, secretHash: string | Buffer): boolean {
  const a = hash('sha256', secret, 'buffer');
  const b = typeof secretHash === 'string' ? Buffer.from(secretHash, 'hex') : secretHash;
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key as the API shows it: everything but the hash. */
export type PublicKey = Omit<ApiKeyRecord, 'secretHash' | 'scopes'> & {
  readonly prefix: string;
  readonly scopes: string[];
};
export const publicKey = ({ secretHash: _h, ...k }: ApiKeyRecord): PublicKey => ({
  ...k,
  scopes: [...k.scopes],
  prefix: `${KEY_PREFIX}${k.id}_`,
});

export interface CreateKeyInput {
  readonly name: string;
  readonly scopes: readonly string[];
  /** Absolute expiry; `ttlDays` from now when absent. */
  readonly expiresAt?: string;
  readonly ttlDays?: number;
}

const DAY_MS = 86_400_000;

/** Tenant API keys: created by owners or admins, checked by the authorization service. */
export class ApiKeyService {
  constructor(
    private readonly store: RegistryStore,
    private readonly opts: {
      readonly defaultTtlDays: number;
      readonly maxTtlDays: number;
      readonly now: () => Date;
      /** Called after a key was written, before the response (the local key cache). */
      readonly written?: (id: string) => Promise<void>;
    },
  ) {}

  async create(
    principal: Principal,
    catalog: CatalogIndex,
    tenant: string,
    input: CreateKeyInput,
  ): Promise<{ key: PublicKey; secret: string }> {
    const t = catalog.tenant(tenant);
    assertCanManage(principal, t);
    const scopes = [...new Set(input.scopes)].sort();
    const unknown = scopes.filter((s) => !scopeExists(catalog, tenant, s));
    if (unknown.length > 0) {
      throw new InputError(
        `scopes ${unknown.join(', ')} name nothing published by tenant ${tenant}; use agent:<name>, mcp:<name>, model:<name> (exposed models only) or <kind>:*`,
      );
    }
    const now = this.opts.now();
    const expires = input.expiresAt
      ? new Date(input.expiresAt)
      : new Date(now.getTime() + (input.ttlDays ?? this.opts.defaultTtlDays) * DAY_MS);
    if (expires.getTime() <= now.getTime()) {
      throw new InputError(
        `expiresAt ${expires.toISOString()} is in the past; choose a future time`,
      );
    }
    if (expires.getTime() > now.getTime() + this.opts.maxTtlDays * DAY_MS) {
      throw new InputError(
        `expiresAt ${expires.toISOString()} is more than ${this.opts.maxTtlDays} days away; the maximum key lifetime is REGISTRY_KEY_MAX_TTL_DAYS`,
      );
    }
    const { id, secret } = generateKey();
    const record: ApiKeyRecord = {
      id,
      tenant,
      name: input.name,
      secretHash: sha256Hex(secret),
      scopes,
      createdBy: principal.subject,
      createdAt: now.toISOString(),
      expiresAt: expires.toISOString(),
    };
    await this.store.createKey(record, {
      actor: principal.subject,
      action: 'api_key.create',
      tenant,
      subject: id,
      details: { name: record.name, scopes, expiresAt: record.expiresAt },
    });
    await this.opts.written?.(id);
    return { key: publicKey(record), secret };
  }

  async list(principal: Principal, catalog: CatalogIndex, tenant: string): Promise<PublicKey[]> {
    assertCanManage(principal, catalog.tenant(tenant));
    return (await this.store.listKeys({ tenant })).map(publicKey);
  }

  async revoke(
    principal: Principal,
    catalog: CatalogIndex,
    tenant: string,
    id: string,
  ): Promise<PublicKey> {
    assertCanManage(principal, catalog.tenant(tenant));
    const at = this.opts.now().toISOString();
    const done = await this.store.revokeKey(
      { tenant, id, at, by: principal.subject },
      { actor: principal.subject, action: 'api_key.revoke', tenant, subject: id, details: {} },
    );
    if (done) await this.opts.written?.(id);
    const key = await this.store.getKey({ id });
    // A key of another tenant is reported as missing: its existence is not this caller's business.
    if (!key || key.tenant !== tenant)
      throw new NotFoundError(`key ${id} not found in tenant ${tenant}`);
    if (!done) throw new ConflictError(`key ${id} was already revoked at ${key.revokedAt}`);
    return publicKey(key);
  }
}

function scopeExists(catalog: CatalogIndex, tenant: string, scope: string): boolean {
  const m = /^(agent|mcp|model):(.+)$/.exec(scope);
  if (!m) return false;
  const [, kind, name] = m;
  if (name === '*') return true;
  const { agents, mcpServers, models } = catalog.catalog;
  if (kind === 'model')
    return models.some((x) => x.tenant === tenant && x.name === name && x.exposed);
  const list = kind === 'agent' ? agents : mcpServers;
  return list.some((x) => x.tenant === tenant && x.name === name && x.route !== undefined);
}

/** Whether a key's scopes allow calling `target` (a name of the key's tenant). */
export function scopeAllows(scopes: readonly string[], kind: TargetKind, target: string): boolean {
  return scopes.includes(`${kind}:*`) || scopes.includes(`${kind}:${target}`);
}
