/**
 * FHIR R4 exchange with the national platform and other systems: results out as Bundles of
 * Patient, Specimen, Observation and DiagnosticReport; Bundles in (results from another
 * system), matched to persons like an upload and written idempotently by the Observation's
 * identifier. Every Bundle out and in is checked against the R4 JSON Schema.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isValidIsoDate } from '../../domain/dates.ts';
import { nameKey, normaliseIdNumber, normalisePhone } from '../../domain/people.ts';
import { matchPerson, type Candidate, type ResultValue } from '../../domain/testing.ts';
import { audit, requireActor, requirePermission, type Actor } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, badRequest } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import { insertPerson } from '../people/store.ts';
import { writeResult } from './apply.ts';
import { validateFhir } from './fhir-schema.ts';
import type { F0Cache } from './rulesets.ts';
import { testScope } from './scope.ts';

export const EPIGUARD_SYSTEM = 'urn:epiguard:test-result';
export const NATIONAL_ID_SYSTEM = 'urn:epiguard:vn-national-id';
export const SPECIMEN_SYSTEM = 'urn:epiguard:specimen-code';
export const COMMUNE_EXT = 'urn:epiguard:fhir:commune-code';

/** LOINC codes of the catalogue's test types. */
export const LOINC: Record<string, { code: string; display: string }> = {
  rt_pcr: {
    code: '94500-6',
    display:
      'SARS-CoV-2 (COVID-19) RNA [Presence] in Respiratory specimen by NAA with probe detection',
  },
  rapid_antigen: {
    code: '94558-4',
    display: 'SARS-CoV-2 (COVID-19) Ag [Presence] in Respiratory specimen by Rapid immunoassay',
  },
};
const LOINC_TO_TYPE = Object.fromEntries(Object.entries(LOINC).map(([t, l]) => [l.code, t]));
/** SNOMED CT qualifier values for the result. */
const SNOMED: Record<ResultValue, { code: string; display: string }> = {
  positive: { code: '260373001', display: 'Detected' },
  negative: { code: '260415000', display: 'Not detected' },
  invalid: { code: '455371000124106', display: 'Invalid result' },
};
const SNOMED_TO_RESULT = Object.fromEntries(
  Object.entries(SNOMED).map(([r, s]) => [s.code, r as ResultValue]),
);

interface ExportRow {
  id: string;
  person_id: string;
  specimen_id: string | null;
  specimen_code: string | null;
  test_type: string;
  result: ResultValue;
  ct_value: number | null;
  sampled_at: Date | string;
  resulted_at: Date | string;
  sample_date: string;
  full_name: string;
  birth_date: string | null;
  birth_year: number;
  sex: 'male' | 'female' | 'other';
  commune_code: string;
  created_at: Date | string;
}

