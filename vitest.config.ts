import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Suites that run on their own: test/identity/keycloak needs Keycloak (`npm run
    // test:identity`); the 10,000-tenant suite takes minutes (`npm run test:scale`). The
    // additive tenant-PR suite (30 generated tenants, ~15 s) runs here.
    exclude: [
      '**/node_modules/**',
      'test/identity/keycloak/**',
      'test/scale/ten-thousand-tenants.test.ts',
    ],
    // Synthesis of every environment is CPU-bound; two cores are what CI has.
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores, so a single worker on CI's two. Many
    // files spend their time waiting on child processes (synth, helm, PostgreSQL, servers), so
    // two workers there took npm test from 557 s to 388 s on a quiet machine.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
