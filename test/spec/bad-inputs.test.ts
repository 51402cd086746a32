import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build';
import { parseSpecs } from '../../src/spec/load';
import { SpecError, type SpecIssue } from '../../src/spec/errors';
import { minimalTenant, ROOT, withRaw, withSpec } from '../helpers';
import type { SourceFile } from '../../src/spec/source';
import { CREDENTIALS, plantInSystemMessage } from './credential-samples';

function issuesOf(files: SourceFile[]): SpecIssue[] {
  try {
    buildModel(parseSpecs(files));
  } catch (err) {
    if (err instanceof SpecError) return [...err.issues];
    throw err;
  }
  throw new Error('expected the specs to be refused');
}

const T = 'tenants/acme.yaml';
const ACME = readFileSync(path.join(ROOT, T), 'utf8');
const GITHUB = CREDENTIALS.find((c) => c.messageId === 'GITHUB_TOKEN')!.value;
const platformModel = (name: string) => ({
  name,
  provider: 'openai',
  model: 'gpt-4o',
  credential: { source: 'platform' },
});
const DEV = 'environments/dev.yaml';
const DEV_RAW = readFileSync(path.join(ROOT, DEV), 'utf8');
/** environments/dev.yaml with `line` planted under guardrails.imageRegistries. */
const plantRegistry = (line: string) =>
  DEV_RAW.replace(/^guardrails:\n/m, `guardrails:\n  imageRegistries:\n    ${line}\n`);
/** Line of the planted entry: two below `guardrails:`. */
const REGISTRY_LINE = DEV_RAW.split('\n').indexOf('guardrails:') + 3;
const setAgent = (patch: Record<string, unknown>) => (d: Record<string, unknown>) => {
  const agents = d.agents as Record<string, unknown>[];
  agents[0] = { ...agents[0], ...patch };
  return d;
};

