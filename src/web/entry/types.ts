/** The shapes the entry-control endpoints answer with (src/server/entry) and accept. */
import type { Symptom } from '../../domain/declaration.ts';
import type { IdType, Sex } from '../../domain/people.ts';
import type { ArrivalAction } from '../../domain/rulesets.ts';

export type { ArrivalAction };

export interface Bilingual {
  vi: string;
  en: string;
}

export interface DeclarationKey {
  alg: 'Ed25519';
  jwk: JsonWebKey;
  province: string;
}

export interface DeclarationResult {
  id: string;
  code: string;
  qr: string;
  validUntil: string;
}

export interface NationalQrValue {
  idNumber: string;
  name: string;
  birthDate: string | null;
  birthYear: number | null;
  onBehalf: boolean;
  qid: string;
  ext: string;
}

/** The body of POST /api/v1/declarations (and `declaration` of an entry). */
export interface DeclarationBody {
  clientId?: string;
  person: {
    fullName: string;
    birthDate?: string;
    birthYear: number;
    sex: Sex;
    idType?: IdType;
    idNumber?: string;
    phone?: string;
    nationality?: string;
    communeCode: string;
    street?: string;
    workplace?: string;
  };
  onBehalf: boolean;
  declarant?: { fullName: string; phone: string; relation?: string };
  travel: {
    mode: string;
    vehicleNumber?: string;
    seat?: string;
    fromProvinceCode: string;
    fromDistrictCode?: string;
    fromCommuneCode?: string;
    fromPlace?: string;
    toCommuneCode: string;
    toAddress?: string;
    date: string;
  };
  visitedProvinces: string[];
  symptoms: Symptom[];
  exposure: { caseContact: boolean; fromOutbreakArea: boolean; symptomaticContact: boolean };
  vaccination?: { doses: number; vaccine?: string; lastDoseDate?: string };
  lastTest?: { type: 'pcr' | 'rapid'; date: string; result: 'negative' | 'positive' };
  consent: boolean;
}

export interface Classification {
  action: ArrivalAction;
  actionLabel: Bilingual;
  automatic: {
    action: ArrivalAction;
    quarantineDays: number;
    monitoringDays: number;
    testDays: number[];
    testDates: string[];
    testAtCheckpoint: boolean;
    isolate: boolean;
    quarantineEnds: string | null;
    monitoringEnds: string | null;
  };
  rulesetId: string;
  ruleId: string;
  legalBasis: { number: string; date: string; title: string; url?: string } | null;
  confidence: string;
  explanation: Bilingual;
  override: { action: ArrivalAction; reason: string; by: string; at: string } | null;
}

export interface Entry {
  id: string;
  /** Issue 10: 'pending' — a self-made declaration the officer still has to match. */
  registryMatch?: 'linked' | 'pending' | 'confirmed' | 'new' | null;
  declarationCode?: string | null;
  clientId: string;
  siteId: string;
  personId: string;
  declarationId: string | null;
  direction: 'in' | 'out';
  at: string;
  entryDate: string;
  vehicle: { plate: string; type: string | null } | null;
  companions: number;
  destination: { provinceCode: string; communeCode: string; address: string | null } | null;
  fromEpidemicArea: boolean;
  originLevel: number | null;
  rapidTest: { result: string } | null;
  classification: Classification | null;
  person?: { fullName: string; birthYear: number } | null;
  followUpId?: string | null;
  replay?: boolean;
}

export interface EntryBody {
  clientId: string;
  at?: string;
  backdateReason?: string;
  direction: 'in' | 'out';
  qr?: string;
  declarationCode?: string;
  personId?: string;
  idNumber?: string;
  declaration?: Omit<DeclarationBody, 'clientId'>;
  vehicle?: { plate: string; type?: string };
  companions: number;
  destination?: { communeCode: string; address?: string };
  rapidTest?: { result: 'negative' | 'positive' };
}

export type FollowUpStatus = 'open' | 'completed' | 'moved_away';

export interface FollowUp {
  id: string;
  entryId: string | null;
  /** An F1's home quarantine order (issue 11 item 4) rather than an arrival. */
  quarantineOrderId: string | null;
  person: { id: string; fullName?: string; birthYear?: number; phone?: string | null };
  communeCode: string;
  districtCode: string;
  villageId: string | null;
  outOfProvince: boolean;
  action: ArrivalAction;
  actionLabel: Bilingual;
  startDate: string;
  quarantineEnds: string | null;
  monitoringEnds: string;
  testDates: string[];
  testsDone: number;
  status: FollowUpStatus;
  contactedAt: string | null;
  lastCheckAt: string | null;
  nextDue: string | null;
  overdue: boolean;
  dueToday: boolean;
  explanation: Bilingual | null;
}

export interface FollowUpEvent {
  id: string;
  kind: 'contact' | 'daily_check' | 'test' | 'moved_away' | 'completed';
  at: string;
  data: Record<string, unknown>;
}

export interface FollowUpDetail extends FollowUp {
  events: FollowUpEvent[];
}

export type FollowUpEventBody =
  | { kind: 'contact'; clientId: string; at?: string; note?: string }
  | {
      kind: 'daily_check';
      clientId: string;
      at?: string;
      temperature?: number;
      symptoms: Symptom[];
      note?: string;
    }
  | {
      kind: 'test';
      clientId: string;
      at?: string;
      testType: 'pcr' | 'rapid';
      result: 'negative' | 'positive' | 'pending';
    }
  | { kind: 'moved_away'; clientId: string; at?: string; note: string }
  | { kind: 'completed'; clientId: string; at?: string; note?: string };

export const STAT_KEYS = [
  'people_in',
  'people_out',
  'vehicles',
  'from_epidemic_area',
  'rapid_tests',
  'rapid_positive',
  'centralised',
  'home_quarantine',
  'self_monitoring',
] as const;
export type StatKey = (typeof STAT_KEYS)[number];

export type StatRow = Record<StatKey, number> & { siteId: string; siteName: string; day: string };

export interface EntryStats {
  from: string;
  to: string;
  items: StatRow[];
  totals: Record<StatKey, number>;
  summary: { vi: string; en: string };
}

export interface EpidemicArea {
  id: string;
  provinceCode: string;
  districtCode: string | null;
  communeCode: string | null;
  unitCode: string;
  unitName: string | null;
  level: number;
  validFrom: string;
  validTo: string | null;
  note: string | null;
}
