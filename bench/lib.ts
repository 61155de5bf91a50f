// Shared pieces of the province-sized benchmarks (generate.ts, search.ts, entries.ts): the
// engine to open, a seeded PRNG, percentiles, and a server started as a separate process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import { cpus, totalmem } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { configFromEnv, type Config } from '../src/server/config.ts';
import { type Db, openPglite, openPostgres } from '../src/server/db/index.ts';

export type Engine = 'pglite' | 'postgres';

export const BENCH_PASSWORD = 'bench-password-1';
export const BENCH_DB = 'epiguard_bench';
export const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const PG_BENCH_URL = `postgres://postgres@127.0.0.1:5432/${BENCH_DB}`;
export const PGLITE_DIR = '/tmp/epiguard-bench/pglite';
export const PROVINCE = '11'; // Điện Biên

type Options = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;
type Values = Record<string, string | boolean | undefined>;

/** Command-line options shared by every benchmark, plus the script's own. */
export function args(own: Options) {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'postgres' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string', default: '20211001' },
      ...own,
    } as ParseArgsConfig['options'],
    allowPositionals: false,
  }) as { values: Values };
  const engine = values.engine as string;
  if (engine !== 'postgres' && engine !== 'pglite')
    throw new Error(`--engine postgres|pglite, got ${engine}`);
  return {
    ...values,
    engine: engine as Engine,
    databaseUrl: (values['database-url'] as string | undefined) ?? PG_BENCH_URL,
    dataDir: (values['data-dir'] as string | undefined) ?? PGLITE_DIR,
    seed: Number(values.seed),
  } as Values & { engine: Engine; databaseUrl: string; dataDir: string; seed: number };
}

export function benchConfig(engine: Engine, databaseUrl: string, dataDir: string): Config {
  return {
    ...configFromEnv({}),
    province: PROVINCE,
    adminPassword: BENCH_PASSWORD,
    logLevel: 'warn',
    rateLimits: false,
    ...(engine === 'postgres' ? { databaseUrl } : { databaseUrl: undefined, dataDir }),
  };
}

export async function openBenchDb(
  engine: Engine,
  databaseUrl: string,
  dataDir: string,
  poolSize = 10,
): Promise<Db> {
  if (engine === 'postgres') return openPostgres(databaseUrl, poolSize);
  await mkdir(dataDir, { recursive: true });
  return openPglite(dataDir);
}

/** For a benchmark that writes: stops unless it was given a copy of the shared data set. */
export function refuseSharedDataSet(opts: {
  engine: Engine;
  databaseUrl: string;
  dataDir: string;
}) {
  if (
    (opts.engine === 'postgres' && opts.databaseUrl.endsWith(`/${BENCH_DB}`)) ||
    (opts.engine === 'pglite' && opts.dataDir === PGLITE_DIR)
  )
    throw new Error('refusing to write to the shared bench data set: pass a copy');
}

