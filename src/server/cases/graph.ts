/**
 * Transmission-chain graphs: people as nodes (F0 / F1 / F2), edges with the exposure type and
 * date. Built from a set of cases: their contacts (not rejected), and the source-case links
 * between cases. People outside the actor's area appear without name.
 */
import { allowed, type Scope, type Role } from '../../domain/access.ts';
import { CONTACT_SOURCE_LABELS, type ContactSource } from '../../domain/tracing.ts';
import { dateOfInstant } from '../../domain/dates.ts';
import type { Queryable } from '../db/index.ts';

export interface GraphNode {
  personId: string;
  fullName: string | null;
  outsideScope: boolean;
  role: 'F0' | 'F1' | 'F2';
  caseId: string | null;
  caseCode: string | null;
  caseStatus: string | null;
  contactStatus: string | null;
  communeCode: string;
}
export interface GraphEdge {
  from: string;
  to: string;
  kind: 'contact' | 'transmission';
  degree: 1 | 2 | null;
  sources: string[];
  sourceLabels: string[];
  date: string;
  status: string | null;
  contactId: string | null;
}

export async function graphForCases(
  q: Queryable,
  caseIds: string[],
  actor: { role: Role; scope: Scope },
) {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  if (caseIds.length === 0) return { nodes: [], edges: [] };
  const cases = await q.query<{
    id: string;
    code: string;
    status: string;
    person_id: string;
    source_case_id: string | null;
    positive_sample_at: Date | string;
    full_name: string;
    province_code: string;
    district_code: string;
    commune_code: string;
    village_id: string | null;
    registered_province_code: string;
    src_person: string | null;
    src_sources: string[] | null;
  }>(
    `SELECT c.id, c.code, c.status, c.person_id, c.source_case_id, c.positive_sample_at, p.full_name, p.district_code,
            p.commune_code, p.village_id, p.registered_province_code, p.province_code, sc.person_id AS src_person,
            k.sources AS src_sources
       FROM cases c JOIN persons p ON p.id = c.person_id
       LEFT JOIN cases sc ON sc.id = c.source_case_id LEFT JOIN contacts k ON k.id = c.source_contact_id
      WHERE c.id = ANY ($1::uuid[])`,
    [caseIds],
  );
  const see = (p: {
    registered_province_code: string;
    district_code: string;
    commune_code: string;
    village_id: string | null;
  }) =>
    allowed(actor, 'cases.read', {
      provinceCode: p.registered_province_code,
      districtCode: p.district_code,
      communeCode: p.commune_code,
      villageId: p.village_id,
    });
  for (const c of cases) {
    const visible = see(c);
    nodes.set(c.person_id, {
      personId: c.person_id,
      fullName: visible ? c.full_name : null,
      outsideScope: !visible,
      role: 'F0',
      caseId: c.id,
      caseCode: c.code,
      caseStatus: c.status,
      contactStatus: null,
      communeCode: c.commune_code,
    });
    if (c.src_person) {
      const src = (c.src_sources ?? []) as ContactSource[];
      edges.push({
        from: c.src_person,
        to: c.person_id,
        kind: 'transmission',
        degree: null,
        sources: src,
        sourceLabels: src.map((s) => CONTACT_SOURCE_LABELS[s]?.vi ?? s),
        date: dateOfInstant(new Date(c.positive_sample_at).getTime()),
        status: null,
        contactId: null,
      });
    }
  }
  const contacts = await q.query<{
    id: string;
    case_id: string;
    case_person: string;
    person_id: string;
    degree: 1 | 2;
    status: string;
    sources: string[];
    first_exposure_at: Date | string;
    via_person: string | null;
    full_name: string;
    registered_province_code: string;
    district_code: string;
    commune_code: string;
    village_id: string | null;
  }>(
    `SELECT k.id, k.case_id, c.person_id AS case_person, k.person_id, k.degree, k.status, k.sources, k.first_exposure_at,
            v.person_id AS via_person, p.full_name, p.registered_province_code, p.district_code, p.commune_code, p.village_id
       FROM contacts k JOIN cases c ON c.id = k.case_id JOIN persons p ON p.id = k.person_id
       LEFT JOIN contacts v ON v.id = k.via_contact_id
      WHERE k.case_id = ANY ($1::uuid[]) AND k.status <> 'rejected'
      ORDER BY k.degree, k.first_exposure_at`,
    [caseIds],
  );
  for (const k of contacts) {
    if (!nodes.has(k.person_id)) {
      const visible = see(k);
      nodes.set(k.person_id, {
        personId: k.person_id,
        fullName: visible ? k.full_name : null,
        outsideScope: !visible,
        role: k.degree === 1 ? 'F1' : 'F2',
        caseId: null,
        caseCode: null,
        caseStatus: null,
        contactStatus: k.status,
        communeCode: k.commune_code,
      });
    }
    const src = k.sources as ContactSource[];
    edges.push({
      from: k.degree === 2 && k.via_person ? k.via_person : k.case_person,
      to: k.person_id,
      kind: 'contact',
      degree: k.degree,
      sources: src,
      sourceLabels: src.map((s) => CONTACT_SOURCE_LABELS[s]?.vi ?? s),
      date: dateOfInstant(new Date(k.first_exposure_at).getTime()),
      status: k.status,
      contactId: k.id,
    });
  }
  // The source F0 of a case in the set may lie outside the set: add it as a node.
  for (const c of cases) {
    if (c.src_person && !nodes.has(c.src_person)) {
      const s = (
        await q.query<{
          id: string;
          code: string;
          status: string;
          full_name: string;
          registered_province_code: string;
          district_code: string;
          commune_code: string;
          village_id: string | null;
        }>(
          `SELECT c.id, c.code, c.status, p.full_name, p.registered_province_code, p.district_code, p.commune_code, p.village_id
             FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.id = $1`,
          [c.source_case_id],
        )
      )[0];
      if (s) {
        const visible = see(s);
        nodes.set(c.src_person, {
          personId: c.src_person,
          fullName: visible ? s.full_name : null,
          outsideScope: !visible,
          role: 'F0',
          caseId: s.id,
          caseCode: s.code,
          caseStatus: s.status,
          contactStatus: null,
          communeCode: s.commune_code,
        });
      }
    }
  }
  return { nodes: [...nodes.values()], edges };
}

