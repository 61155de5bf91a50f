import {
  RULESET_TRACING_2021,
  tracingRulesetInForce,
  type ContactTracingRuleSet,
  type F1QuarantineRuleSet,
} from '../../domain/tracing.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { Queryable } from '../db/index.ts';
import { ruleSetsOfKind } from '../rulesets.ts';

/** The tracing windows in force on `date` (kind 'contact_tracing'). */
export async function tracingRules(q: Queryable, date: IsoDate): Promise<ContactTracingRuleSet> {
  const sets = await ruleSetsOfKind<ContactTracingRuleSet>(q, 'contact_tracing');
  return tracingRulesetInForce(sets, date) ?? RULESET_TRACING_2021;
}

/** The F1 quarantine rule sets (kind 'f1_quarantine': the dated versions of RULES.md). */
export async function quarantineRulesets(q: Queryable): Promise<F1QuarantineRuleSet[]> {
  return ruleSetsOfKind<F1QuarantineRuleSet>(q, 'f1_quarantine');
}
