// CBOR, CWT and COSE_Sign1 for EU Digital COVID Certificates (RFC 8949, RFC 8392, RFC 9052).
// Headers and claims are decoded as Maps so that integer keys (1, 4, 6, -260) stay integers.
import { constants, sign, verify, type KeyObject } from 'node:crypto';
import { Decoder, Encoder, Tag } from 'cbor-x';

export class CborError extends Error {
  override name = 'CborError';
}

const decoder = new Decoder({ mapsAsObjects: false });
// Plain CBOR only: no record extension, byte strings untagged, minimal map headers.
const encoder = new Encoder({
  useRecords: false,
  mapsAsObjects: false,
  tagUint8Array: false,
  variableMapSize: true,
});

/** Decodes exactly one CBOR item; trailing bytes or malformed input throw CborError. */
export function cborDecode(bytes: Uint8Array): unknown {
  try {
    return decoder.decode(bytes);
  } catch (e) {
    throw new CborError(`malformed CBOR: ${(e as Error).message}`);
  }
}

export function cborEncode(value: unknown): Buffer {
  return encoder.encode(value);
}

export const COSE_HEADER_ALG = 1;
export const COSE_HEADER_KID = 4;
export const CWT_ISS = 1;
export const CWT_EXP = 4;
export const CWT_IAT = 6;
export const CWT_HCERT = -260;
export const HCERT_EU_DCC = 1;
export const COSE_ALG_ES256 = -7;
export const COSE_ALG_PS256 = -37;
const TAG_COSE_SIGN1 = 18;
const TAG_CWT = 61;

export interface CoseSign1 {
  /** Tags found around the structure, outermost first (18, sometimes 61 then 18, or none). */
  tags: number[];
  /** The protected header exactly as received: signatures are checked over these bytes. */
  protectedBytes: Buffer;
  protectedHeader: Map<unknown, unknown>;
  unprotectedHeader: Map<unknown, unknown>;
  payload: Buffer;
  signature: Buffer;
}

export function decodeCoseSign1(bytes: Uint8Array): CoseSign1 {
  let item = cborDecode(bytes);
  const tags: number[] = [];
  while (item instanceof Tag) {
    if ((item.tag !== TAG_COSE_SIGN1 && item.tag !== TAG_CWT) || tags.length >= 4) {
      throw new CborError(`unexpected CBOR tag ${item.tag} around COSE_Sign1`);
    }
    tags.push(item.tag);
    item = item.value;
  }
  if (!Array.isArray(item) || item.length !== 4) {
    throw new CborError('COSE_Sign1 must be an array of 4 items');
  }
  const [prot, unprot, payload, signature] = item as unknown[];
  if (!(prot instanceof Uint8Array)) throw new CborError('protected header must be a byte string');
  if (!(unprot instanceof Map)) throw new CborError('unprotected header must be a map');
  if (!(payload instanceof Uint8Array)) throw new CborError('payload must be a byte string');
  if (!(signature instanceof Uint8Array)) throw new CborError('signature must be a byte string');
  let protectedHeader = new Map<unknown, unknown>();
  if (prot.length) {
    const h = cborDecode(prot);
    if (!(h instanceof Map)) throw new CborError('protected header must encode a map');
    protectedHeader = h;
  }
  return {
    tags,
    protectedBytes: asBuffer(prot),
    protectedHeader,
    unprotectedHeader: unprot,
    payload: asBuffer(payload),
    signature: asBuffer(signature),
  };
}

function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** The key identifier: from the protected header, or from the unprotected one only when the
 * protected header has none. `null` when absent or not a byte string. */
export function coseKid(cose: CoseSign1): Buffer | null {
  const kid = cose.protectedHeader.has(COSE_HEADER_KID)
    ? cose.protectedHeader.get(COSE_HEADER_KID)
    : cose.unprotectedHeader.get(COSE_HEADER_KID);
  return kid instanceof Uint8Array ? asBuffer(kid) : null;
}

