import { z } from 'zod';
import {
  boundedList,
  boundedRecord,
  dnsLabel,
  displayName,
  groupName,
  ipv4Cidr,
  partialQuota,
  imageReference,
  policyException,
} from './primitives';

/**
 * Upper bounds of every list in a tenant spec. Far above what a tenant needs (the examples
 * use one or two of each); low enough that the largest object a passing spec derives stays
 * well inside Kubernetes' limits (test/spec/worst-case.test.ts synthesizes that spec).
 */
export const LIST_LIMITS = {
  owners: 20,
  environments: 20,
  egress: 50,
  models: 50,
  mcpServers: 50,
  agents: 100,
  tools: 200,
  skills: 20,
  tags: 20,
  examples: 20,
  policyExceptions: 50,
  /**
   * Tools granted across all agents (an agent counts every tool it may call: all of a
   * server's tools when its reference lists none). Each grant is written into the agent and
   * the registry catalog, so this bounds them, not the lists above alone.
   */
  toolGrants: 2000,
} as const;

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
    key: z
      .string()
      .max(512)
      .regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/, {
        error: 'must be a secret name such as tenants/acme/openai',
      }),
    /** JSON property of the secret holding the key; the whole value when omitted. */
    property: z
      .string()
      .max(256)
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
  .max(128)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'must be an MCP tool name' });

const mcpServer = z.strictObject({
  name: dnsLabel,
  description: z.string().min(1).max(500),
  image: imageReference,
  port: z.int().min(1024).max(65_535).default(3000),
  /** HTTP path the server serves MCP on. */
  path: z
    .string()
    .max(256)
    .regex(/^\/[A-Za-z0-9/_.-]*$/)
    .default('/mcp'),
  tools: boundedList(toolName, LIST_LIMITS.tools, 'tools').min(1),
  expose: z.boolean().default(false),
});

const skill = z.strictObject({
  id: z
    .string()
    .max(63)
    .regex(/^[a-z0-9][a-z0-9_-]*$/),
  name: z.string().min(1).max(100),
  description: z.string().min(1).max(1000),
  tags: boundedList(z.string().min(1).max(50), LIST_LIMITS.tags, 'tags').min(1),
  examples: boundedList(z.string().min(1).max(500), LIST_LIMITS.examples, 'examples').default([]),
});

const agent = z
  .strictObject({
    name: dnsLabel,
    description: z.string().min(1).max(500),
    /** Name of one of this tenant's `models`. */
    model: dnsLabel,
    systemMessage: z.string().min(1).max(32_000),
    tools: boundedList(
      z.strictObject({
        /** Name of one of this tenant's `mcpServers`. */
        server: dnsLabel,
        /** Tools of that server this agent may call; all of its tools when omitted. */
        tools: boundedList(toolName, LIST_LIMITS.tools, 'tools').min(1).optional(),
      }),
      LIST_LIMITS.mcpServers,
      'tool references',
    ).default([]),
    skills: boundedList(skill, LIST_LIMITS.skills, 'skills').default([]),
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
  egress: boundedList(egressRule, LIST_LIMITS.egress, 'egress rules').optional(),
});

/** `tenants/<tenant>.yaml`: one tenant, every environment it runs in. */
export const tenantSpec = z.strictObject({
  name: dnsLabel,
  displayName,
  /** Keycloak groups whose members develop this tenant's agents. */
  owners: boundedList(groupName, LIST_LIMITS.owners, 'owner groups').min(1),
  environments: boundedList(dnsLabel, LIST_LIMITS.environments, 'environments').min(1),
  isolation: isolation.default('shared'),
  /** Missing fields take the environment's `tenants.defaultQuota`. */
  quota: partialQuota.default({}),
  egress: boundedList(egressRule, LIST_LIMITS.egress, 'egress rules').default([]),
  models: boundedList(model, LIST_LIMITS.models, 'models').default([]),
  mcpServers: boundedList(mcpServer, LIST_LIMITS.mcpServers, 'MCP servers').default([]),
  agents: boundedList(agent, LIST_LIMITS.agents, 'agents').default([]),
  /** Keys are environment names of `environments`. */
  overrides: boundedRecord(dnsLabel, override, LIST_LIMITS.environments, 'overrides').default({}),
  /** Time-boxed exemptions from guardrails for this tenant's objects, in every environment. */
  policyExceptions: boundedList(
    policyException,
    LIST_LIMITS.policyExceptions,
    'policy exceptions',
  ).default([]),
});

export type TenantSpec = z.infer<typeof tenantSpec>;
export type TenantInput = z.input<typeof tenantSpec>;
export type ModelSpec = TenantSpec['models'][number];
export type McpServerSpec = TenantSpec['mcpServers'][number];
export type AgentSpec = TenantSpec['agents'][number];
export type EgressSpec = TenantSpec['egress'][number];
export type IsolationTier = z.infer<typeof isolation>;
