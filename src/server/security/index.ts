import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Is a state-changing request from another site? Browsers say so in Sec-Fetch-Site; older ones
 * send Origin, which must name this host. A request with neither (a script, curl, the tests)
 * carries no cookie a browser attached on another site's behalf, so it goes through.
 */
export function crossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    return new URL(origin).host !== req.host;
  } catch {
    return true; // "null" (a sandboxed frame, a file) or garbage
  }
}

/**
 * Issue 10 (items 12, 13): security headers on every answer (CSP, frame-ancestors, nosniff,
 * referrer policy; HSTS when the request came over HTTPS), writes from another site refused,
 * and whether this server runs in demo mode, for the web app's banner.
 */
async function security(app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // issue 14.6: the QR reader is WebAssembly (our own /assets/ .wasm); 'wasm-unsafe-eval'
        // lets the page compile it and allows no JavaScript eval.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        // Mantine writes its theme variables in a <style> element and sizes with style="".
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // HSTS only where the browser reached us over HTTPS (set below), never on plain HTTP.
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });

  app.addHook('onRequest', async (req, reply) => {
    if (req.protocol === 'https')
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (!SAFE_METHODS.has(req.method) && req.url.startsWith('/api/') && crossSite(req))
      throw new AppError(
        403,
        'cross_origin',
        'Yêu cầu từ trang web khác bị từ chối / A request from another site is refused',
      );
  });

  app.get(
    '/api/v1/public/instance',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Whether this server runs in demo mode (known passwords; the web app shows a banner)',
        security: [],
      },
    },
    async () => ({ demo: app.config.demo, province: app.config.province }),
  );
}
// Hooks and headers apply to the whole application, not only inside this plugin.
(security as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
export const securityPlugin = security;
