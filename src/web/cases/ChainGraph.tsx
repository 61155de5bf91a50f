/**
 * A transmission chain drawn as SVG: people as nodes coloured F0 / F1 / F2, in columns by
 * generation (left to right), edges labelled with the exposure type and date. A node is a link
 * to the chain around that person. Below the drawing, the same links as text.
 */
import { Box, Group, ScrollArea, Stack, Text } from '@mantine/core';
import dayjs from 'dayjs';
import { useNavigate } from 'react-router';
import { formatDate } from '../format.ts';
import { ROLE_COLOR } from './components.tsx';
import { codeLabel, useCT } from './t.ts';
import type { Graph, GraphNode } from './types.ts';

const NODE_W = 112;
const NODE_H = 42;
const COL_GAP = 128;
const ROW_GAP = 14;
const PAD = 8;

interface Link {
  from: string;
  to: string;
  transmission: boolean;
  candidate: boolean;
  sources: string[];
  date: string;
}

/** Merges parallel edges (a contact that became a case has a contact and a transmission edge). */
function links(g: Graph): Link[] {
  const byPair = new Map<string, Link>();
  for (const e of g.edges) {
    const key = `${e.from}>${e.to}`;
    const cur = byPair.get(key);
    if (!cur) {
      byPair.set(key, {
        from: e.from,
        to: e.to,
        transmission: e.kind === 'transmission',
        candidate: e.status === 'candidate',
        sources: [...e.sources],
        date: e.date,
      });
    } else {
      cur.transmission ||= e.kind === 'transmission';
      cur.candidate &&= e.status === 'candidate';
      for (const s of e.sources) if (!cur.sources.includes(s)) cur.sources.push(s);
      if (e.date < cur.date) cur.date = e.date;
    }
  }
  return [...byPair.values()].filter((l) => l.from !== l.to);
}

