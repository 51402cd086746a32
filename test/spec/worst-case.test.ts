import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build';
import { parseSpecs } from '../../src/spec/load';
import { SPEC_LIMITS } from '../../src/spec/source';
import { LIST_LIMITS } from '../../src/spec/tenant';
import { synthesize } from '../../src/synth/synthesize';
import { minimalTenant, withRaw, withSpec } from '../helpers';

/** Kubernetes refuses a ConfigMap over 1 MiB; etcd's request limit is 1.5 MiB. */
const MAX_OBJECT_BYTES = 1024 * 1024;
/** Client-side apply keeps the whole object in one annotation; annotations total 256 KiB. */
const MAX_ANNOTATION_BYTES = 256 * 1024;

const name = 'worst';
/** The largest quota the schema admits, so the quota-fits-workloads rule is not what limits. */
const QUOTA = {
  cpu: 10_000,
  memoryGiB: 100_000,
  pods: 100_000,
  services: 10_000,
  configMaps: 10_000,
  secrets: 10_000,
  persistentVolumeClaims: 10_000,
};
/** The repository's specs, with dev admitting that quota. */
const base = () =>
  withSpec('environments/dev.yaml', (d) => ({
    ...d,
    tenants: { ...(d.tenants as object), maxQuota: QUOTA },
  }));
const tenantFiles = (spec: Record<string, unknown>) =>
  withRaw(`tenants/${name}.yaml`, JSON.stringify({ ...spec, quota: QUOTA }), base());
const tool = (i: number) => `t${String(i).padStart(127, '0')}`.slice(0, 128);
const text = (n: number, seed: string) => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);

/** Grows `build(n)` to the largest n whose parsed data stays within the data limit. */
function largest(build: (n: number) => Record<string, unknown>, max: number) {
  let lo = 1;
  let hi = max;
  const fits = (n: number) =>
    Buffer.byteLength(JSON.stringify(build(n))) <= SPEC_LIMITS.maxDataBytes - 1024;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return build(lo);
}

/** Agents granted every tool of one server of the longest tool names, `grants` in all. */
function toolGrants(grants: number) {
  const perAgent = LIST_LIMITS.tools;
  return minimalTenant(name, {
    models: [
      { name: 'm', provider: 'openai', model: 'gpt-4o', credential: { source: 'platform' } },
    ],
    mcpServers: [
      {
        name: 's',
        description: 'd',
        image: 'ghcr.io/acme-corp/x:1.0.0',
        tools: Array.from({ length: perAgent }, (_, i) => tool(i)),
      },
    ],
    agents: Array.from({ length: Math.ceil(grants / perAgent) }, (_, a) => ({
      name: `a${a}`,
      description: 'd',
      model: 'm',
      systemMessage: 's',
      tools: [{ server: 's' }],
      expose: true,
    })),
  });
}

/**
 * Tenants that push one dimension each to what the schema and the data limit allow. Each
 * must pass the specs, synthesize without a construct error, and yield objects inside
 * Kubernetes' size limits: together they show that no construct-level size error is
 * reachable from a spec that passes.
 */
