import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Suites that run on their own: test/identity/keycloak needs Keycloak (`npm run
    // test:identity`); the generated-tenant scale suites take minutes (`npm run test:scale`).
    exclude: ['**/node_modules/**', 'test/identity/keycloak/**', 'test/scale/**'],
    // Synthesis of every environment is CPU-bound; two cores are what CI has.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