/** Column = longest path from a root; rows ordered by their parents' rows. */
export function layout(g: Graph) {
  const ls = links(g);
  const ids = g.nodes.map((n) => n.personId);
  const known = new Set(ids);
  const edges = ls.filter((l) => known.has(l.from) && known.has(l.to));
  const layer = new Map(ids.map((id) => [id, 0]));
  for (let i = 0; i < ids.length; i++) {
    let changed = false;
    for (const e of edges) {
      const next = layer.get(e.from)! + 1;
      if (next > layer.get(e.to)! && next < ids.length) {
        layer.set(e.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const roleRank = { F0: 0, F1: 1, F2: 2 };
  const cols: GraphNode[][] = [];
  for (const n of g.nodes) (cols[layer.get(n.personId)!] ??= []).push(n);
  const row = new Map<string, number>();
  cols.forEach((col, c) => {
    const parentRow = (n: GraphNode) => {
      const ps = edges.filter((e) => e.to === n.personId && row.has(e.from));
      return ps.length ? ps.reduce((s, e) => s + row.get(e.from)!, 0) / ps.length : 0;
    };
    col.sort(
      (a, b) =>
        (c > 0 ? parentRow(a) - parentRow(b) : 0) ||
        roleRank[a.role] - roleRank[b.role] ||
        (a.fullName ?? '').localeCompare(b.fullName ?? '', 'vi'),
    );
    col.forEach((n, r) => row.set(n.personId, r));
  });
  const rows = Math.max(1, ...cols.map((c) => c?.length ?? 0));
  const height = PAD * 2 + rows * NODE_H + (rows - 1) * ROW_GAP;
  const pos = new Map<string, { x: number; y: number }>();
  cols.forEach((col, c) => {
    const colH = col.length * NODE_H + (col.length - 1) * ROW_GAP;
    const top = PAD + (height - PAD * 2 - colH) / 2;
    col.forEach((n, r) =>
      pos.set(n.personId, { x: PAD + c * (NODE_W + COL_GAP), y: top + r * (NODE_H + ROW_GAP) }),
    );
  });
  const width = PAD * 2 + cols.length * NODE_W + (cols.length - 1) * COL_GAP;
  return { pos, edges, width, height };
}

const SOURCE_RANK = [
  'household',
  'interview',
  'vehicle',
  'lodging',
  'workplace',
  'venue',
  'checkpoint',
];

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function ChainGraph({
  graph,
  focus,
  testId = 'chain-graph',
}: {
  graph: Graph;
  focus?: string;
  testId?: string;
}) {
  const ct = useCT();
  const navigate = useNavigate();
  if (graph.nodes.length === 0) return <Text c="dimmed">{ct('graph.empty')}</Text>;
  const { pos, edges, width, height } = layout(graph);
  const node = new Map(graph.nodes.map((n) => [n.personId, n]));
  const name = (n: GraphNode | undefined) => (n?.fullName ?? ct('graph.hidden')) || '—';
  // The closest kind of exposure names the edge ("+1" when there are more), then the date.
  const edgeLabel = (l: Link) => {
    const [first, ...rest] = [...l.sources].sort(
      (a, b) => SOURCE_RANK.indexOf(a) - SOURCE_RANK.indexOf(b),
    );
    const kind = first
      ? codeLabel(ct, 'sourceShort', first) + (rest.length ? ` +${rest.length}` : '')
      : ct('graph.transmission');
    return `${kind} · ${dayjs(l.date).format('DD/MM')}`;
  };

  return (
    <Stack gap="xs">
      <Group gap="md" wrap="wrap" data-testid="graph-legend">
        {(['F0', 'F1', 'F2'] as const).map((r) => (
          <Group key={r} gap={6} wrap="nowrap">
            <Box w={14} h={14} style={{ background: ROLE_COLOR[r], borderRadius: 3 }} />
            <Text size="sm">{codeLabel(ct, 'role', r)}</Text>
          </Group>
        ))}
        <Group gap={6} wrap="nowrap">
          <Box w={22} h={0} style={{ borderTop: '3px solid #c92a2a' }} />
          <Text size="sm">{ct('graph.transmission')}</Text>
        </Group>
        <Group gap={6} wrap="nowrap">
          <Box w={22} h={0} style={{ borderTop: '2px dashed #868e96' }} />
          <Text size="sm">{ct('contactStatus.candidate')}</Text>
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        {ct('graph.hint')}
      </Text>
      <ScrollArea type="auto" offsetScrollbars>
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={ct('graph.title')}
          data-testid={testId}
          style={{ display: 'block', fontFamily: 'inherit' }}
        >
          <defs>
            <marker
              id="eg-arrow"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#868e96" />
            </marker>
            <marker
              id="eg-arrow-red"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="6"
              markerHeight="6"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#c92a2a" />
            </marker>
          </defs>
          {edges.map((l) => {
            const a = pos.get(l.from)!;
            const b = pos.get(l.to)!;
            const x1 = a.x + NODE_W;
            const y1 = a.y + NODE_H / 2;
            const x2 = b.x - 2;
            const y2 = b.y + NODE_H / 2;
            const mx = (x1 + x2) / 2;
            const label = short(edgeLabel(l), 23);
            const lw = Math.min(COL_GAP - 10, label.length * 5 + 6);
            // The label sits just above the end of the edge, where it runs level into the target.
            const lx = x2 - 8 - lw / 2;
            const ly = y2 - 9;
            return (
              <g key={`${l.from}>${l.to}`} data-testid="graph-edge">
                <path
                  d={`M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`}
                  fill="none"
                  stroke={l.transmission ? '#c92a2a' : '#868e96'}
                  strokeWidth={l.transmission ? 3 : 1.5}
                  strokeDasharray={l.candidate && !l.transmission ? '5 4' : undefined}
                  markerEnd={`url(#${l.transmission ? 'eg-arrow-red' : 'eg-arrow'})`}
                />
                <rect
                  x={lx - lw / 2}
                  y={ly - 7}
                  width={lw}
                  height={13}
                  rx={3}
                  fill="white"
                  fillOpacity={0.9}
                />
                <text x={lx} y={ly + 3} fontSize={9.5} textAnchor="middle" fill="#343a40">
                  {label}
                </text>
              </g>
            );
          })}
          {graph.nodes.map((n) => {
            const p = pos.get(n.personId)!;
            const dark = n.role === 'F2';
            const focused = n.personId === focus;
            const label = name(n);
            const sub =
              n.role === 'F0'
                ? (n.caseCode ?? 'F0')
                : `${n.role} · ${codeLabel(ct, 'contactStatus', n.contactStatus)}`;
            return (
              <g
                key={n.personId}
                role="link"
                tabIndex={0}
                aria-label={`${n.role} ${label}`}
                data-testid="graph-node"
                data-role={n.role}
                style={{ cursor: 'pointer', outline: 'none' }}
                onClick={() => void navigate(`/chuoi-lay/${n.personId}`)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') void navigate(`/chuoi-lay/${n.personId}`);
                }}
              >
                <title>{`${label} — ${sub}`}</title>
                <rect
                  x={p.x}
                  y={p.y}
                  width={NODE_W}
                  height={NODE_H}
                  rx={6}
                  fill={n.outsideScope ? '#adb5bd' : ROLE_COLOR[n.role]}
                  stroke={focused ? '#1c7ed6' : n.contactStatus === 'candidate' ? '#fff' : 'none'}
                  strokeWidth={focused ? 3 : 1.5}
                  strokeDasharray={n.contactStatus === 'candidate' && !focused ? '4 3' : undefined}
                />
                <text
                  x={p.x + 7}
                  y={p.y + 17}
                  fontSize={12}
                  fontWeight={700}
                  fill={dark ? '#212529' : '#fff'}
                >
                  {short(label, 17)}
                </text>
                <text x={p.x + 7} y={p.y + 33} fontSize={10.5} fill={dark ? '#343a40' : '#fff'}>
                  {short(sub, 20)}
                </text>
              </g>
            );
          })}
        </svg>
      </ScrollArea>
      <Stack gap={2} data-testid="graph-links">
        <Text size="sm" fw={600}>
          {ct('graph.listTitle')}
        </Text>
        {edges.map((l) => (
          <Text key={`${l.from}>${l.to}`} size="sm">
            {name(node.get(l.from))} → {name(node.get(l.to))}:{' '}
            {l.sources.map((s) => codeLabel(ct, 'source', s)).join(', ') ||
              ct('graph.transmission')}
            , {formatDate(l.date)}
            {l.transmission ? ` (${ct('graph.transmission').toLowerCase()})` : ''}
          </Text>
        ))}
      </Stack>
    </Stack>
  );
}
