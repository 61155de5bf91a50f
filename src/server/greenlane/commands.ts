/**
 * The multi-step writes of the green lane, each one transaction: apply, decide (a grant signs
 * the permit) and record a passage (with the trip and the gate's figures kept in step).
 */
import type { FastifyRequest } from 'fastify';
import { dateOfInstant } from '../../domain/dates.ts';
import {
  checkCrewOnBoard,
  checkLeg,
  LOOP_POINTS,
  permitValidity,
  type GreenLaneRuleSet,
  type LoopPoint,
  type PermitValidity,
} from '../../domain/greenlane.ts';
import { audit, type Actor } from '../context.ts';
import type { Db, Queryable } from '../db/index.ts';
import { AppError, conflict } from '../errors.ts';
import type { DccSigner } from '../vaccination/dcc-keys.ts';
import {
  iso,
  latestNegativeTests,
  loadCrew,
  permitFacts,
  type ApplicationRow,
  type PermitRow,
  type RouteRow,
  type SiteRow,
  type VehicleRow,
} from './store.ts';
import { legSubject, storeLoopAlerts, type LoopAlert } from './loop-alerts.ts';
import { signPermit } from './token.ts';
import { enterYard, leaveYard, type YardState } from './yards.ts';

export interface ApplyInput {
  clientId: string;
  vehicle: VehicleRow;
  routeId: string;
  cargo: string;
  windowFrom: string;
  windowTo: string;
  crew: { personId: string; role: string }[];
}

/** Files an application; a repeated clientId returns the one already filed (created: false). */
export async function fileApplication(db: Db, req: FastifyRequest, actor: Actor, b: ApplyInput) {
  return db.tx(async (q) => {
    const rows = await q.query<{ id: string }>(
      `INSERT INTO green_lane_applications (client_id, company_site_id, site_id, province_code,
         district_code, commune_code, vehicle_id, route_id, cargo, window_from, window_to, created_by)
       VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (client_id) DO NOTHING RETURNING id`,
      [
        b.clientId,
        b.vehicle.site_id,
        b.vehicle.province_code,
        b.vehicle.district_code,
        b.vehicle.commune_code,
        b.vehicle.id,
        b.routeId,
        b.cargo,
        b.windowFrom,
        b.windowTo,
        actor.id,
      ],
    );
    if (!rows[0]) {
      const old = await q.query<{ id: string; site_id: string }>(
        'SELECT id, site_id FROM green_lane_applications WHERE client_id = $1',
        [b.clientId],
      );
      if (old[0]?.site_id !== b.vehicle.site_id)
        throw conflict('clientId: đã dùng cho một hồ sơ khác', [
          { path: 'clientId', message: 'Mã này đã được dùng' },
        ]);
      return { id: old[0].id, created: false };
    }
    const id = rows[0].id;
    let pos = 0;
    for (const c of b.crew) {
      await q.query(
        'INSERT INTO green_lane_crew (application_id, person_id, position, role) VALUES ($1, $2, $3, $4)',
        [id, c.personId, pos++, c.role],
      );
    }
    await audit(q, req, {
      action: 'greenlane.apply',
      resourceType: 'green_lane_application',
      resourceId: id,
      outcome: 'allowed',
      detail: { subjects: b.crew.map((c) => c.personId) },
    });
    return { id, created: true };
  });
}

export interface DecideInput {
  decision: 'grant' | 'refuse';
  reason: string | null;
  orderEndsAt: string | null;
}

/**
 * Grants (signing the permit) or refuses a pending application. A grant binds each crew
 * member's latest negative test; it is refused (409) when anyone has none or the permit would
 * already be lapsed now.
 */
