import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDays, dateOfInstant, isValidIsoDate } from '../../domain/dates.ts';
import {
  decodeDeclarationQr,
  encodeDeclarationQr,
  parseNationalQr,
  qrName,
  SYMPTOMS,
  TRAVEL_MODES,
  type DeclarationQrPayload,
} from '../../domain/declaration.ts';
import {
  DEFAULT_NATIONALITY,
  ID_TYPES,
  idNumberProblem,
  normaliseIdNumber,
  normalisePhone,
  SEXES,
} from '../../domain/people.ts';
import { audit } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, badRequest, type FieldError } from '../errors.ts';
import { allUnitRefs, getUnit, type UnitRef, type UnitRow } from '../geo/units.ts';
import { toQrFacts } from '../../domain/arrival-facts.ts';
import { declaredFactsOf } from './arrival-input.ts';
import { canonicalPersonId, insertPerson, type PersonValues } from '../people/store.ts';
import { signMessage, verifyMessage, type SigningKey } from './keys.ts';

/** A declaration is valid for the trip: this many days from the travel date. */
export const DECLARATION_VALID_DAYS = 14;

const today = () => dateOfInstant(Date.now());
const isoDate = z.string().refine(isValidIsoDate, 'Ngày không hợp lệ (YYYY-MM-DD)');
const pastDate = isoDate.refine((d) => d <= today(), 'Ngày ở tương lai');
const communeCode = z.string().regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số');
const provinceCode = z.string().regex(/^\d{2}$/, 'Mã tỉnh gồm 2 chữ số');
const text = (max: number) => z.string().trim().max(max).optional();

export const personBlock = z.object({
  fullName: z.string().trim().min(2, 'Bắt buộc').max(120),
  birthDate: pastDate.optional(),
  birthYear: z.number().int().min(1900).max(2100),
  sex: z.enum(SEXES),
  idType: z.enum(ID_TYPES).optional(),
  idNumber: z.string().trim().max(30).optional(),
  phone: z
    .string()
    .trim()
    .max(30)
    .refine((v) => v === '' || normalisePhone(v) !== null, 'Số điện thoại không hợp lệ')
    .optional(),
  nationality: z
    .string()
    .regex(/^[A-Z]{2}$/, 'Mã quốc gia 2 chữ cái, ví dụ VN')
    .optional(),
  communeCode,
  street: text(300),
  workplace: text(200),
});

export const declarationBody = z.object({
  clientId: z.uuid().optional(),
  person: personBlock,
  onBehalf: z.boolean().default(false),
  declarant: z
    .object({
      fullName: z.string().trim().min(2).max(120),
      phone: z.string().trim().max(30),
      relation: text(60),
    })
    .optional(),
  travel: z.object({
    mode: z.enum(TRAVEL_MODES),
    vehicleNumber: text(40),
    seat: text(20),
    fromProvinceCode: provinceCode,
    fromDistrictCode: z
      .string()
      .regex(/^\d{3}$/)
      .optional(),
    fromCommuneCode: communeCode.optional(),
    fromPlace: text(300),
    toCommuneCode: communeCode,
    toAddress: text(300),
    date: isoDate,
  }),
  visitedProvinces: z.array(provinceCode).max(63).default([]),
  symptoms: z.array(z.enum(SYMPTOMS)).max(SYMPTOMS.length).default([]),
  exposure: z.object({
    /** Trong 14 ngày qua có tiếp xúc với người bệnh hoặc nghi ngờ mắc COVID-19? */
    caseContact: z.boolean(),
    /** … với người từ nơi có dịch COVID-19? */
    fromOutbreakArea: z.boolean(),
    /** … với người có biểu hiện sốt, ho, khó thở, viêm phổi? */
    symptomaticContact: z.boolean(),
  }),
  vaccination: z
    .object({
      doses: z.number().int().min(0).max(5),
      vaccine: text(60),
      lastDoseDate: pastDate.optional(),
    })
    .optional(),
  lastTest: z
    .object({
      type: z.enum(['pcr', 'rapid']),
      date: pastDate,
      result: z.enum(['negative', 'positive']),
    })
    .optional(),
  consent: z.literal(true, 'Cần đồng ý cam kết khai báo trung thực'),
});
export type DeclarationInput = z.infer<typeof declarationBody>;

