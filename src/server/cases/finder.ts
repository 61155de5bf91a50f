/**
 * Finding F1 and F2 candidates from co-presence. One SQL statement per degree: the traced
 * person's presences in the window, and for each an index range read on presence (place_key,
 * start_at) bounded by the source's window and longest stay; households are joined live from
 * household_members. The pairs are then judged by the pure rules in domain/tracing.ts.
 */
import {
  collectCandidates,
  type Candidate,
  type ContactTracingRuleSet,
  type CoPresence,
  type ContactSource,
} from '../../domain/tracing.ts';
import type { Queryable } from '../db/index.ts';

interface PairRow {
  traced: string;
  place_key: string;
  source: ContactSource;
  label: string | null;
  s: number;
  e: number;
  t_masked: boolean | null;
  t_physical: boolean | null;
  person_id: string;
  o_start: number;
  o_end: number;
  o_masked: boolean | null;
}

const ms = (d: number | string) => Number(d);

function windowsOf(rules: ContactTracingRuleSet) {
  return JSON.stringify(
    Object.entries(rules.sources).map(([source, r]) => ({
      source,
      win_min: r.mode === 'window' ? r.windowMinutes : 0,
      span_h: r.maxSpanHours,
      // the least overlap an overlap-source pair needs (masked); the rules in domain/tracing.ts
      // judge every pair again, this only spares returning pairs that cannot be contacts
      min_masked: r.mode === 'overlap' ? r.minOverlapMaskedMinutes : 0,
    })),
  );
}

/**
 * Everyone co-present with `persons[i]` during [from[i], to[i]], except the traced people
 * themselves, as pairs. Presences of the traced person are clipped to its window.
 */
export async function coPresence(
  q: Queryable,
  traced: { personId: string; from: number; to: number }[],
  rules: ContactTracingRuleSet,
  /**
   * Keep, for each presence of another person, only the traced person who overlapped it most
   * (F2: when several F1 were in the same hotel, the guest is judged through the closest one).
   */
  bestTracedOnly = false,
): Promise<(CoPresence & { tracedPersonId: string })[]> {
  if (traced.length === 0) return [];
  const ids = traced.map((t) => t.personId);
  const froms = traced.map((t) => new Date(t.from).toISOString());
  const tos = traced.map((t) => new Date(t.to).toISOString());
  const rows = await q.query<PairRow>(
    `WITH t AS (
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS t(person_id, s0, e0)
     ), w AS (
       SELECT * FROM jsonb_to_recordset($4::jsonb) AS w(source text, win_min int, span_h int, min_masked int)
     ), f AS (
       SELECT t.person_id AS traced, p.place_key, p.source, p.label, p.masked, p.physical,
              greatest(p.start_at, t.s0) AS s, least(p.end_at, t.e0) AS e
         FROM t CROSS JOIN LATERAL (
           SELECT pr.place_key, pr.source, pr.label, pr.masked, pr.physical,
                  pr.start_at, pr.end_at
             FROM presence pr
            WHERE pr.person_id = t.person_id AND pr.start_at <= t.e0
              AND pr.start_at >= t.s0 - interval '31 days' AND pr.end_at >= t.s0) p
     )
     SELECT * FROM (
     SELECT ${bestTracedOnly ? 'DISTINCT ON (x.person_id, x.place_key, x.o_start)' : ''} * FROM (
     SELECT f.traced, f.place_key, f.source, f.label, extract(epoch FROM f.s) * 1000 AS s,
            extract(epoch FROM f.e) * 1000 AS e, f.masked AS t_masked, f.physical AS t_physical,
            o.person_id, extract(epoch FROM o.start_at) * 1000 AS o_start, extract(epoch FROM o.end_at) * 1000 AS o_end,
            o.masked AS o_masked
       FROM f JOIN w ON w.source = f.source
       CROSS JOIN LATERAL (
         SELECT o.person_id, o.start_at, o.end_at, o.masked FROM presence o
          WHERE o.place_key = f.place_key
            AND o.start_at <= f.e + make_interval(mins => w.win_min)
            AND o.start_at >= f.s - make_interval(mins => w.win_min) - make_interval(hours => w.span_h)
            AND o.end_at >= f.s - make_interval(mins => w.win_min)
            AND o.person_id <> ALL ($1::uuid[])
            AND (w.min_masked = 0 OR f.physical OR f.masked IS FALSE OR o.masked IS FALSE
                 OR least(o.end_at, f.e) - greatest(o.start_at, f.s) >= make_interval(mins => w.min_masked))) o
     ) x ${bestTracedOnly ? 'ORDER BY x.person_id, x.place_key, x.o_start, least(x.o_end, x.e) - greatest(x.o_start, x.s) DESC' : ''}
     ) y
     UNION ALL
     SELECT t.person_id, 'household:' || other.household_id, 'household', h.address, extract(epoch FROM t.s0) * 1000,
            extract(epoch FROM t.e0) * 1000, NULL, NULL, other.person_id, extract(epoch FROM t.s0) * 1000,
            extract(epoch FROM t.e0) * 1000, NULL
       FROM t JOIN household_members me ON me.person_id = t.person_id
       JOIN household_members other ON other.household_id = me.household_id AND other.person_id <> ALL ($1::uuid[])
       JOIN households h ON h.id = me.household_id`,
    [ids, froms, tos, windowsOf(rules)],
  );
  return rows.map((r) => ({
    tracedPersonId: r.traced,
    personId: r.person_id,
    source: r.source,
    placeKey: r.place_key,
    label: r.label,
    traced: { start: ms(r.s), end: ms(r.e), masked: r.t_masked, physical: !!r.t_physical },
    other: { start: ms(r.o_start), end: ms(r.o_end), masked: r.o_masked },
  }));
}

export interface F2Candidate extends Candidate {
  viaPersonId: string;
}

/** F1 candidates of a person over its infectious period. */
export async function findF1(
  q: Queryable,
  personId: string,
  from: number,
  to: number,
  rules: ContactTracingRuleSet,
): Promise<Candidate[]> {
  const pairs = await coPresence(q, [{ personId, from, to }], rules);
  return collectCandidates(pairs, rules);
}

/**
 * F2 candidates: for each F1 (with its window: exposure → quarantine), its own contacts; a person
 * found through several F1 keeps the strongest. The F0 and the F1 themselves are left out.
 */
export async function findF2(
  q: Queryable,
  f0PersonId: string,
  f1: { personId: string; from: number; to: number }[],
  rules: ContactTracingRuleSet,
): Promise<F2Candidate[]> {
  const pairs = await coPresence(q, f1, rules, true);
  const exclude = new Set([f0PersonId, ...f1.map((f) => f.personId)]);
  const byVia = new Map<string, CoPresence[]>();
  for (const p of pairs) {
    if (exclude.has(p.personId)) continue;
    const list = byVia.get(p.tracedPersonId) ?? [];
    list.push(p);
    byVia.set(p.tracedPersonId, list);
  }
  const best = new Map<string, F2Candidate>();
  for (const [via, list] of byVia) {
    for (const c of collectCandidates(list, rules)) {
      const cur = best.get(c.personId);
      if (
        !cur ||
        c.strength > cur.strength ||
        (c.strength === cur.strength && via < cur.viaPersonId)
      )
        best.set(c.personId, { ...c, viaPersonId: via });
    }
  }
  return [...best.values()].sort(
    (a, b) =>
      b.strength - a.strength || (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0),
  );
}
