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

// capacity scenarios (POST /api/v1/projections/scenario)
export type Resource =
  | 'beds'
  | 'oxygenBeds'
  | 'icuBeds'
  | 'ventilators'
  | 'oxygenLitresPerDay'
  | 'doctors'
  | 'nurses'
  | 'testKits';
export type ChimeGroup = 'hospitalized' | 'icu' | 'ventilated';

export interface ChimeInput {
  population: number;
  current_hospitalized: number;
  current_date: string;
  mitigation_date: string;
  doubling_time: number;
  relative_contact_rate: number;
  infectious_days: number;
  market_share: number;
  n_days: number;
  recovered: number;
  hospitalized: { rate: number; days: number };
  icu: { rate: number; days: number };
  ventilated: { rate: number; days: number };
}

export interface ScenarioSetup {
  unit: { code: string; name: string; level: number; population: number | null };
  date: string;
  ruleSet: { id: string; name: string; confidence: string; legalBasis: { number: string } };
  scenarios: { cases: number; source: string }[];
  have: Record<Resource, number | null>;
  chimeDefaults: Omit<ChimeInput, 'population'> & { population: number | null };
}

export interface ScenarioResult {
  cases: number;
  needs: {
    resource: Resource;
    need: number;
    have: number | null;
    shortfall: number | null;
    basis: Bilingual;
  }[];
  projection: {
    summary: { i_day: number; r_naught: number; r_t: number; doubling_time_t: number };
    rows: { day: number; date: string; infected: number; census: Record<ChimeGroup, number> }[];
    runsOut: {
      group: ChimeGroup;
      capacity: number | null;
      date: string | null;
      day: number | null;
      peak: { date: string; census: number } | null;
    }[];
    scenarioReached: { date: string; day: number } | null;
  } | null;
}
