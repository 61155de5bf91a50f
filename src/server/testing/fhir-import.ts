/**
 * Writing a checked Bundle (fhir-read.ts) in the caller's transaction, all or nothing: persons
 * matched like an upload, results idempotent by the Observation's identifier, doses through the
 * vaccination rules; one response per entry sent.
 */
import { problem } from '../../domain/fhir.ts';
import { nameKey } from '../../domain/people.ts';
import { matchPerson, type Candidate, type F0RuleSet } from '../../domain/testing.ts';
import type { Actor } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { insertPerson } from '../people/store.ts';
import { writeResult } from './apply.ts';
import { FhirError } from './fhir-outcome.ts';
import type {
  InBundle,
  ParsedImmunization,
  ParsedObservation,
  ParsedPatient,
} from './fhir-read.ts';
import { EPIGUARD_SYSTEM } from './fhir-resources.ts';

export interface ImportContext {
  actor: Actor;
  /** Records a dose by the vaccination module's rules (its errors name the body's fields). */
  recordDose: (
    q: Queryable,
    personId: string,
    d: Omit<ParsedImmunization, 'entry' | 'patientEntry' | 'patient'>,
  ) => Promise<{ id: string; replayed: boolean }>;
  rulesets: F0RuleSet[];
  fallbackCommune: string | null;
  homeProvince: string;
}
export interface EntryResponse {
  status: string;
  location?: string;
  note?: { vi: string; en: string };
}

/**
 * Writes the checked results (caller's transaction) and answers one response per entry: the
 * Observation and Patient with where they are, a Specimen and a DiagnosticReport with the
 * Observation that holds them, anything else with why it was only read.
 */
/** The dose fields the vaccination rules name, as elements of the Immunization. */
const DOSE_FIELD: Record<string, string> = {
  date: '.occurrenceDateTime',
  product: '.vaccineCode',
  doseNumber: '.protocolApplied[0].doseNumberPositiveInt',
  lotNumber: '.lotNumber',
  personId: '.patient',
};

export async function importBundle(
  q: Queryable,
  bundle: InBundle,
  {
    observations,
    immunizations,
  }: { observations: ParsedObservation[]; immunizations: ParsedImmunization[] },
  ctx: ImportContext,
): Promise<EntryResponse[]> {
  const responses: EntryResponse[] = (bundle.entry ?? []).map(() => ({
    status: '200 OK',
    note: { vi: 'Đã đọc, không lưu riêng', en: 'Read, not stored on its own' },
  }));
  for (const o of observations) {
    const existing = await findExisting(q, o.identifiers);
    let resultId: string;
    let personId: string;
    if (existing) {
      resultId = existing.id;
      personId = existing.person_id;
      responses[o.entry] = { status: '200 OK', location: `Observation/${resultId}` };
    } else {
      const m = await matchOrCreate(q, o.patient, o.patientEntry, ctx);
      personId = m.id;
      const first = o.identifiers[0]!;
      const w = await writeResult(
        q,
        {
          personId,
          testType: o.testType,
          result: o.result,
          ctValue: o.ctValue,
          sampledAt: o.sampledAt,
          resultedAt: o.resultedAt,
          specimenCode: o.specimenCode,
          source: 'fhir',
          naturalKey: `fhir:${first.system}|${first.value}`,
          siteId: ctx.actor.scope.level === 'site' ? (ctx.actor.scope.siteId ?? null) : null,
          labSiteId: ctx.actor.siteKind === 'lab' ? (ctx.actor.scope.siteId ?? null) : null,
        },
        { actorId: ctx.actor.id, rulesets: ctx.rulesets },
      );
      resultId = w.row.id;
      responses[o.entry] = {
        status: w.created ? '201 Created' : '200 OK',
        location: `Observation/${resultId}`,
      };
      if (m.created)
        responses[o.patientEntry] = { status: '201 Created', location: `Patient/${personId}` };
    }
    if (responses[o.patientEntry]!.location === undefined)
      responses[o.patientEntry] = { status: '200 OK', location: `Patient/${personId}` };
    if (o.specimenEntry !== null)
      responses[o.specimenEntry] = {
        status: '200 OK',
        note: {
          vi: `Lưu là mã mẫu của Observation/${resultId}`,
          en: `Kept as the specimen code of Observation/${resultId}`,
        },
      };
  }
  for (const d of immunizations) {
    const m = await matchOrCreate(q, d.patient, d.patientEntry, ctx);
    if (m.created)
      responses[d.patientEntry] = { status: '201 Created', location: `Patient/${m.id}` };
    else if (responses[d.patientEntry]!.location === undefined)
      responses[d.patientEntry] = { status: '200 OK', location: `Patient/${m.id}` };
    const at = `Bundle.entry[${d.entry}].resource`;
    const { entry: _e, patientEntry: _p, patient: _q, ...input } = d;
    const w = await ctx.recordDose(q, m.id, input).catch((err: unknown) => {
      if (!(err instanceof AppError)) throw err;
      throw new FhirError(
        err.status === 404 ? 404 : 400,
        (err.fields?.length ? err.fields : [{ path: '', message: err.message }]).map((f) =>
          problem('business-rule', `${at}${DOSE_FIELD[f.path] ?? ''}`, f.message, f.message),
        ),
      );
    });
    responses[d.entry] = {
      status: w.replayed ? '200 OK' : '201 Created',
      location: `Immunization/${w.id}`,
    };
  }
  (bundle.entry ?? []).forEach((e, k) => {
    if (e.resource?.resourceType !== 'DiagnosticReport') return;
    const ref = ((e.resource.result as { reference?: string }[] | undefined) ?? [])[0]?.reference;
    const o = observations.find((x) => bundle.entry![x.entry]!.fullUrl === ref);
    if (o)
      responses[k] = {
        status: '200 OK',
        note: {
          vi: `Kết quả nằm ở ${responses[o.entry]!.location}`,
          en: `Its result is ${responses[o.entry]!.location}`,
        },
      };
  });
  return responses;
}

