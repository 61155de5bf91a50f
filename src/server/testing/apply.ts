/**
 * Writing a result and what follows from it, inside the caller's transaction: the specimen and
 * order are closed, a pool retest counts towards its pool, and a positive is judged by the F0
 * definition in force — a case is opened (cases module) or a confirmation PCR ordered, and the
 * commune is told. Every path that writes a result (one by one, pools, uploads, FHIR) ends here.
 */
import { randomInt } from 'node:crypto';
import { dateOfInstant } from '../../domain/dates.ts';
import {
  decideF0,
  poolProgress,
  SPECIMEN_CODE_ALPHABET,
  type F0Decision,
  type ResultValue,
  type TestKind,
} from '../../domain/testing.ts';
import { openCase, contactStatus, epiLink, type CaseFoundBy } from '../cases/store.ts';
import { notifyCommune } from '../cases/notices.ts';
import type { Queryable } from '../db/index.ts';
import type { F0RuleSet } from '../../domain/testing.ts';
import { noteScreening } from '../workplaces/store.ts'; // issue 18 item 4

export const newSpecimenCode = () =>
  'XN' +
  Array.from(
    { length: 10 },
    () => SPECIMEN_CODE_ALPHABET[randomInt(SPECIMEN_CODE_ALPHABET.length)],
  ).join('');

export interface ResultInput {
  personId: string;
  testType: string;
  result: ResultValue;
  sampledAt: string;
  resultedAt: string;
  specimenId?: string | null;
  specimenCode?: string | null;
  orderId?: string | null;
  ctValue?: number | null;
  source: 'manual' | 'import' | 'pool' | 'fhir';
  importId?: string | null;
  naturalKey: string;
  clientId?: string | null;
  siteId: string | null;
  labSiteId: string | null;
  symptomatic?: boolean;
  /** How the case was found, when one is opened. */
  foundBy?: CaseFoundBy;
}

export interface ResultRow {
  id: string;
  person_id: string;
  order_id: string | null;
  specimen_id: string | null;
  specimen_code: string | null;
  test_type: string;
  result: ResultValue;
  ct_value: number | null;
  sampled_at: string | Date;
  resulted_at: string | Date;
  sample_date: string;
  source: string;
  import_id: string | null;
  province_code: string;
  district_code: string;
  commune_code: string;
  site_id: string | null;
  lab_site_id: string | null;
  f0_outcome: string | null;
  f0_ruleset_id: string | null;
  f0_rule_id: string | null;
  f0_explanation: { vi: string; en: string } | null;
  case_id: string | null;
  confirmation_order_id: string | null;
  created_at: string | Date;
}
export const RESULT_COLUMNS = `r.id, r.person_id, r.order_id, r.specimen_id, r.specimen_code, r.test_type, r.result,
  r.ct_value, r.sampled_at, r.resulted_at, r.sample_date::text AS sample_date, r.source, r.import_id, r.province_code,
  r.district_code, r.commune_code, r.site_id, r.lab_site_id, r.f0_outcome, r.f0_ruleset_id, r.f0_rule_id,
  r.f0_explanation, r.case_id, r.confirmation_order_id, r.created_at`;

const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());

export function presentResult(r: ResultRow, extra: Record<string, unknown> = {}) {
  return {
    id: r.id,
    personId: r.person_id,
    orderId: r.order_id,
    specimenId: r.specimen_id,
    specimenCode: r.specimen_code,
    testType: r.test_type,
    result: r.result,
    ctValue: r.ct_value,
    sampledAt: iso(r.sampled_at),
    resultedAt: iso(r.resulted_at),
    sampleDate: r.sample_date,
    source: r.source,
    importId: r.import_id,
    communeCode: r.commune_code,
    siteId: r.site_id,
    labSiteId: r.lab_site_id,
    f0: r.f0_outcome
      ? {
          outcome: r.f0_outcome,
          rulesetId: r.f0_ruleset_id,
          ruleId: r.f0_rule_id,
          explanation: r.f0_explanation,
          caseId: r.case_id,
          confirmationOrderId: r.confirmation_order_id,
        }
      : null,
    createdAt: iso(r.created_at),
    ...extra,
  };
}

/** The person's codes a testing record carries. */
export async function personCodes(q: Queryable, personId: string) {
  const rows = await q.query<{
    province_code: string;
    district_code: string;
    commune_code: string;
  }>(
    'SELECT registered_province_code AS province_code, district_code, commune_code FROM persons WHERE id = $1',
    [personId],
  );
  return rows[0];
}

