import { defineConfig } from 'vitest/config';

// One command (`npm test`) runs every project: domain units, the API suite twice (embedded PGlite
// and a real PostgreSQL server), and the browser tests in Debian's Chromium.
// Issue 10: passwords cost scrypt N=2^17 in production; the suites log in hundreds of times.
const FAST_SCRYPT = { EPIGUARD_SCRYPT_LOG_N: '15' };
const apiFiles = ['src/server/**/*.test.ts', 'test/api/**/*.test.ts'];
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // src/web: the pure parts of pages (layouts, parsing), no browser needed.
          include: ['src/domain/**/*.test.ts', 'src/cli/**/*.test.ts', 'src/web/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'api-pglite',
          include: apiFiles,
          env: { EPIGUARD_TEST_ENGINE: 'pglite', ...FAST_SCRYPT },
          globalSetup: ['test/setup/pglite.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'api-postgres',
          include: apiFiles,
          env: { EPIGUARD_TEST_ENGINE: 'postgres', ...FAST_SCRYPT },
          globalSetup: ['test/setup/postgres.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/setup/web.ts'],
          env: FAST_SCRYPT,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
