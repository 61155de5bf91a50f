// A province-sized data set for the benchmarks, deterministic from a seed:
//   npx tsx bench/generate.ts --engine postgres|pglite [--persons 1000000] [--declarations 200000]
//     [--database-url postgres://…/epiguard_bench] [--data-dir /tmp/epiguard-bench/pglite]
//     [--seed 20211001] [--keep-indexes]
// It (re)creates the benchmark database (PostgreSQL: DROP/CREATE DATABASE epiguard_bench;
// PGlite: a fresh folder under /tmp), runs the product's own start-up preparation (migrations,
// geography, admin), and fills it:
//   - persons of Điện Biên (province 11) spread over its 129 communes by 2019 population, with
//     Kinh / Thái / H'Mông names, birth years, sexes, CCCD numbers and phones; ~10 % travellers
//     whose home is in another province (registered by the province, some by a checkpoint);
//   - person_name_keys exactly as the people store writes them (nameKey / nameSuffixes, and the
//     same INSERT … SELECT as syncNameKeys);
//   - checkpoint sites, an airport and border posts; a checkpoint officer per site, a province
//     user, a user per district and per commune (password bench-password-1);
//   - epidemic areas in force; declarations valid today, for the entry benchmark.
// Persons go in 10,000 per transaction as one INSERT … SELECT FROM unnest(…). The secondary
// indexes of persons and person_name_keys are dropped during the load and rebuilt after it
// (--keep-indexes to load with them in place), then VACUUM ANALYZE (for index-only scans).
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { addDays, dateOfInstant } from '../src/domain/dates.ts';
import { DECLARATION_CODE_RE } from '../src/server/entry/declarations.ts';
import { nameKey, nameSuffixes } from '../src/domain/people.ts';
import { prepareDatabase } from '../src/server/bootstrap.ts';
import { hashPassword } from '../src/server/auth/passwords.ts';
import type { Db, Queryable } from '../src/server/db/index.ts';
import { loadSigningKey } from '../src/server/entry/keys.ts';
import { insertUser, resolveJurisdiction } from '../src/server/users/routes.ts';
import type { Role } from '../src/domain/access.ts';
import {
  args,
  BENCH_PASSWORD,
  benchConfig,
  fmt,
  machine,
  openBenchDb,
  PG_ADMIN_URL,
  PROVINCE,
  Rng,
  Weighted,
  weighted,
} from './lib.ts';
import { drawName, type Ethnicity, MOBILE_PREFIXES } from './names.ts';

const opt = args({
  persons: { type: 'string', default: '1000000' },
  declarations: { type: 'string', default: '200000' },
  batch: { type: 'string', default: '10000' },
  'keep-indexes': { type: 'boolean', default: false },
});
const PERSONS = Number(opt.persons);
const DECLARATIONS = Number(opt.declarations);
const BATCH = Number(opt.batch);
const TRAVELLER_SHARE = 0.1;

