import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { sortKeys } from '../../src/synth/render';
import { listTree } from '../../src/synth/tree-writer';
import { emitYaml, YAML_OPTIONS } from '../../src/synth/yaml-emitter';
import { ROOT } from '../helpers';

/** What every generated file was written with before the emitter: the reference. */
const reference = (value: unknown) => stringify(sortKeys(value), YAML_OPTIONS);

/** Strings whose YAML form is not plain, or nearly: quoting, escapes, block scalars, types. */
const TRICKY = [
  '',
  ' ',
  'plain',
  'TRUE',
  'True',
  'NULL',
  'Null',
  'nullable',
  'truely',
  'Falsey',
  'a.b/c_d-e',
  'x1e3',
  'a-',
  'a/',
  'a.',
  'two words',
  'true',
  'False',
  'yes',
  'null',
  '~',
  '123',
  '-0',
  '0x1F',
  '1e3',
  '1.0',
  '.inf',
  '2024-01-01',
  'a: b',
  'a:b',
  'a #b',
  '#comment',
  "'single'",
  '"double"',
  'both \' and "',
  '{x}',
  '[x]',
  '*alias',
  '&anchor',
  '!tag',
  '- dash',
  '-dash',
  '? key',
  '%directive',
  '@at',
  '`tick',
  '|pipe',
  '>fold',
  'trailing ',
  ' leading',
  'tab\there',
  'x\ny',
  'x\ny\n',
  'x\ny\n\n',
  '  indented\nfirst',
  ' x\n',
  'x\n ',
  'line\n\nmore\n\n',
  'cr\r\nlf',
  'bell\u0007',
  'é ü 日本',
  'emoji 🙂',
  'a'.repeat(300),
  '{{ .Values.x }}',
  '${VAR}',
  'key: value\nother: 1\n',
  '#!/bin/sh\nset -eu\necho "$1"\n',
];

const KEYS = [
  'a',
  'b',
  '0',
  '1',
  '10',
  '2',
  'app.kubernetes.io/name',
  'true',
  'Null',
  'k_1',
  'a b',
  '@k',
  '',
  'x:y',
  '-',
];

/** A deterministic pseudo-random generator (xorshift), so a failure is reproducible. */
function rng(seed: number) {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function generate(next: (n: number) => number, depth: number): unknown {
  const pick = next(depth > 3 ? 5 : 8);
  switch (pick) {
    case 0:
      return TRICKY[next(TRICKY.length)];
    case 1:
      return [0, 1, -1, 1.5, -0, 1e21, 65535][next(7)];
    case 2:
      return [true, false, null][next(3)];
    case 3:
      return `${TRICKY[next(TRICKY.length)]}${TRICKY[next(TRICKY.length)]}`;
    case 4:
      return next(2) ? [] : {};
    case 5:
    case 6: {
      const out: Record<string, unknown> = {};
      for (let i = next(5); i >= 0; i--) {
        const k = KEYS[next(KEYS.length)]!;
        out[k] = next(10) === 0 ? undefined : generate(next, depth + 1);
      }
      return out;
    }
    default:
      return Array.from({ length: 1 + next(4) }, () => generate(next, depth + 1));
  }
}

describe('emitYaml', () => {
  it('writes every object of dist/ exactly as yaml did', () => {
    const dist = path.join(ROOT, 'dist');
    const files = [...listTree(dist)].filter((f) => f.endsWith('.yaml'));
    let documents = 0;
    const differing: string[] = [];
    for (const file of files) {
      for (const doc of parseAllDocuments(readFileSync(path.join(dist, file), 'utf8'))) {
        const value = (doc as { toJS(): unknown }).toJS();
        documents++;
        if (emitYaml(value) !== reference(value)) differing.push(file);
      }
    }
    expect(differing).toEqual([]);
    expect(documents).toBeGreaterThan(500);
  });

  it('writes a generated corpus of maps, lists and tricky scalars exactly as yaml does', () => {
    const next = rng(0x9e3779b9);
    const differing: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const value = { root: generate(next, 0), list: [generate(next, 1), generate(next, 2)] };
      if (emitYaml(value) !== reference(value)) differing.push(JSON.stringify(value));
    }
    expect(differing.slice(0, 3)).toEqual([]);
  });

  it('orders array-index keys numerically first, as the object sortKeys rebuilds does', () => {
    const value = { b: 1, '10': 2, a: 3, '2': 4, '02': 5 };
    expect(emitYaml(value)).toBe('"2": 4\n"10": 2\n"02": 5\na: 3\nb: 1\n');
    expect(emitYaml(value)).toBe(reference(value));
  });

  it('indents a block scalar two deeper than the key or dash that holds it', () => {
    const value = { a: { b: ['x\ny', { c: 'p\nq\n' }] } };
    expect(emitYaml(value)).toBe(
      'a:\n  b:\n    - |-\n      x\n      y\n    - c: |\n        p\n        q\n',
    );
    expect(emitYaml(value)).toBe(reference(value));
  });

  it('leaves out map entries whose value is undefined', () => {
    expect(emitYaml({ a: undefined, b: 1 })).toBe('b: 1\n');
    expect(emitYaml({ a: undefined })).toBe('{}\n');
  });

  it('hands shapes outside synth output to yaml whole', () => {
    for (const value of [
      'a scalar document',
      42,
      { when: new Date(0) },
      { n: Number.NaN },
      { n: Number.POSITIVE_INFINITY },
      { list: [1, undefined, 2] },
      { ['multi\nline key']: 1 },
    ]) {
      expect(emitYaml(value)).toBe(reference(value));
    }
  });
});
