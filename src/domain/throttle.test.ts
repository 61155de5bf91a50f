import { describe, expect, it } from 'vitest';
import { backoffSeconds, LOGIN_POLICY, LOOKUP_CLIENT_POLICY } from './throttle.ts';

describe('backoffSeconds', () => {
  it('lets four failures through; the fifth starts the delay, which doubles', () => {
    expect(backoffSeconds(0, LOGIN_POLICY)).toBe(0);
    expect(backoffSeconds(4, LOGIN_POLICY)).toBe(0);
    expect(backoffSeconds(5, LOGIN_POLICY)).toBe(30);
    expect(backoffSeconds(6, LOGIN_POLICY)).toBe(60);
    expect(backoffSeconds(8, LOGIN_POLICY)).toBe(240);
  });
  it('stops growing at the maximum', () => {
    expect(backoffSeconds(9, LOGIN_POLICY)).toBe(480);
    expect(backoffSeconds(10, LOGIN_POLICY)).toBe(900);
    expect(backoffSeconds(1000, LOGIN_POLICY)).toBe(900);
    expect(backoffSeconds(5, LOOKUP_CLIENT_POLICY)).toBe(60);
    expect(backoffSeconds(1000, LOOKUP_CLIENT_POLICY)).toBe(3600);
  });
});
