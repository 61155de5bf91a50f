/**
 * CHIME — COVID-19 Hospital Impact Model for Epidemics (Penn Medicine, model v1.1.5), written
 * from the description in shared/models/CHIME.md: a discrete-time SIR model anchored on one
 * hospitalised patient on the first-hospitalisation day, with i_day (or the doubling time)
 * fitted to today's census, then admissions and census per group. Pure functions, no I/O.
 *
 * Parameter names are CHIME's own (snake_case), so that a CHIME user recognises them.
 * CHIME is MIT licensed, "Copyright (c) 2020 The Trustees of the University of Pennsylvania";
 * this is our own code.
 */
import { daysBetween, addDays, type IsoDate } from './dates.ts';

export interface ChimeDisposition {
  rate: number;
  days: number;
}

export interface ChimeParameters {
  population: number;
  current_hospitalized: number;
  current_date: IsoDate;
  doubling_time?: number | null;
  date_first_hospitalized?: IsoDate | null;
  /** Defaults to current_date, as CHIME's Parameters does. */
  mitigation_date?: IsoDate | null;
  relative_contact_rate: number;
  infectious_days: number;
  market_share: number;
  hospitalized: ChimeDisposition;
  icu: ChimeDisposition;
  ventilated: ChimeDisposition;
  n_days: number;
  recovered?: number;
}

export const GROUPS = ['hospitalized', 'icu', 'ventilated'] as const;
export type ChimeGroup = (typeof GROUPS)[number];

/** CHIME's fit of i_day looks this many days past n_days. */
export const PREFIT_ADDITIONAL_DAYS = 300;

export interface ChimeRow {
  day: number;
  date: IsoDate;
  susceptible: number;
  infected: number;
  recovered: number;
  ever: Record<ChimeGroup, number>;
  /** null on the first row (CHIME's NaN). */
  admits: Record<ChimeGroup, number | null>;
  census: Record<ChimeGroup, number>;
}

export interface ChimeResult {
  i_day: number;
  doubling_time: number;
  intrinsic_growth_rate: number;
  beta: number;
  beta_t: number;
  gamma: number;
  r_naught: number;
  r_t: number;
  doubling_time_t: number;
  daily_growth_rate: number;
  daily_growth_rate_t: number;
  /** S, I, R on day 0 (the current date). */
  susceptible: number;
  infected: number;
  recovered: number;
  rows: ChimeRow[];
}

export class ChimeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** 2^(1/Td) − 1; 0 when Td is 0 or missing. */
export function growthRate(doublingTime: number | null | undefined): number {
  if (doublingTime === null || doublingTime === undefined || doublingTime === 0) return 0;
  return 2 ** (1 / doublingTime) - 1;
}

/** One SIR step with contact rate `beta`, renormalised to the total `n`. */
export function sirStep(
  s: number,
  i: number,
  r: number,
  beta: number,
  gamma: number,
  n: number,
): [number, number, number] {
  const sn = -beta * s * i + s;
  const inn = beta * s * i - gamma * i + i;
  const rn = gamma * i + r;
  const scale = n / (sn + inn + rn);
  return [sn * scale, inn * scale, rn * scale];
}

interface Series {
  s: Float64Array;
  i: Float64Array;
  r: Float64Array;
}

/** `steps` steps from (s, i, r); the step out of row j uses beta when j < switchRow, else betaT. */
export function simulate(
  s0: number,
  i0: number,
  r0: number,
  gamma: number,
  beta: number,
  betaT: number,
  switchRow: number,
  steps: number,
): Series {
  const s = new Float64Array(steps + 1);
  const i = new Float64Array(steps + 1);
  const r = new Float64Array(steps + 1);
  const n = s0 + i0 + r0;
  let cur: [number, number, number] = [s0, i0, r0];
  for (let j = 0; j <= steps; j++) {
    [s[j], i[j], r[j]] = cur;
    if (j < steps) cur = sirStep(cur[0], cur[1], cur[2], j < switchRow ? beta : betaT, gamma, n);
  }
  return { s, i, r };
}

