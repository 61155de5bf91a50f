/**
 * FHIR R4 exchange with the national platform and other systems. Out: results as Patient,
 * Specimen, Observation and DiagnosticReport, or vaccinations as Immunization, in a
 * `transaction` Bundle a FHIR server loads (default) or a `collection`. In: results from
 * another system (fhir-import.ts). Every Bundle out and in is checked against the R4 JSON
 * Schema and the Bundle rules; errors answer as an OperationOutcome (fhir-outcome.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../domain/access.ts';
import { isValidIsoDate } from '../../domain/dates.ts';
import { note, problem, transactionProblems } from '../../domain/fhir.ts';
import { audit, requireActor, requirePermission, scopePredicate, type Actor } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { keysetArms, param, type ListSql } from '../lists.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import { importBundle } from './fhir-import.ts';
import { checkBundle, type InBundle } from './fhir-read.ts';
import { personForVaccination, todayVn } from '../vaccination/common.ts';
import { recordDose } from '../vaccination/doses.ts';
import { scheduleCache } from '../vaccination/rulesets.ts';
import { FhirError, installOutcomeHandler, langOf, operationOutcome } from './fhir-outcome.ts';
import {
  entryOf,
  immunizationResource,
  patientResource,
  resultResources,
  type BundleKind,
  type DoseExportRow,
  type Entry,
  type ExportRow,
  type PatientRow,
} from './fhir-resources.ts';
import { validateFhir } from './fhir-schema.ts';
import type { F0Cache } from './rulesets.ts';
import { testScope } from './scope.ts';

export { COMMUNE_EXT, EPIGUARD_SYSTEM, LOINC, NATIONAL_ID_SYSTEM } from './fhir-resources.ts';

const PATIENT_COLS = `p.id AS person_id, p.full_name, p.birth_date::text AS birth_date, p.birth_year, p.sex,
  p.commune_code`;

const exportQuery = z.object({
  type: z
    .enum(['transaction', 'collection'])
    .default('transaction')
    .describe(
      'transaction: POST entries with conditional create (a FHIR server loads it); collection: the resources only',
    ),
  _type: z
    .enum(['Observation', 'Immunization'])
    .default('Observation')
    .describe(
      'Observation: test results (Patient, Specimen, Observation, DiagnosticReport); Immunization: vaccination doses',
    ),
  date: z
    .string()
    .refine(isValidIsoDate, 'Ngày YYYY-MM-DD')
    .optional()
    .describe('Sample / vaccination date (Vietnam time)'),
  communeCode: z
    .string()
    .regex(/^\d{5}$/)
    .optional(),
  _count: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});
type ExportQuery = z.infer<typeof exportQuery>;

/**
 * The SQL of one export page of results: the page's ids are picked from test_results alone,
 * ordered and limited through a (unit, sample_date, id) index — one arm per scope column, a
 * lab's or sampling site's user having two (lists.ts) — then joined to their persons.
 */
export function resultExportSql(
  scope: Actor['scope'],
  qy: { date?: string; communeCode?: string; _count: number },
  after: unknown[] | null,
): ListSql {
  const params: unknown[] = [];
  const branches =
    scope.level === 'site'
      ? [`r.site_id = ${param(params, scope.siteId)}`, `r.lab_site_id = $${params.length}`]
      : [testScope(scope, params, 'r')];
  const where: string[] = [];
  if (qy.date) where.push(`r.sample_date = ${param(params, qy.date)}::date`);
  if (qy.communeCode) where.push(`r.commune_code = ${param(params, qy.communeCode)}`);
  if (after)
    where.push(
      `(r.sample_date, r.id) > (${param(params, after[0])}::date, ${param(params, after[1])}::uuid)`,
    );
  const limit = param(params, qy._count + 1);
  const ids = keysetArms({
    from: 'test_results r',
    columns: 'r.id, r.sample_date',
    branches,
    where,
    orderBy: 'r.sample_date, r.id',
    limit,
  });
  return {
    sql: `SELECT r.id, r.specimen_id, r.specimen_code, r.test_type, r.result, r.ct_value, r.sampled_at, r.resulted_at,
       r.source, r.natural_key, r.sample_date::text AS sample_date, ${PATIENT_COLS}
       FROM (${ids}) page JOIN test_results r ON r.id = page.id JOIN persons p ON p.id = r.person_id
      ORDER BY page.sample_date, page.id LIMIT ${limit}`,
    params,
  };
}

