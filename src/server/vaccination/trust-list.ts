import { readFileSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit, requireActor, requirePermission } from '../context.ts';
import type { Db, Queryable } from '../db/index.ts';
import { conflict, fieldError, notFound } from '../errors.ts';
import type { ProvinceSigner } from './certificates.ts';
import { TAG } from './common.ts';
import { chainsToCsca, DccTrustList, parseCertificates, signerCertificate } from './dcc-keys.ts';

/**
 * The verifier's trust list: the signer certificates (DSC) whose certificates verify. Our own
 * DSC is trusted from the key the server is configured with; another issuer's DSC may be added
 * only by a province-level role (`certificates.trust`) and only when it chains to a national CA
 * (CSCA) named in EPIGUARD_DCC_CSCA_FILE. Additions and removals are audited.
 */
export const DCC_CSCA_ENV = 'EPIGUARD_DCC_CSCA_FILE';

/** The national CAs (CSCA) a DSC must chain to, from the PEM file the environment names. */
export function loadNationalCas(env: NodeJS.ProcessEnv = process.env): {
  cas: X509Certificate[];
  problem: string | null;
} {
  const file = env[DCC_CSCA_ENV];
  if (!file) return { cas: [], problem: null };
  try {
    return { cas: parseCertificates(readFileSync(file, 'utf8')), problem: null };
  } catch (e) {
    return { cas: [], problem: `Không nạp được ${DCC_CSCA_ENV}=${file}: ${(e as Error).message}` };
  }
}

/** The trust list, from dcc_trusted_signers; rebuilt after a change. */
export function trustCache(db: Db) {
  let cached: Promise<DccTrustList> | null = null;
  return {
    get(): Promise<DccTrustList> {
      cached ??= db
        .query<{ certificate_pem: string }>('SELECT certificate_pem FROM dcc_trusted_signers')
        .then((rows) => new DccTrustList(rows.map((r) => r.certificate_pem)));
      cached.catch(() => (cached = null));
      return cached;
    },
    clear() {
      cached = null;
    },
  };
}
export type TrustCache = ReturnType<typeof trustCache>;

export async function trustSigner(
  q: Queryable,
  pem: string,
  source: 'own' | 'imported',
  note: string | null,
  by: string | null,
) {
  const c = signerCertificate(pem);
  const rows = await q.query<{ kid: string }>(
    `INSERT INTO dcc_trusted_signers (kid, certificate_pem, source, subject, not_before, not_after, note, added_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (kid) DO NOTHING RETURNING kid`,
    [
      c.kidBase64,
      c.cert.toString(),
      source,
      c.cert.subject.replace(/\n/g, ', '),
      c.notBefore.toISOString(),
      c.notAfter.toISOString(),
      note,
      by,
    ],
  );
  return { kid: c.kidBase64, added: rows.length > 0, cert: c };
}

const subjectOf = (c: X509Certificate) => c.subject.replace(/\n/g, ', ');

