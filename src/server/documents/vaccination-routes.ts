/**
 * GET /api/v1/persons/:id/vaccination-certificate.docx (issue 16 item 3): the person's doses as a
 * printed confirmation, held to the actor's area like the vaccination record (404 + audit
 * outside it), the download audited.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateOfInstant } from '../../domain/dates.ts';
import { productOf, scheduleInForce } from '../../domain/vaccination.ts';
import { audit, requirePermission } from '../context.ts';
import { placeLabel } from '../geo/units.ts';
import { personForVaccination } from '../vaccination/common.ts';
import { writeQrPng } from '../vaccination/dcc-qr.ts';
import { dosesOf } from '../vaccination/doses.ts';
import { scheduleCache } from '../vaccination/rulesets.ts';
import { vaccinationCertificateDocx } from './vaccination-certificate.ts';

export async function vaccinationDocumentRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const schedules = scheduleCache(db);

  app.get(
    '/api/v1/persons/:id/vaccination-certificate.docx',
    {
      preHandler: requirePermission('vaccinations.read'),
      schema: {
        tags: ['vaccination'],
        summary: "A person's vaccination confirmation (Giấy xác nhận tiêm chủng), as DOCX",
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req, reply) => {
      const person = await personForVaccination(db, req, req.params.id, 'vaccinations.read');
      const doses = await dosesOf(db, person.id);
      const sets = await schedules.get();
      const last = doses[doses.length - 1];
      const units = await db.query<{ code: string; name: string }>(
        'SELECT code, name FROM admin_units WHERE code = ANY($1)',
        [[person.commune_code, person.district_code]],
      );
      const name = (code: string) => units.find((u) => u.code === code)?.name ?? code;
      const home = await placeLabel(db, {
        provinceCode: person.province_code,
        districtCode: person.district_code,
        communeCode: person.commune_code,
        villageId: person.village_id,
      });
      const cert = (
        await db.query<{ uvci: string; qr: string; expires_at: Date | string }>(
          `SELECT uvci, qr, expires_at FROM vaccination_certificates
            WHERE person_id = $1 AND kind = 'vaccination' ORDER BY issued_at DESC LIMIT 1`,
          [person.id],
        )
      )[0];
      const docx = await vaccinationCertificateDocx({
        unit: {
          parent: `Trung tâm Y tế ${name(person.district_code)}`,
          name: name(person.commune_code),
          placeName: name(person.commune_code),
        },
        signedOn: dateOfInstant(Date.now()),
        person: {
          fullName: person.full_name,
          birthDate: person.birth_date,
          birthYear: person.birth_year,
          sex: person.sex,
          idNumber: person.id_number,
          address: person.street ? `${person.street}, ${home}` : home,
        },
        doses: doses.map((x) => ({
          number: x.dose_number,
          date: x.given_on,
          product: productOf(scheduleInForce(sets, x.given_on), x.product)?.nameVi ?? x.product,
          lot: x.lot_number,
        })),
        legalBasis: last && sets.length ? scheduleInForce(sets, last.given_on).legalBasis : null,
        dcc: cert
          ? {
              uvci: cert.uvci,
              png: await writeQrPng(cert.qr),
              expiresOn: dateOfInstant(new Date(cert.expires_at).getTime()),
            }
          : null,
        reference: `người ${person.id}`,
      });
      await audit(db, req, {
        action: 'documents.download',
        resourceType: 'person',
        resourceId: person.id,
        outcome: 'allowed',
        detail: { document: 'vaccination_certificate', format: 'docx', subjects: [person.id] },
      });
      return reply
        .header(
          'content-type',
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        )
        .header(
          'content-disposition',
          `attachment; filename="xac-nhan-tiem-chung-${person.id.slice(0, 8)}.docx"`,
        )
        .header('cache-control', 'no-store')
        .send(docx);
    },
  );
}
