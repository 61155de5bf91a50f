// P1: entries at checkpoints through the API, on the generated province (bench/generate.ts first).
//   npx tsx bench/entries.ts --engine postgres|pglite [--concurrency 48] [--max-seconds 45]
//     [--rate 500[,100…]] [--rate-seconds 30] [--raw-seconds 15] [--log-level warn] [--port 18091]
//     [--phases raw,max,rate] [--cpu-prof-seconds 0]
// Each API request is what a checkpoint officer's phone sends when it scans a traveller:
// POST /api/v1/entries {clientId (new UUID), direction 'in', qr (signed declaration QR) or
// declarationCode, sometimes a vehicle, companions}. The server looks the declaration up,
// classifies the arrival, inserts the entry, the follow-up for the destination commune, the
// daily count and the audit event, and commits. Every request uses a declaration of its own,
// valid today, and one of the 32 checkpoint officers' sessions in turn.
//   raw   the same rows straight into the database, no HTTP: (1) per entry one transaction with
//         the three writes, one plain INSERT each (entries, follow_ups, entry_daily_counts
//         upsert); (2) per entry the handler's own two statements (the scan's read, the one
//         write statement with the audit event), prepared, as POST /api/v1/entries sends them;
//         (4) the same rows in bulk, 1,000 entries per transaction and one statement per table
//         (the database's ceiling). Each with the CPU it cost.
//   max   `--concurrency` clients in a closed loop for `--max-seconds`: the maximum rate.
//   rate  a fixed arrival rate (open loop) for `--rate-seconds`; latency is counted from the
//         moment each request was due, so a server falling behind shows in it.
// The server is `epiguard start` in a separate process on 127.0.0.1 with EPIGUARD_RATE_LIMITS=off
// and LOG_LEVEL=warn (--log-level info to include per-request logging). With
// --cpu-prof-seconds N, a further max-rate run of N seconds under `node --cpu-prof`; the profile
// is summarised by bench/profile.ts.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { dateOfInstant } from '../src/domain/dates.ts';
import { classifyArrival, type ArrivalDecision } from '../src/domain/entry.ts';
import type { ArrivalRuleSet } from '../src/domain/rulesets.ts';
import type { Db, Queryable } from '../src/server/db/index.ts';
import { areasInForce, type AreaRow } from '../src/server/entry/areas.ts';
import {
  DECLARATION_COLUMNS,
  declarationQr,
  type DeclarationRow,
} from '../src/server/entry/declarations.ts';
import { nextDue } from '../src/server/entry/followups.ts';
import { loadSigningKey } from '../src/server/entry/keys.ts';
import { allUnitRefs, unitRef } from '../src/server/geo/units.ts';
import {
  ENTRY_COLUMNS,
  ENTRY_LOOKUP_SQL,
  entryWriteValues,
  writeEntries,
} from '../src/server/entry/entries.ts';
import {
  args,
  cpuDelta,
  cpuMs,
  fmt,
  httpClient,
  loadAverage,
  login,
  machine,
  openBenchDb,
  PROVINCE,
  sleep,
  startServer,
  summary,
  type HttpClient,
} from './lib.ts';
import { summariseProfile } from './profile.ts';
import { GroupCommit } from '../src/server/group-commit.ts';

const opt = args({
  concurrency: { type: 'string', default: '48' },
  'max-seconds': { type: 'string', default: '45' },
  rate: { type: 'string', default: '500' },
  'rate-seconds': { type: 'string', default: '30' },
  'raw-seconds': { type: 'string', default: '15' },
  'log-level': { type: 'string', default: 'warn' },
  port: { type: 'string', default: '18091' },
  phases: { type: 'string', default: 'raw,max,rate' },
  'cpu-prof-seconds': { type: 'string', default: '0' },
});
const CONCURRENCY = Number(opt.concurrency);
const PHASES = new Set((opt.phases as string).split(','));
const today = dateOfInstant(Date.now());

interface Officer {
  username: string;
  userId: string;
  siteId: string;
  site: { province_code: string; district_code: string; commune_code: string };
}

interface Work {
  decl: DeclarationRow;
  qr: string;
}

// ---------------------------------------------------------------------------------------------
// Preparation: declarations not used yet, their QR codes, the checkpoint officers

