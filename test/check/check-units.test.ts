import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { planCheckUnits, UnitChecker } from '../../src/check/check-units';
import { runGuardrails } from '../../src/check/guardrail-gate';
import { parseManifests } from '../../src/check/parsed-manifests';
import { checkPromises, findingKey } from '../../src/check/promises';
import { checkDist, schemaSetsFor, type Finding } from '../../src/check/run-check';
import type { PlatformModel } from '../../src/model/types';
import { synthesize } from '../../src/synth/synthesize';
import { listTree } from '../../src/synth/tree-writer';
import { ROOT, repoModel, repoSpecFiles, withSpec } from '../helpers';

const TODAY = '2026-12-01';

/** A scratch repository root for a dist/ of our own: the schemas and their cache linked. */
let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'check-units-'));
  symlinkSync(path.join(ROOT, 'schemas'), path.join(work, 'schemas'), 'dir');
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeDist(files: ReadonlyMap<string, string>): void {
  rmSync(path.join(work, 'dist'), { recursive: true, force: true });
  for (const [file, content] of files) {
    const abs = path.join(work, 'dist', file);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

const editYaml = (files: Map<string, string>, file: string, edit: (o: any) => void) => {
  const o = parse(files.get(file)!);
  edit(o);
  files.set(file, stringify(o));
};
const editTf = (files: Map<string, string>, file: string, edit: (tf: any) => void) => {
  const tf = JSON.parse(files.get(file)!);
  edit(tf);
  files.set(file, JSON.stringify(tf));
};

/** Findings of one kind, without the spec each names (the whole-view functions add none). */
const ofCheck = (findings: readonly Finding[], check: Finding['check']) =>
  findings
    .filter((f) => f.check === check)
    .map(({ source: _, ...f }) => f as Finding)
    .sort((a, b) => findingKey(a).localeCompare(findingKey(b)));

/** acme's first MCP server on :latest, with an exception for it (and one that covers nothing). */
const model: PlatformModel = repoModel(
  withSpec('tenants/acme.yaml', (d) => ({
    ...d,
    mcpServers: (d.mcpServers as Record<string, unknown>[]).map((s, i) =>
      i === 0 ? { ...s, image: 'ghcr.io/acme-corp/mcp-github:latest' } : s,
    ),
    policyExceptions: [
      {
        policy: 'mcp-servers-restricted',
        justification: 'vendor image only ships as latest until Q1',
        expires: '2027-03-31',
        resources: ['MCPServer/github-tools'],
      },
      {
        policy: 'images-allowed-registries',
        justification: 'kept for a server that was renamed since',
        expires: '2027-03-31',
        resources: ['MCPServer/other'],
      },
    ],
  })),
);

describe('a check in units', () => {
  it(
    'finds in units of one tenant what one view of each environment finds',
    { timeout: 300_000 },
    async () => {
      const files = synthesize(model);
      // Broken chains on the platform's side (every tenant's policies), environment-wide (a
      // launch template: reported once, on the first tenant) and in one tenant.
      editTf(files, 'prod/terraform/cdk.tf.json', (tf) => {
        delete tf.resource.aws_eks_addon.eks_vpc_cni.configuration_values;
        tf.resource.aws_launch_template.node_groups_agents_launch_template.metadata_options.http_put_response_hop_limit = 2;
      });
      editYaml(files, 'dev/tenants/globex/networkpolicy-default-deny.yaml', (p) => {
        p.spec.egress = [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }];
        p.spec.policyTypes = ['Ingress', 'Egress'];
      });
      writeDist(files);
      const documents = parseManifests(files);
      const terraform = new Map(
        [...files]
          .filter(([f]) => f.endsWith('/terraform/cdk.tf.json'))
          .map(([f, c]) => [f, JSON.parse(c) as unknown]),
      );
      const promises = checkPromises(model, documents, terraform, TODAY);
      const guardrails = runGuardrails(model, documents, TODAY);
      // The planted defects are found at all (else the comparison proves nothing).
      expect(promises.map((f) => f.policy)).toEqual(
        expect.arrayContaining([
          'network-policy-enforced',
          'node-credentials-unreachable',
          'tenant-egress-outside-cluster',
        ]),
      );
      expect(
        promises.filter((f) => f.policy === 'node-credentials-unreachable').map((f) => f.file),
      ).toEqual(['prod/tenants/acme/networkpolicy-default-deny.yaml']);

      for (const [threads, tenantsPerUnit] of [
        [1, 1],
        [2, 2],
        [1, 25],
      ] as const) {
        const report = await checkDist(work, model, TODAY, { threads, tenantsPerUnit });
        expect(ofCheck(report.findings, 'promise')).toEqual(ofCheck(promises, 'promise'));
        expect(ofCheck(report.findings, 'guardrail')).toEqual(
          ofCheck(guardrails.findings, 'guardrail'),
        );
        expect(report.exceptions).toEqual(guardrails.exceptions);
        expect(report.guardrailEvaluations).toBe(guardrails.evaluations);
      }
      // What the comparison covered: an exception that covered one finding in each
      // environment, one that covered nothing, warned about once an environment.
      expect(guardrails.exceptions.map((e) => e.covered)).toEqual([1, 0, 1, 0, 1, 0]);
      expect(
        guardrails.findings.filter((f) => /covers nothing/.test(f.message)).map((f) => f.message),
      ).toHaveLength(3);
    },
  );

  it(
    'reports the files of dist/ no unit generates, and still validates them',
    { timeout: 300_000 },
    async () => {
      // dist/ of the repository; the model without globex: its files are stale.
      const files = synthesize(repoModel());
      files.set(
        'dev/tenants/acme/extra.yaml',
        'apiVersion: v1\nkind: Nonsense\nmetadata:\n  name: x\n',
      );
      writeDist(files);
      const without = repoModel(repoSpecFiles().filter((f) => f.path !== 'tenants/globex.yaml'));
      const report = await checkDist(work, without, TODAY, { threads: 1, tenantsPerUnit: 1 });
      const stale = report.findings
        .filter((f) => f.check === 'drift' && /no longer generated/.test(f.message))
        .map((f) => f.file);
      expect(stale).toContain('dev/tenants/acme/extra.yaml');
      expect(stale).toContain('prod/tenants/globex/networkpolicy-default-deny.yaml');
      expect(
        stale.filter((f) => !f.includes('globex') && f !== 'dev/tenants/acme/extra.yaml'),
      ).toEqual([]);
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          check: 'schema',
          file: 'dev/tenants/acme/extra.yaml',
          message: expect.stringMatching(/unknown kind v1 Nonsense/),
        }),
      );
      expect(report.files).toBe(listTree(path.join(work, 'dist')).size);
    },
  );
});

