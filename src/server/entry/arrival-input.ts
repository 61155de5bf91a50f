import { arrivalInputFrom, type DeclaredFacts } from '../../domain/arrival-facts.ts';
import type { ArrivalInput, EpidemicArea } from '../../domain/entry.ts';
import type { UnitRef } from '../geo/units.ts';
import type { AreaRow } from './areas.ts';
import type { DeclarationRow } from './declarations.ts';

type DeclarationFacts = Pick<
  DeclarationRow,
  | 'from_province_code'
  | 'from_district_code'
  | 'from_commune_code'
  | 'symptoms'
  | 'vaccination'
  | 'last_test'
>;

/**
 * What a stored declaration tells the classification; the same facts go into its signed QR, so
 * the checkpoint phone decides offline with them (issue 16 item 1).
 */
export function declaredFactsOf(d: DeclarationFacts, units: Map<string, UnitRef>): DeclaredFacts {
  const origin = units.get(d.from_commune_code ?? d.from_district_code ?? d.from_province_code);
  return {
    origin: {
      provinceCode: d.from_province_code,
      districtCode: d.from_district_code,
      communeCode: d.from_commune_code,
    },
    originName: origin?.name ?? d.from_province_code,
    vaccination: d.vaccination
      ? { doses: d.vaccination.doses, lastDoseDate: d.vaccination.lastDoseDate ?? null }
      : null,
    lastTest: d.last_test
      ? { type: d.last_test.type, date: d.last_test.date, result: d.last_test.result }
      : null,
    symptoms: d.symptoms,
  };
}

/** Epidemic areas as the classification reads them (the phone's offline pack sends the same). */
export const epidemicAreasOf = (areas: readonly AreaRow[]): EpidemicArea[] =>
  areas.map((a) => ({
    provinceCode: a.province_code,
    districtCode: a.district_code,
    communeCode: a.commune_code,
    level: a.level,
    validFrom: a.valid_from,
    validTo: a.valid_to,
  }));

/**
 * What the arrival classification reads of a passage: its declaration, the moment and a rapid
 * test done on the spot. The checkpoint decides with it; the preview of a new rule-set version
 * (issue 18) takes last week's decisions again with it.
 */
export function arrivalInputOf(
  d: DeclarationFacts,
  at: Date,
  entryDate: string,
  rapidTest: 'negative' | 'positive' | null,
  units: Map<string, UnitRef>,
  areas: readonly AreaRow[],
): ArrivalInput {
  return arrivalInputFrom(
    declaredFactsOf(d, units),
    at.toISOString(),
    entryDate,
    rapidTest,
    epidemicAreasOf(areas),
  );
}
