/**
 * Supplies (issue 18 item 1): the catalogue of items a province counts, the ledger of movements
 * that never goes below zero, days of stock at the current use and the alert under a configured
 * minimum. Pure functions, no I/O: the server keeps one stock row per (holder, item) and moves it
 * with a conditional UPDATE in the same transaction as the movement; these functions say what a
 * movement does and why it is refused, in words (vi + en).
 */
import type { LegalBasis } from './rulesets.ts';

export const SUPPLY_CATEGORIES = ['ppe', 'disinfectant', 'test', 'oxygen', 'equipment'] as const;
export type SupplyCategory = (typeof SUPPLY_CATEGORIES)[number];
type Words = { vi: string; en: string };

export interface SupplyItem {
  /** Stable code: 'n95', 'pcr_machine'. */
  code: string;
  name: Words;
  /** The unit it is counted in (đơn vị tính). */
  unit: Words;
  category: SupplyCategory;
  /** For a machine: the samples it runs per day and night. */
  dailyCapacity?: number | null;
  /** The minimum a holder should keep when none is configured for that holder. */
  defaultMinimum: number;
}

/** The catalogue is versioned data (a rule set of kind 'supply_catalogue'). */
export interface SupplyCatalogue {
  id: string;
  kind: 'supply_catalogue';
  name: string;
  legalBasis: LegalBasis;
  validFrom: string;
  validTo: string | null;
  confidence: 'sure' | 'reconstructed';
  items: SupplyItem[];
}

const it = (
  code: string,
  vi: string,
  en: string,
  unitVi: string,
  unitEn: string,
  category: SupplyCategory,
  defaultMinimum: number,
  dailyCapacity: number | null = null,
): SupplyItem => ({
  code,
  name: { vi, en },
  unit: { vi: unitVi, en: unitEn },
  category,
  defaultMinimum,
  dailyCapacity,
});

/**
 * The items of the seeds: the Điện Biên report of 01/08/2021 counts PPE sets, medical masks,
 * N95, 500 ml hand sanitiser, Cloramin B (kg), ventilators and 3 real-time PCR machines running
 * 1,000–1,500 single samples a day (so about 400 a machine); Lạng Sơn's two-year report counts
 * ventilators and PCR systems of 800 samples a day; rapid tests, PCR kits, oxygen cylinders and
 * concentrators are what the directives ask provinces to stock. The default minimums are
 * reconstructed (no seed gives them): an administrator configures each holder's own.
 */
export const DEFAULT_SUPPLY_CATALOGUE: SupplyCatalogue = {
  id: 'supply-catalogue-2021-08',
  kind: 'supply_catalogue',
  name: 'Danh mục vật tư phòng, chống dịch COVID-19',
  legalBasis: {
    number: 'Báo cáo UBND tỉnh Điện Biên (01/08/2021)',
    date: '2021-08-01',
    title:
      'Báo cáo tình hình thực hiện công tác phòng, chống dịch bệnh COVID-19 trên địa bàn tỉnh Điện Biên',
  },
  validFrom: '2021-08-01',
  validTo: null,
  confidence: 'reconstructed',
  items: [
    it('ppe_set', 'Bộ trang phục phòng, chống dịch', 'PPE set', 'bộ', 'set', 'ppe', 200),
    it('mask', 'Khẩu trang y tế', 'Medical mask', 'chiếc', 'piece', 'ppe', 2000),
    it('n95', 'Khẩu trang N95', 'N95 mask', 'chiếc', 'piece', 'ppe', 200),
    it(
      'sanitiser',
      'Dung dịch sát khuẩn tay nhanh 500 ml',
      'Hand sanitiser 500 ml',
      'chai',
      'bottle',
      'disinfectant',
      50,
    ),
    it('cloramin_b', 'Cloramin B', 'Cloramin B', 'kg', 'kg', 'disinfectant', 20),
    it('rapid_test', 'Test nhanh kháng nguyên', 'Rapid antigen test', 'test', 'test', 'test', 500),
    it('pcr_kit', 'Sinh phẩm xét nghiệm RT-PCR', 'RT-PCR kit', 'mẫu', 'sample', 'test', 500),
    it('oxygen_cylinder', 'Bình oxy', 'Oxygen cylinder', 'bình', 'cylinder', 'oxygen', 10),
    it('oxygen_concentrator', 'Máy tạo oxy', 'Oxygen concentrator', 'máy', 'machine', 'oxygen', 2),
    it('ventilator', 'Máy thở', 'Ventilator', 'máy', 'machine', 'equipment', 1),
    it(
      'pcr_machine',
      'Máy xét nghiệm Realtime PCR',
      'Real-time PCR machine',
      'máy',
      'machine',
      'equipment',
      0,
      400,
    ),
  ],
};

