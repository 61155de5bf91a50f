import { passwordRuleProblem } from '../../domain/password-rules.ts';
import { commonPasswords } from './common-passwords.ts';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt with N=2^17, r=8, p=1: OWASP's current guidance (Password Storage Cheat Sheet).
// Hashes made with smaller parameters are made again at the next login (`needsRehash`).
// EPIGUARD_SCRYPT_LOG_N lowers it only where speed matters more than strength: the test suites.
const LOG_N = Math.min(20, Math.max(14, Number(process.env.EPIGUARD_SCRYPT_LOG_N ?? 17) || 17));
const PARAMS = { N: 2 ** LOG_N, r: 8, p: 1, maxmem: 512 * 1024 * 1024 };
const KEYLEN = 32;

function scryptAsync(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEYLEN, opts, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash`, base64url parts. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, PARAMS);
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** A hash to compare against when the user does not exist, at today's cost, so timing does not tell. */
export const DUMMY_HASH = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;

/** Was this hash made with weaker parameters than today's? */
export function needsRehash(stored: string): boolean {
  const [kind, n, r, p] = stored.split('$');
  return kind !== 'scrypt' || Number(n) < PARAMS.N || Number(r) < PARAMS.r || Number(p) < PARAMS.p;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password a person can type from a printout: 4 groups of 4, no look-alike characters. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i > 0 && i % 4 === 0) out += '-';
    out += alphabet[bytes[i]! % alphabet.length];
  }
  return out;
}

/**
 * Issue 10, item 8: the rules of src/domain/password-rules.ts against the public list of common
 * passwords; the message (Vietnamese) names the field, or null when the password is acceptable.
 */
export function passwordProblem(
  password: string,
  username?: string,
  field = 'Mật khẩu',
): string | null {
  return (
    passwordRuleProblem(password, { username, common: commonPasswords(), field })?.message ?? null
  );
}

/** The demo accounts' password (`epiguard demo`), public in the README: refused outside demo mode. */
export const DEMO_PASSWORD = 'demo-epiguard-2021';
