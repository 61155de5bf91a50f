/**
 * A transmission chain: people as boxes coloured F0 / F1 / F2, laid out by ELK (elkjs) with
 * infectors to the left of the people they infected, each arrow labelled with its date and
 * exposure. A legend says what the colours, lines and grey "outside your area" boxes mean; the
 * zoom buttons are named; below the drawing, the same links as sentences. A box is a link to
 * the chain around that person.
 */
import { Box, Button, Center, Group, Loader, ScrollArea, Stack, Text } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, type UnitDetail } from '../api.ts';
import { formatDate } from '../format.ts';
import {
  chainLinks,
  elkInput,
  LABEL_H,
  labelWidth,
  layoutChain,
  linkId,
  NAME_CHARS,
  rankedSources,
  wrap,
  type Link,
  type NodeText,
} from './chainLayout.ts';
import { ChainLegend, EDGE_COLOR, OUTSIDE_COLOR } from './ChainLegend.tsx';
import { ROLE_COLOR } from './components.tsx';
import { codeLabel, useCT } from './t.ts';
import type { Graph, GraphNode } from './types.ts';

const ZOOMS = [0.5, 0.65, 0.8, 1, 1.25, 1.5];

/** The names of the communes the hidden people belong to (the reason they are hidden). */
function useCommuneNames(codes: string[]) {
  const results = useQueries({
    queries: codes.map((code) => ({
      queryKey: ['admin-unit', code],
      queryFn: () => api<UnitDetail>(`/api/v1/admin-units/${code}`),
      staleTime: 10 * 60_000,
    })),
  });
  return new Map(codes.map((c, i) => [c, results[i]?.data?.name]));
}

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
  const [zoom, setZoom] = useState(3);
  // A phone stacks the generations down the page; a wide screen reads left to right.
  const phone = useMediaQuery('(max-width: 48em)', true, { getInitialValueInEffect: false });
  const direction = phone ? 'DOWN' : 'RIGHT';
  const focusRef = useRef<SVGGElement>(null);
  const outsideCodes = [
    ...new Set(graph.nodes.filter((n) => n.outsideScope).map((n) => n.communeCode)),
  ];
  const communes = useCommuneNames(outsideCodes);
  const links = chainLinks(graph);
  const name = (n: GraphNode | undefined) =>
    n?.outsideScope || !n?.fullName ? ct('graph.hidden') : n.fullName;
  const text = (n: GraphNode): NodeText => {
    const role =
      n.role === 'F0'
        ? `F0 · ${n.caseCode ?? ''}`
        : `${n.role} · ${codeLabel(ct, 'contactStatus', n.contactStatus)}`;
    const where = communes.get(n.communeCode);
    return {
      lines: wrap(name(n), NAME_CHARS),
      sub: n.outsideScope && where ? [role, where] : [role],
    };
  };
  // The closest kind of exposure names the edge ("+1" when there are more), then its date.
  const kindOf = (l: Link) => {
    const [first, ...rest] = rankedSources(l.sources);
    if (l.transmission) return ct('graph.transmission');
    return first
      ? codeLabel(ct, 'sourceShort', first) + (rest.length ? ` +${rest.length}` : '')
      : ct('graph.contact');
  };
  // A phone has room for the date only (the colour tells a transmission; the list says how).
  const edgeLabel = (l: Link) =>
    phone ? formatDate(l.date) : `${kindOf(l)} · ${formatDate(l.date)}`;
  const input = elkInput(graph.nodes, links, text, edgeLabel, direction);
  const layout = useQuery({
    queryKey: ['chain-layout', input],
    queryFn: () => layoutChain(input),
    staleTime: Infinity,
    placeholderData: (prev) => prev,
  });
  // The person the page is about is in view once the drawing is placed.
  useEffect(() => {
    focusRef.current?.scrollIntoView({ block: 'nearest', inline: 'center' });
  }, [layout.data]);
  if (graph.nodes.length === 0) return <Text c="dimmed">{ct('graph.empty')}</Text>;
  const node = new Map(graph.nodes.map((n) => [n.personId, n]));
  const scale = ZOOMS[zoom]!;
  const pos = layout.data;
  const open = (id: string) => void navigate(`/chuoi-lay/${id}`);

  return (
    <Stack gap="xs">
      <ChainLegend hasOutside={outsideCodes.length > 0} direction={direction} />
      <Group gap="xs" wrap="wrap" data-testid="graph-zoom">
        <Button
          size="xs"
          variant="default"
          onClick={() => setZoom((z) => Math.max(0, z - 1))}
          disabled={zoom === 0}
        >
          {ct('graph.zoomOut')}
        </Button>
        <Button
          size="xs"
          variant="default"
          onClick={() => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1))}
          disabled={zoom === ZOOMS.length - 1}
        >
          {ct('graph.zoomIn')}
        </Button>
        <Button size="xs" variant="subtle" onClick={() => setZoom(3)} disabled={zoom === 3}>
          {ct('graph.zoomReset')}
        </Button>
        <Text size="xs" c="dimmed">
          {ct('graph.hint')}
        </Text>
      </Group>
      {!pos ? (
        <Center p="md">
          <Loader size="sm" aria-label={ct('graph.title')} />
        </Center>
      ) : (
        <ScrollArea type="auto" offsetScrollbars>
          <svg
            width={pos.width * scale}
            height={pos.height * scale}
            viewBox={`0 0 ${pos.width} ${pos.height}`}
            role="img"
            aria-label={ct('graph.title')}
            data-testid={testId}
            style={{ display: 'block', fontFamily: 'inherit' }}
          >
            <defs>
              {(['transmission', 'contact'] as const).map((k) => (
                <marker
                  key={k}
                  id={`eg-arrow-${k}`}
                  viewBox="0 0 10 10"
                  refX="9"
                  refY="5"
                  markerUnits="userSpaceOnUse"
                  markerWidth="11"
                  markerHeight="11"
                  orient="auto"
                >
                  <path d="M 0 0 L 10 5 L 0 10 z" fill={EDGE_COLOR[k]} />
                </marker>
              ))}
            </defs>
            {links.map((l) => {
              const p = pos.edges.get(linkId(l));
              if (!p) return null;
              const k = l.transmission ? 'transmission' : 'contact';
              const label = edgeLabel(l);
              return (
                <g
                  key={linkId(l)}
                  data-testid="graph-edge"
                  data-from={l.from}
                  data-to={l.to}
                  data-kind={l.mutual ? 'mutual' : k}
                >
                  <polyline
                    points={p.points.map((q) => `${q.x},${q.y}`).join(' ')}
                    fill="none"
                    stroke={EDGE_COLOR[k]}
                    strokeWidth={l.transmission ? 3 : 1.5}
                    strokeDasharray={l.candidate ? '5 4' : undefined}
                    markerEnd={l.mutual ? undefined : `url(#eg-arrow-${k})`}
                  />
                  {p.label && (
                    <g data-testid="graph-edge-label">
                      <rect
                        x={p.label.x}
                        y={p.label.y}
                        width={labelWidth(label)}
                        height={LABEL_H}
                        rx={3}
                        fill="var(--mantine-color-body)"
                        fillOpacity={0.92}
                      />
                      <text
                        x={p.label.x + 5}
                        y={p.label.y + 12}
                        fontSize={11}
                        fill="var(--mantine-color-text)"
                      >
                        {label}
                      </text>
                    </g>
                  )}
                </g>
              );
            })}
            {graph.nodes.map((n) => {
              const b = pos.nodes.get(n.personId);
              if (!b) return null;
              const t = text(n);
              const light = n.role === 'F2' && !n.outsideScope;
              const fg = light ? '#212529' : '#fff';
              const focused = n.personId === focus;
              return (
                <g
                  key={n.personId}
                  ref={focused ? focusRef : undefined}
                  role="link"
                  tabIndex={0}
                  aria-label={`${n.role} ${name(n)}`}
                  data-testid="graph-node"
                  data-role={n.role}
                  data-outside={n.outsideScope || undefined}
                  style={{ cursor: 'pointer' }}
                  onClick={() => open(n.personId)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') open(n.personId);
                  }}
                >
                  <title>{[name(n), ...t.sub].join(' — ')}</title>
                  <rect
                    x={b.x}
                    y={b.y}
                    width={b.w}
                    height={b.h}
                    rx={6}
                    fill={n.outsideScope ? OUTSIDE_COLOR : ROLE_COLOR[n.role]}
                    stroke={focused ? '#1c7ed6' : n.contactStatus === 'candidate' ? fg : 'none'}
                    strokeWidth={focused ? 3 : 1.5}
                    strokeDasharray={
                      n.contactStatus === 'candidate' && !focused ? '4 3' : undefined
                    }
                  />
                  {t.lines.map((line, i) => (
                    <text
                      key={`l${i}`}
                      x={b.x + 8}
                      y={b.y + 21 + i * 16}
                      fontSize={13}
                      fontWeight={700}
                      fill={fg}
                    >
                      {line}
                    </text>
                  ))}
                  {t.sub.map((line, i) => (
                    <text
                      key={`s${i}`}
                      x={b.x + 8}
                      y={b.y + 20 + t.lines.length * 16 + i * 15}
                      fontSize={11.5}
                      fill={fg}
                    >
                      {line}
                    </text>
                  ))}
                </g>
              );
            })}
          </svg>
        </ScrollArea>
      )}
      <Stack gap={4} data-testid="graph-links">
        <Text size="sm" fw={600}>
          {ct('graph.listTitle')}
        </Text>
        {links.map((l) => (
          <Box key={linkId(l)}>
            <Text size="sm">
              {name(node.get(l.from))} {l.mutual ? '↔' : '→'} {name(node.get(l.to))}:{' '}
              {l.sources.map((s) => codeLabel(ct, 'source', s)).join(', ') ||
                ct('graph.transmission')}
              , {formatDate(l.date)}
              {l.transmission ? ` (${ct('graph.transmission').toLowerCase()})` : ''}
              {l.mutual ? ` (${ct('graph.mutualShort')})` : ''}
            </Text>
          </Box>
        ))}
      </Stack>
    </Stack>
  );
}
