/**
 * What the dashboard's capacity panel and the scenario comparison need of hospital capacity.
 * The capacity board (issue 11, src/server/care/capacity.ts `capacitySummary(db, scope)`)
 * provides it through `careCapacitySource`; an area without a facility has no figures.
 */
import type { Scope } from '../../domain/access.ts';
import { capacitySummary } from '../care/capacity.ts';
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

/**
 * The care module's maintained facility figures as the dashboard reads them. Oxygen is left out:
 * the board keeps stock and use (days left), not a supply per day.
 */
export const careCapacitySource: CapacitySource = async (db, scope) => {
  const { total } = await capacitySummary(db, scope);
  if (!total.facilities) return null;
  return {
    beds: { total: total.beds.total, occupied: total.beds.occupied },
    icuBeds: total.icu,
    ventilators: total.ventilators,
    oxygenPerDay: null,
    asOf: new Date().toISOString(),
  };
};