export async function trustListRoutes(
  server: FastifyInstance,
  opts: { signer: ProvinceSigner; trust: TrustCache; cas: ReturnType<typeof loadNationalCas> },
) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const { trust, cas } = opts;
  if (cas.problem) app.log.warn(cas.problem);

  app.get(
    '/api/v1/dcc/trust-list',
    {
      preHandler: requirePermission('certificates.issue'),
      schema: {
        tags: [TAG],
        summary: 'Signer certificates (DSC) the verifier trusts: ours and imported ones',
        description:
          'Returns {signing: {configured, kid, problem}, nationalCas[{subject, notAfter}], items[{kid, source: own|imported, subject, notBefore, notAfter, note, certificatePem}]}.',
      },
    },
    async () => {
      const rows = await db.query<{
        kid: string;
        source: string;
        subject: string;
        not_before: Date;
        not_after: Date;
        note: string | null;
        certificate_pem: string;
      }>(
        'SELECT kid, source, subject, not_before, not_after, note, certificate_pem FROM dcc_trusted_signers ORDER BY added_at, kid',
      );
      return {
        signing: {
          configured: !!opts.signer.signer,
          kid: opts.signer.signer?.certificate.kidBase64 ?? null,
          problem: opts.signer.problem,
        },
        nationalCas: cas.cas.map((c) => ({
          subject: subjectOf(c),
          notAfter: new Date(c.validTo).toISOString(),
        })),
        items: rows.map((r) => ({
          kid: r.kid,
          source: r.source,
          subject: r.subject,
          notBefore: new Date(r.not_before).toISOString(),
          notAfter: new Date(r.not_after).toISOString(),
          note: r.note,
          certificatePem: r.certificate_pem,
        })),
      };
    },
  );

  app.post(
    '/api/v1/dcc/trust-list',
    {
      preHandler: requirePermission('certificates.trust'),
      schema: {
        tags: [TAG],
        summary: 'Add a signer certificate (PEM or base64 DER) that chains to a national CA',
        description: `Province-level only. The DSC must be issued by a CA in ${DCC_CSCA_ENV}; audited.`,
        body: z.object({
          certificate: z.string().min(20).max(20_000).describe('PEM or base64 DER of one DSC'),
          note: z.string().trim().max(300).optional(),
        }),
      },
    },
    async (req, reply) => {
      let dsc;
      try {
        dsc = signerCertificate(req.body.certificate);
      } catch (e) {
        throw fieldError('certificate', `Không đọc được chứng thư: ${(e as Error).message}`);
      }
      const ca = chainsToCsca(dsc.cert, cas.cas);
      if (!ca) {
        await audit(db, req, {
          action: 'certificates.trust',
          resourceType: 'dcc_signer',
          resourceId: dsc.kidBase64,
          outcome: 'denied',
          reason: 'no_chain',
          detail: { subject: subjectOf(dsc.cert) },
        });
        throw fieldError(
          'certificate',
          cas.cas.length
            ? 'Chứng thư ký không do CA quốc gia (CSCA) đã cấu hình cấp'
            : `Máy chủ chưa cấu hình CA quốc gia (${DCC_CSCA_ENV}): không thể thêm chứng thư ký`,
        );
      }
      const out = await db.tx(async (q) => {
        const r = await trustSigner(
          q,
          dsc.cert.toString(),
          'imported',
          req.body.note ?? null,
          requireActor(req).id,
        );
        await audit(q, req, {
          action: 'certificates.trust',
          resourceType: 'dcc_signer',
          resourceId: r.kid,
          outcome: 'allowed',
          detail: { change: 'add', subject: subjectOf(dsc.cert), csca: subjectOf(ca) },
        });
        return r;
      });
      trust.clear();
      return reply.status(out.added ? 201 : 200).send({
        kid: out.kid,
        subject: subjectOf(out.cert.cert),
        notBefore: out.cert.notBefore.toISOString(),
        notAfter: out.cert.notAfter.toISOString(),
        added: out.added,
      });
    },
  );

  app.delete(
    '/api/v1/dcc/trust-list/:kid',
    {
      preHandler: requirePermission('certificates.trust'),
      schema: {
        tags: [TAG],
        summary: 'Remove an imported signer certificate from the trust list (audited)',
        params: z.object({ kid: z.string().min(8).max(64) }),
      },
    },
    async (req, reply) => {
      const kid = req.params.kid;
      await db.tx(async (q) => {
        const rows = await q.query<{ source: string; subject: string }>(
          'SELECT source, subject FROM dcc_trusted_signers WHERE kid = $1 FOR UPDATE',
          [kid],
        );
        const row = rows[0];
        if (!row) throw notFound('Chứng thư ký');
        if (row.source === 'own')
          throw conflict('Không gỡ được chứng thư ký của chính tỉnh (đổi khóa ký trên máy chủ)');
        await q.query('DELETE FROM dcc_trusted_signers WHERE kid = $1', [kid]);
        await audit(q, req, {
          action: 'certificates.trust',
          resourceType: 'dcc_signer',
          resourceId: kid,
          outcome: 'allowed',
          detail: { change: 'remove', subject: row.subject },
        });
      });
      trust.clear();
      return reply.status(204).send();
    },
  );
}
