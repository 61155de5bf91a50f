// 15.2: eight busy users at once — the daily pages of province, district, commune, lab and
// checkpoint staff, mixed, against the generated province (bench/generate.ts first).
//   npx tsx bench/mixed.ts --engine postgres|pglite [--clients 8] [--seconds 30] [--port 18392]
// The server is `epiguard start` in a separate process. Each of `--clients` clients logs in as
// one user (province, district, commune ×3, lab, checkpoint ×2) and, in a closed loop, opens a
// page of its role at random: lists (cases, follow-ups, quarantine orders, entries, specimens,
// results, notices, vaccinations due), person searches by name and the person page, boards
// (tracing board, entry and test statistics, lab load) and coverage. Printed: requests/s,
// latency p50/p95/p99 overall and per page, the load average; beside it, in the same run, the
// database's own floor for 8 clients (pgbench --select-only on PostgreSQL).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dateOfInstant } from '../src/domain/dates.ts';
import {
  args,
  fmt,
  httpClient,
  loadAverage,
  login,
  machine,
  openBenchDb,
  Rng,
  startServer,
  summary,
  type HttpClient,
} from './lib.ts';

const opt = args({
  clients: { type: 'string', default: '8' },
  seconds: { type: 'string', default: '30' },
  port: { type: 'string', default: '18392' },
});
const CLIENTS = Number(opt.clients);
const SECONDS = Number(opt.seconds);
const today = dateOfInstant(Date.now());
const weekAgo = dateOfInstant(Date.now() - 7 * 86_400_000);

type Page = { name: string; path: () => string };
interface User {
  username: string;
  pages: Page[];
}

