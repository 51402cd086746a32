import { z } from 'zod';
import {
  dnsLabel,
  displayName,
  groupName,
  ipv4Cidr,
  partialQuota,
  imageReference,
  policyException,
} from './primitives';

/** Providers the gateway can front with an OpenAI-compatible route. */
export const MODEL_PROVIDERS = ['openai', 'anthropic', 'gemini'] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

const credential = z.discriminatedUnion('source', [
  z.strictObject({
    /** The platform's shared key for this provider, from the platform secret store. */
    source: z.literal('platform'),
  }),
  z.strictObject({
    /** Bring your own key: a Secrets Manager entry under `tenants/<tenant>/`. */
    source: z.literal('external-secret'),
    key: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/, {
      error: 'must be a secret name such as tenants/acme/openai',
    }),
    /** JSON property of the secret holding the key; the whole value when omitted. */
    property: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/)
      .optional(),
  }),
]);

const model = z.strictObject({
  name: dnsLabel,
  provider: z.enum(MODEL_PROVIDERS),
  /** The provider's model id, e.g. `gpt-4o-2024-08-06`. */
  model: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/),
  credential,
  /** Publish `/llm/{ns}/{model}` on the central gateway (agents of the tenant use it either way). */
  expose: z.boolean().default(false),
});

const toolName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'must be an MCP tool name' });

const mcpServer = z.strictObject({
  name: dnsLabel,
  description: z.string().min(1).max(500),
  image: imageReference,
  port: z.int().min(1024).max(65_535).default(3000),
  /** HTTP path the server serves MCP on. */
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9/_.-]*$/)
    .default('/mcp'),
  tools: z.array(toolName).min(1),
  expose: z.boolean().default(false),
});

const skill = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
  name: z.string().min(1).max(100),
  description: z.string().min(1).max(1000),
  tags: z.array(z.string().min(1).max(50)).min(1),
  examples: z.array(z.string().min(1).max(500)).default([]),
});

const agent = z
  .strictObject({
    name: dnsLabel,
    description: z.string().min(1).max(500),
    /** Name of one of this tenant's `models`. */
    model: dnsLabel,
    systemMessage: z.string().min(1).max(32_000),
    tools: z
      .array(
        z.strictObject({
          /** Name of one of this tenant's `mcpServers`. */
          server: dnsLabel,
          /** Tools of that server this agent may call; all of its tools when omitted. */
          tools: z.array(toolName).min(1).optional(),
        }),
      )
      .default([]),
    skills: z.array(skill).default([]),
    /** Publish `/a2a/{ns}/{agent}` on the central gateway. */
    expose: z.boolean().default(false),
    /** Replaces the namespace segment of the route: `/a2a/{alias}/{agent}`. */
    alias: dnsLabel.optional(),
  })
  .refine((a) => a.alias === undefined || a.expose, {
    error: 'alias only applies to an exposed agent; set expose: true or remove alias',
    path: ['alias'],
  });

const egressRule = z.strictObject({
  /** Destination network; HTTPS (TCP 443) only. */
  cidr: ipv4Cidr,
  description: z.string().min(1).max(200),
});

const isolation = z.enum(['shared', 'dedicated']);

/** What an environment may change for a tenant; everything else is the same everywhere. */
const override = z.strictObject({
  isolation: isolation.optional(),
  quota: partialQuota.optional(),
  egress: z.array(egressRule).optional(),
});

/** `tenants/<tenant>.yaml`: one tenant, every environment it runs in. */
export const tenantSpec = z.strictObject({
  name: dnsLabel,
  displayName,
  /** Keycloak groups whose members develop this tenant's agents. */
  owners: z.array(groupName).min(1),
  environments: z.array(dnsLabel).min(1),
  isolation: isolation.default('shared'),
  /** Missing fields take the environment's `tenants.defaultQuota`. */
  quota: partialQuota.default({}),
  egress: z.array(egressRule).default([]),
  models: z.array(model).default([]),
  mcpServers: z.array(mcpServer).default([]),
  agents: z.array(agent).default([]),
  overrides: z.record(dnsLabel, override).default({}),
  /** Time-boxed exemptions from guardrails for this tenant's objects, in every environment. */
  policyExceptions: z.array(policyException).default([]),
});

export type TenantSpec = z.infer<typeof tenantSpec>;
export type TenantInput = z.input<typeof tenantSpec>;
export type ModelSpec = TenantSpec['models'][number];
export type McpServerSpec = TenantSpec['mcpServers'][number];
export type AgentSpec = TenantSpec['agents'][number];
export type EgressSpec = TenantSpec['egress'][number];
export type IsolationTier = z.infer<typeof isolation>;
