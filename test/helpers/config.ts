import { configFromEnv, type Config } from '../../src/server/config.ts';

export const ADMIN_PASSWORD = 'admin-password-1';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...configFromEnv({}),
    adminPassword: ADMIN_PASSWORD,
    logLevel: 'silent',
    rateLimits: false,
    ...overrides,
  };
}

export const testPostgresUrl = () =>
  process.env.EPIGUARD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
