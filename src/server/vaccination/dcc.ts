// EU Digital COVID Certificates (DCC): issue vaccination, test and recovery certificates signed
// with the province's key, and verify certificates from any issuer against a list of trusted
// document signer certificates (DSC).
//
// Issuing: JSON payload → CBOR → CWT claims (1 iss, 4 exp, 6 iat, -260 → 1 → payload) → COSE_Sign1
// (ES256, or PS256 for an RSA key) → zlib → base45 → "HC1:" text → QR image.
// Verifying runs the same pipeline backwards and reports each step separately.
import { readFileSync } from 'node:fs';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { base45Decode, base45Encode } from './dcc-base45.ts';
import {
  cborDecode,
  cborEncode,
  cborToJson,
  CborError,
  coseAlg,
  coseKid,
  CWT_EXP,
  CWT_HCERT,
  CWT_IAT,
  CWT_ISS,
  decodeCoseSign1,
  HCERT_EU_DCC,
  signCoseSign1,
  verifyCoseSignature,
  type CoseSign1,
  type JsonValue,
} from './dcc-cose.ts';
import {
  DccTrustList,
  loadSigner,
  type DccCertificateType,
  type DccSigner,
  type DccSignerCertificate,
} from './dcc-keys.ts';
import { readQrPng, writeQrPng } from './dcc-qr.ts';

export { base45Decode, base45Encode, Base45Error } from './dcc-base45.ts';
export {
  cborDecode,
  cborEncode,
  cborToJson,
  coseKid,
  decodeCoseSign1,
  type CoseSign1,
} from './dcc-cose.ts';
export {
  DCC_CERTIFICATE_TYPES,
  DCC_EKU_OIDS,
  DccKeyError,
  chainsToCsca,
  DccTrustList,
  dccKid,
  generateDemoCsca,
  generateDemoSigner,
  loadPrivateKey,
  loadSigner,
  parseCertificates,
  signerCertificate,
  type DccCertificateType,
  type DccSigner,
  type DccSignerCertificate,
  type DemoSigner,
  type DemoSignerOptions,
} from './dcc-keys.ts';
export { readQrPng, writeQrPng, QrImageError } from './dcc-qr.ts';

export const DCC_PREFIX = 'HC1:';
/** Largest COSE we inflate: real DCCs are a few KiB; this bounds a zip bomb. */
const MAX_COSE_BYTES = 256 * 1024;

export type DccPayload = { [k: string]: JsonValue };

export const DCC_STEPS = [
  'image',
  'prefix',
  'base45',
  'decompress',
  'decode',
  'signature',
  'schema',
  'expiry',
  'keyUsage',
] as const;
export type DccStep = (typeof DCC_STEPS)[number];
/** `true` passed, `false` failed, `null` could not run (an earlier step failed, or no input). */
export type DccSteps = Record<DccStep, boolean | null>;

export interface DccClaims {
  issuer: string | null;
  /** ISO 8601, from CWT claims 6 and 4. */
  issuedAt: string | null;
  expiresAt: string | null;
  /** Key identifier (base64) and COSE algorithm from the headers. */
  kid: string | null;
  alg: number | null;
  /** Subject of the trusted DSC whose key identifier matched. */
  signer: string | null;
}

export interface DccVerification {
  valid: boolean;
  steps: DccSteps;
  payload: DccPayload | null;
  claims: DccClaims | null;
  /** Why steps failed or could not run, in pipeline order; empty when valid. */
  reasons: string[];
}

export class DccError extends Error {
  override name = 'DccError';
}

// ---------------------------------------------------------------------------------------------
// Time

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Parses an ISO 8601 date or date-time. A missing zone designator means UTC; `+0200`,
 * `+02:00`, `+02` and any number of fractional digits are accepted. Throws on anything else. */
