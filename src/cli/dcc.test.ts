// EU Digital COVID Certificates: the shared test vectors (every flag of every file, through the
// `epiguard dcc verify` command and through the single pipeline step the flag names), our own
// certificates (issue → verify, schema, tampering), and the command's usage errors.
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMonths,
  base45Decode,
  base45Encode,
  cborDecode,
  cborEncode,
  checkExpiry,
  checkKeyUsage,
  checkSignature,
  compileDccSchema,
  DCC_SCHEMA_FILE,
  DCC_STEPS,
  dccSchemaProblems,
  DccTrustList,
  decodeCoseSign1,
  encodeDcc,
  decodeDcc,
  decodeDccCbor,
  decompress,
  generateDemoSigner,
  issueDcc,
  loadDccSchema,
  loadSigner,
  parseInstant,
  readQrPng,
  signerCertificate,
  unprefix,
  verifyDcc,
  verifyDccInput,
  writeQrPng,
  type DccPayload,
  type DccSigner,
  type DccStep,
  type DccVerification,
  type DemoSigner,
} from '../server/vaccination/dcc.ts';
import { dccCommand } from './dcc.ts';

const DCC_DIR = fileURLToPath(new URL('../../../shared/testdata/dcc/', import.meta.url));
if (!existsSync(join(DCC_DIR, 'index.json'))) {
  throw new Error(`DCC test vectors not found in ${DCC_DIR} (the shared/ folder beside the repo)`);
}
const SHARED_SCHEMA_FILE = join(DCC_DIR, 'schema/DCC.combined-schema.json');
const sharedSchema = loadDccSchema(SHARED_SCHEMA_FILE);

interface Vector {
  JSON?: Record<string, unknown>;
  CBOR?: string;
  COSE?: string;
  COMPRESSED?: string;
  BASE45?: string;
  PREFIX?: string;
  '2DCODE'?: string;
  TESTCTX: { CERTIFICATE: string; VALIDATIONCLOCK: string; DESCRIPTION?: string };
  EXPECTEDRESULTS: Record<string, boolean>;
}

const index = JSON.parse(readFileSync(join(DCC_DIR, 'index.json'), 'utf8')) as {
  files: { path: string }[];
};
const rawFiles = (dir: string): string[] =>
  readdirSync(join(DCC_DIR, dir)).flatMap((name) => {
    const rel = dir ? `${dir}/${name}` : name;
    if (statSync(join(DCC_DIR, rel)).isDirectory()) return rawFiles(rel);
    return /(^|\/)2DCode\/raw\/[^/]+\.json$/.test(rel) ? [rel] : [];
  });
const vectorPaths = rawFiles('').sort();
const vectors = vectorPaths.map((path) => ({
  path,
  v: JSON.parse(readFileSync(join(DCC_DIR, path), 'utf8')) as Vector,
}));

/** EXPECTEDRESULTS flag → step of `dcc verify`. VALIDJSON, VALIDOBJECT and ENCODE compare the
 * file's own JSON and CBOR (the issuing side) and have no verifier step. */
const FLAG_STEP: Record<string, DccStep | null> = {
  EXPECTEDPICTUREDECODE: 'image',
  EXPECTEDUNPREFIX: 'prefix',
  EXPECTEDB45DECODE: 'base45',
  EXPECTEDCOMPRESSION: 'decompress',
  EXPECTEDDECODE: 'decode',
  EXPECTEDVERIFY: 'signature',
  EXPECTEDSCHEMAVALIDATION: 'schema',
  EXPECTEDEXPIRATIONCHECK: 'expiry',
  EXPECTEDKEYUSAGE: 'keyUsage',
  EXPECTEDVALIDJSON: null,
  EXPECTEDVALIDOBJECT: null,
  EXPECTEDENCODE: null,
};

const hex = (s: string) => Buffer.from(s, 'hex');
const sameHex = (a: Uint8Array, b: string) => Buffer.from(a).toString('hex') === b.toLowerCase();

/** JSON values with date-time strings replaced by their instant (they are compared as instants;
 * cbor tag 0 dates come back in a different but equivalent notation). */
function instants(v: unknown): unknown {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const t = parseInstant(v);
    return `instant:${t.toISOString()}`;
  }
  if (Array.isArray(v)) return v.map(instants);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, instants(x)]));
  }
  return v;
}
const sameValue = (a: unknown, b: unknown) =>
  JSON.stringify(sortKeys(instants(a))) === JSON.stringify(sortKeys(instants(b)));
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, sortKeys(x)]),
    );
  }
  return v;
}

