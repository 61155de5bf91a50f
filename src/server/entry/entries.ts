import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { subjectIds } from '../audit/subjects.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can, type Place } from '../../domain/access.ts';
import { addDays, dateOfInstant, formatViDate } from '../../domain/dates.ts';
import { classifyArrival, type ArrivalDecision } from '../../domain/entry.ts';
import { checkRecordTime, ENTRY_TIME_LIMITS } from '../../domain/record-time.ts';
import {
  ARRIVAL_ACTIONS,
  ARRIVAL_ACTION_LABELS,
  type ArrivalAction,
} from '../../domain/rulesets.ts';
import { normaliseIdNumber } from '../../domain/people.ts';
import {
  audit,
  AUDIT_COLUMNS,
  AUDIT_FIELDS,
  auditValues,
  loadScoped,
  requireActor,
  requirePermission,
  type Actor,
} from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, badRequest, fieldError, nestFields } from '../errors.ts';
import { allUnitRefs, type UnitRef } from '../geo/units.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { canonicalPersonId } from '../people/store.ts';
import { personInScope } from '../scoped-ids.ts';
import { entryListSql } from './lists.ts';
import { GroupCommit } from '../group-commit.ts';
import { allAreasCached } from './areas.ts';
import { arrivalInputOf } from './arrival-input.ts';
import {
  checkQr,
  createDeclaration,
  DECLARATION_CODE_RE,
  DECLARATION_COLUMNS,
  declarationBody,
  type DeclarationRow,
} from './declarations.ts';
import { followUpDue } from '../../domain/care-home.ts';
import type { SigningKey } from './keys.ts';
import type { ArrivalRuleSets } from './rulesets.ts';

const entryBody = z
  .object({
    clientId: z.uuid('clientId: UUID do thiết bị tạo, để gửi lại không bị trùng'),
    /** When the person passed; default now. Offline entries carry the time they were recorded. */
    at: z.iso.datetime({ offset: true, message: 'Thời điểm dạng ISO 8601' }).optional(),
    /** Issue 13 item 7: why a record older than 30 days is entered now (paper book…); audited. */
    backdateReason: z.string().trim().max(500).optional(),
    direction: z.enum(['in', 'out']),
    qr: z.string().min(1).max(2000).optional(),
    declarationCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(DECLARATION_CODE_RE, 'Mã khai báo gồm 8 ký tự')
      .optional(),
    personId: z.uuid().optional(),
    idNumber: z.string().trim().min(6).max(30).optional(),
    declaration: declarationBody.omit({ clientId: true }).optional(),
    vehicle: z
      .object({
        plate: z.string().trim().min(4).max(20),
        type: z.string().trim().max(40).optional(),
      })
      .optional(),
    companions: z.number().int().min(0).max(100).default(0),
    destination: z
      .object({
        communeCode: z.string().regex(/^\d{5}$/),
        address: z.string().max(300).optional(),
        villageId: z.uuid().optional(),
      })
      .optional(),
    rapidTest: z.object({ result: z.enum(['negative', 'positive']) }).optional(),
  })
  .refine(
    (b) =>
      [b.qr, b.declarationCode, b.personId, b.idNumber, b.declaration].filter(Boolean).length === 1,
    {
      path: ['qr'],
      message: 'Cần đúng một trong: qr, declarationCode, personId, idNumber, declaration',
    },
  );
type EntryInput = z.infer<typeof entryBody>;

export interface EntryRow {
  id: string;
  client_id: string;
  site_id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  person_id: string;
  declaration_id: string | null;
  direction: 'in' | 'out';
  at: string | Date;
  entry_date: string;
  vehicle_plate: string | null;
  vehicle_type: string | null;
  companions: number;
  dest_province_code: string | null;
  dest_commune_code: string | null;
  dest_address: string | null;
  from_epidemic_area: boolean;
  origin_level: number | null;
  rapid_test_result: string | null;
  action: ArrivalAction | null;
  ruleset_id: string | null;
  rule_id: string | null;
  decision: ArrivalDecision | null;
  override: { action: ArrivalAction; reason: string; by: string; at: string } | null;
}
export const ENTRY_COLUMNS = `e.id, e.client_id, e.site_id, e.province_code, e.district_code, e.commune_code, e.person_id,
  e.declaration_id, e.direction, e.at, e.entry_date::text AS entry_date, e.vehicle_plate, e.vehicle_type, e.companions,
  e.dest_province_code, e.dest_commune_code, e.dest_address, e.from_epidemic_area, e.origin_level, e.rapid_test_result,
  e.action, e.ruleset_id, e.rule_id, e.decision, e.override`;

