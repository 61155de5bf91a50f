import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { subjectIds } from '../audit/subjects.ts';
import { addDays, dateOfInstant, isValidIsoDate, startOfDayInstant } from '../../domain/dates.ts';
import { maskIdentifier } from '../../domain/masking.ts';
import {
  daysOverdue,
  followUpStep,
  TEAM_TASK_KINDS,
  TEAM_TASK_LABELS,
  taskState,
  UNVACCINATED_MIN_AGE,
  VISIT_OUTCOMES,
  weekOf,
  type TeamTaskKind,
} from '../../domain/teams.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import { conflict, fieldError, notFound } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../paging.ts';
import { scopedTeam } from './store.ts';
import { teamOverdueSql, teamTaskListSql, teamWeekDoneSql, type TaskListArgs } from './task-sql.ts';

const uuid = z.uuid('Mã không hợp lệ');
const isoDay = z.string().refine(isValidIsoDate, 'Ngày dạng YYYY-MM-DD');
const TAG = 'teams';
const vnToday = () => dateOfInstant(Date.now());

interface TaskRow {
  kind: TeamTaskKind;
  source_id: string;
  due_on: string;
  household_id: string;
  person_id: string;
  full_name: string;
  birth_year: number;
  phone: string | null;
  address: string | null;
  test_dates: string[] | null;
  tests_done: number | null;
  monitoring_ends: string | null;
  next_reading_due: Date | string | null;
  last_reading_at: Date | string | null;
}

/** The arguments every task statement takes for a team on a day. */
export function taskArgs(teamId: string, today: string): TaskListArgs {
  return {
    teamId,
    today,
    tomorrowStarts: new Date(startOfDayInstant(addDays(today, 1))).toISOString(),
    maxBirthYear: Number(today.slice(0, 4)) - UNVACCINATED_MIN_AGE,
  };
}

/**
 * How to complete a task, through the module that asked for it: the follow-up module's event,
 * the care module's reading, or the team's visit to an unvaccinated person.
 */
function completion(r: TaskRow) {
  switch (r.kind) {
    case 'arrival':
    case 'home_quarantine':
      return {
        url: `/api/v1/follow-ups/${r.source_id}/events`,
        step: followUpStep({
          testDates: r.test_dates ?? [],
          testsDone: r.tests_done ?? 0,
          monitoringEnds: r.monitoring_ends ?? r.due_on,
          due: r.due_on,
        }),
      };
    case 'f0_home':
      return { url: `/api/v1/cases/${r.source_id}/monitoring`, step: 'reading' as const };
    case 'unvaccinated':
      return { url: null, step: 'visit' as const };
  }
}

