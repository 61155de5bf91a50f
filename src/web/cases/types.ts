/** The shapes the cases and tracing endpoints answer with (src/server/cases). */

export type CasesPermission =
  | 'cases.read'
  | 'cases.write'
  | 'contacts.read'
  | 'contacts.write'
  | 'clusters.read'
  | 'clusters.write'
  | 'venues.read'
  | 'venues.write';

export interface Bi {
  vi: string;
  en: string;
}

export const CASE_STATUSES = [
  'unisolated',
  'home_isolation',
  'facility',
  'hospital',
  'recovered',
  'died',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const FOUND_BY = ['community', 'quarantine', 'entry', 'imported', 'screening'] as const;
export const BASES = [
  'pcr_positive',
  'f1_rapid_positive',
  'suspect_rapid_epi',
  'two_rapid_epi',
] as const;

export interface Case {
  id: string;
  code: string;
  person: {
    id: string;
    fullName: string;
    birthYear: number;
    sex: string;
    phone: string | null;
    idNumber: string | null;
    communeCode: string;
    villageId: string | null;
  };
  responsibleCommune: { code: string; name: string; districtCode: string };
  currentCommune: { code: string; name: string; districtCode: string };
  /** The person's home unit (the case is managed where they are); its name on the detail only. */
  homeUnit: { provinceCode: string; districtCode: string; communeCode: string; name?: string };
  positiveSampleAt: string;
  onsetDate: string | null;
  foundBy: string;
  decision: { ruleSetId: string; ruleId: string; explanation: Bi };
  status: CaseStatus;
  hospitalTier: number | null;
  isolatedAt: string | null;
  closedAt: string | null;
  infectiousPeriod: {
    from: string;
    startDate: string;
    to: string;
    ongoing: boolean;
    basis: 'onset' | 'sample';
    explanation: Bi;
  };
  sourceCase: { id: string; code: string | null } | null;
  cluster: { id: string; name: string | null } | null;
  created?: boolean;
}

export interface CaseEvent {
  id: string;
  kind: string;
  at: string;
  data: Record<string, unknown>;
}

export interface CaseDetail extends Case {
  events: CaseEvent[];
  contactCounts: Record<'f1' | 'f2', { candidate: number; confirmed: number; rejected: number }>;
}

export interface Evidence {
  source: string;
  sourceLabel: Bi;
  placeKey: string;
  place: string | null;
  from: string;
  to: string;
  minutes: number;
  strength: number;
  explanation: Bi;
}

export interface Contact {
  id: string;
  caseId: string;
  caseCode: string;
  degree: 1 | 2;
  label: 'F1' | 'F2';
  person: {
    id: string;
    fullName: string;
    birthYear: number;
    phone: string | null;
    communeCode: string;
    villageId: string | null;
  };
  via: { contactId: string; personId: string | null; fullName: string | null } | null;
  status: 'candidate' | 'confirmed' | 'rejected';
  strength: number;
  strengthLabel: { level: 'high' | 'medium' | 'low' } & Bi;
  sources: string[];
  evidence: Evidence[];
  firstExposureAt: string;
  lastExposureAt: string;
  decision: { reason: string | null; by: string | null; at: string } | null;
  quarantineOrderId: string | null;
}

export interface ContactsAnswer {
  case: Case;
  found: { f1: number; f2: number };
  f1: Contact[];
  f2: Contact[];
  /** Co-present people who are F0 themselves: shown as such, never as candidates. */
  alreadyF0: {
    personId: string;
    fullName: string;
    caseId: string;
    caseCode: string;
    degree: 1 | 2;
    firstExposureAt: string;
    lastExposureAt: string;
  }[];
}

export interface Order {
  id: string;
  contactId: string;
  case: { id: string; code: string };
  person: { id: string; fullName: string; birthYear: number; phone: string | null };
  communeCode: string;
  villageId: string | null;
  kind: 'centralised' | 'home' | 'self_monitoring';
  startDate: string;
  quarantineEnds: string | null;
  monitoringEnds: string;
  testDates: string[];
  testsDone: number;
  nextDue: string | null;
  status: string;
  stage: string;
  overdue: boolean;
  dueToday: boolean;
  reachedAt: string | null;
  quarantinedAt: string | null;
  assignedTo: { userId: string; fullName: string | null } | null;
  assignedTeam: string | null;
  rulesetId: string;
  ruleId: string;
  explanation: Bi;
}

export interface Board {
  today: string;
  commune: string | null;
  counts: {
    toReach: number;
    reached: number;
    quarantined: number;
    tested: number;
    overdue: number;
    dueToday: number;
    open: number;
  };
  items: Order[];
  nextCursor: string | null;
}

export interface GraphNode {
  personId: string;
  fullName: string | null;
  outsideScope: boolean;
  role: 'F0' | 'F1' | 'F2';
  caseId: string | null;
  caseCode: string | null;
  caseStatus: string | null;
  contactStatus: string | null;
  communeCode: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: 'contact' | 'transmission';
  degree: 1 | 2 | null;
  sources: string[];
  sourceLabels: string[];
  date: string;
  status: string | null;
  contactId: string | null;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface Cluster {
  id: string;
  name: string;
  place: string | null;
  communeCode: string;
  communeName: string;
  startDate: string;
  endDate: string | null;
  active: boolean;
  caseCount: number;
}

export interface ClusterDetail extends Cluster {
  cases: {
    id: string;
    code: string;
    status: string;
    personId: string;
    fullName: string;
    positiveDate: string;
  }[];
  countsByDay: { date: string; newCases: number; cumulative: number }[];
  lockdowns: Lockdown[];
}

export interface Lockdown {
  id: string;
  name: string;
  place: string | null;
  unitCodes: string[];
  villageIds: string[];
  communeCode: string | null;
  startDate: string;
  endDate: string | null;
  active: boolean;
  clusterId: string | null;
  residents?: number;
}

export interface Venue {
  id: string;
  name: string;
  kind: string;
  communeCode: string;
  communeName: string | null;
  villageId: string | null;
  address: string | null;
  disabled: boolean;
  qr?: { payload: string; token: string };
}

export interface VenueDetail extends Venue {
  qr: { payload: string; token: string };
  qrSvg: string;
  today: { checkIns: number; checkOuts: number };
  instructions: Bi;
}

export interface Notice {
  id: string;
  kind: string;
  title: Bi;
  ref: { type: string; id: string };
  communeCode: string | null;
  read: boolean;
  createdAt: string;
}

export interface NoticePage {
  items: Notice[];
  unread: number;
  nextCursor: string | null;
}
