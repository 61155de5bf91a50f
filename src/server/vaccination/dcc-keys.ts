// Keys and document signer certificates (DSC) for EU Digital COVID Certificates: loading PEM /
// base64 DER, the 8-byte key identifier, the DCC extended-key-usage OIDs, and a demo signer
// (ECDSA P-256 key + self-signed certificate) for development and tests.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  webcrypto,
  X509Certificate,
} from 'node:crypto';

export type DccCertificateType = 'vaccination' | 'test' | 'recovery';
export const DCC_CERTIFICATE_TYPES: readonly DccCertificateType[] = [
  'vaccination',
  'test',
  'recovery',
];

/** Extended-key-usage OIDs that restrict which certificate types a DSC may sign (eHealth Network
 * DCC technical specification, volume 1, section 5.4.1). */
export const DCC_EKU_OIDS: Readonly<Record<DccCertificateType, string>> = {
  test: '1.3.6.1.4.1.1847.2021.1.1',
  vaccination: '1.3.6.1.4.1.1847.2021.1.2',
  recovery: '1.3.6.1.4.1.1847.2021.1.3',
};
// Some issuers use a variant with an extra `.0` after the enterprise arc; it means the same.
const EKU_TO_TYPE = new Map<string, DccCertificateType>();
for (const type of DCC_CERTIFICATE_TYPES) {
  EKU_TO_TYPE.set(DCC_EKU_OIDS[type], type);
  EKU_TO_TYPE.set(DCC_EKU_OIDS[type].replace('1.3.6.1.4.1.1847.', '1.3.6.1.4.1.0.1847.'), type);
}

export class DccKeyError extends Error {
  override name = 'DccKeyError';
}

/** A document signer certificate, parsed once and ready for verification. */
export interface DccSignerCertificate {
  cert: X509Certificate;
  /** First 8 bytes of SHA-256 over the certificate's DER bytes (the COSE `kid`). */
  kid: Buffer;
  kidBase64: string;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** Types the DSC may sign; `null` when its EKU names none of the DCC OIDs (it may sign all). */
  allowedTypes: ReadonlySet<DccCertificateType> | null;
}

export function dccKid(der: Uint8Array): Buffer {
  return createHash('sha256').update(der).digest().subarray(0, 8);
}

export function allowedTypesOf(cert: X509Certificate): ReadonlySet<DccCertificateType> | null {
  const allowed = new Set<DccCertificateType>();
  for (const oid of cert.keyUsage ?? []) {
    const type = EKU_TO_TYPE.get(oid);
    if (type) allowed.add(type);
  }
  return allowed.size ? allowed : null;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** Certificates from a PEM text (one or more blocks), base64 DER text, or DER bytes. */
export function parseCertificates(input: string | Uint8Array): X509Certificate[] {
  const text = typeof input === 'string' ? input : pemText(input);
  if (text === null) return [new X509Certificate(Buffer.from(input as Uint8Array))];
  const blocks = [...text.matchAll(PEM_CERT)].map((m) => m[1] ?? '');
  if (blocks.length) return blocks.map((b) => new X509Certificate(Buffer.from(b, 'base64')));
  const b64 = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new DccKeyError('not a PEM certificate or base64 DER');
  }
  return [new X509Certificate(Buffer.from(b64, 'base64'))];
}

/** ASCII input is treated as text (PEM or base64); anything else as DER bytes. */
function pemText(bytes: Uint8Array): string | null {
  if (bytes.length && bytes[0] === 0x30) return null; // DER SEQUENCE
  return Buffer.from(bytes).toString('latin1');
}

export function signerCertificate(
  input: X509Certificate | DccSignerCertificate | string | Uint8Array,
): DccSignerCertificate {
  if (isSignerCertificate(input)) return input;
  let cert: X509Certificate;
  if (input instanceof X509Certificate) cert = input;
  else {
    const certs = parseCertificates(input);
    if (certs.length !== 1 || !certs[0]) {
      throw new DccKeyError(`expected one certificate, found ${certs.length}`);
    }
    cert = certs[0];
  }
  const kid = dccKid(cert.raw);
  return {
    cert,
    kid,
    kidBase64: kid.toString('base64'),
    publicKey: cert.publicKey,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    allowedTypes: allowedTypesOf(cert),
  };
}

function isSignerCertificate(x: unknown): x is DccSignerCertificate {
  return typeof x === 'object' && x !== null && 'kid' in x && 'cert' in x && 'allowedTypes' in x;
}

/** Trusted DSCs indexed by key identifier. Build it once and reuse it for many verifications. */
export class DccTrustList {
  readonly certificates: readonly DccSignerCertificate[];
  private readonly byKid = new Map<string, DccSignerCertificate[]>();

  constructor(inputs: Iterable<X509Certificate | DccSignerCertificate | string | Uint8Array>) {
    const all: DccSignerCertificate[] = [];
    for (const input of inputs) {
      const certs =
        typeof input === 'string' || input instanceof Uint8Array
          ? parseCertificates(input)
          : [input];
      for (const c of certs) all.push(signerCertificate(c));
    }
    this.certificates = all;
    for (const c of all) {
      const list = this.byKid.get(c.kidBase64);
      if (list) list.push(c);
      else this.byKid.set(c.kidBase64, [c]);
    }
  }

  withKid(kid: Uint8Array): readonly DccSignerCertificate[] {
    return this.byKid.get(Buffer.from(kid).toString('base64')) ?? [];
  }
}

