import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  allowed,
  contains,
  readsAreaPeople,
  type Action,
  type Place,
} from '../../domain/access.ts';
import {
  classifyQuery,
  DEFAULT_NATIONALITY,
  DUPLICATE_REASON_LABELS,
  duplicateReasons,
  ID_TYPES,
  idNumberProblem,
  isRealDate,
  MERGE_FIELDS,
  mergeChoice,
  MIN_BIRTH_YEAR,
  normaliseIdNumber,
  normalisePhone,
  SEXES,
  yearOf,
  type MergeEmptiness,
  type MergeField,
  type PersonQuery,
} from '../../domain/people.ts';
import {
  areaScope,
  audit,
  requireActor,
  requirePermission,
  UUID_RE,
  type Actor,
} from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { badRequest, conflict, notFound, type FieldError } from '../errors.ts';
import { maskIdentifier } from '../../domain/masking.ts';
import { nfc } from '../../domain/text.ts';
import { getUnit } from '../geo/units.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { householdRoutes } from './households.ts';
import {
  duplicateKey,
  findDuplicates,
  householdsOf,
  insertPerson,
  mergedInto,
  personColumns,
  personPlaces,
  presentPerson,
  resolvePerson,
  searchPersons,
  syncNameKeys,
  updatePerson,
  valuesOf,
  type PersonRow,
  type PersonValues,
} from './store.ts';

const communeCode = z.string().regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số');
const uuid = z.uuid('Mã không hợp lệ');
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const isoDate = z
  .string()
  .refine(isRealDate, 'Ngày không hợp lệ (YYYY-MM-DD)')
  .refine((d) => yearOf(d) >= MIN_BIRTH_YEAR, `Ngày sinh từ năm ${MIN_BIRTH_YEAR}`)
  .refine((d) => d <= new Date().toISOString().slice(0, 10), 'Ngày sinh ở tương lai');
const phone = z
  .string()
  .trim()
  .max(30)
  .refine((v) => v === '' || normalisePhone(v) !== null, 'Số điện thoại không hợp lệ');

const personFields = {
  fullName: z.string().trim().min(1, 'Bắt buộc').max(120).transform(nfc),
  birthDate: isoDate.nullable().optional(),
  birthYear: z.number().int().min(MIN_BIRTH_YEAR).max(2100).optional(),
  sex: z.enum(SEXES),
  idType: z.enum(ID_TYPES).nullable().optional(),
  idNumber: z.string().trim().max(40).nullable().optional(),
  phone: phone.nullable().optional(),
  nationality: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'Mã quốc gia ISO 3166-1 gồm 2 chữ cái (VN, LA, CN…)')
    .optional(),
  workplace: optionalText(200),
};
const personBody = z.object({
  ...personFields,
  address: z.object({
    communeCode,
    villageId: uuid.nullable().optional(),
    street: optionalText(200),
  }),
  clientId: z.uuid().optional(),
});
const personPatch = z.object({
  ...personFields,
  fullName: personFields.fullName.optional(),
  sex: personFields.sex.optional(),
  address: z
    .object({
      communeCode: communeCode.optional(),
      villageId: uuid.nullable().optional(),
      street: optionalText(200),
    })
    .optional(),
});
const mergeBody = z.object({
  otherId: uuid,
  keep: z
    .object(
      Object.fromEntries(
        MERGE_FIELDS.map((f) => [f, z.enum(['survivor', 'other']).optional()]),
      ) as Record<MergeField, z.ZodOptional<z.ZodEnum<{ survivor: 'survivor'; other: 'other' }>>>,
    )
    .strict()
    .optional(),
});

const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v || null);

/**
 * The cross-field rules of a person record, checked on the whole record after a create or a
 * patch is applied: a birth date or year, the year agreeing with the date, a document type
 * with its number and the number fitting the type.
 */