export function presentEntry(e: EntryRow, extra: Record<string, unknown> = {}) {
  const d = e.decision;
  return {
    id: e.id,
    clientId: e.client_id,
    siteId: e.site_id,
    personId: e.person_id,
    declarationId: e.declaration_id,
    direction: e.direction,
    at: new Date(e.at).toISOString(),
    entryDate: e.entry_date,
    vehicle: e.vehicle_plate ? { plate: e.vehicle_plate, type: e.vehicle_type } : null,
    companions: e.companions,
    destination: e.dest_commune_code
      ? {
          provinceCode: e.dest_province_code,
          communeCode: e.dest_commune_code,
          address: e.dest_address,
        }
      : null,
    fromEpidemicArea: e.from_epidemic_area,
    originLevel: e.origin_level,
    rapidTest: e.rapid_test_result ? { result: e.rapid_test_result } : null,
    classification: d
      ? {
          action: e.override?.action ?? d.action,
          actionLabel: ARRIVAL_ACTION_LABELS[e.override?.action ?? d.action],
          automatic: {
            action: d.action,
            quarantineDays: d.quarantineDays,
            monitoringDays: d.monitoringDays,
            testDays: d.testDays,
            testDates: d.testDates,
            testAtCheckpoint: d.testAtCheckpoint,
            isolate: d.isolate,
            quarantineEnds: d.quarantineEnds,
            monitoringEnds: d.monitoringEnds,
          },
          rulesetId: d.rulesetId,
          ruleId: d.ruleId,
          legalBasis: d.legalBasis,
          confidence: d.confidence,
          explanation: d.explanation,
          override: e.override,
        }
      : null,
    ...extra,
  };
}

/** The site the actor records entries for: their own site (its codes are the actor's scope). */
function actorSite(actor: Actor) {
  const s = actor.scope;
  if (s.level !== 'site' || !s.siteId || !s.districtCode || !s.communeCode) {
    throw new AppError(
      403,
      'forbidden',
      'Chỉ tài khoản của chốt, cảng hàng không, đồn biên phòng hoặc cơ sở lưu trú ghi lượt qua',
    );
  }
  if (actor.siteDisabled) throw new AppError(403, 'forbidden', 'Cơ sở của bạn đã ngừng hoạt động');
  return {
    id: s.siteId,
    kind: actor.siteKind,
    province_code: s.provinceCode,
    district_code: s.districtCode,
    commune_code: s.communeCode,
  };
}
type Site = ReturnType<typeof actorSite>;

/** Vietnam's calendar date of an instant. */
const vnDate = (at: Date) => dateOfInstant(at.getTime());

interface Resolved {
  personId: string;
  declaration: DeclarationRow | null;
}

/**
 * One statement for what a scan needs to read: an entry already recorded with this client id
 * (a replay), and the declaration by its code with the person it stands for.
 */
export const ENTRY_LOOKUP_SQL = `SELECT r.id AS replay_id, ${DECLARATION_COLUMNS}, p.merged_into AS person_merged_into
  FROM (SELECT $1::uuid AS client_id, $2::text AS code) k
  LEFT JOIN entries r ON r.client_id = k.client_id
  LEFT JOIN declarations d ON d.code = k.code
  LEFT JOIN persons p ON p.id = d.person_id`;
type LookupRow = { replay_id: string | null; person_merged_into: string | null } & (
  DeclarationRow | { [K in keyof DeclarationRow]: null }
);

