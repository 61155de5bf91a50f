/**
 * Bulk result uploads (CSV / XLSX) as background jobs.
 *
 * The upload stores the file and answers with a job id at once; a worker in the process reads
 * the file as a stream in chunks of 1,000 rows and writes each chunk in ONE transaction: its new
 * persons (with their name keys), its results, its lines of the row report and the job's
 * counters. Semantics (decided): rows that pass are committed, rows that fail are reported with
 * the reason and write nothing — a row is never half-written (person without result, result
 * without report line). A job that stops half-way (restart) resumes after its last committed
 * chunk. The same file uploaded again by the same uploader is the same job (file hash); the same
 * row in another file finds its result by the natural key and is reported as a duplicate.
 */
import { noteScreening } from '../workplaces/store.ts'; // issue 18 item 4
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Scope } from '../../domain/access.ts';
import { dateOfInstant } from '../../domain/dates.ts';
import { nameSuffixes } from '../../domain/people.ts';
import {
  DEFAULT_HEADER_ALIASES,
  fieldMessage,
  IMPORT_FIELDS,
  matchPerson,
  resultNaturalKey,
  type Candidate,
  type ColumnMapping,
  type ImportField,
  type ParsedRow,
  LAYOUT_MAX,
} from '../../domain/testing.ts';
import { audit, requireActor, requirePermission, type Actor } from '../context.ts';
import type { Db, Queryable } from '../db/index.ts';
import { fieldError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { applyF0, RESULT_COLUMNS, type ResultRow } from './apply.ts';
import type { F0Cache } from './rulesets.ts';
import { loadTestScoped } from './scope.ts';
import { headerKey } from '../tabular.ts';
import type { ImportWorker } from './import-jobs.ts';
import { storeUploadedFile } from './import-file.ts';
import type { ReadRow } from './parse-thread.ts';
import { isXlsx } from './stream-table.ts';
import { checkUpload, countLines, fileTooLarge, UPLOAD_LIMITS } from './upload-limits.ts';

export const IMPORT_CHUNK = 1000;
/** Milliseconds per phase of processChunk, summed, when EPIGUARD_IMPORT_PROFILE is set (bench). */
export const PROFILE: Record<string, number> | null = process.env.EPIGUARD_IMPORT_PROFILE
  ? {}
  : null;

/** Whose mapping and file hashes: a site account's site, else the area account's unit. */
export function uploaderKey(actor: Pick<Actor, 'scope'>): string {
  const s = actor.scope;
  if (s.level === 'site') return `site:${s.siteId}`;
  return `area:${s.communeCode ?? s.districtCode ?? s.provinceCode}`;
}

export async function uploaderPlace(q: Queryable, scope: Scope) {
  if (scope.level === 'site') {
    const s = (
      await q.query<{ province_code: string; district_code: string; commune_code: string }>(
        'SELECT province_code, district_code, commune_code FROM sites WHERE id = $1',
        [scope.siteId],
      )
    )[0]!;
    return {
      provinceCode: s.province_code,
      districtCode: s.district_code,
      communeCode: s.commune_code,
      siteId: scope.siteId!,
    };
  }
  return {
    provinceCode: scope.provinceCode,
    districtCode: scope.districtCode ?? null,
    communeCode: scope.communeCode ?? null,
    siteId: null,
  };
}

export interface ImportRow {
  id: string;
  uploader_key: string;
  site_id: string | null;
  province_code: string;
  district_code: string | null;
  commune_code: string | null;
  lab_site_id: null;
  file_name: string;
  mapping: ColumnMapping;
  status: string;
  total_rows: number | null;
  processed_rows: number;
  accepted: number;
  matched: number;
  created_persons: number;
  duplicates: number;
  rejected: number;
  positives: number;
  error: string | null;
  created_by: string;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  heartbeat_at: Date | string | null;
  attempts: number;
}
export const IMPORT_COLUMNS = `i.id, i.uploader_key, i.site_id, i.province_code, i.district_code, i.commune_code, NULL::uuid AS lab_site_id,
  i.file_name, i.mapping, i.status, i.total_rows, i.processed_rows, i.accepted, i.matched, i.created_persons, i.duplicates,
  i.rejected, i.positives, i.error, i.created_by, i.created_at, i.started_at, i.finished_at, i.heartbeat_at, i.attempts`;

const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());
const presentImport = (i: ImportRow, extra: Record<string, unknown> = {}) => ({
  id: i.id,
  fileName: i.file_name,
  status: i.status,
  mapping: i.mapping,
  progress: {
    processedRows: i.processed_rows,
    totalRows: i.total_rows,
    /** 0–1 when the total is known (CSV from the start, XLSX when done). */
    ratio: i.total_rows
      ? Math.min(1, i.processed_rows / i.total_rows)
      : i.status === 'done'
        ? 1
        : null,
  },
  counts: {
    accepted: i.accepted,
    matched: i.matched,
    createdPersons: i.created_persons,
    duplicates: i.duplicates,
    rejected: i.rejected,
    positives: i.positives,
  },
  error: i.error,
  siteId: i.site_id,
  createdAt: iso(i.created_at),
  startedAt: iso(i.started_at),
  finishedAt: iso(i.finished_at),
  /** The worker's last sign of life while running, and how many times the job was started. */
  heartbeatAt: iso(i.heartbeat_at),
  attempts: i.attempts,
  ...extra,
});