// Each row: a bad input, the file and field the error must name, and what it must say.
const rows: {
  name: string;
  files: () => SourceFile[];
  file: string;
  path: string;
  message: RegExp;
  /** Line (and column) the issue must carry, where the input has one. */
  line?: number;
  column?: number;
}[] = [
  {
    name: 'an unknown field (typo)',
    files: () => withSpec(T, (d) => ({ ...d, quotaa: {} })),
    file: T,
    path: 'quotaa',
    message: /unknown field "quotaa"/,
  },
  {
    name: 'an inline API key field',
    files: () =>
      withSpec(T, (d) => {
        (d.models as Record<string, unknown>[])[0]!.apiKey = 'x';
        return d;
      }),
    file: T,
    path: 'models[0].apiKey',
    message: /unknown field "apiKey"/,
  },
  // One row per credential family of secretlint's recommended preset, pasted into a free
  // text field (a block scalar) of the example tenant: file, line, column and field named.
  ...CREDENTIALS.map((c) => ({
    name: `${c.family} in a free-text field`,
    files: () => withRaw(T, plantInSystemMessage(ACME, c).content),
    file: T,
    path: 'agents[0].systemMessage',
    message: new RegExp(
      `^is a credential \\(secretlint ${c.rule}: ${c.messageId}\\); never put credentials in a spec`,
    ),
    line: plantInSystemMessage(ACME, c).line,
    column: plantInSystemMessage(ACME, c).column,
  })),
  {
    name: "a credential in an environment's free-form Helm values",
    files: () =>
      withSpec('environments/dev.yaml', (d) => {
        (d.addons as { values: Record<string, unknown> }).values['langfuse'] = {
          langfuse: { salt: { value: CREDENTIALS.find((c) => c.rule === 'stripe')!.value } },
        };
        return d;
      }),
    file: 'environments/dev.yaml',
    path: 'addons.values.langfuse.langfuse.salt.value',
    message: /^is a credential \(secretlint stripe: STRIPE_SECRET_KEY_LIVE\)/,
  },
  {
    name: 'a credential in a comment',
    files: () => withRaw(T, ACME.replace('isolation: shared', `isolation: shared # ${GITHUB}`)),
    file: T,
    path: '',
    message: /^holds a credential \(secretlint github: GITHUB_TOKEN\)/,
    line: 7,
    column: 21,
  },
  {
    name: 'a credential in a comment line of its own',
    files: () =>
      withRaw(T, ACME.replace('isolation: shared', `# token ${GITHUB}\nisolation: shared`)),
    file: T,
    path: '',
    message: /^holds a credential \(secretlint github: GITHUB_TOKEN\)/,
    line: 7,
    column: 9,
  },
  {
    name: 'a credential hidden by a YAML escape sequence',
    files: () =>
      withRaw(
        T,
        ACME.replace(
          'displayName: ACME Customer Support',
          `displayName: "\\x${GITHUB.charCodeAt(0).toString(16)}${GITHUB.slice(1)}"`,
        ),
      ),
    file: T,
    path: 'displayName',
    message: /^is a credential \(secretlint github: GITHUB_TOKEN\)/,
    line: 3,
    column: 14,
  },
  {
    name: 'a credential after a secretlint-disable comment (spec authors cannot silence the scan)',
    files: () =>
      withRaw(
        T,
        ACME.replace('isolation: shared', `# secretlint-disable\nisolation: shared # ${GITHUB}`),
      ),
    file: T,
    path: '',
    message: /^holds a credential \(secretlint github: GITHUB_TOKEN\)/,
  },
  {
    name: 'a credential in a field the schema refuses (a typo)',
    files: () => withSpec(T, (d) => ({ ...d, apiKeyy: GITHUB })),
    file: T,
    path: 'apiKeyy',
    message: /^is a credential \(secretlint github: GITHUB_TOKEN\)/,
  },
  {
    name: 'a file name that is not the tenant name',
    files: () => withSpec('tenants/other.yaml', () => minimalTenant('someone')),
    file: 'tenants/other.yaml',
    path: 'name',
    message: /file name must be the tenant name/,
  },
  {
    name: 'a reserved platform namespace',
    files: () => withSpec('tenants/kagent.yaml', () => minimalTenant('kagent')),
    file: 'tenants/kagent.yaml',
    path: 'name',
    message: /platform namespace/,
  },
  {
    name: 'a kube- prefixed name',
    files: () => withSpec('tenants/kube-ops.yaml', () => minimalTenant('kube-ops')),
    file: 'tenants/kube-ops.yaml',
    path: 'name',
    message: /"kube-" are reserved/,
  },
  {
    name: 'a name that is not DNS-1123',
    files: () => withSpec('tenants/Bad_Name.yaml', () => minimalTenant('Bad_Name')),
    file: 'tenants/Bad_Name.yaml',
    path: 'name',
    message: /DNS-1123/,
  },
  {
    name: 'a name longer than 63 characters',
    files: () => withSpec(`tenants/${'a'.repeat(64)}.yaml`, () => minimalTenant('a'.repeat(64))),
    file: `tenants/${'a'.repeat(64)}.yaml`,
    path: 'name',
    message: /at most 63/,
  },
  {
    name: 'an unknown environment',
    files: () => withSpec(T, (d) => ({ ...d, environments: ['dev', 'qa'] })),
    file: T,
    path: 'environments[1]',
    message: /unknown environment "qa"; expected one of: dev, prod, staging/,
  },
  {
    name: 'an override for an environment the tenant is not in',
    files: () =>
      withSpec(T, (d) => ({
        ...d,
        environments: ['dev'],
        overrides: { prod: { isolation: 'dedicated' } },
      })),
    file: T,
    path: 'overrides.prod',
    message: /not in environments/,
  },
  {
    name: 'an agent referencing a missing model',
    files: () => withSpec(T, setAgent({ model: 'gpt-5' })),
    file: T,
    path: 'agents[0].model',
    message: /unknown model "gpt-5"; expected one of this tenant's models: gpt-4o/,
  },
  {
    name: 'an agent referencing a missing MCP server',
    files: () => withSpec(T, setAgent({ tools: [{ server: 'jira' }] })),
    file: T,
    path: 'agents[0].tools[0].server',
    message: /unknown MCP server "jira"/,
  },
  {
    name: 'an agent asking for a tool the server lacks',
    files: () =>
      withSpec(T, setAgent({ tools: [{ server: 'github-tools', tools: ['delete_repo'] }] })),
    file: T,
    path: 'agents[0].tools[0].tools[0]',
    message: /has no tool "delete_repo"/,
  },
  {
    name: 'an alias without expose',
    files: () => withSpec(T, setAgent({ expose: false, alias: 'support' })),
    file: T,
    path: 'agents[0].alias',
    message: /only applies to an exposed agent/,
  },
  {
    name: 'an alias already owned by another tenant',
    files: () => withSpec(T, setAgent({ alias: 'research' })),
    file: 'tenants/globex.yaml',
    path: 'agents[0].alias',
    message: /"research" is already an alias of tenant "acme"/,
  },
  {
    name: 'an alias equal to another tenant name',
    files: () => withSpec(T, setAgent({ alias: 'globex' })),
    file: T,
    path: 'agents[0].alias',
    message: /is the name of tenant "globex"/,
  },
  {
    name: 'a malformed image reference',
    files: () =>
      withSpec(T, (d) => {
        (d.mcpServers as Record<string, unknown>[])[0]!.image = 'GHCR.io/Acme/x:1.0 ';
        return d;
      }),
    file: T,
    path: 'mcpServers[0].image',
    message:
      /must be an image reference such as ghcr.io\/org\/server:1.2.3, got "GHCR.io\/Acme\/x:1.0 "/,
  },
  {
    name: 'a BYOK key outside the tenant prefix',
    files: () =>
      withSpec(T, (d) => {
        (d.models as Record<string, unknown>[])[0]!.credential = {
          source: 'external-secret',
          key: 'tenants/globex/anthropic',
        };
        return d;
      }),
    file: T,
    path: 'models[0].credential.key',
    message: /must live under tenants\/acme\//,
  },
  {
    name: 'an unknown credential source',
    files: () =>
      withSpec(T, (d) => {
        (d.models as Record<string, unknown>[])[0]!.credential = { source: 'inline', value: 'x' };
        return d;
      }),
    file: T,
    path: 'models[0].credential.source',
    message: /./,
  },
  {
    name: 'a quota above the environment maximum',
    files: () => withSpec(T, (d) => ({ ...d, quota: { cpu: 17 } })),
    file: T,
    path: 'quota.cpu',
    message: /17 exceeds the environment maximum tenants\.maxQuota\.cpu = 16/,
  },
  {
    name: 'an override quota above the maximum',
    files: () => withSpec(T, (d) => ({ ...d, overrides: { prod: { quota: { pods: 500 } } } })),
    file: T,
    path: 'overrides.prod.quota.pods',
    message: /500 exceeds .* = 200 .*environment prod/,
  },
  {
    name: 'a CIDR with host bits',
    files: () =>
      withSpec(T, (d) => ({ ...d, egress: [{ cidr: '10.0.0.1/16', description: 'x' }] })),
    file: T,
    path: 'egress[0].cidr',
    message: /did you mean 10\.0\.0\.0\/16/,
  },
  {
    name: 'the cloud metadata address as egress',
    files: () =>
      withSpec(T, (d) => ({ ...d, egress: [{ cidr: '169.254.169.254/32', description: 'x' }] })),
    file: T,
    path: 'egress[0].cidr',
    message: /metadata endpoint/,
  },
  {
    name: 'duplicate agent names',
    files: () =>
      withSpec(T, (d) => ({
        ...d,
        agents: [...(d.agents as unknown[]), (d.agents as unknown[])[0]],
      })),
    file: T,
    path: 'agents[1].name',
    message: /used twice/,
  },
  {
    name: 'an agent named like an MCP server',
    files: () => withSpec(T, setAgent({ name: 'github-tools' })),
    file: T,
    path: 'agents[0].name',
    message: /also an MCP server name/,
  },
  {
    name: 'a derived name longer than 63 characters',
    files: () => withSpec(T, setAgent({ name: 'x'.repeat(60) })),
    file: T,
    path: 'agents[0].name',
    message: /derives the name "agent-x+" \(66 characters\)/,
  },
  {
    name: 'a missing required field',
    files: () =>
      withSpec(T, (d) => {
        delete d.owners;
        return d;
      }),
    file: T,
    path: 'owners',
    message: /expected array/,
  },
  {
    name: 'an environment whose file name differs',
    files: () =>
      withSpec('environments/qa.yaml', (d) => d, [...withSpec('environments/qa.yaml', () => ({}))]),
    file: 'environments/qa.yaml',
    path: 'name',
    message: /./,
  },
  {
    name: 'an environment default quota above its maximum',
    files: () =>
      withSpec('environments/dev.yaml', (d) => {
        (d.tenants as { defaultQuota: { pods: number } }).defaultQuota.pods = 999;
        return d;
      }),
    file: 'environments/dev.yaml',
    path: 'tenants.defaultQuota.pods',
    message: /exceeds tenants\.maxQuota\.pods/,
  },
  {
    name: 'an admin that is not an IAM role ARN',
    files: () =>
      withSpec('environments/dev.yaml', (d) => {
        (d.aws as { adminRoleArns: string[] }).adminRoleArns = [
          'arn:aws:iam::111111111111:user/bob',
        ];
        return d;
      }),
    file: 'environments/dev.yaml',
    path: 'aws.adminRoleArns[0]',
    message: /must be an IAM role ARN/,
  },
  {
    name: 'a gitops revision of HEAD',
    files: () =>
      withSpec('environments/dev.yaml', (d) => {
        (d.gitops as { targetRevision: string }).targetRevision = 'HEAD';
        return d;
      }),
    file: 'environments/dev.yaml',
    path: 'gitops.targetRevision',
    message: /HEAD/,
  },
  {
    name: 'a zone outside the region',
    files: () =>
      withSpec('environments/dev.yaml', (d) => {
        (d.aws as { availabilityZones: string[] }).availabilityZones[2] = 'us-east-1a';
        return d;
      }),
    file: 'environments/dev.yaml',
    path: 'aws.availabilityZones[2]',
    message: /not in region eu-west-1/,
  },
  {
    name: 'duplicate YAML keys, naming the key and both lines',
    files: () => withRaw(T, 'name: acme\nowners: [/g]\nname: acme\n'),
    file: T,
    path: 'name',
    line: 3,
    column: 1,
    message: /duplicate key "name" \(first set on line 1\)/,
  },
  {
    name: 'a duplicate nested key, with its field path',
    files: () => withRaw(T, 'name: acme\nquota:\n  cpu: 1\n  cpu: 2\n'),
    file: T,
    path: 'quota.cpu',
    line: 4,
    column: 3,
    message: /duplicate key "cpu" \(first set on line 3\)/,
  },
  {
    name: 'a tab used as indentation, reported once',
    files: () => withRaw(T, 'name: acme\nagents:\n  - name: x\n\tdescription: y\n    model: z\n'),
    file: T,
    path: '',
    line: 4,
    column: 1,
    message: /^is not valid YAML: Tabs are not allowed as indentation$/,
  },
  {
    name: 'an unclosed flow sequence',
    files: () => withRaw(T, 'name: acme\nowners: [/g\nenvironments: [dev]\n'),
    file: T,
    path: '',
    line: 3,
    message:
      /is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]/,
  },
  {
    name: 'an unclosed quote',
    files: () => withRaw(T, 'name: acme\ndisplayName: "ACME\n'),
    file: T,
    path: '',
    line: 3,
    message: /is not valid YAML: Missing closing "quote/,
  },
  {
    name: 'two YAML documents in one file, at the second',
    files: () => withRaw(T, 'name: a\n---\nname: b\n'),
    file: T,
    path: '',
    line: 3,
    column: 1,
    message: /holds 2 YAML documents; the second starts here/,
  },
  {
    name: 'an empty file',
    files: () => withRaw(T, '# nothing yet\n'),
    file: T,
    path: '',
    message: /is empty/,
  },
  {
    name: 'a list of 50,000 identical entries, at its bound',
    files: () =>
      withRaw(T, JSON.stringify({ ...minimalTenant('acme'), owners: Array(50_000).fill('g') })),
    file: T,
    path: 'owners',
    message: /lists 50000 owner groups; at most 20 are allowed/,
  },
  {
    name: 'an entry listed twice',
    files: () =>
      withSpec(T, (d) => ({
        ...d,
        owners: ['/tenants/acme/a', '/tenants/acme/b', '/tenants/acme/a'],
      })),
    file: T,
    path: 'owners[2]',
    message: /"\/tenants\/acme\/a" is listed 2 times in owners; list it once/,
  },
  {
    name: 'the same egress CIDR twice',
    files: () =>
      withSpec(T, (d) => ({
        ...d,
        egress: [
          { cidr: '203.0.113.0/24', description: 'a' },
          { cidr: '203.0.113.0/24', description: 'b' },
        ],
      })),
    file: T,
    path: 'egress[1]',
    message: /"203\.0\.113\.0\/24" is listed 2 times in egress/,
  },
  {
    name: 'a string over its bound',
    files: () => withSpec(T, setAgent({ description: 'x'.repeat(501) })),
    file: T,
    path: 'agents[0].description',
    message: /Too big: expected string to have <=500 characters/,
  },
  {
    name: 'a file over the byte limit',
    files: () => withSpec(T, setAgent({ systemMessage: 'x'.repeat(300_000) })),
    file: T,
    path: '',
    message: /file is \d+ bytes; the limit is 262144 bytes/,
  },
  {
    name: "a tenant whose Application name is another tenant's platform part",
    files: () => withSpec('tenants/acme-platform.yaml', () => minimalTenant('acme-platform')),
    file: 'tenants/acme-platform.yaml',
    path: 'name',
    message:
      /derives Application "tenant-acme-platform", as tenants\/acme\.yaml:\d+ name does; rename one of them \(environment dev\)/,
  },
  {
    name: 'the same collision, blamed on the other file too',
    files: () => withSpec('tenants/acme-platform.yaml', () => minimalTenant('acme-platform')),
    file: T,
    path: 'name',
    message:
      /derives Application "tenant-acme-platform", as tenants\/acme-platform\.yaml:\d+ name does/,
  },
  {
    name: "a platform-key model whose gateway-namespace backend is another tenant's",
    files: () =>
      withSpec(
        'tenants/acme-llm.yaml',
        () => minimalTenant('acme-llm', { models: [platformModel('x')] }),
        withSpec(T, (d) => ({
          ...d,
          models: [...(d.models as unknown[]), platformModel('llm-x')],
        })),
      ),
    file: 'tenants/acme-llm.yaml',
    path: 'models[0].name',
    message:
      /derives gateway-namespace backend "agentgateway-system\/acme-llm-llm-x", as tenants\/acme\.yaml:\d+ models\[1\]\.name does/,
  },
  {
    name: 'two exceptions of one tenant for one policy (one PolicyException)',
    files: () =>
      withSpec(T, (d) => ({
        ...d,
        policyExceptions: [0, 1].map((i) => ({
          policy: 'images-pinned',
          justification: 'vendor image only ships as latest for now',
          expires: '2027-01-31',
          resources: [`MCPServer/s${i}`],
        })),
      })),
    file: T,
    path: 'policyExceptions[1].policy',
    message:
      /derives PolicyException "acme-images-pinned", as tenants\/acme\.yaml:\d+ policyExceptions\[0\]\.policy does/,
  },
  {
    name: "an exposed model whose public route is another model's route",
    files: () =>
      withSpec(T, (d) => {
        const models = d.models as Record<string, unknown>[];
        models[0] = { ...models[0], expose: true };
        models.push({ ...models[0], name: 'gpt-4o-public', expose: false });
        return d;
      }),
    file: T,
    path: 'models[1].name',
    message: /derives the HTTPRoute "llm-gpt-4o-public", as models\[0\]\.name does/,
  },
  {
    name: 'an exception that lasts longer than the environment allows',
    files: () =>
      withSpec(T, (d) => ({
        ...d,
        policyExceptions: [
          {
            policy: 'images-pinned',
            justification: 'vendor image only ships as latest for now',
            expires: '2099-12-31',
          },
        ],
      })),
    file: T,
    path: 'policyExceptions[0].expires',
    message:
      /2099-12-31 is more than 180 days after \d{4}-\d{2}-\d{2}; environment dev allows exceptions of at most guardrails\.maxExceptionDays = 180 days/,
  },
  {
    name: "a quota too small for the tenant's own workloads",
    files: () => withSpec(T, (d) => ({ ...d, quota: { cpu: 0.01, pods: 1 } })),
    file: T,
    path: 'quota.pods',
    message: /pods 1 is below the 3 the tenant's own 3 workloads .* need/,
  },
  {
    name: 'an absurdly small CPU quota',
    files: () => withSpec(T, (d) => ({ ...d, quota: { cpu: 0.01 } })),
    file: T,
    path: 'quota.cpu',
    message: /cpu 0\.01 is below the 3 /,
  },
  {
    name: 'two environments with overlapping VPC CIDRs',
    files: () =>
      withSpec('environments/prod.yaml', (d) => {
        (d.aws as { vpcCidr: string }).vpcCidr = '10.10.128.0/17';
        return d;
      }),
    file: 'environments/prod.yaml',
    path: 'aws.vpcCidr',
    message:
      /10\.10\.128\.0\/17 overlaps 10\.10\.0\.0\/16 of environments\/dev\.yaml:\d+ aws\.vpcCidr/,
  },
  {
    name: 'platform keys inside the tenants/ key space',
    files: () =>
      withSpec('environments/dev.yaml', (d) => ({
        ...d,
        secrets: { platformKeyPrefix: 'tenants/acme' },
      })),
    file: 'environments/dev.yaml',
    path: 'secrets.platformKeyPrefix',
    message: /is inside tenants\//,
  },
  // Malformed entries of the image registry allow-list: line and column of the entry.
  ...(
    [
      ['a URL instead of a registry', 'https://ghcr.io/acme', /must not carry a URL scheme/],
      ['a tag on a registry', 'ghcr.io/acme:1.0', /must not carry a tag or digest/],
      ['a digest on a registry', 'ghcr.io/acme@sha256:0', /must not carry a tag or digest/],
      ['a host without a dot', 'ghcr/acme', /must start with a registry host/],
      ['an uppercase host', 'GHCR.io/acme', /must start with a registry host/],
      [
        'Docker Hub as index.docker.io',
        'index.docker.io/library',
        /write Docker Hub as docker\.io/,
      ],
      ['an empty path segment', 'ghcr.io//acme', /empty or invalid path segment/],
      ['a trailing slash', 'ghcr.io/acme/', /empty or invalid path segment/],
    ] as const
  ).map(([name, entry, message]) => ({
    name: `an image registry entry with ${name}`,
    files: () => withRaw(DEV, plantRegistry(`additional: ['${entry}']`)),
    file: DEV,
    path: 'guardrails.imageRegistries.additional[0]',
    message,
    line: REGISTRY_LINE,
    // The entry's opening quote: `    additional: [` is 17 characters.
    column: 18,
  })),
  {
    name: 'an image registry allow-list above its bound',
    files: () =>
      withSpec(DEV, (d) => ({
        ...d,
        guardrails: {
          imageRegistries: { allowed: Array.from({ length: 101 }, (_, i) => `r${i}.example.com`) },
        },
      })),
    file: DEV,
    path: 'guardrails.imageRegistries.allowed',
    message: /lists 101 image registries; at most 100 are allowed/,
  },
  {
    name: 'an image registry entry above its length bound',
    files: () =>
      withSpec(DEV, (d) => ({
        ...d,
        guardrails: { imageRegistries: { allowed: [`ghcr.io/${'a'.repeat(250)}`] } },
      })),
    file: DEV,
    path: 'guardrails.imageRegistries.allowed[0]',
    message: /must be at most 255 characters/,
  },
  {
    name: 'an unknown field of the image registry allow-list',
    files: () => withRaw(DEV, plantRegistry(`extra: [ghcr.io/acme]`)),
    file: DEV,
    path: 'guardrails.imageRegistries.extra',
    message: /unknown field "extra"/,
  },
  {
    name: 'a spec outside environments/ and tenants/',
    files: () => withRaw('other/x.yaml', 'a: 1\n'),
    file: 'other/x.yaml',
    path: '',
    message: /not a spec location/,
  },
];

