/**
 * Reading a FHIR R4 Bundle of results or vaccinations from another system, before anything is
 * written or any rule applied: the schema, the Bundle's structure (requests, unique fullUrls, a
 * document's Composition), each code against its system, each date against the calendar. What
 * is wrong comes back as OperationOutcome problems naming the entry and element.
 */
import { dateOfInstant } from '../../domain/dates.ts';
import {
  bundleProblems,
  codingProblem,
  CVX_SYSTEM,
  EU_REGISTER_SYSTEM,
  EU_TEMP_PRODUCT_SYSTEM,
  fhirPath,
  isRealFhirDate,
  LOINC_SYSTEM,
  problem,
  readResultCode,
  type FhirProblem,
} from '../../domain/fhir.ts';
import { normaliseIdNumber, normalisePhone } from '../../domain/people.ts';
import { nfc } from '../../domain/text.ts';
import type { ResultValue } from '../../domain/testing.ts';
import { VACCINE_PRODUCTS } from '../../domain/vaccination.ts';
import {
  COMMUNE_EXT,
  CVX,
  LOINC,
  LOINC_TO_TYPE,
  NATIONAL_ID_SYSTEM,
  PRODUCT_SYSTEM,
} from './fhir-resources.ts';
import { validateFhir } from './fhir-schema.ts';

type Res = Record<string, unknown>;
export interface InBundle {
  resourceType: 'Bundle';
  type: string;
  entry?: { fullUrl?: string; resource?: Res; request?: { method?: string; url?: string } }[];
}

export interface ParsedPatient {
  idNumber: string | null;
  name: string;
  birthYear: number;
  birthDate: string | null;
  sex: 'male' | 'female' | 'other';
  phone: string | null;
  communeCode: string | null;
}
export interface ParsedObservation {
  entry: number;
  patientEntry: number;
  specimenEntry: number | null;
  identifiers: { system: string; value: string }[];
  testType: string;
  result: ResultValue;
  ctValue: number | null;
  sampledAt: string;
  resultedAt: string;
  specimenCode: string | null;
  patient: ParsedPatient;
}

/** Resource types a results Bundle may hold; any other is refused (it would not be stored). */
const STORED = new Set(['Patient', 'Specimen', 'Observation', 'DiagnosticReport', 'Immunization']);
/** In a document or collection, what only describes the others (read, not stored). */
const CONTEXT = new Set(['Composition', 'Organization', 'Practitioner', 'Device', 'Location']);

/** Every problem of a Bundle: schema, structure, then each Observation's content. */
export function checkBundle(bundle: InBundle): {
  problems: FhirProblem[];
  observations: ParsedObservation[];
  immunizations: ParsedImmunization[];
} {
  const problems: FhirProblem[] = [];
  for (const i of validateFhir({ ...bundle, entry: [] }))
    problems.push(problem('structure', fhirPath(i.path), i.message, i.message));
  const entries = bundle.entry ?? [];
  entries.forEach((e, k) => {
    if (e.resource)
      for (const i of validateFhir(e.resource))
        problems.push(
          problem('structure', fhirPath(`entry.${k}.resource.${i.path}`), i.message, i.message),
        );
  });
  problems.push(...bundleProblems(bundle as Parameters<typeof bundleProblems>[0]));
  if (problems.length) return { problems, observations: [], immunizations: [] };
  const byUrl = new Map<string, number>();
  entries.forEach((e, k) => {
    if (e.fullUrl) byUrl.set(e.fullUrl, k);
    if (typeof e.resource!.id === 'string')
      byUrl.set(`${e.resource!.resourceType}/${e.resource!.id}`, k);
  });
  const observations: ParsedObservation[] = [];
  const immunizations: ParsedImmunization[] = [];
  const contextOk = bundle.type === 'document' || bundle.type === 'collection';
  entries.forEach((e, k) => {
    const rt = String(e.resource!.resourceType);
    if (rt === 'Observation') {
      const r = readObservation(k, e.resource!, entries, byUrl);
      if ('problems' in r) problems.push(...r.problems);
      else observations.push(r);
    } else if (rt === 'Immunization') {
      const r = readImmunization(k, e.resource!, entries, byUrl);
      if ('problems' in r) problems.push(...r.problems);
      else immunizations.push(r);
    } else if (!STORED.has(rt) && !(contextOk && CONTEXT.has(rt)))
      problems.push(
        problem(
          'not-supported',
          `Bundle.entry[${k}].resource`,
          `Không nhận ${rt} (chỉ Patient, Specimen, Observation, DiagnosticReport, Immunization)`,
          `${rt} is not accepted (only Patient, Specimen, Observation, DiagnosticReport, Immunization)`,
        ),
      );
  });
  if (!problems.length && !observations.length && !immunizations.length)
    problems.push(
      problem(
        'required',
        'Bundle.entry',
        'Bundle không có Observation hay Immunization',
        'The Bundle has no Observation or Immunization',
      ),
    );
  return { problems, observations, immunizations };
}