export function parseInstant(text: string): Date {
  const m = INSTANT.exec(text.trim());
  if (!m) throw new DccError(`not an ISO 8601 date-time: ${JSON.stringify(text)}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const ms = Math.round(Number(`0.${frac || '0'}`) * 1000);
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 60
  ) {
    throw new DccError(`not a valid date-time: ${JSON.stringify(text)}`);
  }
  if (zone !== 'Z' && zone !== 'z') {
    const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (!zm) throw new DccError(`bad zone in ${JSON.stringify(text)}`);
    const offset = (Number(zm[2]) * 60 + Number(zm[3] ?? 0)) * (zm[1] === '-' ? -1 : 1);
    t -= offset * 60_000;
  }
  return new Date(t);
}

/** `date` plus `months` calendar months (UTC). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Schema

/** Returns the schema problems of a payload; an empty list means valid. */
export type DccSchemaValidator = (payload: unknown) => string[];

/** The DCC JSON Schema shipped with the product (1.3.3, see data/dcc-schema/README.md). */
export const DCC_SCHEMA_FILE = new URL(
  '../../../data/dcc-schema/DCC.combined-schema.json',
  import.meta.url,
);

export function loadDccSchema(file: string | URL = DCC_SCHEMA_FILE): object {
  return JSON.parse(readFileSync(file, 'utf8')) as object;
}

const compiled = new WeakMap<object, DccSchemaValidator>();

/** Compiles a DCC JSON Schema (draft 2020-12) once; later calls with the same object reuse it. */
export function compileDccSchema(schema: object): DccSchemaValidator {
  const hit = compiled.get(schema);
  if (hit) return hit;
  const ajv = new Ajv2020({ strict: false, allErrors: true }); // third-party schema: no authoring lint;
  ajv.addKeyword({ keyword: 'valueset-uri', schemaType: 'string' }); // annotation only
  addFormats(ajv, ['date', 'date-time']);
  const validate = ajv.compile(schema);
  const validator: DccSchemaValidator = (payload) =>
    validate(payload)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  compiled.set(schema, validator);
  return validator;
}

let defaultValidator: DccSchemaValidator | undefined;

function schemaValidator(schema: object | DccSchemaValidator | undefined): DccSchemaValidator {
  if (typeof schema === 'function') return schema as DccSchemaValidator;
  if (schema) return compileDccSchema(schema);
  defaultValidator ??= compileDccSchema(loadDccSchema());
  return defaultValidator;
}

/** The certificate type of a payload, or `null` unless it holds exactly one of `v`, `t`, `r`
 * (as a non-empty array). */
export function dccCertificateType(payload: unknown): DccCertificateType | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  const present = (['v', 't', 'r'] as const).filter((k) => p[k] !== undefined);
  if (present.length !== 1) return null;
  const key = present[0] as 'v' | 't' | 'r';
  if (!Array.isArray(p[key]) || !p[key].length) return null;
  return key === 'v' ? 'vaccination' : key === 't' ? 'test' : 'recovery';
}

/** Schema problems plus the one-entry-type rule; an empty list means valid. */
export function dccSchemaProblems(
  payload: unknown,
  schema?: object | DccSchemaValidator,
): string[] {
  const problems = schemaValidator(schema)(payload);
  if (!dccCertificateType(payload)) {
    problems.push('payload must hold exactly one non-empty entry list: v, t or r');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Pipeline steps (each throws DccError or a more specific error when it fails)

export function unprefix(text: string): string {
  if (!text.startsWith(DCC_PREFIX)) {
    const shown = text.slice(0, 4);
    throw new DccError(`context identifier must be ${DCC_PREFIX}, found ${JSON.stringify(shown)}`);
  }
  return text.slice(DCC_PREFIX.length);
}

/** zlib inflation; data that is not a zlib stream (raw COSE included) fails. */
export function decompress(bytes: Uint8Array): Buffer {
  try {
    return inflateSync(bytes, { maxOutputLength: MAX_COSE_BYTES });
  } catch (e) {
    throw new DccError(`not a zlib stream: ${(e as Error).message}`);
  }
}

export interface DecodedDcc {
  cose: CoseSign1;
  claims: Map<unknown, unknown>;
  issuer: string | null;
  /** Epoch seconds, `null` when absent or not a number. */
  issuedAt: number | null;
  expiresAt: number | null;
  payload: DccPayload;
}

function epochSeconds(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime() / 1000;
  return null;
}

function dccMapToPayload(dcc: unknown): DccPayload {
  if (!(dcc instanceof Map)) throw new CborError('the DCC payload must be a map');
  return cborToJson(dcc) as DccPayload;
}

/** Parses a COSE_Sign1 holding a CWT with a health certificate (claim -260 → 1). */
export function decodeDcc(coseBytes: Uint8Array): DecodedDcc {
  const cose = decodeCoseSign1(coseBytes);
  const claims = cborDecode(cose.payload);
  if (!(claims instanceof Map)) throw new CborError('CWT payload must be a map');
  const hcert = claims.get(CWT_HCERT);
  if (!(hcert instanceof Map)) throw new CborError('CWT has no health certificate claim -260');
  if (!hcert.has(HCERT_EU_DCC)) throw new CborError('claim -260 has no EU DCC (key 1)');
  const issuer = claims.get(CWT_ISS);
  return {
    cose,
    claims,
    issuer: typeof issuer === 'string' ? issuer : null,
    issuedAt: epochSeconds(claims.get(CWT_IAT)),
    expiresAt: epochSeconds(claims.get(CWT_EXP)),
    payload: dccMapToPayload(hcert.get(HCERT_EU_DCC)),
  };
}

/** The DCC payload from CBOR bytes holding either the DCC map itself or a whole CWT claims map
 * (producers differ). Throws on malformed CBOR. */
export function decodeDccCbor(bytes: Uint8Array): DccPayload {
  const item = cborDecode(bytes);
  if (item instanceof Map && item.has(CWT_HCERT)) {
    const hcert = item.get(CWT_HCERT);
    if (!(hcert instanceof Map)) throw new CborError('claim -260 must be a map');
    return dccMapToPayload(hcert.get(HCERT_EU_DCC));
  }
  return dccMapToPayload(item);
}

export interface SignatureCheck {
  ok: boolean;
  /** The trusted DSC whose key identifier matches (also when the signature is bad). */
  signer: DccSignerCertificate | null;
  reasons: string[];
}

export function checkSignature(cose: CoseSign1, trust: DccTrustList): SignatureCheck {
  const kid = coseKid(cose);
  if (!kid) return { ok: false, signer: null, reasons: ['COSE headers carry no key identifier'] };
  const candidates = trust.withKid(kid);
  if (!candidates.length) {
    const b64 = kid.toString('base64');
    return { ok: false, signer: null, reasons: [`no trusted signer certificate has kid ${b64}`] };
  }
  const reasons: string[] = [];
  for (const c of candidates) {
    try {
      if (verifyCoseSignature(cose, c.publicKey)) return { ok: true, signer: c, reasons: [] };
      reasons.push(`signature does not verify with ${c.cert.subject.replace(/\n/g, ', ')}`);
    } catch (e) {
      reasons.push(`signature: ${(e as Error).message}`);
    }
  }
  return { ok: false, signer: candidates[0] ?? null, reasons };
}

/** `at` lies in the CWT's issued-at..expiry (inclusive) and, with a signer, that window lies in
 * the DSC's validity (which puts `at` there too). `null` when the CWT part passes but there is no
 * signer certificate to check against. */
export function checkExpiry(
  decoded: Pick<DecodedDcc, 'issuedAt' | 'expiresAt'>,
  at: Date,
  signer: DccSignerCertificate | null,
): { ok: boolean | null; reasons: string[] } {
  const reasons: string[] = [];
  const now = at.getTime();
  const { issuedAt, expiresAt } = decoded;
  if (issuedAt === null) reasons.push('CWT has no issued-at claim (6)');
  if (expiresAt === null) reasons.push('CWT has no expiry claim (4)');
  if (issuedAt !== null && now < issuedAt * 1000) {
    reasons.push(`not yet valid: issued at ${iso(issuedAt)}, checked at ${at.toISOString()}`);
  }
  if (expiresAt !== null && now > expiresAt * 1000) {
    reasons.push(`expired at ${iso(expiresAt)}, checked at ${at.toISOString()}`);
  }
  if (signer && issuedAt !== null && expiresAt !== null) {
    const nb = signer.notBefore.getTime();
    const na = signer.notAfter.getTime();
    if (now < nb || now > na) {
      reasons.push(
        `signer certificate is not valid at ${at.toISOString()} (${signer.notBefore.toISOString()} to ${signer.notAfter.toISOString()})`,
      );
    } else if (issuedAt * 1000 < nb || expiresAt * 1000 > na) {
      reasons.push(
        `certificate validity ${iso(issuedAt)} to ${iso(expiresAt)} lies outside the signer certificate's ${signer.notBefore.toISOString()} to ${signer.notAfter.toISOString()}`,
      );
    }
  }
  if (reasons.length) return { ok: false, reasons };
  return signer
    ? { ok: true, reasons }
    : { ok: null, reasons: ['no signer certificate to check the validity against'] };
}

