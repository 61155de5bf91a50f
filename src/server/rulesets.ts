import type { LegalBasis } from '../domain/rulesets.ts';
import { DEFAULT_VIOLATION_TYPES } from '../domain/enforcement.ts'; // issue 18
import { DEFAULT_SUPPLY_CATALOGUE } from '../domain/supplies.ts'; // issue 18
import { DEFAULT_WORKPLACE_SAFETY } from '../domain/workplaces.ts'; // issue 18 item 4
import type { Db, Queryable } from './db/index.ts';

/** What every rule set has, whatever its kind (see src/domain/rulesets.ts). */
export interface StoredRuleSet {
  id: string;
  kind: string;
  name: string;
  legalBasis: LegalBasis;
  validFrom: string;
  validTo: string | null;
  confidence: 'sure' | 'reconstructed';
}

/**
 * Rule sets live in the database as data; the ones epiguard ships are written there at start
 * (a builtin set already present is left as it is, so an administrator's correction stays).
 */
export async function seedRuleSets(q: Queryable, sets: readonly StoredRuleSet[]): Promise<void> {
  for (const rs of sets) {
    await q.query(
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

/** Every rule set of `kind`, oldest first. */
export async function ruleSetsOfKind<T extends StoredRuleSet>(
  q: Queryable,
  kind: T['kind'],
): Promise<T[]> {
  const rows = await q.query<{ definition: T }>(
    'SELECT definition FROM rule_sets WHERE kind = $1 ORDER BY valid_from',
    [kind],
  );
  return rows.map((r) => r.definition);
}

/** Bumped when an administrator saves a version (issue 18): every cache of this server re-reads. */
const generations = new WeakMap<object, number>();
export function ruleSetsChanged(db: Db): void {
  generations.set(db, (generations.get(db) ?? 0) + 1);
}

/**
 * The rule sets of `kind`, read at most once a `ttlMs` (and again at once after a version is saved
 * through this server): hot paths (classification on every entry,
 * every result of an upload) decide with them.
 */
export function ruleSetCache<T extends StoredRuleSet>(db: Db, kind: T['kind'], ttlMs = 60_000) {
  let cached: { at: number; generation: number; sets: T[] } | null = null;
  return {
    async get(): Promise<T[]> {
      const generation = generations.get(db) ?? 0;
      if (cached && cached.generation === generation && Date.now() - cached.at < ttlMs)
        return cached.sets;
      cached = { at: Date.now(), generation, sets: await ruleSetsOfKind<T>(db, kind) };
      return cached.sets;
    },
    clear() {
      cached = null;
    },
  };
}
export type RuleSetCache<T extends StoredRuleSet> = ReturnType<typeof ruleSetCache<T>>;

// --- issue 18 (supplies, enforcement): two catalogue kinds, seeded at start, each with the
// validator a new version must pass (field problems: [{path, message}]).
export const ISSUE_18_RULESETS: StoredRuleSet[] = [
  DEFAULT_SUPPLY_CATALOGUE,
  DEFAULT_VIOLATION_TYPES,
  // issue 18 item 4: the workplace COVID-safety criteria, levels, intervals and outbreak rule
  // (administered through rule-admin: kind 'workplace_safety' in RULE_SET_KINDS)
  DEFAULT_WORKPLACE_SAFETY,
];
// --- end issue 18 ---