async function prepare(db: Db, need: number) {
  const rows = await db.query<DeclarationRow>(
    `SELECT ${DECLARATION_COLUMNS} FROM declarations d
      WHERE d.valid_until >= $1 AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.declaration_id = d.id)
      ORDER BY d.code LIMIT $2`,
    [today, need],
  );
  if (rows.length < need)
    console.log(
      `  only ${fmt(rows.length, 0)} unused declarations valid today (wanted ${fmt(need, 0)}): they will be used more than once`,
    );
  if (!rows.length) throw new Error('no declarations valid today: run bench/generate.ts again');
  const key = await loadSigningKey(db);
  const units = await allUnitRefs(db);
  const t0 = performance.now();
  const work = rows.map((d) => ({ decl: d, qr: declarationQr(key, d, PROVINCE, units) }));
  console.log(
    `  ${fmt(work.length, 0)} declarations, QR codes signed in ${fmt((performance.now() - t0) / 1000)} s`,
  );
  const officers = await db.query<Officer & Officer['site']>(
    `SELECT u.username, u.id AS "userId", u.site_id AS "siteId", s.province_code, s.district_code, s.commune_code
       FROM users u JOIN sites s ON s.id = u.site_id WHERE u.username LIKE 'bench.chot.%' ORDER BY u.username`,
  );
  const rulesets = (
    await db.query<{ definition: ArrivalRuleSet }>(
      "SELECT definition FROM rule_sets WHERE kind = 'arrival_classification' ORDER BY valid_from",
    )
  ).map((r) => r.definition);
  return {
    work,
    officers: officers.map((o) => ({
      username: o.username,
      userId: o.userId,
      siteId: o.siteId,
      site: {
        province_code: o.province_code,
        district_code: o.district_code,
        commune_code: o.commune_code,
      },
    })),
    rulesets,
  };
}

let cursor = 0;
const nextWork = (work: Work[]) => work[cursor++ % work.length]!;

