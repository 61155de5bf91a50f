/** What the supplies endpoints answer (see src/server/supplies/). */
type Words = { vi: string; en: string };

export interface Holder {
  id: string;
  kind: 'unit' | 'facility';
  name: string;
  unitCode: string;
  siteId: string | null;
}
export interface Item {
  code: string;
  name: Words;
  unit: Words;
  category: string;
  dailyCapacity: number | null;
  defaultMinimum: number;
}
export interface StockLine {
  item: Item;
  onHand: number;
  capacityPerDay: number | null;
  usedLastWeek: number;
  daysOfStock: number | null;
  minimum?: number;
  alert?: { level: 'out' | 'below_minimum'; explanation: Words } | null;
}
export interface HolderStock {
  holder: Holder;
  items: StockLine[];
}
export interface UnitStock {
  unit: { code: string; name: string; level: number };
  items: (StockLine & { holders: number; holdersBelowMinimum: number })[];
  alerts: {
    holderId: string;
    holderName: string;
    itemCode: string;
    onHand: number;
    minimum: number;
    level: string;
    explanation: Words;
  }[];
}
export interface Movement {
  id: string;
  kind: 'receipt' | 'issue' | 'transfer' | 'count';
  itemCode: string;
  holderId: string;
  toHolderId: string | null;
  quantity: number;
  delta: number;
  occurredOn: string;
}
