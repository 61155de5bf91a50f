/** The shapes the vaccination endpoints answer with (src/server/vaccination). */
import type { ScreeningOutcome, UnvaccinatedReason } from '../../domain/vaccination.ts';

export type VaccinationPermission =
  | 'vaccinations.read'
  | 'vaccinations.write'
  | 'coverage.read'
  | 'certificates.issue'
  | 'vaccines.manage'
  | 'persons.read'
  | 'sites.read'
  | 'villages.read';

export interface Bilingual {
  vi: string;
  en: string;
}

export interface Dose {
  id: string;
  personId: string;
  product: string;
  productName: string;
  lotNumber: string | null;
  doseNumber: number;
  kind: 'primary' | 'booster';
  date: string;
  siteId: string | null;
  roundId: string | null;
  sessionId: string | null;
  vaccinator: string | null;
  rulesetId: string;
  ruleId: string;
  explanation: Bilingual;
  createdAt: string;
}

export interface NextDose {
  kind: 'primary' | 'booster';
  doseNumber: number;
  products: string[];
  earliest: string;
  due: string;
  latest: string | null;
  overdue: boolean;
  daysOverdue: number;
}

export interface VaccinationState {
  status: 'none' | 'partial' | 'primary_complete' | 'boosted';
  dosesGiven: number;
  primaryDoses: number | null;
  primaryCompleteOn: string | null;
  fullyVaccinated: boolean;
  fullyVaccinatedFrom: string | null;
  boosterDoses: number;
  next: NextDose | null;
  rulesetId: string;
  ruleId: string;
  explanation: Bilingual;
}

export interface CertificateSummary {
  id: string;
  uvci: string;
  kind: string;
  issuedAt: string;
  expiresAt: string;
}

export interface PersonVaccinations {
  person: {
    id: string;
    fullName: string;
    birthDate: string | null;
    birthYear: number;
    communeCode: string;
  };
  asOf: string;
  doses: Dose[];
  state: VaccinationState;
  certificates: CertificateSummary[];
}

export interface DoseResult {
  dose: Dose;
  state: VaccinationState;
  replayed: boolean;
}

export interface ScreeningResult {
  id: string;
  outcome: ScreeningOutcome;
  consent: boolean;
  replayed: boolean;
}

export interface DueItem {
  personId: string;
  fullName: string;
  birthYear: number;
  villageId: string | null;
  phone: string | null;
  nextKind: 'primary' | 'booster';
  doseNumber: number;
  earliest: string;
  due: string;
  latest: string | null;
  overdue: boolean;
  daysOverdue: number;
}

export interface DueList {
  commune: string;
  date: string;
  truncated: boolean;
  items: DueItem[];
}

export type AgeGroupId = '12-17' | '18+' | '50+' | '65+';

export interface CoverageCounts {
  atLeastOne: number;
  fullPrimary: number;
  booster: number;
}

export interface CoverageFigure extends CoverageCounts {
  denominator: number | null;
  denominatorSource: 'entered' | 'estimate' | 'none';
  pct: { atLeastOne: number | null; fullPrimary: number | null; booster: number | null };
}

export interface UnitCoverage {
  code: string;
  name: string;
  level: number;
  all: CoverageCounts;
  byAge: Record<AgeGroupId, CoverageFigure>;
}

export interface Coverage {
  unit: { code: string; name: string; level: number };
  asOf: string;
  ageBasis: 'birth_year';
  groups: AgeGroupId[];
  estimateNote: Bilingual;
  total: UnitCoverage;
  districts: UnitCoverage[];
  communes: UnitCoverage[];
}

export interface SupplySummary {
  unit: { code: string; name: string; level: number };
  allocated: number;
  received: number;
  given: number;
  wasted: number;
  givenPctOfReceived: number | null;
  text: { vi: string };
  byProduct: {
    product: string;
    allocated: number;
    received: number;
    given: number;
    wasted: number;
  }[];
}

export interface AefiStats {
  unit: { code: string; name: string };
  items: { product: string; doses: number; common: number; serious: number }[];
  total: { doses: number; common: number; serious: number };
}

export interface UnvaccinatedItem {
  personId: string;
  fullName: string;
  birthDate: string | null;
  birthYear: number;
  age: number;
  sex: string;
  phone: string | null;
  villageId: string | null;
  villageName: string | null;
  reason: UnvaccinatedReason | null;
  reasonLabel: Bilingual | null;
  reasonNote: string | null;
  reasonRecordedOn: string | null;
  flags: { age65: boolean; comorbidity: boolean; priority: boolean };
}

export interface UnvaccinatedList {
  scope: { village: string | null; commune: string | null; name: string };
  asOf: string;
  minAge: number;
  total: number;
  byReason: Record<string, number>;
  items: UnvaccinatedItem[];
}

/** What a certificate prints (and the verifier shows), nothing more. */
export interface Printed {
  name: string;
  nameTransliterated: string;
  dateOfBirth: string | null;
  vaccination: {
    disease: string;
    vaccineType: string;
    product: string;
    manufacturer: string;
    doseNumber: number;
    totalDoses: number;
    date: string;
    country: string;
    issuer: string;
    certificateId: string;
  } | null;
  test: unknown;
  recovery: unknown;
}

export interface IssuedCertificate {
  id: string;
  kind?: 'vaccination' | 'test' | 'recovery';
  uvci: string;
  qr: string;
  png: string;
  issuedAt: string;
  expiresAt: string;
  printed: Printed | null;
  replayed: boolean;
}

export type StepName =
  | 'image'
  | 'prefix'
  | 'base45'
  | 'decompress'
  | 'decode'
  | 'signature'
  | 'schema'
  | 'expiry'
  | 'keyUsage';

export interface VerifyResult {
  valid: boolean;
  steps: Record<StepName, boolean | null>;
  stepLabels: Record<StepName, string>;
  reasons: string[];
  certificate: Printed | null;
  issuedAt: string | null;
  expiresAt: string | null;
  issuerCountry: string | null;
}