function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}

/** The DSC may sign this payload's certificate type (a DSC naming none of the DCC key usages may
 * sign every type); the payload must hold exactly one type. */
export function checkKeyUsage(
  payload: DccPayload,
  signer: DccSignerCertificate,
): { ok: boolean; reasons: string[] } {
  const type = dccCertificateType(payload);
  if (!type) return { ok: false, reasons: ['payload must hold exactly one of v, t, r'] };
  if (signer.allowedTypes && !signer.allowedTypes.has(type)) {
    const allowed = [...signer.allowedTypes].join(', ');
    return {
      ok: false,
      reasons: [`signer certificate may sign ${allowed} certificates, not ${type}`],
    };
  }
  return { ok: true, reasons: [] };
}

// ---------------------------------------------------------------------------------------------
// Verify

export interface VerifyDccOptions {
  /** Trusted DSCs: a prepared list (fastest), or certificates as X509Certificate, PEM or base64
   * DER. */
  trust: DccTrustList | ReadonlyArray<X509Certificate | DccSignerCertificate | string | Uint8Array>;
  /** The clock for validity checks. */
  at: Date;
  /** A DCC JSON Schema object or a compiled validator; default: data/dcc-schema. */
  schema?: object | DccSchemaValidator;
}

/** Either QR text, a PNG of the QR code, or both (the image must then read as that text). */
export type DccInput = string | Uint8Array | { image: Uint8Array; text?: string };

