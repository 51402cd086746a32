import { defineConfig } from 'vitest/config';

/** The cluster suite: real control planes, one environment after the other (npm run test:cluster). */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.cluster.ts'],
    // One control plane at a time: two cores, shared with the rest of CI.
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
});
