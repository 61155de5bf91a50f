/**
 * The demo scenario talks to the product as its users do (issue 16 item 8): an in-process app,
 * a login per demo account, and requests through the real endpoints — so every rule, scope
 * check, audit event and maintained aggregate applies to demo data exactly as to real data.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { DEMO_PASSWORD } from '../server/auth/passwords.ts';
import type { Config } from '../server/config.ts';
import type { Db } from '../server/db/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface DemoApi {
  /** A request as the demo account `user` (null: the public); throws unless it succeeded. */
  call(user: string | null, method: string, url: string, body?: unknown): Promise<Json>;
  close(): Promise<void>;
}

export async function openDemoApi(db: Db, config: Config): Promise<DemoApi> {
  // Demo mode: the demo accounts' published password is accepted (issue 10 item 13).
  const app: FastifyInstance = await buildApp({
    db,
    config: { ...config, demo: true },
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
  const login = async (user: string) => {
    const known = cookies.get(user);
    if (known) return known;
    const r = await send(null, 'POST', '/api/v1/auth/login', {
      username: user,
      password: DEMO_PASSWORD,
    });
    if (r.statusCode !== 200) throw new Error(`demo login ${user}: ${r.statusCode} ${r.body}`);
    const c = r.cookies.find((k) => k.name === 'eg_session');
    const cookie = `eg_session=${c!.value}`;
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
    async close() {
      for (const cookie of cookies.values())
        await send(cookie, 'POST', '/api/v1/auth/logout').catch(() => undefined);
      await app.close();
    },
  };
}
