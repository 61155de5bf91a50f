/**
 * Two records side by side: the one on the left survives, the one on the right is merged into
 * it. For each part (name, birth, sex, document, phone, nationality, address, workplace) the
 * officer picks which record's value to keep; the server records and audits the merge.
 */
import {
  Alert,
  Anchor,
  Button,
  Center,
  Group,
  List,
  Loader,
  Modal,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { MERGE_FIELDS, mergeChoice, type MergeField } from '../../domain/people.ts';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { birthText, idText, ReasonBadges, shortId } from './components/PersonCards.tsx';
import { useAddressText } from './components/places.tsx';
import { personQuery } from './PersonDetailPage.tsx';
import { codeLabel, usePT, type PT } from './t.ts';
import type { Duplicate, MergeKeep, Person, PersonDetail } from './types.ts';

const emptiness = (p: Person) => ({
  birth: !p.birthDate,
  idDocument: !p.idNumber,
  phone: !p.phone,
  address: !p.address.villageId && !p.address.street,
  workplace: !p.workplace,
});

/** The text of each part of a record, as compared on screen. */
function useParts(p: Person | undefined, pt: PT): Record<MergeField, string> {
  const address = useAddressText(p?.address);
  if (!p) return Object.fromEntries(MERGE_FIELDS.map((f) => [f, ''])) as Record<MergeField, string>;
  return {
    fullName: p.fullName,
    birth: birthText(p),
    sex: codeLabel(pt, 'sex', p.sex),
    idDocument: p.idNumber ? idText(pt, p) : '',
    phone: p.phone ?? '',
    nationality: p.nationality,
    address,
    workplace: p.workplace ?? '',
  };
}

function Side({ label, person, color }: { label: string; person: Person; color: string }) {
  return (
    <Paper withBorder p="xs" radius="md" bg={`var(--mantine-color-${color}-light)`}>
      <Text size="xs" fw={700} tt="uppercase" c={`${color}.8`}>
        {label}
      </Text>
      <Anchor component={Link} to={`/nguoi-dan/${person.id}`} fw={600} size="sm">
        {person.fullName}
      </Anchor>
      <Text size="xs" c="dimmed" ff="monospace">
        {shortId(person.id)}
      </Text>
    </Paper>
  );
}

function Choice({
  value,
  text,
  empty,
}: {
  value: 'survivor' | 'other';
  text: string;
  empty: string;
}) {
  return (
    <Radio.Card value={value} radius="md" p="xs" withBorder data-testid={`choice-${value}`}>
      <Group wrap="nowrap" align="flex-start" gap="xs">
        <Radio.Indicator size="sm" mt={2} />
        <Text size="sm" c={text ? undefined : 'dimmed'} style={{ wordBreak: 'break-word' }}>
          {text || empty}
        </Text>
      </Group>
    </Radio.Card>
  );
}

function Summary({ children }: { children: ReactNode }) {
  return (
    <List size="sm" spacing={2}>
      {children}
    </List>
  );
}

function MergeForm({ survivor, other }: { survivor: PersonDetail; other: PersonDetail }) {
  const pt = usePT();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [keep, setKeep] = useState<MergeKeep>(() =>
    mergeChoice(emptiness(survivor), emptiness(other)),
  );
  const [confirming, setConfirming] = useState(false);
  const left = useParts(survivor, pt);
  const right = useParts(other, pt);
  const dups = useQuery({
    queryKey: ['persons', 'duplicates', survivor.id],
    queryFn: () =>
      api<{ person: Person; items: Duplicate[] }>(`/api/v1/persons/${survivor.id}/duplicates`),
  });
  const reasons = dups.data?.items.find((d) => d.person.id === other.id)?.reasons ?? [];

  const merge = useMutation({
    mutationFn: () =>
      api<PersonDetail>(`/api/v1/persons/${survivor.id}/merge`, {
        method: 'POST',
        body: { otherId: other.id, keep },
      }),
    onSuccess: (merged) => {
      void queryClient.invalidateQueries({ queryKey: ['persons'] });
      void queryClient.invalidateQueries({ queryKey: ['households'] });
      notifications.show({ color: 'teal', message: pt('merge.done') });
      void navigate(`/nguoi-dan/${merged.id}`, { replace: true });
    },
  });

  return (
    <Stack>
      <Text size="sm">{pt('merge.intro')}</Text>
      {reasons.length > 0 && (
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={4}>
            {pt('merge.reasons')}
          </Text>
          <ReasonBadges reasons={reasons} />
        </div>
      )}
      <SimpleGrid cols={2} spacing="xs">
        <Side label={pt('merge.keep')} person={survivor} color="teal" />
        <Side label={pt('merge.other')} person={other} color="orange" />
      </SimpleGrid>
      <Stack gap="sm" data-testid="merge-parts">
        {MERGE_FIELDS.map((f) => (
          <Radio.Group
            key={f}
            value={keep[f]}
            onChange={(side) => setKeep((k) => ({ ...k, [f]: side as 'survivor' | 'other' }))}
            label={
              <Group gap="xs">
                <span>{codeLabel(pt, 'part', f)}</span>
                {left[f] === right[f] && (
                  <Text span size="xs" c="dimmed" fw={400}>
                    ({pt('merge.same')})
                  </Text>
                )}
              </Group>
            }
            data-testid={`merge-part-${f}`}
          >
            <SimpleGrid cols={2} spacing="xs" mt={4}>
              <Choice value="survivor" text={left[f]} empty={pt('merge.empty')} />
              <Choice value="other" text={right[f]} empty={pt('merge.empty')} />
            </SimpleGrid>
          </Radio.Group>
        ))}
      </Stack>
      {merge.isError && <ErrorAlert error={merge.error} showFields />}
      <Group justify="space-between" mt="sm">
        <Button
          variant="subtle"
          component={Link}
          to={`/nguoi-dan/${other.id}/gop/${survivor.id}`}
          replace
        >
          {pt('merge.swap')}
        </Button>
        <Button color="orange" onClick={() => setConfirming(true)}>
          {pt('merge.submit')}
        </Button>
      </Group>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={pt('merge.confirmTitle')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack>
          <Text size="sm">
            {pt('merge.confirmText', {
              other: `${other.fullName} (${shortId(other.id)})`,
              survivor: `${survivor.fullName} (${shortId(survivor.id)})`,
            })}
          </Text>
          <Text size="sm" fw={600}>
            {pt('merge.confirmSummary')}
          </Text>
          <Summary>
            {MERGE_FIELDS.map((f) => {
              const v = keep[f] === 'other' ? right[f] : left[f];
              return (
                <List.Item key={f}>
                  {codeLabel(pt, 'part', f)}: <b>{v || pt('merge.empty')}</b>
                </List.Item>
              );
            })}
          </Summary>
          {merge.isError && <ErrorAlert error={merge.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="orange" onClick={() => merge.mutate()} loading={merge.isPending}>
              {pt('merge.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

export function MergePage() {
  const pt = usePT();
  const { id = '', otherId = '' } = useParams();
  const survivor = useQuery(personQuery(id));
  const other = useQuery(personQuery(otherId));

  let body: ReactNode;
  if (survivor.isPending || other.isPending) {
    body = (
      <Center p="lg">
        <Loader />
      </Center>
    );
  } else if (survivor.isError || other.isError) {
    body = <ErrorAlert error={survivor.error ?? other.error} />;
  } else if (survivor.data.id === other.data.id) {
    body = (
      <Alert color="yellow" variant="light">
        {other.data.mergedFrom || survivor.data.mergedFrom
          ? pt('merge.alreadyMerged')
          : pt('merge.sameRecord')}
      </Alert>
    );
  } else {
    body = (
      <>
        {other.data.mergedFrom && (
          <Alert color="yellow" variant="light">
            {pt('merge.alreadyMerged')}
          </Alert>
        )}
        <MergeForm
          key={`${survivor.data.id}-${other.data.id}`}
          survivor={survivor.data}
          other={other.data}
        />
      </>
    );
  }

  return (
    <Stack maw={860}>
      <Anchor component={Link} to={`/nguoi-dan/${id}`} size="sm">
        ← {survivor.data?.fullName ?? pt('people.title')}
      </Anchor>
      <Title order={2}>{pt('merge.title')}</Title>
      {body}
    </Stack>
  );
}
