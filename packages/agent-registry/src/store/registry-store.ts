/** What a key can be scoped to and usage is counted by: `/a2a`, `/mcp` and `/llm` routes. */
export type TargetKind = 'agent' | 'mcp' | 'model';

/** An API key as stored: never the key itself, only its SHA-256. */
export interface ApiKeyRecord {
  /** Public id, the `agr_<id>_` prefix of the key. */
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly secretHash: string;
  /** `<kind>:<name>` or `<kind>:*` (kind: agent, mcp, model), within the key's tenant. */
  readonly scopes: readonly string[];
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
  readonly revokedBy?: string;
}

export interface UsageIncrement {
  readonly day: string;
  readonly tenant: string;
  readonly keyId: string;
  readonly targetKind: TargetKind;
  readonly target: string;
  readonly allowed: number;
  readonly denied: number;
}

export type UsageRow = UsageIncrement;

/** What an audited mutation says about itself; the store adds seq, time and the chain. */
export interface AuditInput {
  readonly actor: string;
  readonly action: string;
  readonly tenant?: string;
  readonly subject: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditEntry extends AuditInput {
  readonly seq: number;
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * A signed statement "the chain's entry `seq` has hash `hash`", made by the service with a
 * key the database never holds (services/audit-checkpoints.ts).
 */
export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  /** SHA-256 (hex) of the signing public key's SPKI DER. */
  readonly keyId: string;
  /** Ed25519 over the canonical JSON of the other four fields, base64url. */
  readonly signature: string;
}

export interface ServerVersionRecord {
  readonly name: string;
  readonly version: string;
  readonly document: string;
  readonly contentHash: string;
  readonly publishedAt: string;
  readonly updatedAt: string;
}

/**
 * Persistence of the registry: keys, usage, the audit chain, and the MCP server versions
 * seen in catalogs. Every mutation that a person causes takes an `audit` entry and commits
 * both in one transaction, so there is no change without its log line.
 */
export interface RegistryStore {
  createKey(key: ApiKeyRecord, audit: AuditInput): Promise<void>;
  getKey(opts: { id: string }): Promise<ApiKeyRecord | undefined>;
  listKeys(opts: { tenant: string }): Promise<ApiKeyRecord[]>;
  /**
   * Calls `visit` on every key written at or after `since` (every key when undefined), a page
   * at a time: no page outlives its visit, so loading 100,000 keys never holds all their full
   * records at once.
   */
  listKeysChangedSince(since: Date | undefined, visit: (k: ApiKeyRecord) => void): Promise<void>;
  /** Calls `onKey(id)` after each committed key write; `onReconnect` after a lost listener. */
  listenKeyChanges(
    onKey: (id: string) => void,
    onReconnect: () => void,
  ): Promise<() => Promise<void>>;
  /** Marks the key revoked; false when it does not exist in that tenant or is already revoked. */
  revokeKey(
    opts: { tenant: string; id: string; at: string; by: string },
    audit: AuditInput,
  ): Promise<boolean>;
  countKeys(opts: { now: string }): Promise<{ active: number; revoked: number; expired: number }>;
  addUsage(rows: readonly UsageIncrement[]): Promise<void>;
  listUsage(opts: { tenant: string; from: string; to: string }): Promise<UsageRow[]>;
  listAudit(opts: { afterSeq: number; limit: number }): Promise<AuditEntry[]>;
  /** Streams the whole log in order, a page at a time (verification). */
  scanAudit(visit: (entry: AuditEntry) => void, pageSize?: number): Promise<void>;
  /** The newest entry's seq and hash; undefined while the log is empty. */
  auditHead(): Promise<{ seq: number; hash: string } | undefined>;
  addCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;
  /** Every stored checkpoint, by seq. */
  listCheckpoints(): Promise<AuditCheckpoint[]>;
  /** Records the server.json documents of a catalog; keeps earlier versions. */
  syncServerVersions(
    docs: readonly { name: string; version: string; document: string; contentHash: string }[],
    at: string,
  ): Promise<void>;
  listServerVersions(): Promise<ServerVersionRecord[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
