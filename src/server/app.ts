import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import compress from '@fastify/compress'; // issue 15.6
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { auditRoutes } from './audit/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { actorForToken, enforcePasswordChange, SESSION_COOKIE } from './auth/sessions.ts';
import type { Config } from './config.ts';
import type { Db } from './db/index.ts';
import { installErrorHandler, noRoute } from './errors.ts';
import { securityPlugin } from './security/index.ts';
import { webPreload } from './web-preload.ts'; // issue 15.6
import { entryModule } from './entry/index.ts';
import { casesModule } from './cases/index.ts';
import { geoRoutes } from './geo/routes.ts';
import { siteRoutes } from './geo/sites.ts';
import { testingModule } from './testing/index.ts';
import { vaccinationModule } from './vaccination/index.ts';
// Quarantine and treatment (issue 11)
import { careModule } from './care/index.ts';
// issue 12 (picture)
import { pictureModule } from './picture/index.ts';
import { greenLaneModule } from './greenlane/index.ts'; // issue 17 (green lane)
import { enforcementModule } from './enforcement/index.ts'; // issue 18
import { documentRoutes } from './documents/routes.ts'; // issue 16 item 3
import { suppliesModule } from './supplies/index.ts'; // issue 18
import { teamsModule } from './teams/index.ts'; // issue 18 item 2 (community teams)
import { peopleRoutes } from './people/routes.ts';
import { hoistPermission, type RoutePermission } from './route-permissions.ts';
import { userRoutes } from './users/routes.ts';
// issue 14.1: the CLI reaches the server that holds the embedded database (backup)
import { systemRoutes } from './system/routes.ts';
import { ruleSetRoutes } from './rule-admin/routes.ts'; // issue 18 (rule sets)
import { workplacesModule } from './workplaces/index.ts'; // issue 18 item 4 (workplaces)

export const WEB_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));
export const VERSION = '0.1.0';

export interface AppOptions {
  db: Db;
  config: Config;
  /** false in tests that should stay quiet */
  logger?: boolean;
  /** Where the logs go (default stdout); a test reads them back (issue 10: no secret in logs). */
  logStream?: NodeJS.WritableStream;
  webDir?: string;
}

/**
 * The whole HTTP application: API under /api/v1, the OpenAPI document, /healthz, and the web
 * app at /. Nothing listens until the caller calls `listen`.
 */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: opts.config.logLevel,
            redact: ['req.headers.cookie', 'req.headers.authorization'],
            ...(opts.logStream ? { stream: opts.logStream } : {}),
            // issue 10 (trust-scope): the log holds paths, never query strings (search words,
            // ID numbers, secrets).
            serializers: {
              req: (r: { method: string; url: string; ip?: string }) => ({
                method: r.method,
                url: r.url.split('?')[0],
                remoteAddress: r.ip,
              }),
            },
          },
    // issue 10 (trust-scope): request ids are the server's own (a client's x-request-id would
    // put words of its choosing into the audit trail).
    genReqId: () => randomUUID(),
    // Issue 10: forwarding headers are believed only from the proxies configured (none by default).
    trustProxy: opts.config.trustedProxies.length ? opts.config.trustedProxies : false,
    bodyLimit: 2 * 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
  });
  app.decorate('db', opts.db);
  app.decorate('config', opts.config);
  app.decorateRequest('actor', undefined);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  // --- issue 10 (trust-scope): role checks run before body validation; routes' actions recorded.
  app.decorate('routePermissions', [] as RoutePermission[]);
  app.addHook('onRoute', (route) => hoistPermission(route, app.routePermissions));
  // --- end issue 10 (trust-scope)

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(cookie);
  // ---- issue 10 (trust, public half): security headers, same-origin writes, demo-mode notice.
  await app.register(securityPlugin);
  // ---- end issue 10
  await app.register(rateLimit, {
    global: true,
    max: opts.config.rateLimits ? 600 : 1_000_000,
    timeWindow: '1 minute',
    // Route-level limits (login, public endpoints) apply only when limits are on. The web app's
    // own files are not counted (issue 15.6): the service worker fetches the whole build at
    // once, which would use up an address's allowance for the API.
    allowList: opts.config.rateLimits ? (req) => !req.url.startsWith('/api/') : () => true,
  });
  // Issue 15.6: API answers over 1 KB go gzip-compressed to a client that accepts it (a list on
  // 3G is mostly text). Brotli is left to the web app's files, compressed once at build time.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['gzip', 'deflate'] });
  await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1 } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'epiguard API',
        version: VERSION,
        description:
          'Epidemic response platform for a Vietnamese province. Errors: {error, message, fields?}.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  // Who is asking: the session cookie names the actor; the stores below hold every query to that actor's scope.
  // (preValidation: before the routes' role checks, which run before body validation)
  app.addHook('preValidation', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token || !req.url.startsWith('/api/')) return;
    // Issue 10, item 8: idle sessions end; a reset password must be changed first.
    req.actor = await actorForToken(opts.db, token, opts.config.sessionIdleMinutes);
    enforcePasswordChange(req);
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({
    status: 'ok',
    engine: opts.db.engine,
    version: VERSION,
    province: opts.config.province,
  }));
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(authRoutes, { sessionHours: opts.config.sessionHours });
  await app.register(geoRoutes);
  await app.register(siteRoutes);
  await app.register(userRoutes);
  await app.register(auditRoutes);
  await app.register(peopleRoutes);
  await app.register(entryModule);
  await app.register(casesModule);
  await app.register(testingModule);
  await app.register(vaccinationModule);
  await app.register(systemRoutes); // issue 14.1
  await app.register(careModule); // quarantine and treatment (issue 11)
  await app.register(pictureModule); // issue 12 (picture)
  await app.register(ruleSetRoutes); // issue 18 (rule sets)
  await app.register(greenLaneModule); // issue 17 (green lane)
  await app.register(suppliesModule); // issue 18 (supplies)
  await app.register(enforcementModule); // issue 18 (enforcement)
  await app.register(teamsModule); // issue 18 item 2 (community teams)
  await app.register(workplacesModule); // issue 18 item 4 (workplaces and schools)
  await app.register(documentRoutes); // issue 16 item 3 (documents staff print)

  const webDir = opts.webDir ?? WEB_DIR;
  if (existsSync(webDir + 'index.html')) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      // '/' goes to the SPA route below: @fastify/static answers 404 for a directory index
      // when the browser accepts a compressed one (preCompressed).
      index: false,
      // Issue 15.6: the build's .br/.gz twins are sent as they are; a hashed file never changes,
      // so a browser keeps it for a year without asking; anything else is checked every time.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) =>
        res.setHeader(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ),
    });
    const preload = webPreload(webDir);
    // The SPA handles its own routes: any GET that is not the API gets index.html.
    app.get('/*', { schema: { hide: true } }, (req, reply) => {
      if (req.url.startsWith('/api/')) return reply.status(404).send(noRoute(req)); // issue 16 item 6: in the request's language
      // A file of another build (a stale chunk) is missing, not the app: 404, never index.html.
      if (req.url.startsWith('/assets/')) return reply.status(404).send(noRoute(req));
      reply.header('cache-control', 'no-cache');
      const html = preload.htmlFor(req.url.split('?')[0]!); // issue 15.6: the page's own files named
      return html
        ? reply.type('text/html; charset=utf-8').send(html)
        : reply.sendFile('index.html');
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html')
        .send('<p>The web app is not built: run <code>npm run build</code>.</p>'),
    );
  }
  return app;
}
