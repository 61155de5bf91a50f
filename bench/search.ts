// P4: person search over the generated province (bench/generate.ts first).
//   npx tsx bench/search.ts --engine postgres|pglite [--per-kind 100] [--port 18090]
//     [--throughput-seconds 15] [--concurrency 8]
// Queries are drawn from the data set (seeded): an ID number, a phone, a full name typed without
// accents ("nguyen van an"), a name prefix ("nguyen thi th"), a name with a birth year
// ("nguyen van an 1985"), the given name without the family name ("thi lan") and the family
// name alone, as typed before the rest ("nguyen", "giang"); each kind is
// asked as the province user and as the user of the commune the person lives in.
// 1. raw: the same SQL the API runs (searchPersons from src/server/people/store.ts, page of 50+1)
//    straight on the database, one query at a time; EXPLAIN ANALYZE of the slowest of each kind;
// 2. http: GET /api/v1/persons?q=… against `epiguard start` in a separate process over loopback,
//    one request at a time (latency), then `--concurrency` clients for `--throughput-seconds`.
// The raw phase runs first and closes its connection, because a PGlite folder can only be open
// in one process at a time.
import type { Scope } from '../src/domain/access.ts';
import { classifyQuery } from '../src/domain/people.ts';
import type { Db, Queryable } from '../src/server/db/index.ts';
import { searchPersons } from '../src/server/people/store.ts';
import {
  args,
  fmt,
  httpClient,
  loadAverage,
  login,
  machine,
  openBenchDb,
  PROVINCE,
  Rng,
  startServer,
  summary,
} from './lib.ts';

const opt = args({
  'per-kind': { type: 'string', default: '100' },
  port: { type: 'string', default: '18090' },
  'throughput-seconds': { type: 'string', default: '15' },
  concurrency: { type: 'string', default: '8' },
  'skip-http': { type: 'boolean', default: false },
});
const PER_KIND = Number(opt['per-kind']);
const KINDS = [
  'id',
  'phone',
  'name_full',
  'name_prefix',
  'name_year',
  'given_name',
  'family_name',
] as const;
type Kind = (typeof KINDS)[number];
type Role = 'province' | 'commune';
const ROLES: Role[] = ['province', 'commune'];
const LIMIT = 50;

interface Sample {
  full_name: string;
  search_name: string;
  birth_year: number;
  id_number: string | null;
  phone: string | null;
  province_code: string;
  district_code: string;
  commune_code: string;
}
interface Query {
  role: Role;
  kind: Kind;
  q: string;
  commune: string;
  district: string;
}

const spaced = (s: string) => s.replace(/(\d{3})(?=\d)/g, '$1 ');

function textFor(kind: Kind, p: Sample, rng: Rng): string | null {
  const words = p.search_name.split(' ');
  switch (kind) {
    case 'id':
      if (!p.id_number) return null;
      return rng.chance(0.3) ? spaced(p.id_number) : p.id_number;
    case 'phone':
      if (!p.phone) return null;
      return rng.chance(0.3) ? `+84 ${spaced(p.phone.slice(1))}` : p.phone;
    case 'name_full':
      return p.search_name;
    case 'name_prefix': {
      const last = words[words.length - 1]!;
      return [...words.slice(0, -1), last.slice(0, 1 + rng.int(2))].join(' ');
    }
    case 'name_year':
      return `${p.search_name} ${p.birth_year}`;
    case 'given_name':
      return words.slice(-2).join(' ');
    case 'family_name':
      return words[0]!;
  }
}

