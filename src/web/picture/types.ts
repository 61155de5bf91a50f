export interface Bilingual {
  vi: string;
  en: string;
}

export interface Assessment {
  unit: { code: string; name: string; level: number };
  date: string;
  level: number;
  computedLevel: number;
  status: 'draft' | 'published';
  overrideReason: string | null;
  rate: number;
  inputs: {
    population: number;
    cases7d: number;
    cov18OneDose: number | null;
    elderlyFull: number | null;
    capacityMet: boolean;
    capacitySource?: string;
    previous: number | null;
  };
  rule: { id: string; text: Bilingual | null };
  ruleSet: { id: string; name?: string; legalBasis?: { number: string }; confidence?: string };
  steps: { id: string; vi: string; en: string }[];
  explanation: Bilingual;
}

export interface LevelPage {
  items: Assessment[];
  nextCursor: string | null;
}

export interface Dashboard {
  unit: { code: string; name: string; level: number; population: number | null };
  date: string;
  curve: Record<string, number | string>[];
  treatment: { status: string; tier: number | null; n: number }[];
  arrivals: { day: string; people_in: number; from_epidemic_area: number }[];
  level: { level: number; status: string; weekEnd: string; rate: number } | null;
  coverage: { cov18OneDose: number | null; elderlyFull: number | null; asOf: string } | null;
  subunits: {
    code: string;
    name: string;
    level: number;
    status: string;
    rate: number;
    cases7d: number;
    cov18OneDose: number | null;
  }[];
  capacity: {
    beds: { total: number; occupied: number };
    icuBeds: { total: number; occupied: number };
    ventilators: { total: number; inUse: number };
    oxygenPerDay: { available: number; unit: string } | null;
  } | null;
}
