import { z } from 'zod';
import {
  catalogAgentSchema,
  catalogMcpServerSchema,
  catalogModelSchema,
  catalogTenantSchema,
} from '../catalog/schema.js';

export const errorSchema = z
  .object({ error: z.string(), message: z.string() })
  .meta({ id: 'Error', description: 'Every 4xx/5xx response' });

export const listQuery = z.strictObject({
  tenant: z.string().min(1).max(63).optional().describe('Only entries of this tenant'),
  q: z.string().min(1).max(200).optional().describe('Case-insensitive text search'),
  cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

const page = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() }).meta({ id });

export const tenantPage = page(catalogTenantSchema, 'TenantPage');
export const agentPage = page(catalogAgentSchema, 'AgentPage');
export const mcpServerPage = page(catalogMcpServerSchema, 'McpServerPage');
export const modelPage = page(catalogModelSchema, 'ModelPage');

export const publicKeySchema = z
  .object({
    id: z.string(),
    prefix: z.string().describe('Public start of the key, to recognise it'),
    tenant: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    revokedAt: z.string().optional(),
    revokedBy: z.string().optional(),
  })
  .meta({ id: 'ApiKey' });

export const createKeyBody = z.strictObject({
  name: z.string().min(1).max(100),
  scopes: z
    .array(z.string().regex(/^(agent|mcp|model):([a-z0-9]([-a-z0-9]*[a-z0-9])?|\*)$/))
    .min(1)
    .max(100)
    .describe(
      'agent:<name>, mcp:<name> or model:<name> (an exposed model), or <kind>:*, of this tenant',
    ),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  ttlDays: z.number().int().min(1).max(3650).optional(),
});

export const createdKeySchema = z
  .object({
    key: publicKeySchema,
    secret: z.string().describe('The API key. Shown once: it is stored only as a SHA-256 hash.'),
  })
  .meta({ id: 'CreatedApiKey' });

export const usageQuery = z.strictObject({
  from: z.iso.date().describe('First day, UTC (YYYY-MM-DD)'),
  to: z.iso.date().describe('Last day, UTC (YYYY-MM-DD)'),
});

export const usageSchema = z
  .object({
    tenant: z.string(),
    rows: z.array(
      z.object({
        day: z.string(),
        keyId: z.string(),
        targetKind: z.enum(['agent', 'mcp', 'model']),
        target: z.string(),
        allowed: z.number().int(),
        denied: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'Usage' });

export const auditEntrySchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    tenant: z.string().optional(),
    subject: z.string(),
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });

export const auditCheckpointSchema = z
  .strictObject({
    seq: z.number().int().min(1),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.string().max(40),
    keyId: z.string().regex(/^[0-9a-f]{64}$/),
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
  })
  .meta({
    id: 'AuditCheckpoint',
    description:
      'Signed statement that audit entry `seq` has hash `hash` (Ed25519 over the canonical JSON of seq, hash, at, keyId)',
  });

export const tenantParams = z.strictObject({ tenant: z.string().min(1).max(63) });
export const entryParams = z.strictObject({
  tenant: z.string().min(1).max(63),
  name: z.string().min(1).max(63),
});

export const bearerSecurity = [{ bearer: [] }];