type ReportLine = {
  row: number;
  status: 'accepted' | 'duplicate' | 'rejected';
  matchedBy: string | null;
  personId: string | null;
  resultId: string | null;
  fullName: string | null;
  message: string | null;
  messageEn: string | null;
};

export interface JobContext {
  job: ImportRow;
  mapping: ColumnMapping;
  place: Awaited<ReturnType<typeof uploaderPlace>>;
  knownTypes: Set<string>;
  homeProvince: string;
}

/** The match key that says "the same person" within a chunk before they exist. */
const personKey = (r: ParsedRow) =>
  r.idNumber
    ? `id:${r.idNumber}`
    : `n:${r.nameKey}|${r.birthYear}|${r.phone ?? ''}|${r.communeCode ?? ''}`;

/**
 * Matches a chunk of read rows (no writes) and returns the transaction that writes it. The job
 * plans chunk N+1 while chunk N is being written; `extra` are the persons chunk N will create,
 * so that chunk N+1 matches them instead of creating them again.
 */
export async function planChunk(
  db: Db,
  ctx: JobContext,
  rows: ReadRow[],
  rulesets: Awaited<ReturnType<F0Cache['get']>>,
  extra: Candidate[] = [],
): Promise<{ newCandidates: Candidate[]; write: () => Promise<void> }> {
  const { job, place } = ctx;
  let mark = performance.now();
  const prof = (phase: string) => {
    if (!PROFILE) return;
    const now = performance.now();
    PROFILE[phase] = (PROFILE[phase] ?? 0) + now - mark;
    mark = now;
  };
  const report = new Map<number, ReportLine>();
  const reject = (
    row: number,
    fullName: string | null,
    why: { message: string; messageEn: string },
  ) =>
    report.set(row, {
      row,
      status: 'rejected',
      matchedBy: null,
      personId: null,
      resultId: null,
      fullName,
      message: why.message,
      messageEn: why.messageEn,
    });
  const parsed: { row: number; p: ParsedRow }[] = [];
  // The rows come read (parser thread); what needs the database is checked here.
  for (const r of rows) {
    if (!r.ok) reject(r.row, r.fullName, r);
    else parsed.push({ row: r.row, p: r.p });
  }
  // Communes that exist.
  const communes = [...new Set(parsed.map((x) => x.p.communeCode).filter((c): c is string => !!c))];
  const units = new Map(
    (
      await db.query<{ code: string; province_code: string; district_code: string }>(
        'SELECT code, province_code, district_code FROM admin_units WHERE code = ANY($1) AND level = 3',
        [communes],
      )
    ).map((u) => [u.code, u]),
  );
  const ok: typeof parsed = [];
  for (const x of parsed) {
    if (x.p.communeCode && !units.has(x.p.communeCode))
      reject(
        x.row,
        x.p.fullName,
        fieldMessage(
          'communeCode',
          `không có xã mã ${x.p.communeCode}`,
          `there is no commune ${x.p.communeCode}`,
        ),
      );
    else ok.push(x);
  }
  prof('parse');
  // Candidates: by ID number, phone, folded name (the whole name is one of its name keys).
  const ids = [...new Set(ok.map((x) => x.p.idNumber).filter(Boolean))];
  const phones = [...new Set(ok.map((x) => x.p.phone).filter(Boolean))];
  // A name is looked up with its birth year: common names have hundreds of namesakes in a
  // province, and the year rides in the name-key index (index-only).
  const namePairs = [
    ...new Set(
      ok
        .filter((x) => x.p.nameKey && x.p.birthYear !== null)
        .map((x) => `${x.p.birthYear}|${x.p.nameKey}`),
    ),
  ];
  type CandRow = {
    id: string;
    id_number: string | null;
    phone: string | null;
    search_name: string;
    birth_year: number;
    commune_code: string;
  };
  const COLS = 'p.id, p.id_number, p.phone, p.search_name, p.birth_year, p.commune_code';
  // Three index lookups, run side by side (PostgreSQL: on three pooled connections).
  const arms = await Promise.all([
    ids.length
      ? db.query<CandRow>(
          `SELECT ${COLS} FROM persons p WHERE p.id_number = ANY($1::text[]) AND p.merged_into IS NULL`,
          [ids],
        )
      : [],
    phones.length
      ? db.query<CandRow>(
          `SELECT ${COLS} FROM persons p WHERE p.phone = ANY($1::text[]) AND p.merged_into IS NULL`,
          [phones],
        )
      : [],
    namePairs.length
      ? db.query<CandRow>(
          `SELECT ${COLS} FROM persons p WHERE p.merged_into IS NULL AND p.id IN (
             SELECT k.person_id FROM person_name_keys k
               JOIN unnest($1::text[], $2::int[]) AS n(key, year) ON k.key = n.key AND k.birth_year = n.year
              WHERE k.key = k.search_name)`,
          [
            namePairs.map((n) => n.slice(n.indexOf('|') + 1)),
            namePairs.map((n) => Number(n.slice(0, n.indexOf('|')))),
          ],
        )
      : [],
  ]);
  const seenCand = new Set<string>();
  const cands = arms.flat().filter((c) => !seenCand.has(c.id) && (seenCand.add(c.id), true));
  for (const c of extra)
    if (!seenCand.has(c.id))
      cands.push({
        id: c.id,
        id_number: c.idNumber,
        phone: c.phone,
        search_name: c.searchName,
        birth_year: c.birthYear,
        commune_code: c.communeCode,
      });
  prof('candidates-sql');
  const candidates: Candidate[] = cands.map((c) => ({
    id: c.id,
    idNumber: c.id_number,
    phone: c.phone,
    searchName: c.search_name,
    birthYear: c.birth_year,
    communeCode: c.commune_code,
  }));
  // Index candidates so that matching a row looks at its few candidates only.
  const byAny = new Map<string, Candidate[]>();
  const add = (k: string, c: Candidate) => {
    const list = byAny.get(k);
    if (list) list.push(c);
    else byAny.set(k, [c]);
  };
  for (const c of candidates) {
    if (c.idNumber) add(`i:${c.idNumber}`, c);
    if (c.phone) add(`p:${c.phone}`, c);
    add(`n:${c.searchName}`, c);
  }
  prof('candidates');
  type Planned = {
    row: number;
    p: ParsedRow;
    personId: string;
    matchedBy: string;
    newPerson: boolean;
  };
  const planned: Planned[] = [];
  const newPersons = new Map<
    string,
    {
      id: string;
      p: ParsedRow;
      unit: { code: string; province_code: string; district_code: string };
    }
  >();
  for (const x of ok) {
    const p = x.p;
    const mine = new Set<Candidate>([
      ...(p.idNumber ? (byAny.get(`i:${p.idNumber}`) ?? []) : []),
      ...(p.phone ? (byAny.get(`p:${p.phone}`) ?? []) : []),
      ...(p.nameKey ? (byAny.get(`n:${p.nameKey}`) ?? []) : []),
    ]);
    const m = matchPerson(
      {
        idNumber: p.idNumber,
        phone: p.phone,
        name: p.nameKey,
        birthYear: p.birthYear,
        communeCode: p.communeCode,
      },
      [...mine],
    );
    if (m.by === 'ambiguous') {
      reject(x.row, p.fullName, {
        message: `Có ${m.count} người trùng họ tên và năm sinh: cần số giấy tờ hoặc mã xã để phân biệt`,
        messageEn: `${m.count} people share this name and year of birth: an ID number or a commune code is needed to tell them apart`,
      });
      continue;
    }
    if (m.by === 'conflict') {
      reject(x.row, p.fullName, m);
      continue;
    }
    if (m.by !== 'create') {
      planned.push({ row: x.row, p, personId: m.personId, matchedBy: m.by, newPerson: false });
      continue;
    }
    // A new person: needs a name, a birth year, a sex and a commune (the row's or the uploader's).
    if (!p.fullName || p.birthYear === null) {
      reject(x.row, p.fullName, {
        message: 'Không tìm thấy người này; cần họ tên và năm sinh để tạo mới',
        messageEn: 'No such person; a full name and year of birth are needed to add them',
      });
      continue;
    }
    if (!p.sex) {
      reject(
        x.row,
        p.fullName,
        fieldMessage('sex', 'cần giới tính để tạo người mới', 'needed to add a new person'),
      );
      continue;
    }
    const code = p.communeCode ?? place.communeCode;
    const unit = code
      ? (units.get(code) ??
        (code === place.communeCode
          ? { code, province_code: place.provinceCode, district_code: place.districtCode! }
          : undefined))
      : undefined;
    if (!unit) {
      reject(
        x.row,
        p.fullName,
        fieldMessage('communeCode', 'cần mã xã để tạo người mới', 'needed to add a new person'),
      );
      continue;
    }
    const k = personKey(p);
    let np = newPersons.get(k);
    if (!np) {
      np = { id: randomUUID(), p, unit };
      newPersons.set(k, np);
    }
    planned.push({ row: x.row, p, personId: np.id, matchedBy: 'created', newPerson: true });
  }

  prof('match');
  const newCandidates: Candidate[] = [...newPersons.values()].map((n) => ({
    id: n.id,
    idNumber: n.p.idNumber,
    phone: n.p.phone,
    searchName: n.p.nameKey,
    birthYear: n.p.birthYear!,
    communeCode: n.unit.code,
  }));
  const write = async () => {
    mark = performance.now();
    await db.tx(async (q) => {
      if (newPersons.size) {
        const list = [...newPersons.values()];
        await q.query(
          `INSERT INTO persons (id, full_name, search_name, birth_date, birth_year, sex, id_type, id_number, phone, province_code,
           district_code, commune_code, registered_province_code, registered_site_id, created_by)
         SELECT u.id, u.full_name, u.search_name, u.birth_date, u.birth_year, u.sex, CASE WHEN u.id_number IS NULL THEN NULL
             WHEN u.id_number ~ '^\\d{12}$' THEN 'cccd' WHEN u.id_number ~ '^\\d{9}$' THEN 'cmnd' ELSE 'other' END,
           u.id_number, u.phone, u.province_code, u.district_code, u.commune_code, $13, $14, $15
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[],
             $10::text[], $11::text[], $12::text[])
             AS u(id, full_name, search_name, birth_date, birth_year, sex, id_number, phone, province_code, district_code, commune_code, x)`,
          [
            list.map((n) => n.id),
            list.map((n) => n.p.fullName),
            list.map((n) => n.p.nameKey),
            list.map((n) => n.p.birthDate),
            list.map((n) => n.p.birthYear),
            list.map((n) => n.p.sex),
            list.map((n) => n.p.idNumber),
            list.map((n) => n.p.phone),
            list.map((n) => n.unit.province_code),
            list.map((n) => n.unit.district_code),
            list.map((n) => n.unit.code),
            list.map(() => null),
            ctx.homeProvince,
            place.siteId,
            job.created_by,
          ],
        );
        // The name keys, exactly as syncNameKeys writes them, for all the new persons at once.
        const pid: string[] = [];
        const keys: string[] = [];
        for (const n of list)
          for (const k of nameSuffixes(n.p.nameKey)) {
            pid.push(n.id);
            keys.push(k);
          }
        await q.query(
          `INSERT INTO person_name_keys (person_id, key, search_name, birth_year, registered_province_code,
           district_code, commune_code, village_id, registered_site_id)
         SELECT p.id, k.key, p.search_name, p.birth_year, p.registered_province_code, p.district_code,
                p.commune_code, p.village_id, p.registered_site_id
           FROM unnest($1::uuid[], $2::text[]) AS k(pid, key) JOIN persons p ON p.id = k.pid`,
          [pid, keys],
        );
      }
      prof('persons');
      const codes = new Map<
        string,
        { province_code: string; district_code: string; commune_code: string }
      >();
      const personIds = [...new Set(planned.map((x) => x.personId))];
      for (const c of await q.query<{
        id: string;
        province_code: string;
        district_code: string;
        commune_code: string;
      }>(
        'SELECT id, registered_province_code AS province_code, district_code, commune_code FROM persons WHERE id = ANY($1::uuid[])',
        [personIds],
      ))
        codes.set(c.id, c);
      const keyOf = (x: Planned) => resultNaturalKey(x.p, job.uploader_key, x.personId);
      const inserted = await q.query<{ id: string; natural_key: string; result: string }>(
        `INSERT INTO test_results (person_id, specimen_code, test_type, result, sampled_at, resulted_at, sample_date, source,
         import_id, natural_key, province_code, district_code, commune_code, site_id, created_by)
       SELECT u.person_id, u.code, u.test_type, u.result, u.sampled_at, u.resulted_at, u.sample_date, 'import', $11, u.nk,
              u.pc, u.dc, u.cc, $12, $13
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::date[],
              $8::text[], $9::text[], $10::text[], $14::text[])
           AS u(person_id, code, test_type, result, sampled_at, resulted_at, sample_date, nk, pc, dc, cc)
       ON CONFLICT (natural_key) DO NOTHING RETURNING id, natural_key, result`,
        [
          planned.map((x) => x.personId),
          planned.map((x) => x.p.specimenCode),
          planned.map((x) => x.p.testType),
          planned.map((x) => x.p.result),
          planned.map((x) => x.p.sampledAt),
          planned.map((x) => x.p.resultedAt),
          planned.map((x) => dateOfInstant(Date.parse(x.p.sampledAt))),
          planned.map(keyOf),
          planned.map((x) => codes.get(x.personId)!.province_code),
          planned.map((x) => codes.get(x.personId)!.district_code),
          job.id,
          place.siteId,
          job.created_by,
          planned.map((x) => codes.get(x.personId)!.commune_code),
        ],
      );
      const byKey = new Map(inserted.map((r) => [r.natural_key, r]));
      const existing = new Map(
        (
          await q.query<{ id: string; natural_key: string }>(
            'SELECT id, natural_key FROM test_results WHERE natural_key = ANY($1)',
            [planned.filter((x) => !byKey.has(keyOf(x))).map(keyOf)],
          )
        ).map((r) => [r.natural_key, r.id]),
      );
      const usedKeys = new Set<string>();
      let accepted = 0;
      let matched = 0;
      let positives = 0;
      const createdPersons = new Set<string>();
      const positiveIds: string[] = [];
      for (const x of planned) {
        const k = keyOf(x);
        const ins = byKey.get(k);
        if (ins && !usedKeys.has(k)) {
          usedKeys.add(k);
          accepted++;
          if (x.newPerson) createdPersons.add(x.personId);
          else matched++;
          if (ins.result === 'positive') {
            positives++;
            positiveIds.push(ins.id);
          }
          report.set(x.row, {
            row: x.row,
            status: 'accepted',
            matchedBy: x.matchedBy,
            personId: x.personId,
            resultId: ins.id,
            fullName: x.p.fullName,
            message: null,
            messageEn: null,
          });
        } else {
          report.set(x.row, {
            row: x.row,
            status: 'duplicate',
            matchedBy: x.matchedBy,
            personId: x.personId,
            resultId: existing.get(k) ?? ins?.id ?? null,
            fullName: x.p.fullName,
            message: ins ? 'Dòng lặp lại trong tệp: bỏ qua' : 'Đã có kết quả này: không thay đổi',
            messageEn: ins
              ? 'A repeated row in the file: skipped'
              : 'This result is already recorded: nothing changed',
          });
        }
      }
      // A new person created for rows that all turned out duplicates cannot happen: a new person
      // has no results yet, so their first row is always accepted.
      prof('results');
      for (const id of positiveIds) {
        const row = (
          await q.query<ResultRow>(`SELECT ${RESULT_COLUMNS} FROM test_results r WHERE r.id = $1`, [
            id,
          ])
        )[0]!;
        await applyF0(q, row, { foundBy: 'screening' }, { actorId: job.created_by, rulesets });
      }
      prof('f0');
      // issue 18 item 4: an upload by a workplace's reporter is its screening (outbreak flag)
      await noteScreening(q, place.siteId, {
        count: accepted,
        positives,
        lastSampleDate:
          planned
            .filter((x) => byKey.has(keyOf(x)))
            .map((x) => dateOfInstant(Date.parse(x.p.sampledAt)))
            .sort()
            .at(-1) ?? null,
      });
      const lines = [...report.values()].sort((a, b) => a.row - b.row);
      await q.query(
        `INSERT INTO result_import_rows (import_id, row_no, status, matched_by, person_id, result_id, full_name, message,
           message_en)
       SELECT $1, u.* FROM unnest($2::int[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::text[],
           $9::text[])
         AS u(row_no, status, matched_by, person_id, result_id, full_name, message, message_en)
       ON CONFLICT (import_id, row_no) DO NOTHING`,
        [
          job.id,
          lines.map((l) => l.row),
          lines.map((l) => l.status),
          lines.map((l) => l.matchedBy),
          lines.map((l) => l.personId),
          lines.map((l) => l.resultId),
          lines.map((l) => l.fullName),
          lines.map((l) => l.message),
          lines.map((l) => l.messageEn),
        ],
      );
      const dup = lines.filter((l) => l.status === 'duplicate').length;
      const rej = lines.filter((l) => l.status === 'rejected').length;
      await q.query(
        `UPDATE result_imports SET processed_rows = processed_rows + $2, accepted = accepted + $3, matched = matched + $4,
         created_persons = created_persons + $5, duplicates = duplicates + $6, rejected = rejected + $7, positives = positives + $8,
         heartbeat_at = now()
       WHERE id = $1`,
        [job.id, rows.length, accepted, matched, createdPersons.size, dup, rej, positives],
      );
    });
    prof('report+commit');
  };
  return { newCandidates, write };
}