/** What the QR reader found in an image: its text, or why there is none. */
export type ImageRead = { text: string } | { error: string };

/**
 * Verifies QR text, a PNG of the QR code, or both. The image is read first (the QR reader is
 * WebAssembly, asynchronous); every other step is `verifyDcc`'s.
 */
export async function verifyDccInput(
  input: DccInput,
  options: VerifyDccOptions,
): Promise<DccVerification> {
  if (typeof input === 'string') return verifyDcc(input, options);
  const image = input instanceof Uint8Array ? input : input.image;
  const text = input instanceof Uint8Array ? undefined : input.text;
  const read = await readQrPng(image).then(
    (t): ImageRead => ({ text: t }),
    (e: unknown): ImageRead => ({ error: (e as Error).message }),
  );
  return verifyDcc({ text, read }, options);
}

/** Verifies QR text, or an image already read (`verifyDccInput` reads one). */
export function verifyDcc(
  input: string | { text?: string; read: ImageRead },
  options: VerifyDccOptions,
): DccVerification {
  if (!(options.at instanceof Date) || Number.isNaN(options.at.getTime())) {
    throw new DccError('verifyDcc needs a valid `at` date');
  }
  const trust =
    options.trust instanceof DccTrustList ? options.trust : new DccTrustList(options.trust);
  const steps: DccSteps = {
    image: null,
    prefix: null,
    base45: null,
    decompress: null,
    decode: null,
    signature: null,
    schema: null,
    expiry: null,
    keyUsage: null,
  };
  const reasons: string[] = [];
  const result = (payload: DccPayload | null, claims: DccClaims | null): DccVerification => {
    const valid = DCC_STEPS.every((s) => steps[s] === true || (s === 'image' && steps[s] === null));
    return { valid, steps, payload, claims, reasons };
  };

  let text: string | null = typeof input === 'string' ? input : (input.text ?? null);
  if (typeof input !== 'string') {
    if ('error' in input.read) {
      steps.image = false;
      reasons.push(`image: ${input.read.error}`);
    } else if (text !== null && input.read.text !== text) {
      steps.image = false;
      reasons.push('image: the QR code in the image does not hold the given text');
    } else {
      steps.image = true;
      text = input.read.text;
    }
  }
  if (text === null) {
    reasons.push('no QR text to verify');
    return result(null, null);
  }

  let b45: string;
  try {
    b45 = unprefix(text);
    steps.prefix = true;
  } catch (e) {
    steps.prefix = false;
    reasons.push(`prefix: ${(e as Error).message}`);
    return result(null, null);
  }
  let compressed: Buffer;
  try {
    compressed = base45Decode(b45);
    steps.base45 = true;
  } catch (e) {
    steps.base45 = false;
    reasons.push(`base45: ${(e as Error).message}`);
    return result(null, null);
  }
  let coseBytes: Buffer;
  try {
    coseBytes = decompress(compressed);
    steps.decompress = true;
  } catch (e) {
    steps.decompress = false;
    reasons.push(`decompress: ${(e as Error).message}`);
    return result(null, null);
  }
  let decoded: DecodedDcc;
  try {
    decoded = decodeDcc(coseBytes);
    steps.decode = true;
  } catch (e) {
    steps.decode = false;
    reasons.push(`decode: ${(e as Error).message}`);
    return result(null, null);
  }

  const sig = checkSignature(decoded.cose, trust);
  steps.signature = sig.ok;
  reasons.push(...sig.reasons.map((r) => `signature: ${r}`));

  const problems = dccSchemaProblems(decoded.payload, options.schema);
  steps.schema = problems.length === 0;
  reasons.push(...problems.map((p) => `schema: ${p}`));

  const expiry = checkExpiry(decoded, options.at, sig.signer);
  steps.expiry = expiry.ok;
  reasons.push(...expiry.reasons.map((r) => `expiry: ${r}`));

  if (sig.signer) {
    const ku = checkKeyUsage(decoded.payload, sig.signer);
    steps.keyUsage = ku.ok;
    reasons.push(...ku.reasons.map((r) => `keyUsage: ${r}`));
  } else {
    reasons.push('keyUsage: no trusted signer certificate to check against');
  }

  const kid = coseKid(decoded.cose);
  const alg = coseAlg(decoded.cose);
  const claims: DccClaims = {
    issuer: decoded.issuer,
    issuedAt: decoded.issuedAt === null ? null : iso(decoded.issuedAt),
    expiresAt: decoded.expiresAt === null ? null : iso(decoded.expiresAt),
    kid: kid ? kid.toString('base64') : null,
    alg: typeof alg === 'number' ? alg : null,
    signer: sig.signer ? sig.signer.cert.subject.replace(/\n/g, ', ') : null,
  };
  return result(decoded.payload, claims);
}

