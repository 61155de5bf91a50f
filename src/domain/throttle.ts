/**
 * Growing delays after failed attempts (logins, result lookups). Pure: the store in
 * src/server/security/throttle.ts keeps the counts.
 */
export interface ThrottlePolicy {
  /** Failures before the first delay (the last of them starts it). */
  free: number;
  /** The first delay, in seconds; each further failure doubles it. */
  baseSeconds: number;
  /** The longest delay, in seconds. */
  maxSeconds: number;
  /** Failures older than this are forgotten, in seconds. */
  windowSeconds: number;
}

/** Logins per (username, client): 5 free, then 30 s, 60 s, … up to 15 minutes. */
export const LOGIN_POLICY: ThrottlePolicy = {
  free: 5,
  baseSeconds: 30,
  maxSeconds: 15 * 60,
  windowSeconds: 24 * 3600,
};

/** Result lookups per client: 5 wrong codes free, then 60 s, 120 s, … up to one hour. */
export const LOOKUP_CLIENT_POLICY: ThrottlePolicy = {
  free: 5,
  baseSeconds: 60,
  maxSeconds: 3600,
  windowSeconds: 24 * 3600,
};

/** Lookups of one code (right or wrong), from anywhere: 10 free, then 5 minutes and more. */
export const LOOKUP_CODE_POLICY: ThrottlePolicy = {
  free: 10,
  baseSeconds: 300,
  maxSeconds: 24 * 3600,
  windowSeconds: 24 * 3600,
};

/** Seconds to wait after the `failures`-th failure in a row (0: no wait): the `free`-th starts it. */
export function backoffSeconds(failures: number, p: ThrottlePolicy): number {
  if (failures < p.free) return 0;
  const steps = failures - p.free;
  return Math.min(p.maxSeconds, p.baseSeconds * 2 ** Math.min(steps, 30));
}
