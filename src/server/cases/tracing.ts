/**
 * Multi-step tracing writes: refresh a case's F1/F2 candidates from co-presence, confirm a
 * contact (quarantine order under the rule set in force + the commune's task + a notice), reject
 * one. Each runs inside the caller's transaction.
 */
import { dateOfInstant, formatViDate } from '../../domain/dates.ts';
import {
  alreadyF0,
  f1Quarantine,
  f2Window,
  infectiousPeriod,
  type Candidate,
} from '../../domain/tracing.ts';
import type { Queryable } from '../db/index.ts';
import { nextDue } from '../entry/followups.ts';
import { closeOrderFollowUp, openOrderFollowUp } from '../care/home-checks.ts';
import { conflict } from '../errors.ts';
import { managingUnitSql } from '../people/store.ts';
import { findF1, findF2 } from './finder.ts';
import { notifyCommune } from './notices.ts';
import { quarantineRulesets, tracingRules } from './rulesets.ts';

/** Contacts and quarantine orders are filed where the contact person is managed (issue 13). */
const M = managingUnitSql('p');

export interface CaseCore {
  id: string;
  person_id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  positive_sample_at: Date | string;
  onset_date: string | null;
  isolated_at: Date | string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Stores candidates in one statement (a lodging F0 can have thousands of F2). */
async function upsert(
  q: Queryable,
  c: CaseCore,
  cands: readonly (Candidate & { viaContactId?: string | null })[],
  degree: 1 | 2,
) {
  for (let at = 0; at < cands.length; at += 1000) {
    const batch = cands.slice(at, at + 1000).map((x) => ({
      person_id: x.personId,
      via: x.viaContactId ?? null,
      strength: x.strength,
      sources: x.sources,
      evidence: x.evidence,
      first_at: iso(x.firstExposureAt),
      last_at: iso(x.lastExposureAt),
    }));
    await q.query(
      `INSERT INTO contacts AS k (case_id, person_id, degree, via_contact_id, strength, sources, evidence, first_exposure_at,
         last_exposure_at, province_code, district_code, commune_code, person_province_code, person_district_code,
         person_commune_code, person_village_id)
       SELECT $1, p.id, $2, b.via, b.strength, ARRAY(SELECT jsonb_array_elements_text(b.sources)), b.evidence, b.first_at,
              b.last_at, $3, $4, $5, ${M.province}, ${M.district}, ${M.commune}, ${M.village}
         FROM jsonb_to_recordset($6::jsonb) AS b(person_id uuid, via uuid, strength int, sources jsonb, evidence jsonb,
                first_at timestamptz, last_at timestamptz)
         JOIN persons p ON p.id = b.person_id
       ON CONFLICT (case_id, person_id) DO UPDATE SET degree = EXCLUDED.degree, via_contact_id = EXCLUDED.via_contact_id,
         strength = EXCLUDED.strength, sources = EXCLUDED.sources, evidence = EXCLUDED.evidence,
         first_exposure_at = EXCLUDED.first_exposure_at, last_exposure_at = EXCLUDED.last_exposure_at, updated_at = now()
       WHERE k.degree >= EXCLUDED.degree`,
      [c.id, degree, c.province_code, c.district_code, c.commune_code, JSON.stringify(batch)],
    );
  }
}

/** A person co-present with the F0 who is an F0 themselves: shown as such, never a candidate. */
export interface AlreadyF0 {
  personId: string;
  fullName: string;
  caseId: string;
  caseCode: string;
  degree: 1 | 2;
  firstExposureAt: string;
  lastExposureAt: string;
}

/** Splits candidates into those who are already F0 (see `alreadyF0`) and the others. */
async function splitAlreadyF0<T extends Candidate>(
  q: Queryable,
  caseId: string,
  cands: readonly T[],
  degree: 1 | 2,
): Promise<{ rest: T[]; f0: AlreadyF0[] }> {
  if (!cands.length) return { rest: [], f0: [] };
  const rows = await q.query<{
    person_id: string;
    id: string;
    code: string;
    closed_at: Date | string | null;
    full_name: string;
  }>(
    `SELECT c.person_id, c.id, c.code, c.closed_at, p.full_name FROM cases c JOIN persons p ON p.id = c.person_id
      WHERE c.person_id = ANY ($1::uuid[]) AND c.id <> $2 ORDER BY c.positive_sample_at DESC`,
    [cands.map((x) => x.personId), caseId],
  );
  const rest: T[] = [];
  const f0: AlreadyF0[] = [];
  for (const x of cands) {
    const mine = rows.filter((r) => r.person_id === x.personId);
    const closed = mine.map((r) => ({
      closedAt: r.closed_at === null ? null : new Date(r.closed_at).getTime(),
    }));
    if (!alreadyF0(closed, x.firstExposureAt)) {
      rest.push(x);
      continue;
    }
    const c = mine.find((r, i) => alreadyF0([closed[i]!], x.firstExposureAt))!;
    f0.push({
      personId: x.personId,
      fullName: c.full_name,
      caseId: c.id,
      caseCode: c.code,
      degree,
      firstExposureAt: iso(x.firstExposureAt),
      lastExposureAt: iso(x.lastExposureAt),
    });
  }
  return { rest, f0 };
}

/**
 * Finds the case's F1 candidates over its infectious period and (depth 2) the F2 candidates of
 * each F1 not rejected, between the F1's first exposure and its quarantine; stores them (a
 * decided contact keeps its decision, its evidence is brought up to date). People who are F0
 * themselves are returned apart (`alreadyF0`) and never stored as candidates.
 */
export async function refreshContacts(
  q: Queryable,
  c: CaseCore,
  depth: 1 | 2,
  now = Date.now(),
): Promise<{ f1: number; f2: number; alreadyF0: AlreadyF0[] }> {
  const sampleDate = dateOfInstant(new Date(c.positive_sample_at).getTime());
  const rules = await tracingRules(q, sampleDate);
  const period = infectiousPeriod({
    onsetDate: c.onset_date,
    positiveSampleDate: sampleDate,
    isolatedAt: c.isolated_at ? new Date(c.isolated_at).getTime() : null,
    now,
    daysBefore: rules.infectiousDaysBefore,
  });
  const split1 = await splitAlreadyF0(
    q,
    c.id,
    await findF1(q, c.person_id, period.start, period.end, rules),
    1,
  );
  const f1 = split1.rest;
  const f0People = new Set(split1.f0.map((x) => x.personId));
  await upsert(q, c, f1, 1);
  // Undecided candidates that the data no longer supports (a check-out shortened a stay, an F1's
  // quarantine began earlier than assumed) are dropped; decided contacts stay.
  const dropF1 = () =>
    q.query(
      `DELETE FROM contacts k WHERE k.case_id = $1 AND k.degree = 1 AND k.status = 'candidate'
          AND NOT (k.person_id = ANY ($2::uuid[]))
          AND NOT EXISTS (SELECT 1 FROM contacts x WHERE x.via_contact_id = k.id)`,
      [c.id, f1.map((x) => x.personId)],
    );
  if (depth < 2) {
    await dropF1();
    return { f1: f1.length, f2: 0, alreadyF0: split1.f0 };
  }
  const rows = await q.query<{
    id: string;
    person_id: string;
    first_exposure_at: Date | string;
    quarantined_at: Date | string | null;
  }>(
    `SELECT k.id, k.person_id, k.first_exposure_at, o.quarantined_at FROM contacts k
       LEFT JOIN quarantine_orders o ON o.contact_id = k.id
      WHERE k.case_id = $1 AND k.degree = 1 AND k.status <> 'rejected'`,
    [c.id],
  );
  const windows: { personId: string; from: number; to: number }[] = [];
  const contactOf = new Map<string, string>();
  for (const r of rows) {
    if (f0People.has(r.person_id)) continue; // a stale candidate row, dropped below
    contactOf.set(r.person_id, r.id);
    const w = f2Window(
      new Date(r.first_exposure_at).getTime(),
      r.quarantined_at ? new Date(r.quarantined_at).getTime() : null,
      now,
    );
    if (w) windows.push({ personId: r.person_id, ...w });
  }
  // A person already an F1 of this case (even one whose window is closed) is not its F2.
  const split2 = await splitAlreadyF0(
    q,
    c.id,
    (await findF2(q, c.person_id, windows, rules)).filter(
      (x) => !contactOf.has(x.personId) && !f0People.has(x.personId),
    ),
    2,
  );
  const f2 = split2.rest;
  await upsert(
    q,
    c,
    f2.map((x) => ({ ...x, viaContactId: contactOf.get(x.viaPersonId) ?? null })),
    2,
  );
  await q.query(
    `DELETE FROM contacts k WHERE k.case_id = $1 AND k.degree = 2 AND k.status = 'candidate'
        AND NOT (k.person_id = ANY ($2::uuid[]))`,
    [c.id, f2.map((x) => x.personId)],
  );
  await dropF1();
  return { f1: f1.length, f2: f2.length, alreadyF0: [...split1.f0, ...split2.f0] };
}

export interface ContactCore {
  id: string;
  case_id: string;
  person_id: string;
  degree: number;
  status: string;
  last_exposure_at: Date | string;
  person_commune_code: string;
  case_code: string;
  full_name: string;
}

/**
 * Confirms a contact. A confirmed F1 gets a quarantine order under the rule set in force on its
 * last exposure (vaccination as self-declared in the latest declaration; recovered = a case of
 * the person closed as recovered), which is also the commune's tracing task; the commune is told.
 */
export async function confirmContact(
  q: Queryable,
  k: ContactCore,
  actorId: string,
  reason: string | null,
): Promise<{ orderId: string | null; explanation: { vi: string; en: string } | null }> {
  // Someone who is an F0 themselves is not confirmed as anyone's F1/F2 (issue 13).
  const own = await q.query<{
    code: string;
    closed_at: Date | string | null;
    first: Date | string;
  }>(
    `SELECT c.code, c.closed_at, k.first_exposure_at AS first FROM contacts k
       JOIN cases c ON c.person_id = k.person_id AND c.id <> k.case_id WHERE k.id = $1`,
    [k.id],
  );
  const f0 = own.find((r) =>
    alreadyF0(
      [{ closedAt: r.closed_at === null ? null : new Date(r.closed_at).getTime() }],
      new Date(r.first).getTime(),
    ),
  );
  if (f0) throw conflict(`${k.full_name} đã là F0 (ca ${f0.code}), không xác nhận là F${k.degree}`);
  await q.query(
    `UPDATE contacts SET status = 'confirmed', decision_reason = $2, decided_by = $3, decided_at = now(), updated_at = now()
      WHERE id = $1`,
    [k.id, reason, actorId],
  );
  let orderId: string | null = null;
  let explanation: { vi: string; en: string } | null = null;
  if (k.degree === 1) {
    const existing = await q.query<{ id: string; explanation: { vi: string; en: string } }>(
      'SELECT id, explanation FROM quarantine_orders WHERE contact_id = $1',
      [k.id],
    );
    if (existing[0]) {
      await q.query(
        `UPDATE quarantine_orders SET status = 'open', updated_at = now() WHERE id = $1 AND status = 'cancelled'`,
        [existing[0].id],
      );
      await openOrderFollowUp(q, existing[0].id); // issue 11 item 4: home → daily checklist
      return { orderId: existing[0].id, explanation: existing[0].explanation };
    }
    const lastExposureDate = dateOfInstant(new Date(k.last_exposure_at).getTime());
    const decl = await q.query<{ vaccination: { doses: number; lastDoseDate?: string } | null }>(
      'SELECT vaccination FROM declarations WHERE person_id = $1 ORDER BY created_at DESC LIMIT 1',
      [k.person_id],
    );
    const rec = await q.query<{ d: string | null }>(
      `SELECT max(((closed_at AT TIME ZONE 'UTC') + interval '7 hours')::date)::text AS d FROM cases
        WHERE person_id = $1 AND status = 'recovered'`,
      [k.person_id],
    );
    const decision = f1Quarantine(await quarantineRulesets(q), {
      lastExposureDate,
      vaccination: decl[0]?.vaccination ?? null,
      recoveredOn: rec[0]?.d ?? null,
    });
    if (decision) {
      explanation = decision.explanation;
      const ins = await q.query<{ id: string }>(
        `INSERT INTO quarantine_orders (contact_id, case_id, person_id, province_code, district_code, commune_code, village_id,
           ruleset_id, rule_id, explanation, kind, start_date, quarantine_ends, monitoring_ends, test_dates, next_due, created_by)
         SELECT $1, $2, p.id, ${M.province}, ${M.district}, ${M.commune}, ${M.village}, $4, $5, $6, $7, $8, $9, $10, $11,
                $12, $13 FROM persons p WHERE p.id = $3 RETURNING id`,
        [
          k.id,
          k.case_id,
          k.person_id,
          decision.rulesetId,
          decision.ruleId,
          JSON.stringify(decision.explanation),
          decision.kind,
          decision.startDate,
          decision.quarantineEnds,
          decision.monitoringEnds,
          decision.testDates,
          nextDue(decision.testDates, 0, decision.monitoringEnds),
          actorId,
        ],
      );
      orderId = ins[0]!.id;
      await openOrderFollowUp(q, orderId); // issue 11 item 4: home → daily checklist
    }
  }
  await notifyCommune(q, {
    communeCode: k.person_commune_code,
    kind: k.degree === 1 ? 'contact.f1' : 'contact.f2',
    title: {
      vi: `${k.degree === 1 ? 'F1' : 'F2'} mới cần liên hệ: ${k.full_name} (tiếp xúc với ca ${k.case_code}, lần cuối ${formatViDate(
        dateOfInstant(new Date(k.last_exposure_at).getTime()),
      )})`,
      en: `New ${k.degree === 1 ? 'F1' : 'F2'} to reach: ${k.full_name} (contact of case ${k.case_code})`,
    },
    refType: orderId ? 'quarantine_order' : 'contact',
    refId: orderId ?? k.id,
    personId: k.person_id,
  });
  return { orderId, explanation };
}

export async function rejectContact(q: Queryable, k: ContactCore, actorId: string, reason: string) {
  await q.query(
    `UPDATE contacts SET status = 'rejected', decision_reason = $2, decided_by = $3, decided_at = now(), updated_at = now()
      WHERE id = $1`,
    [k.id, reason, actorId],
  );
  await q.query(
    `UPDATE quarantine_orders SET status = 'cancelled', next_due = NULL, updated_at = now()
      WHERE contact_id = $1 AND status = 'open'`,
    [k.id],
  );
  await closeOrderFollowUp(q, { contactId: k.id });
}