export interface DeclarationRow {
  id: string;
  code: string;
  person_id: string;
  person_snapshot: DeclarationInput['person'];
  travel_mode: string;
  vehicle_number: string | null;
  from_province_code: string;
  from_district_code: string | null;
  from_commune_code: string | null;
  from_place: string | null;
  province_code: string;
  district_code: string;
  commune_code: string;
  to_address: string | null;
  travel_date: string;
  symptoms: string[];
  vaccination: DeclarationInput['vaccination'] | null;
  last_test: DeclarationInput['lastTest'] | null;
  valid_until: string;
  created_at: string | Date;
  registry_match: 'linked' | 'pending' | 'confirmed' | 'new';
}
export const DECLARATION_COLUMNS = `d.id, d.code, d.person_id, d.person_snapshot, d.travel_mode, d.vehicle_number,
  d.from_province_code, d.from_district_code, d.from_commune_code, d.from_place, d.province_code, d.district_code,
  d.commune_code, d.to_address, d.travel_date::text AS travel_date, d.symptoms, d.vaccination, d.last_test,
  d.valid_until::text AS valid_until, d.created_at, d.registry_match`;

// Crockford's base32 without look-alikes: a code can be read out over the phone.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const newDeclarationCode = () =>
  Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
export const DECLARATION_CODE_RE = /^[0-9A-HJKMNP-TV-Z]{8}$/;

/**
 * Checks what zod cannot: codes that exist, consistent dates, a valid ID number. Travel dates are
 * judged against `asOf`: today, or the day of a past passage entered from paper (issue 13.7).
 */
async function checkDeclaration(q: Queryable, b: DeclarationInput, asOf: string = today()) {
  const fields: FieldError[] = [];
  const units = new Map<string, UnitRow>();
  const need = async (path: string, code: string | undefined, level: number) => {
    if (!code) return;
    const u = await getUnit(q, code);
    if (!u || u.level !== level)
      fields.push({ path, message: `Không có đơn vị hành chính mã ${code}` });
    else units.set(path, u);
  };
  await need('person.communeCode', b.person.communeCode, 3);
  await need('travel.fromProvinceCode', b.travel.fromProvinceCode, 1);
  await need('travel.fromDistrictCode', b.travel.fromDistrictCode, 2);
  await need('travel.fromCommuneCode', b.travel.fromCommuneCode, 3);
  await need('travel.toCommuneCode', b.travel.toCommuneCode, 3);
  for (const [i, p] of b.visitedProvinces.entries()) await need(`visitedProvinces.${i}`, p, 1);
  const fromDistrict = units.get('travel.fromDistrictCode');
  if (fromDistrict && fromDistrict.province_code !== b.travel.fromProvinceCode) {
    fields.push({ path: 'travel.fromDistrictCode', message: 'Huyện không thuộc tỉnh đã chọn' });
  }
  const fromCommune = units.get('travel.fromCommuneCode');
  if (fromCommune && fromCommune.province_code !== b.travel.fromProvinceCode) {
    fields.push({ path: 'travel.fromCommuneCode', message: 'Xã không thuộc tỉnh đã chọn' });
  }
  const p = b.person;
  if (p.birthDate && Number(p.birthDate.slice(0, 4)) !== p.birthYear) {
    fields.push({ path: 'person.birthYear', message: 'Năm sinh khác với ngày sinh' });
  }
  if (p.birthYear > Number(today().slice(0, 4)))
    fields.push({ path: 'person.birthYear', message: 'Năm sinh ở tương lai' });
  if (!!p.idType !== !!p.idNumber) {
    fields.push({
      path: p.idType ? 'person.idNumber' : 'person.idType',
      message: 'Cần cả loại và số giấy tờ',
    });
  } else if (p.idType && p.idNumber) {
    const problem = idNumberProblem(p.idType, normaliseIdNumber(p.idNumber));
    if (problem) fields.push({ path: 'person.idNumber', message: problem });
  }
  if (b.travel.date > addDays(asOf, 30))
    fields.push({ path: 'travel.date', message: 'Ngày đi quá 30 ngày tới' });
  if (b.travel.date < addDays(asOf, -30))
    fields.push({ path: 'travel.date', message: 'Ngày đi đã quá 30 ngày' });
  if (b.vaccination && b.vaccination.doses > 0 && !b.vaccination.lastDoseDate) {
    fields.push({ path: 'vaccination.lastDoseDate', message: 'Cần ngày tiêm mũi gần nhất' });
  }
  if (b.onBehalf && !b.declarant)
    fields.push({ path: 'declarant', message: 'Khai hộ: cần thông tin người khai' });
  if (fields.length)
    throw badRequest(`Dữ liệu không hợp lệ: ${fields.map((f) => f.path).join(', ')}`, fields);
  return { home: units.get('person.communeCode')!, dest: units.get('travel.toCommuneCode')! };
}