/**
 * The cases around a person, `radius` hops along source-case links and contacts: the person's
 * own cases, the cases they are a contact of, and the cases of their contacts / sources.
 */
export async function casesAroundPerson(q: Queryable, personId: string, radius: number) {
  const seen = new Set<string>();
  let frontier = (
    await q.query<{ id: string }>(
      `SELECT id FROM cases WHERE person_id = $1
       UNION SELECT case_id FROM contacts WHERE person_id = $1 AND status <> 'rejected'`,
      [personId],
    )
  ).map((r) => r.id);
  for (let hop = 0; hop <= radius && frontier.length; hop++) {
    frontier.forEach((id) => seen.add(id));
    if (hop === radius) break;
    const next = await q.query<{ id: string }>(
      `SELECT c2.id FROM cases c JOIN cases c2 ON c2.source_case_id = c.id WHERE c.id = ANY ($1::uuid[])
       UNION SELECT c.source_case_id FROM cases c WHERE c.id = ANY ($1::uuid[]) AND c.source_case_id IS NOT NULL
       UNION SELECT c2.id FROM contacts k JOIN cases c2 ON c2.person_id = k.person_id
              WHERE k.case_id = ANY ($1::uuid[]) AND k.status <> 'rejected'`,
      [frontier],
    );
    frontier = next.map((r) => r.id).filter((id) => !seen.has(id));
    if (seen.size > 500) break;
  }
  return [...seen];
}
