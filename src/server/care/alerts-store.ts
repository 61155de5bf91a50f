/**
 * Alerts: opened by a reading that crosses a warning sign, by a missed reading, or by symptoms
 * at a home-quarantine check (with a test order); closed by a transfer up a tier, by "no bed"
 * or with a reason. Every open and close changes the commune's maintained counts in the same
 * transaction.
 */
import type { Words } from '../../domain/care.ts';
import { SYMPTOM_WORDS } from '../../domain/entry.ts';
import type { Queryable } from '../db/index.ts';
import { bumpAlerts, type PlaceRow } from './common.ts';

export interface AlertInput extends PlaceRow {
  kind: 'warning_sign' | 'missed_monitoring' | 'home_check_symptoms';
  personId: string;
  treatmentId?: string | null;
  followUpId?: string | null;
  readingId?: string | null;
  testOrderId?: string | null;
  ageYears: number | null;
  rulesetId: string;
  ruleId: string;
  explanation: Words;
}

export async function openAlert(q: Queryable, a: AlertInput): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO care_alerts (kind, person_id, treatment_id, follow_up_id, reading_id, test_order_id, province_code,
       district_code, commune_code, village_id, age_years, ruleset_id, rule_id, explanation)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING id`,
    [
      a.kind,
      a.personId,
      a.treatmentId ?? null,
      a.followUpId ?? null,
      a.readingId ?? null,
      a.testOrderId ?? null,
      a.province_code,
      a.district_code,
      a.commune_code,
      a.village_id ?? null,
      a.ageYears,
      a.rulesetId,
      a.ruleId,
      JSON.stringify(a.explanation),
    ],
  );
  if (a.treatmentId)
    await q.query('UPDATE care_treatments SET open_alerts = open_alerts + 1 WHERE id = $1', [
      a.treatmentId,
    ]);
  await bumpAlerts(q, a, a.ageYears, 1);
  return r[0]!.id;
}

/** Closes open alerts (one, or all of a treatment's); returns how many closed. */
export async function closeAlerts(
  q: Queryable,
  where: { id: string } | { treatmentId: string; kind?: 'missed_monitoring' },
  resolution: 'transferred' | 'no_bed' | 'closed',
  reason: string | null,
  actorId: string | null,
): Promise<number> {
  const params: unknown[] = [resolution, reason, actorId];
  let sql: string;
  if ('id' in where) {
    params.push(where.id);
    sql = `id = $4`;
  } else {
    params.push(where.treatmentId);
    sql = `treatment_id = $4${where.kind ? ` AND kind = 'missed_monitoring'` : ''}`;
  }
  const closed = await q.query<
    PlaceRow & { treatment_id: string | null; age_years: number | null }
  >(
    `UPDATE care_alerts SET status = 'closed', closed_at = now(), resolution = $1, close_reason = $2, closed_by = $3
      WHERE ${sql} AND status = 'open'
      RETURNING province_code, district_code, commune_code, treatment_id, age_years`,
    params,
  );
  for (const c of closed) {
    if (c.treatment_id)
      await q.query('UPDATE care_treatments SET open_alerts = open_alerts - 1 WHERE id = $1', [
        c.treatment_id,
      ]);
    await bumpAlerts(q, c, c.age_years, -1);
  }
  return closed.length;
}

/**
 * Every active treatment whose reading is overdue (none within the rule set's hours) gets one
 * open "missed monitoring" alert — set-wise, one statement per step, off the request path.
 */
export async function raiseMissedReadings(q: Queryable, now = new Date()): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO care_alerts (kind, person_id, treatment_id, province_code, district_code, commune_code, village_id,
         age_years, ruleset_id, rule_id, explanation)
       SELECT 'missed_monitoring', t.person_id, t.id, t.province_code, t.district_code, t.commune_code, t.village_id,
              t.age_years, t.ruleset_id, 'missed_reading',
              jsonb_build_object('vi', 'Quá hạn theo dõi: chưa có số đo từ ' || to_char(t.next_reading_due AT TIME ZONE 'Asia/Ho_Chi_Minh', 'HH24:MI DD/MM/YYYY'),
                                 'en', 'Monitoring missed: no reading since ' || to_char(t.next_reading_due AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD HH24:MI'))
         FROM care_treatments t
        WHERE t.status = 'active' AND t.next_reading_due < $1
          AND NOT EXISTS (SELECT 1 FROM care_alerts x WHERE x.treatment_id = t.id AND x.status = 'open' AND x.kind = 'missed_monitoring')
       ON CONFLICT DO NOTHING
       RETURNING treatment_id, province_code, district_code, commune_code, age_years),
     t AS (UPDATE care_treatments c SET open_alerts = c.open_alerts + 1 FROM ins WHERE c.id = ins.treatment_id RETURNING c.id),
     cnt AS (
       INSERT INTO care_commune_counts (commune_code, district_code, province_code, open_alerts, open_alerts_child, open_alerts_elderly)
       SELECT commune_code, min(district_code), min(province_code), count(*)::int,
              count(*) FILTER (WHERE age_years < 16)::int, count(*) FILTER (WHERE age_years >= 65)::int
         FROM ins GROUP BY commune_code
       ON CONFLICT (commune_code) DO UPDATE SET open_alerts = care_commune_counts.open_alerts + EXCLUDED.open_alerts,
         open_alerts_child = care_commune_counts.open_alerts_child + EXCLUDED.open_alerts_child,
         open_alerts_elderly = care_commune_counts.open_alerts_elderly + EXCLUDED.open_alerts_elderly
       RETURNING 1)
     SELECT (SELECT count(*)::int FROM ins) AS n`,
    [now.toISOString()],
  );
  return rows[0]?.n ?? 0;
}

