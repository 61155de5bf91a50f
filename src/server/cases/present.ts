/** What a case, a contact, a quarantine order may carry in a response (presenters). */
import { dateOfInstant } from '../../domain/dates.ts';
import {
  CASE_STATUS_LABELS,
  FOUND_BY_LABELS,
  infectiousPeriod,
  QUARANTINE_KIND_LABELS,
  strengthLabel,
  type CaseStatus,
  type Evidence,
  type QuarantineKind,
} from '../../domain/tracing.ts';
import type { Place } from '../../domain/access.ts';
import { maskIdentifier } from '../../domain/masking.ts';

export interface CaseRow {
  id: string;
  code: string;
  person_id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  village_id: string | null;
  current_province_code: string;
  current_district_code: string;
  current_commune_code: string;
  home_province_code: string;
  home_district_code: string;
  home_commune_code: string;
  positive_sample_at: Date | string;
  onset_date: string | null;
  found_by: string;
  decision: { ruleSetId: string; ruleId: string; explanation: { vi: string; en: string } };
  source: { kind: string; id?: string };
  status: CaseStatus;
  hospital_tier: number | null;
  facility_site_id: string | null;
  isolated_at: Date | string | null;
  closed_at: Date | string | null;
  source_case_id: string | null;
  source_contact_id: string | null;
  cluster_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  full_name: string;
  birth_year: number;
  sex: string;
  phone: string | null;
  id_number: string | null;
  p_commune_code: string;
  p_village_id: string | null;
  commune_name: string;
  current_commune_name: string;
  source_case_code: string | null;
  cluster_name: string | null;
}

export const CASE_SELECT = `SELECT c.id, c.code, c.person_id, c.province_code, c.district_code, c.commune_code, c.village_id,
  c.current_province_code, c.current_district_code, c.current_commune_code, c.home_province_code, c.home_district_code,
  c.home_commune_code, c.positive_sample_at,
  c.onset_date::text AS onset_date, c.found_by, c.decision, c.source, c.status, c.hospital_tier, c.facility_site_id,
  c.isolated_at, c.closed_at, c.source_case_id, c.source_contact_id, c.cluster_id, c.created_at, c.updated_at,
  p.full_name, p.birth_year, p.sex, p.phone, p.id_number, p.commune_code AS p_commune_code, p.village_id AS p_village_id,
  u.name AS commune_name, cu.name AS current_commune_name, sc.code AS source_case_code, cl.name AS cluster_name
  FROM cases c JOIN persons p ON p.id = c.person_id
  JOIN admin_units u ON u.code = c.commune_code JOIN admin_units cu ON cu.code = c.current_commune_code
  LEFT JOIN cases sc ON sc.id = c.source_case_id LEFT JOIN clusters cl ON cl.id = c.cluster_id`;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function casePlaces(
  c: Pick<
    CaseRow,
    | 'province_code'
    | 'district_code'
    | 'commune_code'
    | 'village_id'
    | 'current_province_code'
    | 'current_district_code'
    | 'current_commune_code'
  >,
): Place[] {
  return [
    {
      provinceCode: c.province_code,
      districtCode: c.district_code,
      communeCode: c.commune_code,
      villageId: c.village_id,
    },
    {
      provinceCode: c.current_province_code,
      districtCode: c.current_district_code,
      communeCode: c.current_commune_code,
    },
  ];
}

