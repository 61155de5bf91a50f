/** The record that shows a violation (an entry, a quarantine order, a declaration), held to scope. */
import type { FastifyRequest } from 'fastify';
import { contains, type Place } from '../../domain/access.ts';
import type { EvidenceKind } from '../../domain/enforcement.ts';
import { requireActor } from '../context.ts';
import { fieldError } from '../errors.ts';
import { canonicalPersonId } from '../people/store.ts';
import { denyBodyId } from '../scoped-ids.ts';

interface EvidenceRow {
  person_id: string;
  province_code: string;
  district_code: string;
  commune_code: string;
  site_id?: string | null;
  village_id?: string | null;
  dest_province_code?: string | null;
  dest_district_code?: string | null;
  dest_commune_code?: string | null;
}

/** Each kind: its table's query and the places it is seen from. */
const SQL: Record<EvidenceKind, string> = {
  entry: `SELECT person_id, province_code, district_code, commune_code, site_id,
            dest_province_code, dest_district_code, dest_commune_code FROM entries WHERE id = $1`,
  quarantine_order: `SELECT person_id, province_code, district_code, commune_code, village_id
                       FROM quarantine_orders WHERE id = $1`,
  declaration:
    'SELECT person_id, province_code, district_code, commune_code FROM declarations WHERE id = $1',
};

function placesOf(r: EvidenceRow): Place[] {
  const own: Place = {
    provinceCode: r.province_code,
    districtCode: r.district_code,
    communeCode: r.commune_code,
    siteId: r.site_id ?? null,
    villageId: r.village_id ?? null,
  };
  // an entry is also seen from the commune it was heading to (which follows the arrival up)
  return r.dest_commune_code
    ? [
        own,
        {
          provinceCode: r.dest_province_code!,
          districtCode: r.dest_district_code,
          communeCode: r.dest_commune_code,
        },
      ]
    : [own];
}

/**
 * The evidence a violation names: unknown or outside the actor's scope → 404 naming
 * `evidence.id`, audited; a record about someone else → 400.
 */
export async function evidenceInScope(
  req: FastifyRequest,
  e: { kind: EvidenceKind; id: string },
  personId: string,
): Promise<void> {
  const db = req.server.db;
  const actor = requireActor(req);
  const row = (await db.query<EvidenceRow>(SQL[e.kind], [e.id]))[0];
  if (!row || !placesOf(row).some((p) => contains(actor.scope, p)))
    throw await denyBodyId(
      req,
      {
        action: 'violations.write',
        resourceType: e.kind,
        id: e.id,
        field: 'evidence.id',
        found: !!row,
      },
      'Hồ sơ',
    );
  if ((await canonicalPersonId(db, row.person_id)) !== personId)
    throw fieldError('evidence.id', 'Hồ sơ này là của người khác');
}
