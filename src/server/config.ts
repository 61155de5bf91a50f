import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  adminPassword?: string;
  province: string;
  /** Session lifetime in hours. */
  sessionHours: number;
  /** Log level for the structured (JSON) logs. */
  logLevel: string;
  /** Set to false in tests that must not be throttled. */
  rateLimits: boolean;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const province = env.EPIGUARD_PROVINCE ?? '11';
  if (!/^\d{2}$/.test(province))
    throw new Error(`EPIGUARD_PROVINCE must be a two-digit GSO province code, got "${province}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.EPIGUARD_DATA_DIR ?? 'var/db'),
    adminPassword: env.EPIGUARD_ADMIN_PASSWORD || undefined,
    province,
    sessionHours: Number(env.EPIGUARD_SESSION_HOURS ?? 12),
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimits: env.EPIGUARD_RATE_LIMITS !== 'off',
  };
}
