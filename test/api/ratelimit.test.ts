import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ rateLimits: true });
});
afterAll(() => t?.close());

describe(`rate limits on ${ENGINE}`, () => {
  it('throttles login attempts from one address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) {
      const r = await t.as(null, 'POST', '/api/v1/auth/login', {
        username: `u${i}`,
        password: 'wrong-password',
      });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes[20]).toBe(429);
    const last = await t.as(null, 'POST', '/api/v1/auth/login', {
      username: 'admin',
      password: 'admin-password-1',
    });
    expect(last.statusCode).toBe(429);
    expect(last.json().error).toBe('rate_limited');
  });

  it("does not count the web app's own files (the service worker fetches the whole build)", async () => {
    const codes = new Set<number>();
    for (let i = 0; i < 650; i++) codes.add((await t.as(null, 'GET', '/login')).statusCode);
    expect([...codes]).not.toContain(429);
    // the API allowance of the same address is untouched
    expect((await t.as(null, 'GET', '/healthz')).statusCode).toBe(200);
    expect((await t.as(null, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('throttles the public reference endpoints', async () => {
    let limited = 0;
    for (let i = 0; i < 310; i++) {
      const r = await t.as(null, 'GET', '/api/v1/admin-units/11');
      if (r.statusCode === 429) limited++;
    }
    expect(limited).toBe(10);
  });
});
