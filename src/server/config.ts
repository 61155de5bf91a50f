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
  /**
   * Proxies whose X-Forwarded-For / -Proto are believed (addresses or CIDRs). Empty (the
   * default): the client is the address the connection comes from, whatever headers it sends.
   */
  trustedProxies: string[];
  /** Demo mode: the demo accounts' known password is allowed, and the web app shows a banner. */
  demo: boolean;
  /** Idle sessions end after this many minutes without a request. */
  sessionIdleMinutes: number;
  /** Session cookies only over HTTPS ('auto': when the request came over HTTPS). */
  secureCookies: boolean | 'auto';
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
    trustedProxies: (env.EPIGUARD_TRUSTED_PROXIES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    demo: env.EPIGUARD_DEMO === 'on',
    sessionIdleMinutes: Number(env.EPIGUARD_SESSION_IDLE_MINUTES ?? 60),
    secureCookies:
      env.EPIGUARD_SECURE_COOKIES === 'on'
        ? true
        : env.EPIGUARD_SECURE_COOKIES === 'off'
          ? false
          : 'auto',
  };
}
