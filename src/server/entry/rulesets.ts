import type { ArrivalRuleSet } from '../../domain/rulesets.ts';
import type { Db } from '../db/index.ts';
import { ruleSetCache } from '../rulesets.ts';

/** The arrival rule sets, read at most once a minute: classification runs on every entry. */
export const arrivalRuleSets = (db: Db) =>
  ruleSetCache<ArrivalRuleSet>(db, 'arrival_classification');
export type ArrivalRuleSets = ReturnType<typeof arrivalRuleSets>;