const iso = (d: Date | string) => new Date(d).toISOString();
/** A stable UUID for a resource derived from a result (its report; a specimen the result has no record of). */
const derivedUuid = (kind: string, id: string) => {
  const h = createHash('sha256').update(`${kind}:${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The resources of one result: Patient (once per person in a Bundle), Specimen, Observation, DiagnosticReport. */
export function resultResources(r: ExportRow) {
  const loinc = LOINC[r.test_type] ?? { code: '94500-6', display: LOINC.rt_pcr!.display };
  const code = {
    coding: [{ system: 'http://loinc.org', code: loinc.code, display: loinc.display }],
    text: r.test_type,
  };
  // Issue 10, item 10: an export carries no ID number or phone (a masked value is no identifier);
  // the receiving system knows the person by our id, and the person page shows them (audited).
  const patient = {
    resourceType: 'Patient',
    id: r.person_id,
    name: [{ text: r.full_name }],
    gender: r.sex === 'other' ? 'other' : r.sex,
    birthDate: r.birth_date ?? String(r.birth_year),
    address: [{ country: 'VN', extension: [{ url: COMMUNE_EXT, valueCode: r.commune_code }] }],
  };
  const specimenId = r.specimen_id ?? derivedUuid('specimen', r.id);
  const specimen = {
    resourceType: 'Specimen',
    id: specimenId,
    ...(r.specimen_code
      ? { identifier: [{ system: SPECIMEN_SYSTEM, value: r.specimen_code }] }
      : {}),
    subject: { reference: `urn:uuid:${r.person_id}` },
    collection: { collectedDateTime: iso(r.sampled_at) },
  };
  const observation = {
    resourceType: 'Observation',
    id: r.id,
    identifier: [{ system: EPIGUARD_SYSTEM, value: r.id }],
    status: 'final',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/observation-category',
            code: 'laboratory',
          },
        ],
      },
    ],
    code,
    subject: { reference: `urn:uuid:${r.person_id}` },
    effectiveDateTime: iso(r.sampled_at),
    issued: iso(r.resulted_at),
    valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', ...SNOMED[r.result] }] },
    specimen: { reference: `urn:uuid:${specimenId}` },
    ...(r.ct_value !== null ? { note: [{ text: `Ct ${r.ct_value}` }] } : {}),
  };
  const report = {
    resourceType: 'DiagnosticReport',
    id: derivedUuid('report', r.id),
    identifier: [{ system: `${EPIGUARD_SYSTEM}:report`, value: r.id }],
    status: 'final',
    code,
    subject: { reference: `urn:uuid:${r.person_id}` },
    effectiveDateTime: iso(r.sampled_at),
    issued: iso(r.resulted_at),
    specimen: [{ reference: `urn:uuid:${specimenId}` }],
    result: [{ reference: `urn:uuid:${r.id}` }],
  };
  return { patient, specimen, observation, report };
}

type Bundle = {
  resourceType: 'Bundle';
  type: string;
  entry?: { fullUrl?: string; resource?: Record<string, unknown> }[];
} & Record<string, unknown>;

export async function fhirRoutes(server: FastifyInstance, opts: { f0: F0Cache }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  app.addContentTypeParser(
    'application/fhir+json',
    { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 },
    app.getDefaultJsonParser('error', 'error'),
  );

  app.get(
    '/api/v1/fhir/Bundle',
    {
      preHandler: requirePermission('fhir.exchange'),
      schema: {
        tags: ['testing'],
        summary:
          'Results of your area as a FHIR R4 Bundle (collection) of Patient, Specimen, Observation, DiagnosticReport; next page in link[next]',
        querystring: z.object({
          date: z
            .string()
            .refine(isValidIsoDate, 'Ngày YYYY-MM-DD')
            .optional()
            .describe('Sample date (Vietnam time)'),
          communeCode: z
            .string()
            .regex(/^\d{5}$/)
            .optional(),
          _count: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().max(500).optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const qy = req.query;
      const params: unknown[] = [];
      const where = [testScope(actor.scope, params, 'r')];
      if (qy.date) where.push(`r.sample_date = $${params.push(qy.date)}`);
      if (qy.communeCode) where.push(`r.commune_code = $${params.push(qy.communeCode)}`);
      const after = decodeCursor(qy.cursor, ['timestamp', 'uuid']);
      if (after) {
        params.push(after[0], after[1]);
        where.push(
          `(r.created_at, r.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
        );
      }
      params.push(qy._count + 1);
      const rows = await db.query<ExportRow>(
        `SELECT r.id, r.person_id, r.specimen_id, r.specimen_code, r.test_type, r.result, r.ct_value, r.sampled_at, r.resulted_at,
           r.sample_date::text AS sample_date, p.full_name, p.birth_date::text AS birth_date, p.birth_year, p.sex,
           p.commune_code, r.created_at
           FROM test_results r JOIN persons p ON p.id = r.person_id
          WHERE ${where.join(' AND ')} ORDER BY r.created_at, r.id LIMIT $${params.length}`,
        params,
      );
      const more = rows.length > qy._count;
      const items = more ? rows.slice(0, -1) : rows;
      const entry: { fullUrl: string; resource: Record<string, unknown> }[] = [];
      const patients = new Set<string>();
      for (const r of items) {
        const res = resultResources(r);
        if (!patients.has(r.person_id)) {
          patients.add(r.person_id);
          entry.push({ fullUrl: `urn:uuid:${r.person_id}`, resource: res.patient });
        }
        entry.push({ fullUrl: `urn:uuid:${res.specimen.id}`, resource: res.specimen });
        entry.push({ fullUrl: `urn:uuid:${r.id}`, resource: res.observation });
        entry.push({ fullUrl: `urn:uuid:${res.report.id}`, resource: res.report });
      }
      const self = `/api/v1/fhir/Bundle${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`;
      const link = [{ relation: 'self', url: self }];
      if (more) {
        const last = items[items.length - 1]!;
        const u = new URLSearchParams();
        if (qy.date) u.set('date', qy.date);
        if (qy.communeCode) u.set('communeCode', qy.communeCode);
        u.set('_count', String(qy._count));
        u.set('cursor', encodeCursor([iso(last.created_at), last.id]));
        link.push({ relation: 'next', url: `/api/v1/fhir/Bundle?${u}` });
      }
      const bundle = {
        resourceType: 'Bundle',
        type: 'collection',
        timestamp: new Date().toISOString(),
        link,
        entry,
      };
      const issues = validateFhir(bundle);
      if (issues.length) {
        req.log.error({ issues }, 'exported FHIR Bundle does not validate');
        throw new Error('exported FHIR Bundle does not validate');
      }
      await audit(db, req, {
        action: 'fhir.exchange',
        resourceType: 'fhir_bundle',
        outcome: 'allowed',
        detail: { results: items.length },
      });
      return reply.type('application/fhir+json').send(bundle);
    },
  );

  app.post(
    '/api/v1/fhir/Bundle',
    {
      preHandler: requirePermission('fhir.exchange'),
      schema: {
        tags: ['testing'],
        summary:
          'Results from another system: a FHIR R4 Bundle (batch, transaction or collection) with Patient, Specimen?, Observation; idempotent by Observation.identifier; all or nothing',
        body: z.looseObject({
          resourceType: z.literal('Bundle'),
          type: z.string().max(40),
          entry: z
            .array(
              z.looseObject({
                fullUrl: z.string().max(300).optional(),
                resource: z.record(z.string(), z.unknown()).optional(),
              }),
            )
            .max(3000)
            .optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const bundle = req.body as Bundle;
      const shell = validateFhir({ ...bundle, entry: [] });
      const fields = shell.map((i) => ({ path: i.path, message: i.message }));
      const entries = bundle.entry ?? [];
      entries.forEach((e, i) => {
        if (!e.resource)
          return fields.push({ path: `entry.${i}.resource`, message: 'Thiếu resource' });
        for (const issue of validateFhir(e.resource))
          fields.push({ path: `entry.${i}.resource.${issue.path}`, message: issue.message });
      });
      if (fields.length)
        throw badRequest(
          `Bundle không hợp lệ theo FHIR R4: ${fields
            .slice(0, 3)
            .map((f) => f.path)
            .join(', ')}`,
          fields.slice(0, 50),
        );
      const byUrl = new Map<string, Record<string, unknown>>();
      for (const e of entries) {
        const r = e.resource!;
        if (e.fullUrl) byUrl.set(e.fullUrl, r);
        if (typeof r.id === 'string') byUrl.set(`${r.resourceType}/${r.id}`, r);
      }
      const observations = entries
        .map((e, i) => ({ i, r: e.resource! }))
        .filter((x) => x.r.resourceType === 'Observation');
      if (!observations.length)
        throw badRequest('Bundle không có Observation', [
          { path: 'entry', message: 'Cần ít nhất một Observation' },
        ]);
      const rulesets = await opts.f0.get();
      const site =
        actor.scope.level === 'site'
          ? ((
              await db.query<{ commune_code: string }>(
                'SELECT commune_code FROM sites WHERE id = $1',
                [actor.scope.siteId],
              )
            )[0] ?? null)
          : null;
      const out = await db.tx(async (q) => {
        const responses: { fullUrl: string | undefined; status: string; location?: string }[] = [];
        for (const { i, r } of observations) {
          const parsed = readObservation(i, r, byUrl);
          const existing = parsed.ownId
            ? (
                await q.query<{ id: string }>('SELECT id FROM test_results WHERE id::text = $1', [
                  parsed.ownId,
                ])
              )[0]
            : undefined;
          if (existing) {
            responses.push({
              fullUrl: entries[i]!.fullUrl,
              status: '200 OK',
              location: `Observation/${existing.id}`,
            });
            continue;
          }
          const personId = await matchOrCreate(
            q,
            parsed.patient,
            i,
            actor,
            site?.commune_code ?? actor.scope.communeCode ?? null,
            app.config.province,
          );
          const w = await writeResult(
            q,
            {
              personId,
              testType: parsed.testType,
              result: parsed.result,
              sampledAt: parsed.sampledAt,
              resultedAt: parsed.resultedAt,
              specimenCode: parsed.specimenCode,
              source: 'fhir',
              naturalKey: `fhir:${parsed.identifier}`,
              siteId: actor.scope.level === 'site' ? (actor.scope.siteId ?? null) : null,
              labSiteId: actor.siteKind === 'lab' ? (actor.scope.siteId ?? null) : null,
            },
            { actorId: actor.id, rulesets },
          );
          responses.push({
            fullUrl: entries[i]!.fullUrl,
            status: w.created ? '201 Created' : '200 OK',
            location: `Observation/${w.row.id}`,
          });
        }
        await audit(q, req, {
          action: 'fhir.exchange',
          resourceType: 'fhir_bundle',
          outcome: 'allowed',
          detail: {
            observations: observations.length,
            created: responses.filter((r) => r.status.startsWith('201')).length,
          },
        });
        return responses;
      });
      const response = {
        resourceType: 'Bundle',
        type: bundle.type === 'transaction' ? 'transaction-response' : 'batch-response',
        entry: out.map((r) => ({
          ...(r.fullUrl ? { fullUrl: r.fullUrl } : {}),
          response: { status: r.status, location: r.location },
        })),
      };
      return reply
        .status(out.some((r) => r.status.startsWith('201')) ? 201 : 200)
        .type('application/fhir+json')
        .send(response);
    },
  );
}

interface ParsedObservation {
  identifier: string;
  ownId: string | null;
  testType: string;
  result: ResultValue;
  sampledAt: string;
  resultedAt: string;
  specimenCode: string | null;
  patient: {
    idNumber: string | null;
    name: string;
    birthYear: number;
    birthDate: string | null;
    sex: 'male' | 'female' | 'other';
    phone: string | null;
    communeCode: string | null;
  };
}

function readObservation(
  i: number,
  r: Record<string, unknown>,
  byUrl: Map<string, Record<string, unknown>>,
): ParsedObservation {
  const at = `entry.${i}.resource`;
  const bad = (path: string, message: string) =>
    new AppError(400, 'validation', `${path}: ${message}`, [{ path, message }]);
  const ident = (r.identifier as { system?: string; value?: string }[] | undefined)?.find(
    (x) => x.value,
  );
  if (!ident) throw bad(`${at}.identifier`, 'Cần identifier để nhận lại không bị trùng');
  const coding = ((r.code as { coding?: { system?: string; code?: string }[] })?.coding ?? []).find(
    (c) => c.system === 'http://loinc.org',
  );
  const testType = coding?.code ? LOINC_TO_TYPE[coding.code] : undefined;
  if (!testType)
    throw bad(
      `${at}.code`,
      `Mã LOINC không thuộc danh mục (${Object.values(LOINC)
        .map((l) => l.code)
        .join(', ')})`,
    );
  const vc = ((r.valueCodeableConcept as { coding?: { code?: string }[] })?.coding ?? [])
    .map((c) => SNOMED_TO_RESULT[c.code ?? ''])
    .find(Boolean);
  if (!vc)
    throw bad(
      `${at}.valueCodeableConcept`,
      'Kết quả cần mã SNOMED 260373001 / 260415000 / 455371000124106',
    );
  const sampledAt = typeof r.effectiveDateTime === 'string' ? Date.parse(r.effectiveDateTime) : NaN;
  if (!Number.isFinite(sampledAt)) throw bad(`${at}.effectiveDateTime`, 'Cần thời điểm lấy mẫu');
  if (sampledAt > Date.now() + 10 * 60_000)
    throw bad(`${at}.effectiveDateTime`, 'Thời điểm ở tương lai');
  const issued = typeof r.issued === 'string' ? Date.parse(r.issued) : sampledAt;
  const subjectRef = (r.subject as { reference?: string } | undefined)?.reference;
  const patient = subjectRef ? byUrl.get(subjectRef) : undefined;
  if (!patient || patient.resourceType !== 'Patient')
    throw bad(`${at}.subject`, 'subject phải trỏ tới một Patient trong Bundle');
  const name =
    (patient.name as { text?: string; family?: string; given?: string[] }[] | undefined)?.map(
      (n) => n.text ?? [n.family, ...(n.given ?? [])].filter(Boolean).join(' '),
    )[0] ?? '';
  const birth = typeof patient.birthDate === 'string' ? patient.birthDate : '';
  if (!name.trim()) throw bad(`${at}.subject`, 'Patient cần name');
  if (!/^\d{4}/.test(birth)) throw bad(`${at}.subject`, 'Patient cần birthDate');
  // FHIR allows YYYY, YYYY-MM or YYYY-MM-DD; a full date must exist (1990-02-30 does not).
  if (!/^\d{4}(-\d{2})?$/.test(birth) && !isValidIsoDate(birth))
    throw bad(`${at}.subject.birthDate`, 'birthDate không phải ngày có thật (YYYY-MM-DD)');
  const idv = (patient.identifier as { system?: string; value?: string }[] | undefined)?.find(
    (x) => x.system === NATIONAL_ID_SYSTEM || /cccd|cmnd|national/i.test(x.system ?? ''),
  )?.value;
  const phone = (patient.telecom as { system?: string; value?: string }[] | undefined)?.find(
    (t) => t.system === 'phone',
  )?.value;
  const commune = (
    patient.address as { extension?: { url?: string; valueCode?: string }[] }[] | undefined
  )?.[0]?.extension?.find((e) => e.url === COMMUNE_EXT)?.valueCode;
  const specRef = (r.specimen as { reference?: string } | undefined)?.reference;
  const spec = specRef ? byUrl.get(specRef) : undefined;
  const specimenCode = (spec?.identifier as { value?: string }[] | undefined)?.[0]?.value ?? null;
  return {
    identifier: `${ident.system ?? ''}|${ident.value}`,
    ownId: ident.system === EPIGUARD_SYSTEM ? ident.value! : null,
    testType,
    result: vc,
    sampledAt: new Date(sampledAt).toISOString(),
    resultedAt: new Date(
      Number.isFinite(issued) ? Math.max(issued, sampledAt) : sampledAt,
    ).toISOString(),
    specimenCode: specimenCode ? specimenCode.toUpperCase().slice(0, 40) : null,
    patient: {
      idNumber: idv ? normaliseIdNumber(idv) : null,
      name: name.trim().slice(0, 120),
      birthYear: Number(birth.slice(0, 4)),
      birthDate: isValidIsoDate(birth) ? birth : null,
      sex: patient.gender === 'male' || patient.gender === 'female' ? patient.gender : 'other',
      phone: phone ? normalisePhone(phone) : null,
      communeCode: commune && /^\d{5}$/.test(commune) ? commune : null,
    },
  };
}

async function matchOrCreate(
  q: Queryable,
  p: ParsedObservation['patient'],
  i: number,
  actor: Actor,
  fallbackCommune: string | null,
  homeProvince: string,
): Promise<string> {
  const key = nameKey(p.name);
  const cands = await q.query<{
    id: string;
    id_number: string | null;
    phone: string | null;
    search_name: string;
    birth_year: number;
    commune_code: string;
  }>(
    `SELECT p.id, p.id_number, p.phone, p.search_name, p.birth_year, p.commune_code FROM persons p
      WHERE p.merged_into IS NULL AND p.id IN (
        SELECT id FROM persons WHERE id_number = $1 UNION SELECT id FROM persons WHERE phone = $2
        UNION SELECT person_id FROM person_name_keys WHERE key = $3 AND key = search_name AND birth_year = $4)`,
    [p.idNumber, p.phone, key, p.birthYear],
  );
  const m = matchPerson(
    {
      idNumber: p.idNumber,
      phone: p.phone,
      name: key,
      birthYear: p.birthYear,
      communeCode: p.communeCode,
    },
    cands.map<Candidate>((c) => ({
      id: c.id,
      idNumber: c.id_number,
      phone: c.phone,
      searchName: c.search_name,
      birthYear: c.birth_year,
      communeCode: c.commune_code,
    })),
  );
  const path = `entry.${i}.resource.subject`;
  if (m.by === 'ambiguous' || m.by === 'conflict')
    throw new AppError(
      400,
      'validation',
      `${path}: ${m.by === 'conflict' ? m.message : `có ${m.count} người trùng họ tên và năm sinh`}`,
      [{ path, message: m.by === 'conflict' ? m.message : 'Không xác định được người' }],
    );
  if (m.by !== 'create') return m.personId;
  const code = p.communeCode ?? fallbackCommune;
  const unit = code
    ? (
        await q.query<{ code: string; province_code: string; district_code: string }>(
          'SELECT code, province_code, district_code FROM admin_units WHERE code = $1 AND level = 3',
          [code],
        )
      )[0]
    : undefined;
  if (!unit)
    throw new AppError(400, 'validation', `${path}: cần mã xã của người mới`, [
      { path, message: 'Thiếu hoặc sai mã xã (address.extension)' },
    ]);
  const idType = p.idNumber
    ? /^\d{12}$/.test(p.idNumber)
      ? 'cccd'
      : /^\d{9}$/.test(p.idNumber)
        ? 'cmnd'
        : 'other'
    : null;
  const created = await insertPerson(
    q,
    {
      fullName: p.name,
      birthDate: p.birthDate,
      birthYear: p.birthYear,
      sex: p.sex,
      idType,
      idNumber: p.idNumber,
      phone: p.phone,
      nationality: 'VN',
      provinceCode: unit.province_code,
      districtCode: unit.district_code,
      communeCode: unit.code,
      villageId: null,
      street: null,
      workplace: null,
    },
    {
      userId: actor.id,
      registeredProvinceCode: homeProvince,
      registeredSiteId: actor.scope.level === 'site' ? (actor.scope.siteId ?? null) : null,
    },
  );
  return created.row.id;
}
