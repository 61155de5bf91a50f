import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normaliseLookupCode } from '../../domain/lookup.ts';
import { RESULT_LABELS } from '../../domain/testing.ts';
import { LOOKUP_CLIENT_POLICY, LOOKUP_CODE_POLICY } from '../../domain/throttle.ts';
import { audit } from '../context.ts';
import { fieldError, notFound } from '../errors.ts';
import {
  subjectHash,
  throttleFail,
  throttleRelease,
  throttleReserve,
  throttleWait,
  tooManyAttempts,
  type ThrottleKey,
} from '../security/throttle.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** The specimen a lookup code stands for, with its latest result (one indexed read). */
export const LOOKUP_SQL = `SELECT s.id, s.test_type, t.name_vi, t.name_en, s.sampled_at, r.result, r.resulted_at
  FROM specimens s JOIN test_types t ON t.code = s.test_type
  LEFT JOIN LATERAL (SELECT result, resulted_at FROM test_results x WHERE x.specimen_id = s.id
                      ORDER BY x.resulted_at DESC LIMIT 1) r ON true
 WHERE s.lookup_code = $1`;

/**
 * The citizen's own result. The only secret that reads it is the random lookup code handed to
 * the person at sampling (80 bits; nothing derived from the person or the lab's codes). It
 * travels in the body, never in a URL, so no log holds it. A client that tries wrong codes
 * waits longer and longer; a code looked up too often waits too; every lookup is audited
 * without the code itself.
 */
export async function lookupRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.post(
    '/api/v1/public/results/lookup',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['testing'],
        summary:
          'A citizen reads their own result with the lookup code (20 hex digits) handed over at sampling; the same 404 for any code that is not one; limited per client and per code',
        security: [],
        body: z.object({ code: z.string().max(64) }),
      },
    },
    async (req, reply) => {
      const code = normaliseLookupCode(req.body.code);
      if (!code) throw fieldError('code', 'Mã tra cứu gồm 20 chữ số và chữ A–F');
      const byClient: ThrottleKey = { kind: 'lookup-client', subject: '', client: req.ip };
      const byCode: ThrottleKey = { kind: 'lookup-code', subject: subjectHash(code), client: '' };
      // The client's attempt is taken before the lookup, in one statement under the row's lock
      // (throttleReserve): of 20 wrong codes sent at once only the policy's first 5 are looked up.
      // A code that must wait is answered before anything is counted against the client.
      const wait =
        (await throttleWait(db, byCode)) ||
        (await throttleReserve(db, byClient, LOOKUP_CLIENT_POLICY));
      if (wait > 0) {
        await audit(db, req, {
          action: 'public.results.lookup',
          resourceType: 'specimen',
          outcome: 'denied',
          reason: 'throttled',
          actor: null,
        });
        reply.header('retry-after', String(wait));
        throw tooManyAttempts(wait);
      }
      const r = (
        await db.query<{
          id: string;
          test_type: string;
          name_vi: string;
          name_en: string;
          sampled_at: Date | string;
          result: 'negative' | 'positive' | 'invalid' | null;
          resulted_at: Date | string | null;
        }>(LOOKUP_SQL, [code])
      )[0];
      // Every lookup of a code counts toward that code's limit; a wrong one toward the client's
      // (taken above; a right code gives it back).
      if (r) {
        await throttleRelease(db, byClient, LOOKUP_CLIENT_POLICY);
        await throttleFail(db, byCode, LOOKUP_CODE_POLICY);
      }
      await audit(db, req, {
        action: 'public.results.lookup',
        resourceType: 'specimen',
        resourceId: r?.id ?? null,
        outcome: r ? 'allowed' : 'denied',
        reason: r ? undefined : 'not_found',
        actor: null,
      });
      if (!r) throw notFound('Kết quả với mã tra cứu này');
      return {
        testType: { code: r.test_type, name: { vi: r.name_vi, en: r.name_en } },
        sampledAt: iso(r.sampled_at),
        status: r.result ? 'resulted' : 'pending',
        result: r.result,
        resultLabel: r.result
          ? RESULT_LABELS[r.result]
          : { vi: 'Chưa có kết quả', en: 'No result yet' },
        resultedAt: iso(r.resulted_at),
      };
    },
  );
}
