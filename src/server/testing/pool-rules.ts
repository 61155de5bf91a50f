/**
 * The pooling rules (kind 'pooling', src/domain/pooling.ts) applied to the lab's specimens: who
 * may be pooled, the declared size, and when a pool's result may be dated (issue 13, item 5).
 */
import { dateOfInstant } from '../../domain/dates.ts';
import {
  decidePool,
  poolingRulesetOn,
  resultTimeProblem,
  type PoolingRuleSet,
} from '../../domain/pooling.ts';
import { contactStatus } from '../cases/store.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, fieldError } from '../errors.ts';
import { ruleSetsOfKind } from '../rulesets.ts';

const todayVn = () => dateOfInstant(Date.now());

async function ruleSetInForce(q: Queryable): Promise<PoolingRuleSet> {
  const rs = poolingRulesetOn(await ruleSetsOfKind<PoolingRuleSet>(q, 'pooling'), todayVn());
  if (!rs) throw new AppError(409, 'conflict', 'Không có quy định gộp mẫu đang có hiệu lực');
  return rs;
}

/**
 * Decides whether the specimens `ids` (in request order) make one pool; 400 naming each
 * specimen that breaks a rule (`<field>.<index>`), else the decision to store with the pool.
 */
export async function admitPool(
  q: Queryable,
  ids: readonly string[],
  declaredSize: number | undefined,
  field: string,
) {
  const rs = await ruleSetInForce(q);
  const rows = await q.query<{
    id: string;
    code: string;
    person_id: string;
    symptoms: boolean;
    reason: string;
    sampled_at: Date | string;
  }>(
    `SELECT s.id, s.code, coalesce(pe.merged_into, pe.id) AS person_id, s.symptoms, o.reason, s.sampled_at
       FROM specimens s JOIN test_orders o ON o.id = s.order_id JOIN persons pe ON pe.id = s.person_id
      WHERE s.id = ANY ($1::uuid[])`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const members = [];
  for (const id of ids) {
    const r = byId.get(id)!;
    const f1 = await contactStatus(q, r.person_id, dateOfInstant(new Date(r.sampled_at).getTime()));
    members.push({
      code: r.code,
      personId: r.person_id,
      symptoms: r.symptoms,
      confirmedF1: f1.confirmedF1,
      reason: r.reason,
    });
  }
  const d = decidePool(rs, members, declaredSize);
  if (!d.ok) {
    const fields = d.refusals.map((x) => ({
      path:
        x.index === null
          ? x.ruleId === 'declared-size'
            ? 'declaredSize'
            : field
          : `${field}.${x.index}`,
      message: x.explanation.vi,
    }));
    throw new AppError(
      400,
      'validation',
      `Không gộp được: ${fields.map((f) => f.message).join('; ')}`,
      fields,
      { ruleSetId: d.ruleSetId, refusals: d.refusals },
    );
  }
  return {
    declaredSize: d.declaredSize,
    decision: { ruleSetId: d.ruleSetId, ruleId: d.ruleId, explanation: d.explanation },
  };
}

/** A pool's result is never earlier than its samples, nor in the future: else 400 on resultedAt. */
export async function checkPoolResultTime(q: Queryable, poolId: string, resultedAt: string) {
  const rs = await ruleSetInForce(q);
  const rows = await q.query<{ sampled_at: Date | string }>(
    `SELECT s.sampled_at FROM pool_members m JOIN specimens s ON s.id = m.specimen_id WHERE m.pool_id = $1`,
    [poolId],
  );
  const problem = resultTimeProblem(
    rs,
    Date.parse(resultedAt),
    rows.map((r) => new Date(r.sampled_at).getTime()),
    Date.now(),
  );
  if (problem) throw fieldError('resultedAt', problem.vi);
}
