// `epiguard dcc …`: verify EU Digital COVID Certificates, make a demo signer, issue a test one.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DCC_CERTIFICATE_TYPES,
  DccTrustList,
  generateDemoSigner,
  issueDcc,
  loadSigner,
  parseCertificates,
  parseInstant,
  verifyDccInput,
  type DccCertificateType,
  type DccInput,
  type DccPayload,
} from '../server/vaccination/dcc.ts';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DccCommandIo {
  /** Reads standard input (for QRTEXT `-`); default: process.stdin. */
  readStdin?: () => Promise<string>;
}

export const DCC_USAGE = `Usage: epiguard dcc <command> [options]

  verify [--image FILE.png] --trust CERT [--trust CERT ...] --at ISO-8601|now [QRTEXT|-]
      Verify a certificate given as QR text (HC1:...; '-' reads it from standard input), as a PNG
      of its QR code, or both (the image must then hold that text). CERT is a PEM file (one or
      more certificates), a DER file, or base64 DER. --at is the clock for the validity checks
      (a date-time without a zone is UTC). Prints JSON {valid, steps, payload, claims, reasons}.
      Exit status: 0 valid, 1 not valid, 2 usage error.

  keygen --out DIR [--cn NAME] [--org NAME] [--country CC] [--days N]
         [--types vaccination,test,recovery] [--force]
      Write a demo signer: DIR/dsc-key.pem (ECDSA P-256 private key, PKCS#8) and DIR/dsc-cert.pem
      (self-signed document signer certificate with the DCC extended key usages for --types,
      default all three; valid --days, default 730). Not for production: a real DSC is issued by
      the country signing CA.

  issue --key FILE --cert FILE [--issued-at ISO-8601] [--expires-at ISO-8601] [--png FILE]
        PAYLOAD.json
      Sign the DCC payload in PAYLOAD.json (issuer VN, valid 12 months unless --expires-at) and
      print its QR text; --png also writes the QR code image.`;

class UsageError extends Error {}

const ok = (stdout: string, code = 0): CommandResult => ({ code, stdout, stderr: '' });
const fail = (stderr: string, code = 1): CommandResult => ({ code, stdout: '', stderr });

export async function dccCommand(argv: string[], io: DccCommandIo = {}): Promise<CommandResult> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'verify':
        return await verify(rest, io);
      case 'keygen':
        return await keygen(rest);
      case 'issue':
        return await issue(rest);
      case 'help':
      case '--help':
      case '-h':
        return ok(DCC_USAGE);
      case undefined:
        throw new UsageError('missing command');
      default:
        throw new UsageError(`unknown command ${JSON.stringify(sub)}`);
    }
  } catch (e) {
    if (e instanceof UsageError || isParseArgsError(e)) {
      return fail(`epiguard dcc: ${(e as Error).message}\n\n${DCC_USAGE}`, 2);
    }
    return fail(`epiguard dcc: ${(e as Error).message}`, 1);
  }
}

