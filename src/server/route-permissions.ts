import type { RouteOptions } from 'fastify';
import type { Action } from '../domain/access.ts';

/** One route and the action its role check requires (null: no role check on the route). */
export interface RoutePermission {
  method: string;
  url: string;
  action: Action | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with the action it requires, for the role × endpoint tests and the docs. */
    routePermissions: RoutePermission[];
  }
}

const permissionOf = (fn: unknown): Action | undefined =>
  typeof fn === 'function' ? (fn as { permission?: Action }).permission : undefined;

/**
 * An `onRoute` hook: moves a route's role check (`requirePermission`) from preHandler to
 * preValidation, so a role that may not use an endpoint is refused (404, audited) before its body
 * is validated and learns nothing of its fields; and records the route's action.
 */
export function hoistPermission(route: RouteOptions, into: RoutePermission[]): void {
  const pre = route.preHandler;
  const list = pre === undefined ? [] : Array.isArray(pre) ? pre : [pre];
  const checks = list.filter((f) => permissionOf(f));
  if (checks.length) {
    route.preHandler = list.filter((f) => !permissionOf(f));
    const pv = route.preValidation;
    route.preValidation = [...checks, ...(pv === undefined ? [] : Array.isArray(pv) ? pv : [pv])];
  }
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  for (const method of methods)
    into.push({ method, url: route.url, action: permissionOf(checks[0]) ?? null });
}
