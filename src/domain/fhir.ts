/**
 * FHIR R4 exchange rules that need no I/O: the code systems and codes we read and write, whether
 * a code can belong to the system it names, whether a date exists, and the structure a Bundle
 * must have before any of its content is read (what the JSON Schema cannot say: bdl-3/4/7/9,
 * a document's Composition, a transaction's requests). Problems come back as OperationOutcome
 * issues with a FHIRPath expression and a message in Vietnamese and English.
 */
import { isValidIsoDate } from './dates.ts';

export const LOINC_SYSTEM = 'http://loinc.org';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const DATA_ABSENT_SYSTEM = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx';
export const ATC_SYSTEM = 'http://www.whocc.no/atc';
/** The EU DCC value set vaccine-medicinal-product names two systems (EU register / temporary). */
export const EU_REGISTER_SYSTEM = 'https://ec.europa.eu/health/documents/community-register/html/';
export const EU_TEMP_PRODUCT_SYSTEM = 'http://ec.europa.eu/temp/vaccineproductname';
/**
 * The Ct value of a PCR travels as an Observation.component with a number (valueQuantity, UCUM
 * "{Ct}"). LOINC's Ct codes are per gene (94509-7 E, 94510-5 N, 94511-3 ORF1ab) and the labs'
 * files do not say which gene, so the component is coded in our own system with a text.
 */
export const CT_COMPONENT_CODE = {
  coding: [
    { system: 'urn:epiguard:observation-component', code: 'ct', display: 'Cycle threshold (Ct)' },
  ],
  text: 'Ct',
};
export const CT_UNIT = { unit: 'Ct', system: UCUM_SYSTEM, code: '{Ct}' } as const;

export type IssueType =
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'invalid'
  | 'code-invalid'
  | 'duplicate'
  | 'not-supported'
  | 'not-found'
  | 'multiple-matches'
  | 'business-rule'
  | 'forbidden'
  | 'security'
  | 'exception'
  | 'informational';

export interface FhirProblem {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: IssueType;
  /** FHIRPath of the element at fault, e.g. `Bundle.entry[1].resource.effectiveDateTime`. */
  expression: string;
  vi: string;
  en: string;
}

/** An informational issue (what was done with an entry), for a response entry's outcome. */
export const note = (expression: string, vi: string, en: string): FhirProblem => ({
  severity: 'information',
  code: 'informational',
  expression,
  vi,
  en,
});

export const problem = (
  code: IssueType,
  expression: string,
  vi: string,
  en: string,
): FhirProblem => ({ severity: 'error', code, expression, vi, en });

/** `entry.1.resource.status` (our field paths, the schema's) → `Bundle.entry[1].resource.status`. */
export function fhirPath(path: string, root = 'Bundle'): string {
  const parts = path.split('.').filter(Boolean);
  let out = root;
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : `.${p}`;
  return out;
}

