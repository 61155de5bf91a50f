import { createHash } from 'node:crypto';
import { backoffSeconds, type ThrottlePolicy } from '../../domain/throttle.ts';
import type { Queryable } from '../db/index.ts';
import { AppError } from '../errors.ts';

/**
 * Counts of failed attempts by (kind, subject, client) in the `throttles` table, so that every
 * server process of a province sees the same counts and a restart forgets nothing.
 */
export interface ThrottleKey {
  kind: 'login' | 'lookup-client' | 'lookup-code';
  /** A hash (`subjectHash`) of what was tried: never the typed username or code itself. */
  subject: string;
  /** The client's address ('' where the count is for every client). */
  client: string;
}

/** What the throttle stores for a typed username or code: a hash, not the text. */
export const subjectHash = (text: string) =>
  createHash('sha256').update(text.normalize('NFC')).digest('hex').slice(0, 32);

/** Seconds this key must still wait (0: go ahead). */
export async function throttleWait(q: Queryable, key: ThrottleKey): Promise<number> {
  const rows = await q.query<{ wait: number | string | null }>(
    `SELECT ceil(extract(epoch FROM blocked_until - now())) AS wait FROM throttles
      WHERE kind = $1 AND subject = $2 AND client = $3 AND blocked_until > now()`,
    [key.kind, key.subject, key.client],
  );
  return rows[0] ? Math.max(1, Number(rows[0].wait)) : 0;
}

/** One more failure: counts it (forgetting failures older than the window) and sets the delay. */
export async function throttleFail(
  q: Queryable,
  key: ThrottleKey,
  policy: ThrottlePolicy,
): Promise<number> {
  const rows = await q.query<{ failures: number }>(
    `INSERT INTO throttles AS t (kind, subject, client, failures) VALUES ($1, $2, $3, 1)
     ON CONFLICT (kind, subject, client) DO UPDATE SET
       failures = CASE WHEN t.updated_at < now() - make_interval(secs => $4) THEN 1 ELSE t.failures + 1 END,
       updated_at = now()
     RETURNING failures`,
    [key.kind, key.subject, key.client, policy.windowSeconds],
  );
  const wait = backoffSeconds(rows[0]!.failures, policy);
  if (wait > 0)
    await q.query(
      `UPDATE throttles SET blocked_until = now() + make_interval(secs => $4)
        WHERE kind = $1 AND subject = $2 AND client = $3`,
      [key.kind, key.subject, key.client, wait],
    );
  // Old counts go: the table holds the last days' attempts only.
  await q.query(`DELETE FROM throttles WHERE updated_at < now() - interval '2 days'`);
  return wait;
}

/**
 * Issue 10, item 6: takes one attempt for this key BEFORE the slow check (a password), counted
 * as a failure until a success resets it. One statement counts it and, from the policy's
 * `free`-th attempt, sets the delay, under the row's lock: of N requests arriving together only
 * those the policy still allows get through (a read-then-write would let all N check the
 * password). Answers the seconds to wait (0: this attempt may go ahead).
 */
export async function throttleReserve(
  q: Queryable,
  key: ThrottleKey,
  policy: ThrottlePolicy,
): Promise<number> {
  // The delays of the domain rule, by steps past `free`: the SQL picks one, it does not re-derive it.
  const delays = Array.from({ length: 31 }, (_, i) => backoffSeconds(policy.free + i, policy));
  const count = `CASE WHEN t.updated_at < now() - make_interval(secs => $4) THEN 1 ELSE t.failures + 1 END`;
  const until = (n: string) =>
    `CASE WHEN ${n} >= $5 THEN now() + make_interval(secs => ($6::int[])[least(${n} - $5, 30) + 1]) END`;
  const rows = await q.query<{ failures: number }>(
    `INSERT INTO throttles AS t (kind, subject, client, failures, blocked_until)
     VALUES ($1, $2, $3, 1, ${until('1')})
     ON CONFLICT (kind, subject, client) DO UPDATE SET
       failures = ${count}, blocked_until = ${until(count)}, updated_at = now()
     WHERE t.blocked_until IS NULL OR t.blocked_until <= now()
     RETURNING failures`,
    [key.kind, key.subject, key.client, policy.windowSeconds, policy.free, delays],
  );
  if (rows.length) {
    await q.query(`DELETE FROM throttles WHERE updated_at < now() - interval '2 days'`);
    return 0;
  }
  // The row was held back: nothing was counted, the attempt waits.
  return Math.max(1, await throttleWait(q, key));
}

/**
 * Gives back an attempt `throttleReserve` took that turned out not to count against this key
 * (a result lookup with a right code counts against the code, not the client): one failure
 * less, and no delay while the count is again below the policy's `free`.
 */
export async function throttleRelease(
  q: Queryable,
  key: ThrottleKey,
  policy: ThrottlePolicy,
): Promise<void> {
  await q.query(
    `UPDATE throttles SET failures = greatest(failures - 1, 0),
            blocked_until = CASE WHEN failures - 1 >= $4 THEN blocked_until END
      WHERE kind = $1 AND subject = $2 AND client = $3`,
    [key.kind, key.subject, key.client, policy.free],
  );
}

/** A success: the key starts again from zero. */
export async function throttleReset(q: Queryable, key: ThrottleKey): Promise<void> {
  await q.query('DELETE FROM throttles WHERE kind = $1 AND subject = $2 AND client = $3', [
    key.kind,
    key.subject,
    key.client,
  ]);
}

/** The answer while a key waits: 429 with Retry-After, the same whatever was tried. */
export function tooManyAttempts(waitSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(waitSeconds / 60));
  return new AppError(
    429,
    'too_many_attempts',
    `Thử quá nhiều lần; thử lại sau ${minutes} phút`,
    undefined,
    { retryAfter: waitSeconds },
  );
}
