/**
 * The demo scenario talks to the product as its users do (issue 16 item 8): an in-process app,
 * a login per demo account, and requests through the real endpoints — so every rule, scope
 * check, audit event and maintained aggregate applies to demo data exactly as to real data.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { buildApp } from '../server/app.ts';
import { createSession, destroySession, SESSION_COOKIE } from '../server/auth/sessions.ts';
import type { Config } from '../server/config.ts';
import type { Db } from '../server/db/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface DemoApi {
  /** A request as the demo account `user` (null: the public); throws unless it succeeded. */
  call(user: string | null, method: string, url: string, body?: unknown): Promise<Json>;
  /** A file sent as multipart form data (the results import), as `user`. */
  upload(user: string, url: string, filename: string, data: Buffer): Promise<Json>;
  close(): Promise<void>;
}

export async function openDemoApi(db: Db, config: Config): Promise<DemoApi> {
  const app: FastifyInstance = await buildApp({
    db,
    config,
    logger: false,
  });
  await app.ready();
  const cookies = new Map<string, string>();
  const send = (cookie: string | null, method: string, url: string, body?: unknown) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: { 'accept-language': 'vi', ...(cookie ? { cookie } : {}) },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  // A session per demo account, opened as the login endpoint opens one but without checking the
  // password (the demo's own process; a scrypt check per account would cost seconds).
  const login = async (user: string) => {
    const known = cookies.get(user);
    if (known) return known;
    const u = (
      await db.query<{ id: string }>('SELECT id FROM users WHERE username = $1 AND NOT disabled', [
        user,
      ])
    )[0];
    if (!u) throw new Error(`demo: no account ${user}`);
    const req = { ip: '127.0.0.1', headers: { 'user-agent': 'epiguard demo' } } as FastifyRequest;
    const { token } = await createSession(db, u.id, 1, req);
    const cookie = `${SESSION_COOKIE}=${token}`;
    cookies.set(user, cookie);
    return cookie;
  };
  return {
    async call(user, method, url, body) {
      const r = await send(user ? await login(user) : null, method, url, body);
      if (r.statusCode >= 300)
        throw new Error(`demo ${method} ${url} as ${user ?? 'public'}: ${r.statusCode} ${r.body}`);
      return r.body ? (r.json() as Json) : {};
    },
    async upload(user, url, filename, data) {
      const boundary = `----epiguard-demo-${filename.length}`;
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`,
        ),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const r = await app.inject({
        method: 'POST',
        url,
        payload,
        headers: {
          cookie: await login(user),
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
      });
      if (r.statusCode >= 300)
        throw new Error(`demo upload ${url} as ${user}: ${r.statusCode} ${r.body}`);
      return r.json() as Json;
    },
    async close() {
      for (const cookie of cookies.values())
        await destroySession(db, cookie.slice(SESSION_COOKIE.length + 1));
      await app.close();
    },
  };
}