function entryBody(w: Work, i: number) {
  return {
    clientId: randomUUID(),
    direction: 'in',
    ...(i % 2 === 0 ? { qr: w.qr } : { declarationCode: w.decl.code }),
    ...(w.decl.vehicle_number && w.decl.travel_mode === 'personal_vehicle'
      ? { vehicle: { plate: w.decl.vehicle_number, type: 'car' } }
      : {}),
    companions: i % 5 === 0 ? 1 + (i % 3) : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Raw: the same rows straight into the database

function classify(
  d: DeclarationRow,
  originName: string,
  areas: AreaRow[],
  rulesets: ArrivalRuleSet[],
  at: Date,
) {
  const r = classifyArrival(
    {
      entryDate: dateOfInstant(at.getTime()),
      entryAt: at.toISOString(),
      origin: {
        provinceCode: d.from_province_code,
        districtCode: d.from_district_code,
        communeCode: d.from_commune_code,
      },
      originName,
      epidemicAreas: areas.map((a) => ({
        provinceCode: a.province_code,
        districtCode: a.district_code,
        communeCode: a.commune_code,
        level: a.level,
        validFrom: a.valid_from,
        validTo: a.valid_to,
      })),
      vaccination: d.vaccination
        ? { doses: d.vaccination.doses, lastDoseDate: d.vaccination.lastDoseDate ?? null }
        : null,
      lastTest: d.last_test
        ? { type: d.last_test.type, date: d.last_test.date, result: d.last_test.result }
        : null,
      symptoms: d.symptoms,
    },
    rulesets,
  );
  if (!r.ok) throw new Error(`unclassifiable: ${JSON.stringify(r)}`);
  return r.decision;
}

const INSERT_ENTRY = `INSERT INTO entries AS e (client_id, site_id, province_code, district_code, commune_code, person_id, declaration_id,
   direction, at, entry_date, vehicle_plate, vehicle_type, companions, from_province_code, from_district_code,
   from_commune_code, dest_province_code, dest_district_code, dest_commune_code, dest_address, from_epidemic_area,
   origin_level, rapid_test_result, action, ruleset_id, rule_id, decision, recorded_by)
 VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28)
 ON CONFLICT (client_id) DO NOTHING RETURNING ${ENTRY_COLUMNS}`;
const INSERT_FOLLOW_UP = `INSERT INTO follow_ups (entry_id, person_id, province_code, district_code, commune_code, village_id, out_of_province,
   action, start_date, quarantine_ends, monitoring_ends, test_dates, next_due)
 VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id`;
const UPSERT_COUNTS = `INSERT INTO entry_daily_counts AS c (site_id, day, province_code, district_code, commune_code, people_in, people_out,
   vehicles, from_epidemic_area, rapid_tests, rapid_positive, centralised, home_quarantine, self_monitoring)
 VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
 ON CONFLICT (site_id, day) DO UPDATE SET people_in = c.people_in + EXCLUDED.people_in,
   people_out = c.people_out + EXCLUDED.people_out, vehicles = c.vehicles + EXCLUDED.vehicles,
   from_epidemic_area = c.from_epidemic_area + EXCLUDED.from_epidemic_area,
   rapid_tests = c.rapid_tests + EXCLUDED.rapid_tests, rapid_positive = c.rapid_positive + EXCLUDED.rapid_positive,
   centralised = c.centralised + EXCLUDED.centralised, home_quarantine = c.home_quarantine + EXCLUDED.home_quarantine,
   self_monitoring = c.self_monitoring + EXCLUDED.self_monitoring`;

interface EntryRows {
  entry: unknown[];
  followUp: ((entryId: string) => unknown[]) | null;
  count: unknown[];
}

/** The parameters of the three writes of one entry, as the handler computes them. */
function entryRows(
  o: Officer,
  d: DeclarationRow,
  decision: ArrivalDecision,
  at: Date,
  vehicle: boolean,
): EntryRows {
  const entryDate = dateOfInstant(at.getTime());
  const a = decision.action;
  const monitoringEnds = decision.monitoringEnds ?? decision.quarantineEnds ?? entryDate;
  return {
    entry: [
      randomUUID(),
      o.siteId,
      o.site.province_code,
      o.site.district_code,
      o.site.commune_code,
      d.person_id,
      d.id,
      'in',
      at.toISOString(),
      entryDate,
      vehicle ? d.vehicle_number : null,
      vehicle ? 'car' : null,
      0,
      d.from_province_code,
      d.from_district_code,
      d.from_commune_code,
      d.province_code,
      d.district_code,
      d.commune_code,
      d.to_address,
      decision.facts.fromEpidemicArea,
      decision.facts.originLevel,
      null,
      a,
      decision.rulesetId,
      decision.ruleId,
      JSON.stringify(decision),
      o.userId,
    ],
    followUp:
      a === 'none'
        ? null
        : (entryId) => [
            entryId,
            d.person_id,
            d.province_code,
            d.district_code,
            d.commune_code,
            null,
            d.province_code !== PROVINCE,
            a,
            entryDate,
            decision.quarantineEnds,
            monitoringEnds,
            decision.testDates,
            nextDue(decision.testDates, 0, monitoringEnds),
          ],
    count: [
      o.siteId,
      entryDate,
      o.site.province_code,
      o.site.district_code,
      o.site.commune_code,
      1,
      0,
      vehicle ? 1 : 0,
      decision.facts.fromEpidemicArea ? 1 : 0,
      0,
      0,
      a === 'centralised_quarantine' ? 1 : 0,
      a === 'home_quarantine' ? 1 : 0,
      a === 'self_monitoring' ? 1 : 0,
    ],
  };
}

/** The three writes of one entry, one statement each, as the handler issues them. */
async function writeEntry(q: Queryable, r: EntryRows): Promise<string> {
  const id = (await q.query<{ id: string }>(INSERT_ENTRY, r.entry))[0]!.id;
  if (r.followUp) await q.query(INSERT_FOLLOW_UP, r.followUp(id));
  await q.query(UPSERT_COUNTS, r.count);
  return id;
}

const ENTRY_FIELDS = `client_id uuid, site_id uuid, province_code text, district_code text, commune_code text,
  person_id uuid, declaration_id uuid, direction text, at timestamptz, entry_date date, vehicle_plate text,
  vehicle_type text, companions int, from_province_code text, from_district_code text, from_commune_code text,
  dest_province_code text, dest_district_code text, dest_commune_code text, dest_address text,
  from_epidemic_area boolean, origin_level smallint, rapid_test_result text, action text, ruleset_id text,
  rule_id text, decision jsonb, recorded_by uuid`;
const FOLLOW_UP_FIELDS = `entry_id uuid, person_id uuid, province_code text, district_code text, commune_code text,
  village_id uuid, out_of_province boolean, action text, start_date date, quarantine_ends date,
  monitoring_ends date, test_dates date[], next_due date`;
const COUNT_FIELDS = `site_id uuid, day date, province_code text, district_code text, commune_code text,
  people_in int, people_out int, vehicles int, from_epidemic_area int, rapid_tests int, rapid_positive int,
  centralised int, home_quarantine int, self_monitoring int`;
const names = (fields: string) => fields.split(',').map((f) => f.trim().split(' ')[0]!);
const asRecord = (fields: string, values: unknown[]) =>
  Object.fromEntries(names(fields).map((n, i) => [n, values[i]]));

/** The same rows in bulk: one statement per table for a whole batch (the database's ceiling). */
async function writeBulk(q: Queryable, rows: EntryRows[]) {
  const entryCols = names(ENTRY_FIELDS).join(', ');
  const ids = await q.query<{ id: string; client_id: string }>(
    `INSERT INTO entries (${entryCols}) SELECT ${entryCols} FROM json_to_recordset($1::json) AS x(${ENTRY_FIELDS})
     RETURNING id, client_id`,
    [
      JSON.stringify(
        rows.map((r) => {
          const rec = asRecord(ENTRY_FIELDS, r.entry);
          return { ...rec, decision: JSON.parse(rec.decision as string) };
        }),
      ),
    ],
  );
  const idOf = new Map(ids.map((r) => [r.client_id, r.id]));
  const fuCols = names(FOLLOW_UP_FIELDS).join(', ');
  const followUps = rows
    .filter((r) => r.followUp)
    .map((r) => asRecord(FOLLOW_UP_FIELDS, r.followUp!(idOf.get(r.entry[0] as string)!)));
  await q.query(
    `INSERT INTO follow_ups (${fuCols}) SELECT ${fuCols} FROM json_to_recordset($1::json) AS x(${FOLLOW_UP_FIELDS})`,
    [JSON.stringify(followUps)],
  );
  // one upsert per site and day, the batch's counts added up (sorted: no deadlocks)
  const sums = new Map<string, number[]>();
  for (const r of rows) {
    const k = `${r.count[0]}|${r.count[1]}`;
    const prev = sums.get(k);
    if (!prev) sums.set(k, [...(r.count as number[])]);
    else for (let i = 5; i < prev.length; i++) prev[i]! += r.count[i] as number;
  }
  const cCols = names(COUNT_FIELDS);
  await q.query(
    `INSERT INTO entry_daily_counts AS c (${cCols.join(', ')})
     SELECT ${cCols.join(', ')} FROM json_to_recordset($1::json) AS x(${COUNT_FIELDS}) ORDER BY site_id, day
     ON CONFLICT (site_id, day) DO UPDATE SET ${cCols
       .slice(5)
       .map((c) => `${c} = c.${c} + EXCLUDED.${c}`)
       .join(', ')}`,
    [JSON.stringify([...sums.values()].map((v) => asRecord(COUNT_FIELDS, v)))],
  );
}

async function closedLoop(seconds: number, workers: number, one: (i: number) => Promise<void>) {
  const lat: number[] = [];
  let i = 0;
  let errors = 0;
  let firstError: unknown;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        const s = performance.now();
        try {
          await one(i++);
          lat.push(performance.now() - s);
        } catch (err) {
          errors++;
          firstError ??= err;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  if (firstError) console.log(`  ${errors} errors, first: ${String(firstError)}`);
  return {
    done: lat.length,
    errors,
    elapsed,
    perSecond: lat.length / elapsed,
    latency: summary(lat),
  };
}

const backendPids = async (db: Db) =>
  db.engine === 'postgres'
    ? (
        await db.query<{ pid: number }>(
          'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
        )
      ).map((r) => r.pid)
    : [];

type Loop = Awaited<ReturnType<typeof closedLoop>> & { cpu?: { client: number; db: number } };

/** A raw run with the CPU it cost: this process (driver, classification) and the backends. */
async function measured(db: Db, run: () => Promise<Awaited<ReturnType<typeof closedLoop>>>) {
  const a = { self: process.cpuUsage(), db: await cpuMs(await backendPids(db)) };
  const r: Loop = await run();
  const b = { self: process.cpuUsage(), db: await cpuMs(await backendPids(db)) };
  const self = (b.self.user + b.self.system - a.self.user - a.self.system) / 1000;
  r.cpu = { client: self, db: cpuDelta(a.db, b.db) };
  return r;
}

async function rawPhase(db: Db, work: Work[], officers: Officer[], rulesets: ArrivalRuleSet[]) {
  const seconds = Number(opt['raw-seconds']);
  const areas = await areasInForce(db);
  const names = new Map(
    (await db.query<{ code: string; name: string }>('SELECT code, name FROM admin_units')).map(
      (u) => [u.code, u.name],
    ),
  );
  const originName = (d: DeclarationRow) =>
    names.get(d.from_commune_code ?? d.from_district_code ?? d.from_province_code) ??
    d.from_province_code;
  const workers = db.engine === 'postgres' ? CONCURRENCY : 8;
  const results: Record<string, Loop> = {};

  // (1) the three writes, one transaction per entry
  results.writes = await measured(db, () =>
    closedLoop(seconds, workers, async (i) => {
      const w = nextWork(work);
      const at = new Date();
      const decision = classify(w.decl, originName(w.decl), areas, rulesets, at);
      await db.tx((q) =>
        writeEntry(q, entryRows(officers[i % officers.length]!, w.decl, decision, at, i % 3 === 0)),
      );
    }),
  );
  console.log(`  raw writes, one transaction per entry: ${fmt(results.writes.perSecond, 0)}/s`);

  // (2) the handler's own statements without HTTP, Fastify or zod: the read of a scan (replay
  // check + declaration + person) and the one statement that writes entry, follow-up, daily
  // count and audit event — ENTRY_LOOKUP_SQL and ENTRY_WRITE_SQL of src/server/entry/entries.ts,
  // prepared, with units, areas and rule sets from memory as the handler has them
  const handlerLoop = (write: (values: unknown[]) => Promise<unknown>) =>
    closedLoop(seconds, workers, async (i) => {
      const w = nextWork(work);
      const o = officers[i % officers.length]!;
      const clientId = randomUUID();
      const d = (
        await db.query<DeclarationRow & { replay_id: string | null }>(
          ENTRY_LOOKUP_SQL,
          [clientId, w.decl.code],
          { prepare: true },
        )
      )[0]!;
      const at = new Date();
      const dest = await unitRef(db, d.commune_code);
      const origin = await unitRef(
        db,
        d.from_commune_code ?? d.from_district_code ?? d.from_province_code,
      );
      const decision = classify(d, origin?.name ?? d.from_province_code, areas, rulesets, at);
      const id = randomUUID();
      await write(
        entryWriteValues({
          id,
          clientId,
          site: { id: o.siteId, ...o.site },
          personId: d.person_id,
          declaration: d,
          direction: 'in',
          at,
          entryDate: dateOfInstant(at.getTime()),
          vehicle: i % 3 === 0 ? { plate: '27A-000.00' } : undefined,
          companions: 0,
          dest,
          destAddress: d.to_address,
          destVillageId: null,
          homeProvince: PROVINCE,
          decision,
          recordedBy: o.userId,
          audit: [
            clientId,
            o.userId,
            o.username,
            'checkpoint_officer',
            'entries.create',
            'entry',
            id,
            'allowed',
            null,
            o.site.province_code,
            o.site.district_code,
            o.site.commune_code,
            '127.0.0.1',
            JSON.stringify({ personId: d.person_id }),
          ],
        }),
      );
    });
  results.handler = await measured(db, () => handlerLoop((v) => writeEntries(db, [v])));
  console.log(
    `  raw handler statements (2 per entry, prepared): ${fmt(results.handler.perSecond, 0)}/s`,
  );
  // (3) the same, the writes through the group commit the handler uses (issue 15.3)
  const group = new GroupCommit({ write: (items: unknown[][]) => writeEntries(db, items) });
  results.grouped = await measured(db, () => handlerLoop((v) => group.submit(v)));
  console.log(
    `  raw handler statements, writes group-committed: ${fmt(results.grouped.perSecond, 0)}/s`,
  );

  // (4) the same rows in bulk, 1,000 entries per transaction, one statement per table
  const BATCH = 1000;
  let b = 0;
  results.bulk = await measured(db, () =>
    closedLoop(seconds, 1, async () => {
      const rows: EntryRows[] = [];
      for (let k = 0; k < BATCH; k++, b++) {
        const w = nextWork(work);
        const at = new Date();
        const decision = classify(w.decl, originName(w.decl), areas, rulesets, at);
        rows.push(entryRows(officers[b % officers.length]!, w.decl, decision, at, k % 3 === 0));
      }
      await db.tx((q) => writeBulk(q, rows));
    }),
  );
  results.bulk = {
    ...results.bulk,
    done: results.bulk.done * BATCH,
    perSecond: results.bulk.perSecond * BATCH,
  };
  console.log(
    `  raw bulk writes, ${BATCH} entries per transaction: ${fmt(results.bulk.perSecond, 0)}/s`,
  );
  return results;
}

// ---------------------------------------------------------------------------------------------
// Through the API

async function postEntry(
  client: HttpClient,
  cookie: string,
  body: unknown,
  statuses: Map<number, number>,
  errors: string[],
) {
  const r = await client.request('POST', '/api/v1/entries', body, cookie);
  statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  if (r.status !== 201) {
    if (errors.length < 5) errors.push(`${r.status} ${r.body.slice(0, 300)}`);
    throw new Error(`status ${r.status}`);
  }
}

async function maxPhase(client: HttpClient, cookies: string[], work: Work[], seconds: number) {
  const statuses = new Map<number, number>();
  const errors: string[] = [];
  const perWindow: number[] = [];
  let windowDone = 0;
  const timer = setInterval(() => {
    perWindow.push(windowDone / 5);
    windowDone = 0;
  }, 5000);
  const r = await closedLoop(seconds, CONCURRENCY, async (i) => {
    await postEntry(
      client,
      cookies[i % cookies.length]!,
      entryBody(nextWork(work), i),
      statuses,
      errors,
    );
    windowDone++;
  });
  clearInterval(timer);
  return { ...r, statuses: Object.fromEntries(statuses), errors, perWindow };
}

async function ratePhase(
  client: HttpClient,
  cookies: string[],
  work: Work[],
  rate: number,
  seconds: number,
) {
  const statuses = new Map<number, number>();
  const errors: string[] = [];
  const total = Math.round(rate * seconds);
  const fromDue: number[] = [];
  const fromSend: number[] = [];
  const inflight = new Set<Promise<void>>();
  let maxInflight = 0;
  let dropped = 0;
  const t0 = performance.now();
  for (let i = 0; i < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    for (; i < due; i++) {
      if (inflight.size >= 4000) {
        dropped++;
        continue;
      }
      const dueAt = t0 + (i * 1000) / rate;
      const body = entryBody(nextWork(work), i);
      const cookie = cookies[i % cookies.length]!;
      const sent = performance.now();
      const p = postEntry(client, cookie, body, statuses, errors).then(
        () => {
          const end = performance.now();
          fromDue.push(end - dueAt);
          fromSend.push(end - sent);
        },
        () => undefined,
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      maxInflight = Math.max(maxInflight, inflight.size);
    }
    await sleep(1);
  }
  const sendEnd = performance.now();
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  return {
    offered: rate,
    sent: total - dropped,
    done: fromDue.length,
    achieved: fromDue.length / elapsed,
    sendSeconds: (sendEnd - t0) / 1000,
    elapsed,
    fromDue: summary(fromDue),
    fromSend: summary(fromSend),
    maxInflight,
    dropped,
    statuses: Object.fromEntries(statuses),
    errors,
  };
}

interface CpuSnapshot {
  server: Map<number, number>;
  db: Map<number, number>;
  generator: NodeJS.CpuUsage;
}

/** CPU used so far by the server process, the database backends serving it, and this process. */
async function cpuSnapshot(serverPid: number, db: Db | null): Promise<CpuSnapshot> {
  const backends = db
    ? (
        await db.query<{ pid: number }>(
          'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        )
      ).map((r) => r.pid)
    : [];
  return {
    server: await cpuMs([serverPid]),
    db: await cpuMs(backends),
    generator: process.cpuUsage(),
  };
}

function cpuLine(a: CpuSnapshot, b: CpuSnapshot, done: number, seconds: number) {
  const server = cpuDelta(a.server, b.server);
  const dbMs = cpuDelta(a.db, b.db);
  const gen =
    (b.generator.user + b.generator.system - a.generator.user - a.generator.system) / 1000;
  const per = (ms: number) => fmt(ms / Math.max(1, done), 2);
  return (
    `CPU per entry: server ${per(server)} ms (${fmt((100 * server) / 1000 / seconds, 0)} % of a core), ` +
    `PostgreSQL backends ${per(dbMs)} ms (${fmt((100 * dbMs) / 1000 / seconds, 0)} %), load generator ${per(gen)} ms (${fmt((100 * gen) / 1000 / seconds, 0)} %); ` +
    (b.db.size
      ? `server + database alone on 2 idle cores: ~${fmt((2000 * done) / Math.max(1, server + dbMs), 0)} entries/s`
      : `the server (with PGlite in it) runs on one thread: ~${fmt((1000 * done) / Math.max(1, server), 0)} entries/s on an idle core`)
  );
}

async function withServer<T>(
  nodeArgs: string[],
  fn: (client: HttpClient, cookies: string[], cpu: () => Promise<CpuSnapshot>) => Promise<T>,
  officers: Officer[],
  db: Db | null,
) {
  const server = await startServer({
    engine: opt.engine,
    databaseUrl: opt.databaseUrl,
    dataDir: opt.dataDir,
    port: Number(opt.port),
    logLevel: opt['log-level'] as string,
    nodeArgs,
  });
  const client = httpClient(server.url, CONCURRENCY + 16);
  try {
    const cookies: string[] = [];
    for (const o of officers) cookies.push(await login(client, o.username));
    return await fn(client, cookies, () => cpuSnapshot(server.child.pid!, db));
  } finally {
    client.close();
    await server.stop();
  }
}

const latencyLine = (l: ReturnType<typeof summary>) =>
  `p50 ${fmt(l.p50)} / p95 ${fmt(l.p95)} / p99 ${fmt(l.p99)} / max ${fmt(l.max)} ms`;

async function main() {
  console.log(
    `entries: ${opt.engine}; concurrency ${CONCURRENCY}; ${machine()}; load average ${await loadAverage()}`,
  );
  const maxSeconds = Number(opt['max-seconds']);
  const rates = String(opt.rate).split(',').map(Number);
  const rateSeconds = Number(opt['rate-seconds']);
  const profSeconds = Number(opt['cpu-prof-seconds']);
  const estimate =
    (PHASES.has('max') ? maxSeconds * 1600 : 0) +
    (PHASES.has('rate') ? rates.reduce((a, b) => a + b, 0) * rateSeconds : 0) +
    profSeconds * 1600 +
    3000;
  const db = await openBenchDb(opt.engine, opt.databaseUrl, opt.dataDir, 10);
  const counts = async () =>
    (
      await db.query<{
        persons: number;
        entries: number;
        follow_ups: number;
        counted: number;
        audit: number;
      }>(
        `SELECT (SELECT count(*) FROM persons)::int AS persons, (SELECT count(*) FROM entries)::int AS entries,
                (SELECT count(*) FROM follow_ups)::int AS follow_ups,
                (SELECT coalesce(sum(people_in + people_out), 0) FROM entry_daily_counts)::int AS counted,
                (SELECT count(*) FROM audit_events WHERE action = 'entries.create')::int AS audit`,
      )
    )[0]!;
  const before = await counts();
  console.log(
    `data set: ${fmt(before.persons, 0)} persons; ${fmt(before.entries, 0)} entries already`,
  );
  const { work, officers, rulesets } = await prepare(db, estimate);
  console.log(`  ${officers.length} checkpoint officers`);

  if (PHASES.has('raw')) {
    console.log(
      `\nraw (${opt.engine}, ${db.engine === 'postgres' ? `${CONCURRENCY} workers, pool of 10 connections` : '8 workers, one PGlite instance'}):`,
    );
    const raw = await rawPhase(db, work, officers, rulesets);
    for (const [k, r] of Object.entries(raw))
      console.log(
        `  ${k}: ${fmt(r.done, 0)} entries in ${fmt(r.elapsed)} s = ${fmt(r.perSecond, 0)}/s; per call ${latencyLine(r.latency)}` +
          (r.cpu
            ? db.engine === 'postgres'
              ? `; CPU per entry: client ${fmt(r.cpu.client / r.done, 2)} ms, backends ${fmt(r.cpu.db / r.done, 2)} ms (~${fmt((2000 * r.done) / Math.max(1, r.cpu.client + r.cpu.db), 0)}/s on 2 idle cores)`
              : `; CPU per entry (PGlite in this process) ${fmt(r.cpu.client / r.done, 2)} ms (~${fmt((1000 * r.done) / Math.max(1, r.cpu.client), 0)}/s on one idle core)`
            : ''),
      );
  }
  if (db.engine === 'pglite') await db.close(); // one process per PGlite folder
  const afterRaw = db.engine === 'postgres' ? await counts() : null;

  if (PHASES.has('max') || PHASES.has('rate')) {
    console.log(`\nload average before the API phases ${await loadAverage()}`);
    await withServer(
      [],
      async (client, cookies, cpu) => {
        // warm-up: JIT, connection pool, caches
        await maxPhaseQuiet(client, cookies, work, 5);
        if (PHASES.has('max')) {
          const c0 = await cpu();
          const m = await maxPhase(client, cookies, work, maxSeconds);
          const c1 = await cpu();
          console.log(
            `\n(a) max throughput, ${CONCURRENCY} concurrent clients, ${fmt(m.elapsed)} s: ${fmt(m.done, 0)} entries = ${fmt(m.perSecond, 0)} entries/s; ${latencyLine(m.latency)}`,
          );
          console.log(
            `    per 5 s window: ${m.perWindow.map((x) => fmt(x, 0)).join(', ')} /s; statuses ${JSON.stringify(m.statuses)}`,
          );
          for (const e of m.errors) console.log(`    error: ${e}`);
          console.log(`    ${cpuLine(c0, c1, m.done, m.elapsed)}`);
          console.log(`    load average ${await loadAverage()}`);
        }
        if (PHASES.has('rate'))
          for (const rate of rates) {
            const c0 = await cpu();
            const r = await ratePhase(client, cookies, work, rate, rateSeconds);
            const c1 = await cpu();
            console.log(
              `\n(b) fixed rate ${rate}/s for ${rateSeconds} s: ${fmt(r.sent + r.dropped, 0)} due, ${fmt(r.dropped, 0)} not sent (4,000 already in flight), ${fmt(r.done, 0)} answered 201, ${fmt(r.achieved, 0)}/s achieved (sending took ${fmt(r.sendSeconds)} s, all answered after ${fmt(r.elapsed)} s); max in flight ${r.maxInflight}`,
            );
            console.log(`    latency from due time: ${latencyLine(r.fromDue)}`);
            console.log(`    latency from send:     ${latencyLine(r.fromSend)}`);
            console.log(`    statuses ${JSON.stringify(r.statuses)}`);
            for (const e of r.errors) console.log(`    error: ${e}`);
            console.log(`    ${cpuLine(c0, c1, r.done, r.elapsed)}`);
            console.log(`    load average ${await loadAverage()}`);
          }
      },
      officers,
      db.engine === 'postgres' ? db : null,
    );
  }

  if (profSeconds > 0) {
    const dir = '/tmp/epiguard-bench/prof';
    await mkdir(dir, { recursive: true });
    const started = Date.now();
    await withServer(
      ['--cpu-prof', `--cpu-prof-dir=${dir}`],
      async (client, cookies) => {
        await maxPhaseQuiet(client, cookies, work, 3);
        const m = await maxPhase(client, cookies, work, profSeconds);
        console.log(`\nunder --cpu-prof: ${fmt(m.perSecond, 0)} entries/s for ${profSeconds} s`);
      },
      officers,
      null,
    );
    await sleep(1000);
    // tsx's loader thread writes a profile too: the server's main thread is the biggest one
    const files = await Promise.all(
      (await readdir(dir))
        .filter((f) => f.endsWith('.cpuprofile'))
        .map(async (f) => ({ f: `${dir}/${f}`, st: await stat(`${dir}/${f}`) })),
    );
    const newest = files
      .filter((x) => x.st.mtimeMs >= started)
      .sort((a, b) => b.st.size - a.st.size)[0]?.f;
    if (newest) {
      console.log(`profile ${newest}`);
      console.log(await summariseProfile(newest));
    }
  }

  if (db.engine === 'postgres' && (PHASES.has('max') || PHASES.has('rate'))) {
    const after = await counts();
    const api = {
      entries: after.entries - afterRaw!.entries,
      counted: after.counted - afterRaw!.counted,
      audit: after.audit - afterRaw!.audit,
      followUps: after.follow_ups - afterRaw!.follow_ups,
    };
    console.log(
      `\ncheck: the API phases wrote ${fmt(api.entries, 0)} entries, ${fmt(api.followUps, 0)} follow-ups, ${fmt(api.audit, 0)} audit events; daily counts rose by ${fmt(api.counted, 0)} (${api.counted === api.entries ? 'consistent' : 'INCONSISTENT'})`,
    );
  }
  if (db.engine === 'postgres') await db.close();
}

/** A few seconds at full rate without printing: warms the JIT, the pool and the caches. */
async function maxPhaseQuiet(client: HttpClient, cookies: string[], work: Work[], seconds: number) {
  const m = await maxPhase(client, cookies, work, seconds);
  console.log(`  warm-up: ${fmt(m.perSecond, 0)}/s for ${seconds} s`);
}

await main();