/** A passage at this site, or a declaration taken here, naming the person (served by entries_person). */
export const SEEN_AT_SITE_SQL = `SELECT 1 FROM entries WHERE person_id = ANY($1::uuid[]) AND site_id = $2
  UNION ALL SELECT 1 FROM declarations WHERE person_id = ANY($1::uuid[]) AND taken_at_site_id = $2
  LIMIT 1`;

/**
 * A body's `personId` at a checkpoint (issue 10 item 7). A checkpoint records travellers
 * registered anywhere, but names one by id only where it obtained that id legitimately: a
 * passage it recorded or a declaration taken at it (its own scan), or a person in its
 * jurisdiction over people. Anyone else is reached by ID number, declaration code or QR. An id
 * outside that answers 404 + audit exactly like a missing one (`personInScope`).
 */
async function personKnownToSite(
  q: Queryable,
  req: FastifyRequest,
  id: string,
  siteId: string,
): Promise<string> {
  const canonical = await canonicalPersonId(q, id);
  if (canonical) {
    const seen = await q.query(SEEN_AT_SITE_SQL, [[...new Set([id, canonical])], siteId]);
    if (seen[0]) return canonical;
  }
  return (await personInScope(req, id, { action: 'entries.write', field: 'personId', q })).id;
}

async function resolveSubject(
  q: Queryable,
  req: FastifyRequest,
  b: EntryInput,
  ctx: {
    key: SigningKey;
    siteId: string;
    at: Date;
    looked: LookupRow;
    code: string | null;
    codeField: string | null;
  },
): Promise<Resolved> {
  const d = ctx.looked;
  if (ctx.codeField && ctx.code) {
    const code = ctx.code;
    if (!d.id) throw fieldError(ctx.codeField, `Không có tờ khai mã ${code}`);
    if (d.valid_until < vnDate(ctx.at))
      throw fieldError(
        ctx.codeField,
        `Tờ khai ${code} đã hết hạn ngày ${formatViDate(d.valid_until)}: khai báo lại`,
      );
    const personId = d.person_merged_into
      ? ((await canonicalPersonId(q, d.person_merged_into)) ?? d.person_id)
      : d.person_id;
    return { personId, declaration: d };
  }
  if (b.declaration) {
    const r = await createDeclaration(
      q,
      { ...b.declaration, clientId: b.clientId },
      {
        key: ctx.key,
        homeProvince: req.server.config.province,
        userId: req.actor?.id ?? null,
        siteId: ctx.siteId,
        asOf: vnDate(ctx.at),
      },
    ).catch((err: unknown) => {
      throw nestFields(err, 'declaration');
    });
    return { personId: r.row.person_id, declaration: r.row };
  }
  let personId: string | undefined;
  if (b.personId) {
    personId = await personKnownToSite(q, req, b.personId, ctx.siteId);
  } else {
    const idNumber = normaliseIdNumber(b.idNumber!);
    const p = await q.query<{ id: string }>(
      'SELECT id FROM persons WHERE id_number = $1 AND merged_into IS NULL LIMIT 1',
      [idNumber],
    );
    if (!p[0])
      throw fieldError(
        'idNumber',
        `Chưa có ai với số giấy tờ ${idNumber}: khai báo y tế cho người này`,
      );
    personId = p[0].id;
  }
  // The person's latest declaration still valid on the day, if any.
  const latest = await q.query<DeclarationRow>(
    `SELECT ${DECLARATION_COLUMNS} FROM declarations d WHERE d.person_id = $1 AND d.valid_until >= $2
      ORDER BY d.created_at DESC LIMIT 1`,
    [personId, vnDate(ctx.at)],
  );
  return { personId, declaration: latest[0] ?? null };
}

