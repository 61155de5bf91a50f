import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateOfInstant } from '../../domain/dates.ts';
import { isAdminKind, RULE_SET_KINDS, type AdminKind } from '../../domain/ruleset-admin.ts';
import { arrivalRulesInWords, validityWords } from '../../domain/ruleset-words.ts';
import type { ArrivalRuleSet, LegalBasis } from '../../domain/rulesets.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import { fieldError, notFound } from '../errors.ts';
import { previewArrivals } from './preview.ts';
import {
  allVersions,
  assertValidCandidate,
  createVersion,
  presentVersion,
  versionById,
  versionsOfKind,
  type NewVersion,
  type VersionRow,
} from './store.ts';

const TAG = 'rule-sets';
const kinds = Object.keys(RULE_SET_KINDS) as [AdminKind, ...AdminKind[]];
const idParam = z.object({ id: z.string().min(1).max(100) });
const definition = z.record(z.string(), z.unknown(), 'Phiên bản là một đối tượng JSON');
const today = () => dateOfInstant(Date.now());

export const createBody = z.object({
  clientId: z.uuid('clientId: UUID do trình duyệt tạo, để gửi lại không bị trùng'),
  kind: z.enum(kinds, 'Loại bộ quy tắc không có'),
  definition,
});

/** Only an administrator or officer of the province adds versions: elsewhere 404, audited. */
async function requireProvinceLevel(req: FastifyRequest) {
  const actor = requireActor(req);
  if (actor.scope.level === 'province') return actor;
  await audit(req.server.db, req, {
    action: 'rulesets.manage',
    resourceType: 'endpoint',
    resourceId: `${req.method} ${req.routeOptions.url}`,
    outcome: 'denied',
    reason: 'level',
  });
  throw notFound('Trang');
}

/** A stored version read in words: validity and basis, and for arrivals every rule. */
function inWords(r: VersionRow) {
  const d = r.definition;
  return {
    validity: validityWords({
      validFrom: r.valid_from,
      validTo: r.valid_to,
      legalBasis: r.legal_basis as LegalBasis,
    }),
    notes: typeof d.notes === 'string' ? d.notes : '',
    rules:
      r.kind === 'arrival_classification'
        ? arrivalRulesInWords(d as unknown as ArrivalRuleSet)
        : null,
  };
}

export async function ruleSetRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  app.get(
    '/api/v1/rule-sets',
    {
      preHandler: requirePermission('rulesets.read'),
      schema: {
        tags: [TAG],
        summary:
          'Every kind of rule set the product reads, with its versions (validity, legal basis)',
        querystring: z.object({ kind: z.enum(kinds).optional() }),
      },
    },
    async (req) => {
      const rows = await allVersions(db);
      const d = today();
      return {
        today: d,
        items: kinds
          .filter((k) => !req.query.kind || k === req.query.kind)
          .map((kind) => ({
            kind,
            label: RULE_SET_KINDS[kind],
            previewable: kind === 'arrival_classification',
            versions: rows.filter((r) => r.kind === kind).map((r) => presentVersion(r, d)),
          })),
      };
    },
  );

  app.get(
    '/api/v1/rule-sets/:id',
    {
      preHandler: requirePermission('rulesets.read'),
      schema: {
        tags: [TAG],
        summary: 'One version, its definition and its rules in words (vi, en)',
        params: idParam,
      },
    },
    async (req) => {
      const row = await versionById(db, req.params.id);
      if (!row) throw notFound('Phiên bản bộ quy tắc');
      return {
        ...presentVersion(row, today()),
        label: isAdminKind(row.kind) ? RULE_SET_KINDS[row.kind] : null,
        definition: row.definition,
        words: inWords(row),
      };
    },
  );

  app.post(
    '/api/v1/rule-sets',
    {
      preHandler: requirePermission('rulesets.manage'),
      schema: {
        tags: [TAG],
        summary:
          'A new version of a rule set (validated against its kind; never changes a decision taken)',
        description:
          'The version starts today at the earliest (tomorrow once a decision of its kind was taken today); it may not overlap another version of its kind except the open-ended one in force, which ends the day before it. 400: the field named; 409: overlap or id taken. A repeat of the same clientId answers 200 with the version saved.',
        body: createBody,
      },
    },
    async (req, reply) => {
      const actor = await requireProvinceLevel(req);
      const b = req.body;
      const saved = await createVersion(db, req, actor, {
        ...b,
        definition: b.definition as NewVersion['definition'],
      });
      return reply.status(saved.created ? 201 : 200).send({
        ...presentVersion(saved.row, today()),
        definition: saved.row.definition,
        closed: saved.closed,
        replay: !saved.created,
      });
    },
  );

  app.post(
    '/api/v1/rule-sets/:id/preview',
    {
      preHandler: requirePermission('rulesets.manage'),
      schema: {
        tags: [TAG],
        summary:
          "What a version (or the candidate in the body) would have decided over last week's arrivals",
        params: idParam,
        body: z.object({ definition: definition.optional() }).optional(),
      },
    },
    async (req) => {
      const actor = await requireProvinceLevel(req);
      const row = await versionById(db, req.params.id);
      if (!row) throw notFound('Phiên bản bộ quy tắc');
      if (row.kind !== 'arrival_classification')
        throw fieldError('id', 'Xem trước hiện có cho bộ quy tắc phân loại người đến');
      const candidate = req.body?.definition ?? row.definition;
      assertValidCandidate('arrival_classification', candidate, await versionsOfKind(db, row.kind));
      const preview = await previewArrivals(
        db,
        candidate as unknown as ArrivalRuleSet,
        actor.scope.provinceCode,
        today(),
      );
      // Last week's arrivals were read (counted, none returned): the trail says so.
      await audit(db, req, {
        action: 'rulesets.preview',
        resourceType: 'rule_set',
        resourceId: row.id,
        outcome: 'allowed',
        detail: { records: preview.tally.records, from: preview.from, to: preview.to },
      });
      return { basedOn: row.id, ...preview };
    },
  );
}
