/** The care module's rule sets, as data in rule_sets (seeded at start), read through short caches. */
import {
  DEFAULT_FEE_RULESETS,
  DEFAULT_PLACEMENT_RULESETS,
  type FeeRuleSet,
  type PlacementRuleSet,
} from '../../domain/care.ts';
import {
  DEFAULT_DISCHARGE_RULESETS,
  DEFAULT_ELIGIBILITY_RULESETS,
  DEFAULT_WARNING_SIGN_RULESETS,
  type DischargeRuleSet,
  type EligibilityRuleSet,
  type WarningSignRuleSet,
} from '../../domain/care-f0.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { rulesetInForce, type VersionedRuleSet } from '../../domain/rulesets.ts';
import type { F1QuarantineRuleSet } from '../../domain/tracing.ts';
import type { Db } from '../db/index.ts';
import { conflict } from '../errors.ts';
import { formatViDate } from '../../domain/dates.ts';
import { ruleSetCache, type StoredRuleSet } from '../rulesets.ts';

/** Every rule set this module ships (bootstrap seeds them). */
export const CARE_RULESETS = [
  ...DEFAULT_PLACEMENT_RULESETS,
  ...DEFAULT_FEE_RULESETS,
  ...DEFAULT_ELIGIBILITY_RULESETS,
  ...DEFAULT_WARNING_SIGN_RULESETS,
  ...DEFAULT_DISCHARGE_RULESETS,
];

type Cached<T> = T & StoredRuleSet;

export function careRules(db: Db) {
  const placement = ruleSetCache<Cached<PlacementRuleSet>>(db, 'care_placement');
  const fees = ruleSetCache<Cached<FeeRuleSet>>(db, 'quarantine_fees');
  const eligibility = ruleSetCache<Cached<EligibilityRuleSet>>(db, 'f0_home_eligibility');
  const warning = ruleSetCache<Cached<WarningSignRuleSet>>(db, 'f0_warning_signs');
  const discharge = ruleSetCache<Cached<DischargeRuleSet>>(db, 'f0_discharge');
  const quarantine = ruleSetCache<Cached<F1QuarantineRuleSet>>(db, 'f1_quarantine');
  /** The rule set of a kind in force on `date`; 409 when none is (nothing to decide with). */
  const inForce = async <T extends VersionedRuleSet & StoredRuleSet>(
    cache: { get(): Promise<T[]> },
    date: IsoDate,
  ): Promise<T> => {
    const sets = await cache.get();
    const rs = rulesetInForce(sets, sets[0]?.kind ?? '', date);
    if (!rs) throw conflict(`Không có bộ quy tắc nào có hiệu lực ngày ${formatViDate(date)}`);
    return rs;
  };
  return {
    placement: (d: IsoDate) => inForce(placement, d),
    fees: (d: IsoDate) => inForce(fees, d),
    eligibility: (d: IsoDate) => inForce(eligibility, d),
    warning: (d: IsoDate) => inForce(warning, d),
    discharge: (d: IsoDate) => inForce(discharge, d),
    quarantineSets: () => quarantine.get(),
  };
}
export type CareRules = ReturnType<typeof careRules>;