// exported for the border posts (issue 17 item 5), which register the people they catch
export function personProblems(v: PersonValues, thisYear = new Date().getFullYear()): FieldError[] {
  const out: FieldError[] = [];
  if (v.birthDate && v.birthYear !== yearOf(v.birthDate))
    out.push({ path: 'birthYear', message: 'Năm sinh không khớp ngày sinh' });
  if (!Number.isInteger(v.birthYear))
    out.push({ path: 'birthYear', message: 'Cần ngày sinh hoặc năm sinh' });
  else if (v.birthYear > thisYear) out.push({ path: 'birthYear', message: 'Năm sinh ở tương lai' });
  if (v.idType && !v.idNumber) out.push({ path: 'idNumber', message: 'Nhập số giấy tờ' });
  if (v.idNumber && !v.idType) out.push({ path: 'idType', message: 'Chọn loại giấy tờ' });
  if (v.idType && v.idNumber) {
    const problem = idNumberProblem(v.idType, v.idNumber);
    if (problem) out.push({ path: 'idNumber', message: problem });
  }
  return out;
}

function assertValid(v: PersonValues) {
  const problems = personProblems(v);
  if (problems.length)
    throw badRequest(`Dữ liệu không hợp lệ: ${problems.map((p) => p.path).join(', ')}`, problems);
}

/** The codes of an address: the commune must exist, the village (if any) must be in it. */
async function resolveAddress(q: Queryable, commune: string, villageId: string | null) {
  const unit = await getUnit(q, commune);
  if (!unit || unit.level !== 3)
    throw badRequest(`address.communeCode: không có xã mã ${commune}`, [
      { path: 'address.communeCode', message: `Không có xã mã ${commune}` },
    ]);
  if (villageId) {
    const v = await q.query('SELECT 1 FROM villages WHERE id = $1 AND commune_code = $2', [
      villageId,
      commune,
    ]);
    if (!v[0])
      throw badRequest('address.villageId: thôn/bản không thuộc xã này', [
        { path: 'address.villageId', message: 'Thôn/bản không thuộc xã đã chọn' },
      ]);
  }
  return {
    provinceCode: unit.province_code,
    districtCode: unit.district_code!,
    communeCode: unit.code,
    villageId,
  };
}

/**
 * May the actor place a person at this address? A site's staff register people from anywhere
 * (the record is stamped with their site and stays theirs); everyone else only within their
 * own area. Denied → 404, audited, as for a record outside the scope.
 */
async function addressInScope(
  req: FastifyRequest,
  actor: Actor,
  place: { districtCode: string; communeCode: string; villageId: string | null },
  action: Action,
) {
  if (actor.scope.level === 'site') return;
  const target: Place = { provinceCode: actor.scope.provinceCode, ...place };
  if (contains(actor.scope, target)) return;
  await audit(req.server.db, req, {
    action,
    resourceType: place.villageId && actor.scope.level === 'village' ? 'village' : 'commune',
    resourceId:
      place.villageId && actor.scope.level === 'village' ? place.villageId : place.communeCode,
    outcome: 'denied',
    reason: 'outside_scope',
  });
  throw notFound('Xã');
}

/**
 * The actor as the people registry sees them: a site account whose role works with its
 * commune's residents (`readsAreaPeople`) reads people as that commune does.
 */
async function peopleActor(req: FastifyRequest): Promise<Actor> {
  const actor = requireActor(req);
  if (actor.scope.level !== 'site' || !readsAreaPeople(actor.role)) return actor;
  return { ...actor, scope: await areaScope(req.server.db, actor.scope) };
}

/**
 * Loads the person that stands for `id` (following a merge) and holds it to the actor's scope.
 * Missing and out-of-scope answer the same 404; both are audited.
 */