export function presentCase(c: CaseRow, now = Date.now(), daysBefore = 2) {
  const sampleMs = new Date(c.positive_sample_at).getTime();
  const period = infectiousPeriod({
    onsetDate: c.onset_date,
    positiveSampleDate: dateOfInstant(sampleMs),
    isolatedAt: c.isolated_at ? new Date(c.isolated_at).getTime() : null,
    now,
    daysBefore,
  });
  return {
    id: c.id,
    code: c.code,
    person: {
      id: c.person_id,
      fullName: c.full_name,
      birthYear: c.birth_year,
      sex: c.sex,
      // Issue 10, item 10: masked in every case answer; whole on the person page (audited).
      phone: maskIdentifier(c.phone),
      idNumber: maskIdentifier(c.id_number),
      communeCode: c.p_commune_code,
      villageId: c.p_village_id,
    },
    responsibleCommune: {
      code: c.commune_code,
      name: c.commune_name,
      districtCode: c.district_code,
    },
    currentCommune: {
      code: c.current_commune_code,
      name: c.current_commune_name,
      districtCode: c.current_district_code,
    },
    // the person's home unit when the case was opened (the case is managed where they are)
    homeUnit: {
      provinceCode: c.home_province_code,
      districtCode: c.home_district_code,
      communeCode: c.home_commune_code,
    },
    positiveSampleAt: iso(c.positive_sample_at)!,
    onsetDate: c.onset_date,
    foundBy: c.found_by,
    foundByLabel: FOUND_BY_LABELS[c.found_by] ?? null,
    decision: c.decision,
    source: c.source,
    status: c.status,
    statusLabel: CASE_STATUS_LABELS[c.status],
    hospitalTier: c.hospital_tier,
    facilitySiteId: c.facility_site_id,
    isolatedAt: iso(c.isolated_at),
    closedAt: iso(c.closed_at),
    infectiousPeriod: {
      from: new Date(period.start).toISOString(),
      startDate: period.startDate,
      to: new Date(period.end).toISOString(),
      ongoing: period.ongoing,
      basis: period.basis,
      explanation: period.explanation,
    },
    sourceCase: c.source_case_id ? { id: c.source_case_id, code: c.source_case_code } : null,
    sourceContactId: c.source_contact_id,
    cluster: c.cluster_id ? { id: c.cluster_id, name: c.cluster_name } : null,
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}

export interface OrderRow {
  id: string;
  contact_id: string;
  case_id: string;
  person_id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  village_id: string | null;
  ruleset_id: string;
  rule_id: string;
  explanation: { vi: string; en: string };
  kind: QuarantineKind;
  start_date: string;
  quarantine_ends: string | null;
  monitoring_ends: string;
  test_dates: string[];
  tests_done: number;
  status: string;
  reached_at: Date | string | null;
  quarantined_at: Date | string | null;
  next_due: string | null;
  assigned_user_id: string | null;
  assigned_team: string | null;
  created_at: Date | string;
  full_name?: string;
  birth_year?: number;
  phone?: string | null;
  case_code?: string;
  assigned_name?: string | null;
}

export const ORDER_SELECT = `SELECT o.id, o.contact_id, o.case_id, o.person_id, o.province_code, o.district_code, o.commune_code,
  o.village_id, o.ruleset_id, o.rule_id, o.explanation, o.kind, o.start_date::text AS start_date,
  o.quarantine_ends::text AS quarantine_ends, o.monitoring_ends::text AS monitoring_ends, o.test_dates::text[] AS test_dates,
  o.tests_done, o.status, o.reached_at, o.quarantined_at, o.next_due::text AS next_due, o.assigned_user_id, o.assigned_team,
  o.created_at, p.full_name, p.birth_year, p.phone, c.code AS case_code, au.full_name AS assigned_name
  FROM quarantine_orders o JOIN persons p ON p.id = o.person_id JOIN cases c ON c.id = o.case_id
  LEFT JOIN users au ON au.id = o.assigned_user_id`;

/** Where a tracing task stands: to reach → reached → quarantined → tested. */
export function orderStage(o: OrderRow) {
  if (o.status !== 'open') return o.status;
  if (o.tests_done > 0) return 'tested';
  if (o.quarantined_at) return 'quarantined';
  if (o.reached_at) return 'reached';
  return 'to_reach';
}

export const STAGE_LABELS: Record<string, { vi: string; en: string }> = {
  to_reach: { vi: 'Cần liên hệ', en: 'To reach' },
  reached: { vi: 'Đã liên hệ', en: 'Reached' },
  quarantined: { vi: 'Đang cách ly', en: 'Quarantined' },
  tested: { vi: 'Đã xét nghiệm', en: 'Tested' },
  completed: { vi: 'Hoàn thành', en: 'Completed' },
  became_case: { vi: 'Đã trở thành F0', en: 'Became a case' },
  cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
};

/** Not reached within a day of the order, or a test / the end past due. */
export function orderOverdue(o: OrderRow, today: string, now = Date.now()): boolean {
  if (o.status !== 'open') return false;
  if (!o.reached_at && now - new Date(o.created_at).getTime() > 24 * 3_600_000) return true;
  return !!o.next_due && o.next_due < today;
}

export function presentOrder(o: OrderRow, today: string) {
  const stage = orderStage(o);
  return {
    id: o.id,
    contactId: o.contact_id,
    case: { id: o.case_id, code: o.case_code },
    person: {
      id: o.person_id,
      fullName: o.full_name,
      birthYear: o.birth_year,
      phone: maskIdentifier(o.phone),
    },
    communeCode: o.commune_code,
    villageId: o.village_id,
    kind: o.kind,
    kindLabel: QUARANTINE_KIND_LABELS[o.kind],
    startDate: o.start_date,
    quarantineEnds: o.quarantine_ends,
    monitoringEnds: o.monitoring_ends,
    testDates: o.test_dates,
    testsDone: o.tests_done,
    nextDue: o.next_due,
    status: o.status,
    stage,
    stageLabel: STAGE_LABELS[stage] ?? null,
    overdue: orderOverdue(o, today),
    dueToday: o.status === 'open' && o.next_due === today,
    reachedAt: iso(o.reached_at),
    quarantinedAt: iso(o.quarantined_at),
    assignedTo: o.assigned_user_id
      ? { userId: o.assigned_user_id, fullName: o.assigned_name ?? null }
      : null,
    assignedTeam: o.assigned_team,
    rulesetId: o.ruleset_id,
    ruleId: o.rule_id,
    explanation: o.explanation,
    createdAt: iso(o.created_at),
  };
}

export interface ContactRow {
  id: string;
  case_id: string;
  person_id: string;
  degree: 1 | 2;
  via_contact_id: string | null;
  status: 'candidate' | 'confirmed' | 'rejected';
  strength: number;
  sources: string[];
  evidence: Evidence[];
  first_exposure_at: Date | string;
  last_exposure_at: Date | string;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Date | string | null;
  province_code: string;
  district_code: string;
  commune_code: string;
  person_province_code: string;
  person_district_code: string;
  person_commune_code: string;
  person_village_id: string | null;
  full_name: string;
  birth_year: number;
  phone: string | null;
  case_code: string;
  via_person_id: string | null;
  via_full_name: string | null;
  order_id: string | null;
}

export const CONTACT_SELECT = `SELECT k.id, k.case_id, k.person_id, k.degree, k.via_contact_id, k.status, k.strength, k.sources,
  k.evidence, k.first_exposure_at, k.last_exposure_at, k.decision_reason, k.decided_by, k.decided_at, k.province_code,
  k.district_code, k.commune_code, k.person_province_code, k.person_district_code, k.person_commune_code,
  k.person_village_id, p.full_name, p.birth_year, p.phone, c.code AS case_code, v.person_id AS via_person_id,
  vp.full_name AS via_full_name, o.id AS order_id
  FROM contacts k JOIN persons p ON p.id = k.person_id JOIN cases c ON c.id = k.case_id
  LEFT JOIN contacts v ON v.id = k.via_contact_id LEFT JOIN persons vp ON vp.id = v.person_id
  LEFT JOIN quarantine_orders o ON o.contact_id = k.id`;

export function contactPlaces(k: ContactRow): Place[] {
  return [
    { provinceCode: k.province_code, districtCode: k.district_code, communeCode: k.commune_code },
    {
      provinceCode: k.person_province_code,
      districtCode: k.person_district_code,
      communeCode: k.person_commune_code,
      villageId: k.person_village_id,
    },
  ];
}

const CONTACT_STATUS_LABELS = {
  candidate: { vi: 'Chờ xác minh', en: 'Candidate' },
  confirmed: { vi: 'Đã xác nhận', en: 'Confirmed' },
  rejected: { vi: 'Đã loại', en: 'Rejected' },
};

export function presentContact(k: ContactRow) {
  return {
    id: k.id,
    caseId: k.case_id,
    caseCode: k.case_code,
    degree: k.degree,
    label: k.degree === 1 ? 'F1' : 'F2',
    person: {
      id: k.person_id,
      fullName: k.full_name,
      birthYear: k.birth_year,
      phone: maskIdentifier(k.phone),
      communeCode: k.person_commune_code,
      villageId: k.person_village_id,
    },
    via: k.via_contact_id
      ? { contactId: k.via_contact_id, personId: k.via_person_id, fullName: k.via_full_name }
      : null,
    status: k.status,
    statusLabel: CONTACT_STATUS_LABELS[k.status],
    strength: k.strength,
    strengthLabel: strengthLabel(k.strength),
    sources: k.sources,
    evidence: k.evidence,
    firstExposureAt: iso(k.first_exposure_at),
    lastExposureAt: iso(k.last_exposure_at),
    decision: k.decided_at
      ? { reason: k.decision_reason, by: k.decided_by, at: iso(k.decided_at) }
      : null,
    quarantineOrderId: k.order_id,
  };
}
