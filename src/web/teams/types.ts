/** What the team endpoints answer (src/server/teams). */
export type Bilingual = { vi: string; en: string };
export interface Team {
  id: string;
  name: string;
  communeCode: string;
  villageId: string;
  villageName: string;
  leaderUserId: string | null;
  leaderName: string | null;
  households?: number;
  members?: number | TeamMember[];
}
export interface TeamMember {
  personId: string;
  role: 'leader' | 'member';
  fullName: string;
  birthYear: number;
}
export type TeamTaskKind = 'arrival' | 'home_quarantine' | 'f0_home' | 'unvaccinated';
export interface TeamTask {
  id: string;
  kind: TeamTaskKind;
  label: Bilingual;
  sourceId: string;
  dueOn: string;
  state: 'today' | 'overdue';
  daysOverdue: number;
  householdId: string;
  address: string | null;
  person: { id: string; fullName: string; birthYear: number; phone: string | null };
  lastReadingAt: string | null;
  complete: { url: string | null; step: 'check' | 'test' | 'close' | 'reading' | 'visit' };
}
export interface TaskPage {
  today: string;
  team: { id: string; name: string; villageName: string };
  items: TeamTask[];
  nextCursor: string | null;
}
export interface TeamReport {
  week: { from: string; to: string };
  overdueAsOf: string;
  kinds: { kind: TeamTaskKind; label: Bilingual; done: number; overdue: number }[];
  householdsVisited: number;
}
