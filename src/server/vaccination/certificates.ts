import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDays, dateOfInstant } from '../../domain/dates.ts';
import { fold } from '../../domain/text.ts';
import {
  productOf,
  scheduleInForce,
  type VaccineScheduleRuleSet,
} from '../../domain/vaccination.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, conflict, fieldError } from '../errors.ts';
import type { PersonRow } from '../people/store.ts';
import { personForVaccination, TAG } from './common.ts';
import {
  encodeDcc,
  loadSigner,
  verifyDcc,
  verifyDccInput,
  writeQrPng,
  type DccPayload,
  type DccSigner,
  type DccSteps,
} from './dcc.ts';
import { dosesOf } from './doses.ts';
import type { ScheduleCache } from './rulesets.ts';
import { loadNationalCas, trustCache, trustListRoutes, trustSigner } from './trust-list.ts';

export const DCC_KEY_ENV = 'EPIGUARD_DCC_KEY_FILE';
export const DCC_CERT_ENV = 'EPIGUARD_DCC_CERT_FILE';

export interface ProvinceSigner {
  signer: DccSigner | null;
  /** Why there is no signer (Vietnamese), when there is none. */
  problem: string | null;
}

/** The province's DCC signing key and signer certificate, from the files the environment names. */
export function loadProvinceSigner(
  env: NodeJS.ProcessEnv = process.env,
  /** Where `epiguard demo` leaves a demo key: used only when the environment names none. */
  demoDir?: string,
): ProvinceSigner {
  const demoKey = demoDir && join(demoDir, 'dsc-key.pem');
  const demoCert = demoDir && join(demoDir, 'dsc-cert.pem');
  const demo = !env[DCC_KEY_ENV] && !env[DCC_CERT_ENV] && !!demoKey && existsSync(demoKey);
  const keyFile = demo ? demoKey : env[DCC_KEY_ENV];
  const certFile = demo ? demoCert : env[DCC_CERT_ENV];
  if (!keyFile || !certFile)
    return {
      signer: null,
      problem: `Máy chủ chưa có khóa ký chứng nhận: đặt ${DCC_KEY_ENV} (khóa riêng PEM) và ${DCC_CERT_ENV} (chứng thư ký DSC PEM); bản demo: "epiguard dcc keygen --out DIR" hoặc "epiguard demo".`,
    };
  try {
    const signer = loadSigner(readFileSync(keyFile), readFileSync(certFile));
    return {
      signer,
      problem: demo
        ? `Chứng nhận được ký bằng khóa demo của "epiguard demo" (${keyFile}), không dùng cho thật`
        : null,
    };
  } catch (e) {
    return {
      signer: null,
      problem: `Không nạp được khóa ký từ ${DCC_KEY_ENV}=${keyFile}, ${DCC_CERT_ENV}=${certFile}: ${(e as Error).message}`,
    };
  }
}

const upperAscii = (s: string) =>
  fold(s)
    .toUpperCase()
    .replace(/[^A-Z ]/g, '')
    .trim()
    .replace(/ +/g, '<');

/** Vietnamese names: family name first (Nguyễn), the rest is the given name (Văn An). */
export function dccName(fullName: string) {
  const parts = fullName.trim().split(/\s+/);
  const fn = parts[0] ?? '';
  const gn = parts.slice(1).join(' ');
  return {
    fn,
    fnt: upperAscii(fn).slice(0, 80),
    ...(gn ? { gn, gnt: upperAscii(gn).slice(0, 80) } : {}),
  };
}

export function newUvci(province: string): string {
  return `URN:UVCI:01:VN:${province}${randomBytes(10).toString('hex').toUpperCase()}`;
}

/** The DCC payload of a person's last dose. */
export function vaccinationPayload(
  person: PersonRow,
  dose: { product: string; dose_number: number; given_on: string },
  sets: VaccineScheduleRuleSet[],
  uvci: string,
): DccPayload {
  const product = productOf(scheduleInForce(sets, dose.given_on), dose.product);
  if (!product) throw fieldError('personId', `Vắc xin ${dose.product} không có mã EU`);
  return {
    ver: '1.3.0',
    nam: dccName(person.full_name),
    dob: person.birth_date ?? String(person.birth_year),
    v: [
      {
        tg: '840539006',
        vp: product.vp,
        mp: product.mp,
        ma: product.ma,
        dn: dose.dose_number,
        sd: Math.max(product.primaryDoses, dose.dose_number),
        dt: dose.given_on,
        co: 'VN',
        is: 'Ministry of Health of Viet Nam',
        ci: uvci,
      },
    ],
  };
}

