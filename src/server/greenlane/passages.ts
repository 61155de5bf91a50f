import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LOOP_POINTS, normalisePlate, type LoopPoint } from '../../domain/greenlane.ts';
import {
  audit,
  AUDIT_COLUMNS,
  AUDIT_FIELDS,
  auditPlaceholders,
  auditValues,
  requireActor,
  requirePermission,
} from '../context.ts';
import { GroupCommit } from '../group-commit.ts';
import { AppError, fieldError } from '../errors.ts';
import { denyBodyId } from '../scoped-ids.ts';
import { recordPassage } from './commands.ts';
import type { GreenLaneContext } from './index.ts';
import {
  iso,
  loadCrew,
  latestNegativeTests,
  loadSite,
  type PermitRow,
  type VehicleRow,
} from './store.ts';
import { verifyPermit } from './token.ts';

const TAG = 'green-lane';
const REFUSED = {
  vi: 'Mã QR không hợp lệ hoặc đã bị sửa: không phải giấy luồng xanh do tỉnh cấp',
  en: 'The QR is invalid or has been altered: not a green-lane permit issued by the province',
};
const SITE_POINTS: Record<string, LoopPoint[]> = {
  checkpoint: ['first_checkpoint', 'out'],
  transit_yard: ['yard'],
  border_gate: ['gate', 'out'],
  border_post: ['first_checkpoint', 'out'],
};

/** Verification audit rows that may wait unwritten before answers wait for them. */
const VERIFY_AUDIT_BEHIND = 2_000;