/**
 * A result already held under any identifier the Observation carries: our own id (a Bundle we
 * exported coming back) or the identifier another system sent it with before.
 */
async function findExisting(q: Queryable, ids: { system: string; value: string }[]) {
  const own = ids
    .filter((x) => x.system === EPIGUARD_SYSTEM && /^[0-9a-f-]{36}$/i.test(x.value))
    .map((x) => x.value);
  const keys = ids.map((x) => `fhir:${x.system}|${x.value}`);
  const rows = await q.query<{ id: string; person_id: string }>(
    `SELECT id, person_id FROM test_results WHERE id = ANY($1::uuid[])
     UNION ALL SELECT id, person_id FROM test_results WHERE natural_key = ANY($2::text[]) LIMIT 1`,
    [own, keys],
  );
  return rows[0];
}

async function matchOrCreate(
  q: Queryable,
  p: ParsedPatient,
  entry: number,
  ctx: ImportContext,
): Promise<{ id: string; created: boolean }> {
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
  const at = `Bundle.entry[${entry}].resource`;
  if (m.by === 'ambiguous')
    throw new FhirError(400, [
      problem(
        'multiple-matches',
        at,
        `Có ${m.count} người trùng họ tên và năm sinh`,
        `${m.count} persons share this name and birth year`,
      ),
    ]);
  if (m.by === 'conflict')
    throw new FhirError(409, [problem('business-rule', at, m.message, m.message)]);
  if (m.by !== 'create') return { id: m.personId, created: false };
  const code = p.communeCode ?? ctx.fallbackCommune;
  const unit = code
    ? (
        await q.query<{ code: string; province_code: string; district_code: string }>(
          'SELECT code, province_code, district_code FROM admin_units WHERE code = $1 AND level = 3',
          [code],
        )
      )[0]
    : undefined;
  if (!unit)
    throw new FhirError(400, [
      problem(
        'required',
        `${at}.address`,
        'Thiếu hoặc sai mã xã của người mới (address.extension)',
        'The new person needs a valid commune code (address.extension)',
      ),
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
      userId: ctx.actor.id,
      registeredProvinceCode: ctx.homeProvince,
      registeredSiteId: ctx.actor.scope.level === 'site' ? (ctx.actor.scope.siteId ?? null) : null,
    },
  );
  return { id: created.row.id, created: true };
}