export async function decideApplication(
  db: Db,
  req: FastifyRequest,
  actor: Actor,
  a: ApplicationRow,
  d: DecideInput,
  ctx: { rs: GreenLaneRuleSet; signer: DccSigner | null; now: number },
): Promise<{ permitId: string | null; validity: PermitValidity | null }> {
  return db.tx(async (q) => {
    const locked = await q.query<{ status: string }>(
      'SELECT status FROM green_lane_applications WHERE id = $1 FOR UPDATE',
      [a.id],
    );
    if (locked[0]?.status !== 'pending')
      throw conflict('Hồ sơ đã được xử lý', [
        { path: 'decision', message: 'Hồ sơ đã có quyết định' },
      ]);
    if (d.decision === 'refuse') {
      await q.query(
        `UPDATE green_lane_applications SET status = 'refused', decision_reason = $2, decided_by = $3,
           decided_at = now() WHERE id = $1`,
        [a.id, d.reason, actor.id],
      );
      await audit(q, req, {
        action: 'greenlane.decide',
        resourceType: 'green_lane_application',
        resourceId: a.id,
        outcome: 'allowed',
        detail: { decision: 'refuse' },
      });
      return { permitId: null, validity: null };
    }
    if (!ctx.signer)
      throw new AppError(
        503,
        'signing_key_missing',
        'Máy chủ chưa có khóa ký: không cấp được giấy',
      );
    const crew = await loadCrew(q, a.id);
    const nowIso = new Date(ctx.now).toISOString();
    const tests = await latestNegativeTests(
      q,
      crew.map((c) => c.person_id),
      ctx.rs.acceptedTestTypes,
      nowIso,
    );
    const facts = {
      windowFrom: iso(a.window_from)!,
      windowTo: iso(a.window_to)!,
      orderEndsAt: d.orderEndsAt ?? ctx.rs.order.endsAt,
      crewSampledAt: crew.map((c) => {
        const t = tests.get(c.person_id);
        return t ? iso(t.sampled_at)! : null;
      }),
      ruleSetId: ctx.rs.id,
      testValidHours: ctx.rs.testValidHours,
    };
    // Checked at the later of now and the window's start: a permit that could never be used is not granted.
    const check = permitValidity(facts, Math.max(ctx.now, Date.parse(facts.windowFrom)));
    if (!check.valid)
      throw conflict(`Không cấp được: ${check.reason.vi}`, [
        { path: 'decision', message: check.reason.vi },
      ]);
    const permitId = (await q.query<{ id: string }>('SELECT gen_random_uuid() AS id'))[0]!.id;
    const crewSampledAt = facts.crewSampledAt as string[];
    const token = signPermit(
      {
        permitId,
        plate: a.plate,
        windowFrom: facts.windowFrom,
        windowTo: facts.windowTo,
        orderEndsAt: facts.orderEndsAt,
        crewSampledAt,
        testValidHours: facts.testValidHours,
        ruleSetId: facts.ruleSetId,
        issuedAt: nowIso,
      },
      ctx.signer,
    );
    await q.query(
      `INSERT INTO green_lane_permits (id, application_id, vehicle_id, route_id, plate, window_from,
         window_to, order_number, order_ends_at, crew_sampled_at, test_valid_hours, lapses_at,
         lapse_rule, ruleset_id, token, signer_kid, site_id, province_code, district_code,
         commune_code, issued_by, issued_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::jsonb,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22)`,
      [
        permitId,
        a.id,
        a.vehicle_id,
        a.route_id,
        a.plate,
        facts.windowFrom,
        facts.windowTo,
        ctx.rs.order.number,
        facts.orderEndsAt,
        JSON.stringify(crewSampledAt),
        facts.testValidHours,
        check.lapsesAt,
        permitValidity(facts, Date.parse(check.lapsesAt!)).ruleId,
        ctx.rs.id,
        token,
        ctx.signer.certificate.kidBase64,
        a.site_id,
        a.province_code,
        a.district_code,
        a.commune_code,
        actor.id,
        nowIso,
      ],
    );
    for (const c of crew) {
      await q.query(
        'UPDATE green_lane_crew SET test_result_id = $3 WHERE application_id = $1 AND person_id = $2',
        [a.id, c.person_id, tests.get(c.person_id)!.id],
      );
    }
    await q.query(
      `UPDATE green_lane_applications SET status = 'granted', decision_reason = $2, decided_by = $3,
         decided_at = now() WHERE id = $1`,
      [a.id, d.reason, actor.id],
    );
    await audit(q, req, {
      action: 'greenlane.decide',
      resourceType: 'green_lane_application',
      resourceId: a.id,
      outcome: 'allowed',
      detail: { decision: 'grant', permitId, subjects: crew.map((c) => c.person_id) },
    });
    return { permitId, validity: check };
  });
}

