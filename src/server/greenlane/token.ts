/**
 * The permit QR: a COSE_Sign1 signed with the province's certificate key (the very signer and
 * trust list of the vaccination certificates, src/server/vaccination), carrying only what a
 * checkpoint needs to decide offline: the plate, the window, the order's end, when each crew
 * member's test was sampled (no names), the test validity and the rule set. Text form:
 * "GL1:" + base64url(COSE_Sign1). A checkpoint phone verifies it with the public keys of
 * GET /api/v1/public/green-lane/keys (src/web/greenlane/verify.ts).
 */
import { permitValidity, type PermitFacts, type PermitValidity } from '../../domain/greenlane.ts';
import {
  cborDecode,
  cborEncode,
  CborError,
  decodeCoseSign1,
  signCoseSign1,
} from '../vaccination/dcc-cose.ts';
import { checkSignature } from '../vaccination/dcc.ts';
import type { DccSigner, DccTrustList } from '../vaccination/dcc-keys.ts';

export const PERMIT_PREFIX = 'GL1:';

/** What the QR says (instants as epoch seconds). */
export interface PermitClaims {
  permitId: string;
  plate: string;
  windowFrom: string;
  windowTo: string;
  orderEndsAt: string | null;
  crewSampledAt: string[];
  testValidHours: number;
  ruleSetId: string;
  issuedAt: string;
}

const sec = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const isoOf = (s: unknown) => {
  if (typeof s !== 'number' || !Number.isSafeInteger(s)) throw new CborError('instant expected');
  return new Date(s * 1000).toISOString();
};

export function signPermit(claims: PermitClaims, signer: DccSigner): string {
  const payload = cborEncode(
    new Map<string, unknown>([
      ['v', 1],
      ['id', claims.permitId],
      ['pl', claims.plate],
      ['wf', sec(claims.windowFrom)],
      ['wt', sec(claims.windowTo)],
      ['oe', claims.orderEndsAt === null ? null : sec(claims.orderEndsAt)],
      ['ts', claims.crewSampledAt.map(sec)],
      ['h', claims.testValidHours],
      ['rs', claims.ruleSetId],
      ['iat', sec(claims.issuedAt)],
    ]),
  );
  const cose = signCoseSign1(payload, signer.privateKey, signer.alg, signer.certificate.kid);
  return PERMIT_PREFIX + Buffer.from(cose).toString('base64url');
}

export type PermitCheck =
  | { ok: true; claims: PermitClaims; validity: PermitValidity }
  | { ok: false; problem: 'format' | 'signature' };

function claimsOf(payload: Uint8Array): PermitClaims {
  const m = cborDecode(payload);
  if (!(m instanceof Map) || m.get('v') !== 1) throw new CborError('not a permit');
  const text = (k: string) => {
    const v = m.get(k);
    if (typeof v !== 'string' || v.length > 100) throw new CborError(`${k} must be text`);
    return v;
  };
  const ts = m.get('ts');
  const h = m.get('h');
  if (!Array.isArray(ts) || ts.length > 10) throw new CborError('ts must be a list');
  if (typeof h !== 'number' || !(h > 0)) throw new CborError('h must be a number');
  return {
    permitId: text('id'),
    plate: text('pl'),
    windowFrom: isoOf(m.get('wf')),
    windowTo: isoOf(m.get('wt')),
    orderEndsAt: m.get('oe') === null ? null : isoOf(m.get('oe')),
    crewSampledAt: ts.map(isoOf),
    testValidHours: h,
    ruleSetId: text('rs'),
    issuedAt: isoOf(m.get('iat')),
  };
}

export const factsOf = (c: PermitClaims): PermitFacts => ({
  windowFrom: c.windowFrom,
  windowTo: c.windowTo,
  orderEndsAt: c.orderEndsAt,
  crewSampledAt: c.crewSampledAt,
  ruleSetId: c.ruleSetId,
  testValidHours: c.testValidHours,
});

/**
 * Checks the signature against the trust list, then decides validity at `at`; `revokedAt` says
 * when the authority revoked a permit id (null: not revoked).
 */
export function verifyPermit(
  text: string,
  trust: DccTrustList,
  at: number,
  revokedAt: (permitId: string) => string | null = () => null,
): PermitCheck {
  if (!text.startsWith(PERMIT_PREFIX) || text.length > 2000)
    return { ok: false, problem: 'format' };
  const body = text.slice(PERMIT_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return { ok: false, problem: 'format' };
  try {
    const cose = decodeCoseSign1(Buffer.from(body, 'base64url'));
    if (!checkSignature(cose, trust).ok) return { ok: false, problem: 'signature' };
    const claims = claimsOf(cose.payload);
    const facts = { ...factsOf(claims), revokedAt: revokedAt(claims.permitId) };
    return { ok: true, claims, validity: permitValidity(facts, at) };
  } catch {
    return { ok: false, problem: 'format' };
  }
}
