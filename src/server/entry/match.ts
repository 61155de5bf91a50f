import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normaliseIdNumber } from '../../domain/people.ts';
import { audit, requireActor, requirePermission } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import { syncNameKeys } from '../people/store.ts';
import { DECLARATION_CODE_RE, type DeclarationInput } from './declarations.ts';

interface Declared {
  id: string;
  code: string;
  person_id: string;
  person_snapshot: DeclarationInput['person'];
  registry_match: 'linked' | 'pending' | 'confirmed' | 'new';
}
interface Candidate {
  id: string;
  full_name: string;
  birth_year: number;
  sex: string;
  id_type: string | null;
  id_number: string | null;
  phone: string | null;
  commune_code: string;
  commune_name: string | null;
}

/** Registered people holding the ID number a declaration carries (never its own record). */
async function candidates(q: Parameters<typeof syncNameKeys>[0], d: Declared) {
  const id = d.person_snapshot.idNumber ? normaliseIdNumber(d.person_snapshot.idNumber) : null;
  if (!id) return [];
  return q.query<Candidate>(
    `SELECT p.id, p.full_name, p.birth_year, p.sex, p.id_type, p.id_number, p.phone, p.commune_code,
            u.name AS commune_name
       FROM persons p LEFT JOIN admin_units u ON u.code = p.commune_code
      WHERE p.id_number = $1 AND p.merged_into IS NULL AND p.id <> $2 ORDER BY p.created_at LIMIT 10`,
    [id, d.person_id],
  );
}

const presentCandidate = (c: Candidate) => ({
  id: c.id,
  fullName: c.full_name,
  birthYear: c.birth_year,
  sex: c.sex,
  idType: c.id_type,
  idNumber: c.id_number,
  phone: c.phone,
  communeCode: c.commune_code,
  communeName: c.commune_name,
});

/**
 * Issue 10, item 2: a declaration made without login stands for a record of its own until an
 * officer at a checkpoint, who has the person in front of them, sees what was declared beside the
 * registered people with that ID number and confirms which one it is (or that it is someone
 * new). Only then do its entries and follow-ups join the registered person. Both steps audited.
 */
export async function matchRoutes(server: FastifyInstance) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const params = z.object({ code: z.string().trim().toUpperCase().regex(DECLARATION_CODE_RE) });

  const load = async (req: Parameters<typeof requireActor>[0], code: string) => {
    const d = (
      await db.query<Declared>(
        `SELECT id, code, person_id, person_snapshot, registry_match FROM declarations WHERE code = $1`,
        [code],
      )
    )[0];
    if (!d) {
      await audit(db, req, {
        action: 'declarations.match',
        resourceType: 'declaration',
        resourceId: code,
        outcome: 'denied',
        reason: 'not_found',
      });
      throw notFound('Tờ khai');
    }
    return d;
  };

  app.get(
    '/api/v1/declarations/:code/match',
    {
      preHandler: requirePermission('entries.write'),
      schema: {
        tags: ['entry'],
        summary:
          'What a declaration says beside the registered people with its ID number, for the officer to confirm (audited)',
        params,
      },
    },
    async (req) => {
      const d = await load(req, req.params.code);
      const found = d.registry_match === 'pending' ? await candidates(db, d) : [];
      await audit(db, req, {
        action: 'declarations.match.read',
        resourceType: 'declaration',
        resourceId: d.id,
        outcome: 'allowed',
        detail: { personIds: found.map((c) => c.id) },
      });
      const p = d.person_snapshot;
      return {
        code: d.code,
        registryMatch: d.registry_match,
        declared: {
          fullName: p.fullName,
          birthYear: p.birthYear,
          birthDate: p.birthDate ?? null,
          sex: p.sex,
          idType: p.idType ?? null,
          idNumber: p.idNumber ?? null,
          phone: p.phone ?? null,
          communeCode: p.communeCode,
        },
        candidates: found.map(presentCandidate),
      };
    },
  );

  app.post(
    '/api/v1/declarations/:code/match',
    {
      preHandler: requirePermission('entries.write'),
      schema: {
        tags: ['entry'],
        summary:
          'Confirm a declaration: personId = the registered person it is (its entries and follow-ups move to them), none = a new person (audited)',
        params,
        body: z.object({ personId: z.uuid().nullable() }),
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const d = await load(req, req.params.code);
      if (d.registry_match !== 'pending')
        throw conflict('Tờ khai đã được đối chiếu', [
          { path: 'personId', message: 'Đã đối chiếu' },
        ]);
      const target = req.body.personId;
      const found = await candidates(db, d);
      if (target && !found.some((c) => c.id === target)) {
        await audit(db, req, {
          action: 'declarations.match',
          resourceType: 'person',
          resourceId: target,
          outcome: 'denied',
          reason: 'not_a_candidate',
        });
        throw notFound('Người có số giấy tờ này');
      }
      await db.tx(async (q) => {
        const own = d.person_id;
        const done = await q.query(
          `UPDATE declarations SET registry_match = $2, matched_by = $3, matched_at = now(),
             person_id = coalesce($4, person_id)
           WHERE id = $1 AND registry_match = 'pending' RETURNING id`,
          [d.id, target ? 'confirmed' : 'new', actor.id, target],
        );
        if (!done[0]) throw conflict('Tờ khai vừa được người khác đối chiếu');
        if (target) {
          // What the declaration brought moves to the registered person; its own record points there.
          for (const table of ['entries', 'follow_ups', 'presence', 'declarations'])
            await q.query(`UPDATE ${table} SET person_id = $2 WHERE person_id = $1`, [own, target]);
          await q.query(
            'UPDATE persons SET merged_into = $2, merged_at = now(), updated_at = now() WHERE id = $1',
            [own, target],
          );
          await syncNameKeys(q, own);
        } else if (d.person_snapshot.idType && d.person_snapshot.idNumber && !found.length) {
          // Someone new: their record takes the ID number they declared (nobody else holds it).
          await q.query(
            'UPDATE persons SET id_type = $2, id_number = $3, updated_at = now() WHERE id = $1',
            [own, d.person_snapshot.idType, normaliseIdNumber(d.person_snapshot.idNumber)],
          );
        }
        await audit(q, req, {
          action: 'declarations.match',
          resourceType: 'declaration',
          resourceId: d.id,
          outcome: 'allowed',
          detail: { personId: target ?? own, declaredRecordId: own, new: !target },
        });
      });
      return {
        code: d.code,
        registryMatch: target ? 'confirmed' : 'new',
        personId: target ?? d.person_id,
      };
    },
  );
}