// ---------------------------------------------------------------------------------------------
// Issue

export interface IssueDccOptions {
  /** The DCC payload (`ver`, `nam`, `dob` and exactly one of `v`, `t`, `r`). */
  payload: DccPayload;
  /** CWT issuer country (claim 1); default `VN`. */
  issuer?: string;
  /** Default: now. */
  issuedAt?: Date;
  /** Default: 12 months after `issuedAt`. */
  expiresAt?: Date;
  /** Must equal the first 8 bytes of SHA-256 over the DSC (the default); verifiers look the DSC
   * up by it. */
  kid?: Uint8Array;
  /** A loaded signer (fastest), or the private key and DSC as KeyObject / X509Certificate / PEM. */
  signer?: DccSigner;
  privateKey?: KeyObject | string | Uint8Array;
  signerCert?: X509Certificate | DccSignerCertificate | string | Uint8Array;
  /** Also draw the QR code as PNG. */
  png?: boolean;
  schema?: object | DccSchemaValidator;
}

export interface IssuedDcc {
  qr: string;
  png?: Buffer;
}

export class DccIssueError extends Error {
  override name = 'DccIssueError';
}

/** Signs a DCC and returns its QR text (`HC1:…`). Refuses payloads that fail the schema, a
 * signer whose key usage excludes the certificate type, and a validity the DSC does not cover. */