/** Census of one group: the sum of the last `los` days of admissions (admission row 0 excluded). */
function censusOf(series: Series, rate: number, share: number, los: number): Float64Array {
  const len = series.s.length;
  const cum = new Float64Array(len); // cum[j] = admissions of rows 1..j
  for (let j = 1; j < len; j++)
    cum[j] =
      cum[j - 1]! +
      (series.i[j]! + series.r[j]!) * rate * share -
      (series.i[j - 1]! + series.r[j - 1]!) * rate * share;
  const out = new Float64Array(len);
  for (let j = 1; j < len; j++) out[j] = cum[j]! - (j - los >= 1 ? cum[j - los]! : 0);
  return out;
}

function argmax(a: Float64Array): number {
  let best = 0;
  for (let j = 1; j < a.length; j++) if (a[j]! > a[best]!) best = j;
  return best;
}

export function validateChime(p: ChimeParameters): void {
  const rate = (v: number, f: string) => {
    if (!(v >= 0 && v <= 1)) throw new ChimeError(f, `${f} must be between 0 and 1`);
  };
  if (!(p.population >= 1)) throw new ChimeError('population', 'population must be at least 1');
  rate(p.relative_contact_rate, 'relative_contact_rate');
  rate(p.market_share, 'market_share');
  if (!(p.market_share > 0)) throw new ChimeError('market_share', 'market_share must be > 0');
  for (const g of GROUPS) {
    rate(p[g].rate, `${g}.rate`);
    if (!Number.isInteger(p[g].days) || p[g].days < 1)
      throw new ChimeError(`${g}.days`, `${g}.days must be an integer ≥ 1`);
  }
  if (!(p.hospitalized.rate > 0))
    throw new ChimeError('hospitalized.rate', 'hospitalized.rate must be > 0');
  if (!(p.infectious_days > 0))
    throw new ChimeError('infectious_days', 'infectious_days must be > 0');
  if (!(p.current_hospitalized >= 0))
    throw new ChimeError('current_hospitalized', 'current_hospitalized must be ≥ 0');
  const hasTd = p.doubling_time !== null && p.doubling_time !== undefined;
  const hasDate = p.date_first_hospitalized !== null && p.date_first_hospitalized !== undefined;
  if (hasTd === hasDate)
    throw new ChimeError(
      'doubling_time',
      'exactly one of doubling_time and date_first_hospitalized must be given',
    );
}