/** The types of the values `entryWriteValues` gives, in its order (the batch reads them by position). */
const ENTRY_VALUE_TYPES = [
  ...[
    'uuid',
    'uuid',
    'uuid',
    'text',
    'text',
    'text',
    'uuid',
    'uuid',
    'text',
    'timestamptz',
    'date',
  ],
  ...['text', 'text', 'int', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'boolean'],
  ...['smallint', 'text', 'text', 'text', 'text', 'jsonb', 'uuid'],
  // the follow-up: village, out of province, quarantine ends, monitoring ends, test dates, next due, wanted
  ...['uuid', 'boolean', 'date', 'date', 'date[]', 'date', 'boolean'],
  ...AUDIT_FIELDS.map(([, type]) => type),
];
/** Value `i` (1-based) of a batch row `x.v`, typed (arrays and jsonb come as JSON). */
const v = (i: number) => {
  const t = ENTRY_VALUE_TYPES[i - 1]!;
  if (t === 'date[]') return `ARRAY(SELECT jsonb_array_elements_text(x.v->${i - 1}))::date[]`;
  return `(x.v->>${i - 1})::${t}`;
};
const AUDIT_FIRST = 37;

/**
 * The whole record of a batch of passages in one statement (atomic without BEGIN/COMMIT, one
 * commit for all): the entries, the destination communes' follow-ups where there is one, the
 * sites' counts of the day and the audit events. `$1` is a JSON array of `entryWriteValues`
 * arrays (group commit: src/server/entry/entry-batch.ts). A client id already recorded — or
 * twice in one batch — inserts nothing and returns no row for it; each row returned carries `n`,
 * the 1-based position of its passage in the batch.
 */
export const ENTRY_WRITE_SQL = `WITH x AS (
  SELECT t.v, t.n, (t.v->>0)::uuid AS id FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(v, n)
), e AS (
  INSERT INTO entries (id, client_id, site_id, province_code, district_code, commune_code, person_id, declaration_id,
    direction, at, entry_date, vehicle_plate, vehicle_type, companions, from_province_code, from_district_code,
    from_commune_code, dest_province_code, dest_district_code, dest_commune_code, dest_address, from_epidemic_area,
    origin_level, rapid_test_result, action, ruleset_id, rule_id, decision, recorded_by)
  SELECT ${Array.from({ length: 29 }, (_, i) => v(i + 1)).join(', ')} FROM x ORDER BY x.n
  ON CONFLICT (client_id) DO NOTHING RETURNING *
), f AS (
  INSERT INTO follow_ups (entry_id, person_id, province_code, district_code, commune_code, village_id, out_of_province,
    action, start_date, quarantine_ends, monitoring_ends, test_dates, next_due)
  SELECT e.id, e.person_id, e.dest_province_code, e.dest_district_code, e.dest_commune_code,
         -- the village named at the checkpoint, else the person's own when they live in that commune
         coalesce(${v(30)}, (SELECT p.village_id FROM persons p
                               WHERE p.id = e.person_id AND p.commune_code = e.dest_commune_code)),
         ${v(31)}, e.action, e.entry_date, ${v(32)}, ${v(33)}, ${v(34)}, ${v(35)}
    FROM e JOIN x ON x.id = e.id WHERE ${v(36)}
  RETURNING id, entry_id
), m AS (
  -- where the person is now (issue 13): an arrival's destination commune in the province becomes
  -- the unit managing them (cleared when it is their home); written only when it changes
  UPDATE persons p
     SET current_province_code = CASE WHEN e.dest_commune_code = p.commune_code THEN NULL ELSE e.dest_province_code END,
         current_district_code = CASE WHEN e.dest_commune_code = p.commune_code THEN NULL ELSE e.dest_district_code END,
         current_commune_code = NULLIF(e.dest_commune_code, p.commune_code)
    FROM e JOIN x ON x.id = e.id
   WHERE p.id = e.person_id AND e.direction = 'in' AND e.dest_commune_code IS NOT NULL AND NOT ${v(31)}
     AND p.current_commune_code IS DISTINCT FROM NULLIF(e.dest_commune_code, p.commune_code)
), c AS (
  INSERT INTO entry_daily_counts AS c (site_id, day, province_code, district_code, commune_code, people_in, people_out,
    vehicles, from_epidemic_area, rapid_tests, rapid_positive, centralised, home_quarantine, self_monitoring)
  SELECT e.site_id, e.entry_date, min(e.province_code), min(e.district_code), min(e.commune_code),
         sum((e.direction = 'in')::int), sum((e.direction = 'out')::int), sum((e.vehicle_plate IS NOT NULL)::int),
         sum(e.from_epidemic_area::int), sum((e.rapid_test_result IS NOT NULL)::int),
         sum((e.rapid_test_result IS NOT DISTINCT FROM 'positive')::int),
         sum((e.action IS NOT DISTINCT FROM 'centralised_quarantine')::int),
         sum((e.action IS NOT DISTINCT FROM 'home_quarantine')::int),
         sum((e.action IS NOT DISTINCT FROM 'self_monitoring')::int)
    FROM e GROUP BY e.site_id, e.entry_date
  ON CONFLICT (site_id, day) DO UPDATE SET people_in = c.people_in + EXCLUDED.people_in,
    people_out = c.people_out + EXCLUDED.people_out, vehicles = c.vehicles + EXCLUDED.vehicles,
    from_epidemic_area = c.from_epidemic_area + EXCLUDED.from_epidemic_area,
    rapid_tests = c.rapid_tests + EXCLUDED.rapid_tests, rapid_positive = c.rapid_positive + EXCLUDED.rapid_positive,
    centralised = c.centralised + EXCLUDED.centralised, home_quarantine = c.home_quarantine + EXCLUDED.home_quarantine,
    self_monitoring = c.self_monitoring + EXCLUDED.self_monitoring
), a AS (
  INSERT INTO audit_events (${AUDIT_COLUMNS})
  SELECT ${AUDIT_FIELDS.map((_, i) => v(AUDIT_FIRST + i)).join(', ')} FROM e JOIN x ON x.id = e.id
)
SELECT ${ENTRY_COLUMNS}, x.n::int AS n, (SELECT f.id FROM f WHERE f.entry_id = e.id) AS follow_up_id
  FROM e JOIN x ON x.id = e.id`;