/** LOINC's mod-10 check digit of the number part (LOINC Users' Guide, appendix). */
function loincCheckDigit(num: string): number {
  const digits = num.split('').map(Number).reverse();
  let odd = '';
  let even = '';
  digits.forEach((d, i) => {
    if (i % 2 === 0) odd = String(d) + odd;
    else even = String(d) + even;
  });
  const doubled = String(Number(odd) * 2);
  const sum = [...doubled, ...even].reduce((s, c) => s + Number(c), 0);
  return (10 - (sum % 10)) % 10;
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const verhoeffValid = (num: string) =>
  num
    .split('')
    .reverse()
    .reduce((c, d, i) => VERHOEFF_D[c]![VERHOEFF_P[i % 8]![Number(d)]!]!, 0) === 0;

/**
 * Whether `code` can be a code of `system`, by the form each system gives its codes: a LOINC
 * code is digits, "-" and its mod-10 check digit (answer and part codes: LA…/LP…); a SNOMED CT
 * concept id is 6–18 digits with a concept partition ("00"/"10") and a Verhoeff check digit.
 * A LOINC system with "260373001", or SNOMED with "94500-6", is not a code of that system.
 * Systems we do not know the form of are not judged (true).
 */
export function codeFitsSystem(system: string | undefined, code: string | undefined): boolean {
  if (!code) return false;
  if (system === LOINC_SYSTEM) {
    const m = /^(\d{1,7})-(\d)$/.exec(code);
    if (m) return loincCheckDigit(m[1]!) === Number(m[2]);
    return /^L[AP]\d{1,8}-\d$/.test(code);
  }
  if (system === SNOMED_SYSTEM) {
    if (!/^[1-9]\d{5,17}$/.test(code)) return false;
    const partition = code.slice(-3, -1);
    return (partition === '00' || partition === '10') && verhoeffValid(code);
  }
  return true;
}

/**
 * A FHIR date or dateTime that exists: the schema's pattern lets "2021-02-30" through and
 * JavaScript's Date rolls it over to 2 March. Partial dates (YYYY, YYYY-MM) are real dates.
 */
export function isRealFhirDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d|60)(?:\.\d+)?)?(Z|[+-](?:0\d|1[0-4]):[0-5]\d)?)?)?)?$/.exec(
      value,
    );
  if (!m) return false;
  if (m[2] && (Number(m[2]) < 1 || Number(m[2]) > 12)) return false;
  if (m[3] && !isValidIsoDate(`${m[1]}-${m[2]}-${m[3]}`)) return false;
  if (m[4] && !m[7]) return false; // a dateTime with a time needs its zone (FHIR R4)
  return true;
}

/**
 * Result codes. Positive and negative are the SNOMED CT international qualifiers LOINC's
 * presence tests (94500-6, 94558-4) and the EU DCC test-result value set use: 260373001
 * Detected, 260415000 Not detected; 10828004 Positive and 260385009 Negative are read as the
 * same. "Invalid" (no control line, the test has to be repeated) has no value: it is written
 * as dataAbsentReason "error" (HL7 data-absent-reason: a process error means there is no
 * result), which every R4 system understands, instead of the US-extension concept
 * 455371000124106 |Invalid result| that international SNOMED releases do not hold. On import,
 * 419984006 |Inconclusive| and 125154007 |Specimen unsatisfactory for evaluation| (both
 * international) are read as invalid too: neither gives a result, both ask for a new test.
 */
export type ResultCode = 'positive' | 'negative' | 'invalid';
export const RESULT_SNOMED: Record<'positive' | 'negative', { code: string; display: string }> = {
  positive: { code: '260373001', display: 'Detected' },
  negative: { code: '260415000', display: 'Not detected' },
};
const SNOMED_READ: Record<string, ResultCode> = {
  '260373001': 'positive',
  '10828004': 'positive',
  '260415000': 'negative',
  '260385009': 'negative',
  '419984006': 'invalid',
  '125154007': 'invalid',
};
export const INVALID_ABSENT = {
  coding: [{ system: DATA_ABSENT_SYSTEM, code: 'error', display: 'Error' }],
  text: 'Invalid result — repeat the test',
};

interface Coding {
  system?: string;
  code?: string;
}
interface CodeableConcept {
  coding?: Coding[];
}

/**
 * The result an Observation states, or the problem with it. Every coding is checked against its
 * system first: a code that cannot belong to the system it names is refused, never guessed.
 */
export function readResultCode(
  obs: { valueCodeableConcept?: CodeableConcept; dataAbsentReason?: CodeableConcept },
  at: string,
): { result: ResultCode } | { problem: FhirProblem } {
  const bad = codingProblem(obs.valueCodeableConcept, `${at}.valueCodeableConcept`);
  if (bad) return { problem: bad };
  for (const c of obs.valueCodeableConcept?.coding ?? []) {
    const r = c.system === SNOMED_SYSTEM ? SNOMED_READ[c.code ?? ''] : undefined;
    if (r) return { result: r };
  }
  if (
    !obs.valueCodeableConcept &&
    obs.dataAbsentReason?.coding?.some((c) => c.system === DATA_ABSENT_SYSTEM && c.code === 'error')
  )
    return { result: 'invalid' };
  return {
    problem: problem(
      'code-invalid',
      `${at}.valueCodeableConcept`,
      `Kết quả cần mã SNOMED CT (${Object.keys(SNOMED_READ).join(', ')}) hoặc dataAbsentReason "error" cho kết quả không hợp lệ`,
      `The result needs a SNOMED CT code (${Object.keys(SNOMED_READ).join(', ')}) or dataAbsentReason "error" for an invalid result`,
    ),
  };
}