export interface PassageInput {
  clientId: string;
  point: LoopPoint;
  at: string;
  vehicle: VehicleRow;
  site: SiteRow;
  permit: PermitRow | null;
  /** item 3: the people the officer counted on board, when counted */
  peopleOnBoard?: number | null;
}

export interface PassageResult {
  id: string;
  replayed: boolean;
  checkMode: 'permit' | 'per_person';
  validity: {
    valid: boolean;
    ruleId: string;
    ruleSetId: string;
    reason: { vi: string; en: string };
  };
  alerts: { ruleId: string; reason: { vi: string; en: string } }[];
  /** item 4: the yard the vehicle entered, flagged when it was full */
  yard?: YardState | null;
}

const NO_PERMIT = {
  valid: false,
  ruleId: 'no_permit',
  ruleSetId: 'green-lane-2021',
  reason: {
    vi: 'Xe không có giấy luồng xanh: kiểm tra khai báo và xét nghiệm của từng người',
    en: 'The vehicle has no green-lane permit: check each person’s declaration and test',
  },
};

/** What the point expects of a route: its site, and the leg that leads to it. */
function expected(route: RouteRow, point: LoopPoint) {
  switch (point) {
    case 'first_checkpoint':
      return { siteId: route.checkpoint_site_id, leg: null };
    case 'yard':
      return {
        siteId: route.yard_site_id,
        leg: {
          from: 'first_checkpoint' as const,
          to: 'yard' as const,
          expectedMinutes: route.to_yard_minutes,
        },
      };
    case 'gate':
      return {
        siteId: route.gate_site_id,
        leg: { from: 'yard' as const, to: 'gate' as const, expectedMinutes: route.to_gate_minutes },
      };
    case 'out':
      return { siteId: null, leg: null };
  }
}

/**
 * Records a vehicle at a point of the loop, exactly once per clientId. A valid permit lets it
 * through as a whole; otherwise the answer says each person must be checked. The trip and the
 * gate's figures change in the same transaction; a late leg or a site off the route is alerted.
 */
