import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { audit } from '../context.ts';
import { AppError, notFound } from '../errors.ts';

export const LOCAL_TOKEN_HEADER = 'x-epiguard-local-token';

/**
 * What the `epiguard` command asks of the server that holds the embedded database (only one
 * process may open it). The caller proves it is the server's own OS user by sending the token
 * of the folder's lock file, which only that user can read. Hidden from the OpenAPI document.
 */
export async function systemRoutes(app: FastifyInstance) {
  const lock = app.db.lock;
  const fromLocalUser = (given: unknown) => {
    if (!lock || typeof given !== 'string') return false;
    const a = Buffer.from(given);
    const b = Buffer.from(lock.owner.token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  // A consistent copy of the running database: PGlite dumps its folder between two queries; the
  // CHECKPOINT first leaves little WAL to replay on restore.
  app.get('/api/v1/system/backup', { schema: { hide: true } }, async (req, reply) => {
    if (!fromLocalUser(req.headers[LOCAL_TOKEN_HEADER])) throw notFound('Đường dẫn');
    const lite = app.db.pglite;
    if (!lite) throw new AppError(409, 'conflict', 'Backup is for the embedded database');
    await lite.query('CHECKPOINT');
    const dump = await lite.dumpDataDir('gzip');
    await audit(app.db, req, {
      action: 'system.backup',
      resourceType: 'database',
      outcome: 'allowed',
      actor: null,
      detail: { bytes: dump.size, by: 'epiguard backup (local user)' },
    });
    return reply
      .type('application/gzip')
      .header('content-length', dump.size)
      .send(Buffer.from(await dump.arrayBuffer()));
  });
}
