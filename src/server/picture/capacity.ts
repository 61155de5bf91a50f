/**
 * What the dashboard's capacity panel and the scenario comparison need of hospital capacity.
 * The capacity board (issue 11, src/server/care/capacity.ts `capacitySummary(db, scope)`)
 * provides it; until it is merged no source is wired and the panel says "not available".
 * Wiring it is one line in ./index.ts: `capacity: (db, scope) => capacitySummary(db, scope)`.
 */
import type { Scope } from '../../domain/access.ts';
import type { Queryable } from '../db/index.ts';

export interface CapacityFigures {
  beds: {
    total: number;
    occupied: number;
    byTier?: Record<string, { total: number; occupied: number }>;
  };
  icuBeds: { total: number; occupied: number };
  ventilators: { total: number; inUse: number };
  /** Oxygen the province can supply per day, in litres (or cylinders, as the board says). */
  oxygenPerDay: { available: number; unit: string } | null;
  staff?: { doctors: number; nurses: number } | null;
  testKits?: number | null;
  asOf: string;
}

export type CapacitySource = (db: Queryable, scope: Scope) => Promise<CapacityFigures | null>;

/** No capacity board in this build. */
export const noCapacitySource: CapacitySource = async () => null;
