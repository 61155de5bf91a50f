/** The shapes the green-lane endpoints answer with (src/server/greenlane). */
import type { PermitValidity } from '../../domain/greenlane.ts';

export interface Bi {
  vi: string;
  en: string;
}
export interface Route {
  id: string;
  name: string;
  origin: string;
  gateSiteId: string;
  gateName: string | null;
  yardName: string | null;
  checkpointName: string | null;
  toYardMinutes: number;
  toGateMinutes: number;
}
export interface Vehicle {
  id: string;
  plate: string;
  kind: string;
}
export interface Application {
  id: string;
  companyName: string;
  plate: string;
  routeName: string;
  cargo: string;
  windowFrom: string;
  windowTo: string;
  status: 'pending' | 'granted' | 'refused';
  decisionReason: string | null;
  createdAt: string;
  permitId: string | null;
  crew?: { personId: string; fullName: string; role: string }[];
}
export interface Permit {
  id: string;
  plate: string;
  windowFrom: string;
  windowTo: string;
  orderNumber: string;
  lapsesAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
  validity: PermitValidity;
  qr: string;
  png: string;
}
export interface Board {
  gate: { id: string; name: string };
  waiting: number;
  /** item 4: the transit yards on the routes to this gate */
  yards: {
    siteId: string;
    name: string;
    occupied: number;
    capacity: number | null;
    full: boolean;
  }[];
  today: { day: string; arrived: number; cleared: number; averageWaitMinutes: number | null };
  trend: { day: string; arrived: number; cleared: number }[];
  queue: {
    tripId: string;
    plate: string;
    since: string;
    lastPoint: string;
    lastAt: string;
    alert: { reason: Bi } | null;
  }[];
  clearedRecent: { passageId: string; plate: string; at: string; checkMode: string }[];
}
export interface LoopAlert {
  id: string;
  plate: string;
  ruleId: 'leg_overdue' | 'off_route' | 'crew_missing';
  reason: Bi;
  site: { id: string; name: string };
  raisedBy: 'passage' | 'sweep';
  raisedAt: string;
}