export function loadPrivateKey(input: KeyObject | string | Uint8Array): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type !== 'private') throw new DccKeyError('expected a private key');
    return input;
  }
  return createPrivateKey(typeof input === 'string' ? input : Buffer.from(input));
}

/** A private key and its DSC, checked to belong together. */
export interface DccSigner {
  privateKey: KeyObject;
  certificate: DccSignerCertificate;
  /** COSE algorithm: -7 (ES256) for an EC P-256 key, -37 (PS256) for RSA. */
  alg: -7 | -37;
}

export function loadSigner(
  privateKey: KeyObject | string | Uint8Array,
  signerCert: X509Certificate | DccSignerCertificate | string | Uint8Array,
): DccSigner {
  const key = loadPrivateKey(privateKey);
  const certificate = signerCertificate(signerCert);
  const spki = (k: KeyObject) => k.export({ format: 'der', type: 'spki' });
  if (!spki(createPublicKey(key)).equals(spki(certificate.publicKey))) {
    throw new DccKeyError('the private key does not belong to the signer certificate');
  }
  let alg: -7 | -37;
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    alg = -7;
  } else if (key.asymmetricKeyType === 'rsa') alg = -37;
  else throw new DccKeyError('signer key must be ECDSA P-256 (ES256) or RSA (PS256)');
  return { privateKey: key, certificate, alg };
}

export interface DemoSignerOptions {
  commonName?: string;
  organisation?: string;
  country?: string;
  /** Days of validity from `notBefore` (default 730: a DCC valid 12 months must end before the
   * DSC does, so a DSC is usable for issuing for about its first year). */
  days?: number;
  notBefore?: Date;
  types?: readonly DccCertificateType[];
  /** A CA (e.g. from `generateDemoCsca`) that issues the DSC; without it the DSC is self-signed. */
  issuer?: DemoSigner;
}

export interface DemoSigner {
  privateKeyPem: string;
  certificatePem: string;
  kidBase64: string;
}

/** A new ECDSA P-256 key and a self-signed DSC carrying the DCC extended key usages. For demos
 * and tests: a production DSC is issued by the country signing CA (CSCA). */
export async function generateDemoSigner(options: DemoSignerOptions = {}): Promise<DemoSigner> {
  // @peculiar/x509 resolves its ASN.1 handlers through tsyringe, which needs the Reflect metadata
  // polyfill; both are loaded only here so that issuing and verifying never pull them in.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const notBefore = options.notBefore ?? new Date();
  const days = options.days ?? 730;
  if (!(days > 0)) throw new DccKeyError('days must be positive');
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const types = options.types?.length ? options.types : DCC_CERTIFICATE_TYPES;
  const name = [
    ['C', options.country ?? 'VN'],
    ['O', options.organisation ?? 'epiguard demo'],
    ['CN', options.commonName ?? 'epiguard demo DSC'],
  ].map(([k, v]) => ({ [k as string]: [v as string] }));
  const serial = Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)));
  serial[0] = (serial[0] as number) & 0x7f; // positive INTEGER
  const extensions = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(types.map((t) => DCC_EKU_OIDS[t])),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const common = {
    serialNumber: serial.toString('hex'),
    notBefore,
    notAfter,
    signingAlgorithm: alg,
  };
  let cert;
  if (options.issuer) {
    const ca = new x509.X509Certificate(options.issuer.certificatePem);
    const caKey = await webcrypto.subtle.importKey(
      'pkcs8',
      createPrivateKey(options.issuer.privateKeyPem).export({ format: 'der', type: 'pkcs8' }),
      alg,
      false,
      ['sign'],
    );
    cert = await x509.X509CertificateGenerator.create({
      ...common,
      subject: name,
      issuer: ca.subjectName,
      publicKey: keys.publicKey,
      signingKey: caKey,
      extensions,
    });
  } else {
    cert = await x509.X509CertificateGenerator.createSelfSigned({
      ...common,
      name,
      keys,
      extensions,
    });
  }
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
  const certificatePem = cert.toString('pem') + '\n';
  return {
    privateKeyPem,
    certificatePem,
    kidBase64: dccKid(Buffer.from(cert.rawData)).toString('base64'),
  };
}

/** A demo country signing CA (CSCA): a self-signed ECDSA P-256 CA that issues demo DSCs (pass
 * it as `issuer` to `generateDemoSigner`). For tests and demos only. */
export async function generateDemoCsca(commonName = 'epiguard demo CSCA'): Promise<DemoSigner> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const notBefore = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `C=VN, O=epiguard demo, CN=${commonName}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 3650 * 86_400_000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    privateKeyPem: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
      .export({ format: 'pem', type: 'pkcs8' })
      .toString(),
    certificatePem: cert.toString('pem') + '\n',
    kidBase64: dccKid(Buffer.from(cert.rawData)).toString('base64'),
  };
}

/**
 * Does `dsc` chain to one of the national CAs (CSCA) in `cas`, and is that CA a CA valid at `at`?
 * A DSC is one step below its CSCA (DCC technical specification, volume 1, section 5).
 */
export function chainsToCsca(
  dsc: X509Certificate,
  cas: readonly X509Certificate[],
  at = new Date(),
): X509Certificate | null {
  for (const ca of cas) {
    if (!ca.ca) continue;
    if (at < new Date(ca.validFrom) || at > new Date(ca.validTo)) continue;
    if (dsc.checkIssued(ca) && dsc.verify(ca.publicKey)) return ca;
  }
  return null;
}