/** Passages at sites, the public verifier, its keys and the revocation list. */
export async function passageRoutes(server: FastifyInstance, ctx: GreenLaneContext) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  // Every verification is audited; at a busy gate they commit together (one INSERT a batch),
  // written behind the answer (see the handler).
  const verifyAudit = new GroupCommit<unknown[], null>({
    write: async (rows) => {
      const n = AUDIT_FIELDS.length;
      const values = rows.map((_, i) => `(${auditPlaceholders(1 + i * n)})`).join(', ');
      await db.query(`INSERT INTO audit_events (${AUDIT_COLUMNS}) VALUES ${values}`, rows.flat());
      return rows.map(() => null);
    },
  });

  const unwritten = new Set<Promise<null>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...unwritten]);
  });

  app.post(
    '/api/v1/public/green-lane/verify',
    {
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: [TAG],
        security: [],
        summary: 'Public: is this green-lane QR valid now, and if not why',
        description:
          'Returns {valid, status: valid|not_yet|lapsed|refused, ruleId, ruleSetId, reason{vi,en}, plate, windowFrom, windowTo, lapsesAt}; a QR whose signature does not verify is refused and reveals nothing.',
        body: z.object({ qr: z.string().min(1).max(2000) }),
      },
    },
    async (req) => {
      const revoked = await ctx.revocations.get();
      const r = verifyPermit(
        req.body.qr,
        await ctx.trust.get(),
        Date.now(),
        (id) => revoked.get(id) ?? null,
      );
      // issue 17 (verification rate): the answer does not wait for its audit row's commit — a
      // public, read-only check that returns no personal data — the row follows within the
      // batch window; waiting for it held each answer for a database round trip (354/s). Past
      // VERIFY_AUDIT_BEHIND rows queued, answers wait again, so the queue stays bounded.
      const written = verifyAudit.submit(
        auditValues(req, {
          action: 'greenlane.verify',
          resourceType: 'green_lane_permit',
          resourceId: r.ok ? r.claims.permitId : null,
          outcome: r.ok ? 'allowed' : 'denied',
          reason: r.ok ? r.validity.ruleId : r.problem,
        }),
      );
      unwritten.add(written);
      written
        .catch((err) => req.log.error({ err }, 'verification audit row not written'))
        .finally(() => unwritten.delete(written));
      if (verifyAudit.pending > VERIFY_AUDIT_BEHIND) await written;
      if (!r.ok)
        return {
          valid: false,
          status: 'refused',
          ruleId: r.problem,
          ruleSetId: null,
          reason: REFUSED,
        };
      return {
        valid: r.validity.valid,
        status: r.validity.status,
        ruleId: r.validity.ruleId,
        ruleSetId: r.validity.ruleSetId,
        reason: r.validity.reason,
        plate: r.claims.plate,
        windowFrom: r.claims.windowFrom,
        windowTo: r.claims.windowTo,
        lapsesAt: r.validity.lapsesAt,
      };
    },
  );

  app.get(
    '/api/v1/public/green-lane/keys',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: [TAG],
        security: [],
        summary: 'Public keys that sign permits, for checkpoints verifying offline',
        description:
          'Returns {keys[{kid (base64), spki (base64 DER), alg: ES256|PS256, notAfter}]}.',
      },
    },
    async (_req, reply) => {
      const trust = await ctx.trust.get();
      reply.header('cache-control', 'public, max-age=3600');
      return {
        keys: trust.certificates.map((c) => ({
          kid: c.kidBase64,
          spki: c.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
          alg: c.publicKey.asymmetricKeyType === 'ec' ? 'ES256' : 'PS256',
          notAfter: c.notAfter.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/v1/public/green-lane/revocations',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: [TAG],
        security: [],
        summary: 'Public: revoked permits not yet lapsed, for checkpoints verifying offline',
        description:
          'Returns {at, revoked[{permitId, revokedAt}]}: only the permit ids (random, printed in the QR their holders carry) and when; no plate, person or reason.',
      },
    },
    async (_req, reply) => {
      const revoked = await ctx.revocations.get();
      reply.header('cache-control', 'public, max-age=60');
      return {
        at: new Date().toISOString(),
        revoked: [...revoked].map(([permitId, revokedAt]) => ({ permitId, revokedAt })),
      };
    },
  );

  app.post(
    '/api/v1/green-lane/passages',
    {
      preHandler: requirePermission('greenlane.pass'),
      schema: {
        tags: [TAG],
        summary:
          'A vehicle at the actor’s site (first checkpoint, yard, gate, out), exactly once per clientId',
        description:
          'With a valid permit the vehicle passes as a whole (checkMode "permit"); otherwise checkMode "per_person" and crew[] lists who to check (declaration and test, as in entry control).',
        body: z.object({
          clientId: z.uuid(),
          point: z.enum(LOOP_POINTS as [LoopPoint, ...LoopPoint[]]),
          plate: z.string().max(20),
          qr: z.string().max(2000).optional(),
          at: z.iso.datetime({ offset: true }).optional(),
          // item 3: the people counted on board; fewer than the permit binds raises an alert
          peopleOnBoard: z.number().int().min(0).max(60).optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = req.body;
      const plate = normalisePlate(b.plate);
      if (!plate) throw fieldError('plate', 'Biển số không hợp lệ (ví dụ 29C-123.45)');
      const at = b.at ?? new Date().toISOString();
      if (Date.parse(at) > Date.now() + 5 * 60_000) throw fieldError('at', 'Thời điểm ở tương lai');
      const site =
        actor.scope.level === 'site' ? await loadSite(db, actor.scope.siteId!) : undefined;
      if (!site) throw fieldError('point', 'Chỉ cán bộ tại chốt, bãi hoặc cửa khẩu ghi lượt qua');
      if (!(SITE_POINTS[site.kind] ?? []).includes(b.point))
        throw fieldError('point', `Điểm ${b.point} không ghi được tại ${site.name}`);
      const vehicle = (
        await db.query<VehicleRow>('SELECT * FROM green_lane_vehicles WHERE plate = $1', [plate])
      )[0];
      if (!vehicle)
        throw await denyBodyId(
          req,
          {
            action: 'greenlane.pass',
            resourceType: 'green_lane_vehicle',
            id: plate,
            field: 'plate',
            found: false,
          },
          'Phương tiện',
        );
      let permit: PermitRow | undefined;
      if (b.qr) {
        const check = verifyPermit(b.qr, await ctx.trust.get(), Date.parse(at));
        if (!check.ok || check.claims.plate !== plate)
          throw new AppError(400, 'validation', `qr: ${REFUSED.vi}`, [
            { path: 'qr', message: REFUSED.vi },
          ]);
        permit = (
          await db.query<PermitRow>('SELECT * FROM green_lane_permits WHERE id = $1', [
            check.claims.permitId,
          ])
        )[0];
      } else {
        permit = (
          await db.query<PermitRow>(
            `SELECT * FROM green_lane_permits WHERE vehicle_id = $1 AND window_from <= $2::timestamptz
              ORDER BY window_to DESC LIMIT 1`,
            [vehicle.id, at],
          )
        )[0];
      }
      const r = await recordPassage(db, req, actor, {
        clientId: b.clientId,
        point: b.point,
        at,
        vehicle,
        site,
        permit: permit ?? null,
        peopleOnBoard: b.peopleOnBoard ?? null,
      });
      let crew: {
        personId: string;
        fullName: string;
        test: { sampledAt: string | null; fresh: boolean };
      }[] = [];
      if (r.checkMode === 'per_person' && permit) {
        const rs = await ctx.ruleSet(Date.parse(at));
        const people = await loadCrew(db, permit.application_id);
        const tests = await latestNegativeTests(
          db,
          people.map((p) => p.person_id),
          rs.acceptedTestTypes,
          at,
        );
        crew = people.map((p) => {
          const t = tests.get(p.person_id);
          const sampled = t ? Date.parse(iso(t.sampled_at)!) : null;
          return {
            personId: p.person_id,
            fullName: p.full_name,
            test: {
              sampledAt: sampled === null ? null : new Date(sampled).toISOString(),
              fresh: sampled !== null && Date.parse(at) < sampled + rs.testValidHours * 3_600_000,
            },
          };
        });
        if (crew.length)
          await audit(db, req, {
            action: 'greenlane.pass',
            resourceType: 'green_lane_crew',
            resourceId: permit.id,
            outcome: 'allowed',
            detail: { subjects: crew.map((c) => c.personId) },
          });
      }
      return reply.status(r.replayed ? 200 : 201).send({
        id: r.id,
        replayed: r.replayed,
        plate,
        point: b.point,
        at,
        checkMode: r.checkMode,
        permitId: permit?.id ?? null,
        validity: r.validity,
        instruction:
          r.checkMode === 'permit'
            ? {
                vi: 'Cho xe qua, không kiểm tra từng người',
                en: 'Let the vehicle through without checking each person',
              }
            : {
                vi: 'Kiểm tra khai báo y tế và xét nghiệm của từng người như kiểm soát người vào tỉnh',
                en: 'Check each person’s declaration and test as in entry control',
              },
        crew,
        alerts: r.alerts,
        yard: r.yard ?? null, // item 4: occupancy, and a flag when the yard was full
      });
    },
  );
}
