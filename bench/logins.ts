// Issue 10, item 5: a forged X-Forwarded-For does not lift the login limits.
//
//   npx tsx bench/logins.ts [--engine pglite|postgres] [--attempts 1000] [--concurrency 8]
//
// On a FRESH database (PGlite: a new temporary folder; PostgreSQL: a new database created here
// and dropped at the end) a real server process (`epiguard start`, rate limits ON, no trusted
// proxy: the default) receives wrong-password logins in two phases, each on a freshly started
// server so the in-memory per-route limit starts from zero:
//   forged — every attempt carries a fresh random X-Forwarded-For;
//   plain  — the same number of attempts without the header (one client, the reference).
// Each phase names its own unknown username so the per-(username, client) counters start at zero.
// The forged phase must be throttled exactly as the plain one, and its audit records must
// carry the real peer address, never a forged one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  args,
  fmt,
  loadAverage,
  machine,
  openBenchDb,
  PG_ADMIN_URL,
  startServer,
  summary,
  type Engine,
} from './lib.ts';
import { openPostgres } from '../src/server/db/index.ts';

const opts = args({
  attempts: { type: 'string', default: '1000' },
  concurrency: { type: 'string', default: '8' },
  port: { type: 'string', default: '18310' },
});
const engine: Engine = opts.engine;
const attempts = Number(opts.attempts);
const concurrency = Number(opts.concurrency);
const port = Number(opts.port);

const randomIp = () =>
  `${1 + Math.floor(Math.random() * 223)}.${Math.floor(Math.random() * 256)}.${Math.floor(
    Math.random() * 256,
  )}.${1 + Math.floor(Math.random() * 254)}`;

interface PhaseResult {
  name: string;
  counts: Map<string, number>;
  firstThrottled: number;
  ms: number[];
  wallMs: number;
  forged: Set<string>;
}

async function phase(
  name: 'forged' | 'plain',
  db: { databaseUrl: string; dataDir: string },
): Promise<PhaseResult> {
  const server = await startServer({
    engine,
    ...db,
    port,
    env: { EPIGUARD_RATE_LIMITS: 'on', EPIGUARD_TRUSTED_PROXIES: '' },
  });
  const counts = new Map<string, number>();
  const ms: number[] = [];
  const forged = new Set<string>();
  let firstThrottled = -1;
  let next = 0;
  const t0 = performance.now();
  try {
    const worker = async () => {
      for (let i = next++; i < attempts; i = next++) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (name === 'forged') {
          const ip = randomIp();
          forged.add(ip);
          headers['x-forwarded-for'] = ip;
        }
        const s = performance.now();
        const r = await fetch(`${server.url}/api/v1/auth/login`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ username: `bench-${name}-nobody`, password: 'wrong-password-1' }),
        });
        const body = (await r.json().catch(() => ({}))) as { error?: string };
        ms.push(performance.now() - s);
        const key = `${r.status}${body.error ? ` ${body.error}` : ''}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (r.status === 429 && (firstThrottled < 0 || i < firstThrottled)) firstThrottled = i;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await server.stop();
  }
  return { name, counts, firstThrottled, ms, wallMs: performance.now() - t0, forged };
}

async function main() {
  console.log(`# logins: ${machine()}; engine ${engine}; load average ${await loadAverage()}`);
  let databaseUrl = opts.databaseUrl;
  let dataDir = opts.dataDir;
  const fresh = `epiguard_bench_logins_${process.pid}`;
  if (engine === 'postgres') {
    const admin = await openPostgres(PG_ADMIN_URL, 1);
    await admin.query(`CREATE DATABASE ${fresh}`);
    await admin.close();
    databaseUrl = PG_ADMIN_URL.replace(/\/postgres$/, `/${fresh}`);
  } else dataDir = await mkdtemp(join(tmpdir(), 'epiguard-logins-'));
  try {
    const results: PhaseResult[] = [];
    for (const name of ['forged', 'plain'] as const)
      results.push(await phase(name, { databaseUrl, dataDir }));
    // The trail, read after the server has stopped (PGlite has one owner at a time).
    const db = await openBenchDb(engine, databaseUrl, dataDir, 1);
    const ips = await db.query<{ ip: string | null; n: number }>(
      `SELECT ip, count(*)::int AS n FROM audit_events WHERE action = 'auth.login' GROUP BY ip`,
    );
    await db.close();
    const forgedInTrail = ips.filter((r) => r.ip && results[0]!.forged.has(r.ip)).length;
    for (const r of results) {
      const s = summary(r.ms);
      const throttled = [...r.counts]
        .filter(([k]) => k.startsWith('429'))
        .reduce((a, [, n]) => a + n, 0);
      console.log(
        `${r.name.padEnd(6)}: ${attempts} attempts in ${fmt(r.wallMs / 1000)} s; ` +
          `answers ${[...r.counts].map(([k, n]) => `${k}: ${n}`).join(', ')}; ` +
          `throttled ${throttled} (${fmt((100 * throttled) / attempts)} %), first at attempt #${r.firstThrottled + 1}; ` +
          `latency p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms`,
      );
    }
    console.log(
      `audit trail of auth.login: ${ips.map((r) => `${r.ip ?? 'null'} × ${r.n}`).join(', ')}; ` +
        `forged addresses recorded: ${forgedInTrail} of ${results[0]!.forged.size}`,
    );
    console.log(`load average after: ${await loadAverage()}`);
  } finally {
    if (engine === 'postgres') {
      const admin = await openPostgres(PG_ADMIN_URL, 1);
      await admin.query(`DROP DATABASE IF EXISTS ${fresh}`);
      await admin.close();
    } else await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