export async function recordPassage(
  db: Db,
  req: FastifyRequest,
  actor: Actor,
  b: PassageInput,
): Promise<PassageResult> {
  const at = Date.parse(b.at);
  const v = b.permit ? permitValidity(permitFacts(b.permit), at) : null;
  const validity = v
    ? { valid: v.valid, ruleId: v.ruleId, ruleSetId: v.ruleSetId, reason: v.reason }
    : NO_PERMIT;
  const checkMode = validity.valid ? 'permit' : 'per_person';
  return db.tx(async (q) => {
    const ins = await q.query<{ id: string }>(
      `INSERT INTO green_lane_passages (client_id, vehicle_id, permit_id, point, at, check_mode,
         permit_rule, ruleset_id, reason_vi, reason_en, site_id, province_code, district_code,
         commune_code, recorded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
       ON CONFLICT (client_id) DO NOTHING RETURNING id`,
      [
        b.clientId,
        b.vehicle.id,
        b.permit?.id ?? null,
        b.point,
        b.at,
        checkMode,
        validity.ruleId,
        validity.ruleSetId,
        validity.reason.vi,
        validity.reason.en,
        b.site.id,
        b.site.province_code,
        b.site.district_code,
        b.site.commune_code,
        actor.id,
      ],
    );
    if (!ins[0]) return replay(q, b);
    const id = ins[0].id;
    const { tripId, alerts: raised, yard } = await advanceTrip(q, b, id, at);
    // item 3: fewer people on board than the permit binds — a crew member stepped out
    if (b.permit && b.peopleOnBoard != null) {
      await q.query('UPDATE green_lane_passages SET people_on_board = $2 WHERE id = $1', [
        id,
        b.peopleOnBoard,
      ]);
      const crew = checkCrewOnBoard(b.permit.crew_sampled_at.length, b.peopleOnBoard, b.point);
      if (crew.alert)
        raised.push({ ruleId: 'crew_missing', subject: `crew@${b.point}`, reason: crew.reason });
    }
    await storeLoopAlerts(q, raised, {
      tripId,
      vehicleId: b.vehicle.id,
      plate: b.vehicle.plate,
      site: b.site,
      raisedBy: 'passage',
    });
    const alerts = raised.map(({ ruleId, reason }) => ({ ruleId, reason }));
    await audit(q, req, {
      action: 'greenlane.pass',
      resourceType: 'green_lane_passage',
      resourceId: id,
      outcome: 'allowed',
      detail: {
        vehicleId: b.vehicle.id,
        point: b.point,
        checkMode,
        alerts: alerts.map((x) => x.ruleId),
      },
    });
    return { id, replayed: false, checkMode, validity, alerts, yard: yard ?? null };
  });
}

async function replay(q: Queryable, b: PassageInput): Promise<PassageResult> {
  const r = (
    await q.query<{
      id: string;
      vehicle_id: string;
      check_mode: 'permit' | 'per_person';
      permit_rule: string;
      ruleset_id: string;
      reason_vi: string;
      reason_en: string;
    }>('SELECT * FROM green_lane_passages WHERE client_id = $1', [b.clientId])
  )[0]!;
  if (r.vehicle_id !== b.vehicle.id)
    throw conflict('clientId: đã dùng cho một lượt khác', [
      { path: 'clientId', message: 'Mã này đã được dùng' },
    ]);
  return {
    id: r.id,
    replayed: true,
    checkMode: r.check_mode,
    validity: {
      valid: r.check_mode === 'permit',
      ruleId: r.permit_rule,
      ruleSetId: r.ruleset_id,
      reason: { vi: r.reason_vi, en: r.reason_en },
    },
    alerts: [],
  };
}

