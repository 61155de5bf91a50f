import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Queryable } from '../db/index.ts';

/**
 * The province's Ed25519 key that signs declaration QR codes, so that a checkpoint can tell a
 * genuine code from a forged one without a connection (the page keeps the public key).
 *
 * From `EPIGUARD_DECLARATION_KEY_FILE` (PKCS#8 PEM) when set — the production setting, the key
 * kept outside the database; otherwise generated once and kept in the settings table.
 */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as a JWK, for the checkpoint page. */
  publicJwk: JsonWebKey;
}

export async function loadSigningKey(db: Queryable, file?: string): Promise<SigningKey> {
  let privatePem: string;
  if (file) {
    privatePem = await readFile(file, 'utf8');
  } else {
    const rows = await db.query<{ value: { privatePem: string } }>(
      "SELECT value FROM settings WHERE key = 'declaration_signing_key'",
    );
    if (rows[0]) {
      privatePem = rows[0].value.privatePem;
    } else {
      const { privateKey } = generateKeyPairSync('ed25519');
      privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await db.query(
        `INSERT INTO settings (key, value) VALUES ('declaration_signing_key', $1::jsonb) ON CONFLICT (key) DO NOTHING`,
        [JSON.stringify({ privatePem })],
      );
      // Two processes starting together: keep whichever key was stored first.
      const stored = await db.query<{ value: { privatePem: string } }>(
        "SELECT value FROM settings WHERE key = 'declaration_signing_key'",
      );
      privatePem = stored[0]!.value.privatePem;
    }
  }
  const privateKey = createPrivateKey(privatePem);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error('the declaration signing key must be Ed25519');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicJwk: publicKey.export({ format: 'jwk' }) };
}

export const signMessage = (key: SigningKey, message: Uint8Array) =>
  new Uint8Array(sign(null, message, key.privateKey));
export const verifyMessage = (key: SigningKey, message: Uint8Array, signature: Uint8Array) => {
  try {
    return verify(null, message, key.publicKey, signature);
  } catch {
    return false;
  }
};
