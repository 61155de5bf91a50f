/** What the chain graph's colours and lines mean, including why some people have no name. */
import { Box, Group, SimpleGrid, Text } from '@mantine/core';
import { ROLE_COLOR } from './components.tsx';
import type { Direction } from './chainLayout.ts';
import { codeLabel, useCT } from './t.ts';

export const OUTSIDE_COLOR = '#868e96';
export const EDGE_COLOR = { transmission: '#c92a2a', contact: '#495057' } as const;

function Line({ color, width, dash, arrow }: LineProps) {
  return (
    <svg width={34} height={14} aria-hidden style={{ flex: 'none' }}>
      <line
        x1={2}
        y1={7}
        x2={arrow ? 26 : 32}
        y2={7}
        stroke={color}
        strokeWidth={width}
        strokeDasharray={dash ? '5 4' : undefined}
      />
      {arrow && <path d="M 24 2 L 33 7 L 24 12 z" fill={color} />}
    </svg>
  );
}
interface LineProps {
  color: string;
  width: number;
  dash?: boolean;
  arrow?: boolean;
}

const Swatch = ({ color }: { color: string }) => (
  <Box w={16} h={16} style={{ background: color, borderRadius: 3, flex: 'none' }} />
);

export function ChainLegend({
  hasOutside,
  direction,
}: {
  hasOutside: boolean;
  direction: Direction;
}) {
  const ct = useCT();
  const row = (mark: React.ReactNode, label: string, testId?: string) => (
    <Group gap={8} wrap="nowrap" align="flex-start" data-testid={testId}>
      <Box pt={2}>{mark}</Box>
      <Text size="sm">{label}</Text>
    </Group>
  );
  return (
    <Box
      component="section"
      aria-label={ct('graph.legend')}
      data-testid="graph-legend"
      p="xs"
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 6 }}
    >
      <Text size="sm" fw={600} mb={4}>
        {ct('graph.legend')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4} verticalSpacing={4}>
        {(['F0', 'F1', 'F2'] as const).map((r) => (
          <Box key={r}>{row(<Swatch color={ROLE_COLOR[r]} />, codeLabel(ct, 'role', r))}</Box>
        ))}
        {hasOutside &&
          row(<Swatch color={OUTSIDE_COLOR} />, ct('graph.outsideWhy'), 'legend-outside')}
        {row(
          <Line color={EDGE_COLOR.transmission} width={3} arrow />,
          ct('graph.legendTransmission'),
        )}
        {row(<Line color={EDGE_COLOR.contact} width={1.5} arrow />, ct('graph.legendContact'))}
        {row(
          <Line color={EDGE_COLOR.contact} width={1.5} dash arrow />,
          ct('graph.legendCandidate'),
        )}
        {row(<Line color={EDGE_COLOR.contact} width={1.5} />, ct('graph.legendMutual'))}
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt={4}>
        {ct('graph.legendDate')} {ct(direction === 'DOWN' ? 'graph.readDown' : 'graph.readRight')}
      </Text>
    </Box>
  );
}
