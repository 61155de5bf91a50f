/**
 * Classifying an arrival on the phone (issue 16 item 1). The checkpoint keeps the arrival rule
 * sets and the epidemic areas (GET /api/v1/entries/offline-pack) in localStorage, like the
 * declaration key, and decides with the server's own domain code (classifyArrival): the facts
 * come from the signed declaration QR, or from a declaration filled in on the phone. The
 * decision is provisional — the server decides again when the entry is sent, and the page shows
 * its answer beside this one.
 */
import { arrivalInputFrom, fromQrFacts, type DeclaredFacts } from '../../domain/arrival-facts.ts';
import { dateOfInstant } from '../../domain/dates.ts';
import type { DeclarationQrPayload } from '../../domain/declaration.ts';
import { classifyArrival, type EpidemicArea } from '../../domain/entry.ts';
import type { ArrivalAction, ArrivalRuleSet } from '../../domain/rulesets.ts';
import { api } from '../api.ts';
import type { DeclarationBody } from './types.ts';

export interface OfflinePack {
  fetchedAt: string;
  rulesets: ArrivalRuleSet[];
  areas: EpidemicArea[];
  unitNames: Record<string, string>;
}

const PACK_STORAGE = 'epiguard.arrivalPack';

export function cachedPack(): OfflinePack | null {
  try {
    const raw = localStorage.getItem(PACK_STORAGE);
    if (!raw) return null;
    const p = JSON.parse(raw) as OfflinePack;
    return p && Array.isArray(p.rulesets) && Array.isArray(p.areas) ? p : null;
  } catch {
    return null;
  }
}

/** Fetches the pack and keeps it; on failure (offline) returns the cached one. */
export async function refreshPack(): Promise<OfflinePack | null> {
  try {
    const p = await api<OfflinePack>('/api/v1/entries/offline-pack');
    try {
      localStorage.setItem(PACK_STORAGE, JSON.stringify(p));
    } catch {
      /* storage full or blocked: the pack still serves this session */
    }
    return p;
  } catch {
    return cachedPack();
  }
}

/** A decision made on the phone, kept with the outbox item until the server answers. */
export type Provisional =
  | {
      ok: true;
      action: ArrivalAction;
      rulesetId: string;
      ruleId: string;
      explanation: { vi: string; en: string };
      quarantineEnds: string | null;
      monitoringEnds: string | null;
      testDates: string[];
      /** When the rule set and areas it used were fetched. */
      packAt: string;
    }
  | {
      ok: false;
      /** no_pack: never fetched; no_facts: a typed code or ID (the declaration is on the server); unclassifiable: the rule set did not decide. */
      reason: 'no_pack' | 'no_facts' | 'unclassifiable';
      message?: { vi: string; en: string };
    };

/** The facts of a declaration filled in on the phone; the origin named from the pack. */
export function factsOfBody(
  b: Pick<DeclarationBody, 'travel' | 'vaccination' | 'lastTest' | 'symptoms'>,
  names: Record<string, string>,
): DeclaredFacts {
  const t = b.travel;
  const districtCode = t.fromDistrictCode || null;
  const communeCode = t.fromCommuneCode || null;
  return {
    origin: { provinceCode: t.fromProvinceCode, districtCode, communeCode },
    originName:
      (communeCode && names[communeCode]) ||
      (districtCode && names[districtCode]) ||
      names[t.fromProvinceCode] ||
      t.fromProvinceCode,
    vaccination: b.vaccination
      ? { doses: b.vaccination.doses, lastDoseDate: b.vaccination.lastDoseDate ?? null }
      : null,
    lastTest: b.lastTest ?? null,
    symptoms: b.symptoms,
  };
}

export type ProvisionalSubject =
  | { kind: 'qr'; payload: DeclarationQrPayload }
  | { kind: 'declaration'; body: DeclarationBody }
  | { kind: 'code' | 'idNumber' };

/** Classifies an arrival with the cached pack, as the server will (same function, same input). */
export function classifyOnPhone(
  subject: ProvisionalSubject,
  at: string,
  rapidTest: 'negative' | 'positive' | null,
  pack: OfflinePack | null,
): Provisional {
  if (!pack) return { ok: false, reason: 'no_pack' };
  const facts =
    subject.kind === 'qr'
      ? fromQrFacts(subject.payload.f)
      : subject.kind === 'declaration'
        ? factsOfBody(subject.body, pack.unitNames)
        : null;
  if (!facts) return { ok: false, reason: 'no_facts' };
  const r = classifyArrival(
    arrivalInputFrom(facts, at, dateOfInstant(Date.parse(at)), rapidTest, pack.areas),
    pack.rulesets,
  );
  if (!r.ok) {
    const message =
      'message' in r
        ? r.message
        : {
            vi: r.issues.map((i) => i.message).join('; '),
            en: r.issues.map((i) => i.message).join('; '),
          };
    return { ok: false, reason: 'unclassifiable', message };
  }
  const d = r.decision;
  return {
    ok: true,
    action: d.action,
    rulesetId: d.rulesetId,
    ruleId: d.ruleId,
    explanation: d.explanation,
    quarantineEnds: d.quarantineEnds,
    monitoringEnds: d.monitoringEnds,
    testDates: d.testDates,
    packAt: pack.fetchedAt,
  };
}

/** Does the server's classification differ from the phone's? (The action or the deciding rule.) */
export function differs(
  p: Provisional | undefined,
  server: { action: ArrivalAction; rulesetId: string; ruleId: string } | null | undefined,
): boolean {
  if (!p?.ok || !server) return false;
  return (
    p.action !== server.action || p.ruleId !== server.ruleId || p.rulesetId !== server.rulesetId
  );
}
