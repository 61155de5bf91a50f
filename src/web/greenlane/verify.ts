/**
 * Verifying a green-lane permit QR on the checkpoint's phone without a connection: the public
 * keys of GET /api/v1/public/green-lane/keys and the revocation list of
 * GET /api/v1/public/green-lane/revocations are kept in localStorage, the COSE_Sign1 signature
 * is checked with WebCrypto, and validity is decided by the same pure function as on the server
 * (src/domain/greenlane.ts). A code whose signature does not verify is refused; a revoked
 * permit lapses from its revocation as the phone last heard of it.
 */
import { Decoder, Tag } from 'cbor-x';
import { permitValidity, type PermitValidity } from '../../domain/greenlane.ts';
import { api } from '../api.ts';

const KEYS_STORAGE = 'epiguard.greenlane.keys';
const REVOKED_STORAGE = 'epiguard.greenlane.revoked';
const PREFIX = 'GL1:';
const decoder = new Decoder({ mapsAsObjects: false });

export interface PermitKey {
  kid: string;
  spki: string;
  alg: 'ES256' | 'PS256';
  notAfter: string;
}

export function cachedKeys(): PermitKey[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEYS_STORAGE) ?? '[]');
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** Fetches the keys when online and keeps them; offline, the kept ones serve. */
export async function refreshKeys(): Promise<PermitKey[]> {
  try {
    const r = await api<{ keys: PermitKey[] }>('/api/v1/public/green-lane/keys');
    localStorage.setItem(KEYS_STORAGE, JSON.stringify(r.keys));
    return r.keys;
  } catch {
    return cachedKeys();
  }
}

/** The revocation list as last fetched: permit id → revoked at, and when it was fetched. */
export interface Revocations {
  at: string | null;
  revoked: Record<string, string>;
}

export function cachedRevocations(): Revocations {
  try {
    const v = JSON.parse(localStorage.getItem(REVOKED_STORAGE) ?? 'null');
    return v && typeof v.revoked === 'object' ? v : { at: null, revoked: {} };
  } catch {
    return { at: null, revoked: {} };
  }
}

/** Fetches the revocation list when online and keeps it; offline, the kept one serves. */
export async function refreshRevocations(): Promise<Revocations> {
  try {
    const r = await api<{ at: string; revoked: { permitId: string; revokedAt: string }[] }>(
      '/api/v1/public/green-lane/revocations',
    );
    const v = {
      at: r.at,
      revoked: Object.fromEntries(r.revoked.map((x) => [x.permitId, x.revokedAt])),
    };
    localStorage.setItem(REVOKED_STORAGE, JSON.stringify(v));
    return v;
  } catch {
    return cachedRevocations();
  }
}

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const b64url = (s: string) =>
  b64(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
const toB64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));

function bstr(b: Uint8Array): number[] {
  const n = b.length;
  if (n < 24) return [0x40 | n];
  if (n < 0x100) return [0x58, n];
  return [0x59, n >> 8, n & 0xff];
}
/** Sig_structure = ["Signature1", protected, h'', payload] (RFC 9052), CBOR-encoded. */
function sigStructure(prot: Uint8Array, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const head = [0x84, 0x6a, ...new TextEncoder().encode('Signature1')];
  return new Uint8Array([...head, ...bstr(prot), ...prot, 0x40, ...bstr(payload), ...payload]);
}

export type OfflineCheck =
  | {
      ok: true;
      plate: string;
      windowFrom: string;
      windowTo: string;
      validity: PermitValidity;
      /** issue 17 item 3: the people the permit binds (the officer counts them on board) */
      crew: number;
    }
  | { ok: false; problem: 'format' | 'signature' | 'no_keys' };

const iso = (s: unknown) => new Date((s as number) * 1000).toISOString();

export async function verifyOffline(
  text: string,
  keys: PermitKey[],
  at = Date.now(),
  revocations: Revocations = cachedRevocations(),
): Promise<OfflineCheck> {
  if (!keys.length) return { ok: false, problem: 'no_keys' };
  const body = text.trim();
  if (!body.startsWith(PREFIX) || !/^[A-Za-z0-9_-]+$/.test(body.slice(PREFIX.length)))
    return { ok: false, problem: 'format' };
  try {
    let item: unknown = decoder.decode(b64url(body.slice(PREFIX.length)));
    if (item instanceof Tag) item = item.value;
    const [prot, , payload, sig] = item as Uint8Array[];
    const header = decoder.decode(prot!) as Map<number, unknown>;
    const kid = toB64(header.get(4) as Uint8Array);
    const key = keys.find((k) => k.kid === kid);
    if (!key) return { ok: false, problem: 'signature' };
    const data = sigStructure(prot!, payload!);
    const signature = new Uint8Array(sig!);
    const good =
      key.alg === 'ES256'
        ? await crypto.subtle.verify(
            { name: 'ECDSA', hash: 'SHA-256' },
            await crypto.subtle.importKey(
              'spki',
              b64(key.spki),
              { name: 'ECDSA', namedCurve: 'P-256' },
              false,
              ['verify'],
            ),
            signature,
            data,
          )
        : await crypto.subtle.verify(
            { name: 'RSA-PSS', saltLength: 32 },
            await crypto.subtle.importKey(
              'spki',
              b64(key.spki),
              { name: 'RSA-PSS', hash: 'SHA-256' },
              false,
              ['verify'],
            ),
            signature,
            data,
          );
    if (!good) return { ok: false, problem: 'signature' };
    const m = decoder.decode(payload!) as Map<string, unknown>;
    const facts = {
      windowFrom: iso(m.get('wf')),
      windowTo: iso(m.get('wt')),
      orderEndsAt: m.get('oe') === null ? null : iso(m.get('oe')),
      crewSampledAt: (m.get('ts') as number[]).map(iso),
      ruleSetId: String(m.get('rs')),
      testValidHours: Number(m.get('h')),
      revokedAt: revocations.revoked[String(m.get('id'))] ?? null,
    };
    return {
      ok: true,
      plate: String(m.get('pl')),
      windowFrom: facts.windowFrom,
      windowTo: facts.windowTo,
      validity: permitValidity(facts, at),
      crew: facts.crewSampledAt.length,
    };
  } catch {
    return { ok: false, problem: 'format' };
  }
}
