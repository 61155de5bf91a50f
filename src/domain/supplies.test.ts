import { describe, expect, it } from 'vitest';
import {
  applyMovement,
  daysOfStock,
  DEFAULT_SUPPLY_CATALOGUE,
  MAX_QUANTITY,
  stockAlert,
  validateSupplyCatalogue,
} from './supplies.ts';

describe('the supplies ledger', () => {
  it('refuses a movement that would leave less than zero, and allows exactly to zero', () => {
    expect(applyMovement(5, 'issue', 5)).toEqual({ ok: true, after: 0, delta: -5 });
    const r = applyMovement(5, 'issue', 6);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('below_zero');
      expect(r.explanation.vi).toContain('chỉ còn 5');
    }
    expect(applyMovement(0, 'transfer', 1, 'from').ok).toBe(false);
    expect(applyMovement(0, 'transfer', 1, 'to')).toEqual({ ok: true, after: 1, delta: 1 });
  });
  it('receives, counts to an absolute figure (0 allowed) and refuses bad quantities', () => {
    expect(applyMovement(3, 'receipt', 7)).toEqual({ ok: true, after: 10, delta: 7 });
    expect(applyMovement(10, 'count', 4)).toEqual({ ok: true, after: 4, delta: -6 });
    expect(applyMovement(10, 'count', 0)).toEqual({ ok: true, after: 0, delta: -10 });
    for (const q of [0, -1, 1.5, MAX_QUANTITY + 1])
      expect(applyMovement(10, 'receipt', q)).toMatchObject({ ok: false, reason: 'bad_quantity' });
    expect(applyMovement(10, 'count', -1)).toMatchObject({ ok: false, reason: 'bad_quantity' });
    expect(applyMovement(0, 'receipt', MAX_QUANTITY).ok).toBe(true);
  });
});

describe('days of stock at the current use', () => {
  it('divides what is on hand by the average daily use, rounded down', () => {
    expect(daysOfStock(10, [3, 3, 3])).toBe(3); // 10 / 3 a day = 3.33
    expect(daysOfStock(9, [3, 3, 3])).toBe(3);
    expect(daysOfStock(8, [3, 3, 3])).toBe(2);
    expect(daysOfStock(70, [0, 0, 0, 0, 0, 0, 70])).toBe(7); // 10 a day over a week
    expect(daysOfStock(0, [5])).toBe(0);
  });
  it('has no figure when nothing was used (or there is no window)', () => {
    expect(daysOfStock(10, [0, 0])).toBeNull();
    expect(daysOfStock(10, [])).toBeNull();
  });
});

describe('stock alerts', () => {
  it('alerts below the minimum, not at it; out of stock is its own level', () => {
    expect(stockAlert(10, 10)).toBeNull();
    expect(stockAlert(9, 10)?.level).toBe('below_minimum');
    expect(stockAlert(0, 10)?.level).toBe('out');
    expect(stockAlert(0, 0)).toBeNull();
  });
});

describe('the catalogue', () => {
  it('ships the seeds items, valid; a bad item is refused naming its field', () => {
    expect(validateSupplyCatalogue(DEFAULT_SUPPLY_CATALOGUE)).toEqual([]);
    const codes = DEFAULT_SUPPLY_CATALOGUE.items.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['ppe_set', 'n95', 'cloramin_b', 'pcr_machine']));
    expect(
      DEFAULT_SUPPLY_CATALOGUE.items.find((i) => i.code === 'pcr_machine')?.dailyCapacity,
    ).toBe(400);
    const bad = {
      ...DEFAULT_SUPPLY_CATALOGUE,
      items: [
        ...DEFAULT_SUPPLY_CATALOGUE.items,
        { ...DEFAULT_SUPPLY_CATALOGUE.items[0]!, defaultMinimum: -1 },
      ],
    };
    expect(validateSupplyCatalogue(bad).map((p) => p.path)).toEqual([
      'items.11.defaultMinimum',
      'items.11.code',
    ]);
  });
});