/**
 * Writes a result unless one with its natural key (or client id) exists; returns it and whether
 * it was new. A new result closes its specimen and order, counts for a pool retest, and a new
 * positive is judged (F0).
 */
export async function writeResult(
  q: Queryable,
  input: ResultInput,
  ctx: { actorId: string | null; rulesets: F0RuleSet[] },
): Promise<{ row: ResultRow; created: boolean }> {
  if (input.clientId) {
    const prior = await q.query<ResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM test_results r WHERE r.client_id = $1`,
      [input.clientId],
    );
    if (prior[0]) return { row: prior[0], created: false };
  }
  const codes = await personCodes(q, input.personId);
  if (!codes) throw new Error(`writeResult: no person ${input.personId}`);
  const inserted = await q.query<ResultRow>(
    `INSERT INTO test_results AS r (person_id, order_id, specimen_id, specimen_code, test_type, result, ct_value,
       sampled_at, resulted_at, sample_date, source, import_id, natural_key, client_id, province_code, district_code,
       commune_code, site_id, lab_site_id, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)
     ON CONFLICT (natural_key) DO NOTHING RETURNING ${RESULT_COLUMNS}`,
    [
      input.personId,
      input.orderId ?? null,
      input.specimenId ?? null,
      input.specimenCode ?? null,
      input.testType,
      input.result,
      input.ctValue ?? null,
      input.sampledAt,
      input.resultedAt,
      dateOfInstant(Date.parse(input.sampledAt)),
      input.source,
      input.importId ?? null,
      input.naturalKey,
      input.clientId ?? null,
      codes.province_code,
      codes.district_code,
      codes.commune_code,
      input.siteId,
      input.labSiteId,
      ctx.actorId,
    ],
  );
  if (!inserted[0]) {
    const prior = await q.query<ResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM test_results r WHERE r.natural_key = $1`,
      [input.naturalKey],
    );
    return { row: prior[0]!, created: false };
  }
  let row = inserted[0];
  if (input.specimenId)
    await q.query(
      `UPDATE specimens SET status = 'resulted' WHERE id = $1 AND status <> 'in_pool'`,
      [input.specimenId],
    );
  if (input.orderId) {
    await q.query(`UPDATE test_orders SET status = 'resulted', updated_at = now() WHERE id = $1`, [
      input.orderId,
    ]);
    await countPoolRetest(q, input.orderId, input.result);
  }
  if (row.result === 'positive') row = await applyF0(q, row, input, ctx);
  // issue 18 item 4: a result reported by a workplace's site is its screening (outbreak flag)
  await noteScreening(q, row.site_id, {
    count: 1,
    positives: row.result === 'positive' ? 1 : 0,
    lastSampleDate: row.sample_date,
  });
  return { row, created: true };
}

/** A retest of a positive pool came back: record the member's outcome and settle the pool. */
async function countPoolRetest(q: Queryable, orderId: string, result: ResultValue) {
  const m = await q.query<{ pool_id: string }>(
    `UPDATE pool_members SET outcome = $2 WHERE retest_order_id = $1 RETURNING pool_id`,
    [orderId, result],
  );
  if (!m[0]) return;
  const members = await q.query<{
    specimen_id: string;
    outcome: ResultValue | null;
    retest_order_id: string | null;
  }>('SELECT specimen_id, outcome, retest_order_id FROM pool_members WHERE pool_id = $1', [
    m[0].pool_id,
  ]);
  const pool = (
    await q.query<{ result: 'positive' | 'negative' | null; resulted_at: string | Date | null }>(
      'SELECT result, resulted_at FROM pools WHERE id = $1',
      [m[0].pool_id],
    )
  )[0]!;
  const progress = poolProgress(
    { result: pool.result, resultedAt: iso(pool.resulted_at) },
    members.map((x) => ({
      specimenId: x.specimen_id,
      outcome: x.outcome,
      retestOrderId: x.retest_order_id,
    })),
    Date.now(),
  );
  await q.query('UPDATE pools SET status = $2 WHERE id = $1', [m[0].pool_id, progress.status]);
}