export function encodeDcc(options: IssueDccOptions): string {
  const signer = options.signer ?? signerFrom(options);
  const { payload } = options;
  const problems = dccSchemaProblems(payload, options.schema);
  if (problems.length) throw new DccIssueError(`invalid DCC payload: ${problems.join('; ')}`);
  const type = dccCertificateType(payload) as DccCertificateType;
  const dsc = signer.certificate;
  if (dsc.allowedTypes && !dsc.allowedTypes.has(type)) {
    throw new DccIssueError(`the signer certificate may not sign ${type} certificates`);
  }
  const issuer = options.issuer ?? 'VN';
  if (!/^[A-Z]{2}$/.test(issuer)) throw new DccIssueError('issuer must be a 2-letter country code');
  const issuedAt = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
  const expiresAt = Math.floor(
    (options.expiresAt ?? addMonths(new Date(issuedAt * 1000), 12)).getTime() / 1000,
  );
  if (!(expiresAt > issuedAt)) throw new DccIssueError('expiresAt must be after issuedAt');
  if (issuedAt * 1000 < dsc.notBefore.getTime() || expiresAt * 1000 > dsc.notAfter.getTime()) {
    throw new DccIssueError(
      `validity ${iso(issuedAt)} to ${iso(expiresAt)} must lie within the signer certificate's ${dsc.notBefore.toISOString()} to ${dsc.notAfter.toISOString()}`,
    );
  }
  if (options.kid && !Buffer.from(options.kid).equals(dsc.kid)) {
    throw new DccIssueError('kid must be the first 8 bytes of SHA-256 over the signer certificate');
  }
  const cwt = cborEncode(
    new Map<number, unknown>([
      [CWT_ISS, issuer],
      [CWT_EXP, expiresAt],
      [CWT_IAT, issuedAt],
      [CWT_HCERT, new Map<number, unknown>([[HCERT_EU_DCC, payload]])],
    ]),
  );
  const cose = signCoseSign1(cwt, signer.privateKey, signer.alg, dsc.kid);
  return DCC_PREFIX + base45Encode(deflateSync(cose, { level: 9 }));
}

/** `encodeDcc`, plus the QR code as PNG when `png` is set. */
export async function issueDcc(options: IssueDccOptions): Promise<IssuedDcc> {
  const qr = encodeDcc(options);
  return options.png ? { qr, png: await writeQrPng(qr) } : { qr };
}

const signerCache = new WeakMap<object, WeakMap<object, DccSigner>>();

function signerFrom(options: IssueDccOptions): DccSigner {
  const { privateKey, signerCert } = options;
  if (!privateKey || !signerCert) {
    throw new DccIssueError('issuing needs `signer`, or `privateKey` and `signerCert`');
  }
  // Loading checks that key and certificate match; remember the result for object inputs.
  if (typeof privateKey === 'object' && typeof signerCert === 'object') {
    let inner = signerCache.get(privateKey);
    const hit = inner?.get(signerCert);
    if (hit) return hit;
    const signer = loadSigner(privateKey, signerCert);
    if (!inner) signerCache.set(privateKey, (inner = new WeakMap()));
    inner.set(signerCert, signer);
    return signer;
  }
  return loadSigner(privateKey, signerCert);
}
