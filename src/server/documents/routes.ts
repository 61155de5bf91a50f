/**
 * Documents staff print (issue 16 item 3): GET /api/v1/quarantine-orders/:id/decision.docx — the
 * quarantine decision of one order, checked like the order itself (another unit's user: 404 and
 * the attempt audited) and the download audited with the person it names.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateOfInstant } from '../../domain/dates.ts';
import type { LegalBasis } from '../../domain/rulesets.ts';
import { audit, loadScopedAny, requirePermission } from '../context.ts';
import { placeLabel } from '../geo/units.ts';
import { quarantineDecisionDocx, type QuarantineDecisionData } from './quarantine-decision.ts';
import { vaccinationDocumentRoutes } from './vaccination-routes.ts';

interface DecisionRow {
  id: string;
  person_id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  village_id: string | null;
  kind: QuarantineDecisionData['kind'];
  start_date: string;
  quarantine_ends: string | null;
  monitoring_ends: string;
  ruleset_id: string;
  rule_id: string;
  case_code: string;
  full_name: string;
  birth_date: string | null;
  birth_year: number;
  sex: QuarantineDecisionData['person']['sex'];
  id_number: string | null;
  street: string | null;
  p_province: string;
  p_district: string;
  p_commune: string;
  p_village: string | null;
  legal_basis: LegalBasis | null;
  facility: string | null;
  unit_name: string;
  district_name: string;
}

/** The order, its person, the rule set's legal basis, the facility admitted to and the unit names: one read. */
export const DECISION_SQL = `SELECT o.id, o.person_id, o.province_code, o.district_code, o.commune_code, o.village_id, o.kind,
    o.start_date::text AS start_date, o.quarantine_ends::text AS quarantine_ends, o.monitoring_ends::text AS monitoring_ends,
    o.ruleset_id, o.rule_id, c.code AS case_code,
    p.full_name, p.birth_date::text AS birth_date, p.birth_year, p.sex, p.id_number, p.street,
    p.province_code AS p_province, p.district_code AS p_district, p.commune_code AS p_commune, p.village_id AS p_village,
    rs.legal_basis,
    (SELECT f.name FROM care_admissions a JOIN care_facilities f ON f.id = a.facility_id
      WHERE a.quarantine_order_id = o.id ORDER BY a.admitted_on DESC LIMIT 1) AS facility,
    cu.name AS unit_name, du.name AS district_name
  FROM quarantine_orders o
  JOIN persons p ON p.id = o.person_id
  JOIN cases c ON c.id = o.case_id
  JOIN admin_units cu ON cu.code = o.commune_code
  JOIN admin_units du ON du.code = o.district_code
  LEFT JOIN rule_sets rs ON rs.id = o.ruleset_id
 WHERE o.id = $1`;

export async function documentRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  await app.register(vaccinationDocumentRoutes);

  app.get(
    '/api/v1/quarantine-orders/:id/decision.docx',
    {
      preHandler: requirePermission('contacts.read'),
      schema: {
        tags: ['tracing'],
        summary: 'The quarantine decision (Quyết định cách ly) of an order, as DOCX',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req, reply) => {
      const o = await loadScopedAny(req, {
        action: 'contacts.read',
        resourceType: 'quarantine_order',
        id: req.params.id,
        label: 'Lệnh cách ly',
        auditAllowed: false,
        load: async () => {
          const r = (await db.query<DecisionRow>(DECISION_SQL, [req.params.id]))[0];
          return (
            r && {
              places: [
                {
                  provinceCode: r.province_code,
                  districtCode: r.district_code,
                  communeCode: r.commune_code,
                  villageId: r.village_id,
                },
              ],
              row: r,
            }
          );
        },
      });
      const home = await placeLabel(db, {
        provinceCode: o.p_province,
        districtCode: o.p_district,
        communeCode: o.p_commune,
        villageId: o.p_village,
      });
      const address = o.street ? `${o.street}, ${home}` : home;
      const legalBasis = o.legal_basis ?? {
        number: o.ruleset_id,
        date: o.start_date,
        title: 'bộ quy tắc phân loại người tiếp xúc',
      };
      const to =
        o.kind === 'self_monitoring' ? o.monitoring_ends : (o.quarantine_ends ?? o.monitoring_ends);
      const docx = await quarantineDecisionDocx({
        unit: { parent: `UBND ${o.district_name}`, name: o.unit_name, placeName: o.unit_name },
        signedOn: dateOfInstant(Date.now()),
        person: {
          fullName: o.full_name,
          birthDate: o.birth_date,
          birthYear: o.birth_year,
          sex: o.sex,
          idNumber: o.id_number,
          address,
        },
        kind: o.kind,
        place:
          o.kind === 'centralised'
            ? (o.facility ?? `Khu cách ly tập trung do UBND ${o.district_name} bố trí`)
            : address,
        from: o.start_date,
        to,
        legalBasis,
        rulesetId: o.ruleset_id,
        ruleId: o.rule_id,
        caseCode: o.case_code,
        reference: `lệnh cách ly ${o.id}`,
      });
      await audit(db, req, {
        action: 'documents.download',
        resourceType: 'quarantine_order',
        resourceId: o.id,
        outcome: 'allowed',
        detail: { document: 'quarantine_decision', format: 'docx', subjects: [o.person_id] },
      });
      const file = `quyet-dinh-cach-ly-${o.id.slice(0, 8)}.docx`;
      return reply
        .header(
          'content-type',
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        )
        .header('content-disposition', `attachment; filename="${file}"`)
        .header('cache-control', 'no-store')
        .send(docx);
    },
  );
}