/** The parameters of `ENTRY_WRITE_SQL`. */
export function entryWriteValues(w: {
  id: string;
  clientId: string;
  site: Pick<Site, 'id' | 'province_code' | 'district_code' | 'commune_code'>;
  personId: string;
  declaration: DeclarationRow | null;
  direction: 'in' | 'out';
  at: Date;
  entryDate: string;
  vehicle?: { plate: string; type?: string } | undefined;
  companions: number;
  dest: UnitRef | undefined;
  destAddress: string | null;
  destVillageId: string | null;
  homeProvince: string;
  rapidTest?: { result: 'negative' | 'positive' } | undefined;
  decision: ArrivalDecision | null;
  recordedBy: string;
  audit: unknown[];
}): unknown[] {
  const { decision: dc, declaration: d, dest } = w;
  const followUp = !!(dc && dc.action !== 'none' && dest);
  const monitoringEnds = dc ? (dc.monitoringEnds ?? dc.quarantineEnds ?? w.entryDate) : null;
  return [
    w.id,
    w.clientId,
    w.site.id,
    w.site.province_code,
    w.site.district_code,
    w.site.commune_code,
    w.personId,
    d?.id ?? null,
    w.direction,
    w.at.toISOString(),
    w.entryDate,
    w.vehicle?.plate.toUpperCase().replace(/\s+/g, '') ?? null,
    w.vehicle?.type ?? null,
    w.companions,
    d?.from_province_code ?? null,
    d?.from_district_code ?? null,
    d?.from_commune_code ?? null,
    dest?.province_code ?? null,
    dest?.district_code ?? null,
    dest?.code ?? null,
    w.destAddress,
    dc?.facts.fromEpidemicArea ?? false,
    dc?.facts.originLevel ?? null,
    w.rapidTest?.result ?? null,
    dc?.action ?? null,
    dc?.rulesetId ?? null,
    dc?.ruleId ?? null,
    dc ? JSON.stringify(dc) : null,
    w.recordedBy,
    // the follow-up
    w.destVillageId,
    !!dest && dest.province_code !== w.homeProvince,
    dc?.quarantineEnds ?? null,
    monitoringEnds,
    dc?.testDates ?? [],
    dc && monitoringEnds
      ? followUpDue({
          action: dc.action,
          testDates: dc.testDates,
          testsDone: 0,
          monitoringEnds,
          quarantineEnds: dc.quarantineEnds ?? null,
          checksFrom: w.entryDate,
          lastCheckOn: null,
        })
      : null,
    followUp,
    ...w.audit,
  ];
}

