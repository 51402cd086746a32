import { describe, expect, it } from 'vitest';
import { compareResources } from '../../src/diff/compare';
import { environmentNormalizer } from '../../src/diff/environment-identity';
import { readResources, OutputParseError } from '../../src/diff/resources';
import { env, repoModel } from '../helpers';

const risk = { internalListeners: new Set(['http']), terraformLifecycle: true };
const yaml = (kind: string, name: string, extra = '') =>
  `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: acme\n${extra}`;

describe('compareResources', () => {
  it('reports added, removed and changed objects and counts the unchanged', () => {
    const left = readResources(
      new Map([
        ['tenants/acme/a.yaml', yaml('ConfigMap', 'a', 'data:\n  k: "1"\n')],
        ['tenants/acme/b.yaml', yaml('ConfigMap', 'b')],
        ['tenants/acme/c.yaml', yaml('ConfigMap', 'c')],
      ]),
    );
    const right = readResources(
      new Map([
        ['tenants/acme/a.yaml', yaml('ConfigMap', 'a', 'data:\n  k: "2"\n')],
        ['tenants/acme/c.yaml', yaml('ConfigMap', 'c')],
        ['tenants/acme/d.yaml', yaml('ConfigMap', 'd')],
      ]),
    );
    const r = compareResources(left, right, { risk });
    expect(r.changes.map((c) => [c.status, c.name])).toEqual([
      ['changed', 'a'],
      ['removed', 'b'],
      ['added', 'd'],
    ]);
    expect(r.changes[0]!.fields).toEqual([
      { path: 'data.k', op: 'changed', before: '1', after: '2' },
    ]);
    expect(r.changes[0]!.tenant).toBe('acme');
    expect(r.unchanged).toBe(1);
  });

  it('matches Terraform blocks by type and name, and flags an address change as a replacement', () => {
    const tf = (name: string) =>
      JSON.stringify({ resource: { aws_s3_bucket: { [name]: { bucket: 'b' } } } });
    const r = compareResources(
      readResources(new Map([['terraform/cdk.tf.json', tf('old')]])),
      readResources(new Map([['terraform/cdk.tf.json', tf('new')]])),
      { risk },
    );
    expect(r.changes.map((c) => [c.status, c.name, c.risks.map((x) => x.kind)])).toEqual([
      ['added', 'new', ['terraform-replace']],
      ['removed', 'old', ['terraform-destroy']],
    ]);
  });

  it('matches objects across environments through their normalized names and counts identity-only ones', () => {
    const model = repoModel();
    const a = env(model, 'staging').spec;
    const b = env(model, 'prod').spec;
    const cm = (e: typeof a, extra: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-${e.aws.accountId}\n  namespace: x\ndata:\n  host: agents.${e.cluster.domain}\n${extra}`;
    const r = compareResources(
      readResources(
        new Map([
          ['platform/x/a.yaml', cm(a, '')],
          ['platform/x/b.yaml', yaml('Secret', 's').replace(/acme/, a.name)],
        ]),
      ),
      readResources(
        new Map([
          ['platform/x/a.yaml', cm(b, '  more: "1"\n')],
          ['platform/x/b.yaml', yaml('Secret', 's').replace(/acme/, b.name)],
        ]),
      ),
      { risk, normalizeLeft: environmentNormalizer(a), normalizeRight: environmentNormalizer(b) },
    );
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]!.name).toBe('cfg-«aws.accountId»');
    expect(r.changes[0]!.fields).toEqual([{ path: 'data.more', op: 'added', after: '1' }]);
    expect(r.identityOnly).toBe(1);
  });

  it('drops a digest that hashes its own environment-specific object, keeps one that hashes another', () => {
    const model = repoModel();
    const a = env(model, 'staging').spec;
    const b = env(model, 'prod').spec;
    const entry = (e: typeof a, version: string) =>
      JSON.stringify({
        agents: [{ name: 'x', url: `https://agents.${e.cluster.domain}/x`, version }],
      });
    const cm = (e: typeof a, version: string, annotation: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: r\n  annotations:\n    digest: "${annotation}"\ndata:\n  c.json: '${entry(e, version)}'\n`;
    const r = compareResources(
      readResources(new Map([['registry/c.yaml', cm(a, 'aaaaaaaaaaaa', '1111111111111111')]])),
      readResources(new Map([['registry/c.yaml', cm(b, 'bbbbbbbbbbbb', '2222222222222222')]])),
      { risk, normalizeLeft: environmentNormalizer(a), normalizeRight: environmentNormalizer(b) },
    );
    expect(r.changes[0]!.fields.map((f) => f.path)).toEqual(['metadata.annotations.digest']);
  });

  it('reads a malformed output as an error naming the file', () => {
    expect(() => readResources(new Map([['terraform/cdk.tf.json', '{']]))).toThrow(
      OutputParseError,
    );
    expect(() => readResources(new Map([['tenants/a/x.yaml', 'kind: ConfigMap\n']]))).toThrow(
      /tenants\/a\/x.yaml: a document without apiVersion/,
    );
    expect(() => readResources(new Map([['tenants/a/x.yaml', 'a: [\n']]))).toThrow(
      /tenants\/a\/x.yaml/,
    );
  });
});