const layoutField = z
  .string()
  .max(LAYOUT_MAX)
  .optional()
  .describe(
    "The file's layout: its header keys sorted, joined by |, as layoutOf in src/domain/testing.ts (one saved mapping per layout)",
  );

const mappingBody = z
  .object(
    Object.fromEntries(
      IMPORT_FIELDS.map((f) => [
        f,
        z
          .string()
          .trim()
          .max(80)
          .optional()
          .describe(
            `Header of the column holding ${f} (as in the file; matched without accents / case)`,
          ),
      ]),
    ) as Record<ImportField, z.ZodOptional<z.ZodString>>,
  )
  .extend({ layout: layoutField });

export async function importRoutes(server: FastifyInstance, opts: { worker: ImportWorker }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/result-imports/mapping',
    {
      preHandler: requirePermission('tests.import'),
      schema: {
        tags: ['testing'],
        summary:
          'Your saved column mappings (per site / per area account), one per file layout, the latest first; and the headers recognised by default',
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const key = uploaderKey(actor);
      // a unit has a mapping per layout its labs send: a handful
      const saved = await db.query<{ layout: string; mapping: ColumnMapping }>(
        'SELECT layout, mapping FROM result_import_mappings WHERE uploader_key = $1 ORDER BY updated_at DESC, layout LIMIT 100',
        [key],
      );
      return {
        uploaderKey: key,
        mapping: saved[0]?.mapping ?? {},
        mappings: saved,
        fields: IMPORT_FIELDS,
        defaults: DEFAULT_HEADER_ALIASES,
      };
    },
  );

  app.put(
    '/api/v1/result-imports/mapping',
    {
      preHandler: requirePermission('tests.import'),
      schema: {
        tags: ['testing'],
        summary:
          'Save which column of your files holds which field (once per site and file layout)',
        body: mappingBody,
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const key = uploaderKey(actor);
      const { layout = '', ...fields } = req.body;
      const mapping = Object.fromEntries(
        Object.entries(fields)
          .filter(([, v]) => v)
          .map(([k, v]) => [k, headerKey(v as string)]),
      );
      await db.tx(async (q) => {
        await q.query(
          `INSERT INTO result_import_mappings (uploader_key, layout, mapping, updated_by) VALUES ($1,$2,$3,$4)
           ON CONFLICT (uploader_key, layout) DO UPDATE SET mapping = EXCLUDED.mapping, updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [key, layout, JSON.stringify(mapping), actor.id],
        );
        await audit(q, req, {
          action: 'tests.import',
          resourceType: 'import_mapping',
          resourceId: key,
          outcome: 'allowed',
        });
      });
      return { uploaderKey: key, layout, mapping };
    },
  );

  app.post(
    '/api/v1/result-imports',
    {
      preHandler: requirePermission('tests.import'),
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['testing'],
        summary:
          'Upload results (CSV or XLSX, field "file", ≤ 20 MB, ≤ 100 MB expanded, ≤ 200,000 rows; 413 over a limit) → a background job id (202). The same file again → the same job (200). ?layout= picks the mapping saved for that layout',
        consumes: ['multipart/form-data'],
        querystring: z.object({ layout: layoutField }),
      },
    },
    async (req: FastifyRequest, reply) => {
      const actor = requireActor(req);
      const layout = (req.query as { layout?: string }).layout ?? '';
      if (!req.isMultipart())
        throw fieldError('file', 'Gửi tệp CSV hoặc XLSX trong trường "file" (multipart/form-data)');
      const file = await req.file({ limits: { fileSize: UPLOAD_LIMITS.fileBytes } });
      if (!file) throw fieldError('file', 'Thiếu tệp');
      if (!/\.(csv|xlsx)$/i.test(file.filename))
        throw fieldError('file', 'Chỉ nhận tệp .csv hoặc .xlsx');
      const data = await file.toBuffer().catch(() => {
        throw fileTooLarge();
      });
      if (!data.length) throw fieldError('file', 'Tệp rỗng');
      // 413 for a file, an expanded XLSX or a CSV over the limits (upload-limits.ts)
      checkUpload(data, isXlsx(data, file.filename));
      const sha = createHash('sha256').update(data).digest('hex');
      const key = uploaderKey(actor);
      const place = await uploaderPlace(db, actor.scope);
      // A CSV's rows can be counted at once for the progress bar; an XLSX's when it is read.
      const total = isXlsx(data, file.filename) ? null : Math.max(0, countLines(data) - 1);
      const prior = await db.query<ImportRow>(
        `SELECT ${IMPORT_COLUMNS} FROM result_imports i WHERE i.uploader_key = $1 AND i.file_sha256 = $2`,
        [key, sha],
      );
      if (prior[0])
        return reply.status(200).send(
          presentImport(prior[0], {
            replay: true,
            message: 'Tệp này đã được tải lên trước đó: không thay đổi gì',
          }),
        );
      // The file first, in pieces (import-file.ts), then the job that names it in one transaction.
      await storeUploadedFile(db, { uploaderKey: key, sha256: sha }, data);
      const r = await db.tx(async (q) => {
        const ins = await q.query<ImportRow>(
          `INSERT INTO result_imports AS i (uploader_key, site_id, province_code, district_code, commune_code, file_name, file_sha256,
             mapping, total_rows, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,
                   -- the mapping saved when the file came is the one its rows are read with:
                   -- its layout's, else the latest saved
                   coalesce((SELECT m.mapping FROM result_import_mappings m WHERE m.uploader_key = $1
                              ORDER BY (m.layout = $10) DESC, m.updated_at DESC LIMIT 1), '{}'),
                   $8,$9)
           ON CONFLICT (uploader_key, file_sha256) DO NOTHING RETURNING ${IMPORT_COLUMNS}`,
          [
            key,
            place.siteId,
            place.provinceCode,
            place.districtCode,
            place.communeCode,
            file.filename.slice(0, 200),
            sha,
            total,
            actor.id,
            layout,
          ],
        );
        if (ins[0]) {
          await audit(q, req, {
            action: 'tests.import',
            resourceType: 'result_import',
            resourceId: ins[0].id,
            outcome: 'allowed',
            detail: { file: file.filename, bytes: data.length },
          });
          return { row: ins[0], created: true };
        }
        const prior = await q.query<ImportRow>(
          `SELECT ${IMPORT_COLUMNS} FROM result_imports i WHERE i.uploader_key = $1 AND i.file_sha256 = $2`,
          [key, sha],
        );
        return { row: prior[0]!, created: false };
      });
      if (r.created) void opts.worker.kick();
      return reply
        .status(r.created ? 202 : 200)
        .send(
          presentImport(
            r.row,
            r.created
              ? {}
              : { replay: true, message: 'Tệp này đã được tải lên trước đó: không thay đổi gì' },
          ),
        );
    },
  );

  app.get(
    '/api/v1/result-imports/:id',
    {
      preHandler: requirePermission('tests.import'),
      schema: {
        tags: ['testing'],
        summary:
          'Progress of an upload and its row-by-row report (accepted / duplicate / rejected, how the person was matched, why rejected)',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({
          afterRow: z.coerce
            .number()
            .int()
            .min(0)
            .default(0)
            .describe('Report lines after this row number'),
          limit: z.coerce.number().int().min(1).max(5000).default(500),
          status: z.enum(['accepted', 'duplicate', 'rejected']).optional(),
        }),
      },
    },
    async (req) => {
      const job = await loadTestScoped(req, {
        action: 'tests.import',
        resourceType: 'result_import',
        id: req.params.id,
        label: 'Lượt tải lên',
        load: async () =>
          (
            await db.query<ImportRow>(
              `SELECT ${IMPORT_COLUMNS} FROM result_imports i WHERE i.id = $1`,
              [req.params.id],
            )
          )[0],
      });
      const params: unknown[] = [job.id, req.query.afterRow];
      let extra = '';
      if (req.query.status) extra = ` AND status = $${params.push(req.query.status)}`;
      params.push(req.query.limit + 1);
      const lines = await db.query<{
        row_no: number;
        status: string;
        matched_by: string | null;
        person_id: string | null;
        result_id: string | null;
        full_name: string | null;
        message: string | null;
        message_en: string | null;
      }>(
        `SELECT row_no, status, matched_by, person_id, result_id, full_name, message, message_en FROM result_import_rows
          WHERE import_id = $1 AND row_no > $2${extra} ORDER BY row_no LIMIT $${params.length}`,
        params,
      );
      const more = lines.length > req.query.limit;
      const items = more ? lines.slice(0, -1) : lines;
      return presentImport(job, {
        rows: items.map((l) => ({
          row: l.row_no,
          status: l.status,
          matchedBy: l.matched_by,
          personId: l.person_id,
          resultId: l.result_id,
          fullName: l.full_name,
          message: l.message,
          // English beside the Vietnamese (issue 16 item 4); rows reported earlier have none.
          messageEn: l.message_en ?? l.message,
        })),
        nextAfterRow: more ? items[items.length - 1]!.row_no : null,
      });
    },
  );

  app.get(
    '/api/v1/result-imports',
    {
      preHandler: requirePermission('tests.import'),
      schema: {
        tags: ['testing'],
        summary: 'Your uploads, newest first',
        querystring: z.object({ ...pageQuery }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const params: unknown[] = [uploaderKey(actor)];
      const where = ['i.uploader_key = $1'];
      const after = decodeCursor(req.query.cursor, ['timestamp', 'uuid']);
      if (after) {
        params.push(after[0], after[1]);
        where.push(`(i.created_at, i.id) < ($2::timestamptz, $3::uuid)`);
      }
      params.push(req.query.limit + 1);
      const rows = await db.query<ImportRow>(
        `SELECT ${IMPORT_COLUMNS} FROM result_imports i WHERE ${where.join(' AND ')} ORDER BY i.created_at DESC, i.id DESC LIMIT $${params.length}`,
        params,
      );
      const pg = page(rows, req.query.limit, (r) => [iso(r.created_at)!, r.id]);
      return { items: pg.items.map((r) => presentImport(r)), nextCursor: pg.nextCursor };
    },
  );
}
