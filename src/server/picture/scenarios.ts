/**
 * Capacity scenarios (issue 12, item 5): the seeds' scenarios of simultaneous F0 with what each
 * needs (ratios from the `scenario_ratios` rule set) against what the unit has now (the capacity
 * board's maintained facility rows, the supply stock's maintained rows), and a CHIME projection
 * of the census set against the same beds, ICU beds and ventilators: the day each runs out.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { chime, ChimeError } from '../../domain/chime.ts';
import type { IsoDate } from '../../domain/dates.ts';
import {
  capacityRunsOut,
  scenarioNeeds,
  scenarioReached,
  scenarioRuleSetFor,
  type Have,
  type ScenarioRuleSet,
} from '../../domain/scenarios.ts';
import { capacitySummary } from '../care/capacity.ts';
import { audit, requirePermission } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { fieldError } from '../errors.ts';
import type { UnitRow } from '../geo/units.ts';
import type { RuleSetCache } from '../rulesets.ts';
import { isoDate, todayVn, unitCode } from '../vaccination/common.ts';
import { unitInScope } from '../vaccination/coverage.ts';
import { unitColumn, unitScope } from './dashboard.ts';
import { chimeBody } from './projections.ts';

/** Test kits in stock: the supply items of the 'test' category. */
const TEST_KIT_CATEGORY = 'test';

/** What the unit has now, from maintained rows only (a few facility rows, a few stock rows). */
export async function haveOf(q: Queryable, unit: UnitRow) {
  const { total } = await capacitySummary(q, unitScope(unit));
  const [kits] = await q.query<{ n: string | null }>(
    `SELECT sum(s.on_hand)::bigint AS n FROM supply_stock s JOIN supply_items i ON i.code = s.item_code
      WHERE s.${unitColumn(unit)} = $1 AND i.category = $2`,
    [unit.code, TEST_KIT_CATEGORY],
  );
  const facilities = total.facilities > 0;
  const have: Have = {
    beds: facilities ? total.beds.total : null,
    oxygenBeds: facilities ? total.oxygenBeds.total : null,
    icuBeds: facilities ? total.icu.total : null,
    ventilators: facilities ? total.ventilators.total : null,
    // the board keeps oxygen stock and use, not a supply per day; staff are not split by trade
    oxygenLitresPerDay: null,
    doctors: null,
    nurses: null,
    testKits: kits?.n === null || kits?.n === undefined ? null : Number(kits.n),
  };
  const inFacilities = total.patients.tier1 + total.patients.tier2 + total.patients.tier3;
  return {
    have,
    current: {
      hospitalized: Math.max(inFacilities, total.beds.occupied),
      icu: total.icu.occupied,
      ventilators: total.ventilators.inUse,
      f0: total.patients.home + inFacilities,
    },
  };
}

const presentRuleSet = (rs: ScenarioRuleSet) => ({
  id: rs.id,
  name: rs.name,
  legalBasis: rs.legalBasis,
  confidence: rs.confidence,
  notes: rs.notes,
});

export const scenarioBody = z.object({
  unit: unitCode,
  cases: z.number().int().min(1).max(100_000_000),
  date: isoDate.optional(),
  ruleSet: z.string().min(1).max(100).optional(),
  /** A CHIME run to set against the capacity (CHIME's own names); none: the needs alone. */
  chime: chimeBody.optional(),
});

export type ScenarioBody = z.infer<typeof scenarioBody>;

/** The needs of a scenario and the CHIME run against the unit's capacity (one command). */
export async function scenarioOf(
  req: FastifyRequest,
  sets: readonly ScenarioRuleSet[],
  b: ScenarioBody,
) {
  const db = req.server.db;
  const unit = await unitInScope(req, b.unit, 'projections.run', 'unit');
  const date = b.date ?? b.chime?.current_date ?? todayVn();
  const rs = ruleSetOf(sets, b.ruleSet, date);
  const { have, current } = await haveOf(db, unit);
  let projection = null;
  if (b.chime) {
    let r;
    try {
      r = chime(b.chime);
    } catch (e) {
      if (e instanceof ChimeError) throw fieldError(`chime.${e.field}`, e.message);
      throw e;
    }
    const { rows, ...summary } = r;
    projection = {
      summary,
      rows: rows
        .filter((x) => x.day >= 0)
        .map((x) => ({
          day: x.day,
          date: x.date,
          infected: x.infected,
          admits: x.admits,
          census: x.census,
        })),
      runsOut: capacityRunsOut(rows, have),
      scenarioReached: scenarioReached(rows, b.cases),
    };
  }
  await audit(db, req, {
    action: 'projections.run',
    resourceType: 'admin_unit',
    resourceId: unit.code,
    outcome: 'allowed',
  });
  return {
    unit: { code: unit.code, name: unit.name, level: unit.level, population: unit.population },
    date,
    cases: b.cases,
    ruleSet: presentRuleSet(rs),
    needs: scenarioNeeds(b.cases, rs, have),
    current,
    projection,
  };
}

function ruleSetOf(sets: readonly ScenarioRuleSet[], id: string | undefined, date: IsoDate) {
  const rs = id ? sets.find((s) => s.id === id) : scenarioRuleSetFor(sets, date);
  if (!rs)
    throw fieldError(
      id ? 'ruleSet' : 'date',
      id ? `Không có bộ tỷ lệ ${id}` : 'Không có bộ tỷ lệ kịch bản hiệu lực vào ngày này',
    );
  return rs;
}

export async function scenarioRoutes(
  server: FastifyInstance,
  opts: { sets: RuleSetCache<ScenarioRuleSet> },
) {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/projections/scenarios',
    {
      preHandler: requirePermission('projections.run'),
      schema: {
        tags: ['projections'],
        summary: "The seeds' scenarios, the ratios in force, what the unit has now, CHIME defaults",
        querystring: z.object({ unit: unitCode, date: isoDate.optional() }),
      },
    },
    async (req) => {
      const unit = await unitInScope(req, req.query.unit, 'projections.run', 'unit');
      const date = req.query.date ?? todayVn();
      const rs = ruleSetOf(await opts.sets.get(), undefined, date);
      const { have, current } = await haveOf(app.db, unit);
      return {
        unit: { code: unit.code, name: unit.name, level: unit.level, population: unit.population },
        date,
        ruleSet: presentRuleSet(rs),
        scenarios: rs.scenarios,
        have,
        current,
        chimeDefaults: {
          ...rs.chimeDefaults,
          population: unit.population,
          current_hospitalized: current.hospitalized,
          current_date: date,
          mitigation_date: date,
          recovered: 0,
        },
      };
    },
  );

  app.post(
    '/api/v1/projections/scenario',
    {
      preHandler: requirePermission('projections.run'),
      schema: {
        tags: ['projections'],
        summary: 'Needs of a scenario of simultaneous F0 against capacity; CHIME census vs beds',
        description:
          'Beds per tier, ICU beds, ventilators, oxygen per day, staff and test kits for `cases` simultaneous F0 by the ratios in force (or `ruleSet`), each with what the unit has now and the shortfall. With `chime` (CHIME parameter names), the projected census per day and the first day the census of each group is above its capacity.',
        body: scenarioBody,
      },
    },
    async (req) => scenarioOf(req, await opts.sets.get(), req.body),
  );
}
