import { DEFAULT_RULESETS, type ArrivalRuleSet } from '../../domain/rulesets.ts';
import type { Db, Queryable } from '../db/index.ts';

/**
 * Rule sets live in the database as data; the ones epiguard ships are written there at start
 * (a builtin set already present is left as it is, so an administrator's correction stays).
 */
export async function seedRulesets(db: Queryable): Promise<void> {
  for (const rs of DEFAULT_RULESETS) {
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

/** The arrival rule sets, read at most once a minute: classification runs on every entry. */
export function rulesetCache(db: Db, ttlMs = 60_000) {
  let cached: { at: number; sets: ArrivalRuleSet[] } | null = null;
  return {
    async get(): Promise<ArrivalRuleSet[]> {
      if (cached && Date.now() - cached.at < ttlMs) return cached.sets;
      const rows = await db.query<{ definition: ArrivalRuleSet }>(
        "SELECT definition FROM rule_sets WHERE kind = 'arrival_classification' ORDER BY valid_from",
      );
      cached = { at: Date.now(), sets: rows.map((r) => r.definition) };
      return cached.sets;
    },
    clear() {
      cached = null;
    },
  };
}