async function sampleQueries(db: Db): Promise<Query[]> {
  const rng = new Rng(opt.seed + 1);
  // Persons drawn at random but repeatably; province users also look for travellers.
  const rows = await db.query<Sample>(
    `SELECT full_name, search_name, birth_year, id_number, phone, province_code, district_code, commune_code
       FROM persons TABLESAMPLE BERNOULLI (1) REPEATABLE (${opt.seed % 100000})
      WHERE merged_into IS NULL LIMIT 20000`,
  );
  const residents = rows.filter((r) => r.province_code === PROVINCE);
  const out: Query[] = [];
  for (const role of ROLES) {
    for (const kind of KINDS) {
      let n = 0;
      for (let tries = 0; n < PER_KIND && tries < 100_000; tries++) {
        const p = role === 'commune' ? rng.pick(residents) : rng.pick(rows);
        const q = textFor(kind, p, rng);
        if (!q) continue;
        out.push({ role, kind, q, commune: p.commune_code, district: p.district_code });
        n++;
      }
    }
  }
  // one shuffled order for every phase, so no kind runs on caches warmed by its own kind
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const scopeOf = (q: Query): Scope =>
  q.role === 'province'
    ? { level: 'province', provinceCode: PROVINCE }
    : {
        level: 'commune',
        provinceCode: PROVINCE,
        districtCode: q.district,
        communeCode: q.commune,
      };

type Stats = Map<string, { ms: number[]; hits: number[] }>;
const keyOf = (q: Query) => `${q.role}/${q.kind}`;
function record(stats: Stats, q: Query, ms: number, hits: number) {
  const s = stats.get(keyOf(q)) ?? { ms: [], hits: [] };
  s.ms.push(ms);
  s.hits.push(hits);
  stats.set(keyOf(q), s);
}

async function rawPhase(db: Db, queries: Query[]) {
  const stats: Stats = new Map();
  const slowest = new Map<string, { ms: number; q: Query; sql: string; params: unknown[] }>();
  let last = { sql: '', params: [] as unknown[] };
  const capture: Queryable = {
    query: (sql, params = []) => {
      last = { sql, params };
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
  };
  const run = (q: Query) =>
    searchPersons(capture, scopeOf(q), classifyQuery(q.q), {}, null, LIMIT + 1);
  for (const q of queries.slice(0, 200)) await run(q); // warm-up
  for (const q of queries) {
    const t0 = performance.now();
    const rows = await run(q);
    const ms = performance.now() - t0;
    record(stats, q, ms, Math.min(rows.length, LIMIT));
    const prev = slowest.get(keyOf(q));
    if (!prev || ms > prev.ms) slowest.set(keyOf(q), { ms, q, ...last });
  }
  return { stats, slowest };
}

async function explain(db: Db, slow: { ms: number; q: Query; sql: string; params: unknown[] }) {
  const plan = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${slow.sql}`,
    slow.params,
  );
  return plan.map((r) => r['QUERY PLAN']).join('\n');
}

async function httpPhase(queries: Query[]) {
  const server = await startServer({
    engine: opt.engine,
    databaseUrl: opt.databaseUrl,
    dataDir: opt.dataDir,
    port: Number(opt.port),
  });
  const concurrency = Number(opt.concurrency);
  const client = httpClient(server.url, concurrency);
  try {
    const cookies = new Map<string, string>();
    const cookieFor = async (q: Query) => {
      const user = q.role === 'province' ? 'bench.tinh' : `bench.xa.${q.commune}`;
      let c = cookies.get(user);
      if (!c) {
        c = await login(client, user);
        cookies.set(user, c);
      }
      return c;
    };
    for (const q of queries) await cookieFor(q); // log everyone in before timing
    const ask = async (q: Query) => {
      const r = await client.request(
        'GET',
        `/api/v1/persons?q=${encodeURIComponent(q.q)}`,
        undefined,
        await cookieFor(q),
      );
      if (r.status !== 200) throw new Error(`${q.q}: ${r.status} ${r.body.slice(0, 300)}`);
      return (JSON.parse(r.body) as { items: unknown[] }).items.length;
    };
    for (const q of queries.slice(0, 200)) await ask(q); // warm-up
    const stats: Stats = new Map();
    for (const q of queries) {
      const t0 = performance.now();
      const hits = await ask(q);
      record(stats, q, performance.now() - t0, hits);
    }
    // throughput: `concurrency` clients going through the same list for a fixed time
    const seconds = Number(opt['throughput-seconds']);
    let done = 0;
    const all: number[] = [];
    const until = performance.now() + seconds * 1000;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const q = queries[next++ % queries.length]!;
          const t0 = performance.now();
          await ask(q);
          all.push(performance.now() - t0);
          done++;
        }
      }),
    );
    return { stats, throughput: { perSecond: done / seconds, latency: summary(all), concurrency } };
  } finally {
    client.close();
    await server.stop();
  }
}

function table(title: string, stats: Stats) {
  const lines = [
    `\n${title}`,
    '| user | query kind | n | mean hits | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const every: number[] = [];
  for (const role of ROLES)
    for (const kind of KINDS) {
      const s = stats.get(`${role}/${kind}`);
      if (!s) continue;
      every.push(...s.ms);
      const m = summary(s.ms);
      const hits = s.hits.reduce((a, b) => a + b, 0) / s.hits.length;
      lines.push(
        `| ${role} | ${kind} | ${m.n} | ${fmt(hits)} | ${fmt(m.p50)} | ${fmt(m.p95)} | ${fmt(m.p99)} | ${fmt(m.max)} |`,
      );
    }
  const m = summary(every);
  lines.push(
    `| all | all | ${m.n} | | ${fmt(m.p50)} | ${fmt(m.p95)} | ${fmt(m.p99)} | ${fmt(m.max)} |`,
  );
  console.log(lines.join('\n'));
}

async function main() {
  console.log(`search: ${opt.engine}; ${machine()}; load average ${await loadAverage()}`);
  const db = await openBenchDb(opt.engine, opt.databaseUrl, opt.dataDir, 2);
  const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM persons'))[0]!.n;
  const keys = (
    await db.query<{ n: number }>('SELECT count(*)::int AS n FROM person_name_keys')
  )[0]!.n;
  console.log(`data set: ${fmt(n, 0)} persons, ${fmt(keys, 0)} name keys`);
  const queries = await sampleQueries(db);
  console.log(`${queries.length} queries (${PER_KIND} per kind per user); examples:`);
  for (const kind of KINDS)
    console.log(
      `  ${kind}: ${queries
        .filter((q) => q.kind === kind)
        .slice(0, 3)
        .map((q) => JSON.stringify(q.q))
        .join(', ')}`,
    );

  const t0 = performance.now();
  const raw = await rawPhase(db, queries);
  console.log(`raw phase ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  table(`raw SQL (searchPersons straight on ${opt.engine}, one at a time)`, raw.stats);
  const slowest = [...raw.slowest.values()].sort((a, b) => b.ms - a.ms).slice(0, 3);
  for (const w of slowest) {
    console.log(
      `\nslowest ${w.q.role}/${w.q.kind}: ${JSON.stringify(w.q.q)} ${fmt(w.ms)} ms; EXPLAIN ANALYZE (re-run):`,
    );
    console.log(await explain(db, w));
  }

  // Not in the mix above: what a commune user of one of the smallest communes meets when the
  // first word typed is common elsewhere and rare at home (or a single letter): the name index
  // leads with the key, so the commune filter discards everyone else's names in the range.
  const small = await db.query<{ commune_code: string; district_code: string; n: number }>(
    `SELECT commune_code, district_code, count(*)::int AS n FROM persons WHERE province_code = $1
      GROUP BY 1, 2 ORDER BY 3 LIMIT 3`,
    [PROVINCE],
  );
  const worst: { ms: number; q: Query; sql: string; params: unknown[] }[] = [];
  let last = { sql: '', params: [] as unknown[] };
  const capture: Queryable = {
    query: (sql, params = []) => {
      last = { sql, params };
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
  };
  const lines = ['\nadversarial commune searches (raw, ms, best of 3):'];
  for (const c of small) {
    const cells: string[] = [];
    for (const text of ['nguyen', 'tran', 'van', 'thi', 'n', 't']) {
      const q: Query = {
        role: 'commune',
        kind: 'family_name',
        q: text,
        commune: c.commune_code,
        district: c.district_code,
      };
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await searchPersons(capture, scopeOf(q), classifyQuery(text), {}, null, LIMIT + 1);
        best = Math.min(best, performance.now() - t0);
      }
      worst.push({ ms: best, q, ...last });
      cells.push(`"${text}" ${fmt(best)}`);
    }
    lines.push(`  commune ${c.commune_code} (${fmt(c.n, 0)} persons): ${cells.join(', ')}`);
  }
  console.log(lines.join('\n'));
  const w = worst.sort((a, b) => b.ms - a.ms)[0];
  if (w) {
    console.log(`slowest: commune ${w.q.commune} "${w.q.q}" ${fmt(w.ms)} ms; EXPLAIN ANALYZE:`);
    console.log(await explain(db, w));
  }
  await db.close();

  if (opt['skip-http']) return;
  console.log(`\nload average before HTTP ${await loadAverage()}`);
  const t1 = performance.now();
  const http = await httpPhase(queries);
  console.log(`http phase ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  table(
    `HTTP GET /api/v1/persons?q=… (separate server process, loopback, one at a time)`,
    http.stats,
  );
  const tp = http.throughput;
  console.log(
    `\nthroughput with ${tp.concurrency} concurrent clients: ${fmt(tp.perSecond, 0)} searches/s; latency p50 ${fmt(tp.latency.p50)} / p95 ${fmt(tp.latency.p95)} / p99 ${fmt(tp.latency.p99)} ms`,
  );
  console.log(`load average after ${await loadAverage()}`);
}

await main();
