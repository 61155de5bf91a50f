/**
 * Our records as FHIR R4 resources — a result as Patient, Specimen, Observation (Ct as a number)
 * and DiagnosticReport; a vaccination dose as Immunization with standard vaccine codes — and
 * the Bundle entries of a `collection` or of a `transaction` a FHIR server loads (POST with a
 * conditional create on the resource's identifier, references between entries by urn:uuid).
 */
import { createHash } from 'node:crypto';
import {
  ATC_SYSTEM,
  CT_COMPONENT_CODE,
  CT_UNIT,
  CVX_SYSTEM,
  EU_REGISTER_SYSTEM,
  EU_TEMP_PRODUCT_SYSTEM,
  INVALID_ABSENT,
  LOINC_SYSTEM,
  RESULT_SNOMED,
  SNOMED_SYSTEM,
} from '../../domain/fhir.ts';
import type { ResultValue } from '../../domain/testing.ts';
import { VACCINE_PRODUCTS } from '../../domain/vaccination.ts';

export const EPIGUARD_SYSTEM = 'urn:epiguard:test-result';
export const PERSON_SYSTEM = 'urn:epiguard:person';
export const NATIONAL_ID_SYSTEM = 'urn:epiguard:vn-national-id';
export const SPECIMEN_SYSTEM = 'urn:epiguard:specimen-code';
export const SPECIMEN_ID_SYSTEM = 'urn:epiguard:specimen';
export const DOSE_SYSTEM = 'urn:epiguard:vaccination-dose';
export const PRODUCT_SYSTEM = 'urn:epiguard:vaccine-product';
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
export const LOINC_TO_TYPE = Object.fromEntries(Object.entries(LOINC).map(([t, l]) => [l.code, t]));

/**
 * CDC CVX codes of the products (HL7's vaccine code system, what most FHIR servers expect),
 * beside the EU DCC codes the vaccination module keeps. Abdala has no CVX code of its own: it
 * goes with its DCC product code only.
 */
