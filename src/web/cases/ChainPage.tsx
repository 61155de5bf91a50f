/** The transmission chain around one person (GET /persons/:id/chain), navigable node by node. */
import {
  Anchor,
  Button,
  Center,
  Group,
  Loader,
  SegmentedControl,
  Stack,
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
      <Group gap="xs" wrap="wrap">
        <SegmentedControl
          value={radius}
          onChange={setRadius}
          data={['1', '2', '3', '4']}
          size="xs"
          aria-label="radius"
        />
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
