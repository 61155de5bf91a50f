/**
 * The green lane (luồng xanh) for freight at the border gates, RULES.md "Green lane"
 * (QĐ 1570/QĐ-BGTVT, CV 5187/VPCP-CN, 2021): a permit binds a plate, a route, a time window and
 * the people on board with their tests; it lapses by itself when anyone's test passes its
 * validity (72 hours from sampling), when the window ends, or when the order it relies on ends.
 * A vehicle that takes longer than the route allows between two points leaves the closed loop.
 *
 * The thresholds are versioned data (kind 'green_lane'); every answer names the rule set and the
 * rule that decided it and explains itself in Vietnamese and English. Pure: no I/O, so the
 * server and the checkpoint's phone (offline) decide with the same code.
 */
import type { LegalBasis } from './rulesets.ts';

type Bi = { vi: string; en: string };

export interface GreenLaneRuleSet {
  id: string;
  kind: 'green_lane';
  name: string;
  legalBasis: LegalBasis;
  validFrom: string;
  validTo: string | null;
  confidence: 'sure' | 'reconstructed';
  notes?: string;
  /** A crew member's test counts for this many hours from its sampling. */
  testValidHours: number;
  /** Test types a permit accepts (the seed: PCR). */
  acceptedTestTypes: string[];
  /** Longest permit window the authority may grant, in hours. */
  maxWindowHours: number;
  /** The order the green lane relies on, and when it ends (null: in force until further notice). */
  order: { number: string; endsAt: string | null };
}

export const GREEN_LANE_2021: GreenLaneRuleSet = {
  id: 'green-lane-2021',
  kind: 'green_lane',
  name: 'Luồng xanh vận tải hàng hóa (QĐ 1570/QĐ-BGTVT, CV 5187/VPCP-CN)',
  legalBasis: {
    number: 'QĐ 1570/QĐ-BGTVT; CV 5187/VPCP-CN',
    date: '2021-08-05',
    title:
      'Hướng dẫn cấp giấy nhận diện phương tiện "luồng xanh" và kết luận của Thủ tướng về lưu thông hàng hóa (tái dựng)',
  },
  validFrom: '2021-07-17',
  validTo: null,
  confidence: 'reconstructed',
  notes:
    'RULES.md "Green lane": tests valid 72 hours; the permit lapses when anyone\'s test expires ' +
    'or the distancing order ends. The issue date of the documents and the longest window are ' +
    'not in RULES.md (reconstructed); the seed (Lạng Sơn) issued permits from 17/07/2021.',
  testValidHours: 72,
  acceptedTestTypes: ['pcr'],
  maxWindowHours: 24 * 14,
  order: { number: 'CV 5187/VPCP-CN', endsAt: null },
};

export const DEFAULT_GREEN_LANE_RULESETS: readonly GreenLaneRuleSet[] = [GREEN_LANE_2021];

export type PermitRule =
  | 'valid'
  | 'window_not_started'
  | 'window_ended'
  | 'order_ended'
  | 'test_expired'
  | 'test_missing'
  | 'revoked';

export const PERMIT_RULES: readonly PermitRule[] = [
  'valid',
  'window_not_started',
  'window_ended',
  'order_ended',
  'test_expired',
  'test_missing',
  'revoked',
];

/** What the permit holds (all instants ISO 8601 with offset, or ms since the epoch). */
export interface PermitFacts {
  windowFrom: string;
  windowTo: string;
  /** When the order it relies on ends (null: no end yet). */
  orderEndsAt: string | null;
  /** One per person on board: when their (negative) test was sampled; null when they have none. */
  crewSampledAt: (string | null)[];
  /** The rule set the permit was granted under, and its test validity. */
  ruleSetId: string;
  testValidHours: number;
  /** When the authority revoked it (absent or null: not revoked). Not in the QR: checkpoints
   * learn it from the revocation list (GET /api/v1/public/green-lane/revocations). */
  revokedAt?: string | null;
}