/** The first coding of a CodeableConcept whose code cannot be a code of its system. */
export function codingProblem(
  concept: CodeableConcept | undefined,
  at: string,
): FhirProblem | null {
  const list = concept?.coding ?? [];
  for (let k = 0; k < list.length; k++) {
    const c = list[k]!;
    if (!codeFitsSystem(c.system, c.code))
      return problem(
        'code-invalid',
        `${at}.coding[${k}]`,
        `Mã "${c.code ?? ''}" không thuộc hệ mã ${c.system ?? '(không có system)'}`,
        `Code "${c.code ?? ''}" is not a code of the system ${c.system ?? '(no system)'}`,
      );
  }
  return null;
}

interface BundleLike {
  type?: unknown;
  identifier?: { system?: string; value?: string };
  timestamp?: unknown;
  entry?: {
    fullUrl?: string;
    resource?: { resourceType?: unknown; id?: unknown };
    request?: { method?: string; url?: string };
    response?: unknown;
    search?: unknown;
  }[];
}

/** Bundle types the importer reads. */
export const IMPORT_TYPES = ['transaction', 'batch', 'collection', 'document'] as const;

/**
 * What is wrong with a Bundle's structure, before any of its resources is read: its type, the
 * Bundle invariants the JSON Schema cannot check (bdl-3 request only in batch/transaction,
 * bdl-4 response only in responses, bdl-7 unique fullUrl, bdl-9/10 a document's identifier and
 * date), a document's first entry being its Composition, and a transaction's or batch's
 * request on every entry naming the method and the resource type it posts.
 */