/** Runs CHIME. Throws ChimeError for bad parameters or when the fitted Td would exceed 15 days. */
export function chime(p: ChimeParameters): ChimeResult {
  validateChime(p);
  const share = p.market_share;
  const gamma = 1 / p.infectious_days;
  const iInit = 1 / share / p.hospitalized.rate;
  const sInit = p.population - iInit;
  const rInit = p.recovered ?? 0;
  const mo = daysBetween(p.current_date, p.mitigation_date ?? p.current_date);
  const switchRowFor = (iDay: number) => iDay + Math.max(mo, -iDay);
  const betas = (td: number) => {
    const g = growthRate(td);
    const beta = (g + gamma) / sInit;
    return { g, beta, betaT: beta * (1 - p.relative_contact_rate) };
  };
  const hosp = (series: Series) =>
    censusOf(series, p.hospitalized.rate, share, p.hospitalized.days);

  let iDay: number;
  let td: number;
  if (p.doubling_time !== null && p.doubling_time !== undefined) {
    td = p.doubling_time;
    const { beta, betaT } = betas(td);
    let best = -1;
    let bestLoss = Infinity;
    for (let i = 0; i < p.n_days + PREFIT_ADDITIONAL_DAYS; i++) {
      const series = simulate(
        sInit,
        iInit,
        rInit,
        gamma,
        beta,
        betaT,
        switchRowFor(i),
        i + p.n_days + PREFIT_ADDITIONAL_DAYS,
      );
      const census = hosp(series);
      if (argmax(census) < i) continue;
      const loss = (census[i]! - p.current_hospitalized) ** 2;
      if (loss < bestLoss) {
        bestLoss = loss;
        best = i;
      }
    }
    iDay = best;
  } else {
    iDay = daysBetween(p.date_first_hospitalized!, p.current_date);
    const steps = iDay + p.n_days;
    const argminTd = (grid: number[]) => {
      let k = 0;
      let bestLoss = Infinity;
      grid.forEach((t, idx) => {
        const { beta, betaT } = betas(t);
        const census = hosp(
          simulate(sInit, iInit, rInit, gamma, beta, betaT, switchRowFor(iDay), steps),
        );
        const loss = (p.current_hospitalized - census[iDay]!) ** 2;
        if (loss < bestLoss) {
          bestLoss = loss;
          k = idx;
        }
      });
      return k;
    };
    // as numpy.linspace computes it: start + j·step, the last point exactly stop
    const linspace = (a: number, b: number, n: number) => {
      const step = (b - a) / (n - 1);
      return Array.from({ length: n }, (_, j) => (j === n - 1 ? b : j * step + a));
    };
    let grid = linspace(1, 15, 15);
    let k = argminTd(grid);
    if (k >= 14)
      throw new ChimeError(
        'date_first_hospitalized',
        'the fitted doubling time would be above 15 days: the parameters are unreasonable',
      );
    for (let it = 0; it < 4; it++) {
      // CHIME indexes grid[-1] at k = 0 and past the end at the last k; we clamp instead
      const lo = grid[Math.max(0, k - 1)]!;
      const hi = grid[Math.min(grid.length - 1, k + 1)]!;
      grid = linspace(lo, hi, 15);
      k = argminTd(grid);
    }
    td = grid[k]!;
  }

  const { g, beta, betaT } = betas(td);
  const steps = iDay + p.n_days;
  const series = simulate(sInit, iInit, rInit, gamma, beta, betaT, switchRowFor(iDay), steps);
  const census = Object.fromEntries(
    GROUPS.map((k) => [k, censusOf(series, p[k].rate, share, p[k].days)]),
  ) as Record<ChimeGroup, Float64Array>;
  const rows: ChimeRow[] = [];
  for (let j = 0; j <= steps; j++) {
    const everInf = series.i[j]! + series.r[j]!;
    const prevInf = j > 0 ? series.i[j - 1]! + series.r[j - 1]! : 0;
    const ever = Object.fromEntries(GROUPS.map((k) => [k, everInf * p[k].rate * share]));
    rows.push({
      day: j - iDay,
      date: addDays(p.current_date, j - iDay),
      susceptible: series.s[j]!,
      infected: series.i[j]!,
      recovered: series.r[j]!,
      ever: ever as Record<ChimeGroup, number>,
      admits: Object.fromEntries(
        GROUPS.map((k) => [k, j === 0 ? null : ever[k]! - prevInf * p[k].rate * share]),
      ) as Record<ChimeGroup, number | null>,
      census: Object.fromEntries(GROUPS.map((k) => [k, census[k][j]!])) as Record<
        ChimeGroup,
        number
      >,
    });
  }
  const tdT = 1 / Math.log2(betaT * sInit - gamma + 1);
  return {
    i_day: iDay,
    doubling_time: td,
    intrinsic_growth_rate: g,
    beta,
    beta_t: betaT,
    gamma,
    r_naught: (beta / gamma) * sInit,
    r_t: (betaT / gamma) * sInit,
    doubling_time_t: tdT,
    daily_growth_rate: g,
    daily_growth_rate_t: growthRate(tdT),
    susceptible: series.s[iDay]!,
    infected: series.i[iDay]!,
    recovered: series.r[iDay]!,
    rows,
  };
}
