/**
 * Rule-set versions in the database (issue 18, item 5): read them, and save a new one in one
 * transaction — checked against its kind's schema and the other versions, the open-ended version
 * in force closed the day before it starts, audited. Decisions keep the rule set id they used
 * (entries.ruleset_id, admissions.ruleset_id…), so nothing here touches a decision.
 */
import type { FastifyRequest } from 'fastify';
import { dateOfInstant, startOfDayInstant, type IsoDate } from '../../domain/dates.ts';
import {
  checkValidity,
  schemaIssues,
  type AdminKind,
  type StoredVersion,
} from '../../domain/ruleset-admin.ts';
import { audit, type Actor } from '../context.ts';
import type { Db, Queryable } from '../db/index.ts';
import { badRequest, conflict } from '../errors.ts';
import { ruleSetsChanged } from '../rulesets.ts';

export interface VersionRow {
  id: string;
  kind: string;
  name: string;
  legal_basis: { number: string; date: string; title: string; url?: string };
  valid_from: string;
  valid_to: string | null;
  confidence: 'sure' | 'reconstructed';
  definition: Record<string, unknown>;
  builtin: boolean;
  created_by: string | null;
  created_at: string | Date;
  client_id: string | null;
  closed_at: string | Date | null;
}

const COLUMNS = `id, kind, name, legal_basis, valid_from::text AS valid_from, valid_to::text AS valid_to,
  confidence, definition, builtin, created_by, created_at, client_id, closed_at`;

/** Every version, by kind then start (a few dozen rows: the catalogue of what the product reads). */
export const allVersions = (q: Queryable) =>
  q.query<VersionRow>(`SELECT ${COLUMNS} FROM rule_sets ORDER BY kind, valid_from, id`);

export const versionById = async (q: Queryable, id: string) =>
  (await q.query<VersionRow>(`SELECT ${COLUMNS} FROM rule_sets WHERE id = $1`, [id]))[0] ?? null;

export const presentVersion = (r: VersionRow, today: IsoDate) => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  legalBasis: r.legal_basis,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  confidence: r.confidence,
  builtin: r.builtin,
  createdAt: new Date(r.created_at).toISOString(),
  status:
    r.valid_from > today
      ? 'future'
      : r.valid_to !== null && r.valid_to < today
        ? 'past'
        : 'current',
});

const stored = (r: VersionRow): StoredVersion => ({
  id: r.id,
  kind: r.kind,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  overrides: r.definition.overrides === true,
  definition: r.definition,
});

/** An arrival classified in the province since $2 (the start of today). */
export const DECIDED_TODAY_SQL = `SELECT 1 FROM entries
  WHERE province_code = $1 AND at >= $2 AND ruleset_id IS NOT NULL LIMIT 1`;

/**
 * Has a decision of this kind been taken today already? Only then may a version not start today.
 * Arrivals: an entry of today classified (entries_province_at serves it). Kinds whose decisions
 * this module does not look up are treated as decided: their new versions start tomorrow.
 */
async function decidedToday(q: Queryable, kind: AdminKind, province: string, today: IsoDate) {
  if (kind !== 'arrival_classification') return true;
  const rows = await q.query(DECIDED_TODAY_SQL, [
    province,
    new Date(startOfDayInstant(today)).toISOString(),
  ]);
  return rows.length > 0;
}

/** The stored versions of `kind`, their shape being what the kind's schema is built from. */
export const versionsOfKind = async (q: Queryable, kind: string) =>
  (
    await q.query<VersionRow>(
      `SELECT ${COLUMNS} FROM rule_sets WHERE kind = $1 ORDER BY valid_from`,
      [kind],
    )
  ).map(stored);

/** Schema problems of a candidate: 400 naming every field. */
export function assertValidCandidate(
  kind: AdminKind,
  definition: unknown,
  earlier: readonly StoredVersion[],
) {
  const issues = schemaIssues(kind, definition, earlier);
  if (issues.length) {
    throw badRequest(
      issues.length === 1 ? `${issues[0]!.path}: ${issues[0]!.message}` : 'Phiên bản không hợp lệ',
      issues.map((i) => ({ path: `definition.${i.path}`, message: i.message })),
    );
  }
}

export interface NewVersion {
  clientId: string;
  kind: AdminKind;
  definition: Record<string, unknown> & { id: string; name: string; validFrom: string };
}

/** Saves a new version; a repeat of the same clientId answers the version already saved. */
export async function createVersion(
  db: Db,
  req: FastifyRequest,
  actor: Actor,
  b: NewVersion,
): Promise<{ row: VersionRow; created: boolean; closed: string | null }> {
  const byClient = (q: Queryable) =>
    q.query<VersionRow>(`SELECT ${COLUMNS} FROM rule_sets WHERE client_id = $1`, [b.clientId]);
  const prior = await byClient(db);
  if (prior[0]) return { row: prior[0], created: false, closed: null };
  const today = dateOfInstant(Date.now());
  const result = await db.tx(async (q) => {
    // Two administrators saving versions of one kind at once: the second waits and sees the first
    // (and a copy of one request sent twice at once finds the version its twin saved).
    await q.query('SELECT id FROM rule_sets WHERE kind = $1 FOR UPDATE', [b.kind]);
    const twin = await byClient(q);
    if (twin[0]) return { row: twin[0], created: false, closed: null };
    const versions = await versionsOfKind(q, b.kind);
    assertValidCandidate(b.kind, b.definition, versions);
    const d = b.definition as unknown as StoredVersion['definition'] & {
      id: string;
      validFrom: string;
      validTo: string | null;
      overrides?: boolean;
      name: string;
      legalBasis: object;
      confidence: string;
    };
    if (versions.some((v) => v.id === d.id))
      throw conflict(`Đã có phiên bản ${d.id}`, [{ path: 'definition.id', message: 'Mã đã dùng' }]);
    const province = actor.scope.provinceCode;
    const validity = checkValidity(
      { id: d.id, validFrom: d.validFrom, validTo: d.validTo, overrides: d.overrides },
      versions,
      today,
      await decidedToday(q, b.kind, province, today),
    );
    if (validity.issues.length) {
      throw conflict(
        validity.issues.map((i) => i.message).join('; '),
        validity.issues.map((i) => ({ path: `definition.${i.path}`, message: i.message })),
      );
    }
    if (validity.closes) {
      await q.query(
        `UPDATE rule_sets SET valid_to = $2::date, definition = jsonb_set(definition, '{validTo}', to_jsonb($4::text)),
           closed_by = $3, closed_at = now() WHERE id = $1`,
        [validity.closes.id, validity.closes.validTo, actor.id, validity.closes.validTo],
      );
    }
    const rows = await q.query<VersionRow>(
      `INSERT INTO rule_sets (id, kind, name, legal_basis, valid_from, valid_to, confidence, definition,
         builtin, created_by, client_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,false,$9,$10) RETURNING ${COLUMNS}`,
      [
        d.id,
        b.kind,
        d.name,
        JSON.stringify(d.legalBasis),
        d.validFrom,
        d.validTo,
        d.confidence,
        JSON.stringify(d),
        actor.id,
        b.clientId,
      ],
    );
    await audit(q, req, {
      action: 'rulesets.create',
      resourceType: 'rule_set',
      resourceId: d.id,
      outcome: 'allowed',
      detail: {
        kind: b.kind,
        validFrom: d.validFrom,
        validTo: d.validTo,
        closes: validity.closes,
      },
    });
    return { row: rows[0]!, created: true, closed: validity.closes?.id ?? null };
  });
  if (result.created) ruleSetsChanged(db);
  return result;
}
