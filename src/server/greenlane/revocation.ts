/**
 * Revoking a green-lane permit (issue 17): the transport authority withdraws a granted permit
 * with a reason (a crew member found positive, the vehicle left the closed loop, a grant made in
 * error). The signed QR cannot be unsigned, so the revocation is a fact beside it: the public
 * verifier, the passages and the checkpoints' offline revocation list read it, and from that
 * instant the vehicle falls back to per-person checks (rule 'revoked').
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { permitValidity } from '../../domain/greenlane.ts';
import { audit, requireActor, requirePermission, type Actor } from '../context.ts';
import type { Db } from '../db/index.ts';
import type { GreenLaneContext } from './index.ts';
import { iso, loadPermit, permitFacts, scopedPermit, type PermitRow } from './store.ts';

/**
 * Revokes once: a second revocation of the same permit changes nothing and answers with the
 * first (its time, reason and author), so a repeated request is harmless.
 */
export async function revokePermit(
  db: Db,
  req: FastifyRequest,
  actor: Actor,
  permit: PermitRow,
  reason: string,
): Promise<{ row: PermitRow; replayed: boolean }> {
  return db.tx(async (q) => {
    const done = await q.query<PermitRow>(
      `UPDATE green_lane_permits SET revoked_at = now(), revoked_reason = $2, revoked_by = $3
        WHERE id = $1 AND revoked_at IS NULL RETURNING *`,
      [permit.id, reason, actor.id],
    );
    if (!done[0]) return { row: (await loadPermit(q, permit.id))!, replayed: true };
    await audit(q, req, {
      action: 'greenlane.decide',
      resourceType: 'green_lane_permit',
      resourceId: permit.id,
      outcome: 'allowed',
      detail: { decision: 'revoke', reason },
    });
    return { row: done[0], replayed: false };
  });
}

export async function revocationRoutes(server: FastifyInstance, ctx: GreenLaneContext) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  app.post(
    '/api/v1/green-lane/permits/:id/revoke',
    {
      preHandler: requirePermission('greenlane.decide'),
      schema: {
        tags: ['green-lane'],
        summary: 'Revoke a granted permit with a reason (once; a repeat answers the first)',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          reason: z
            .string()
            .trim()
            .min(3, 'Thu hồi phải nêu lý do (ít nhất 3 ký tự)')
            .max(1000, 'Lý do tối đa 1.000 ký tự'),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const permit = await scopedPermit(req, req.params.id, 'greenlane.decide', false);
      const r = await revokePermit(db, req, actor, permit, req.body.reason);
      ctx.revocations.clear();
      return reply.status(r.replayed ? 200 : 201).send({
        id: r.row.id,
        replayed: r.replayed,
        revokedAt: iso(r.row.revoked_at),
        revokedReason: r.row.revoked_reason,
        validity: permitValidity(permitFacts(r.row), Date.now()),
      });
    },
  );
}
