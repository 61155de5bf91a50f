import type { FastifyInstance } from 'fastify';
import { admissionRoutes } from './admissions.ts';
import { raiseMissedReadings } from './alerts-store.ts';
import { alertRoutes } from './alerts.ts';
import { capacityRoutes } from './capacity.ts';
import { facilityRoutes } from './facilities.ts';
import { careRules } from './rulesets.ts';
import { treatmentRoutes } from './treatments.ts';
import { waitingRoutes } from './waiting.ts';

/** How often missed readings are looked for (a background sweep, one statement). */
const MISSED_SWEEP_MS = 5 * 60_000;

/**
 * Quarantine and treatment: facilities with rooms and beds, admissions that never mix cohorts,
 * the quarantine course and release, F0 care by tier with twice-daily readings, alerts, and the
 * capacity board (beds, ICU, ventilators, oxygen).
 */
export async function careModule(app: FastifyInstance) {
  const rules = careRules(app.db);
  await app.register(facilityRoutes);
  await app.register(admissionRoutes, { rules });
  await app.register(treatmentRoutes, { rules });
  await app.register(alertRoutes, { rules });
  await app.register(capacityRoutes);
  await app.register(waitingRoutes);
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      raiseMissedReadings(app.db).catch((err) =>
        app.log.error({ err }, 'missed readings sweep failed'),
      );
    }, MISSED_SWEEP_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
}