describe('planCheckUnits', () => {
  it('plans each environment platform first, then its tenants in groups', () => {
    const m = repoModel();
    const units = planCheckUnits(m, 2);
    const envs = m.environments.length;
    expect(units.slice(0, envs)).toEqual(
      m.environments.map((_, env) => ({ env, part: 'platform' })),
    );
    expect(units.slice(envs, envs + 2)).toEqual([
      { env: 0, part: 'tenants', tenants: [0, 1] },
      { env: 0, part: 'tenants', tenants: [2] },
    ]);
    expect(units.length).toBe(
      envs + m.environments.reduce((n, e) => n + Math.ceil(e.tenants.length / 2), 0),
    );
  });

  it('refuses a group size that is not a whole number >= 1', () => {
    expect(() => planCheckUnits(repoModel(), 0)).toThrow(
      'planCheckUnits: tenantsPerUnit must be a whole number >= 1, got 0',
    );
  });
});

describe('UnitChecker', () => {
  const m = repoModel();
  const checker = () =>
    new UnitChecker(work, m, TODAY, schemaSetsFor(m, path.join(ROOT, 'schemas')));

  it('refuses an environment the model does not have, naming the ones it has', async () => {
    await expect(checker().check({ env: 7, part: 'platform' })).rejects.toThrow(
      'check: no environment #7 in the model, which has 3 (dev, prod, staging)',
    );
  });

  it(
    'reports a generated file that dist/ lacks, or holds a folder in place of, as missing',
    { timeout: 120_000 },
    async () => {
      const files = synthesize(m);
      const gone = 'dev/tenants/acme/networkpolicy-default-deny.yaml';
      const folder = 'dev/tenants/acme/serviceaccount-agent-triage.yaml';
      expect(files.has(gone) && files.has(folder)).toBe(true);
      files.delete(gone);
      files.delete(folder);
      writeDist(files);
      mkdirSync(path.join(work, 'dist', folder));
      const unit = await checker().check({ env: 0, part: 'tenants', tenants: [0] });
      expect(
        unit.findings.filter((f) => f.check === 'drift').map((f) => [f.file, f.message]),
      ).toEqual([
        [gone, 'is generated but missing from dist/; run npm run synth and commit'],
        [folder, 'is generated but missing from dist/; run npm run synth and commit'],
      ]);
    },
  );

  it('refuses a tenant the environment does not have', async () => {
    await expect(checker().check({ env: 0, part: 'tenants', tenants: [99] })).rejects.toThrow(
      'check: environment dev has no tenant #99 (it has 3)',
    );
  });
});