/** One page of results of the actor's area, as resources with the key of the page's last row. */
async function resultPage(db: Queryable, actor: Actor, qy: ExportQuery) {
  const q = resultExportSql(actor.scope, qy, decodeCursor(qy.cursor, ['date', 'uuid']));
  const rows = await db.query<ExportRow & PatientRow & { sample_date: string }>(q.sql, q.params);
  const items = rows.slice(0, qy._count);
  const last = items[items.length - 1];
  return {
    rows: items,
    resources: items.flatMap((r) => [patientResource(r), ...resultResources(r)]),
    next: rows.length > qy._count && last ? [last.sample_date, last.id] : null,
  };
}

/** The SQL of one export page of doses, through the (unit, given_on, id) indexes. */
export function doseExportSql(
  scope: Actor['scope'],
  qy: { date?: string; communeCode?: string; _count: number },
  after: unknown[] | null,
): ListSql {
  const params: unknown[] = [];
  const where = [scopePredicate(scope, params, 'd')];
  if (qy.date) where.push(`d.given_on = ${param(params, qy.date)}::date`);
  if (qy.communeCode) where.push(`d.commune_code = ${param(params, qy.communeCode)}`);
  if (after)
    where.push(
      `(d.given_on, d.id) > (${param(params, after[0])}::date, ${param(params, after[1])}::uuid)`,
    );
  const limit = param(params, qy._count + 1);
  return {
    sql: `SELECT d.id, d.product, d.lot_number, d.dose_number, d.kind, d.given_on::text AS given_on, ${PATIENT_COLS}
       FROM (SELECT d.id, d.given_on FROM vaccination_doses d WHERE ${where.join(' AND ')}
              ORDER BY d.given_on, d.id LIMIT ${limit}) page
       JOIN vaccination_doses d ON d.id = page.id JOIN persons p ON p.id = d.person_id
      ORDER BY page.given_on, page.id`,
    params,
  };
}

/** One page of vaccination doses of the actor's area, as Patient and Immunization resources. */
async function dosePage(db: Queryable, actor: Actor, qy: ExportQuery) {
  const q = doseExportSql(actor.scope, qy, decodeCursor(qy.cursor, ['date', 'uuid']));
  const rows = await db.query<DoseExportRow & PatientRow>(q.sql, q.params);
  const items = rows.slice(0, qy._count);
  const last = items[items.length - 1];
  return {
    rows: items,
    resources: items.flatMap((d) => [patientResource(d), immunizationResource(d)]),
    next: rows.length > qy._count && last ? [last.given_on, last.id] : null,
  };
}

/** The Bundle of a page: each resource once (a person with several results is one Patient). */
export function exportBundle(
  kind: BundleKind,
  resources: Parameters<typeof entryOf>[0][],
  link: { relation: string; url: string }[],
) {
  const entry: Entry[] = [];
  const seen = new Set<string>();
  for (const r of resources) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    entry.push(entryOf(r, kind));
  }
  return { resourceType: 'Bundle', type: kind, timestamp: new Date().toISOString(), link, entry };
}

