import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors';
import { parseSpecs, type Specs } from '../../src/spec/load';
import { SpecMemo } from '../../src/spec/spec-memo';
import { parseSpecFile } from '../../src/spec/source';
import { tenantSpec } from '../../src/spec/tenant';
import { CREDENTIALS } from './credential-samples';
import { repoSpecFiles, withRaw } from '../helpers';

let work: string;
let file: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'spec-memo-'));
  file = path.join(work, 'spec-memo.json');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const files = repoSpecFiles();
const acme = files.find((f) => f.path === 'tenants/acme.yaml')!;
/** Every spec's file and parsed value, the way a caller sees them. */
const seen = (s: Specs) =>
  [...s.environments, ...s.tenants, ...s.guardrails].map((l) => [l.file, l.spec]);

describe('SpecMemo', () => {
  it('gives the specs parsing gives, the first time and from the saved memo', () => {
    const fresh = parseSpecs(files);
    const memo = SpecMemo.empty('code-a');
    expect(seen(parseSpecs(files, [], { memo }))).toEqual(seen(fresh));
    expect(memo.size).toBe(files.length);
    memo.save(file);
    const again = SpecMemo.load(file, 'code-a');
    expect(seen(parseSpecs(files, [], { memo: again }))).toEqual(seen(fresh));
    expect(again.size).toBe(files.length);
  });

  it('takes a file’s spec from the memo when its bytes are the ones stored', () => {
    const memo = SpecMemo.empty('code-a');
    const parsed = parseSpecFile(acme, tenantSpec);
    if (!parsed.ok) throw new Error('acme does not parse');
    memo.put('tenant', acme.content, {
      spec: { ...parsed.value.spec, displayName: 'From the memo' },
      escaped: [],
    });
    const specs = parseSpecs(files, [], { memo });
    expect(specs.tenants.find((t) => t.file === acme.path)!.spec.displayName).toBe('From the memo');
    // Another byte, another file: parsed.
    const edited = withRaw(acme.path, `${acme.content}\n`);
    const other = parseSpecs(edited, [], { memo });
    expect(other.tenants.find((t) => t.file === acme.path)!.spec.displayName).toBe(
      parsed.value.spec.displayName,
    );
  });

  it('answers positions on a memo hit as a fresh parse does', () => {
    const memo = SpecMemo.empty('code-a');
    const fresh = parseSpecFile(acme, tenantSpec, { memo, schema: 'tenant' });
    const hit = parseSpecFile(acme, tenantSpec, { memo, schema: 'tenant' });
    if (!fresh.ok || !hit.ok) throw new Error('acme does not parse');
    for (const p of [['quota', 'cpu'], ['agents', 0, 'name'], ['no', 'such', 'field'], []]) {
      expect(hit.value.lineOf(p)).toBe(fresh.value.lineOf(p));
    }
    const offset = acme.content.indexOf('description:');
    expect(hit.value.locate(offset)).toEqual(fresh.value.locate(offset));
    expect(hit.value.escapedStrings()).toEqual(fresh.value.escapedStrings());
  });

  it('never stores a file that did not parse', () => {
    const memo = SpecMemo.empty('code-a');
    const bad = { path: 'tenants/bad.yaml', content: 'name: bad\nquota: [\n' };
    expect(parseSpecFile(bad, tenantSpec, { memo, schema: 'tenant' }).ok).toBe(false);
    expect(memo.size).toBe(0);
    expect(memo.get('tenant', bad.content)).toBeUndefined();
  });

  it('still refuses a credential in a file whose spec comes from the memo', () => {
    const leak = `${acme.content.replace(
      'description: GitHub API for the github-tools MCP server',
      `description: "key ${CREDENTIALS[0]!.value}"`,
    )}`;
    expect(leak).not.toBe(acme.content);
    const memo = SpecMemo.empty('code-a');
    // As if the file had parsed once (it does: only the cross-file secret scan refuses it).
    const parsed = parseSpecFile({ path: acme.path, content: leak }, tenantSpec, {
      memo,
      schema: 'tenant',
    });
    expect(parsed.ok).toBe(true);
    let error: unknown;
    try {
      parseSpecs(withRaw(acme.path, leak), [], { memo });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).issues.map((i) => `${i.file}:${i.line}`)).toContain(
      `${acme.path}:${leak.split('\n').findIndex((l) => l.includes('AKIA')) + 1}`,
    );
  });

  it('does not store a spec that JSON would give back changed', () => {
    const memo = SpecMemo.empty('code-a');
    // eslint-disable-next-line no-sparse-arrays -- a hole is one of the things JSON fills in
    const holey = [1, , 3];
    const specs = [{ a: undefined }, { a: -0 }, { a: new Date(0) }, { a: NaN }, holey];
    for (const [i, spec] of specs.entries())
      memo.put('tenant', `content ${i}`, { spec, escaped: [] });
    expect(memo.size).toBe(0);
  });

  it('loads as empty a missing, corrupt or foreign memo, or one of other code', () => {
    const memo = SpecMemo.empty('code-a');
    parseSpecs(files, [], { memo });
    memo.save(file);
    expect(SpecMemo.load(file, 'code-a').get('tenant', acme.content)).toBeDefined();
    expect(SpecMemo.load(file, 'code-b').get('tenant', acme.content)).toBeUndefined();
    expect(SpecMemo.load(path.join(work, 'missing.json'), 'code-a').size).toBe(0);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const content of [
      '{"format": "spec-memo/1", "code": "code-a", "ent',
      JSON.stringify({ ...saved, format: 'spec-memo/0' }),
      JSON.stringify({ ...saved, entries: [] }),
    ]) {
      writeFileSync(file, content);
      expect(SpecMemo.load(file, 'code-a').get('tenant', acme.content)).toBeUndefined();
    }
  });

  it('saves the entries of the last load only', () => {
    const memo = SpecMemo.empty('code-a');
    parseSpecs(files, [], { memo });
    memo.save(file);
    const without = files.filter((f) => f.path !== 'tenants/globex.yaml');
    const again = SpecMemo.load(file, 'code-a');
    parseSpecs(without, [], { memo: again });
    again.save(file);
    const last = SpecMemo.load(file, 'code-a');
    const globex = files.find((f) => f.path === 'tenants/globex.yaml')!;
    expect(last.get('tenant', globex.content)).toBeUndefined();
    expect(last.get('tenant', acme.content)).toBeDefined();
  });

  it('remembers the texts the secret scan found nothing in, across a save, and skips them', () => {
    const memo = SpecMemo.empty('code-a');
    parseSpecs(files, [], { memo });
    for (const f of files) expect(memo.scannedClean(f.content)).toBe(true);
    memo.save(file);
    const again = SpecMemo.load(file, 'code-a');
    expect(again.scannedClean(acme.content)).toBe(true);
    expect(SpecMemo.load(file, 'code-b').scannedClean(acme.content)).toBe(false);
    // Skipped, not scanned: a text recorded clean is not looked at again (the memo is of the
    // same bytes and code, so the scan would find what it found then).
    const leak = acme.content.replace(
      'description: GitHub API for the github-tools MCP server',
      `description: "key ${CREDENTIALS[0]!.value}"`,
    );
    const trusting = SpecMemo.empty('code-a');
    trusting.markClean(leak);
    expect(() => parseSpecs(withRaw(acme.path, leak), [], { memo: trusting })).not.toThrow();
  });

  it('never records a text holding a credential as clean', () => {
    const leak = acme.content.replace(
      'description: GitHub API for the github-tools MCP server',
      `description: "key ${CREDENTIALS[0]!.value}"`,
    );
    const memo = SpecMemo.empty('code-a');
    expect(() => parseSpecs(withRaw(acme.path, leak), [], { memo })).toThrow(SpecError);
    expect(memo.scannedClean(leak)).toBe(false);
    const globex = files.find((f) => f.path === 'tenants/globex.yaml')!;
    expect(memo.scannedClean(globex.content)).toBe(true);
  });
});
