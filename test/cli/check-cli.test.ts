import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers';

const run = (...args: string[]) =>
  spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(ROOT, 'src/cli/check.ts'), ...args],
    {
      encoding: 'utf8',
    },
  );

describe('npm run check', () => {
  it.each(['0', '1.5', 'two'])('refuses --threads %s with exit 2 and the usage', (value) => {
    const result = run('--threads', value);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`--threads must be a whole number >= 1, got "${value}"`);
    expect(result.stderr).toContain('usage: npm run check');
  });
});
