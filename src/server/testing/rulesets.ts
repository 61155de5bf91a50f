import { DEFAULT_F0_RULESETS, type F0RuleSet } from '../../domain/testing.ts';
import type { Db, Queryable } from '../db/index.ts';

/** Writes the F0 definitions epiguard ships (kind 'f0_definition'); an edited one is kept. */
export async function seedF0Rulesets(db: Queryable): Promise<void> {
  for (const rs of DEFAULT_F0_RULESETS) {
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

/** The F0 rule sets, read at most once a minute. */
export function f0Cache(db: Db, ttlMs = 60_000) {
  let cached: { at: number; sets: F0RuleSet[] } | null = null;
  return {
    async get(): Promise<F0RuleSet[]> {
      if (cached && Date.now() - cached.at < ttlMs) return cached.sets;
      const rows = await db.query<{ definition: F0RuleSet }>(
        "SELECT definition FROM rule_sets WHERE kind = 'f0_definition' ORDER BY valid_from",
      );
      cached = { at: Date.now(), sets: rows.map((r) => r.definition) };
      return cached.sets;
    },
  };
}
export type F0Cache = ReturnType<typeof f0Cache>;