function isParseArgsError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function parse<T extends Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>(
  args: string[],
  options: T,
) {
  return parseArgs({
    args,
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
}

function instant(name: string, value: string): Date {
  if (value === 'now') return new Date();
  try {
    return parseInstant(value);
  } catch {
    throw new UsageError(`${name} must be an ISO 8601 date-time, got ${JSON.stringify(value)}`);
  }
}

async function readTrust(value: string): Promise<ReturnType<typeof parseCertificates>> {
  try {
    if (existsSync(value) && statSync(value).isFile()) {
      return parseCertificates(await readFile(value));
    }
    return parseCertificates(value);
  } catch (e) {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    throw new UsageError(
      `--trust ${JSON.stringify(shown)} is neither a certificate file nor base64 DER (${(e as Error).message})`,
    );
  }
}

async function readStdinDefault(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

async function verify(args: string[], io: DccCommandIo): Promise<CommandResult> {
  const { values, positionals } = parse(args, {
    image: { type: 'string' },
    trust: { type: 'string', multiple: true },
    at: { type: 'string' },
  });
  if (values.help) return ok(DCC_USAGE);
  if (positionals.length > 1) throw new UsageError('give at most one QRTEXT (quote it)');
  if (!values.trust?.length) throw new UsageError('verify needs at least one --trust CERT');
  if (values.at === undefined) throw new UsageError('verify needs --at ISO-8601 (or --at now)');
  const at = instant('--at', values.at);
  const certs = (await Promise.all(values.trust.map(readTrust))).flat();
  const trust = new DccTrustList(certs);

  let text = positionals[0];
  if (text === '-') {
    // A trailing line break from `echo` or a file is not part of the QR text (base45 has no
    // line breaks; a trailing space would be, so only CR/LF are removed).
    text = (await (io.readStdin ?? readStdinDefault)()).replace(/[\r\n]+$/, '');
  }
  let image: Buffer | undefined;
  if (values.image !== undefined) {
    try {
      image = await readFile(values.image);
    } catch (e) {
      throw new UsageError(`cannot read --image ${values.image}: ${(e as Error).message}`);
    }
  }
  let input: DccInput;
  if (image) input = text === undefined ? image : { image, text };
  else if (text !== undefined) input = text;
  else throw new UsageError('give QRTEXT or --image FILE.png');

  const r = await verifyDccInput(input, { trust, at });
  const body = {
    valid: r.valid,
    steps: r.steps,
    payload: r.payload,
    claims: r.claims,
    reasons: r.reasons,
  };
  return ok(JSON.stringify(body, null, 2) + '\n', r.valid ? 0 : 1);
}

const KEY_FILE = 'dsc-key.pem';
const CERT_FILE = 'dsc-cert.pem';

async function keygen(args: string[]): Promise<CommandResult> {
  const { values, positionals } = parse(args, {
    out: { type: 'string' },
    cn: { type: 'string' },
    org: { type: 'string' },
    country: { type: 'string' },
    days: { type: 'string' },
    types: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (values.help) return ok(DCC_USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values.out) throw new UsageError('keygen needs --out DIR');
  const days = values.days === undefined ? 730 : Number(values.days);
  if (!Number.isInteger(days) || days < 1) throw new UsageError('--days must be a whole number');
  const country = values.country ?? 'VN';
  if (!/^[A-Z]{2}$/.test(country)) throw new UsageError('--country must be 2 capital letters');
  let types: DccCertificateType[] | undefined;
  if (values.types !== undefined) {
    types = values.types.split(',').map((t) => t.trim()) as DccCertificateType[];
    const bad = types.filter((t) => !DCC_CERTIFICATE_TYPES.includes(t));
    if (bad.length || !types.length) {
      throw new UsageError(`--types takes ${DCC_CERTIFICATE_TYPES.join(', ')}`);
    }
  }
  const keyPath = join(values.out, KEY_FILE);
  const certPath = join(values.out, CERT_FILE);
  if (!values.force && (existsSync(keyPath) || existsSync(certPath))) {
    return fail(`epiguard dcc: ${keyPath} or ${certPath} exists; use --force to replace them`);
  }
  const demo = await generateDemoSigner({
    commonName: values.cn,
    organisation: values.org,
    country,
    days,
    types,
  });
  await mkdir(values.out, { recursive: true });
  await writeFile(keyPath, demo.privateKeyPem, { mode: 0o600 });
  await writeFile(certPath, demo.certificatePem);
  return ok(
    [
      `private key: ${keyPath} (keep it secret)`,
      `signer certificate: ${certPath}`,
      `kid: ${demo.kidBase64}`,
    ].join('\n') + '\n',
  );
}

async function issue(args: string[]): Promise<CommandResult> {
  const { values, positionals } = parse(args, {
    key: { type: 'string' },
    cert: { type: 'string' },
    'issued-at': { type: 'string' },
    'expires-at': { type: 'string' },
    png: { type: 'string' },
  });
  if (values.help) return ok(DCC_USAGE);
  if (!values.key || !values.cert) throw new UsageError('issue needs --key FILE and --cert FILE');
  if (positionals.length !== 1 || !positionals[0]) {
    throw new UsageError('issue needs one PAYLOAD.json');
  }
  const issuedAt = values['issued-at'] ? instant('--issued-at', values['issued-at']) : undefined;
  const expiresAt = values['expires-at']
    ? instant('--expires-at', values['expires-at'])
    : undefined;
  const [key, cert, json] = await Promise.all([
    readFile(values.key, 'utf8'),
    readFile(values.cert, 'utf8'),
    readFile(positionals[0], 'utf8'),
  ]);
  const payload = JSON.parse(json) as DccPayload;
  const signer = loadSigner(key, cert);
  const issued = await issueDcc({
    payload,
    signer,
    issuedAt,
    expiresAt,
    png: values.png !== undefined,
  });
  if (values.png !== undefined && issued.png) await writeFile(values.png, issued.png);
  return ok(issued.qr + '\n');
}