async function advanceTrip(
  q: Queryable,
  b: PassageInput,
  passageId: string,
  at: number,
): Promise<{ tripId: string | null; alerts: LoopAlert[]; yard?: YardState }> {
  const alerts: LoopAlert[] = [];
  const trip = (
    await q.query<{
      id: string;
      route_id: string;
      gate_site_id: string;
      started_at: Date;
      last_point: LoopPoint;
      last_at: Date;
      cleared_at: Date | null;
      yard_site_id: string | null;
    }>('SELECT * FROM green_lane_trips WHERE vehicle_id = $1 AND out_at IS NULL', [b.vehicle.id])
  )[0];
  const routeId = trip?.route_id ?? b.permit?.route_id;
  if (!routeId) return { tripId: null, alerts };
  const route = (
    await q.query<RouteRow>('SELECT * FROM green_lane_routes WHERE id = $1', [routeId])
  )[0]!;
  const exp = expected(route, b.point);
  if (exp.siteId && exp.siteId !== b.site.id)
    alerts.push({
      ruleId: 'off_route',
      subject: passageId,
      reason: {
        vi: `Xe xuất hiện ngoài lộ trình: ${b.site.name} không phải điểm dự kiến của tuyến ${route.name}`,
        en: `Vehicle off its route: ${b.site.name} is not the expected point of route ${route.name}`,
      },
    });
  const day = dateOfInstant(at);
  const atIso = new Date(at).toISOString();
  if (!trip) {
    if (b.point !== 'first_checkpoint') return { tripId: null, alerts };
    const t = await q.query<{ id: string }>(
      `INSERT INTO green_lane_trips (vehicle_id, permit_id, route_id, gate_site_id, started_at, last_point, last_at)
       VALUES ($1, $2, $3, $4, $5, 'first_checkpoint', $5) RETURNING id`,
      [b.vehicle.id, b.permit?.id ?? null, route.id, route.gate_site_id, atIso],
    );
    await q.query('UPDATE green_lane_passages SET trip_id = $2 WHERE id = $1', [
      passageId,
      t[0]!.id,
    ]);
    await q.query(
      `INSERT INTO green_lane_gate_queue (gate_site_id, waiting) VALUES ($1, 1)
       ON CONFLICT (gate_site_id) DO UPDATE SET waiting = green_lane_gate_queue.waiting + 1`,
      [route.gate_site_id],
    );
    await q.query(
      `INSERT INTO green_lane_gate_days (gate_site_id, day, arrived) VALUES ($1, $2, 1)
       ON CONFLICT (gate_site_id, day) DO UPDATE SET arrived = green_lane_gate_days.arrived + 1`,
      [route.gate_site_id, day],
    );
    return { tripId: t[0]!.id, alerts };
  }
  await q.query('UPDATE green_lane_passages SET trip_id = $2 WHERE id = $1', [passageId, trip.id]);
  if (exp.leg && trip.last_point === exp.leg.from) {
    const leg = checkLeg(exp.leg, iso(trip.last_at)!, atIso, at);
    if (leg.alert)
      alerts.push({ ruleId: 'leg_overdue', subject: legSubject(exp.leg), reason: leg.reason });
  }
  const order = LOOP_POINTS.indexOf(b.point);
  if (order <= LOOP_POINTS.indexOf(trip.last_point)) return { tripId: trip.id, alerts }; // a late scan does not go back
  await q.query('UPDATE green_lane_trips SET last_point = $2, last_at = $3 WHERE id = $1', [
    trip.id,
    b.point,
    atIso,
  ]);
  // item 4: the trip enters its yard, or leaves it for the gate or out of the province
  let yard: YardState | undefined;
  if (b.point === 'yard') yard = await enterYard(q, b.site.id, trip.id, passageId);
  else if (trip.last_point === 'yard' && trip.yard_site_id) await leaveYard(q, trip.yard_site_id);
  if (b.point === 'gate' && !trip.cleared_at) {
    await q.query('UPDATE green_lane_trips SET cleared_at = $2 WHERE id = $1', [trip.id, atIso]);
    const wait = Math.max(0, Math.round((at - new Date(trip.started_at).getTime()) / 1000));
    await q.query(
      'UPDATE green_lane_gate_queue SET waiting = GREATEST(waiting - 1, 0) WHERE gate_site_id = $1',
      [trip.gate_site_id],
    );
    await q.query(
      `INSERT INTO green_lane_gate_days (gate_site_id, day, cleared, wait_seconds) VALUES ($1, $2, 1, $3)
       ON CONFLICT (gate_site_id, day) DO UPDATE SET cleared = green_lane_gate_days.cleared + 1,
         wait_seconds = green_lane_gate_days.wait_seconds + EXCLUDED.wait_seconds`,
      [trip.gate_site_id, day, wait],
    );
  }
  if (b.point === 'out') {
    await q.query('UPDATE green_lane_trips SET out_at = $2 WHERE id = $1', [trip.id, atIso]);
    // left the loop without clearing the gate: no longer waiting for it
    if (!trip.cleared_at)
      await q.query(
        'UPDATE green_lane_gate_queue SET waiting = GREATEST(waiting - 1, 0) WHERE gate_site_id = $1',
        [trip.gate_site_id],
      );
  }
  return { tripId: trip.id, alerts, yard };
}