export interface PermitValidity {
  status: 'valid' | 'not_yet' | 'lapsed';
  valid: boolean;
  ruleId: PermitRule;
  ruleSetId: string;
  /** When the permit lapses (or lapsed): the earliest of window end, order end, test expiry. */
  lapsesAt: string | null;
  reason: Bi;
}

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();
/** dd/mm/yyyy hh:mm in Vietnam time, for the explanations. */
export function viTime(t: number | string): string {
  const d = new Date((typeof t === 'string' ? ms(t) : t) + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** When each cause ends the permit, earliest first (a test's end is sampling + validity). */
function ends(p: PermitFacts): { at: number; rule: PermitRule; index?: number }[] {
  const h = p.testValidHours * 3_600_000;
  const out: { at: number; rule: PermitRule; index?: number }[] = [
    { at: ms(p.windowTo), rule: 'window_ended' },
  ];
  if (p.orderEndsAt) out.push({ at: ms(p.orderEndsAt), rule: 'order_ended' });
  if (p.revokedAt) out.push({ at: ms(p.revokedAt), rule: 'revoked' });
  p.crewSampledAt.forEach((s, index) => {
    if (s) out.push({ at: ms(s) + h, rule: 'test_expired', index });
  });
  return out.sort((a, b) => a.at - b.at);
}

/**
 * Is the permit good at `at`? Valid from windowFrom (included) until the first of: windowTo,
 * the order's end, any crew test's sampling + testValidHours, the authority's revocation (each
 * excluded: a test sampled at 08:00 is good at 07:59 three days later and lapsed at 08:00; a
 * passage recorded offline before the revocation was let through rightly). A crew member
 * without a test never had a valid permit.
 */
export function permitValidity(p: PermitFacts, at: number | string): PermitValidity {
  const now = typeof at === 'string' ? ms(at) : at;
  const out = (
    status: PermitValidity['status'],
    ruleId: PermitRule,
    reason: Bi,
    end: number | null,
  ) =>
    ({
      status,
      valid: status === 'valid',
      ruleId,
      ruleSetId: p.ruleSetId,
      lapsesAt: end === null ? null : iso(end),
      reason,
    }) satisfies PermitValidity;
  const missing = p.crewSampledAt.findIndex((s) => !s);
  if (p.crewSampledAt.length === 0 || missing >= 0) {
    const n = missing >= 0 ? missing + 1 : 1;
    return out(
      'lapsed',
      'test_missing',
      {
        vi: `Người thứ ${n} trên xe không có kết quả xét nghiệm âm tính: kiểm tra từng người`,
        en: `Person ${n} on board has no negative test: check each person`,
      },
      null,
    );
  }
  const list = ends(p);
  const first = list[0]!;
  if (now < ms(p.windowFrom)) {
    return out(
      'not_yet',
      'window_not_started',
      {
        vi: `Giấy luồng xanh chỉ có hiệu lực từ ${viTime(p.windowFrom)}`,
        en: `The permit is valid only from ${viTime(p.windowFrom)} (Vietnam time)`,
      },
      first.at,
    );
  }
  if (now < first.at) {
    return out(
      'valid',
      'valid',
      {
        vi: `Giấy luồng xanh còn hiệu lực đến ${viTime(first.at)}`,
        en: `The permit is valid until ${viTime(first.at)} (Vietnam time)`,
      },
      first.at,
    );
  }
  const h = p.testValidHours;
  const reason: Bi =
    first.rule === 'window_ended'
      ? {
          vi: `Hết thời hạn của giấy luồng xanh lúc ${viTime(first.at)}`,
          en: `The permit's time window ended at ${viTime(first.at)} (Vietnam time)`,
        }
      : first.rule === 'revoked'
        ? {
            vi: `Giấy luồng xanh đã bị cơ quan cấp thu hồi lúc ${viTime(first.at)}: kiểm tra từng người`,
            en: `The permit was revoked by the issuing authority at ${viTime(first.at)} (Vietnam time): check each person`,
          }
        : first.rule === 'order_ended'
          ? {
              vi: `Văn bản làm căn cứ cấp giấy hết hiệu lực lúc ${viTime(first.at)}`,
              en: `The order the permit relies on ended at ${viTime(first.at)} (Vietnam time)`,
            }
          : {
              vi: `Kết quả xét nghiệm của người thứ ${first.index! + 1} đã quá ${h} giờ kể từ khi lấy mẫu (hết hạn ${viTime(first.at)})`,
              en: `Person ${first.index! + 1}'s test is more than ${h} hours past sampling (expired ${viTime(first.at)} Vietnam time)`,
            };
  return out('lapsed', first.rule, reason, first.at);
}

/** Why a window cannot be granted under `rs` (null: it can). */
export function windowProblem(rs: GreenLaneRuleSet, from: string, to: string): Bi | null {
  const f = ms(from);
  const t = ms(to);
  if (!(t > f))
    return {
      vi: 'Thời điểm kết thúc phải sau thời điểm bắt đầu',
      en: 'The window must end after it starts',
    };
  if (t - f > rs.maxWindowHours * 3_600_000)
    return {
      vi: `Thời hạn tối đa là ${rs.maxWindowHours} giờ`,
      en: `The window may be at most ${rs.maxWindowHours} hours long`,
    };
  return null;
}

export type LoopPoint = 'first_checkpoint' | 'yard' | 'gate' | 'out';
export const LOOP_POINTS: readonly LoopPoint[] = ['first_checkpoint', 'yard', 'gate', 'out'];
export const LOOP_POINT_LABELS: Record<LoopPoint, Bi> = {
  first_checkpoint: { vi: 'Chốt đầu tiên', en: 'First checkpoint' },
  yard: { vi: 'Bãi trung chuyển', en: 'Transit yard' },
  gate: { vi: 'Cửa khẩu', en: 'Border gate' },
  out: { vi: 'Ra khỏi tỉnh', en: 'Left the province' },
};

export interface LegCheck {
  alert: boolean;
  ruleId: 'leg_on_time' | 'leg_overdue';
  /** Minutes past the expected time (0 when on time). */
  overdueMinutes: number;
  reason: Bi;
}

/**
 * A leg of the closed loop (first checkpoint → yard → gate) takes at most `expectedMinutes`.
 * The vehicle left `from` at `departedAt`; it reached the next point at `arrivedAt`, or has not
 * yet at `now`. Exactly the expected time is on time; one minute more raises the alert.
 */
export function checkLeg(
  leg: { from: LoopPoint; to: LoopPoint; expectedMinutes: number },
  departedAt: string,
  arrivedAt: string | null,
  now: number | string,
): LegCheck {
  const end = arrivedAt ? ms(arrivedAt) : typeof now === 'string' ? ms(now) : now;
  const taken = Math.floor((end - ms(departedAt)) / 60_000);
  const over = taken - leg.expectedMinutes;
  const from = LOOP_POINT_LABELS[leg.from];
  const to = LOOP_POINT_LABELS[leg.to];
  if (over <= 0)
    return {
      alert: false,
      ruleId: 'leg_on_time',
      overdueMinutes: 0,
      reason: {
        vi: `${from.vi} → ${to.vi}: ${taken}/${leg.expectedMinutes} phút, đúng thời gian`,
        en: `${from.en} → ${to.en}: ${taken}/${leg.expectedMinutes} minutes, on time`,
      },
    };
  return {
    alert: true,
    ruleId: 'leg_overdue',
    overdueMinutes: over,
    reason: {
      vi: `${from.vi} → ${to.vi}: quá ${over} phút so với thời gian dự kiến ${leg.expectedMinutes} phút${arrivedAt ? '' : ' (chưa đến)'}; xe rời vòng khép kín`,
      en: `${from.en} → ${to.en}: ${over} minutes past the expected ${leg.expectedMinutes}${arrivedAt ? '' : ' (not arrived)'}; the vehicle left the closed loop`,
    },
  };
}

/**
 * Issue 17 item 3, a crew member stepping out: the officer at a point of the loop counts the
 * people on board. Fewer than the permit binds means someone left the vehicle inside the province
 * (the loop is closed for people, not only for the truck); as many or more is not this rule's
 * alert (an extra rider is seen by the per-person check the officer does anyway).
 */
export function checkCrewOnBoard(
  bound: number,
  onBoard: number,
  point: LoopPoint,
): { alert: boolean; ruleId: 'crew_complete' | 'crew_missing'; missing: number; reason: Bi } {
  const at = LOOP_POINT_LABELS[point];
  const missing = Math.max(0, bound - onBoard);
  if (missing === 0)
    return {
      alert: false,
      ruleId: 'crew_complete',
      missing,
      reason: {
        vi: `${at.vi}: đủ ${bound} người theo giấy luồng xanh`,
        en: `${at.en}: all ${bound} people of the green-lane permit on board`,
      },
    };
  return {
    alert: true,
    ruleId: 'crew_missing',
    missing,
    reason: {
      vi: `${at.vi}: trên xe có ${onBoard}/${bound} người theo giấy luồng xanh — ${missing} người đã rời xe; rời vòng khép kín`,
      en: `${at.en}: ${onBoard} of the ${bound} people of the green-lane permit on board — ${missing} left the vehicle; out of the closed loop`,
    },
  };
}

/**
 * Issue 17 item 4, a transit yard's capacity: a vehicle that enters a yard already holding
 * `capacity` vehicles (before it) is flagged — it is let in (a truck cannot be sent back to the
 * road), and the yard and the board show it over capacity. No capacity set: never flagged.
 */
export function yardEntry(
  occupiedBefore: number,
  capacity: number | null,
): { full: boolean; occupied: number; reason: Bi | null } {
  const occupied = occupiedBefore + 1;
  if (capacity === null || occupiedBefore < capacity)
    return { full: false, occupied, reason: null };
  return {
    full: true,
    occupied,
    reason: {
      vi: `Bãi đã đầy: ${occupied}/${capacity} xe (vượt sức chứa ${occupied - capacity} xe)`,
      en: `The yard is full: ${occupied}/${capacity} vehicles (${occupied - capacity} over capacity)`,
    },
  };
}

/** Vietnamese plates as written ("29C-123.45", "29c 12345") → "29C12345"; null if not a plate. */
export function normalisePlate(text: string): string | null {
  const p = text.toUpperCase().replace(/[\s.-]/g, '');
  return /^\d{2}[A-Z]{1,2}\d{4,6}$/.test(p) ? p : null;
}
