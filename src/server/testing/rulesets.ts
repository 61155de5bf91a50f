import type { F0RuleSet } from '../../domain/testing.ts';
import type { Db } from '../db/index.ts';
import { ruleSetCache } from '../rulesets.ts';

/** The F0 definitions (kind 'f0_definition'), read at most once a minute. */
export const f0Cache = (db: Db) => ruleSetCache<F0RuleSet>(db, 'f0_definition');
export type F0Cache = ReturnType<typeof f0Cache>;