async function main() {
  const db = await openBenchDb(opt.engine, opt.databaseUrl, opt.dataDir, 2);
  const communes = await db.query<{ code: string; district_code: string }>(
    `SELECT u.code, u.district_code FROM admin_units u JOIN users x ON x.username = 'bench.xa.' || u.code
      WHERE u.level = 3 ORDER BY u.code LIMIT 3`,
  );
  const district = communes[0]!.district_code;
  // Names people search for and persons opened, drawn from each commune (seeded).
  const rng = new Rng(opt.seed);
  const sample = async (where: string, p: unknown[]) =>
    db.query<{ id: string; search_name: string; birth_year: number }>(
      `SELECT id, search_name, birth_year FROM persons WHERE ${where} AND merged_into IS NULL LIMIT 200`,
      p,
    );
  const byCommune = new Map<string, Awaited<ReturnType<typeof sample>>>();
  for (const c of communes) byCommune.set(c.code, await sample('commune_code = $1', [c.code]));
  const provinceSample = await sample('district_code = $1', [district]);
  await db.close();

  const server = await startServer({
    engine: opt.engine,
    databaseUrl: opt.databaseUrl,
    dataDir: opt.dataDir,
    port: Number(opt.port),
  });
  const client: HttpClient = httpClient(server.url, CLIENTS * 2);
  try {
    const admin = await login(client, 'admin');
    // A lab and its user (kept from an earlier run if there is one).
    const sites = await client.request('GET', '/api/v1/sites?kind=lab', undefined, admin);
    let labId = (JSON.parse(sites.body).items ?? []).find(
      (s: { name: string }) => s.name === 'Bench lab',
    )?.id as string | undefined;
    if (!labId) {
      const r = await client.request(
        'POST',
        '/api/v1/sites',
        { kind: 'lab', name: 'Bench lab', communeCode: communes[0]!.code },
        admin,
      );
      if (r.status !== 201) throw new Error(`lab site: ${r.status} ${r.body}`);
      labId = JSON.parse(r.body).id as string;
    }
    const u = await client.request(
      'POST',
      '/api/v1/users',
      {
        username: 'bench.lab',
        fullName: 'Bench lab',
        password: 'bench-password-1',
        role: 'lab',
        jurisdiction: { level: 'site', siteId: labId },
      },
      admin,
    );
    if (u.status !== 201 && u.status !== 409) throw new Error(`lab user: ${u.status} ${u.body}`);

    const pick = <T>(xs: T[]) => xs[rng.int(xs.length)]!;
    const search = (xs: { search_name: string; birth_year: number }[]) => () => {
      const p = pick(xs);
      const words = p.search_name.split(' ');
      return `/api/v1/persons?q=${encodeURIComponent(`${words.slice(-2).join(' ')} ${p.birth_year}`)}`;
    };
    const person = (xs: { id: string }[]) => () => `/api/v1/persons/${pick(xs).id}`;
    const fixed =
      (path: string): (() => string) =>
      () =>
        path;
    const p = (name: string, path: () => string): Page => ({ name, path });
    const communeUser = (code: string): User => ({
      username: `bench.xa.${code}`,
      pages: [
        p('follow-ups due today', fixed('/api/v1/follow-ups?due=today')),
        p('follow-ups open', fixed('/api/v1/follow-ups?due=open')),
        p('quarantine orders', fixed('/api/v1/quarantine-orders')),
        p('cases', fixed('/api/v1/cases?status=open')),
        p('person search', search(byCommune.get(code)!)),
        p('person page', person(byCommune.get(code)!)),
        p('notices', fixed('/api/v1/notices')),
        p('vaccinations due', fixed(`/api/v1/vaccinations/due?commune=${code}`)),
      ],
    });
    const users: User[] = [
      {
        username: 'bench.tinh',
        pages: [
          p('cases', fixed('/api/v1/cases')),
          p('follow-ups due today', fixed('/api/v1/follow-ups?due=today')),
          p('tracing board', fixed('/api/v1/tracing/board')),
          p('entry stats', fixed(`/api/v1/entry-stats?from=${weekAgo}&to=${today}`)),
          p('test stats', fixed(`/api/v1/test-stats?from=${weekAgo}&to=${today}`)),
          p('coverage', fixed('/api/v1/coverage?unit=11')),
          p('person search', search(provinceSample)),
        ],
      },
      {
        username: `bench.huyen.${district}`,
        pages: [
          p('cases', fixed('/api/v1/cases')),
          p('follow-ups overdue', fixed('/api/v1/follow-ups?due=overdue')),
          p('person search', search(provinceSample)),
          p('person page', person(provinceSample)),
          p('tracing board', fixed('/api/v1/tracing/board')),
        ],
      },
      ...communes.map((c) => communeUser(c.code)),
      {
        username: 'bench.lab',
        pages: [
          p('specimens', fixed('/api/v1/specimens')),
          p('results', fixed('/api/v1/results')),
          p('lab load', fixed('/api/v1/labs/load')),
        ],
      },
      ...['bench.chot.01', 'bench.chot.02'].map((username) => ({
        username,
        pages: [
          p('entries', fixed('/api/v1/entries')),
          p('entries today', fixed(`/api/v1/entries?date=${today}`)),
        ],
      })),
    ].slice(0, CLIENTS);
    const cookies = await Promise.all(users.map((x) => login(client, x.username)));

    // Each page once, to warm the caches and to fail early on a page that does not answer.
    for (const [i, x] of users.entries())
      for (const pg of x.pages) {
        const r = await client.request('GET', pg.path(), undefined, cookies[i]);
        if (r.status !== 200) throw new Error(`${x.username} ${pg.path()}: ${r.status} ${r.body}`);
      }

    const loadBefore = await loadAverage();
    const lat: number[] = [];
    const perPage = new Map<string, number[]>();
    const statuses: Record<string, number> = {};
    const t0 = performance.now();
    const until = t0 + SECONDS * 1000;
    await Promise.all(
      users.map(async (x, i) => {
        while (performance.now() < until) {
          const pg = pick(x.pages);
          const s = performance.now();
          const r = await client.request('GET', pg.path(), undefined, cookies[i]);
          const ms = performance.now() - s;
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          lat.push(ms);
          const key = `${pg.name}`;
          if (!perPage.has(key)) perPage.set(key, []);
          perPage.get(key)!.push(ms);
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    const all = summary(lat);
    console.log(
      `mixed load: ${opt.engine}; ${users.length} clients for ${fmt(secs)} s; ${machine()}; load average ${loadBefore} → ${await loadAverage()}`,
    );
    console.log(
      `  ${fmt(lat.length, 0)} requests = ${fmt(lat.length / secs, 1)} requests/s; p50 ${fmt(all.p50)} / p95 ${fmt(all.p95)} / p99 ${fmt(all.p99)} / max ${fmt(all.max)} ms; statuses ${JSON.stringify(statuses)}`,
    );
    for (const [name, ms] of [...perPage.entries()].sort()) {
      const s = summary(ms);
      console.log(
        `    ${name.padEnd(22)} n ${String(s.n).padStart(5)}  p50 ${fmt(s.p50).padStart(7)}  p95 ${fmt(s.p95).padStart(7)} ms`,
      );
    }
  } finally {
    client.agent.destroy();
    await server.stop();
  }
  if (opt.engine === 'postgres') {
    // The database's floor for 8 clients on this machine, now: primary-key reads (pgbench -S).
    const run = promisify(execFile);
    await run('pgbench', ['-i', '-q', '-s', '1', '--unlogged-tables', opt.databaseUrl]).catch(
      () => undefined,
    );
    const { stdout } = await run('pgbench', [
      '-n',
      '-S',
      '-c',
      String(CLIENTS),
      '-j',
      '2',
      '-T',
      '10',
      opt.databaseUrl,
    ]);
    const tps = /tps = ([\d.]+)/.exec(stdout)?.[1];
    console.log(
      `  baseline, same run: pgbench --select-only, ${CLIENTS} clients, 10 s: ${tps} transactions/s; load average ${await loadAverage()}`,
    );
  }
}

await main();