const timings: [string, number][] = [];
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  const s = (performance.now() - t0) / 1000;
  timings.push([name, s]);
  console.log(`  ${name}: ${s.toFixed(1)} s`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// The database

async function freshDatabase(): Promise<Db> {
  if (opt.engine === 'postgres') {
    const url = new URL(opt.databaseUrl);
    const name = url.pathname.slice(1);
    if (!/^epiguard_bench\w*$/.test(name))
      throw new Error(`refusing to recreate ${name}: the benchmark database is epiguard_bench*`);
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  } else {
    if (!opt.dataDir.startsWith('/tmp/')) throw new Error('--data-dir must be under /tmp');
    await rm(opt.dataDir, { recursive: true, force: true });
  }
  return openBenchDb(opt.engine, opt.databaseUrl, opt.dataDir, 4);
}

interface Unit {
  code: string;
  province_code: string;
  district_code: string;
  short_name: string;
  type: string;
  population: number;
  population_urban: number | null;
}

// ---------------------------------------------------------------------------------------------
// Reference rows: sites, users, epidemic areas

interface Site {
  id: string;
  kind: string;
  name: string;
  commune_code: string;
}

async function makeSites(db: Db, communes: Unit[]): Promise<Site[]> {
  const byDistrict = new Map<string, Unit[]>();
  for (const c of communes)
    byDistrict.set(c.district_code, [...(byDistrict.get(c.district_code) ?? []), c]);
  const plan: { kind: string; name: string; commune: Unit }[] = [];
  const used = new Set<string>();
  // Checkpoints on the roads into each district: its most populous communes (26 in all).
  for (const [, list] of [...byDistrict].sort()) {
    const top = [...list].sort((a, b) => b.population - a.population).slice(0, 3);
    for (const c of top.slice(0, list.length > 10 ? 3 : 2)) {
      plan.push({ kind: 'checkpoint', name: `Chốt kiểm dịch ${c.short_name}`, commune: c });
      used.add(c.code);
    }
  }
  const named = (short: string) => communes.find((c) => c.short_name === short);
  const airport = named('Thanh Trường') ?? communes[0]!;
  plan.push({ kind: 'airport', name: 'Cảng hàng không Điện Biên', commune: airport });
  for (const [short, name] of [
    ['Na Ư', 'Đồn Biên phòng Tây Trang'],
    ['Sen Thượng', 'Đồn Biên phòng A Pa Chải'],
    ['Nà Bủng', 'Đồn Biên phòng Huổi Puốc'],
  ] as const) {
    const c = named(short);
    if (c) plan.push({ kind: 'border_post', name, commune: c });
  }
  const sites: Site[] = [];
  for (const p of plan) {
    const rows = await db.query<Site>(
      `INSERT INTO sites (kind, name, province_code, district_code, commune_code, address)
       VALUES ($1,$2,$3,$4,$5,$6) RETURNING id, kind, name, commune_code`,
      [
        p.kind,
        p.name,
        PROVINCE,
        p.commune.district_code,
        p.commune.code,
        `Quốc lộ, ${p.commune.short_name}`,
      ],
    );
    sites.push(rows[0]!);
  }
  return sites;
}

async function makeUsers(db: Db, communes: Unit[], sites: Site[]) {
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  let n = 0;
  const add = async (
    username: string,
    fullName: string,
    role: Role,
    j: Parameters<typeof resolveJurisdiction>[1],
  ) => {
    const { scope } = await resolveJurisdiction(db, j);
    const row = await insertUser(db, {
      username,
      fullName,
      passwordHash,
      role,
      scope,
      createdBy: null,
    });
    n++;
    return row!;
  };
  const province = await add('bench.tinh', 'Sở Y tế Điện Biên (bench)', 'province', {
    level: 'province',
    unitCode: PROVINCE,
  });
  for (const d of [...new Set(communes.map((c) => c.district_code))].sort())
    await add(`bench.huyen.${d}`, `TTYT huyện ${d} (bench)`, 'district_health', {
      level: 'district',
      unitCode: d,
    });
  for (const c of communes)
    await add(`bench.xa.${c.code}`, `Trạm Y tế ${c.short_name} (bench)`, 'commune_health', {
      level: 'commune',
      unitCode: c.code,
    });
  for (const [i, s] of sites.entries())
    await add(
      `bench.chot.${String(i + 1).padStart(2, '0')}`,
      `Tổ công tác ${s.name}`,
      'checkpoint_officer',
      {
        level: 'site',
        siteId: s.id,
      },
    );
  return { provinceUserId: province.id, users: n };
}

const todayVn = dateOfInstant(Date.now());

async function makeAreas(db: Db, provinceUserId: string) {
  // [unit code, level, days ago it started, days ago it ended (null: still in force)]
  const areas: [string, number, number, number | null][] = [
    ['01', 3, 20, null], // Hà Nội
    ['79', 4, 40, null], // TP Hồ Chí Minh
    ['74', 4, 40, null], // Bình Dương
    ['24', 3, 15, null], // Bắc Giang
    ['27', 3, 15, null], // Bắc Ninh
    ['14', 2, 10, null], // Sơn La
    ['12', 2, 10, null], // Lai Châu
    ['10', 2, 10, 2], // Lào Cai, ended
    ['31', 3, 60, 30], // Hải Phòng, ended
    ['001', 4, 12, null], // Ba Đình (Hà Nội)
    ['019', 4, 12, null], // Đống Đa (Hà Nội)
    ['760', 4, 40, null], // Quận 1 (TP HCM)
    ['116', 3, 8, null], // Thành phố Sơn La
    ['03136', 2, 5, null], // Phường Mường Thanh (Điện Biên Phủ)
    ['03253', 2, 5, null], // Thị trấn Tuần Giáo
  ];
  let n = 0;
  for (const [code, level, from, to] of areas) {
    const u = (
      await db.query<{ level: number; province_code: string; district_code: string | null }>(
        'SELECT level, province_code, district_code FROM admin_units WHERE code = $1',
        [code],
      )
    )[0];
    if (!u) continue;
    await db.query(
      `INSERT INTO epidemic_areas (province_code, district_code, commune_code, level, valid_from, valid_to, note, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [
        u.province_code,
        u.level >= 2 ? (u.district_code ?? code) : null,
        u.level === 3 ? code : null,
        level,
        addDays(todayVn, -from),
        to === null ? null : addDays(todayVn, -to),
        'bench',
        provinceUserId,
      ],
    );
    n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Persons

interface PersonGen {
  id: string;
  full_name: string;
  search_name: string;
  birth_date: string | null;
  birth_year: number;
  sex: 'male' | 'female';
  id_type: string | null;
  id_number: string | null;
  phone: string | null;
  province_code: string;
  district_code: string;
  commune_code: string;
  street: string | null;
  registered_site_id: string | null;
  traveller: boolean;
}

// Age pyramid of a young province (5-year bands from 0-4 to 85-89), rough shares.
const AGE_BANDS = [
  10, 10, 9.5, 8.5, 8, 8.5, 8.5, 7.5, 6.5, 5.5, 5, 4, 3.2, 2.2, 1.4, 0.9, 0.6, 0.4,
];
const ageBand = new Weighted(
  AGE_BANDS.map((w, i) => [i, w] as const),
  (p) => p[1],
);
const THIS_YEAR = Number(todayVn.slice(0, 4));
// Neighbours and the big cities send most travellers to Điện Biên.
const ORIGIN_BOOST: Record<string, number> = {
  '14': 6,
  '12': 6,
  '10': 3,
  '15': 3,
  '01': 3,
  '79': 1.5,
  '34': 2,
};

/** A bijection of [0, 10^digits): spreads serial numbers without ever repeating one. */
const spread = (i: number, digits: number, salt = 4271) => {
  const m = 10 ** digits;
  return String((i * 7919 + salt) % m).padStart(digits, '0');
};
const saltOf = (s: string) => {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h % 1_000_000;
};

function personGenerator(rng: Rng, home: Unit[], elsewhere: Unit[], sites: Site[]) {
  const homeW = new Weighted(home, (c) => c.population);
  const awayW = new Weighted(elsewhere, (c) => c.population * (ORIGIN_BOOST[c.province_code] ?? 1));
  const idSerial = new Map<string, number>();
  let phones = 0;
  const checkpoints = sites.map((s) => s.id);
  return (): PersonGen => {
    const traveller = rng.chance(TRAVELLER_SHARE);
    const c = traveller ? awayW.draw(rng) : homeW.draw(rng);
    const urbanShare = c.population ? (c.population_urban ?? 0) / c.population : 0;
    let ethnicity: Ethnicity = 'kinh';
    if (!traveller && !rng.chance(0.12 + 0.6 * urbanShare))
      ethnicity = rng.chance(0.5) ? 'thai' : 'hmong';
    const male = rng.chance(0.5);
    const full = drawName(rng, ethnicity, male);
    const age = ageBand.draw(rng)[0] * 5 + rng.int(5);
    const year = THIS_YEAR - age;
    let birthDate: string | null = null;
    if (rng.chance(0.7)) {
      birthDate = addDays(`${year}-01-01`, rng.int(365));
      if (birthDate > todayVn || !birthDate.startsWith(String(year))) birthDate = `${year}-01-01`;
    }
    let idType: string | null = null;
    let idNumber: string | null = null;
    if (age >= 14 ? rng.chance(0.92) : rng.chance(0.15)) {
      if (age >= 40 && rng.chance(0.05)) {
        idType = 'cmnd';
        const key = 'cmnd';
        const n = idSerial.get(key) ?? 0;
        idSerial.set(key, n + 1);
        idNumber = '04' + spread(n, 7);
      } else {
        idType = 'cccd';
        // CCCD: province of birth (3 digits), century and sex, year (2 digits), serial (6)
        const prov = (traveller ? '0' + c.province_code : '011').slice(-3);
        const centurySex = (year >= 2000 ? 2 : 0) + (male ? 0 : 1);
        const prefix = `${prov}${centurySex}${String(year % 100).padStart(2, '0')}`;
        const n = idSerial.get(prefix) ?? 0;
        idSerial.set(prefix, n + 1);
        idNumber = prefix + spread(n, 6, saltOf(prefix));
      }
    }
    let phone: string | null = null;
    if (age >= 15 && rng.chance(0.78)) {
      const i = phones++;
      const k = i % MOBILE_PREFIXES.length;
      phone =
        MOBILE_PREFIXES[k]! +
        spread(Math.floor(i / MOBILE_PREFIXES.length), 7, 1_234_567 + k * 104_729);
    }
    const rural = c.type.startsWith('Xã');
    return {
      id: rng.uuid(),
      full_name: full,
      search_name: nameKey(full),
      birth_date: birthDate,
      birth_year: year,
      sex: male ? 'male' : 'female',
      id_type: idType,
      id_number: idNumber,
      phone,
      province_code: c.province_code,
      district_code: c.district_code,
      commune_code: c.code,
      street: rng.chance(0.8) ? (rural ? `Bản ${1 + rng.int(25)}` : `Tổ ${1 + rng.int(20)}`) : null,
      registered_site_id: traveller && rng.chance(0.5) ? rng.pick(checkpoints) : null,
      traveller,
    };
  };
}

const phase = { generate: 0, persons: 0, keys: 0 };

async function insertPersons(q: Queryable, batch: PersonGen[]) {
  let t = performance.now();
  const col = <K extends keyof PersonGen>(k: K) => batch.map((p) => p[k]);
  await q.query(
    `INSERT INTO persons (id, full_name, search_name, birth_date, birth_year, sex, id_type, id_number, phone,
       province_code, district_code, commune_code, street, registered_province_code, registered_site_id)
     SELECT id, full_name, search_name, birth_date, birth_year, sex, id_type, id_number, phone,
       province_code, district_code, commune_code, street, $14, registered_site_id
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::int[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $15::uuid[])
         AS x(id, full_name, search_name, birth_date, birth_year, sex, id_type, id_number, phone,
              province_code, district_code, commune_code, street, registered_site_id)`,
    [
      col('id'),
      col('full_name'),
      col('search_name'),
      col('birth_date'),
      col('birth_year'),
      col('sex'),
      col('id_type'),
      col('id_number'),
      col('phone'),
      col('province_code'),
      col('district_code'),
      col('commune_code'),
      col('street'),
      PROVINCE,
      col('registered_site_id'),
    ],
  );
  phase.persons += performance.now() - t;
  t = performance.now();
  // person_name_keys as syncNameKeys writes them: one row per suffix of the folded name.
  const ids: string[] = [];
  const keys: string[] = [];
  for (const p of batch)
    for (const k of nameSuffixes(p.search_name)) {
      ids.push(p.id);
      keys.push(k);
    }
  await q.query(
    `INSERT INTO person_name_keys (person_id, key, search_name, birth_year, registered_province_code,
       district_code, commune_code, village_id, registered_site_id)
     SELECT p.id, k.key, p.search_name, p.birth_year, p.registered_province_code, p.district_code,
            p.commune_code, p.village_id, p.registered_site_id
       FROM unnest($1::uuid[], $2::text[]) AS k(person_id, key) JOIN persons p ON p.id = k.person_id`,
    [ids, keys],
  );
  phase.keys += performance.now() - t;
  return keys.length;
}

/** The plain (non-constraint) indexes of the tables, to drop before the load and rebuild after. */
async function secondaryIndexes(db: Db, tables: string[]) {
  return db.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
      ORDER BY i.indexname`,
    [tables],
  );
}

// ---------------------------------------------------------------------------------------------
// Declarations (for the entry benchmark)

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

async function makeDeclarations(
  db: Db,
  rng: Rng,
  home: Unit[],
  travellerSample: PersonGen[],
  residentSample: PersonGen[],
) {
  const homeW = new Weighted(home, (c) => c.population);
  const provinces = await db.query<{ code: string; population: number }>(
    `SELECT code, population FROM admin_units WHERE level = 1 AND code <> $1 AND population > 0`,
    [PROVINCE],
  );
  const fromProvince = new Weighted(provinces, (p) => p.population * (ORIGIN_BOOST[p.code] ?? 1));
  const mode = weighted([
    ['coach', 45],
    ['personal_vehicle', 35],
    ['plane', 10],
    ['other', 10],
  ] as const);
  const codes = new Set<string>();
  const drawCode = () => {
    for (;;) {
      let c = '';
      for (let i = 0; i < 8; i++) c += CODE_ALPHABET[rng.int(32)];
      if (!codes.has(c)) {
        codes.add(c);
        if (!DECLARATION_CODE_RE.test(c)) throw new Error(`bad code ${c}`);
        return c;
      }
    }
  };
  let made = 0;
  const CHUNK = 5000;
  for (let start = 0; start < DECLARATIONS; start += CHUNK) {
    const rows: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(DECLARATIONS, start + CHUNK); i++) {
      const traveller = i % 2 === 0 && travellerSample.length > 0;
      const pool = traveller ? travellerSample : residentSample;
      const p = pool[Math.floor(i / 2) % pool.length]!;
      const travelDate = addDays(todayVn, -rng.int(5));
      const from = traveller
        ? { p: p.province_code, d: p.district_code, c: rng.chance(0.6) ? p.commune_code : null }
        : { p: fromProvince.draw(rng).code, d: null, c: null };
      const to = traveller ? homeW.draw(rng) : home.find((h) => h.code === p.commune_code)!;
      const m = mode.draw(rng);
      const doses = weighted([
        [0, 6],
        [1, 8],
        [2, 46],
        [3, 40],
      ] as const).draw(rng);
      const snapshot: Record<string, unknown> = {
        fullName: p.full_name,
        birthYear: p.birth_year,
        sex: p.sex,
        communeCode: p.commune_code,
      };
      if (p.birth_date) snapshot.birthDate = p.birth_date;
      if (p.id_number) Object.assign(snapshot, { idType: p.id_type, idNumber: p.id_number });
      if (p.phone) snapshot.phone = p.phone;
      const createdAt = new Date(`${travelDate}T00:00:00+07:00`).getTime() + rng.int(10 * 3600_000);
      rows.push({
        id: rng.uuid(),
        code: drawCode(),
        person_id: p.id,
        person_snapshot: snapshot,
        travel_mode: m,
        vehicle_number:
          m === 'coach' || m === 'personal_vehicle'
            ? `${rng.pick(['27', '29', '30', '26', '25', '24'])}${rng.pick(['A', 'B', 'C', 'F'])}-${100 + rng.int(900)}.${10 + rng.int(90)}`
            : m === 'plane'
              ? `VN${1000 + rng.int(9000)}`
              : null,
        from_province_code: from.p,
        from_district_code: from.d,
        from_commune_code: from.c,
        province_code: to.province_code,
        district_code: to.district_code,
        commune_code: to.code,
        to_address: rng.chance(0.7) ? `Bản ${1 + rng.int(20)}` : null,
        travel_date: travelDate,
        visited_provinces: [from.p],
        symptoms: rng.chance(0.03) ? (rng.chance(0.5) ? ['cough'] : ['fever', 'cough']) : [],
        exposure: {
          caseContact: rng.chance(0.01),
          fromOutbreakArea: rng.chance(0.1),
          symptomaticContact: rng.chance(0.02),
        },
        vaccination:
          doses === 0
            ? { doses: 0 }
            : { doses, lastDoseDate: addDays(todayVn, -30 - rng.int(400)) },
        last_test: rng.chance(0.25)
          ? {
              type: rng.chance(0.5) ? 'rapid' : 'pcr',
              date: addDays(travelDate, -rng.int(3)),
              result: 'negative',
            }
          : null,
        valid_until: addDays(travelDate, 14),
        created_at: new Date(Math.min(createdAt, Date.now() - 60_000)).toISOString(),
      });
    }
    await db.query(
      `INSERT INTO declarations (id, code, person_id, person_snapshot, travel_mode, vehicle_number, from_province_code,
         from_district_code, from_commune_code, province_code, district_code, commune_code, to_address, travel_date,
         visited_provinces, symptoms, exposure, vaccination, last_test, valid_until, created_at)
       SELECT id, code, person_id, person_snapshot, travel_mode, vehicle_number, from_province_code,
         from_district_code, from_commune_code, province_code, district_code, commune_code, to_address, travel_date,
         visited_provinces, symptoms, exposure, vaccination, last_test, valid_until, created_at
         FROM json_to_recordset($1::json) AS x(id uuid, code text, person_id uuid, person_snapshot jsonb, travel_mode text,
           vehicle_number text, from_province_code text, from_district_code text, from_commune_code text,
           province_code text, district_code text, commune_code text, to_address text, travel_date date,
           visited_provinces text[], symptoms text[], exposure jsonb, vaccination jsonb, last_test jsonb,
           valid_until date, created_at timestamptz)`,
      [JSON.stringify(rows)],
    );
    made += rows.length;
  }
  return made;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  console.log(
    `generate: ${opt.engine}, ${fmt(PERSONS, 0)} persons, ${fmt(DECLARATIONS, 0)} declarations, seed ${opt.seed}; ${machine()}`,
  );
  const t0 = performance.now();
  const db = await step('fresh database', freshDatabase);
  const config = benchConfig(opt.engine, opt.databaseUrl, opt.dataDir);
  await step('prepare (migrations, geography, admin)', () => prepareDatabase(db, config));
  await step('declaration signing key', () => loadSigningKey(db));
  const units = await db.query<Unit>(
    `SELECT code, province_code, district_code, short_name, type, coalesce(population, 0) AS population, population_urban
       FROM admin_units WHERE level = 3 ORDER BY code`,
  );
  const home = units.filter((u) => u.province_code === PROVINCE && u.population > 0);
  const elsewhere = units.filter((u) => u.province_code !== PROVINCE && u.population > 0);
  console.log(`  ${home.length} communes of province ${PROVINCE}, ${elsewhere.length} elsewhere`);
  const sites = await step('sites', () => makeSites(db, home));
  const { provinceUserId, users } = await step('users', () => makeUsers(db, home, sites));
  const areas = await step('epidemic areas', () => makeAreas(db, provinceUserId));

  const rng = new Rng(opt.seed);
  // a second stream for the declarations, so that the persons do not depend on --declarations
  const sampler = new Rng(opt.seed ^ 0x5eed);
  const next = personGenerator(rng, home, elsewhere, sites);
  const deferred = opt['keep-indexes']
    ? []
    : await secondaryIndexes(db, ['persons', 'person_name_keys']);
  if (deferred.length) await db.exec(deferred.map((i) => `DROP INDEX ${i.indexname};`).join('\n'));
  const travellers: PersonGen[] = [];
  const residents: PersonGen[] = [];
  let keys = 0;
  await step(`persons + name keys (${fmt(PERSONS, 0)}, batches of ${fmt(BATCH, 0)})`, async () => {
    let lastLog = performance.now();
    // PostgreSQL: two batches in flight on two connections (two cores) while the next is drawn.
    const parallel = opt.engine === 'postgres' ? 2 : 1;
    const inflight = new Set<Promise<void>>();
    let done = 0;
    for (let drawn = 0; drawn < PERSONS;) {
      const tg = performance.now();
      const batch: PersonGen[] = [];
      for (let i = 0; i < BATCH && drawn + i < PERSONS; i++) {
        const p = next();
        batch.push(p);
        // keep a sample for the declarations (a traveller declares; residents come home too)
        if (p.traveller) {
          if (travellers.length < DECLARATIONS) travellers.push(p);
        } else if (residents.length < DECLARATIONS && sampler.chance(0.3)) residents.push(p);
      }
      drawn += batch.length;
      phase.generate += performance.now() - tg;
      const job = db
        .tx(async (q) => {
          if (opt.engine === 'postgres') await q.query('SET LOCAL synchronous_commit = off');
          return insertPersons(q, batch);
        })
        .then((n) => {
          keys += n;
          done += batch.length;
          if (performance.now() - lastLog > 10_000) {
            console.log(`    ${fmt(done, 0)} persons`);
            lastLog = performance.now();
          }
        });
      inflight.add(job);
      void job.finally(() => inflight.delete(job)).catch(() => undefined);
      if (inflight.size >= parallel) await Promise.race(inflight);
    }
    await Promise.all(inflight);
  });
  console.log(
    `    of which: drawing rows ${(phase.generate / 1000).toFixed(1)} s, INSERT persons ${(phase.persons / 1000).toFixed(1)} s, INSERT name keys ${(phase.keys / 1000).toFixed(1)} s (summed over the connections)`,
  );
  if (deferred.length)
    await step(`rebuild ${deferred.length} indexes`, async () => {
      if (opt.engine === 'postgres') {
        // one index per connection, two at a time (two cores)
        const queue = [...deferred];
        await Promise.all(
          [0, 1].map(async () => {
            for (let i = queue.shift(); i; i = queue.shift()) {
              const one = i;
              await db.tx(async (q) => {
                await q.query(`SET LOCAL maintenance_work_mem = '1GB'`);
                await q.query(one.indexdef);
              });
            }
          }),
        );
      } else {
        for (const i of deferred) await db.exec(i.indexdef);
      }
    });
  await step('declarations', () => makeDeclarations(db, sampler, home, travellers, residents));
  await step('VACUUM ANALYZE', () => db.exec('VACUUM ANALYZE'));
  const total = (performance.now() - t0) / 1000;

  const counts = (
    await db.query<Record<string, number> & { fingerprint: string }>(
      `SELECT (SELECT count(*) FROM persons)::int AS persons,
              (SELECT count(*) FROM persons WHERE province_code <> $1)::int AS travellers,
              (SELECT count(*) FROM person_name_keys)::int AS name_keys,
              (SELECT count(DISTINCT commune_code) FROM persons WHERE province_code = $1)::int AS communes,
              (SELECT count(*) FROM persons WHERE id_number IS NOT NULL)::int AS with_id,
              (SELECT count(*) FROM persons WHERE phone IS NOT NULL)::int AS with_phone,
              (SELECT count(*) FROM declarations)::int AS declarations,
              -- a fingerprint of the persons, the same for the same seed and size on either engine
              (SELECT sum(hashtext(id::text || full_name || coalesce(id_number, '') || coalesce(phone, '')
                 || commune_code || birth_year))::text FROM persons) AS fingerprint`,
      [PROVINCE],
    )
  )[0]!;
  const size = (
    await db.query<{ s: string }>(
      'SELECT pg_size_pretty(pg_database_size(current_database())) AS s',
    )
  )[0]!.s;
  await db.close();
  console.log(
    `\ndata set: ${fmt(counts.persons!, 0)} persons (${fmt(counts.travellers!, 0)} travellers from elsewhere, ${counts.communes} communes of ${PROVINCE}), ` +
      `${fmt(counts.name_keys!, 0)} name keys, ${fmt(counts.with_id!, 0)} with an ID number, ${fmt(counts.with_phone!, 0)} with a phone, ` +
      `${sites.length} sites, ${users} users, ${areas} epidemic areas, ${fmt(counts.declarations!, 0)} declarations; database ${size}; fingerprint ${counts.fingerprint}`,
  );
  console.log(
    `total ${total.toFixed(1)} s; persons at ${fmt(PERSONS / timings.find((t) => t[0].startsWith('persons'))![1], 0)}/s`,
  );
  console.log(JSON.stringify({ engine: opt.engine, counts, size, timings, total, keys }));
}

await main();
