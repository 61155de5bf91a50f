import { Anchor, Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatDate } from '../../format.ts';
import { codeLabel, usePT, type PT } from '../t.ts';
import type { Duplicate, Person } from '../types.ts';
import { AddressText } from './places.tsx';

export const birthText = (p: Pick<Person, 'birthDate' | 'birthYear'>) =>
  p.birthDate ? formatDate(p.birthDate) : String(p.birthYear);

export const idText = (pt: PT, p: Pick<Person, 'idType' | 'idNumber'>) =>
  p.idType && p.idNumber ? `${codeLabel(pt, 'idType', p.idType)} ${p.idNumber}` : '—';

/** The short id officers can read out: the first block of the UUID. */
export const shortId = (id: string) => id.slice(0, 8);

/** One person on a phone: name, birth, sex; document and phone; where they live. */
export function PersonCard({
  person,
  to,
  children,
}: {
  person: Person;
  to?: string;
  children?: React.ReactNode;
}) {
  const pt = usePT();
  return (
    <Paper withBorder p="sm" radius="md" data-testid="person-card">
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <div style={{ minWidth: 0 }}>
          {to ? (
            <Anchor component={Link} to={to} fw={600} style={{ wordBreak: 'break-word' }}>
              {person.fullName}
            </Anchor>
          ) : (
            <Text fw={600}>{person.fullName}</Text>
          )}
          <Text size="sm" c="dimmed">
            {birthText(person)} · {codeLabel(pt, 'sex', person.sex)}
            {person.nationality !== 'VN' ? ` · ${person.nationality}` : ''}
          </Text>
        </div>
      </Group>
      <Group gap="md" mt={4} wrap="wrap">
        <Text size="sm" ff="monospace">
          {idText(pt, person)}
        </Text>
        {person.phone && (
          <Text size="sm" ff="monospace">
            ☎ {person.phone}
          </Text>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        <AddressText address={person.address} />
      </Text>
      {children}
    </Paper>
  );
}

export function ReasonBadges({ reasons }: { reasons: string[] }) {
  const pt = usePT();
  return (
    <Group gap={6} wrap="wrap">
      {reasons.map((r) => (
        <Badge
          key={r}
          color="orange"
          variant="light"
          tt="none"
          size="md"
          styles={{ label: { whiteSpace: 'normal', height: 'auto' } }}
          h="auto"
          py={2}
        >
          {codeLabel(pt, 'reason', r)}
        </Badge>
      ))}
    </Group>
  );
}

/** Likely duplicates of `personId`, each with its reasons and a way to compare and merge. */
export function DuplicateList({
  personId,
  items,
  canMerge,
  onNavigate,
}: {
  personId: string;
  items: Duplicate[];
  canMerge: boolean;
  onNavigate?: () => void;
}) {
  const pt = usePT();
  return (
    <Stack gap="xs" data-testid="duplicates">
      {items.map((d) => (
        <PersonCard key={d.person.id} person={d.person} to={`/nguoi-dan/${d.person.id}`}>
          <Stack gap={6} mt={6}>
            <ReasonBadges reasons={d.reasons} />
            {canMerge && (
              <Group>
                <Button
                  component={Link}
                  to={`/nguoi-dan/${personId}/gop/${d.person.id}`}
                  onClick={onNavigate}
                  size="xs"
                  variant="light"
                  color="orange"
                >
                  {pt('people.compare')}
                </Button>
              </Group>
            )}
          </Stack>
        </PersonCard>
      ))}
    </Stack>
  );
}