/**
 * Records a declaration and signs the QR. A replay with the same clientId returns the first
 * declaration. Made without login (issue 10), it never links to a registered person, whatever
 * ID number it carries: it gets a record of its own (without the ID number, which stays in the
 * declaration) until an officer at the checkpoint matches it (`match.ts`). Entered by an officer
 * at a checkpoint (`siteId`), who has the person and their papers in front of them, it is linked
 * by ID number as before.
 */
export async function createDeclaration(
  q: Queryable,
  b: DeclarationInput,
  ctx: {
    key: SigningKey;
    homeProvince: string;
    userId: string | null;
    siteId: string | null;
    /** The day the declaration speaks for, when a past passage is entered from paper. */
    asOf?: string;
  },
): Promise<{ row: DeclarationRow; created: boolean }> {
  if (b.clientId) {
    const prior = await q.query<DeclarationRow>(
      `SELECT ${DECLARATION_COLUMNS} FROM declarations d WHERE d.client_id = $1`,
      [b.clientId],
    );
    if (prior[0]) return { row: prior[0], created: false };
  }
  const { home, dest } = await checkDeclaration(q, b, ctx.asOf);
  const p = b.person;
  const idNumber = p.idNumber ? normaliseIdNumber(p.idNumber) : null;
  const atCheckpoint = ctx.siteId !== null && ctx.userId !== null;
  let personId: string | undefined;
  if (idNumber && atCheckpoint) {
    const match = await q.query<{ id: string }>(
      'SELECT id FROM persons WHERE id_number = $1 ORDER BY merged_into NULLS FIRST, created_at LIMIT 1',
      [idNumber],
    );
    if (match[0]) personId = await canonicalPersonId(q, match[0].id);
  }
  if (!personId) {
    const values: PersonValues = {
      fullName: p.fullName,
      birthDate: p.birthDate ?? null,
      birthYear: p.birthYear,
      sex: p.sex,
      idType: idNumber && atCheckpoint ? (p.idType ?? null) : null,
      idNumber: atCheckpoint ? idNumber : null,
      phone: p.phone ? normalisePhone(p.phone) : null,
      nationality: p.nationality ?? DEFAULT_NATIONALITY,
      provinceCode: home.province_code,
      districtCode: home.district_code!,
      communeCode: home.code,
      villageId: null,
      street: p.street ?? null,
      workplace: p.workplace ?? null,
    };
    personId = (
      await insertPerson(q, values, {
        userId: ctx.userId,
        registeredProvinceCode: ctx.homeProvince,
        registeredSiteId: ctx.siteId,
      })
    ).row.id;
  }
  for (let attempt = 0; ; attempt++) {
    const rows = await q.query<DeclarationRow>(
      `INSERT INTO declarations AS d (code, person_id, person_snapshot, on_behalf, declarant, travel_mode, vehicle_number, seat,
         from_province_code, from_district_code, from_commune_code, from_place, province_code, district_code, commune_code,
         to_address, travel_date, visited_provinces, symptoms, exposure, vaccination, last_test, valid_until,
         taken_at_site_id, client_id, created_by, registry_match)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27)
       ON CONFLICT (code) DO NOTHING RETURNING ${DECLARATION_COLUMNS}`,
      [
        newDeclarationCode(),
        personId,
        JSON.stringify(p),
        b.onBehalf,
        b.declarant ? JSON.stringify(b.declarant) : null,
        b.travel.mode,
        b.travel.vehicleNumber ?? null,
        b.travel.seat ?? null,
        b.travel.fromProvinceCode,
        b.travel.fromDistrictCode ?? null,
        b.travel.fromCommuneCode ?? null,
        b.travel.fromPlace ?? null,
        dest.province_code,
        dest.district_code,
        dest.code,
        b.travel.toAddress ?? null,
        b.travel.date,
        b.visitedProvinces,
        b.symptoms,
        JSON.stringify(b.exposure),
        b.vaccination ? JSON.stringify(b.vaccination) : null,
        b.lastTest ? JSON.stringify(b.lastTest) : null,
        addDays(b.travel.date, DECLARATION_VALID_DAYS),
        ctx.siteId,
        b.clientId ?? null,
        ctx.userId,
        atCheckpoint ? 'linked' : 'pending',
      ],
    );
    if (rows[0]) return { row: rows[0], created: true };
    if (attempt > 5) throw new Error('could not draw a free declaration code');
  }
}