export function coseAlg(cose: CoseSign1): unknown {
  return cose.protectedHeader.has(COSE_HEADER_ALG)
    ? cose.protectedHeader.get(COSE_HEADER_ALG)
    : cose.unprotectedHeader.get(COSE_HEADER_ALG);
}

function bstrHead(length: number): Buffer {
  if (length < 24) return Buffer.from([0x40 | length]);
  if (length < 0x100) return Buffer.from([0x58, length]);
  if (length < 0x10000) return Buffer.from([0x59, length >> 8, length & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x5a;
  b.writeUInt32BE(length, 1);
  return b;
}

// CBOR array(4) + text "Signature1"
const SIG1_PREFIX = Buffer.concat([Buffer.from([0x84, 0x6a]), Buffer.from('Signature1')]);
const EMPTY_BSTR = Buffer.from([0x40]);

/** `Sig_structure = ["Signature1", protected, external_aad = h'', payload]`, CBOR-encoded. */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Buffer {
  return Buffer.concat([
    SIG1_PREFIX,
    bstrHead(protectedBytes.length),
    protectedBytes,
    EMPTY_BSTR,
    bstrHead(payload.length),
    payload,
  ]);
}

/** Whether `cose` carries a valid signature by `publicKey` under its `alg`. Throws for an
 * unsupported algorithm or a key that does not fit it. */
export function verifyCoseSignature(cose: CoseSign1, publicKey: KeyObject): boolean {
  const alg = coseAlg(cose);
  const data = sigStructure(cose.protectedBytes, cose.payload);
  if (alg === COSE_ALG_ES256) {
    if (publicKey.asymmetricKeyType !== 'ec') throw new Error('ES256 needs an EC key');
    if (publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error('ES256 needs a P-256 key');
    }
    if (cose.signature.length !== 64) return false;
    return verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, cose.signature);
  }
  if (alg === COSE_ALG_PS256) {
    if (publicKey.asymmetricKeyType !== 'rsa' && publicKey.asymmetricKeyType !== 'rsa-pss') {
      throw new Error('PS256 needs an RSA key');
    }
    return verify(
      'sha256',
      data,
      { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      cose.signature,
    );
  }
  throw new Error(`unsupported COSE algorithm ${String(alg)}`);
}

/** A COSE_Sign1 (tag 18) over `payload`, with `alg` and `kid` in the protected header. */
export function signCoseSign1(
  payload: Uint8Array,
  key: KeyObject,
  alg: -7 | -37,
  kid: Uint8Array,
): Buffer {
  const protectedBytes = cborEncode(
    new Map<number, unknown>([
      [COSE_HEADER_ALG, alg],
      [COSE_HEADER_KID, asBuffer(kid)],
    ]),
  );
  const data = sigStructure(protectedBytes, payload);
  const signature =
    alg === COSE_ALG_ES256
      ? sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return cborEncode(
    new Tag([protectedBytes, new Map(), asBuffer(payload), signature], TAG_COSE_SIGN1),
  );
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** Converts decoded CBOR to JSON values: maps need text keys, date-time tags (0, 1) become
 * ISO 8601 strings; byte strings, unknown tags, undefined and non-finite numbers are refused. */
export function cborToJson(value: unknown, depth = 0): JsonValue {
  if (depth > 32) throw new CborError('CBOR nested too deeply');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CborError('non-finite number');
    return value;
  }
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new CborError('integer out of range');
    }
    return Number(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new CborError('invalid date-time');
    return value.toISOString().replace('.000Z', 'Z');
  }
  if (Array.isArray(value)) return value.map((v) => cborToJson(v, depth + 1));
  if (value instanceof Map) {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, v] of value) {
      if (typeof k !== 'string') throw new CborError(`map key ${String(k)} is not text`);
      if (k === '__proto__') throw new CborError('map key __proto__ is not allowed');
      out[k] = cborToJson(v, depth + 1);
    }
    return out;
  }
  if (value instanceof Tag) throw new CborError(`unexpected CBOR tag ${value.tag}`);
  if (value instanceof Uint8Array) throw new CborError('unexpected byte string');
  throw new CborError(`unexpected CBOR value (${typeof value})`);
}
