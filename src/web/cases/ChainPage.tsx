/** The transmission chain around one person (GET /persons/:id/chain), navigable node by node. */
import {
  Anchor,
  Button,
  Center,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { ChainGraph } from './ChainGraph.tsx';
import { useCT } from './t.ts';
import type { Graph } from './types.ts';

export function ChainPage() {
  const { personId = '' } = useParams();
  const ct = useCT();
  const [radius, setRadius] = useState('2');
  const chain = useQuery({
    queryKey: ['cases', 'chain', personId, radius],
    queryFn: () =>
      api<Graph & { personId: string }>(
        `/api/v1/persons/${encodeURIComponent(personId)}/chain?radius=${radius}`,
      ),
    placeholderData: (prev) => prev,
  });
  if (chain.isPending)
    return (
      <Center p="lg">
        <Loader />
      </Center>
    );
  if (chain.error instanceof ApiError && [400, 404].includes(chain.error.status))
    return <NotFoundPage />;
  if (chain.isError) return <ErrorAlert error={chain.error} />;
  const g = chain.data;
  const me = g.nodes.find((n) => n.personId === g.personId);
  return (
    <Stack gap="md">
      <Title order={2}>
        {me?.fullName ? ct('graph.of', { name: me.fullName }) : ct('graph.title')}
      </Title>
      <Group gap="xs" wrap="wrap" align="flex-end">
        <Stack gap={2}>
          <Text size="sm" fw={500} id="chain-radius-label">
            {ct('graph.radius')}
          </Text>
          <SegmentedControl
            value={radius}
            onChange={setRadius}
            data={['1', '2', '3', '4'].map((v) => ({
              value: v,
              label:
                v === '1' ? ct('graph.radiusOne') : ct('graph.radiusStep', { count: Number(v) }),
            }))}
            size="xs"
            aria-labelledby="chain-radius-label"
          />
        </Stack>
        {me?.caseId && (
          <Button component={Link} to={`/ca-benh/${me.caseId}`} size="xs" variant="light">
            {ct('graph.openCase')} {me.caseCode}
          </Button>
        )}
        <Anchor component={Link} to="/ca-benh" size="sm">
          {ct('cases.title')}
        </Anchor>
      </Group>
      <ChainGraph graph={g} focus={g.personId} />
    </Stack>
  );
}
