/**
 * The transmission chain as a layered graph: which way each link points (infector → infected),
 * how big each box and edge label is, and where ELK (the Eclipse Layout Kernel, elkjs) puts
 * them. Pure except `layoutChain`, which runs ELK (loaded on demand: it is a large module).
 */
import type { Graph, GraphNode } from './types.ts';

/** One drawn link: parallel edges between two people merged into one. */
export interface Link {
  from: string;
  to: string;
  /** The later person became a case whose recorded source is the earlier one. */
  transmission: boolean;
  /** Every edge of the pair is still a candidate contact. */
  candidate: boolean;
  /** Each listed the other as a contact and no transmission is recorded: direction unknown. */
  mutual: boolean;
  sources: string[];
  /** The earliest exposure (contact) or positive sample (transmission) of the pair, YYYY-MM-DD. */
  date: string;
}

/**
 * Merges the edges between each pair of people, whichever way they were recorded. A recorded
 * transmission decides the direction (infector → infected); a contact points from the case to
 * the person exposed to it; when both people name each other as contacts and no transmission is
 * known, the link is `mutual` and drawn without an arrow rather than with a guessed one.
 */
export function chainLinks(g: Graph): Link[] {
  const known = new Set(g.nodes.map((n) => n.personId));
  const byPair = new Map<string, Link & { dirs: Set<string> }>();
  for (const e of g.edges) {
    if (e.from === e.to || !known.has(e.from) || !known.has(e.to)) continue;
    const key = e.from < e.to ? `${e.from}|${e.to}` : `${e.to}|${e.from}`;
    const transmission = e.kind === 'transmission';
    let cur = byPair.get(key);
    if (!cur) {
      cur = {
        from: e.from,
        to: e.to,
        transmission,
        candidate: e.status === 'candidate',
        mutual: false,
        sources: [],
        date: e.date,
        dirs: new Set(),
      };
      byPair.set(key, cur);
    } else {
      cur.candidate &&= e.status === 'candidate';
      if (e.date < cur.date) cur.date = e.date;
      if (transmission && !cur.transmission) {
        cur.transmission = true;
        cur.from = e.from;
        cur.to = e.to;
      }
    }
    if (!transmission) cur.dirs.add(`${e.from}>${e.to}`);
    for (const s of e.sources) if (!cur.sources.includes(s)) cur.sources.push(s);
  }
  return [...byPair.values()].map(({ dirs, ...l }) => ({
    ...l,
    candidate: l.candidate && !l.transmission,
    mutual: !l.transmission && dirs.size > 1,
  }));
}

/** The exposure kinds, closest first: the first one names the edge. */
export const SOURCE_RANK = [
  'household',
  'interview',
  'vehicle',
  'lodging',
  'workplace',
  'venue',
  'checkpoint',
];

export const rankedSources = (sources: string[]) =>
  [...sources].sort((a, b) => SOURCE_RANK.indexOf(a) - SOURCE_RANK.indexOf(b));

/** Breaks a label into lines of at most `max` characters at spaces (a longer word stays whole). */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

export const NODE_W = 150;
export const NAME_CHARS = 17;
const LINE_H = 16;
const SUB_H = 15;
const PAD_Y = 8;
const LABEL_CHAR_W = 6.4;
export const LABEL_H = 16;

/** What a box shows: the name (wrapped, never cut) and one or two lines under it. */
export interface NodeText {
  lines: string[];
  sub: string[];
}

export const nodeHeight = (t: NodeText) =>
  PAD_Y * 2 + t.lines.length * LINE_H + t.sub.length * SUB_H;

export const labelWidth = (text: string) => Math.ceil(text.length * LABEL_CHAR_W) + 10;

export interface Placed {
  nodes: Map<string, { x: number; y: number; w: number; h: number }>;
  edges: Map<string, { points: { x: number; y: number }[]; label?: { x: number; y: number } }>;
  width: number;
  height: number;
}

export const linkId = (l: Link) => `${l.from}>${l.to}`;

/**
 * Infectors left of the people they infected (RIGHT, a wide screen), or above them (DOWN, a
 * phone: generations stack as the page scrolls and siblings sit side by side).
 */
export type Direction = 'RIGHT' | 'DOWN';

/** The ELK input: one layer per generation, in `direction`. */
export function elkInput(
  nodes: GraphNode[],
  links: Link[],
  text: (n: GraphNode) => NodeText,
  label: (l: Link) => string,
  direction: Direction = 'RIGHT',
) {
  return {
    id: 'chain',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.edgeRouting': 'POLYLINE',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.spacing.nodeNode': '12',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.padding': '[top=6,left=6,bottom=6,right=6]',
    },
    children: nodes.map((n) => ({ id: n.personId, width: NODE_W, height: nodeHeight(text(n)) })),
    edges: links.map((l) => {
      const t = label(l);
      return {
        id: linkId(l),
        sources: [l.from],
        targets: [l.to],
        labels: [{ id: `${linkId(l)}#label`, text: t, width: labelWidth(t), height: LABEL_H }],
      };
    }),
  };
}

interface ElkOut {
  width?: number;
  height?: number;
  children?: { id: string; x?: number; y?: number; width?: number; height?: number }[];
  edges?: {
    id: string;
    sections?: {
      startPoint: { x: number; y: number };
      endPoint: { x: number; y: number };
      bendPoints?: { x: number; y: number }[];
    }[];
    labels?: { x?: number; y?: number }[];
  }[];
}

/** ELK's answer as positions by id. */
export function placed(out: ElkOut): Placed {
  const nodes: Placed['nodes'] = new Map();
  for (const c of out.children ?? [])
    nodes.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, w: c.width ?? NODE_W, h: c.height ?? 0 });
  const edges: Placed['edges'] = new Map();
  for (const e of out.edges ?? []) {
    const s = e.sections?.[0];
    if (!s) continue;
    const lb = e.labels?.[0];
    edges.set(e.id, {
      points: [s.startPoint, ...(s.bendPoints ?? []), s.endPoint],
      label: lb && lb.x !== undefined ? { x: lb.x, y: lb.y ?? 0 } : undefined,
    });
  }
  return { nodes, edges, width: Math.ceil(out.width ?? 0), height: Math.ceil(out.height ?? 0) };
}

/** Runs ELK on the chain (its module is fetched on first use). */
export async function layoutChain(input: ReturnType<typeof elkInput>): Promise<Placed> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const out = (await new ELK().layout(input)) as ElkOut;
  return placed(out);
}