const shapes: Record<string, () => Record<string, unknown>> = {
  'the most tool grants, with the longest tool names': () => toolGrants(LIST_LIMITS.toolGrants),
  'the longest system messages': () =>
    largest(
      (n) =>
        minimalTenant(name, {
          models: [
            { name: 'm', provider: 'openai', model: 'gpt-4o', credential: { source: 'platform' } },
          ],
          agents: Array.from({ length: n }, (_, a) => ({
            name: `a${a}`,
            description: text(500, 'd'),
            model: 'm',
            systemMessage: text(32_000, 'You help. "quoted" \\ and \t tabs. '),
            expose: true,
          })),
        }),
      LIST_LIMITS.agents,
    ),
  'the most skills and examples': () =>
    largest(
      (n) =>
        minimalTenant(name, {
          models: [
            { name: 'm', provider: 'openai', model: 'gpt-4o', credential: { source: 'platform' } },
          ],
          // n skills in all, as many agents as that takes.
          agents: Array.from({ length: Math.ceil(n / LIST_LIMITS.skills) }, (_, a) => ({
            name: `a${a}`,
            description: 'd',
            model: 'm',
            systemMessage: 's',
            skills: Array.from(
              { length: Math.min(LIST_LIMITS.skills, n - a * LIST_LIMITS.skills) },
              (_, k) => ({
                id: `k${k}`,
                name: text(100, 'n'),
                description: text(1000, '"'),
                tags: Array.from({ length: LIST_LIMITS.tags }, (_, g) => `${g}${text(48, 't')}`),
                examples: Array.from({ length: LIST_LIMITS.examples }, () => text(500, '<>&"')),
              }),
            ),
            expose: true,
          })),
        }),
      LIST_LIMITS.agents * LIST_LIMITS.skills,
    ),
  'the most owners, egress rules, models and servers': () =>
    minimalTenant(name, {
      owners: Array.from(
        { length: LIST_LIMITS.owners },
        (_, i) => `/tenants/${name}/${text(200, 'g')}${i}`,
      ),
      egress: Array.from({ length: LIST_LIMITS.egress }, (_, i) => ({
        cidr: `203.0.${i}.0/24`,
        description: text(200, 'e'),
      })),
      models: Array.from({ length: LIST_LIMITS.models }, (_, i) => ({
        name: `m${i}`,
        provider: 'openai',
        model: text(200, 'x'),
        credential: { source: 'platform' },
        expose: true,
      })),
      mcpServers: Array.from({ length: LIST_LIMITS.mcpServers }, (_, s) => ({
        name: `s${s}`,
        description: text(500, 'd'),
        image: 'ghcr.io/acme-corp/x:1.0.0',
        tools: Array.from({ length: 20 }, (_, i) => tool(i)),
        expose: true,
      })),
    }),
};

describe('the largest specs that pass stay inside Kubernetes object limits', () => {
  it.each(Object.entries(shapes))('%s', (_, shape) => {
    const spec = shape();
    // JSON is YAML with the least syntax per byte of data: the most data a file can carry.
    const files = tenantFiles(spec);
    const out = synthesize(buildModel(parseSpecs(files)));
    let largestFile = 0;
    for (const [file, body] of out) {
      if (!file.includes(`/${name}/`) && !file.includes('registry')) continue;
      const bytes = Buffer.byteLength(body);
      largestFile = Math.max(largestFile, bytes);
      expect(bytes, file).toBeLessThan(MAX_OBJECT_BYTES);
      const annotations = /^\s+annotations:\n((?:\s{4,}.*\n)*)/m.exec(body)?.[1] ?? '';
      expect(Buffer.byteLength(annotations), file).toBeLessThan(MAX_ANNOTATION_BYTES);
    }
    expect(largestFile).toBeGreaterThan(0);
  });

  it('refuses tool grants past the limit, at agents', () => {
    const spec = toolGrants(LIST_LIMITS.toolGrants + 1);
    expect(() => parseSpecs(tenantFiles(spec))).toThrow(
      /tenants\/worst\.yaml:\d+ agents: grant 2200 tools in all .*at most 2000/,
    );
  });

  it('refuses a tenant one step past the limit', () => {
    const spec = shapes['the longest system messages']!();
    const agents = spec.agents as Record<string, unknown>[];
    agents.push({ ...agents[0]!, name: 'one-more' });
    expect(() => parseSpecs(tenantFiles(spec))).toThrow(
      /tenants\/worst\.yaml: file is \d+ bytes; the limit is 262144 bytes/,
    );
  });

  it('refuses aliases that expand a small file past the data limit', () => {
    const lines = [
      `name: ${name}`,
      'displayName: Worst',
      `owners: [/tenants/${name}/developers]`,
      'environments: [dev]',
      'models: [{ name: m, provider: openai, model: gpt-4o, credential: { source: platform } }]',
      'agents:',
      ...Array.from({ length: 12 }, (_, i) =>
        i === 0
          ? `  - { name: a0, description: d, model: m, systemMessage: &m "${text(30_000, 'x')}" }`
          : `  - { name: a${i}, description: d, model: m, systemMessage: *m }`,
      ),
    ];
    expect(() => parseSpecs(withRaw(`tenants/${name}.yaml`, lines.join('\n')))).toThrow(
      /tenants\/worst\.yaml: expands to \d+ bytes of data \(aliases included\); the limit is 262144/,
    );
  });
});
