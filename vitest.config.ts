import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/identity/keycloak needs Keycloak: `npm run test:identity` (vitest.identity.config.ts).
    exclude: ['**/node_modules/**', 'test/identity/keycloak/**'],
    // Synthesis of every environment is CPU-bound; two cores are what CI has.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
