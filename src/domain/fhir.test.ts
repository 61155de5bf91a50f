import { describe, expect, it } from 'vitest';
import {
  bundleProblems,
  codeFitsSystem,
  fhirPath,
  isRealFhirDate,
  LOINC_SYSTEM,
  readResultCode,
  SNOMED_SYSTEM,
  transactionProblems,
} from './fhir.ts';

describe('codeFitsSystem', () => {
  it.each([
    [LOINC_SYSTEM, '94500-6', true],
    [LOINC_SYSTEM, '94558-4', true],
    [LOINC_SYSTEM, '82593-5', true],
    [LOINC_SYSTEM, '94500-5', false], // wrong check digit
    [LOINC_SYSTEM, '260373001', false], // a SNOMED code under LOINC
    [LOINC_SYSTEM, 'LA11883-8', true],
    [SNOMED_SYSTEM, '260373001', true],
    [SNOMED_SYSTEM, '260415000', true],
    [SNOMED_SYSTEM, '10828004', true],
    [SNOMED_SYSTEM, '125154007', true],
    [SNOMED_SYSTEM, '1119349007', true],
    [SNOMED_SYSTEM, '840539006', true],
    [SNOMED_SYSTEM, '260373002', false], // Verhoeff check digit fails
    [SNOMED_SYSTEM, '94500-6', false], // a LOINC code under SNOMED
    [SNOMED_SYSTEM, '260373011', false], // description partition, not a concept
    ['urn:other', 'anything', true],
  ])('%s %s → %s', (system, code, ok) => expect(codeFitsSystem(system, code)).toBe(ok));
});

describe('isRealFhirDate', () => {
  it.each([
    ['2021-02-28', true],
    ['2021-02-29', false],
    ['2020-02-29', true],
    ['2021-02-30', false],
    ['2021-02-30T10:00:00+07:00', false],
    ['2021-03-02T10:00:00+07:00', true],
    ['2021-03-02T10:00:00Z', true],
    ['2021-03-02T10:00:00', false], // time without zone
    ['2021-13', false],
    ['2021-04-31', false],
    ['1990', true],
    ['1990-05', true],
    ['2021-03-02T24:00:00Z', false],
  ])('%s → %s', (v, ok) => expect(isRealFhirDate(v)).toBe(ok));
});

describe('readResultCode', () => {
  const sct = (code: string, system = SNOMED_SYSTEM) => ({
    valueCodeableConcept: { coding: [{ system, code }] },
  });
  it('reads international SNOMED CT result codes', () => {
    expect(readResultCode(sct('260373001'), 'x')).toEqual({ result: 'positive' });
    expect(readResultCode(sct('10828004'), 'x')).toEqual({ result: 'positive' });
    expect(readResultCode(sct('260385009'), 'x')).toEqual({ result: 'negative' });
    expect(readResultCode(sct('419984006'), 'x')).toEqual({ result: 'invalid' });
    expect(
      readResultCode(
        {
          dataAbsentReason: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'error' },
            ],
          },
        },
        'x',
      ),
    ).toEqual({ result: 'invalid' });
  });
  it('refuses a SNOMED code sent under the LOINC system, naming the coding', () => {
    const r = readResultCode(sct('260373001', LOINC_SYSTEM), 'Bundle.entry[1].resource');
    expect(r).toMatchObject({
      problem: {
        code: 'code-invalid',
        expression: 'Bundle.entry[1].resource.valueCodeableConcept.coding[0]',
      },
    });
  });
  it('does not read the US-extension "invalid result" code', () => {
    expect(readResultCode(sct('455371000124106'), 'x')).toHaveProperty('problem');
  });
});

describe('bundleProblems', () => {
  const patient = { resourceType: 'Patient' };
  it('refuses a transaction entry without request and a repeated fullUrl', () => {
    const p = bundleProblems({
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:a', resource: patient, request: { method: 'POST', url: 'Patient' } },
        { fullUrl: 'urn:uuid:a', resource: patient },
      ],
    });
    expect(p.map((x) => [x.code, x.expression])).toEqual([
      ['duplicate', 'Bundle.entry[1].fullUrl'],
      ['required', 'Bundle.entry[1].request'],
    ]);
  });
  it('refuses a request whose url is not the resource type it posts', () => {
    const p = bundleProblems({
      type: 'batch',
      entry: [{ resource: patient, request: { method: 'POST', url: 'Observation' } }],
    });
    expect(p[0]).toMatchObject({ code: 'not-supported', expression: 'Bundle.entry[0].request' });
  });
  it('refuses a document without its Composition first, identifier and timestamp', () => {
    const p = bundleProblems({ type: 'document', entry: [{ resource: patient }] });
    expect(p.map((x) => x.expression)).toEqual([
      'Bundle.entry[0]',
      'Bundle.identifier',
      'Bundle.timestamp',
    ]);
  });
  it('refuses request in a collection and unknown types', () => {
    expect(
      bundleProblems({
        type: 'collection',
        entry: [{ resource: patient, request: { method: 'POST', url: 'Patient' } }],
      })[0],
    ).toMatchObject({ code: 'invariant' });
    expect(bundleProblems({ type: 'searchset' })[0]).toMatchObject({ code: 'not-supported' });
  });
  it('accepts a well-formed transaction', () => {
    const id = 'urn:uuid:7d3c1f0e-6a52-4f1e-9a57-1a2b3c4d5e6f';
    const b = {
      type: 'transaction',
      entry: [
        {
          fullUrl: id,
          resource: { resourceType: 'Patient', identifier: [{ system: 'urn:x', value: '1' }] },
          request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn%3Ax|1' },
        },
      ],
    };
    expect(transactionProblems(b)).toEqual([]);
    const broken = structuredClone(b) as typeof b & {
      entry: { resource: Record<string, unknown> }[];
    };
    broken.entry[0]!.resource.managingOrganization = {
      reference: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    };
    broken.entry[0]!.resource.id = 'x';
    expect(transactionProblems(broken).map((x) => x.code)).toEqual(['not-found', 'invalid']);
  });
});

it('fhirPath turns field paths into FHIRPath', () => {
  expect(fhirPath('entry.1.resource.status')).toBe('Bundle.entry[1].resource.status');
});