/** Runs one step as the vectors' README defines it; `true` when it succeeds. */
function passes(fn: () => boolean): boolean {
  try {
    return fn();
  } catch {
    return false;
  }
}

/** Input fields each flag's step reads (any one of a group of alternatives). A missing input is
 * a broken test, never a silently failed step. */
const FLAG_INPUTS: Record<string, (keyof Vector)[][]> = {
  EXPECTEDPICTUREDECODE: [['PREFIX']],
  EXPECTEDUNPREFIX: [['PREFIX']],
  EXPECTEDB45DECODE: [['BASE45']],
  EXPECTEDCOMPRESSION: [['COMPRESSED']],
  EXPECTEDVERIFY: [['COSE']],
  EXPECTEDDECODE: [['COSE', 'CBOR']],
  EXPECTEDVALIDJSON: [['CBOR'], ['JSON']],
  EXPECTEDSCHEMAVALIDATION: [['COSE', 'CBOR']],
  EXPECTEDEXPIRATIONCHECK: [['COSE']],
  EXPECTEDKEYUSAGE: [['COSE']],
  EXPECTEDVALIDOBJECT: [['JSON']],
  EXPECTEDENCODE: [['JSON'], ['CBOR']],
};

/** The step a flag names, evaluated on the fields the file itself supplies. */
async function fieldStep(v: Vector, flag: string): Promise<boolean> {
  const inputs = FLAG_INPUTS[flag];
  if (!inputs) throw new Error(`unknown flag ${flag}`);
  for (const group of inputs) {
    if (!group.some((field) => v[field] !== undefined)) {
      throw new Error(`${flag} needs one of ${group.join(', ')}`);
    }
  }
  const trust = new DccTrustList([v.TESTCTX.CERTIFICATE]);
  const dsc = signerCertificate(v.TESTCTX.CERTIFICATE);
  const at = parseInstant(v.TESTCTX.VALIDATIONCLOCK);
  switch (flag) {
    case 'EXPECTEDPICTUREDECODE': {
      if (v['2DCODE']) {
        const png = Buffer.from(v['2DCODE'], 'base64');
        return (await readQrPng(png).catch(() => null)) === v.PREFIX;
      }
      // No image in the file (common/B1): the only field is PREFIX, so the picture step is
      // exercised on a QR code of PREFIX drawn by us.
      const png = await writeQrPng(v.PREFIX as string);
      return (await readQrPng(png).catch(() => null)) === v.PREFIX;
    }
    case 'EXPECTEDUNPREFIX':
      return passes(() => {
        const rest = unprefix(v.PREFIX as string);
        return v.BASE45 === undefined || rest === v.BASE45;
      });
    case 'EXPECTEDB45DECODE':
      return passes(() => {
        const bytes = base45Decode(v.BASE45 as string);
        return v.COMPRESSED === undefined || sameHex(bytes, v.COMPRESSED);
      });
    case 'EXPECTEDCOMPRESSION':
      return passes(() => {
        const bytes = decompress(hex(v.COMPRESSED as string));
        return v.COSE === undefined || sameHex(bytes, v.COSE);
      });
    case 'EXPECTEDVERIFY':
      return passes(() => checkSignature(decodeCoseSign1(hex(v.COSE as string)), trust).ok);
    case 'EXPECTEDDECODE':
      return passes(() => {
        if (v.COSE === undefined) {
          const p = decodeDccCbor(hex(v.CBOR as string));
          return v.JSON === undefined || sameValue(p, v.JSON);
        }
        const { payload } = decodeDcc(hex(v.COSE));
        if (v.CBOR !== undefined && !sameValue(payload, decodeDccCbor(hex(v.CBOR)))) return false;
        return v.JSON === undefined || sameValue(payload, v.JSON);
      });
    case 'EXPECTEDVALIDJSON':
      return passes(() => sameValue(decodeDccCbor(hex(v.CBOR as string)), v.JSON));
    case 'EXPECTEDSCHEMAVALIDATION':
      return passes(() => {
        const payload =
          v.COSE !== undefined
            ? decodeDcc(hex(v.COSE)).payload
            : decodeDccCbor(hex(v.CBOR as string));
        return dccSchemaProblems(payload, sharedSchema).length === 0;
      });
    case 'EXPECTEDEXPIRATIONCHECK':
      return passes(() => checkExpiry(decodeDcc(hex(v.COSE as string)), at, dsc).ok === true);
    case 'EXPECTEDKEYUSAGE':
      return passes(() => checkKeyUsage(decodeDcc(hex(v.COSE as string)).payload, dsc).ok);
    case 'EXPECTEDVALIDOBJECT':
      return dccSchemaProblems(v.JSON, sharedSchema).length === 0;
    case 'EXPECTEDENCODE':
      return passes(() =>
        sameValue(decodeDccCbor(cborEncode(v.JSON)), decodeDccCbor(hex(v.CBOR as string))),
      );
    default:
      throw new Error(`unknown flag ${flag}`);
  }
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'epiguard-dcc-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

interface VerifyOutput {
  valid: boolean;
  steps: Record<DccStep, boolean | null>;
  payload: DccPayload | null;
  claims: Record<string, unknown> | null;
  reasons: string[];
}

async function cliVerify(args: string[]): Promise<{ code: number; out: VerifyOutput }> {
  const r = await dccCommand(['verify', ...args]);
  expect(r.stderr).toBe('');
  return { code: r.code, out: JSON.parse(r.stdout) as VerifyOutput };
}

describe('shared DCC test vectors', () => {
  it('finds every vector listed in index.json, and only those', () => {
    expect(vectorPaths).toEqual(index.files.map((f) => f.path).sort());
    expect(vectors.length).toBe(22);
  });

  describe.each(vectors)('$path', ({ path, v }) => {
    const flags = Object.entries(v.EXPECTEDRESULTS);
    let cli: Promise<{ code: number; out: VerifyOutput }>;
    beforeAll(async () => {
      const args = ['--trust', v.TESTCTX.CERTIFICATE, '--at', v.TESTCTX.VALIDATIONCLOCK];
      if (v['2DCODE']) {
        const file = join(tmp, path.replace(/\//g, '_') + '.png');
        await writeFile(file, Buffer.from(v['2DCODE'], 'base64'));
        args.push('--image', file);
      }
      cli = cliVerify([...args, v.PREFIX as string]);
    });

    it('dcc verify exits 0 exactly when every step passes, 1 otherwise', async () => {
      const { code, out } = await cli;
      const allPass = DCC_STEPS.every(
        (s) => out.steps[s] === true || (s === 'image' && out.steps[s] === null),
      );
      expect(out.valid).toBe(allPass);
      expect(code).toBe(out.valid ? 0 : 1);
      expect(out.reasons.length === 0).toBe(out.valid);
    });

    it.each(flags.filter(([f]) => FLAG_STEP[f]))(
      'dcc verify: %s = %s on its step',
      async (flag, expected) => {
        const step = FLAG_STEP[flag] as DccStep;
        const { out } = await cli;
        if (step === 'image' && !v['2DCODE']) {
          // No 2DCODE in the file: the command has no image to read (see the field test).
          expect(out.steps.image).toBeNull();
          return;
        }
        expect(out.steps[step], out.reasons.join('\n')).toBe(expected);
      },
    );

    it.each(flags)('step on the file’s own fields: %s = %s', async (flag, expected) => {
      expect(await fieldStep(v, flag)).toBe(expected);
    });
  });
});

describe('DCC JSON Schema', () => {
  it('the product ships the shared schema 1.3.3 unchanged', () => {
    expect(readFileSync(DCC_SCHEMA_FILE, 'utf8')).toBe(readFileSync(SHARED_SCHEMA_FILE, 'utf8'));
  });

  const cases = (dir: string) =>
    readdirSync(join(DCC_DIR, 'schema', dir)).map((f) => ({
      name: `${dir}/${f}`,
      payload: JSON.parse(readFileSync(join(DCC_DIR, 'schema', dir, f), 'utf8')) as unknown,
    }));
  const valid = [
    ...cases('cases/valid'),
    ...cases('examples/vaccination'),
    ...cases('examples/test'),
    ...cases('examples/recovery'),
  ];
  it.each(valid)('$name validates', ({ payload }) => {
    expect(dccSchemaProblems(payload)).toEqual([]);
  });
  it.each(cases('cases/invalid'))('$name does not validate', ({ payload }) => {
    expect(dccSchemaProblems(payload).length).toBeGreaterThan(0);
  });
  it('refuses a payload with two entry types although each alone is valid', () => {
    const [vac] = cases('examples/vaccination');
    const [test] = cases('examples/test');
    const both = {
      ...(vac?.payload as object),
      t: (test?.payload as { t: unknown }).t,
    };
    expect(dccSchemaProblems(both).length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Our own certificates

const NAM = { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Thị Hoa', gnt: 'THI<HOA' };
const PAYLOADS: Record<'vaccination' | 'test' | 'recovery', DccPayload> = {
  vaccination: {
    ver: '1.3.0',
    nam: NAM,
    dob: '1985-03-07',
    v: [
      {
        tg: '840539006',
        vp: 'J07BX03',
        mp: 'EU/1/20/1528',
        ma: 'ORG-100030215',
        dn: 2,
        sd: 2,
        dt: '2021-09-15',
        co: 'VN',
        is: 'Sở Y tế tỉnh Điện Biên',
        ci: 'URN:UVCI:01:VN:11:0A1B2C3D4E5F#K',
      },
    ],
  },
  test: {
    ver: '1.3.0',
    nam: NAM,
    dob: '1985-03',
    t: [
      {
        tg: '840539006',
        tt: 'LP6464-4',
        nm: 'Roche LightCycler qPCR',
        sc: '2021-10-01T08:30:00+07:00',
        tr: '260415000',
        tc: 'Trung tâm Kiểm soát bệnh tật Điện Biên',
        co: 'VN',
        is: 'Sở Y tế tỉnh Điện Biên',
        ci: 'URN:UVCI:01:VN:11:TEST0001#3',
      },
    ],
  },
  recovery: {
    ver: '1.3.0',
    nam: NAM,
    dob: '1985',
    r: [
      {
        tg: '840539006',
        fr: '2021-08-20',
        co: 'VN',
        is: 'Sở Y tế tỉnh Điện Biên',
        df: '2021-08-31',
        du: '2022-02-16',
        ci: 'URN:UVCI:01:VN:11:REC0001#9',
      },
    ],
  },
};

describe('issuing', () => {
  let demo: DemoSigner;
  let signer: DccSigner;
  let trust: DccTrustList;
  const issuedAt = new Date('2021-10-01T02:00:00Z');
  const expiresAt = addMonths(issuedAt, 12);
  const sharedValidator = compileDccSchema(sharedSchema);

  beforeAll(async () => {
    demo = await generateDemoSigner({ notBefore: new Date('2021-09-01T00:00:00Z') });
    signer = loadSigner(demo.privateKeyPem, demo.certificatePem);
    trust = new DccTrustList([demo.certificatePem]);
  });

  it('generates an ECDSA P-256 DSC with the three DCC extended key usages', () => {
    const cert = new X509Certificate(demo.certificatePem);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(cert.keyUsage?.sort()).toEqual([
      '1.3.6.1.4.1.1847.2021.1.1',
      '1.3.6.1.4.1.1847.2021.1.2',
      '1.3.6.1.4.1.1847.2021.1.3',
    ]);
    expect(cert.ca).toBe(false);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.subject).toContain('C=VN');
    expect(signer.alg).toBe(-7);
  });

  it.each(Object.entries(PAYLOADS))(
    '%s: issue → QR PNG → verify, every step passes',
    async (_type, payload) => {
      const { qr, png } = await issueDcc({
        payload,
        privateKey: signer.privateKey,
        signerCert: demo.certificatePem,
        issuedAt,
        png: true,
      });
      expect(qr.startsWith('HC1:')).toBe(true);
      expect(png).toBeInstanceOf(Buffer);
      const at = new Date('2022-01-01T00:00:00Z');
      const r = await verifyDccInput({ image: png as Buffer, text: qr }, { trust, at });
      expect(r.reasons).toEqual([]);
      expect(r.valid).toBe(true);
      for (const s of DCC_STEPS) expect(r.steps[s]).toBe(true);
      expect(r.payload).toEqual(payload);
      expect(r.claims).toMatchObject({
        issuer: 'VN',
        issuedAt: issuedAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
        kid: demo.kidBase64,
        alg: -7,
      });
      // The PNG alone is enough.
      expect((await verifyDccInput(png as Buffer, { trust, at })).valid).toBe(true);
    },
  );

  it('what we issue is a CWT in a tagged COSE_Sign1 whose payload passes the shared schema', () => {
    for (const payload of Object.values(PAYLOADS)) {
      const qr = issue(payload);
      const cose = decompress(base45Decode(unprefix(qr)));
      const decoded = decodeDcc(cose);
      expect(decodeCoseSign1(cose).tags).toEqual([18]);
      expect(decoded.cose.protectedHeader.get(1)).toBe(-7);
      expect(
        Buffer.from(decoded.cose.protectedHeader.get(4) as Uint8Array).toString('base64'),
      ).toBe(demo.kidBase64);
      expect(decoded.cose.unprotectedHeader.size).toBe(0);
      expect(decoded.issuer).toBe('VN');
      expect(decoded.issuedAt).toBe(issuedAt.getTime() / 1000);
      expect(decoded.expiresAt).toBe(expiresAt.getTime() / 1000);
      expect(sharedValidator(decoded.payload)).toEqual([]);
      expect(decoded.payload).toEqual(payload);
    }
  });

  // issueDcc without a PNG is encodeDcc, which is synchronous: the loops below use it.
  const issue = (payload: DccPayload) => encodeDcc({ payload, signer, issuedAt });

  it('is valid for 12 months: from issued-at to expiry inclusive, not a second outside', () => {
    const qr = issue(PAYLOADS.vaccination);
    const check = (at: Date) => verifyDcc(qr, { trust, at });
    expect(check(issuedAt).valid).toBe(true);
    expect(check(expiresAt).valid).toBe(true);
    expect(expiresAt.toISOString()).toBe('2022-10-01T02:00:00.000Z');
    const late = check(new Date(expiresAt.getTime() + 1000));
    expect(late.valid).toBe(false);
    expect(late.steps.expiry).toBe(false);
    expect(late.steps.signature).toBe(true);
    expect(check(new Date(issuedAt.getTime() - 1000)).steps.expiry).toBe(false);
  });

  it('a one-character change anywhere in the QR text makes it invalid', () => {
    const qr = issue(PAYLOADS.test);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    const at = new Date('2022-01-01T00:00:00Z');
    for (let i = 0; i < qr.length; i++) {
      const c = qr[i] as string;
      const other = alphabet[(alphabet.indexOf(c) + 1) % alphabet.length] as string;
      const tampered = qr.slice(0, i) + (c === ':' && i === 3 ? ';' : other) + qr.slice(i + 1);
      const r = verifyDcc(tampered, { trust, at });
      expect(r.valid, `position ${i}`).toBe(false);
    }
  });

  it('changing any one byte of the signed COSE makes it invalid', () => {
    const qr = issue(PAYLOADS.recovery);
    const cose = decompress(base45Decode(unprefix(qr)));
    const at = new Date('2022-01-01T00:00:00Z');
    let signatureFailures = 0;
    for (let i = 0; i < cose.length; i++) {
      const bytes = Buffer.from(cose);
      bytes[i] = (bytes[i] as number) ^ 0x01;
      const tampered = 'HC1:' + base45Encode(deflateSync(bytes));
      const r = verifyDcc(tampered, { trust, at });
      expect(r.valid, `byte ${i}`).toBe(false);
      if (r.steps.decode && r.steps.signature === false) signatureFailures++;
    }
    // Most flips leave a parseable structure that only the signature check catches.
    expect(signatureFailures).toBeGreaterThan(cose.length / 2);
  });

  it('never throws on damaged input: random edits of a real certificate are reported, not raised', () => {
    const cose = decompress(base45Decode(unprefix(issue(PAYLOADS.vaccination))));
    const at = new Date('2022-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(cose.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat(cose.length),
        (edits, cut) => {
          const bytes = Buffer.from(cose);
          for (const [i, b] of edits) bytes[i] = b;
          const damaged = bytes.subarray(0, Math.max(cut, 1));
          const r = verifyDcc('HC1:' + base45Encode(deflateSync(damaged)), { trust, at });
          const unchanged = damaged.equals(cose);
          expect(r.valid).toBe(unchanged);
        },
      ),
      { numRuns: 300, seed: 6 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        expect(verifyDcc(text, { trust, at }).valid).toBe(false);
      }),
      { numRuns: 300, seed: 6 },
    );
  });

  it('is not valid under another signer, and the key usage is not checked then', async () => {
    const other = await generateDemoSigner({ notBefore: new Date('2021-09-01T00:00:00Z') });
    const r = verifyDcc(issue(PAYLOADS.vaccination), {
      trust: [other.certificatePem],
      at: new Date('2022-01-01T00:00:00Z'),
    });
    expect(r.valid).toBe(false);
    expect(r.steps.signature).toBe(false);
    expect(r.steps.keyUsage).toBeNull();
    expect(r.reasons[0]).toMatch(/no trusted signer certificate has kid/);
  });

  it('refuses to issue what verifiers would reject', async () => {
    const testOnly = await generateDemoSigner({
      notBefore: new Date('2021-09-01T00:00:00Z'),
      types: ['test'],
    });
    const testSigner = loadSigner(testOnly.privateKeyPem, testOnly.certificatePem);
    expect(() =>
      encodeDcc({ payload: PAYLOADS.vaccination, signer: testSigner, issuedAt }),
    ).toThrow(/may not sign vaccination/);
    expect(encodeDcc({ payload: PAYLOADS.test, signer: testSigner, issuedAt })).toMatch(/^HC1:/);
    const { nam: _nam, ...noName } = PAYLOADS.vaccination;
    expect(() => encodeDcc({ payload: noName, signer, issuedAt })).toThrow(/nam/);
    // 12 months from here would outlive the DSC (valid 730 days from 2021-09-01).
    expect(() =>
      encodeDcc({ payload: PAYLOADS.test, signer, issuedAt: new Date('2022-12-01T00:00:00Z') }),
    ).toThrow(/signer certificate/);
    expect(() => loadSigner(testOnly.privateKeyPem, demo.certificatePem)).toThrow(
      /does not belong/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The command

describe('epiguard dcc (command)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tmp, 'cli');
  });

  it('keygen writes a key and DSC; issue signs a payload; verify accepts it (exit 0)', async () => {
    const k = await dccCommand(['keygen', '--out', dir, '--cn', 'Điện Biên DSC 1']);
    expect(k.stderr).toBe('');
    expect(k.code).toBe(0);
    expect(k.stdout).toMatch(/kid: /);
    const keyFile = join(dir, 'dsc-key.pem');
    const certFile = join(dir, 'dsc-cert.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(new X509Certificate(await readFile(certFile)).subject).toContain('CN=Điện Biên DSC 1');

    const again = await dccCommand(['keygen', '--out', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/--force/);

    const payloadFile = join(dir, 'payload.json');
    await writeFile(payloadFile, JSON.stringify(PAYLOADS.vaccination));
    const pngFile = join(dir, 'qr.png');
    const i = await dccCommand([
      'issue',
      '--key',
      keyFile,
      '--cert',
      certFile,
      '--png',
      pngFile,
      payloadFile,
    ]);
    expect(i.stderr).toBe('');
    expect(i.code).toBe(0);
    const qr = i.stdout.trim();
    expect(qr).toMatch(/^HC1:/);

    const v = await cliVerify(['--trust', certFile, '--at', 'now', '--image', pngFile, qr]);
    expect(v.out.valid).toBe(true);
    expect(v.code).toBe(0);
    expect(v.out.payload).toEqual(PAYLOADS.vaccination);
    expect(Object.keys(v.out.steps)).toEqual([...DCC_STEPS]);

    // From standard input, and from the image alone.
    const fromStdin = await dccCommand(['verify', '--trust', certFile, '--at', 'now', '-'], {
      readStdin: async () => qr + '\n',
    });
    expect(fromStdin.code).toBe(0);
    expect((await cliVerify(['--trust', certFile, '--at', 'now', '--image', pngFile])).code).toBe(
      0,
    );

    // A year and a day later it has expired: exit 1, the expiry step says why.
    const later = new Date(Date.now() + 366 * 86_400_000).toISOString();
    const expired = await cliVerify(['--trust', certFile, '--at', later, qr]);
    expect(expired.code).toBe(1);
    expect(expired.out.steps.expiry).toBe(false);

    // The image must hold the text that was given with it.
    const other = await cliVerify(['--trust', certFile, '--at', 'now', '--image', pngFile, 'HC1:']);
    expect(other.code).toBe(1);
    expect(other.out.steps.image).toBe(false);
  });

  it('prints its usage with help (exit 0)', async () => {
    const r = await dccCommand(['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dcc <command>/);
  });

  const cert = () => vectors[0]?.v.TESTCTX.CERTIFICATE as string;
  const usageErrors: [string, () => string[], RegExp][] = [
    ['no command', () => [], /missing command/],
    ['an unknown command', () => ['sign'], /unknown command/],
    ['verify without --trust', () => ['verify', '--at', 'now', 'HC1:X'], /--trust/],
    ['verify without --at', () => ['verify', '--trust', cert(), 'HC1:X'], /--at/],
    ['a bad --at', () => ['verify', '--trust', cert(), '--at', '2021-13-01', 'HC1:X'], /--at/],
    ['a bad --trust', () => ['verify', '--trust', 'nonsense!', '--at', 'now', 'HC1:X'], /--trust/],
    [
      'a missing --trust file',
      () => ['verify', '--trust', '/no/such.pem', '--at', 'now'],
      /--trust/,
    ],
    ['no QR text nor image', () => ['verify', '--trust', cert(), '--at', 'now'], /QRTEXT/],
    ['two QR texts', () => ['verify', '--trust', cert(), '--at', 'now', 'HC1:A', 'HC1:B'], /one/],
    [
      'a missing --image file',
      () => ['verify', '--trust', cert(), '--at', 'now', '--image', '/no/such.png'],
      /--image/,
    ],
    ['an unknown option', () => ['verify', '--trust', cert(), '--at', 'now', '--x', 'A'], /--x/],
    ['keygen without --out', () => ['keygen'], /--out/],
    ['keygen with bad --types', () => ['keygen', '--out', '/tmp/x', '--types', 'flu'], /--types/],
    ['issue without --key', () => ['issue', 'p.json'], /--key/],
  ];
  it.each(usageErrors)('exits 2 with a message on %s', async (_name, args, message) => {
    const r = await dccCommand(args());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});

// ---------------------------------------------------------------------------------------------
// Building blocks

describe('base45 (RFC 9285)', () => {
  const examples: [string, string][] = [
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
    ['', ''],
  ];
  it.each(examples)('%j ↔ %j', (plain, encoded) => {
    expect(base45Encode(Buffer.from(plain))).toBe(encoded);
    expect(base45Decode(encoded).toString()).toBe(plain);
  });
  it('round-trips every byte value', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(base45Decode(base45Encode(all))).toEqual(all);
    expect(base45Decode(base45Encode(all.subarray(1)))).toEqual(all.subarray(1));
  });
  it.each([
    ['a character outside the alphabet', 'BB8='],
    ['lower case', 'bb8'],
    ['a length of 3n + 1', 'BB8B'],
    ['a 3-character group above 65535', 'GGW'],
    ['a 2-character group above 255', '::'],
  ])('rejects %s', (_name, text) => {
    expect(() => base45Decode(text)).toThrow();
  });
});

describe('parseInstant', () => {
  it.each([
    ['2021-08-18T16:36:53+02:00', '2021-08-18T14:36:53.000Z'],
    ['2021-08-18T16:36:53+0200', '2021-08-18T14:36:53.000Z'],
    ['2021-10-01T00:15:17', '2021-10-01T00:15:17.000Z'],
    ['2021-05-21T12:26:07.390079Z', '2021-05-21T12:26:07.390Z'],
    ['2021-06-01T20:00:00.123456789-05:30', '2021-06-02T01:30:00.123Z'],
    ['2021-06-01', '2021-06-01T00:00:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseInstant(text).toISOString()).toBe(iso);
  });
  it.each(['', 'yesterday', '2021-02-30T00:00:00Z', '2021-06-01T25:00:00Z', '2021-06-01T10:00+2'])(
    'rejects %j',
    (text) => {
      expect(() => parseInstant(text)).toThrow();
    },
  );
});

describe('CBOR decoding for verification', () => {
  it('refuses trailing bytes and keeps integer map keys', () => {
    expect(() => cborDecode(hex('a10102ff'))).toThrow();
    expect(cborDecode(hex('a1390103a0'))).toEqual(new Map([[-260, new Map()]]));
  });
  it('returns plain verification results as JSON', () => {
    const r: DccVerification = verifyDcc('HL0:', { trust: [], at: new Date() });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.steps.prefix).toBe(false);
    expect(r.steps.base45).toBeNull();
  });
});