export type WrittenEntry = EntryRow & { n: number; follow_up_id: string | null };

/**
 * Writes a batch of passages (`entryWriteValues` each) with `ENTRY_WRITE_SQL`; answers, per
 * passage in order, its row — or undefined when its client id was already recorded.
 */
export async function writeEntries(
  q: Queryable,
  items: unknown[][],
): Promise<(WrittenEntry | undefined)[]> {
  const rows = await q.query<WrittenEntry>(ENTRY_WRITE_SQL, [JSON.stringify(items)], {
    prepare: true,
  });
  const byN = new Map(rows.map((r) => [r.n, r]));
  return items.map((_, i) => byN.get(i + 1));
}

export async function entryRoutes(
  server: FastifyInstance,
  opts: { key: SigningKey; rulesets: ArrivalRuleSets },
) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  // Concurrent passages are written together: one statement, one commit (issue 15.3).
  const entryBatch = new GroupCommit({ write: (items: unknown[][]) => writeEntries(db, items) });

  app.post(
    '/api/v1/entries',
    {
      preHandler: requirePermission('entries.write'),
      schema: {
        tags: ['entry'],
        summary:
          'Record a passage at a checkpoint / airport / border post or a lodging check-in/out; classifies arrivals',
        body: entryBody,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const at = b.at ? new Date(b.at) : new Date();
      let code: string | null = null;
      let codeField: string | null = null;
      if (b.qr) {
        const check = checkQr(opts.key, b.qr);
        if (!check.ok) throw fieldError(check.field, check.message);
        code = check.code;
        codeField = 'qr';
      } else if (b.declarationCode) {
        code = b.declarationCode;
        codeField = 'declarationCode';
      }
      const looked = (
        await db.query<LookupRow>(ENTRY_LOOKUP_SQL, [b.clientId, code], { prepare: true })
      )[0]!;
      if (looked.replay_id) return replay(reply, b.clientId, actor);
      const when = checkRecordTime(at.getTime(), Date.now(), ENTRY_TIME_LIMITS, {
        mayBackdate: can(actor.role, 'records.backdate'),
        reason: b.backdateReason,
      });
      if (!when.ok) throw fieldError(when.field, when.message.vi);
      const entryDate = vnDate(at);
      const site = actorSite(actor);
      const rulesets = await opts.rulesets.get();
      const areas = await allAreasCached(db);
      const units = await allUnitRefs(db); // before db.tx below, not inside it

      const record = async (q: Queryable) => {
        const subject = await resolveSubject(q, req, b, {
          key: opts.key,
          siteId: site.id,
          at,
          looked,
          code,
          codeField,
        });
        const d = subject.declaration;
        const destCode =
          b.destination?.communeCode ??
          d?.commune_code ??
          (site.kind === 'lodging' ? site.commune_code : undefined);
        const dest = destCode ? units.get(destCode) : undefined;
        if (destCode && (!dest || dest.level !== 3))
          throw fieldError('destination.communeCode', `Không có xã mã ${destCode}`);
        const villageId = b.destination?.villageId;
        if (villageId) {
          const v = await q.query('SELECT 1 FROM villages WHERE id = $1 AND commune_code = $2', [
            villageId,
            destCode,
          ]);
          if (!v[0])
            throw fieldError('destination.villageId', `Không có thôn/tổ này ở xã ${dest!.name}`);
        }

        let decision: ArrivalDecision | null = null;
        if (b.direction === 'in') {
          if (!d)
            throw fieldError(
              'declarationCode',
              'Người này chưa có tờ khai y tế còn hạn: khai báo trước (hoặc khai hộ tại chốt)',
            );
          const classified = classifyArrival(
            arrivalInputOf(d, at, entryDate, b.rapidTest?.result ?? null, units, areas),
            rulesets,
          );
          if (!classified.ok) {
            const message =
              'message' in classified
                ? classified.message.vi
                : classified.issues.map((i) => i.message).join('; ');
            throw new AppError(422, 'unclassifiable', message);
          }
          decision = classified.decision;
        }
        const id = randomUUID();
        const values = entryWriteValues({
          id,
          clientId: b.clientId,
          site,
          personId: subject.personId,
          declaration: d,
          direction: b.direction,
          at,
          entryDate,
          vehicle: b.vehicle,
          companions: b.companions,
          dest,
          destAddress: b.destination?.address ?? d?.to_address ?? null,
          destVillageId: b.destination?.villageId ?? null,
          homeProvince: app.config.province,
          rapidTest: b.rapidTest,
          decision,
          recordedBy: actor.id,
          audit: auditValues(req, {
            action: 'entries.create',
            resourceType: 'entry',
            resourceId: id,
            outcome: 'allowed',
            detail: when.backdated
              ? { personId: subject.personId, backdated: true }
              : { personId: subject.personId },
            reason: when.backdated ? b.backdateReason : undefined,
          }),
        });
        // Alone, the passage joins the group commit; inside a transaction it is written there.
        const written =
          q === db ? await entryBatch.submit(values) : (await writeEntries(q, [values]))[0];
        // The officer checks the face and the ID against the name the declaration gives.
        const person = d
          ? { fullName: d.person_snapshot.fullName, birthYear: d.person_snapshot.birthYear }
          : null;
        return written && { row: written, person, declaration: d };
      };
      // A declaration filled in at the checkpoint is written with the entry, all or nothing.
      const entry = b.declaration ? await db.tx(record) : await record(db);
      // No row: two copies of one offline entry raced and the other one won.
      if (!entry) return replay(reply, b.clientId, actor);
      const { follow_up_id: followUpId, n: _n, ...row } = entry.row;
      return reply.status(201).send(
        presentEntry(row, {
          followUpId,
          person: entry.person,
          // Issue 10: 'pending' asks the officer to match the declaration to the registry.
          registryMatch: entry.declaration?.registry_match ?? null,
          declarationCode: entry.declaration?.code ?? null,
        }),
      );
    },
  );

  /** The answer to a copy of an entry already recorded: the entry as it is, status 200. */
  async function replay(reply: FastifyReply, clientId: string, actor: Actor) {
    const prior = (
      await db.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM entries e WHERE e.client_id = $1`, [
        clientId,
      ])
    )[0]!;
    if (prior.site_id !== actor.scope.siteId)
      throw fieldError('clientId', 'clientId đã dùng cho lượt khác');
    return reply.status(200).send(presentEntry(prior, { replay: true }));
  }

  const entryPlace = (e: EntryRow): Place & { row: EntryRow } => ({
    provinceCode: e.province_code,
    districtCode: e.district_code,
    communeCode: e.commune_code,
    siteId: e.site_id,
    row: e,
  });
  const loadEntry = (
    req: FastifyRequest,
    id: string,
    action: 'entries.read' | 'entries.override',
  ) =>
    loadScoped(req, {
      action,
      resourceType: 'entry',
      id,
      label: 'Lượt qua chốt',
      auditAllowed: action === 'entries.read',
      load: async () => {
        const r = (
          await db.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM entries e WHERE e.id = $1`, [id])
        )[0];
        return r && entryPlace(r);
      },
    });

  app.get(
    '/api/v1/entries/:id',
    {
      preHandler: requirePermission('entries.read'),
      schema: { tags: ['entry'], params: z.object({ id: z.uuid() }) },
    },
    async (req) => {
      const { row } = await loadEntry(req, req.params.id, 'entries.read');
      const person = await db.query<{ full_name: string; birth_year: number }>(
        'SELECT full_name, birth_year FROM persons WHERE id = $1',
        [row.person_id],
      );
      return presentEntry(row, {
        person: person[0]
          ? { fullName: person[0].full_name, birthYear: person[0].birth_year }
          : null,
      });
    },
  );

  app.get(
    '/api/v1/entries',
    {
      preHandler: requirePermission('entries.read'),
      schema: {
        tags: ['entry'],
        summary: 'Entries in your jurisdiction (a site: its own), newest first',
        querystring: z.object({
          date: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional(),
          ...pageQuery,
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const list = entryListSql(
        actor.scope,
        { date: req.query.date },
        decodeCursor(req.query.cursor, ['timestamp', 'uuid']),
        req.query.limit + 1,
      );
      const rows = await db.query<EntryRow & { full_name: string; birth_year: number }>(
        list.sql,
        list.params,
      );
      const pg = page(rows, req.query.limit, (r) => [new Date(r.at).toISOString(), r.id]);
      await audit(db, req, {
        action: 'entries.list',
        resourceType: 'entry',
        outcome: 'allowed',
        detail: { count: pg.items.length, subjects: subjectIds(pg.items) },
      });
      return {
        items: pg.items.map((r) =>
          presentEntry(r, { person: { fullName: r.full_name, birthYear: r.birth_year } }),
        ),
        nextCursor: pg.nextCursor,
      };
    },
  );

  app.post(
    '/api/v1/entries/:id/override',
    {
      preHandler: requirePermission('entries.override'),
      schema: {
        tags: ['entry'],
        summary: "An officer's decision replacing the automatic one, with the reason (audited)",
        params: z.object({ id: z.uuid() }),
        body: z.object({
          action: z.enum(ARRIVAL_ACTIONS),
          quarantineDays: z.number().int().min(0).max(28).default(0),
          monitoringDays: z.number().int().min(0).max(28).default(0),
          testDays: z.array(z.number().int().min(1).max(56)).max(10).default([]),
          reason: z.string().trim().min(5, 'Nêu lý do (ít nhất 5 ký tự)').max(500),
        }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { row } = await loadEntry(req, req.params.id, 'entries.override');
      if (!row.decision) throw badRequest('Lượt ra không có phân loại để điều chỉnh');
      const b = req.body;
      const override = { ...b, by: actor.username, at: new Date().toISOString() };
      const start = row.entry_date;
      const testDates = b.testDays.map((n) => addDays(start, n - 1));
      const quarantineEnds = b.quarantineDays ? addDays(start, b.quarantineDays - 1) : null;
      const monitoringEnds = addDays(start, b.quarantineDays + b.monitoringDays - 1);
      const updated = await db.tx(async (q) => {
        const r = await q.query<EntryRow>(
          `UPDATE entries e SET override = $2 WHERE e.id = $1 RETURNING ${ENTRY_COLUMNS}`,
          [row.id, JSON.stringify(override)],
        );
        if (b.action === 'none') {
          await q.query(
            `UPDATE follow_ups SET status = 'completed', next_due = NULL, updated_at = now() WHERE entry_id = $1`,
            [row.id],
          );
        } else if (row.dest_commune_code) {
          // The automatic decision may have been 'none', with no follow-up yet.
          await q.query(
            `INSERT INTO follow_ups AS f (entry_id, person_id, province_code, district_code, commune_code, out_of_province,
               action, start_date, quarantine_ends, monitoring_ends, test_dates, next_due)
             SELECT $1, $2, u.province_code, u.district_code, u.code, u.province_code <> $9, $3, $10, $4, $5, $6, $7
               FROM admin_units u WHERE u.code = $8
             ON CONFLICT (entry_id) DO UPDATE SET action = EXCLUDED.action, quarantine_ends = EXCLUDED.quarantine_ends,
               monitoring_ends = EXCLUDED.monitoring_ends, test_dates = EXCLUDED.test_dates,
               status = 'open', next_due = EXCLUDED.next_due, updated_at = now()`,
            [
              row.id,
              row.person_id,
              b.action,
              quarantineEnds,
              monitoringEnds,
              testDates,
              followUpDue({
                action: b.action,
                testDates,
                testsDone: 0,
                monitoringEnds,
                quarantineEnds,
                checksFrom: start,
                lastCheckOn: null,
              }),
              row.dest_commune_code,
              app.config.province,
              start,
            ],
          );
        }
        await audit(q, req, {
          action: 'entries.override',
          resourceType: 'entry',
          resourceId: row.id,
          outcome: 'allowed',
          reason: b.reason,
          detail: { from: row.decision!.action, to: b.action },
        });
        return r[0]!;
      });
      return presentEntry(updated);
    },
  );
}
