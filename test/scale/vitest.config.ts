import { defineConfig } from 'vitest/config';

/**
 * `npm run test:scale`: the generated-tenant suites (10,000 tenants; additive tenant PR). Kept
 * out of `npm test` because the 10,000-tenant synth takes minutes on two cores.
 */
export default defineConfig({
  test: {
    include: ['test/scale/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 3_600_000,
    hookTimeout: 3_600_000,
  },
});