function readObservation(
  k: number,
  r: Res,
  entries: NonNullable<InBundle['entry']>,
  byUrl: Map<string, number>,
): ParsedObservation | { problems: FhirProblem[] } {
  const at = `Bundle.entry[${k}].resource`;
  const out: FhirProblem[] = [];
  const identifiers = ((r.identifier as { system?: string; value?: string }[] | undefined) ?? [])
    .filter((x) => x.value)
    .map((x) => ({ system: x.system ?? '', value: x.value! }));
  if (!identifiers.length)
    out.push(
      problem(
        'required',
        `${at}.identifier`,
        'Cần identifier để nhận lại không bị trùng',
        'An identifier is needed so a resend is not stored twice',
      ),
    );
  if (!['final', 'amended', 'corrected'].includes(String(r.status)))
    out.push(
      problem(
        'business-rule',
        `${at}.status`,
        `Chỉ nhận kết quả đã có (final, amended, corrected), không nhận "${String(r.status)}"`,
        `Only final, amended or corrected results are accepted, not "${String(r.status)}"`,
      ),
    );
  const code = r.code as { coding?: { system?: string; code?: string }[] } | undefined;
  const codeBad = codingProblem(code, `${at}.code`);
  const loinc = (code?.coding ?? []).find((c) => c.system === LOINC_SYSTEM);
  const testType = loinc?.code ? LOINC_TO_TYPE[loinc.code] : undefined;
  if (codeBad) out.push(codeBad);
  else if (!testType)
    out.push(
      problem(
        'code-invalid',
        `${at}.code`,
        `Mã LOINC không thuộc danh mục (${Object.values(LOINC)
          .map((l) => l.code)
          .join(', ')})`,
        `The LOINC code is not in the catalogue (${Object.values(LOINC)
          .map((l) => l.code)
          .join(', ')})`,
      ),
    );
  const value = readResultCode(r, at);
  if ('problem' in value) out.push(value.problem);
  let sampledAt = NaN;
  if (!isRealFhirDate(r.effectiveDateTime))
    out.push(
      problem(
        'value',
        `${at}.effectiveDateTime`,
        `Thời điểm lấy mẫu không phải ngày giờ có thật: ${String(r.effectiveDateTime ?? '(trống)')}`,
        `The sampling time is not a real date and time: ${String(r.effectiveDateTime ?? '(empty)')}`,
      ),
    );
  else {
    sampledAt = Date.parse(r.effectiveDateTime);
    if (sampledAt > Date.now() + 10 * 60_000)
      out.push(
        problem(
          'business-rule',
          `${at}.effectiveDateTime`,
          'Thời điểm lấy mẫu ở tương lai',
          'The sampling time is in the future',
        ),
      );
  }
  if (r.issued !== undefined && !isRealFhirDate(r.issued))
    out.push(
      problem(
        'value',
        `${at}.issued`,
        `issued không phải ngày giờ có thật: ${String(r.issued)}`,
        `issued is not a real date and time: ${String(r.issued)}`,
      ),
    );
  const issued = typeof r.issued === 'string' ? Date.parse(r.issued) : sampledAt;
  const ct = readCt(r, at);
  if ('problem' in ct) out.push(ct.problem);
  const subjectRef = (r.subject as { reference?: string } | undefined)?.reference;
  const patientEntry = subjectRef !== undefined ? byUrl.get(subjectRef) : undefined;
  const patient = patientEntry !== undefined ? entries[patientEntry]!.resource! : undefined;
  let parsed: ParsedPatient | null = null;
  if (!patient || patient.resourceType !== 'Patient')
    out.push(
      problem(
        'not-found',
        `${at}.subject`,
        'subject phải trỏ tới một Patient trong Bundle',
        'subject must refer to a Patient in the Bundle',
      ),
    );
  else {
    const p = readPatient(patient, `Bundle.entry[${patientEntry}].resource`);
    if ('problems' in p) out.push(...p.problems);
    else parsed = p;
  }
  const specRef = (r.specimen as { reference?: string } | undefined)?.reference;
  const specimenEntry = specRef !== undefined ? (byUrl.get(specRef) ?? null) : null;
  const spec = specimenEntry !== null ? entries[specimenEntry]!.resource : undefined;
  const specimenCode = (spec?.identifier as { value?: string }[] | undefined)?.[0]?.value ?? null;
  if (out.length || !parsed || !testType || 'problem' in value || 'problem' in ct)
    return { problems: out };
  return {
    entry: k,
    patientEntry: patientEntry!,
    specimenEntry,
    identifiers,
    testType,
    result: value.result,
    ctValue: ct.value,
    sampledAt: new Date(sampledAt).toISOString(),
    resultedAt: new Date(
      Number.isFinite(issued) ? Math.max(issued, sampledAt) : sampledAt,
    ).toISOString(),
    specimenCode: specimenCode ? specimenCode.toUpperCase().slice(0, 40) : null,
    patient: parsed,
  };
}

