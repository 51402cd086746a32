import { defineConfig } from 'vitest/config';

// The HTML report in a real headless Chromium: run by .ci/run (npm run test:diff-report),
// outside the default suite because it needs the Debian chromium package.
export default defineConfig({
  test: {
    include: ['test/diff/browser/**/*.browser.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