/** A team's one task list, its visits to the unvaccinated and its weekly report. */
export async function teamTaskRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/teams/:id/tasks',
    {
      preHandler: requirePermission('teams.read'),
      schema: {
        tags: [TAG],
        summary:
          "The team's tasks due today and overdue — arrival follow-ups, home-quarantine checks, F0 at home, unvaccinated people to visit — most overdue first; keyset-paginated",
        params: z.object({ id: uuid }),
        querystring: z.object({ date: isoDay.optional(), ...pageQuery }),
      },
    },
    async (req) => {
      const team = await scopedTeam(req, req.params.id, 'teams.read', false);
      const today = req.query.date ?? vnToday();
      const after = decodeCursor(req.query.cursor, ['date', 'text', 'uuid', 'uuid']);
      if (after && !(TEAM_TASK_KINDS as readonly unknown[]).includes(after[1]))
        throw fieldError('cursor', 'Con trỏ phân trang không hợp lệ');
      const list = teamTaskListSql(taskArgs(team.id, today), after, req.query.limit + 1);
      const rows = await db.query<TaskRow>(list.sql, list.params);
      const p = page(rows, req.query.limit, (r) => [r.due_on, r.kind, r.source_id, r.household_id]);
      await audit(db, req, {
        action: 'teams.tasks',
        resourceType: 'community_team',
        resourceId: team.id,
        outcome: 'allowed',
        detail: { count: p.items.length, subjects: subjectIds(p.items) },
      });
      return {
        today,
        team: { id: team.id, name: team.name, villageName: team.village_name },
        items: p.items.map((r) => ({
          id: `${r.kind}:${r.source_id}:${r.household_id}`,
          kind: r.kind,
          label: TEAM_TASK_LABELS[r.kind],
          sourceId: r.source_id,
          dueOn: r.due_on,
          state: taskState(r.due_on, today),
          daysOverdue: daysOverdue(r.due_on, today),
          householdId: r.household_id,
          address: r.address,
          person: {
            id: r.person_id,
            fullName: r.full_name,
            birthYear: r.birth_year,
            phone: maskIdentifier(r.phone),
          },
          lastReadingAt: r.last_reading_at ? new Date(r.last_reading_at).toISOString() : null,
          complete: completion(r),
        })),
        nextCursor: p.nextCursor,
      };
    },
  );

  app.post(
    '/api/v1/teams/:id/visits',
    {
      preHandler: requirePermission('teams.work'),
      schema: {
        tags: [TAG],
        summary:
          'A visit to an unvaccinated person of one of the team households (idempotent by clientId)',
        params: z.object({ id: uuid }),
        body: z.object({
          clientId: z.uuid(),
          householdId: uuid,
          personId: uuid,
          outcome: z.enum(VISIT_OUTCOMES),
          note: z.string().trim().max(500).optional(),
          at: z.iso.datetime({ offset: true }).optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const team = await scopedTeam(req, req.params.id, 'teams.work', false);
      const b = req.body;
      const at = b.at ? new Date(b.at) : new Date();
      if (at.getTime() > Date.now() + 5 * 60_000) throw fieldError('at', 'Thời điểm ở tương lai');
      if (at.getTime() < Date.now() - 30 * 86_400_000)
        throw fieldError('at', 'Thời điểm quá 30 ngày trước');
      // the household must be the team's and the person one of its members (404, audited)
      const member = await db.query(
        `SELECT 1 FROM community_team_households th
           JOIN household_members hm ON hm.household_id = th.household_id AND hm.person_id = $3
          WHERE th.team_id = $1 AND th.household_id = $2`,
        [team.id, b.householdId, b.personId],
      );
      if (!member[0]) {
        await audit(db, req, {
          action: 'teams.work',
          resourceType: 'household',
          resourceId: b.householdId,
          outcome: 'denied',
          reason: 'outside_team',
          detail: { personId: b.personId },
        });
        throw notFound('Hộ gia đình');
      }
      const out = await db.tx(async (q) => {
        const ins = await q.query<{ id: string }>(
          `INSERT INTO community_team_visits (client_id, team_id, household_id, person_id, province_code, district_code,
             commune_code, village_id, outcome, note, at, visited_on, recorded_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT (client_id) DO NOTHING RETURNING id`,
          [
            b.clientId,
            team.id,
            b.householdId,
            b.personId,
            team.province_code,
            team.district_code,
            team.commune_code,
            team.village_id,
            b.outcome,
            b.note || null,
            at.toISOString(),
            dateOfInstant(at.getTime()),
            actor.id,
          ],
        );
        if (!ins[0]) {
          const prior = await q.query<{ id: string; team_id: string; person_id: string }>(
            'SELECT id, team_id, person_id FROM community_team_visits WHERE client_id = $1',
            [b.clientId],
          );
          return { id: prior[0]!.id, replay: true, same: prior[0]!.person_id === b.personId };
        }
        await audit(q, req, {
          action: 'teams.visit',
          resourceType: 'person',
          resourceId: b.personId,
          outcome: 'allowed',
          detail: { teamId: team.id, outcome: b.outcome },
        });
        return { id: ins[0].id, replay: false, same: true };
      });
      if (!out.same)
        throw conflict('clientId đã được dùng cho một bản ghi khác', [
          { path: 'clientId', message: 'Mã đã dùng' },
        ]);
      return reply.status(out.replay ? 200 : 201).send({ id: out.id, replayed: out.replay });
    },
  );

  app.get(
    '/api/v1/teams/:id/report',
    {
      preHandler: requirePermission('teams.read'),
      schema: {
        tags: [TAG],
        summary:
          "A team's week (Monday to Sunday): tasks done and overdue by kind, households visited",
        params: z.object({ id: uuid }),
        querystring: z.object({ week: isoDay.optional() }),
      },
    },
    async (req) => {
      const team = await scopedTeam(req, req.params.id, 'teams.read');
      const today = vnToday();
      const { from, to } = weekOf(req.query.week ?? today);
      const done = teamWeekDoneSql(team.id, {
        from,
        to,
        fromInstant: new Date(startOfDayInstant(from)).toISOString(),
        toInstant: new Date(startOfDayInstant(to)).toISOString(),
      });
      // overdue: the tasks late on the week's last day, or today while the week runs
      const asOf = addDays(to, -1) < today ? addDays(to, -1) : today;
      const overdue = teamOverdueSql(taskArgs(team.id, asOf));
      const [doneRows, overdueRows] = await Promise.all([
        db.query<{ kind: string; n: number; households: number | null }>(done.sql, done.params),
        db.query<{ kind: string; n: number }>(overdue.sql, overdue.params),
      ]);
      const count = (rows: { kind: string; n: number }[], k: string) =>
        rows.find((r) => r.kind === k)?.n ?? 0;
      return {
        team: { id: team.id, name: team.name, villageName: team.village_name },
        week: { from, to: addDays(to, -1) },
        overdueAsOf: asOf,
        kinds: TEAM_TASK_KINDS.map((k) => ({
          kind: k,
          label: TEAM_TASK_LABELS[k],
          done: count(doneRows, k),
          overdue: count(overdueRows, k),
        })),
        householdsVisited: doneRows.find((r) => r.kind === 'all')?.households ?? 0,
      };
    },
  );
}
