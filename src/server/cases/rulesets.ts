import {
  DEFAULT_TRACING_RULESETS,
  F1_QUARANTINE_RULESETS,
  RULESET_TRACING_2021,
  tracingRulesetInForce,
  type ContactTracingRuleSet,
  type F1QuarantineRuleSet,
} from '../../domain/tracing.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { Queryable } from '../db/index.ts';

/**
 * The tracing rule sets (kind 'contact_tracing': windows per source) and the F1 quarantine rule
 * sets (kind 'f1_quarantine': the dated versions of RULES.md), written at start like the arrival
 * sets: a builtin set already present is left as it is, so an administrator's correction stays.
 */
export async function seedCaseRulesets(db: Queryable): Promise<void> {
  for (const rs of [...DEFAULT_TRACING_RULESETS, ...F1_QUARANTINE_RULESETS]) {
    await db.query(
      `INSERT INTO rule_sets (id, kind, name, legal_basis, valid_from, valid_to, confidence, definition, builtin)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,true) ON CONFLICT (id) DO NOTHING`,
      [
        rs.id,
        rs.kind,
        rs.name,
        JSON.stringify(rs.legalBasis),
        rs.validFrom,
        rs.validTo,
        rs.confidence,
        JSON.stringify(rs),
      ],
    );
  }
}

export async function tracingRules(q: Queryable, date: IsoDate): Promise<ContactTracingRuleSet> {
  const rows = await q.query<{ definition: ContactTracingRuleSet }>(
    "SELECT definition FROM rule_sets WHERE kind = 'contact_tracing' ORDER BY valid_from",
  );
  return (
    tracingRulesetInForce(
      rows.map((r) => r.definition),
      date,
    ) ?? RULESET_TRACING_2021
  );
}

export async function quarantineRulesets(q: Queryable): Promise<F1QuarantineRuleSet[]> {
  const rows = await q.query<{ definition: F1QuarantineRuleSet }>(
    "SELECT definition FROM rule_sets WHERE kind = 'f1_quarantine' ORDER BY valid_from",
  );
  return rows.map((r) => r.definition);
}