export const MOVEMENT_KINDS = ['receipt', 'issue', 'transfer', 'count'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export const MOVEMENT_LABELS: Record<MovementKind, Words> = {
  receipt: { vi: 'Nhập kho', en: 'Receipt' },
  issue: { vi: 'Xuất sử dụng', en: 'Issue' },
  transfer: { vi: 'Điều chuyển', en: 'Transfer' },
  count: { vi: 'Kiểm kê', en: 'Count' },
};

/** The largest quantity one movement may carry (a province's masks fit: 565,365 in seed 000). */
export const MAX_QUANTITY = 100_000_000;

export type LedgerResult =
  | { ok: true; after: number; delta: number }
  | { ok: false; reason: 'below_zero' | 'bad_quantity'; explanation: Words };

/**
 * What one movement does to one holder's stock of an item. `quantity` is the amount moved
 * (receipt, issue, transfer) or the amount counted (count, which sets the stock and may be 0).
 * `side` is the holder's side of a transfer. A movement that would leave less than zero is refused.
 */
export function applyMovement(
  onHand: number,
  kind: MovementKind,
  quantity: number,
  side: 'from' | 'to' = 'from',
): LedgerResult {
  const min = kind === 'count' ? 0 : 1;
  if (!Number.isSafeInteger(quantity) || quantity < min || quantity > MAX_QUANTITY)
    return {
      ok: false,
      reason: 'bad_quantity',
      explanation: {
        vi: `Số lượng phải là số nguyên từ ${min} đến ${MAX_QUANTITY}`,
        en: `The quantity must be a whole number from ${min} to ${MAX_QUANTITY}`,
      },
    };
  const delta =
    kind === 'count'
      ? quantity - onHand
      : kind === 'receipt' || (kind === 'transfer' && side === 'to')
        ? quantity
        : -quantity;
  const after = onHand + delta;
  if (after < 0)
    return {
      ok: false,
      reason: 'below_zero',
      explanation: {
        vi: `Tồn kho chỉ còn ${onHand}, không thể xuất ${quantity}`,
        en: `Only ${onHand} on hand: ${quantity} cannot be taken out`,
      },
    };
  return { ok: true, after, delta };
}

/**
 * Days the stock lasts at the current use: `usedByDay` holds the quantities issued on each of
 * the last days (the window is its length). No use in the window: null (it does not run out at
 * this rate). Whole days, rounded down: 10 on hand at 3 a day last 3 days.
 */
export function daysOfStock(onHand: number, usedByDay: readonly number[]): number | null {
  if (usedByDay.length === 0) return null;
  const used = usedByDay.reduce((s, n) => s + n, 0);
  if (used <= 0) return null;
  return Math.floor((onHand * usedByDay.length) / used);
}

export type StockAlert = { level: 'out' | 'below_minimum'; explanation: Words } | null;

/** Out of stock, or below the minimum the holder keeps (at the minimum is not below it). */
export function stockAlert(onHand: number, minimum: number): StockAlert {
  if (onHand <= 0 && minimum > 0)
    return { level: 'out', explanation: { vi: 'Hết hàng', en: 'Out of stock' } };
  if (onHand < minimum)
    return {
      level: 'below_minimum',
      explanation: {
        vi: `Còn ${onHand}, dưới mức tối thiểu ${minimum}`,
        en: `${onHand} on hand, below the minimum of ${minimum}`,
      },
    };
  return null;
}

export interface FieldProblem {
  path: string;
  message: string;
}

const CODE_RE = /^[a-z][a-z0-9_]{1,39}$/;

/** A catalogue item as an administrator enters it; problems name the field. */
export function validateSupplyItem(item: SupplyItem, prefix = ''): FieldProblem[] {
  const p: FieldProblem[] = [];
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  if (!CODE_RE.test(item.code ?? ''))
    p.push({ path: at('code'), message: 'Mã: chữ thường, số, gạch dưới (2–40 ký tự)' });
  for (const f of ['name', 'unit'] as const)
    for (const l of ['vi', 'en'] as const)
      if (!item[f]?.[l]?.trim()) p.push({ path: at(`${f}.${l}`), message: 'Bắt buộc' });
  if (!SUPPLY_CATEGORIES.includes(item.category))
    p.push({ path: at('category'), message: `Một trong ${SUPPLY_CATEGORIES.join(', ')}` });
  if (!Number.isSafeInteger(item.defaultMinimum) || item.defaultMinimum < 0)
    p.push({ path: at('defaultMinimum'), message: 'Số nguyên không âm' });
  if (
    item.dailyCapacity != null &&
    (!Number.isSafeInteger(item.dailyCapacity) || item.dailyCapacity <= 0)
  )
    p.push({ path: at('dailyCapacity'), message: 'Số nguyên dương' });
  return p;
}

/** A catalogue version: every item valid, no code twice. */
export function validateSupplyCatalogue(c: SupplyCatalogue): FieldProblem[] {
  const p: FieldProblem[] = [];
  if (!Array.isArray(c.items) || c.items.length === 0)
    return [{ path: 'items', message: 'Danh mục cần ít nhất một vật tư' }];
  const seen = new Set<string>();
  c.items.forEach((item, i) => {
    p.push(...validateSupplyItem(item, `items.${i}`));
    if (seen.has(item.code)) p.push({ path: `items.${i}.code`, message: 'Mã bị trùng' });
    seen.add(item.code);
  });
  return p;
}
