/** The shapes the testing endpoints answer with (src/server/testing). */
import type { ImportField } from '../../domain/testing.ts';

export type TestingPermission =
  | 'tests.read'
  | 'tests.order'
  | 'tests.write'
  | 'tests.import'
  | 'tests.stats'
  | 'pools.write'
  | 'labs.manage'
  | 'persons.read'
  | 'cases.read';

export type ResultValue = 'negative' | 'positive' | 'invalid';
export type OrderReasonInput = 'follow_up' | 'contact' | 'screening' | 'workplace' | 'request';
export type OrderReason = OrderReasonInput | 'pool_retest' | 'confirmation' | 'import';
export type OrderStatus = 'ordered' | 'sampled' | 'resulted' | 'cancelled';
export type SpecimenStatus = 'collected' | 'in_pool' | 'awaiting_retest' | 'resulted' | 'rejected';
export type CampaignKind = 'market' | 'bus_station' | 'village' | 'workplace' | 'school' | 'other';

export interface Bilingual {
  vi: string;
  en: string;
}

export interface TestType {
  code: string;
  kind: 'pcr' | 'rapid' | 'other';
  name: Bilingual;
  poolable: boolean;
}

export interface PersonSummary {
  fullName: string;
  birthYear: number;
}

export interface Specimen {
  id: string;
  code: string;
  label: { code: string; qrText: string };
  /** The person's secret for the public result page (issue 10); absent in lists. */
  lookupCode?: string;
  orderId: string;
  personId: string;
  testType: string;
  sampledAt: string;
  sampledBy: string | null;
  samplePlace: string | null;
  status: SpecimenStatus;
  communeCode: string;
  siteId: string | null;
  labSiteId: string | null;
  createdAt: string;
  person?: PersonSummary;
  replay?: boolean;
}

export interface Order {
  id: string;
  personId: string;
  testType: string;
  reason: OrderReason;
  reasonLabel: Bilingual;
  campaignId: string | null;
  poolId: string | null;
  confirmsResultId: string | null;
  status: OrderStatus;
  note: string | null;
  communeCode: string;
  siteId: string | null;
  labSiteId: string | null;
  createdAt: string;
  person?: PersonSummary;
  specimens?: Specimen[];
}

export interface F0Info {
  outcome: 'open_case' | 'order_confirmation' | 'none';
  rulesetId: string | null;
  ruleId: string | null;
  explanation: Bilingual | null;
  caseId: string | null;
  confirmationOrderId: string | null;
}

export interface TestResult {
  id: string;
  personId: string;
  orderId: string | null;
  specimenId: string | null;
  specimenCode: string | null;
  testType: string;
  result: ResultValue;
  ctValue: number | null;
  sampledAt: string;
  resultedAt: string;
  sampleDate: string;
  source: 'manual' | 'import' | 'pool' | 'fhir';
  importId: string | null;
  communeCode: string;
  f0: F0Info | null;
  person?: PersonSummary;
  replay?: boolean;
}

export interface Campaign {
  id: string;
  name: string;
  kind: CampaignKind;
  communeCode: string;
  villageId: string | null;
  startsOn: string;
  endsOn: string | null;
  orders: number;
}

export interface PoolMember {
  position: number;
  specimenId: string;
  specimenCode: string;
  personId: string;
  person: PersonSummary;
  communeCode: string;
  outcome: ResultValue | null;
  retestOrderId: string | null;
  retestStatus: OrderStatus | null;
  overdue: boolean;
}

export type PoolStatus = 'open' | 'negative' | 'awaiting_retests' | 'resolved';

export interface Pool {
  id: string;
  code: string;
  labSiteId: string;
  testType: string;
  size: number;
  status: PoolStatus;
  result: 'negative' | 'positive' | null;
  retestMode: 'same_specimen' | 'new_sample' | null;
  resultedAt: string | null;
  createdAt: string;
  progress: { status: PoolStatus; pending: string[]; overdue: string[]; positives: string[] };
  members: PoolMember[];
  replay?: boolean;
}

export interface PoolListItem {
  id: string;
  code: string;
  labSiteId: string;
  testType: string;
  size: number;
  status: PoolStatus;
  result: 'negative' | 'positive' | null;
  resultedAt: string | null;
  pendingRetests: number;
  createdAt: string;
}

export interface LabLoad {
  siteId: string;
  name: string;
  communeCode: string;
  capacity: { singlePerDay: number; pooledPerDay: number } | null;
  today: { single: number; pooled: number };
  pendingSpecimens: number;
  openPools: number;
  loadRatio: number | null;
}

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';
export type RowStatus = 'accepted' | 'duplicate' | 'rejected';

export interface ImportJob {
  id: string;
  fileName: string;
  status: ImportStatus;
  mapping: Partial<Record<ImportField, string>>;
  progress: { processedRows: number; totalRows: number | null; ratio: number | null };
  counts: {
    accepted: number;
    matched: number;
    createdPersons: number;
    duplicates: number;
    rejected: number;
    positives: number;
  };
  error: string | null;
  siteId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  replay?: boolean;
  message?: string;
}

export interface ImportRowLine {
  row: number;
  status: RowStatus;
  matchedBy: string | null;
  personId: string | null;
  resultId: string | null;
  fullName: string | null;
  message: string | null;
  /** The same in English (issue 16 item 4); the Vietnamese one for rows reported earlier. */
  messageEn?: string | null;
}

export interface ImportDetail extends ImportJob {
  rows: ImportRowLine[];
  nextAfterRow: number | null;
}

export interface MappingInfo {
  uploaderKey: string;
  /** The latest saved mapping. */
  mapping: Partial<Record<ImportField, string>>;
  /** One saved mapping per file layout (issue 16.4), the latest first. */
  mappings: { layout: string; mapping: Partial<Record<ImportField, string>> }[];
  fields: ImportField[];
  defaults: Record<ImportField, string[]>;
}

export interface StatRow {
  day: string;
  testType: string;
  siteId: string | null;
  siteName: string | null;
  communeCode: string;
  communeName: string;
  tests: number;
  positives: number;
  positivity: number | null;
  turnaroundHours: number | null;
}

export interface TestStats {
  from: string;
  to: string;
  totals: {
    tests: number;
    positives: number;
    positivity: number | null;
    turnaroundHours: number | null;
  };
  rows: StatRow[];
  pendingByLab: {
    labSiteId: string;
    name: string;
    pending: number;
    oldestSampledAt: string | null;
  }[];
}

export interface PublicResult {
  testType: { code: string; name: Bilingual };
  sampledAt: string | null;
  status: 'resulted' | 'pending';
  result: ResultValue | null;
  resultLabel: Bilingual;
  resultedAt: string | null;
}

export interface PersonHit {
  id: string;
  fullName: string;
  birthDate: string | null;
  birthYear: number;
  idNumber: string | null;
  phone: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