/**
 * A home-quarantine check that reports symptoms (issue 13 item 3): a test order in the testing
 * module (RT-PCR, tested singly) and an alert to the commune, both in the check's transaction.
 * The decision is the follow-up's own rule set's (the arrival's, or the F1 order's): people with
 * symptoms are tested.
 */
export async function homeCheckAlert(
  q: Queryable,
  f: PlaceRow & {
    id: string;
    person_id: string;
    entry_id: string | null;
    quarantine_order_id: string | null;
  },
  symptoms: readonly string[],
  actorId: string,
): Promise<{ alertId: string; testOrderId: string }> {
  const words = symptoms.map((s) => SYMPTOM_WORDS[s] ?? { vi: s, en: s });
  const ctx = (
    await q.query<{ ruleset_id: string | null; birth_year: number }>(
      `SELECT coalesce(e.decision->>'rulesetId', qo.ruleset_id) AS ruleset_id, p.birth_year FROM persons p
         LEFT JOIN entries e ON e.id = $1 LEFT JOIN quarantine_orders qo ON qo.id = $3 WHERE p.id = $2`,
      [f.entry_id, f.person_id, f.quarantine_order_id],
    )
  )[0];
  const order = (
    await q.query<{ id: string }>(
      `INSERT INTO test_orders (person_id, test_type, reason, note, province_code, district_code, commune_code, created_by)
       VALUES ($1, 'rt_pcr', 'follow_up', $2, $3, $4, $5, $6) RETURNING id`,
      [
        f.person_id,
        `Có triệu chứng khi theo dõi tại nhà: ${words.map((w) => w.vi).join(', ')}`,
        f.province_code,
        f.district_code,
        f.commune_code,
        actorId,
      ],
    )
  )[0]!;
  const alertId = await openAlert(q, {
    ...f,
    kind: 'home_check_symptoms',
    personId: f.person_id,
    followUpId: f.id,
    testOrderId: order.id,
    ageYears: ctx ? new Date().getUTCFullYear() - ctx.birth_year : null,
    rulesetId: ctx?.ruleset_id ?? 'follow-up',
    ruleId: 'symptoms_at_home_check',
    explanation: {
      vi: `Có triệu chứng khi kiểm tra tại nhà: ${words.map((w) => w.vi).join(', ')} → chỉ định xét nghiệm RT-PCR (làm đơn, không gộp mẫu)`,
      en: `Symptoms at the home check: ${words.map((w) => w.en).join(', ')} → RT-PCR test ordered (single, not pooled)`,
    },
  });
  return { alertId, testOrderId: order.id };
}
