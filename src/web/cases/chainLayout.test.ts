import { describe, expect, it } from 'vitest';
import { chainLinks, elkInput, layoutChain, linkId, NODE_W, wrap } from './chainLayout.ts';
import type { Graph, GraphEdge, GraphNode } from './types.ts';

const node = (personId: string, role: GraphNode['role'], outsideScope = false): GraphNode => ({
  personId,
  fullName: outsideScope ? null : `Người ${personId}`,
  outsideScope,
  role,
  caseId: role === 'F0' ? `case-${personId}` : null,
  caseCode: role === 'F0' ? `F0-00000${personId.length}` : null,
  caseStatus: null,
  contactStatus: role === 'F0' ? null : 'confirmed',
  communeCode: '03145',
});
const edge = (
  from: string,
  to: string,
  kind: GraphEdge['kind'],
  date: string,
  status = 'confirmed',
): GraphEdge => ({
  from,
  to,
  kind,
  degree: kind === 'contact' ? 1 : null,
  sources: kind === 'contact' ? ['household'] : [],
  sourceLabels: [],
  date,
  status: kind === 'contact' ? status : null,
  contactId: null,
});

describe('chainLinks: which way each arrow points', () => {
  it('a recorded transmission points infector → infected even when the infected named the infector as a contact', () => {
    const g: Graph = {
      nodes: [node('a', 'F0'), node('b', 'F0')],
      // b's case lists a as its contact (backward tracing); b's case has a as its source.
      edges: [
        edge('b', 'a', 'contact', '2026-03-02'),
        edge('a', 'b', 'transmission', '2026-03-05'),
      ],
    };
    const [l, ...rest] = chainLinks(g);
    expect(rest).toEqual([]);
    expect(l).toMatchObject({ from: 'a', to: 'b', transmission: true, mutual: false });
    expect(l!.date).toBe('2026-03-02');
    expect(l!.sources).toEqual(['household']);
  });

  it('two cases naming each other as contacts, no transmission known: mutual, no guessed direction', () => {
    const g: Graph = {
      nodes: [node('a', 'F0'), node('b', 'F0')],
      edges: [edge('a', 'b', 'contact', '2026-03-03'), edge('b', 'a', 'contact', '2026-03-01')],
    };
    expect(chainLinks(g)).toMatchObject([
      { mutual: true, transmission: false, date: '2026-03-01' },
    ]);
  });

  it('a contact points case → exposed; candidate only while every edge of the pair is', () => {
    const g: Graph = {
      nodes: [node('a', 'F0'), node('b', 'F1'), node('c', 'F1')],
      edges: [
        edge('a', 'b', 'contact', '2026-03-03', 'candidate'),
        edge('a', 'c', 'contact', '2026-03-03', 'candidate'),
        edge('a', 'c', 'contact', '2026-03-04', 'confirmed'),
      ],
    };
    const ls = chainLinks(g);
    expect(ls.map((l) => [l.from, l.to, l.candidate, l.mutual])).toEqual([
      ['a', 'b', true, false],
      ['a', 'c', false, false],
    ]);
  });

  it('drops self-links and links to people not in the graph', () => {
    const g: Graph = {
      nodes: [node('a', 'F0')],
      edges: [edge('a', 'a', 'contact', '2026-03-03'), edge('a', 'zz', 'contact', '2026-03-03')],
    };
    expect(chainLinks(g)).toEqual([]);
  });
});

describe('wrap: names are broken into lines, never cut', () => {
  it('keeps every word', () => {
    expect(wrap('Nguyễn Thị Thanh Hương Giang', 17)).toEqual(['Nguyễn Thị Thanh', 'Hương Giang']);
    expect(wrap('Lò Văn Bình', 19)).toEqual(['Lò Văn Bình']);
    expect(wrap('Aaaaaaaaaaaaaaaaaaaaaaaaa B', 19)).toEqual(['Aaaaaaaaaaaaaaaaaaaaaaaaa', 'B']);
  });
});

describe('layoutChain (ELK): one layer per generation, every link placed with its label', () => {
  const g: Graph = {
    nodes: [node('a', 'F0'), node('b', 'F0'), node('c', 'F1'), node('d', 'F2', true)],
    edges: [
      edge('b', 'a', 'contact', '2026-03-02'),
      edge('a', 'b', 'transmission', '2026-03-05'),
      edge('b', 'c', 'contact', '2026-03-06'),
      edge('c', 'd', 'contact', '2026-03-07'),
    ],
  };
  const links = chainLinks(g);
  const run = (direction: 'RIGHT' | 'DOWN') =>
    layoutChain(
      elkInput(
        g.nodes,
        links,
        (n) => ({ lines: wrap(n.fullName ?? 'Ngoài địa bàn', 17), sub: [n.role] }),
        (l) => `x · ${l.date}`,
        direction,
      ),
    );

  it('wide screen: each infector left of the people it infected, three generations', async () => {
    const out = await run('RIGHT');
    const x = (id: string) => out.nodes.get(id)!.x;
    expect(x('a')).toBeLessThan(x('b'));
    expect(x('b')).toBeLessThan(x('c'));
    expect(x('c')).toBeLessThan(x('d'));
    for (const l of links) {
      const e = out.edges.get(linkId(l))!;
      expect(e.label).toBeDefined();
      // The arrow ends at the infected person's box, on its left side.
      const end = e.points.at(-1)!;
      expect(Math.abs(end.x - x(l.to))).toBeLessThan(1);
    }
    expect(out.width).toBeGreaterThan(4 * NODE_W);
    expect(out.height).toBeGreaterThan(0);
  });

  it('phone: each infector above the people it infected, boxes no wider than one column', async () => {
    const out = await run('DOWN');
    const y = (id: string) => out.nodes.get(id)!;
    expect(y('a').y + y('a').h).toBeLessThan(y('b').y);
    expect(y('b').y + y('b').h).toBeLessThan(y('c').y);
    expect(y('c').y + y('c').h).toBeLessThan(y('d').y);
    // A straight chain is one box wide: it fits a 360 px phone without sideways scrolling.
    expect(out.width).toBeLessThan(336);
    for (const l of links) {
      const end = out.edges.get(linkId(l))!.points.at(-1)!;
      expect(Math.abs(end.y - y(l.to).y)).toBeLessThan(1);
    }
  });
});