export function bundleProblems(bundle: BundleLike): FhirProblem[] {
  const out: FhirProblem[] = [];
  const type = String(bundle.type);
  if (!(IMPORT_TYPES as readonly string[]).includes(type)) {
    out.push(
      problem(
        'not-supported',
        'Bundle.type',
        `Chỉ nhận Bundle loại ${IMPORT_TYPES.join(', ')} (không nhận "${type}")`,
        `Only ${IMPORT_TYPES.join(', ')} Bundles are accepted (not "${type}")`,
      ),
    );
    return out;
  }
  const entries = bundle.entry ?? [];
  const seen = new Map<string, number>();
  const withRequest = type === 'transaction' || type === 'batch';
  entries.forEach((e, i) => {
    const at = `Bundle.entry[${i}]`;
    if (e.fullUrl) {
      const first = seen.get(e.fullUrl);
      if (first !== undefined)
        out.push(
          problem(
            'duplicate',
            `${at}.fullUrl`,
            `fullUrl ${e.fullUrl} trùng với mục ${first}`,
            `fullUrl ${e.fullUrl} repeats entry ${first}`,
          ),
        );
      else seen.set(e.fullUrl, i);
    }
    if (!e.resource)
      out.push(problem('required', `${at}.resource`, 'Thiếu resource', 'resource is missing'));
    if (e.response !== undefined || e.search !== undefined)
      out.push(
        problem(
          'invariant',
          at,
          'Mục của Bundle gửi đến không được có response hay search',
          'An entry of a submitted Bundle cannot carry response or search (bdl-2, bdl-4)',
        ),
      );
    if (!withRequest) {
      if (e.request !== undefined)
        out.push(
          problem(
            'invariant',
            `${at}.request`,
            `Bundle loại ${type} không được có request`,
            `A ${type} Bundle cannot carry request (bdl-3)`,
          ),
        );
      return;
    }
    const rt = typeof e.resource?.resourceType === 'string' ? e.resource.resourceType : '';
    if (!e.request?.method || !e.request.url) {
      out.push(
        problem(
          'required',
          `${at}.request`,
          `Mỗi mục của ${type} cần request (method, url)`,
          `Every entry of a ${type} needs a request (method, url)`,
        ),
      );
      return;
    }
    const { method, url } = e.request;
    const fits =
      (method === 'POST' && url === rt) ||
      (method === 'PUT' && (url === rt || url.startsWith(`${rt}/`) || url.startsWith(`${rt}?`)));
    if (!fits)
      out.push(
        problem(
          'not-supported',
          `${at}.request`,
          `Chỉ nhận POST ${rt || 'Loại'} hoặc PUT ${rt || 'Loại'}/… (nhận được ${method} ${url})`,
          `Only POST ${rt || 'Type'} or PUT ${rt || 'Type'}/… is accepted (got ${method} ${url})`,
        ),
      );
  });
  if (type === 'document') {
    if (entries[0]?.resource?.resourceType !== 'Composition')
      out.push(
        problem(
          'structure',
          'Bundle.entry[0]',
          'Mục đầu tiên của một document phải là Composition',
          'The first entry of a document must be its Composition',
        ),
      );
    if (!bundle.identifier?.system || !bundle.identifier.value)
      out.push(
        problem(
          'required',
          'Bundle.identifier',
          'Document cần identifier (system, value)',
          'A document needs an identifier with system and value (bdl-9)',
        ),
      );
    if (!bundle.timestamp)
      out.push(
        problem(
          'required',
          'Bundle.timestamp',
          'Document cần timestamp',
          'A document needs a timestamp (bdl-10)',
        ),
      );
  }
  return out;
}

/**
 * Problems of a transaction we write that a FHIR server would refuse: on top of
 * `bundleProblems`, every `urn:uuid:` reference resolves to an entry of the Bundle, every POST
 * carries no id (the server assigns it) and a conditional create names an identifier the
 * resource holds.
 */
export function transactionProblems(bundle: BundleLike): FhirProblem[] {
  const out = bundleProblems(bundle);
  const entries = bundle.entry ?? [];
  const urls = new Set(entries.map((e) => e.fullUrl));
  entries.forEach((e, i) => {
    const at = `Bundle.entry[${i}]`;
    if (
      e.fullUrl &&
      !/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(e.fullUrl)
    )
      out.push(
        problem(
          'invalid',
          `${at}.fullUrl`,
          'fullUrl không phải urn:uuid',
          'fullUrl is not a urn:uuid',
        ),
      );
    for (const ref of JSON.stringify(e.resource ?? {}).match(/"reference":"[^"]*"/g) ?? []) {
      const target = ref.slice(13, -1);
      if (!urls.has(target))
        out.push(
          problem(
            'not-found',
            `${at}.resource`,
            `Tham chiếu ${target} không có trong Bundle`,
            `Reference ${target} is not in the Bundle`,
          ),
        );
    }
    if (e.request?.method === 'POST' && e.resource?.id !== undefined)
      out.push(
        problem('invalid', `${at}.resource.id`, 'POST không mang id', 'A POST carries no id'),
      );
    const cond = (e.request as { ifNoneExist?: string } | undefined)?.ifNoneExist;
    if (cond) {
      const m = /^identifier=([^|]+)\|(.+)$/.exec(cond);
      const ids =
        (e.resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
      if (
        !m ||
        !ids.some(
          (x) => x.system === decodeURIComponent(m[1]!) && x.value === decodeURIComponent(m[2]!),
        )
      )
        out.push(
          problem(
            'invalid',
            `${at}.request.ifNoneExist`,
            'ifNoneExist không khớp identifier của tài nguyên',
            'ifNoneExist does not name an identifier of the resource',
          ),
        );
    }
  });
  return out;
}
