import { describe, expect, it } from 'vitest';
import { parseSpecFile, SPEC_LIMITS } from '../../src/spec/source';
import { tenantSpec } from '../../src/spec/tenant';

const file = 'tenants/bomb.yaml';

describe('spec files are refused quickly when hostile or huge', () => {
  it('refuses a billion-laughs alias bomb without expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const started = Date.now();
    const result = parseSpecFile({ path: file, content: lines.join('\n') }, tenantSpec);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.message).toMatch(/alias|refused/i);
    // Not a timing assertion on the product: a sanity bound that the bomb was not expanded
    // (full expansion is 9^10 nodes and would not finish).
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a file larger than the byte limit', () => {
    const content = `name: x\ndisplayName: "${'x'.repeat(SPEC_LIMITS.maxFileBytes)}"\n`;
    const result = parseSpecFile({ path: file, content }, tenantSpec);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues[0]).toMatchObject({
        file,
        message: expect.stringMatching(/limit is 262144 bytes/),
      });
  });

  it('refuses nesting deeper than the limit', () => {
    const content = `name: ${'['.repeat(SPEC_LIMITS.maxDepth + 5)}${']'.repeat(SPEC_LIMITS.maxDepth + 5)}\n`;
    const result = parseSpecFile({ path: file, content }, tenantSpec);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.message).toMatch(/levels deep; the limit is 32/);
  });

  it('refuses a file that is not a mapping', () => {
    const result = parseSpecFile({ path: file, content: '- a\n- b\n' }, tenantSpec);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.message).toMatch(/expected object/);
  });
});
