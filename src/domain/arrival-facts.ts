/**
 * What a declaration tells the arrival classification (origin, doses, last test, symptoms), in
 * one shape for the server and the phone (issue 16 item 1): the server builds the classification
 * input from the stored declaration, the checkpoint phone from the facts the signed declaration
 * QR carries (or from a declaration filled in on the phone) — with the same function, so a
 * provisional decision made offline is the one the server makes with the same rule set and areas.
 */
import type { ArrivalInput, EpidemicArea } from './entry.ts';
import type { TestType } from './rulesets.ts';

export interface DeclaredFacts {
  origin: { provinceCode: string; districtCode: string | null; communeCode: string | null };
  /** The origin's name as the server names it (the most specific unit). */
  originName: string;
  vaccination: { doses: number; lastDoseDate: string | null } | null;
  lastTest: { type: TestType; date: string; result: 'negative' | 'positive' } | null;
  symptoms: string[];
}

/** The classification input of a passage: the declared facts, the moment, a rapid test on the spot. */
export function arrivalInputFrom(
  f: DeclaredFacts,
  at: string,
  entryDate: string,
  rapidTest: 'negative' | 'positive' | null,
  areas: readonly EpidemicArea[],
): ArrivalInput {
  const onSpot = rapidTest ? { type: 'rapid' as const, date: at, result: rapidTest } : null;
  return {
    entryDate,
    entryAt: at,
    origin: f.origin,
    originName: f.originName,
    epidemicAreas: areas,
    vaccination: f.vaccination,
    lastTest: onSpot ?? f.lastTest,
    symptoms: f.symptoms,
  };
}

/**
 * The facts as the declaration QR carries them (key `f` of the payload), short keys to keep the
 * code small: o origin codes [province, district, commune], on origin name, vd [doses, last dose
 * date], t [type, sample time, result], s symptom codes.
 */
export interface QrFacts {
  o: [string, string | null, string | null];
  on: string;
  vd?: [number, string | null];
  t?: [TestType, string, 'negative' | 'positive'];
  s?: string[];
}

export function toQrFacts(f: DeclaredFacts): QrFacts {
  const q: QrFacts = {
    o: [f.origin.provinceCode, f.origin.districtCode, f.origin.communeCode],
    on: f.originName,
  };
  if (f.vaccination) q.vd = [f.vaccination.doses, f.vaccination.lastDoseDate];
  if (f.lastTest) q.t = [f.lastTest.type, f.lastTest.date, f.lastTest.result];
  if (f.symptoms.length) q.s = f.symptoms;
  return q;
}

const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** The facts of a QR, or null when it carries none (a code signed before they were added) or they are malformed. */
export function fromQrFacts(q: unknown): DeclaredFacts | null {
  if (!q || typeof q !== 'object') return null;
  const { o, on, vd, t, s } = q as Partial<Record<keyof QrFacts, unknown>>;
  if (!Array.isArray(o) || o.length !== 3 || !str(o[0]) || !strOrNull(o[1]) || !strOrNull(o[2]))
    return null;
  if (!str(on)) return null;
  if (vd !== undefined && (!Array.isArray(vd) || !Number.isInteger(vd[0]) || !strOrNull(vd[1])))
    return null;
  if (
    t !== undefined &&
    (!Array.isArray(t) ||
      (t[0] !== 'pcr' && t[0] !== 'rapid') ||
      !str(t[1]) ||
      (t[2] !== 'negative' && t[2] !== 'positive'))
  )
    return null;
  if (s !== undefined && (!Array.isArray(s) || !s.every(str))) return null;
  const vdx = vd as [number, string | null] | undefined;
  const tx = t as [TestType, string, 'negative' | 'positive'] | undefined;
  return {
    origin: { provinceCode: o[0], districtCode: o[1], communeCode: o[2] },
    originName: on,
    vaccination: vdx ? { doses: vdx[0], lastDoseDate: vdx[1] } : null,
    lastTest: tx ? { type: tx[0], date: tx[1], result: tx[2] } : null,
    symptoms: (s as string[] | undefined) ?? [],
  };
}