/** DCC value sets (eHN): disease COVID-19, test types, test results. */
const DCC_COVID = '840539006';
const DCC_TEST_TYPE = { pcr: 'LP6464-4', rapid: 'LP217198-3' } as const;
const DCC_TEST_RESULT = { negative: '260415000', positive: '260373001' } as const;
/**
 * How long a certificate's signature is valid (CWT expiry), by kind. Vaccination: 12 months
 * (QĐ 5772/QĐ-BYT). Test: 72 hours after sampling; recovery: from day 11 to day 180 after the
 * first positive test (the eHN guidelines Viet Nam's certificate follows).
 */
export const CERTIFICATE_VALIDITY = {
  vaccinationMonths: 12,
  testHours: 72,
  recoveryFromDays: 11,
  recoveryUntilDays: 180,
};

export interface ResultForCertificate {
  id: string;
  kind: 'pcr' | 'rapid' | 'other';
  result: 'negative' | 'positive' | 'invalid';
  sampled_at: Date | string;
  centre: string | null;
}

/** The DCC payload of a test result (NAAT / rapid antigen). */
export function testPayload(person: PersonRow, r: ResultForCertificate, uvci: string): DccPayload {
  if (r.kind === 'other' || r.result === 'invalid')
    throw fieldError(
      'resultId',
      'Chỉ cấp chứng nhận cho kết quả RT-PCR hoặc test nhanh âm/dương tính',
    );
  return {
    ver: '1.3.0',
    nam: dccName(person.full_name),
    dob: person.birth_date ?? String(person.birth_year),
    t: [
      {
        tg: DCC_COVID,
        tt: DCC_TEST_TYPE[r.kind],
        sc: new Date(r.sampled_at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        tr: DCC_TEST_RESULT[r.result],
        ...(r.centre ? { tc: r.centre.slice(0, 80) } : {}),
        co: 'VN',
        is: 'Ministry of Health of Viet Nam',
        ci: uvci,
      },
    ],
  };
}

/** The DCC payload of a recovery: the first positive test and the validity it gives. */
export function recoveryPayload(
  person: PersonRow,
  firstPositive: string,
  uvci: string,
): DccPayload {
  return {
    ver: '1.3.0',
    nam: dccName(person.full_name),
    dob: person.birth_date ?? String(person.birth_year),
    r: [
      {
        tg: DCC_COVID,
        fr: firstPositive,
        co: 'VN',
        is: 'Ministry of Health of Viet Nam',
        df: addDays(firstPositive, CERTIFICATE_VALIDITY.recoveryFromDays),
        du: addDays(firstPositive, CERTIFICATE_VALIDITY.recoveryUntilDays),
        ci: uvci,
      },
    ],
  };
}

/** What a certificate prints, and nothing more. */
function printed(payload: DccPayload | null) {
  if (!payload) return null;
  const p = payload as Record<string, unknown>;
  const nam = (p.nam ?? {}) as Record<string, string>;
  const v = Array.isArray(p.v) ? (p.v[0] as Record<string, unknown>) : null;
  return {
    name:
      [nam.fn, nam.gn].filter(Boolean).join(' ') || [nam.fnt, nam.gnt].filter(Boolean).join(' '),
    nameTransliterated: [nam.fnt, nam.gnt].filter(Boolean).join('<<'),
    dateOfBirth: typeof p.dob === 'string' ? p.dob : null,
    vaccination: v
      ? {
          disease: v.tg,
          vaccineType: v.vp,
          product: v.mp,
          manufacturer: v.ma,
          doseNumber: v.dn,
          totalDoses: v.sd,
          date: v.dt,
          country: v.co,
          issuer: v.is,
          certificateId: v.ci,
        }
      : null,
    test: Array.isArray(p.t) ? p.t[0] : null,
    recovery: Array.isArray(p.r) ? p.r[0] : null,
  };
}

const STEP_LABELS: Record<keyof DccSteps, string> = {
  image: 'Đọc ảnh QR',
  prefix: 'Tiền tố HC1:',
  base45: 'Giải mã base45',
  decompress: 'Giải nén zlib',
  decode: 'Đọc COSE/CBOR',
  signature: 'Chữ ký của cơ quan cấp',
  schema: 'Cấu trúc dữ liệu DCC',
  expiry: 'Còn hiệu lực',
  keyUsage: 'Chứng thư ký được phép ký loại chứng nhận này',
};

export async function certificateRoutes(
  server: FastifyInstance,
  opts: {
    schedules: ScheduleCache;
    signer: ProvinceSigner;
    cas: ReturnType<typeof loadNationalCas>;
  },
) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const trust = trustCache(db);
  if (opts.signer.signer)
    await trustSigner(db, opts.signer.signer.certificate.cert.toString(), 'own', null, null);

  /** What a certificate of `b.kind` says of `person`, and until when its signature holds. */
  async function certify(
    q: Queryable,
    b: { kind: 'vaccination' | 'test' | 'recovery'; resultId?: string; caseId?: string },
    person: PersonRow,
    uvci: string,
    issuedAt: Date,
  ): Promise<{ payload: DccPayload; expiresAt: Date; doseId: string | null }> {
    if (b.kind === 'test') {
      const rows = await q.query<ResultForCertificate>(
        `SELECT r.id, t.kind, r.result, r.sampled_at, s.name AS centre
           FROM test_results r JOIN test_types t ON t.code = r.test_type
           LEFT JOIN sites s ON s.id = coalesce(r.lab_site_id, r.site_id)
          WHERE r.person_id = $1 AND ($2::uuid IS NULL OR r.id = $2) AND t.kind IN ('pcr', 'rapid')
            AND r.result IN ('negative', 'positive')
          ORDER BY r.sampled_at DESC LIMIT 1`,
        [person.id, b.resultId ?? null],
      );
      const r = rows[0];
      if (!r)
        throw b.resultId
          ? fieldError('resultId', 'Không có kết quả xét nghiệm này của người này')
          : conflict('Người này chưa có kết quả RT-PCR hoặc test nhanh');
      const expiresAt = new Date(
        new Date(r.sampled_at).getTime() + CERTIFICATE_VALIDITY.testHours * 3_600_000,
      );
      if (expiresAt <= issuedAt)
        throw conflict(
          `Kết quả lấy mẫu quá ${CERTIFICATE_VALIDITY.testHours} giờ trước: không còn cấp chứng nhận xét nghiệm`,
        );
      return { payload: testPayload(person, r, uvci), expiresAt, doseId: null };
    }
    if (b.kind === 'recovery') {
      const rows = await q.query<{ positive_sample_at: Date | string }>(
        `SELECT positive_sample_at FROM cases
          WHERE person_id = $1 AND ($2::uuid IS NULL OR id = $2) AND status = 'recovered'
          ORDER BY positive_sample_at DESC LIMIT 1`,
        [person.id, b.caseId ?? null],
      );
      if (!rows[0])
        throw b.caseId
          ? fieldError('caseId', 'Không có ca bệnh đã khỏi này của người này')
          : conflict('Người này không có ca bệnh đã khỏi');
      const first = dateOfInstant(new Date(rows[0].positive_sample_at).getTime());
      const until = addDays(first, CERTIFICATE_VALIDITY.recoveryUntilDays);
      const expiresAt = new Date(`${until}T23:59:59+07:00`);
      if (expiresAt <= issuedAt)
        throw conflict(
          `Đã quá ${CERTIFICATE_VALIDITY.recoveryUntilDays} ngày sau ngày dương tính: không còn cấp chứng nhận khỏi bệnh`,
        );
      return { payload: recoveryPayload(person, first, uvci), expiresAt, doseId: null };
    }
    const doses = await dosesOf(q, person.id);
    const last = doses[doses.length - 1];
    if (!last) throw conflict('Người này chưa có mũi tiêm nào được ghi nhận');
    const expiresAt = new Date(issuedAt);
    expiresAt.setUTCMonth(expiresAt.getUTCMonth() + CERTIFICATE_VALIDITY.vaccinationMonths);
    return {
      payload: vaccinationPayload(person, last, await opts.schedules.get(), uvci),
      expiresAt,
      doseId: last.id,
    };
  }

  app.post(
    '/api/v1/certificates',
    {
      preHandler: requirePermission('certificates.issue'),
      schema: {
        tags: [TAG],
        summary:
          'Issue an EU-DCC certificate: vaccination (last dose), test (a result) or recovery (a recovered F0 case)',
        description:
          'Returns {id, kind, uvci, qr ("HC1:…"), png (base64 PNG of the QR), issuedAt, expiresAt, printed}. Vaccination: the last dose, 12 months. Test: the given result (default the latest RT-PCR / rapid result), 72 hours after sampling. Recovery: the given case (default the latest recovered one), valid from day 11 to day 180 after the positive sample. 409 when there is nothing to certify; 503 when the server has no signing key (the message names the variables to set).',
        body: z.object({
          clientId: z
            .uuid()
            .optional()
            .describe('Idempotency key: a replay returns the same certificate'),
          personId: z.uuid(),
          kind: z.enum(['vaccination', 'test', 'recovery']).default('vaccination'),
          resultId: z.uuid().optional().describe('Test certificate: which result'),
          caseId: z.uuid().optional().describe('Recovery certificate: which case'),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const actor = requireActor(req);
      const signer = opts.signer.signer;
      const person = await personForVaccination(db, req, b.personId, 'certificates.issue');
      const out = await db.tx(async (q) => {
        if (b.clientId) {
          const prior = await q.query<{
            id: string;
            person_id: string;
            kind: string;
            uvci: string;
            qr: string;
            issued_at: Date;
            expires_at: Date;
          }>(
            'SELECT id, person_id, kind, uvci, qr, issued_at, expires_at FROM vaccination_certificates WHERE client_id = $1',
            [b.clientId],
          );
          if (prior[0]) {
            if (prior[0].person_id !== person.id)
              throw fieldError('clientId', 'Mã clientId đã dùng cho người khác');
            // A replay hands the certificate (name, birth date, doses) out again: audited too.
            await audit(q, req, {
              action: 'certificates.issue',
              resourceType: 'vaccination_certificate',
              resourceId: prior[0].id,
              outcome: 'allowed',
              reason: 'replay',
              detail: { personId: person.id, uvci: prior[0].uvci, kind: prior[0].kind },
            });
            return { ...prior[0], replayed: true };
          }
        }
        if (!signer) throw new AppError(503, 'signing_key_missing', opts.signer.problem!);
        const uvci = newUvci(person.registered_province_code);
        const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
        const { payload, expiresAt, doseId } = await certify(q, b, person, uvci, issuedAt);
        let qr: string;
        try {
          qr = encodeDcc({ payload, signer, issuedAt, expiresAt });
        } catch (e) {
          throw new AppError(
            503,
            'signing_failed',
            `Không ký được chứng nhận: ${(e as Error).message}`,
          );
        }
        const rows = await q.query<{ id: string }>(
          `INSERT INTO vaccination_certificates (person_id, kind, uvci, dose_id, province_code, district_code, commune_code,
              signer_kid, issued_at, expires_at, qr, client_id, issued_by)
           VALUES ($1,$13,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`,
          [
            person.id,
            uvci,
            doseId,
            person.registered_province_code,
            person.district_code,
            person.commune_code,
            signer.certificate.kidBase64,
            issuedAt.toISOString(),
            expiresAt.toISOString(),
            qr,
            b.clientId ?? null,
            actor.id,
            b.kind,
          ],
        );
        await audit(q, req, {
          action: 'certificates.issue',
          resourceType: 'vaccination_certificate',
          resourceId: rows[0]!.id,
          outcome: 'allowed',
          detail: { personId: person.id, uvci, kind: b.kind },
        });
        return {
          id: rows[0]!.id,
          person_id: person.id,
          kind: b.kind as string,
          uvci,
          qr,
          issued_at: issuedAt,
          expires_at: expiresAt,
          replayed: false,
        };
      });
      const png = await writeQrPng(out.qr);
      const check = verifyDcc(out.qr, { trust: await trust.get(), at: new Date() });
      return reply.status(out.replayed ? 200 : 201).send({
        id: out.id,
        kind: out.kind,
        uvci: out.uvci,
        qr: out.qr,
        png: png.toString('base64'),
        issuedAt: new Date(out.issued_at).toISOString(),
        expiresAt: new Date(out.expires_at).toISOString(),
        printed: printed(check.payload),
        replayed: out.replayed,
      });
    },
  );

  app.post(
    '/api/v1/public/certificates/verify',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: [TAG],
        security: [],
        summary: 'Public: verify a certificate QR (text or PNG image)',
        description:
          'Returns {valid, steps{image, prefix, base45, decompress, decode, signature, schema, expiry, keyUsage: true|false|null}, stepLabels, reasons[], certificate (only what the certificate prints) | null, issuedAt, expiresAt, issuerCountry}.',
        body: z
          .object({
            qr: z.string().max(8000).optional().describe('The QR text, "HC1:…"'),
            png: z
              .string()
              .max(2_000_000)
              .optional()
              .describe('A PNG image of the QR code, base64'),
          })
          .refine((b) => b.qr !== undefined || b.png !== undefined, {
            path: ['qr'],
            message: 'Cần mã QR (qr) hoặc ảnh (png)',
          }),
      },
    },
    async (req: FastifyRequest<{ Body: { qr?: string; png?: string } }>) => {
      const { qr, png } = req.body;
      const image = png !== undefined ? Buffer.from(png, 'base64') : null;
      const input = image ? (qr !== undefined ? { image, text: qr } : image) : qr!;
      const r = await verifyDccInput(input, { trust: await trust.get(), at: new Date() });
      return {
        valid: r.valid,
        steps: r.steps,
        stepLabels: STEP_LABELS,
        reasons: r.reasons,
        certificate: r.valid || r.steps.signature ? printed(r.payload) : null,
        issuedAt: r.claims?.issuedAt ?? null,
        expiresAt: r.claims?.expiresAt ?? null,
        issuerCountry: r.claims?.issuer ?? null,
      };
    },
  );

  await trustListRoutes(server, { signer: opts.signer, trust, cas: opts.cas });
}
