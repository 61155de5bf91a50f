/**
 * Home quarantine → the daily checklist (issue 11 item 4). An F1 quarantine order that says
 * "home" gets a follow-up row in the order's own transaction, so the village/commune team finds
 * the person on the same follow-up list (/theo-doi) as arrivals at home: due a check today,
 * missed one (overdue), symptoms → a test order and an alert (alerts-store.ts homeCheckAlert).
 * When the order ends (completed, became a case, cancelled) the follow-up closes with it.
 */
import { followUpDue, laterDate } from '../../domain/care-home.ts';
import { dateOfInstant } from '../../domain/dates.ts';
import type { Queryable } from '../db/index.ts';

interface HomeOrder {
  id: string;
  start_date: string;
  quarantine_ends: string | null;
  monitoring_ends: string;
  test_dates: string[];
  tests_done: number;
}

/** Opens (or reopens) the follow-up of an open home order; other orders have none. */
export async function openOrderFollowUp(q: Queryable, orderId: string): Promise<void> {
  const o = (
    await q.query<HomeOrder>(
      `SELECT id, start_date::text AS start_date, quarantine_ends::text AS quarantine_ends,
              monitoring_ends::text AS monitoring_ends, test_dates::text[] AS test_dates, tests_done
         FROM quarantine_orders WHERE id = $1 AND kind = 'home' AND status = 'open'`,
      [orderId],
    )
  )[0];
  if (!o) return;
  const today = dateOfInstant(Date.now());
  const checksFrom = laterDate(o.start_date, today);
  const due = followUpDue({
    action: 'home_quarantine',
    testDates: o.test_dates,
    testsDone: o.tests_done,
    monitoringEnds: o.monitoring_ends,
    quarantineEnds: o.quarantine_ends,
    checksFrom,
    lastCheckOn: null,
  });
  await q.query(
    `INSERT INTO follow_ups AS f (quarantine_order_id, person_id, province_code, district_code, commune_code,
       village_id, action, start_date, quarantine_ends, monitoring_ends, test_dates, tests_done, next_due, checks_from)
     SELECT o.id, o.person_id, o.province_code, o.district_code, o.commune_code, o.village_id, 'home_quarantine',
            o.start_date, o.quarantine_ends, o.monitoring_ends, o.test_dates, o.tests_done, $2, $3
       FROM quarantine_orders o WHERE o.id = $1
     ON CONFLICT (quarantine_order_id) DO UPDATE SET status = 'open', next_due = EXCLUDED.next_due,
       checks_from = EXCLUDED.checks_from, updated_at = now()
      WHERE f.status <> 'open'`,
    [o.id, due, checksFrom],
  );
}

/** Closes the open follow-up of the orders named (by order id or by contact id). */
export async function closeOrderFollowUp(
  q: Queryable,
  where: { orderId: string } | { contactId: string },
): Promise<void> {
  const [col, id] = 'orderId' in where ? ['id', where.orderId] : ['contact_id', where.contactId];
  await q.query(
    `UPDATE follow_ups f SET status = 'completed', next_due = NULL, updated_at = now()
       FROM quarantine_orders o
      WHERE o.${col} = $1 AND f.quarantine_order_id = o.id AND f.status = 'open'`,
    [id],
  );
}