/** The Ct value: a number in a component (or valueQuantity) — never a free-text note. */
function readCt(r: Res, at: string): { value: number | null } | { problem: FhirProblem } {
  const comps =
    (r.component as
      | {
          code?: { coding?: { code?: string }[]; text?: string };
          valueQuantity?: { value?: number };
          valueString?: string;
        }[]
      | undefined) ?? [];
  const k = comps.findIndex(
    (c) => c.code?.coding?.some((x) => x.code === 'ct') || /^ct\b/i.test(c.code?.text ?? ''),
  );
  if (k < 0) return { value: null };
  const v = comps[k]!.valueQuantity?.value;
  if (typeof v !== 'number' || v < 0 || v > 60)
    return {
      problem: problem(
        'value',
        `${at}.component[${k}].valueQuantity.value`,
        'Ct phải là số từ 0 đến 60 (valueQuantity)',
        'Ct must be a number from 0 to 60 (valueQuantity)',
      ),
    };
  return { value: v };
}

export interface ParsedImmunization {
  entry: number;
  patientEntry: number;
  patient: ParsedPatient;
  product: string;
  date: string;
  lotNumber: string | null;
  doseNumber: number | null;
}

/** The product an Immunization names: our code, its CVX code or its EU DCC product code. */
function productOfCoding(coding: { system?: string; code?: string }[]): string | undefined {
  for (const c of coding) {
    if (c.system === PRODUCT_SYSTEM && VACCINE_PRODUCTS.some((p) => p.code === c.code))
      return c.code;
    if (c.system === CVX_SYSTEM) {
      const hit = Object.entries(CVX).find(([, v]) => v.code === c.code)?.[0];
      if (hit) return hit;
    }
    const mp = VACCINE_PRODUCTS.find((p) => p.mp === c.code);
    if (mp && (c.system === EU_REGISTER_SYSTEM || c.system === EU_TEMP_PRODUCT_SYSTEM))
      return mp.code;
  }
  return undefined;
}