export const CVX: Record<string, { code: string; display: string }> = {
  spikevax: { code: '207', display: 'COVID-19, mRNA, LNP-S, PF, 100 mcg/0.5mL dose' },
  comirnaty: { code: '208', display: 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose' },
  vaxzevria: { code: '210', display: 'COVID-19 vaccine, vector-nr, rS-ChAdOx1, PF, 0.5 mL' },
  jcovden: { code: '212', display: 'COVID-19 vaccine, vector-nr, rS-Ad26, PF, 0.5 mL' },
  sputnik_v: { code: '505', display: 'COVID-19 VVnr Non-US Vaccine (Sputnik V)' },
  bbibp: { code: '510', display: 'COVID-19 IV Non-US Vaccine (BIBP, Sinopharm)' },
};
const COVID19_SNOMED = { system: SNOMED_SYSTEM, code: '840539006', display: 'COVID-19' };

export interface ExportRow {
  id: string;
  person_id: string;
  specimen_id: string | null;
  specimen_code: string | null;
  test_type: string;
  result: ResultValue;
  ct_value: number | null;
  sampled_at: Date | string;
  resulted_at: Date | string;
  source: string;
  natural_key: string;
}
export interface PatientRow {
  person_id: string;
  full_name: string;
  birth_date: string | null;
  birth_year: number;
  sex: 'male' | 'female' | 'other';
  commune_code: string;
}
export interface DoseExportRow {
  id: string;
  person_id: string;
  product: string;
  lot_number: string | null;
  dose_number: number;
  kind: 'primary' | 'booster';
  given_on: string;
}

type Resource = Record<string, unknown> & { resourceType: string; id: string };
type Identifier = { system: string; value: string };

const iso = (d: Date | string) => new Date(d).toISOString();
/** A stable UUID for a resource derived from a record (a result's report or specimen). */
export const derivedUuid = (kind: string, id: string) => {
  const h = createHash('sha256').update(`${kind}:${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The identifier a result came with from another system (`fhir:<system>|<value>`), if any. */
export function sourceIdentifier(r: Pick<ExportRow, 'source' | 'natural_key'>): Identifier | null {
  if (r.source !== 'fhir' || !r.natural_key.startsWith('fhir:')) return null;
  const key = r.natural_key.slice(5);
  const bar = key.indexOf('|');
  if (bar < 0) return null;
  const system = key.slice(0, bar);
  const value = key.slice(bar + 1);
  return system && value ? { system, value } : null;
}

/**
 * Issue 10, item 10: an export carries no ID number or phone (a masked value is no identifier);
 * the receiving system knows the person by our id, and the person page shows them (audited).
 */
export function patientResource(p: PatientRow): Resource {
  const identifier: Identifier[] = [{ system: PERSON_SYSTEM, value: p.person_id }];
  return {
    resourceType: 'Patient',
    id: p.person_id,
    identifier,
    name: [{ text: p.full_name.normalize('NFC') }],
    gender: p.sex,
    birthDate: p.birth_date ?? String(p.birth_year),
    address: [{ country: 'VN', extension: [{ url: COMMUNE_EXT, valueCode: p.commune_code }] }],
  };
}

/** The resources of one result: Specimen, Observation, DiagnosticReport (the Patient apart). */
export function resultResources(r: ExportRow): Resource[] {
  const loinc = LOINC[r.test_type] ?? LOINC.rt_pcr!;
  const code = { coding: [{ system: LOINC_SYSTEM, ...loinc }], text: r.test_type };
  const subject = { reference: `urn:uuid:${r.person_id}` };
  const specimenId = r.specimen_id ?? derivedUuid('specimen', r.id);
  const specimen: Resource = {
    resourceType: 'Specimen',
    id: specimenId,
    identifier: [
      ...(r.specimen_code ? [{ system: SPECIMEN_SYSTEM, value: r.specimen_code }] : []),
      { system: SPECIMEN_ID_SYSTEM, value: specimenId },
    ],
    subject,
    collection: { collectedDateTime: iso(r.sampled_at) },
  };
  const source = sourceIdentifier(r);
  const observation: Resource = {
    resourceType: 'Observation',
    id: r.id,
    // The identifier the result came with first, so a round trip gives it back unchanged.
    identifier: [...(source ? [source] : []), { system: EPIGUARD_SYSTEM, value: r.id }],
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
    subject,
    effectiveDateTime: iso(r.sampled_at),
    issued: iso(r.resulted_at),
    ...(r.result === 'invalid'
      ? { dataAbsentReason: INVALID_ABSENT }
      : {
          valueCodeableConcept: { coding: [{ system: SNOMED_SYSTEM, ...RESULT_SNOMED[r.result] }] },
        }),
    specimen: { reference: `urn:uuid:${specimenId}` },
    ...(r.ct_value !== null
      ? {
          component: [
            { code: CT_COMPONENT_CODE, valueQuantity: { value: Number(r.ct_value), ...CT_UNIT } },
          ],
        }
      : {}),
  };
  const reportId = derivedUuid('report', r.id);
  const report: Resource = {
    resourceType: 'DiagnosticReport',
    id: reportId,
    identifier: [{ system: `${EPIGUARD_SYSTEM}:report`, value: r.id }],
    status: 'final',
    code,
    subject,
    effectiveDateTime: iso(r.sampled_at),
    issued: iso(r.resulted_at),
    specimen: [{ reference: `urn:uuid:${specimenId}` }],
    result: [{ reference: `urn:uuid:${r.id}` }],
  };
  return [specimen, observation, report];
}

/** A vaccination dose as an Immunization: CVX and the EU DCC product and prophylaxis codes. */
export function immunizationResource(d: DoseExportRow): Resource {
  const p = VACCINE_PRODUCTS.find((x) => x.code === d.product);
  const cvx = CVX[d.product];
  const coding = [
    ...(cvx ? [{ system: CVX_SYSTEM, ...cvx }] : []),
    ...(p
      ? [
          {
            system: p.mp.startsWith('EU/') ? EU_REGISTER_SYSTEM : EU_TEMP_PRODUCT_SYSTEM,
            code: p.mp,
            display: p.name,
          },
          { system: /^\d+$/.test(p.vp) ? SNOMED_SYSTEM : ATC_SYSTEM, code: p.vp },
        ]
      : []),
    { system: PRODUCT_SYSTEM, code: d.product },
  ];
  return {
    resourceType: 'Immunization',
    id: d.id,
    identifier: [{ system: DOSE_SYSTEM, value: d.id }],
    status: 'completed',
    vaccineCode: { coding, text: p?.name ?? d.product },
    patient: { reference: `urn:uuid:${d.person_id}` },
    occurrenceDateTime: d.given_on,
    primarySource: true,
    ...(d.lot_number ? { lotNumber: d.lot_number } : {}),
    ...(p ? { manufacturer: { display: p.manufacturer } } : {}),
    protocolApplied: [
      {
        targetDisease: [{ coding: [COVID19_SNOMED] }],
        doseNumberPositiveInt: d.dose_number,
        ...(p && d.kind === 'primary' ? { seriesDosesPositiveInt: p.primaryDoses } : {}),
      },
    ],
  };
}

export type BundleKind = 'collection' | 'transaction';
export interface Entry {
  fullUrl: string;
  resource: Record<string, unknown>;
  request?: { method: 'POST'; url: string; ifNoneExist: string };
}

/**
 * The entry of a resource. In a transaction the resource is POSTed without its id (the server
 * assigns one; entries refer to each other by the urn:uuid fullUrl) and created only if no
 * resource holds its first identifier yet, so loading the same Bundle twice creates nothing.
 */
export function entryOf(resource: Resource, kind: BundleKind): Entry {
  const fullUrl = `urn:uuid:${resource.id}`;
  if (kind === 'collection') return { fullUrl, resource };
  const { id: _id, ...body } = resource;
  const first = (resource.identifier as Identifier[])[0]!;
  return {
    fullUrl,
    resource: body,
    request: {
      method: 'POST',
      url: resource.resourceType,
      ifNoneExist: `identifier=${encodeURIComponent(first.system)}|${encodeURIComponent(first.value)}`,
    },
  };
}
