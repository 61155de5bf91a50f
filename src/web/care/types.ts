/** Shapes the care pages read from the API (see src/server/care/). */
export interface Facility {
  id: string;
  siteId: string;
  kind: string;
  name: string;
  districtCode: string;
  beds: { total: number; occupied: number; free: number };
  oxygenBeds: { total: number; occupied: number };
  icu: { total: number; occupied: number };
  ventilators: { total: number; inUse: number };
  oxygen: {
    cylinders: number;
    concentrators: number;
    liquidLitres: number;
    useLitresPerDay: number;
    daysLeft: number | null;
  };
  staffOnDuty: number;
}
export interface Cohort {
  kind: 'f0' | 'case' | 'batch' | 'person';
  label: string | null;
}
export interface Room {
  id: string;
  name: string;
  beds: number;
  occupied: number;
  free: { ordinary: number; oxygen: number; icu: number };
  cohort: Cohort | null;
  firstAdmittedOn: string | null;
}
export interface FacilityDetail extends Facility {
  today: { testsDue: number; releasesDue: number; admitted: number };
  cohorts: {
    cohortKey: string;
    cohort: Cohort;
    rooms: number;
    people: number;
    firstAdmittedOn: string | null;
  }[];
  rooms: Room[];
  roomsNextCursor: string | null;
}
export interface Admission {
  id: string;
  person: { id: string; fullName: string; birthYear: number };
  room: { id: string; name: string; bed: string | null } | null;
  purpose: string;
  isF0: boolean;
  status: string;
  admittedOn: string;
  releaseOn: string | null;
  testDueToday: boolean;
  releaseDue: boolean;
  placement: { vi: string; en: string };
}
export interface Waiting {
  orderId: string;
  person: { id: string; fullName: string; birthYear: number };
  caseId: string;
  caseCode: string;
  startDate: string;
  quarantineEnds: string | null;
}
