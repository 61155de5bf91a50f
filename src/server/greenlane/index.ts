import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { dateOfInstant } from '../../domain/dates.ts';
import { GREEN_LANE_2021, type GreenLaneRuleSet } from '../../domain/greenlane.ts';
import { rulesetInForce } from '../../domain/rulesets.ts';
import { ruleSetCache } from '../rulesets.ts';
import { loadProvinceSigner } from '../vaccination/certificates.ts';
import type { DccSigner } from '../vaccination/dcc-keys.ts';
import { trustCache, type TrustCache } from '../vaccination/trust-list.ts';
import { boardRoutes } from './board.ts';
import { borderRoutes } from './border.ts'; // item 5 (border posts)
import { yardRoutes } from './yards.ts'; // item 4 (yard capacity)
import { loopAlertRoutes, sweepOverdueLegs } from './loop-alerts.ts';
import { passageRoutes } from './passages.ts';
import { revocationRoutes } from './revocation.ts';
import { greenLaneRoutes } from './routes.ts';
import { revocationCache, type RevocationCache } from './store.ts';

/** How often the closed loop is swept for vehicles that did not reach their next point. */
const LOOP_SWEEP_MS = 60_000;

export interface GreenLaneContext {
  /** The green-lane rule set in force at an instant (Vietnam date). */
  ruleSet(at: number): Promise<GreenLaneRuleSet>;
  /** The province's certificate signer (the same key as the vaccination certificates). */
  signer(): DccSigner | null;
  /** The certificates' trust list (own and imported signers). */
  trust: TrustCache;
  /** Revoked permits not yet lapsed by themselves (permit id → when). */
  revocations: RevocationCache;
}

/**
 * Border gates and the green lane (issue 17): transport companies apply for permits for their
 * vehicles and crews, the transport authority grants them as a signed QR (signed and verified
 * with the certificate key and trust list of src/server/vaccination), checkpoints, yards and
 * gates record each vehicle's passages of the closed loop, and the gate board shows the queue.
 */
export async function greenLaneModule(app: FastifyInstance) {
  const sets = ruleSetCache<GreenLaneRuleSet>(app.db, 'green_lane');
  const signer = loadProvinceSigner(process.env, join(dirname(app.config.dataDir), 'dcc'));
  const trust = trustCache(app.db);
  const revocations = revocationCache(app.db);
  // The trust list may change through the certificates' endpoints, revocations through another
  // process: read both again each minute.
  const refresh = setInterval(() => (trust.clear(), revocations.clear()), 60_000);
  refresh.unref();
  app.addHook('onClose', async () => clearInterval(refresh));
  const ctx: GreenLaneContext = {
    async ruleSet(at) {
      return rulesetInForce(await sets.get(), 'green_lane', dateOfInstant(at)) ?? GREEN_LANE_2021;
    },
    signer: () => signer.signer,
    trust,
    revocations,
  };
  await app.register(greenLaneRoutes, ctx);
  await app.register(passageRoutes, ctx);
  await app.register(revocationRoutes, ctx);
  await app.register(loopAlertRoutes);
  await app.register(boardRoutes);
  await app.register(borderRoutes); // item 5 (border posts)
  await app.register(yardRoutes); // item 4 (yard capacity)
  // Legs whose next point was never reached: looked for each minute (one indexed statement).
  let sweep: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    sweep = setInterval(() => {
      sweepOverdueLegs(app.db).catch((err) => app.log.error({ err }, 'closed-loop sweep failed'));
    }, LOOP_SWEEP_MS);
    sweep.unref();
  });
  app.addHook('onClose', async () => {
    if (sweep) clearInterval(sweep);
  });
}
