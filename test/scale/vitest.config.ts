import { defineConfig } from 'vitest/config';

/**
 * `npm run test:scale`: the 10,000-tenant suite, kept out of `npm test` because its synth takes
 * minutes on two cores. (The additive tenant-PR suite beside it runs in `npm test`.)
 */
export default defineConfig({
  test: {
    include: ['test/scale/ten-thousand-tenants.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 3_600_000,
    hookTimeout: 3_600_000,
  },
});