describe('spec and model validation refuses bad input, naming the file and the field', () => {
  it.each(rows)('refuses $name', ({ files, file, path, message, line, column }) => {
    const issues = issuesOf(files());
    const hit = issues.find((i) => i.file === file && i.path === path && message.test(i.message));
    expect(
      hit,
      `no issue for ${file} ${path} matching ${message}; got:\n${issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`).join('\n')}`,
    ).toBeDefined();
    if (line !== undefined) expect(hit!.line).toBe(line);
    if (column !== undefined) expect(hit!.column).toBe(column);
    // One message per YAML problem: no follow-on errors in the same file.
    if (line !== undefined)
      expect(issues.filter((i) => i.file === file && i.path === path)).toHaveLength(1);
  });

  it('reports every problem of a run at once, across files', () => {
    let files = withSpec('tenants/acme.yaml', (d) => ({ ...d, quotaa: 1 }));
    files = withSpec('tenants/globex.yaml', (d) => ({ ...d, environments: ['nowhere'] }), files);
    const issues = issuesOf(files);
    expect(issues.map((i) => i.file)).toEqual(
      expect.arrayContaining(['tenants/acme.yaml', 'tenants/globex.yaml']),
    );
  });

  it('gives the line of the offending field', () => {
    const issues = issuesOf(
      withRaw(
        T,
        'name: acme\ndisplayName: A\nowners: [/g]\nenvironments: [dev]\nagents:\n  - name: x\n    bogus: 1\n',
      ),
    );
    const hit = issues.find((i) => i.path.endsWith('bogus'));
    expect(hit?.line).toBe(7);
  });

  it('formats issues as file:line field: message', () => {
    const err = (() => {
      try {
        parseSpecs(withSpec(T, (d) => ({ ...d, quotaa: {} })));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/tenants\/acme\.yaml:\d+:\d+ quotaa: unknown field "quotaa"/);
  });
});
