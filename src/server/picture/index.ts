import type { FastifyInstance } from 'fastify';
import type { LevelRuleSet } from '../../domain/levels.ts';
import { ruleSetCache } from '../rulesets.ts';
import { careCapacitySource } from './capacity.ts';
import { dashboardRoutes } from './dashboard.ts';
import { scheduleWeeklyLevels } from './levels-job.ts';
import { levelRoutes } from './levels-routes.ts';
import { projectionRoutes } from './projections.ts';
import { publicMapRoutes } from './public-map.ts';
import { reportRoutes } from './reports.ts';
import { scenarioRoutes } from './scenarios.ts';
import { scenarioXlsxRoutes } from './scenario-xlsx.ts';
import type { ScenarioRuleSet } from '../../domain/scenarios.ts';

/**
 * The province's picture (issue 12): epidemic levels per unit and week, the dashboard from
 * maintained aggregates, CHIME projections and the steering committee's DOCX report.
 */
export async function pictureModule(app: FastifyInstance) {
  const sets = ruleSetCache<LevelRuleSet>(app.db, 'epidemic_level');
  await app.register(levelRoutes, { sets });
  scheduleWeeklyLevels(app, sets);
  // the capacity board of the care module (issue 11)
  await app.register(dashboardRoutes, { capacity: careCapacitySource });
  await app.register(projectionRoutes);
  const scenarioSets = ruleSetCache<ScenarioRuleSet>(app.db, 'scenario_ratios');
  await app.register(scenarioRoutes, { sets: scenarioSets });
  await app.register(scenarioXlsxRoutes, { sets: scenarioSets });
  await app.register(reportRoutes);
  await app.register(publicMapRoutes);
}