export async function fhirRoutes(server: FastifyInstance, opts: { f0: F0Cache }) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  installOutcomeHandler(server);
  const schedules = scheduleCache(db);
  app.addContentTypeParser(
    'application/fhir+json',
    { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 },
    app.getDefaultJsonParser('error', 'error'),
  );

  app.get(
    '/api/v1/fhir/Bundle',
    {
      preHandler: requirePermission('fhir.exchange'),
      schema: {
        tags: ['testing'],
        summary:
          'Results (or, with _type=Immunization, vaccinations) of your area as a FHIR R4 Bundle: a transaction a FHIR server loads (default) or a collection; next page in link[next]; errors as OperationOutcome',
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const qy = req.query;
      if (qy._type === 'Immunization' && !can(actor.role, 'vaccinations.read'))
        throw new FhirError(404, [
          problem(
            'forbidden',
            'query._type',
            'Không có quyền xem tiêm chủng',
            'No right to read vaccinations',
          ),
        ]);
      const page =
        qy._type === 'Immunization'
          ? await dosePage(db, actor, qy)
          : await resultPage(db, actor, qy);
      const self = `/api/v1/fhir/Bundle${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`;
      const link = [{ relation: 'self', url: self }];
      if (page.next) {
        const u = new URLSearchParams({ type: qy.type, _type: qy._type });
        if (qy.date) u.set('date', qy.date);
        if (qy.communeCode) u.set('communeCode', qy.communeCode);
        u.set('_count', String(qy._count));
        u.set('cursor', encodeCursor(page.next));
        link.push({ relation: 'next', url: `/api/v1/fhir/Bundle?${u}` });
      }
      const bundle = exportBundle(qy.type, page.resources, link);
      const issues = [
        ...validateFhir(bundle).map((i) => `${i.path}: ${i.message}`),
        ...(qy.type === 'transaction'
          ? transactionProblems(bundle).map((p) => `${p.expression}: ${p.en}`)
          : []),
      ];
      if (issues.length) {
        req.log.error({ issues }, 'exported FHIR Bundle does not validate');
        throw new Error('exported FHIR Bundle does not validate');
      }
      await audit(db, req, {
        action: 'fhir.exchange',
        resourceType: 'fhir_bundle',
        outcome: 'allowed',
        detail: {
          [qy._type === 'Immunization' ? 'doses' : 'results']: page.rows.length,
          type: qy.type,
        },
      });
      return reply.type('application/fhir+json').send(bundle);
    },
  );

  app.post(
    '/api/v1/fhir/Bundle',
    {
      preHandler: requirePermission('fhir.exchange'),
      schema: {
        tags: ['testing'],
        summary:
          'Results from another system: a FHIR R4 Bundle (transaction, batch, collection or document) with Patient, Specimen?, Observation, DiagnosticReport?; idempotent by Observation.identifier; all or nothing; one response entry per entry; errors as OperationOutcome',
        body: z.looseObject({
          resourceType: z.literal('Bundle'),
          type: z.string().max(40),
          entry: z
            .array(
              z.looseObject({
                fullUrl: z.string().max(300).optional(),
                resource: z.record(z.string(), z.unknown()).optional(),
              }),
            )
            .max(3000)
            .optional(),
        }),
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const bundle = req.body as InBundle;
      // Everything is checked before anything is written or any rule applied.
      const checked = checkBundle(bundle);
      if (checked.problems.length) throw new FhirError(400, checked.problems);
      if (checked.immunizations.length && !can(actor.role, 'vaccinations.write'))
        throw new FhirError(
          403,
          checked.immunizations.map((d) =>
            problem(
              'forbidden',
              `Bundle.entry[${d.entry}].resource`,
              'Không có quyền ghi mũi tiêm',
              'No right to record vaccinations',
            ),
          ),
        );
      const sets = checked.immunizations.length ? await schedules.get() : [];
      const today = todayVn();
      const rulesets = await opts.f0.get();
      const site =
        actor.scope.level === 'site'
          ? ((
              await db.query<{ commune_code: string }>(
                'SELECT commune_code FROM sites WHERE id = $1',
                [actor.scope.siteId],
              )
            )[0] ?? null)
          : null;
      const lang = langOf(req);
      const out = await db.tx(async (q) => {
        const responses = await importBundle(q, bundle, checked, {
          actor,
          recordDose: async (tx, personId, d) => {
            const person = await personForVaccination(tx, req, personId, 'vaccinations.write');
            const w = await recordDose(
              tx,
              req,
              person,
              {
                personId,
                product: d.product,
                date: d.date,
                ...(d.lotNumber ? { lotNumber: d.lotNumber } : {}),
                ...(d.doseNumber ? { doseNumber: d.doseNumber } : {}),
              },
              sets,
              today,
            );
            return { id: w.dose.id, replayed: w.replayed };
          },
          rulesets,
          fallbackCommune: site?.commune_code ?? actor.scope.communeCode ?? null,
          homeProvince: app.config.province,
        });
        await audit(q, req, {
          action: 'fhir.exchange',
          resourceType: 'fhir_bundle',
          outcome: 'allowed',
          detail: {
            observations: checked.observations.length,
            immunizations: checked.immunizations.length,
            created: responses.filter((r) => r.status.startsWith('201')).length,
          },
        });
        return responses;
      });
      const response = {
        resourceType: 'Bundle',
        type: bundle.type === 'transaction' ? 'transaction-response' : 'batch-response',
        entry: out.map((r, k) => ({
          ...(bundle.entry![k]!.fullUrl ? { fullUrl: bundle.entry![k]!.fullUrl } : {}),
          response: {
            status: r.status,
            ...(r.location ? { location: r.location } : {}),
            ...(r.note
              ? {
                  outcome: operationOutcome(
                    [note(`Bundle.entry[${k}]`, r.note.vi, r.note.en)],
                    lang,
                  ),
                }
              : {}),
          },
        })),
      };
      return reply
        .status(out.some((r) => r.status.startsWith('201')) ? 201 : 200)
        .type('application/fhir+json')
        .send(response);
    },
  );
}
