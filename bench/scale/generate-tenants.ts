/**
 * Generated tenants for the scale benchmark and the scale tests, modelled on tenants/*.yaml:
 * mixed tiers (shared, dedicated), 1–3 models (platform key or bring-your-own), 1–3 MCP
 * servers, 1–4 agents with tools, skills and aliases, egress rules and per-environment
 * overrides, every tenant in all three environments. Deterministic: tenant i is always the
 * same spec, so two runs (and the with/without-tenant comparison) see identical inputs.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { EXAMPLE_TENANT_IMAGE_REGISTRIES } from '../../src/model/conventions';

const PROVIDERS = [
  { provider: 'openai', model: 'gpt-4o-2024-08-06' },
  { provider: 'anthropic', model: 'claude-sonnet-4-5' },
  { provider: 'gemini', model: 'gemini-2.5-pro' },
  { provider: 'openai', model: 'gpt-4o-mini-2024-07-18' },
] as const;

/** Name of generated tenant `i`: `t00042`. */
export function generatedTenantName(i: number): string {
  return `t${String(i).padStart(5, '0')}`;
}

/** The spec (as YAML text) of generated tenant `i`. */
export function generatedTenantYaml(i: number, environments: readonly string[]): string {
  const name = generatedTenantName(i);
  const dedicated = i % 7 === 3;
  const models = Array.from({ length: 1 + (i % 3) }, (_, m) => {
    const p = PROVIDERS[(i + m) % PROVIDERS.length]!;
    const byok = (i + m) % 4 === 1;
    return {
      name: `model-${m}`,
      provider: p.provider,
      model: p.model,
      credential: byok
        ? { source: 'external-secret', key: `tenants/${name}/${p.provider}`, property: 'apiKey' }
        : { source: 'platform' },
      expose: m === 0 && i % 5 === 0,
    };
  });
  const servers = Array.from({ length: 1 + ((i >> 1) % 3) }, (_, s) => ({
    name: `tools-${s}`,
    description: `Tool server ${s} of tenant ${i}`,
    // From a registry the environments allow (guardrails.imageRegistries; the examples'), as a
    // platform's tenants publish to its curated registry: an org of their own would fail the
    // images-allowed-registries guardrail in every environment.
    image: `${EXAMPLE_TENANT_IMAGE_REGISTRIES[0]}/${name}-mcp-tools-${s}:1.${s}.${i % 10}`,
    port: 3000 + s,
    tools: ['search', 'get', 'update'].slice(0, 1 + ((i + s) % 3)),
    expose: s === 0 && i % 2 === 0,
  }));
  const agents = Array.from({ length: 1 + ((i >> 2) % 4) }, (_, a) => ({
    name: `agent-${a}`,
    description: `Agent ${a} of tenant ${i}: answers questions with its tools`,
    model: models[a % models.length]!.name,
    systemMessage: `You are agent ${a} of ${name}. Use your tools; cite what you read; never change data you were not asked to change.`,
    tools: [{ server: servers[a % servers.length]!.name }],
    skills:
      a % 2 === 0
        ? [
            {
              id: `skill-${a}`,
              name: `Skill ${a}`,
              description: 'Answers a question with the tenant tools',
              tags: ['generated'],
              examples: [`Ask agent ${a} something`],
            },
          ]
        : [],
    expose: a === 0,
    ...(a === 0 && i % 11 === 0 ? { alias: `alias-${name}` } : {}),
  }));
  const workloads = agents.length + servers.length + 1;
  const spec = {
    name,
    displayName: `Generated tenant ${i}`,
    owners: [`/tenants/${name}/developers`, ...(i % 3 === 0 ? [`/tenants/${name}/leads`] : [])],
    environments: [...environments],
    isolation: dedicated ? 'dedicated' : 'shared',
    // At least what the tenant's own workloads (agents, MCP servers, its waypoint) need at the
    // example environments' container defaults (1 CPU, 1 GiB each), which synth enforces.
    quota: { cpu: workloads + (i % 4), memoryGiB: workloads + 2 * (i % 4) },
    egress:
      i % 4 === 0
        ? [{ cidr: `140.82.${(i >> 4) % 256}.0/24`, description: 'an upstream API the tools call' }]
        : [],
    models,
    mcpServers: servers,
    agents,
    overrides: {
      ...(environments.includes('prod')
        ? { prod: { quota: { cpu: workloads + 2 + (i % 4), pods: 30 } } }
        : {}),
      ...(dedicated && environments.includes('dev') ? { dev: { isolation: 'shared' } } : {}),
    },
  };
  return `# yaml-language-server: $schema=../schemas/spec/tenant.schema.json\n${stringify(spec)}`;
}

export interface ScratchRepo {
  /** Repository root: environments/, policies/, tenants/ (generated), schemas/ (linked). */
  readonly root: string;
  /** Writes (or rewrites) generated tenant `i`. */
  writeTenant(i: number): string;
  /** Removes generated tenant `i`'s spec. */
  removeTenant(i: number): void;
  /** Removes every generated tenant from `count` on. */
  keepFirst(count: number): void;
  dispose(): void;
}

/**
 * A scratch copy of the repository's inputs below the OS temp folder, with `count` generated
 * tenants instead of tenants/*.yaml; never the repository's own tenants/.
 */
export function scratchRepo(repoRoot: string, count: number): ScratchRepo {
  const root = mkdtempSync(path.join(os.tmpdir(), 'agentic-scale-'));
  for (const dir of ['environments', 'policies'])
    cpSync(path.join(repoRoot, dir), path.join(root, dir), { recursive: true });
  symlinkSync(path.join(repoRoot, 'schemas'), path.join(root, 'schemas'), 'dir');
  cpSync(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'));
  mkdirSync(path.join(root, 'tenants'));
  const environments = ['dev', 'staging', 'prod'];
  const writeTenant = (i: number) => {
    const file = path.join(root, 'tenants', `${generatedTenantName(i)}.yaml`);
    writeFileSync(file, generatedTenantYaml(i, environments));
    return file;
  };
  for (let i = 0; i < count; i++) writeTenant(i);
  return {
    root,
    writeTenant,
    removeTenant: (i) =>
      rmSync(path.join(root, 'tenants', `${generatedTenantName(i)}.yaml`), { force: true }),
    keepFirst: (keep) => {
      for (let i = keep; i < count; i++)
        rmSync(path.join(root, 'tenants', `${generatedTenantName(i)}.yaml`), { force: true });
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