/** Judges a new positive result by the F0 definition of its sample date and acts on it. */
export async function applyF0(
  q: Queryable,
  row: ResultRow,
  input: Pick<ResultInput, 'symptomatic' | 'foundBy'>,
  ctx: { actorId: string | null; rulesets: F0RuleSet[] },
): Promise<ResultRow> {
  const kind = (
    await q.query<{ kind: TestKind }>('SELECT kind FROM test_types WHERE code = $1', [
      row.test_type,
    ])
  )[0]?.kind;
  if (!kind) return row;
  const sampledAt = new Date(row.sampled_at).toISOString();
  const day = row.sample_date;
  const recent = await q.query<{
    id: string;
    kind: TestKind;
    result: ResultValue;
    sampled_at: Date | string;
  }>(
    `SELECT r.id, t.kind, r.result, r.sampled_at FROM test_results r JOIN test_types t ON t.code = r.test_type
      WHERE r.person_id = $1 AND r.id <> $2 AND r.result = 'positive'
        AND r.sampled_at BETWEEN $3::timestamptz - interval '1 day' AND $3::timestamptz + interval '1 day'`,
    [row.person_id, row.id, sampledAt],
  );
  const f1 = kind === 'rapid' ? await contactStatus(q, row.person_id, day) : { confirmedF1: false };
  const link =
    kind === 'rapid' ? await epiLink(q, row.person_id, day) : { linked: false, reason: null };
  const decision: F0Decision | null = decideF0(
    {
      result: { id: row.id, kind, value: row.result, sampledAt },
      recent: recent.map((r) => ({
        id: r.id,
        kind: r.kind,
        value: r.result,
        sampledAt: new Date(r.sampled_at).toISOString(),
      })),
      confirmedF1: f1.confirmedF1,
      epiLink: link.linked,
      symptomatic: input.symptomatic,
    },
    ctx.rulesets,
  );
  if (!decision) return row;
  const explanation =
    link.linked &&
    link.reason &&
    decision.outcome === 'open_case' &&
    decision.ruleId !== 'pcr-positive'
      ? {
          vi: `${decision.explanation.vi} (${link.reason.vi})`,
          en: `${decision.explanation.en} (${link.reason.en})`,
        }
      : decision.explanation;
  let caseId: string | null = null;
  let confirmationOrderId: string | null = null;
  if (decision.outcome === 'open_case') {
    const c = await openCase(
      q,
      {
        personId: row.person_id,
        positiveSampleAt: sampledAt,
        foundBy: input.foundBy ?? 'community',
        decision: { ruleSetId: decision.rulesetId, ruleId: decision.ruleId, explanation },
        source: { kind: 'test_result', id: row.id },
      },
      ctx.actorId,
    );
    caseId = c.id;
  } else if (decision.outcome === 'order_confirmation') {
    const o = await q.query<{ id: string }>(
      `INSERT INTO test_orders (person_id, test_type, reason, confirms_result_id, province_code, district_code,
         commune_code, site_id, lab_site_id, created_by, note)
       VALUES ($1, 'rt_pcr', 'confirmation', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        row.person_id,
        row.id,
        row.province_code,
        row.district_code,
        row.commune_code,
        row.site_id,
        row.lab_site_id,
        ctx.actorId,
        explanation.vi,
      ],
    );
    confirmationOrderId = o[0]!.id;
    const p = (
      await q.query<{ full_name: string; birth_year: number }>(
        'SELECT full_name, birth_year FROM persons WHERE id = $1',
        [row.person_id],
      )
    )[0]!;
    await notifyCommune(q, {
      communeCode: row.commune_code,
      kind: 'test.positive',
      title: {
        vi: `Test nhanh dương tính: ${p.full_name} (${p.birth_year}) — cần xét nghiệm khẳng định RT-PCR`,
        en: `Positive rapid test: ${p.full_name} (${p.birth_year}) — confirmation RT-PCR needed`,
      },
      refType: 'test_result',
      refId: row.id,
      personId: row.person_id,
    });
  }
  const updated = await q.query<ResultRow>(
    `UPDATE test_results r SET f0_outcome = $2, f0_ruleset_id = $3, f0_rule_id = $4, f0_explanation = $5,
       case_id = $6, confirmation_order_id = $7 WHERE r.id = $1 RETURNING ${RESULT_COLUMNS}`,
    [
      row.id,
      decision.outcome,
      decision.rulesetId,
      decision.ruleId,
      JSON.stringify(explanation),
      caseId,
      confirmationOrderId,
    ],
  );
  return updated[0]!;
}