function readImmunization(
  k: number,
  r: Res,
  entries: NonNullable<InBundle['entry']>,
  byUrl: Map<string, number>,
): ParsedImmunization | { problems: FhirProblem[] } {
  const at = `Bundle.entry[${k}].resource`;
  const out: FhirProblem[] = [];
  if (r.status !== 'completed')
    out.push(
      problem(
        'business-rule',
        `${at}.status`,
        `Chỉ nhận mũi tiêm đã tiêm (completed), không nhận "${String(r.status)}"`,
        `Only completed doses are accepted, not "${String(r.status)}"`,
      ),
    );
  const vc = r.vaccineCode as { coding?: { system?: string; code?: string }[] } | undefined;
  const bad = codingProblem(vc, `${at}.vaccineCode`);
  const product = bad ? undefined : productOfCoding(vc?.coding ?? []);
  if (bad) out.push(bad);
  else if (!product)
    out.push(
      problem(
        'code-invalid',
        `${at}.vaccineCode`,
        'Vắc xin không có trong danh mục (mã CVX, mã sản phẩm EU DCC hoặc mã của hệ thống)',
        'The vaccine is not in the catalogue (CVX, EU DCC product or our product code)',
      ),
    );
  const occ = r.occurrenceDateTime;
  let date: string | null = null;
  if (!isRealFhirDate(occ) || occ.length < 10)
    out.push(
      problem(
        'value',
        `${at}.occurrenceDateTime`,
        `Ngày tiêm không phải ngày có thật: ${String(occ ?? '(trống)')}`,
        `The vaccination date is not a real date: ${String(occ ?? '(empty)')}`,
      ),
    );
  else date = occ.length === 10 ? occ : dateOfInstant(Date.parse(occ));
  const dose = (r.protocolApplied as { doseNumberPositiveInt?: number }[] | undefined)?.[0]
    ?.doseNumberPositiveInt;
  const ref = (r.patient as { reference?: string } | undefined)?.reference;
  const patientEntry = ref !== undefined ? byUrl.get(ref) : undefined;
  const patient = patientEntry !== undefined ? entries[patientEntry]!.resource! : undefined;
  let parsed: ParsedPatient | null = null;
  if (!patient || patient.resourceType !== 'Patient')
    out.push(
      problem(
        'not-found',
        `${at}.patient`,
        'patient phải trỏ tới một Patient trong Bundle',
        'patient must refer to a Patient in the Bundle',
      ),
    );
  else {
    const p = readPatient(patient, `Bundle.entry[${patientEntry}].resource`);
    if ('problems' in p) out.push(...p.problems);
    else parsed = p;
  }
  if (out.length || !parsed || !product || !date) return { problems: out };
  return {
    entry: k,
    patientEntry: patientEntry!,
    patient: parsed,
    product,
    date,
    lotNumber:
      typeof r.lotNumber === 'string' && r.lotNumber.trim()
        ? r.lotNumber.trim().slice(0, 60)
        : null,
    doseNumber: typeof dose === 'number' ? dose : null,
  };
}

function readPatient(p: Res, at: string): ParsedPatient | { problems: FhirProblem[] } {
  const out: FhirProblem[] = [];
  const name = nfc(
    (p.name as { text?: string; family?: string; given?: string[] }[] | undefined)?.map(
      (n) => n.text ?? [n.family, ...(n.given ?? [])].filter(Boolean).join(' '),
    )[0] ?? '',
  ).trim();
  if (!name)
    out.push(problem('required', `${at}.name`, 'Patient cần name', 'Patient needs a name'));
  const birth = p.birthDate;
  if (typeof birth !== 'string')
    out.push(
      problem('required', `${at}.birthDate`, 'Patient cần birthDate', 'Patient needs a birthDate'),
    );
  else if (!isRealFhirDate(birth))
    out.push(
      problem(
        'value',
        `${at}.birthDate`,
        `birthDate không phải ngày có thật: ${birth}`,
        `birthDate is not a real date: ${birth}`,
      ),
    );
  if (out.length) return { problems: out };
  const b = birth as string;
  const idv = (p.identifier as { system?: string; value?: string }[] | undefined)?.find(
    (x) => x.system === NATIONAL_ID_SYSTEM || /cccd|cmnd|national/i.test(x.system ?? ''),
  )?.value;
  const phone = (p.telecom as { system?: string; value?: string }[] | undefined)?.find(
    (t) => t.system === 'phone',
  )?.value;
  const commune = (
    p.address as { extension?: { url?: string; valueCode?: string }[] }[] | undefined
  )?.[0]?.extension?.find((e) => e.url === COMMUNE_EXT)?.valueCode;
  return {
    idNumber: idv ? normaliseIdNumber(idv) : null,
    name: name.slice(0, 120),
    birthYear: Number(b.slice(0, 4)),
    birthDate: /^\d{4}-\d{2}-\d{2}$/.test(b) ? b : null,
    sex: p.gender === 'male' || p.gender === 'female' ? p.gender : 'other',
    phone: phone ? normalisePhone(phone) : null,
    communeCode: commune && /^\d{5}$/.test(commune) ? commune : null,
  };
}