async function loadPersonScoped(
  req: FastifyRequest,
  id: string,
  action: Action,
  opts: { auditAllowed?: string | false; q?: Queryable } = {},
) {
  const actor = await peopleActor(req);
  const q = opts.q ?? req.server.db;
  const found = await resolvePerson(q, id);
  if (!found || !personPlaces(found.row).some((pl) => allowed(actor, action, pl))) {
    await audit(req.server.db, req, {
      action,
      resourceType: 'person',
      resourceId: id,
      outcome: 'denied',
      reason: found ? 'outside_scope' : 'not_found',
      ...(found?.mergedFrom ? { detail: { survivorId: found.row.id } } : {}),
    });
    throw notFound('Người');
  }
  if (opts.auditAllowed !== false) {
    await audit(q, req, {
      action: opts.auditAllowed ?? action,
      resourceType: 'person',
      resourceId: found.row.id,
      outcome: 'allowed',
      ...(found.mergedFrom ? { detail: { requestedId: id } } : {}),
    });
  }
  return found;
}

/** Where a list filter points must be the actor's to look at (a site's staff may filter freely). */
async function filterInScope(
  req: FastifyRequest,
  actor: Actor,
  kind: 'commune' | 'village',
  id: string,
): Promise<void> {
  const db = req.server.db;
  let place: Place | null = null;
  if (kind === 'commune') {
    const unit = await getUnit(db, id);
    if (unit && unit.level === 3)
      place = {
        provinceCode: unit.province_code,
        districtCode: unit.district_code,
        communeCode: unit.code,
      };
  } else {
    const v = await db.query<{
      province_code: string;
      district_code: string;
      commune_code: string;
    }>('SELECT province_code, district_code, commune_code FROM villages WHERE id = $1', [id]);
    if (v[0])
      place = {
        provinceCode: v[0].province_code,
        districtCode: v[0].district_code,
        communeCode: v[0].commune_code,
        villageId: id,
      };
  }
  // A province or a site sees people from anywhere that it registered: any real place is a
  // fair filter. Below that, the place must be inside the actor's area.
  const broad = actor.scope.level === 'province' || actor.scope.level === 'site';
  if (place && (broad || contains(actor.scope, place))) return;
  await audit(db, req, {
    action: 'persons.read',
    resourceType: kind,
    resourceId: id,
    outcome: 'denied',
    reason: place ? 'outside_scope' : 'not_found',
  });
  throw notFound(kind === 'commune' ? 'Xã' : 'Thôn/bản');
}

const presentDuplicate = (d: { row: PersonRow; reasons: string[] }) => ({
  person: presentPerson(d.row),
  reasons: d.reasons,
  reasonLabels: d.reasons.map(
    (r) => DUPLICATE_REASON_LABELS[r as keyof typeof DUPLICATE_REASON_LABELS],
  ),
});

/** What a merge puts in each part of the surviving record. */
function mergedValues(
  s: PersonRow,
  o: PersonRow,
  keep: Partial<Record<MergeField, 'survivor' | 'other'>>,
) {
  const empty = (p: PersonRow): MergeEmptiness => ({
    birth: !p.birth_date,
    idDocument: !p.id_number,
    phone: !p.phone,
    address: !p.village_id && !p.street,
    workplace: !p.workplace,
  });
  const choice = mergeChoice(empty(s), empty(o), keep);
  const sv = valuesOf(s);
  const ov = valuesOf(o);
  const from = (f: MergeField) => (choice[f] === 'other' ? ov : sv);
  const v: PersonValues = {
    fullName: from('fullName').fullName,
    birthDate: from('birth').birthDate,
    birthYear: from('birth').birthYear,
    sex: from('sex').sex,
    idType: from('idDocument').idType,
    idNumber: from('idDocument').idNumber,
    phone: from('phone').phone,
    nationality: from('nationality').nationality,
    provinceCode: from('address').provinceCode,
    districtCode: from('address').districtCode,
    communeCode: from('address').communeCode,
    villageId: from('address').villageId,
    street: from('address').street,
    workplace: from('workplace').workplace,
  };
  return { choice, values: v };
}

