import { defineConfig } from 'vitest/config';

/** The identity suite: a real Keycloak (.ci/install-keycloak.sh) started by the suite itself. */
export default defineConfig({
  test: {
    include: ['test/identity/keycloak/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 360_000,
  },
});
