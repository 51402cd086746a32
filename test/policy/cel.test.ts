import { isCelError } from '@bufbuild/cel';
import { describe, expect, it } from 'vitest';
import { compileCel } from '../../src/policy/cel';

describe('compileCel', () => {
  it('matches a literal pattern the same way on every call (the pattern is compiled once)', () => {
    const program = compileCel("self.matches('^a+$')");
    expect([program({ self: 'aaa' }), program({ self: 'ab' }), program({ self: 'a' })]).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('matches patterns taken from the bindings, each on its own', () => {
    const program = compileCel("'abc'.matches(self)");
    expect(program({ self: 'b' })).toBe(true);
    expect(program({ self: '^b' })).toBe(false);
    expect(program({ self: 'c$' })).toBe(true);
  });

  it('returns an invalid pattern as an error on every call, never as a match', () => {
    const program = compileCel("self.matches('(')");
    for (let i = 0; i < 2; i++) {
      const result = program({ self: '(' });
      expect(isCelError(result)).toBe(true);
      expect(isCelError(result) && result.message).toMatch(/missing closing \)/);
    }
  });

  it('returns a parse error as a program that yields it, instead of throwing', () => {
    const result = compileCel('self.(')({ self: 1 });
    expect(isCelError(result)).toBe(true);
  });
});
