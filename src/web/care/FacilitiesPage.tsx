/**
 * Facilities of the user's area (a facility manager: their own), each with its beds in use and
 * free; a tap opens the facility's rooms, people and waiting list.
 */
import { Badge, Button, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { usePaged } from './paged.ts';
import { useKT } from './t.ts';
import type { Facility } from './types.ts';

export const usedPercent = (used: number, total: number) =>
  total > 0 ? Math.round((used / total) * 100) : 0;

export function FacilitiesPage() {
  const { kt } = useKT();
  const me = useMe();
  const list = usePaged<Facility>(['facilities', 'list'], '/api/v1/facilities');
  return (
    <Stack maw={720}>
      <div>
        <Title order={2}>{kt('facilities.title')}</Title>
        <Text size="sm" c="dimmed">
          {me.scopeLabel}
        </Text>
      </div>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data && list.rows.length === 0 && <Text c="dimmed">{kt('facilities.empty')}</Text>}
      {list.rows.map((f) => (
        <Card
          key={f.id}
          withBorder
          radius="md"
          p="sm"
          component={Link}
          to={`/co-so-cach-ly/${f.id}`}
          data-testid="facility"
        >
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Text fw={600}>{f.name}</Text>
            <Badge variant="light" tt="none" style={{ flexShrink: 0 }}>
              {kt(`facilities.kind_${f.kind}`)}
            </Badge>
          </Group>
          <Text size="sm" mt={4}>
            {kt('facilities.beds', f.beds)}
          </Text>
          <Progress
            mt={6}
            value={usedPercent(f.beds.occupied, f.beds.total)}
            color={f.beds.free === 0 ? 'red' : 'teal'}
            aria-hidden
          />
        </Card>
      ))}
      {list.hasNextPage && (
        <Button variant="default" size="md" onClick={() => void list.fetchNextPage()}>
          {kt('facilities.more')}
        </Button>
      )}
    </Stack>
  );
}