/** mulberry32: a small, fast, seeded PRNG; the same seed gives the same data set. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  /** A version-4-shaped UUID drawn from the generator (deterministic). */
  uuid(): string {
    const h: string[] = [];
    for (let i = 0; i < 4; i++)
      h.push(
        Math.floor(this.next() * 0x100000000)
          .toString(16)
          .padStart(8, '0'),
      );
    const s = h.join('');
    const variant = ((parseInt(s[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
  }
}

/** Draws from weighted items in O(log n) (cumulative weights, binary search). */
export class Weighted<T> {
  private cum: number[] = [];
  private total = 0;
  constructor(
    private items: readonly T[],
    weight: (t: T) => number,
  ) {
    for (const it of items) {
      this.total += Math.max(0, weight(it));
      this.cum.push(this.total);
    }
    if (this.total <= 0) throw new Error('Weighted: all weights are zero');
  }
  draw(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

/** [item, weight] pairs → a Weighted of the items. */
export const weighted = <T>(pairs: readonly (readonly [T, number])[]) => {
  const w = new Weighted(pairs, (p) => p[1]);
  return { draw: (rng: Rng) => w.draw(rng)[0] };
};

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return {
    n: s.length,
    mean,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? NaN,
  };
}

export const fmt = (x: number, d = 1) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d }) : '–';

export function machine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The load average of the machine (1 min), to say what else was running. */
export async function loadAverage(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
}

export interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `epiguard start` as a separate process on 127.0.0.1 (rate limits off so the benchmark is not
 * throttled), so that it does not share an event loop with the load generator.
 */
export async function startServer(opts: {
  engine: Engine;
  databaseUrl: string;
  dataDir: string;
  port: number;
  logLevel?: string;
  nodeArgs?: string[];
  /** Extra environment, e.g. `EPIGUARD_RATE_LIMITS: 'on'` for a benchmark of the limits. */
  env?: NodeJS.ProcessEnv;
}): Promise<Server> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    EPIGUARD_PROVINCE: PROVINCE,
    EPIGUARD_RATE_LIMITS: 'off',
    EPIGUARD_ADMIN_PASSWORD: BENCH_PASSWORD,
    LOG_LEVEL: opts.logLevel ?? 'warn',
    ...opts.env,
  };
  if (opts.engine === 'postgres') env.DATABASE_URL = opts.databaseUrl;
  else {
    delete env.DATABASE_URL;
    env.EPIGUARD_DATA_DIR = opts.dataDir;
  }
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), 'bin/epiguard.mjs', 'start'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${opts.port}`;
  const t0 = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (performance.now() - t0 > 180_000) throw new Error('server did not answer within 180 s');
    await sleep(100);
  }
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(30_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** A keep-alive HTTP client over loopback (node:http, no extra dependency). */
export function httpClient(base: string, maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const u = new URL(base);
  return {
    agent,
    request(
      method: string,
      path: string,
      body: unknown,
      cookie?: string,
    ): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: u.hostname,
            port: u.port,
            method,
            path,
            agent,
            headers: {
              ...(payload
                ? {
                    'content-type': 'application/json',
                    'content-length': Buffer.byteLength(payload),
                  }
                : {}),
              ...(cookie ? { cookie } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
                headers: res.headers,
              }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        if (payload) req.write(payload);
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}

export type HttpClient = ReturnType<typeof httpClient>;

/** Logs in through the real endpoint and returns the cookie to send. */
export async function login(client: HttpClient, username: string): Promise<string> {
  const r = await client.request('POST', '/api/v1/auth/login', {
    username,
    password: BENCH_PASSWORD,
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.body}`);
  const set = r.headers['set-cookie'] ?? [];
  const c = set.map((s) => s.split(';')[0]!).find((s) => s.startsWith('eg_session='));
  if (!c) throw new Error(`login ${username}: no session cookie`);
  return c;
}

/** CPU time (user + system, ms) each process has used so far; 0 for a process that is gone. */
export async function cpuMs(pids: number[]): Promise<Map<number, number>> {
  const { readFile } = await import('node:fs/promises');
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(f[11]) + Number(f[12])) * 10); // clock ticks of 10 ms
    } catch {
      out.set(pid, 0);
    }
  }
  return out;
}

/** CPU used between two snapshots, summed over the processes of the second one. */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0);
  return ms;
}

/** Logs `username` in through the in-process app (`app.inject`); the cookie header to send. */
export async function injectLogin(
  app: { inject: FastifyInstance['inject'] },
  username: string,
  password: string,
): Promise<string> {
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  return `eg_session=${r.cookies.find((c) => c.name === 'eg_session')!.value}`;
}

/**
 * A fresh province account of the bench province (`bench.<tag>.<stamp>`), made by the admin, and
 * its session cookie: the reader a province-wide benchmark times.
 */
export async function provinceSession(
  app: { inject: FastifyInstance['inject'] },
  tag: string,
): Promise<string> {
  const admin = await injectLogin(app, 'admin', BENCH_PASSWORD);
  const username = `bench.${tag}.${Date.now().toString(36)}`;
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie: admin },
    payload: {
      username,
      fullName: 'bench',
      password: 'password-123',
      role: 'province',
      jurisdiction: { level: 'province', unitCode: PROVINCE },
    },
  });
  if (r.statusCode !== 201) throw new Error(`bench user: ${r.statusCode} ${r.body}`);
  return injectLogin(app, username, 'password-123');
}
