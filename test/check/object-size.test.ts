import { describe, expect, it } from 'vitest';
import { checkObjectSizes, MAX_OBJECT_BYTES, objectBytes } from '../../src/check/object-size';
import type { ParsedDocument } from '../../src/check/parsed-manifests';

/** A ConfigMap whose compact JSON is exactly `bytes` long. */
function configMapOf(bytes: number): Record<string, unknown> {
  const base = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { k: '' } };
  const pad = bytes - objectBytes(base);
  return { ...base, data: { k: 'x'.repeat(pad) } };
}

const doc = (file: string, object: Record<string, unknown> | null): ParsedDocument => ({
  file,
  object,
});

describe('checkObjectSizes', () => {
  it('names the file and the object of one at the 256 KiB limit, with its size', () => {
    const big = configMapOf(MAX_OBJECT_BYTES);
    expect(objectBytes(big)).toBe(MAX_OBJECT_BYTES);
    const findings = checkObjectSizes([doc('dev/registry/configmap-big.yaml', big)]);
    expect(findings).toEqual([
      {
        file: 'dev/registry/configmap-big.yaml',
        resource: 'ConfigMap/big',
        message: expect.stringContaining(
          `is ${MAX_OBJECT_BYTES} bytes as JSON, over the 262144-byte`,
        ),
      },
    ]);
  });

  it('admits an object one byte under the limit and skips empty documents', () => {
    const ok = configMapOf(MAX_OBJECT_BYTES - 1);
    expect(checkObjectSizes([doc('dev/a.yaml', ok), doc('dev/b.yaml', null)])).toEqual([]);
  });

  it('measures UTF-8 bytes, not characters', () => {
    const base = { kind: 'ConfigMap', metadata: { name: 'utf8' }, data: { k: 'é'.repeat(10) } };
    expect(objectBytes(base)).toBe(Buffer.byteLength(JSON.stringify(base)));
    expect(checkObjectSizes([doc('dev/c.yaml', base)], objectBytes(base))).toHaveLength(1);
  });
});