export async function peopleRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  // Issue 10 item 10: the search words (a name, an ID number, a phone) travel in a request body,
  // never in the URL, which proxies, browser history and request logs keep. The GET lists people
  // by area only and refuses a `q`.
  const searchFilter = {
    q: z.string().max(120).optional(),
    commune: communeCode.optional(),
    village: uuid.optional(),
    ...pageQuery,
  };
  app.get(
    '/api/v1/persons',
    {
      preHandler: requirePermission('persons.read'),
      schema: {
        tags: ['people'],
        summary:
          'People in scope by area, keyset-paginated; a search by document, phone or name is POST /api/v1/persons/search',
        querystring: z.object({
          ...searchFilter,
          birthYear: z.coerce.number().int().min(MIN_BIRTH_YEAR).max(2100).optional(),
        }),
      },
    },
    async (req) => {
      if (req.query.q !== undefined)
        throw badRequest('q: tìm kiếm gửi trong thân yêu cầu (POST /api/v1/persons/search)', [
          {
            path: 'q',
            message:
              'Không gửi CCCD, số điện thoại hay họ tên trên địa chỉ URL; dùng POST /api/v1/persons/search',
          },
        ]);
      return searchPeople(req, req.query);
    },
  );

  app.post(
    '/api/v1/persons/search',
    {
      preHandler: requirePermission('persons.read'),
      schema: {
        tags: ['people'],
        summary:
          'Search people in scope by document number, phone, or name (accent-insensitive, optional birth year: "nguyen van an 1985"); keyset-paginated',
        body: z.object({
          ...searchFilter,
          birthYear: z.number().int().min(MIN_BIRTH_YEAR).max(2100).optional(),
        }),
      },
    },
    async (req) => searchPeople(req, req.body),
  );

  interface SearchParams {
    q?: string;
    commune?: string;
    village?: string;
    birthYear?: number;
    limit: number;
    cursor?: string;
  }

  /** One search for both routes: same matching, paging, audit and response. */
  async function searchPeople(req: FastifyRequest, params: SearchParams) {
    const actor = await peopleActor(req);
    const { q, commune, village, birthYear, limit, cursor } = params;
    // Issue 10, item 10: a site that reads its commune's residents (a vaccination site) finds the
    // person in front of it; it does not page through the whole commune.
    if (
      req.actor!.scope.level === 'site' &&
      readsAreaPeople(actor.role) &&
      (q ?? '').trim().length < 2
    )
      throw badRequest('q: cần từ khóa tìm kiếm', [
        {
          path: 'q',
          message: 'Tìm theo họ tên, số giấy tờ hoặc số điện thoại (ít nhất 2 ký tự)',
        },
      ]);
    if (commune) await filterInScope(req, actor, 'commune', commune);
    if (village) await filterInScope(req, actor, 'village', village);
    const query: PersonQuery | null = q?.trim() ? classifyQuery(q) : null;
    const byName = query?.kind === 'name' && !!query.text;
    const after = decodeCursor(cursor, byName ? 3 : 2);
    if (
      after &&
      !(
        after.slice(0, -1).every((k) => typeof k === 'string') && UUID_RE.test(String(after.at(-1)))
      )
    )
      throw badRequest('cursor: không hợp lệ', [
        { path: 'cursor', message: 'Con trỏ phân trang không hợp lệ' },
      ]);
    const rows = await searchPersons(
      db,
      actor.scope,
      query,
      { communeCode: commune, villageId: village, birthYear },
      after,
      limit + 1,
    );
    const p = page(rows, limit, (r) =>
      byName ? [r.match_key, r.search_name, r.id] : [r.search_name, r.id],
    );
    // A name with a repeated word ("an van an") can be found twice by one query.
    const seen = new Set<string>();
    p.items = p.items.filter((r) => !seen.has(r.id) && !!seen.add(r.id));
    await audit(db, req, {
      action: 'persons.search',
      resourceType: 'person',
      outcome: 'allowed',
      detail: {
        // The search words (a name, an ID number) stay out of the trail; whom it returned is in.
        kind: query?.kind ?? 'all',
        commune: commune ?? null,
        village: village ?? null,
        subjects: p.items.map((r) => r.id),
      },
    });
    return {
      // A list shows ID numbers and phones masked; the person page shows them whole (audited).
      items: p.items.map((r) => {
        const shown = presentPerson(r);
        return {
          ...shown,
          idNumber: maskIdentifier(shown.idNumber),
          phone: maskIdentifier(shown.phone),
        };
      }),
      nextCursor: p.nextCursor,
      query: query ?? { kind: 'all' },
    };
  }

  app.post(
    '/api/v1/persons',
    {
      preHandler: requirePermission('persons.write'),
      schema: {
        tags: ['people'],
        summary:
          'Register a person; codes are stamped from the address commune. Replays with the same clientId return the first record.',
        body: personBody,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const villageId = b.address.villageId ?? null;
      const place = await resolveAddress(db, b.address.communeCode, villageId);
      const values: PersonValues = {
        fullName: b.fullName,
        birthDate: b.birthDate ?? null,
        birthYear: b.birthYear ?? (b.birthDate ? yearOf(b.birthDate) : NaN),
        sex: b.sex,
        idType: b.idType ?? null,
        idNumber: b.idNumber ? normaliseIdNumber(b.idNumber) : null,
        phone: b.phone ? normalisePhone(b.phone) : null,
        nationality: (b.nationality ?? DEFAULT_NATIONALITY).toUpperCase(),
        ...place,
        street: blankToNull(b.address.street) ?? null,
        workplace: blankToNull(b.workplace) ?? null,
      };
      assertValid(values);
      await addressInScope(req, actor, place, 'persons.write');
      const result = await db.tx(async (q) => {
        const r = await insertPerson(q, values, {
          userId: actor.id,
          registeredProvinceCode: actor.scope.provinceCode,
          registeredSiteId: actor.scope.level === 'site' ? (actor.scope.siteId ?? null) : null,
          clientId: b.clientId ?? null,
        });
        if (r.created)
          await audit(q, req, {
            action: 'persons.create',
            resourceType: 'person',
            resourceId: r.row.id,
            outcome: 'allowed',
          });
        return r;
      });
      if (!result.created) {
        // A replay: the first record, if it is the actor's to see; a client id that someone
        // else used is a conflict that says nothing about their record.
        if (!personPlaces(result.row).some((pl) => allowed(actor, 'persons.read', pl))) {
          await audit(db, req, {
            action: 'persons.write',
            resourceType: 'person',
            resourceId: b.clientId,
            outcome: 'denied',
            reason: 'client_id_taken',
          });
          throw conflict('clientId đã được dùng cho một bản ghi khác', [
            { path: 'clientId', message: 'Mã đã dùng' },
          ]);
        }
        await audit(db, req, {
          action: 'persons.create',
          resourceType: 'person',
          resourceId: result.row.id,
          outcome: 'allowed',
          reason: 'replay',
        });
      }
      const duplicates = await findDuplicates(db, actor.scope, result.row);
      return reply
        .status(result.created ? 201 : 200)
        .send({ ...presentPerson(result.row), duplicates: duplicates.map(presentDuplicate) });
    },
  );

  app.get(
    '/api/v1/persons/:id',
    {
      preHandler: requirePermission('persons.read'),
      schema: {
        tags: ['people'],
        summary:
          'One person, with the records merged into it and their households. A merged-away id answers with the surviving record and a mergedFrom note.',
        params: z.object({ id: uuid }),
      },
    },
    async (req) => {
      const found = await loadPersonScoped(req, req.params.id, 'persons.read');
      return {
        ...presentPerson(found.row),
        mergedFrom: found.mergedFrom,
        merged: await mergedInto(db, found.row.id),
        households: await householdsOf(db, found.row.id),
      };
    },
  );

  app.patch(
    '/api/v1/persons/:id',
    {
      preHandler: requirePermission('persons.write'),
      schema: {
        tags: ['people'],
        summary: 'Correct a person record (a merged-away id changes the surviving record)',
        params: z.object({ id: uuid }),
        body: personPatch,
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const found = await loadPersonScoped(req, req.params.id, 'persons.write', {
        auditAllowed: false,
      });
      const b = req.body;
      const cur = valuesOf(found.row);
      const next: PersonValues = { ...cur };
      if (b.fullName !== undefined) next.fullName = b.fullName;
      if (b.sex !== undefined) next.sex = b.sex;
      if (b.birthDate !== undefined) {
        next.birthDate = b.birthDate;
        if (b.birthDate) next.birthYear = yearOf(b.birthDate);
      }
      if (b.birthYear !== undefined) {
        next.birthYear = b.birthYear;
        // a new year without a date drops a date that no longer agrees
        if (b.birthDate === undefined && next.birthDate && yearOf(next.birthDate) !== b.birthYear)
          next.birthDate = null;
      }
      if (b.idType !== undefined) next.idType = b.idType;
      if (b.idNumber !== undefined)
        next.idNumber = b.idNumber ? normaliseIdNumber(b.idNumber) : null;
      if (b.phone !== undefined) next.phone = b.phone ? normalisePhone(b.phone) : null;
      if (b.nationality !== undefined) next.nationality = b.nationality.toUpperCase();
      if (b.workplace !== undefined) next.workplace = blankToNull(b.workplace) ?? null;
      if (b.address) {
        const commune = b.address.communeCode ?? cur.communeCode;
        const villageId =
          b.address.villageId !== undefined
            ? b.address.villageId
            : commune === cur.communeCode
              ? cur.villageId
              : null;
        if (commune !== cur.communeCode || villageId !== cur.villageId) {
          const place = await resolveAddress(db, commune, villageId);
          Object.assign(next, place);
        }
        if (b.address.street !== undefined) next.street = blankToNull(b.address.street) ?? null;
      }
      assertValid(next);
      if (next.communeCode !== cur.communeCode || next.villageId !== cur.villageId)
        await addressInScope(req, actor, next, 'persons.write');
      const updated = await db.tx(async (q) => {
        const row = await updatePerson(q, found.row.id, next);
        await audit(q, req, {
          action: 'persons.update',
          resourceType: 'person',
          resourceId: found.row.id,
          outcome: 'allowed',
          detail: {
            changed: Object.keys(b),
            ...(found.mergedFrom ? { requestedId: req.params.id } : {}),
          },
        });
        return row;
      });
      return { ...presentPerson(updated), mergedFrom: found.mergedFrom };
    },
  );

  app.get(
    '/api/v1/persons/:id/duplicates',
    {
      preHandler: requirePermission('persons.read'),
      schema: {
        tags: ['people'],
        summary:
          'Likely duplicates in scope: same document number; same phone and name; same name, birth year and commune',
        params: z.object({ id: uuid }),
      },
    },
    async (req) => {
      const actor = await peopleActor(req);
      const found = await loadPersonScoped(req, req.params.id, 'persons.read', {
        auditAllowed: false,
      });
      const dups = await findDuplicates(db, actor.scope, found.row);
      await audit(db, req, {
        action: 'persons.duplicates',
        resourceType: 'person',
        resourceId: found.row.id,
        outcome: 'allowed',
        detail: { ids: dups.map((d) => d.row.id) },
      });
      return { person: presentPerson(found.row), items: dups.map(presentDuplicate) };
    },
  );

  app.post(
    '/api/v1/persons/:id/merge',
    {
      preHandler: requirePermission('persons.merge'),
      schema: {
        tags: ['people'],
        summary:
          'Merge another record into this one: this record survives with the chosen fields; the other points to it and leaves every list. Audited.',
        params: z.object({ id: uuid }),
        body: mergeBody,
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { otherId, keep = {} } = req.body;
      const survivor = await loadPersonScoped(req, req.params.id, 'persons.merge', {
        auditAllowed: false,
      });
      const other = await loadPersonScoped(req, otherId, 'persons.merge', { auditAllowed: false });
      if (survivor.row.id === other.row.id)
        throw conflict('Hai bản ghi đã là một người', [
          { path: 'otherId', message: 'Đã gộp vào bản ghi này' },
        ]);
      const merged = await db.tx(async (q) => {
        // Lock both, in id order, and check neither was merged meanwhile.
        const locked = await q.query<PersonRow>(
          `SELECT ${personColumns()} FROM persons p WHERE p.id = ANY($1::uuid[]) ORDER BY p.id FOR UPDATE`,
          [[survivor.row.id, other.row.id]],
        );
        const s = locked.find((r) => r.id === survivor.row.id);
        const o = locked.find((r) => r.id === other.row.id);
        if (!s || !o || s.merged_into || o.merged_into)
          throw conflict('Bản ghi vừa được gộp bởi người khác; tải lại và thử lại', [
            { path: 'otherId', message: 'Đã gộp' },
          ]);
        const { choice, values } = mergedValues(s, o, keep);
        // A site that registered either record keeps seeing the person.
        if (!s.registered_site_id && o.registered_site_id)
          await q.query('UPDATE persons SET registered_site_id = $2 WHERE id = $1', [
            s.id,
            o.registered_site_id,
          ]);
        const row = await updatePerson(q, s.id, values);
        await q.query(
          'UPDATE persons SET merged_into = $2, merged_at = now(), updated_at = now() WHERE id = $1',
          [o.id, s.id],
        );
        // Records merged into the other earlier now point straight at the survivor.
        await q.query('UPDATE persons SET merged_into = $2 WHERE merged_into = $1', [o.id, s.id]);
        await syncNameKeys(q, o.id);
        // Households: the survivor takes the other's places; where both were members, one row.
        const gone = await q.query<{ household_id: string; relation: string }>(
          `DELETE FROM household_members m WHERE m.person_id = $1 AND EXISTS (
             SELECT 1 FROM household_members x WHERE x.household_id = m.household_id AND x.person_id = $2)
           RETURNING household_id, relation`,
          [o.id, s.id],
        );
        const headOf = gone.filter((g) => g.relation === 'head').map((g) => g.household_id);
        if (headOf.length)
          await q.query(
            `UPDATE household_members SET relation = 'head' WHERE person_id = $1 AND household_id = ANY($2::uuid[])`,
            [s.id, headOf],
          );
        await q.query('UPDATE household_members SET person_id = $2 WHERE person_id = $1', [
          o.id,
          s.id,
        ]);
        await q.query(
          'UPDATE households SET head_person_id = $2, updated_at = now() WHERE head_person_id = $1',
          [o.id, s.id],
        );
        await q.query(
          `INSERT INTO person_merges (survivor_id, merged_id, province_code, district_code, commune_code,
             reasons, kept, survivor_before, merged_snapshot, merged_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
          [
            s.id,
            o.id,
            row.province_code,
            row.district_code,
            row.commune_code,
            duplicateReasons(duplicateKey(s), duplicateKey(o)),
            JSON.stringify(choice),
            JSON.stringify(presentPerson(s)),
            JSON.stringify(presentPerson(o)),
            actor.id,
          ],
        );
        await audit(q, req, {
          action: 'persons.merge',
          resourceType: 'person',
          resourceId: s.id,
          outcome: 'allowed',
          detail: { mergedId: o.id, kept: choice },
        });
        return row;
      });
      return {
        ...presentPerson(merged),
        merged: await mergedInto(db, merged.id),
        households: await householdsOf(db, merged.id),
      };
    },
  );

  await app.register(householdRoutes);
}