export function declarationQr(
  key: SigningKey,
  d: DeclarationRow,
  province: string,
  units: Map<string, UnitRef>,
): string {
  const payload: DeclarationQrPayload = {
    v: 1,
    c: d.code,
    n: qrName(d.person_snapshot.fullName),
    y: d.person_snapshot.birthYear,
    p: province,
    d: new Date(d.created_at).toISOString().slice(0, 10),
    e: d.valid_until,
    f: toQrFacts(declaredFactsOf(d, units)),
  };
  return encodeDeclarationQr(
    payload,
    signMessage(key, new Uint8Array(Buffer.from(JSON.stringify(payload)))),
  );
}

export type QrCheck =
  | { ok: true; code: string; payload: DeclarationQrPayload }
  | { ok: false; field: string; message: string; national?: ReturnType<typeof parseNationalQr> };

/** Is this QR text a declaration QR signed with our key? (A national QR is recognised too.) */
export function checkQr(key: SigningKey, qr: string): QrCheck {
  const decoded = decodeDeclarationQr(qr);
  if (!decoded.ok) {
    const national = parseNationalQr(qr);
    if (national.ok)
      return {
        ok: false,
        field: 'qr',
        message: 'Mã QR cá nhân quốc gia: cần khai báo y tế trước',
        national,
      };
    return { ok: false, field: 'qr', message: decoded.error };
  }
  if (!verifyMessage(key, decoded.value.message, decoded.value.signature)) {
    return { ok: false, field: 'qr', message: 'Mã QR giả hoặc đã bị sửa: chữ ký không khớp' };
  }
  return { ok: true, code: decoded.value.payload.c, payload: decoded.value.payload };
}

export async function declarationRoutes(server: FastifyInstance, opts: { key: SigningKey }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.post(
    '/api/v1/declarations',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['entry'],
        summary: 'Public health declaration (no login) → declaration code and signed personal QR',
        security: [],
        body: declarationBody,
      },
    },
    async (req: FastifyRequest<{ Body: DeclarationInput }>, reply) => {
      const result = await db.tx(async (q) => {
        const r = await createDeclaration(q, req.body, {
          key: opts.key,
          homeProvince: app.config.province,
          userId: req.actor?.id ?? null,
          siteId: null,
        });
        await audit(q, req, {
          action: 'declarations.create',
          resourceType: 'declaration',
          resourceId: r.row.id,
          outcome: 'allowed',
          actor: req.actor ?? null,
          detail: { replay: !r.created },
        });
        return r;
      });
      const d = result.row;
      return reply.status(result.created ? 201 : 200).send({
        id: d.id,
        code: d.code,
        qr: declarationQr(opts.key, d, app.config.province, await allUnitRefs(db)),
        validUntil: d.valid_until,
      });
    },
  );

  // The public key lets a checkpoint page check QR codes without a connection.
  app.get(
    '/api/v1/public/declaration-key',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: { tags: ['entry'], security: [] },
    },
    async () => ({ alg: 'Ed25519', jwk: opts.key.publicJwk, province: app.config.province }),
  );

  app.post(
    '/api/v1/public/personal-qr',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['entry'],
        summary: 'Read a national personal QR (QĐ 1405) to pre-fill the declaration form',
        security: [],
        body: z.object({ qr: z.string().min(1).max(2000) }),
      },
    },
    async (req) => {
      const r = parseNationalQr(req.body.qr);
      if (!r.ok) throw new AppError(400, 'validation', r.error, [{ path: 'qr', message: r.error }]);
      return r.value;
    },
  );
}
