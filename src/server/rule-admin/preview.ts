/**
 * What a candidate arrival classification would have decided over last week's arrivals (issue 18,
 * item 5). Read in bounded chunks on the entries_province_at index (keyset on at, id), each
 * arrival classified again with the candidate alone, tallied against the decision stored then.
 * Nothing is written: the decisions taken stay as they are.
 */
import { addDays, startOfDayInstant, type IsoDate } from '../../domain/dates.ts';
import { classifyArrival } from '../../domain/entry.ts';
import type { ArrivalAction, ArrivalRuleSet } from '../../domain/rulesets.ts';
import {
  emptyTally,
  previewSentences,
  tallyDecision,
  type PreviewTally,
  type Words,
} from '../../domain/ruleset-words.ts';
import type { Queryable } from '../db/index.ts';
import { allUnitRefs } from '../geo/units.ts';
import { allAreasCached } from '../entry/areas.ts';
import { arrivalInputOf } from '../entry/arrival-input.ts';
import type { DeclarationRow } from '../entry/declarations.ts';

export const PREVIEW_CHUNK = 1000;
/** At most this many arrivals are classified again (a week of a busy province is far fewer). */
export const PREVIEW_CAP = 200_000;

type PreviewRow = Pick<
  DeclarationRow,
  | 'from_province_code'
  | 'from_district_code'
  | 'from_commune_code'
  | 'symptoms'
  | 'vaccination'
  | 'last_test'
> & {
  id: string;
  at: Date | string;
  entry_date: string;
  action: ArrivalAction;
  rapid_test_result: 'negative' | 'positive' | null;
};

/** One chunk of last week's classified arrivals of a province, newest first after (at, id). */
export const previewChunkSql = `
SELECT e.id, e.at, e.entry_date::text AS entry_date, e.action, e.rapid_test_result,
       d.from_province_code, d.from_district_code, d.from_commune_code, d.symptoms, d.vaccination, d.last_test
  FROM (SELECT id, at, entry_date, action, rapid_test_result, declaration_id
          FROM entries
         WHERE province_code = $1 AND at >= $2 AND at < $3 AND (at, id) < ($4, $5)
           AND direction = 'in' AND ruleset_id IS NOT NULL
         ORDER BY at DESC, id DESC
         LIMIT $6) e
  LEFT JOIN declarations d ON d.id = e.declaration_id
 ORDER BY e.at DESC, e.id DESC`;

export interface Preview {
  from: IsoDate;
  to: IsoDate;
  tally: PreviewTally;
  capped: boolean;
  sentences: Words[];
}

/** The candidate over the 7 days before `today`, in the province. */
export async function previewArrivals(
  q: Queryable,
  candidate: ArrivalRuleSet,
  province: string,
  today: IsoDate,
): Promise<Preview> {
  const from = addDays(today, -7);
  const to = addDays(today, -1);
  // The candidate decides every past date: its own validity is not what is asked here.
  const alone = [{ ...candidate, validFrom: '2000-01-01', validTo: null, overrides: false }];
  const [units, areas] = await Promise.all([allUnitRefs(q), allAreasCached(q)]);
  const tally = emptyTally();
  const start = new Date(startOfDayInstant(from)).toISOString();
  let cursor: [string, string] = [
    new Date(startOfDayInstant(today)).toISOString(),
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
  ];
  let capped = false;
  for (;;) {
    const rows = await q.query<PreviewRow>(previewChunkSql, [
      province,
      start,
      new Date(startOfDayInstant(today)).toISOString(),
      cursor[0],
      cursor[1],
      PREVIEW_CHUNK,
    ]);
    for (const r of rows) {
      if (!r.from_province_code) continue; // an arrival is always declared; none: nothing to redo
      const at = new Date(r.at);
      const result = classifyArrival(
        arrivalInputOf(r, at, r.entry_date, r.rapid_test_result, units, areas),
        alone,
      );
      tallyDecision(tally, r.action, result.ok ? result.decision.action : null);
    }
    const last = rows.at(-1);
    if (!last || rows.length < PREVIEW_CHUNK) break;
    if (tally.records >= PREVIEW_CAP) {
      capped = true;
      break;
    }
    cursor = [new Date(last.at).toISOString(), last.id];
  }
  return { from, to, tally, capped, sentences: previewSentences(tally, from, to) };
}
