/** Pieces the testing pages share: result badges, the F0 decision, the specimen label, lists. */
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Center,
  Combobox,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  TextInput,
  useCombobox,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api, qs } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { useCanT } from './access.tsx';
import { formatLookupCode } from '../../domain/lookup.ts';
import { codeLabel, useBi, useTT } from './t.ts';
import type { F0Info, Page, PersonHit, ResultValue, Specimen, TestType } from './types.ts';
import { searchPersons } from '../people/search.ts';

const RESULT_COLOR: Record<ResultValue, string> = {
  positive: 'red',
  negative: 'teal',
  invalid: 'yellow',
};

export function ResultBadge({ result }: { result: ResultValue | null }) {
  const tt = useTT();
  if (!result)
    return (
      <Badge color="gray" variant="light">
        {tt('result.pending')}
      </Badge>
    );
  return (
    <Badge color={RESULT_COLOR[result]} variant={result === 'positive' ? 'filled' : 'light'}>
      {codeLabel(tt, 'result', result)}
    </Badge>
  );
}

export function useTestTypes() {
  return useQuery({
    queryKey: ['test-types'],
    queryFn: () => api<{ items: TestType[] }>('/api/v1/test-types').then((r) => r.items),
    staleTime: 10 * 60_000,
  });
}

/** The catalogue name of a test type in the current language. */
export function useTestTypeName() {
  const types = useTestTypes();
  const bi = useBi();
  return (code: string) => {
    const t = types.data?.find((x) => x.code === code);
    return t ? bi(t.name) : code;
  };
}

/** What the F0 definition decided for a positive: the outcome, the rule, the explanation, the case. */
export function F0Decision({ f0 }: { f0: F0Info | null }) {
  const tt = useTT();
  const bi = useBi();
  const canCases = useCanT('cases.read');
  if (!f0) return null;
  const color =
    f0.outcome === 'open_case' ? 'red' : f0.outcome === 'order_confirmation' ? 'orange' : 'gray';
  return (
    <Alert
      color={color}
      variant="light"
      title={codeLabel(tt, 'f0Outcome', f0.outcome)}
      p="xs"
      data-testid="f0-decision"
    >
      <Stack gap={4}>
        {f0.explanation && <Text size="sm">{bi(f0.explanation)}</Text>}
        {f0.rulesetId && (
          <Text size="xs" c="dimmed">
            {tt('f0.rule', { ruleset: f0.rulesetId, rule: f0.ruleId ?? '' })}
          </Text>
        )}
        {f0.caseId &&
          (canCases ? (
            <Anchor component={Link} to={`/ca-benh/${f0.caseId}`} size="sm" fw={600}>
              {tt('f0.openCase')}
            </Anchor>
          ) : (
            <Text size="sm">{tt('f0.caseOpened')}</Text>
          ))}
        {f0.confirmationOrderId && <Text size="sm">{tt('f0.confirmationOrdered')}</Text>}
      </Stack>
    </Alert>
  );
}

/** A QR image of `text`, about `size` pixels wide. */
export function QrImage({ text, size = 180, alt }: { text: string; size?: number; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: size * 2 }).then(
      (url) => live && setSrc(url),
    );
    return () => {
      live = false;
    };
  }, [text, size]);
  return src ? (
    <img src={src} alt={alt} width={size} height={size} style={{ imageRendering: 'pixelated' }} />
  ) : (
    <Box w={size} h={size} />
  );
}

/** The label stuck on the tube: QR of the code, the code in large letters, who and when. */
export function SpecimenLabel({ specimen }: { specimen: Specimen }) {
  const tt = useTT();
  const typeName = useTestTypeName();
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      className="specimen-label"
      data-testid="specimen-label"
      maw={360}
    >
      <Group wrap="nowrap" gap="sm" align="center">
        <QrImage
          text={specimen.label.qrText}
          size={120}
          alt={tt('label.qrAlt', { code: specimen.code })}
        />
        <Stack gap={2} miw={0}>
          <Text
            ff="monospace"
            fw={700}
            fz={20}
            style={{ letterSpacing: '0.06em', wordBreak: 'break-all' }}
            data-testid="specimen-code"
          >
            {specimen.code}
          </Text>
          {specimen.person && (
            <Text size="sm" fw={600}>
              {specimen.person.fullName} · {specimen.person.birthYear}
            </Text>
          )}
          <Text size="xs">{typeName(specimen.testType)}</Text>
          <Text size="xs">{formatDateTime(specimen.sampledAt)}</Text>
        </Stack>
      </Group>
    </Paper>
  );
}

/**
 * The slip handed to the person at sampling (issue 10): their lookup code, the only secret that
 * reads their result, and a QR that opens the lookup page with it after '#' (never sent).
 */
export function LookupSlip({ code }: { code: string }) {
  const tt = useTT();
  return (
    <Paper
      withBorder
      p="sm"
      radius="sm"
      className="specimen-label"
      data-testid="lookup-slip"
      maw={360}
    >
      <Group wrap="nowrap" gap="sm" align="center">
        <QrImage
          text={`${window.location.origin}/tra-cuu-ket-qua#ma=${code}`}
          size={120}
          alt={tt('label.slipQrAlt')}
        />
        <Stack gap={2} miw={0}>
          <Text size="sm" fw={700}>
            {tt('label.slipTitle')}
          </Text>
          <Text
            ff="monospace"
            fw={700}
            fz={16}
            style={{ letterSpacing: '0.04em' }}
            data-testid="lookup-code"
          >
            {formatLookupCode(code)}
          </Text>
          <Text size="xs">{tt('label.slipHint')}</Text>
        </Stack>
      </Group>
    </Paper>
  );
}

/** A keyset-paged list: the pages so far and a "load more" button. */
export function usePaged<T>(
  key: unknown[],
  path: string,
  params: Record<string, string | number | undefined>,
  enabled = true,
) {
  return useInfiniteQuery({
    queryKey: [...key, params],
    queryFn: ({ pageParam }) =>
      api<Page<T>>(path + qs({ ...params, cursor: pageParam ?? undefined })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

export function LoadMore({
  hasMore,
  loading,
  onMore,
}: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}) {
  const tt = useTT();
  if (!hasMore) return null;
  return (
    <Center>
      <Button variant="default" onClick={onMore} loading={loading}>
        {tt('common.loadMore')}
      </Button>
    </Center>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" ta="center" py="lg">
      {children}
    </Text>
  );
}

export function Loading() {
  return (
    <Center py="lg">
      <Loader size="sm" />
    </Center>
  );
}

/** Find a person in your area by document, phone or name (POST /api/v1/persons/search). */
export function PersonPicker({
  value,
  onChange,
  error,
}: {
  value: PersonHit | null;
  onChange: (p: PersonHit | null) => void;
  error?: string;
}) {
  const tt = useTT();
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 250);
  const combobox = useCombobox();
  const hits = useQuery({
    queryKey: ['person-search', q],
    queryFn: () => searchPersons<Page<PersonHit>>({ q, limit: 10 }),
    enabled: q.length >= 2,
  });
  if (value)
    return (
      <Paper withBorder p="xs">
        <Group justify="space-between" wrap="nowrap">
          <Box miw={0}>
            <Text fw={600} truncate="end">
              {value.fullName}
            </Text>
            <Text size="xs" c="dimmed">
              {tt('orders.personLine', {
                year: value.birthYear,
                id: value.idNumber ?? value.phone ?? '—',
              })}
            </Text>
          </Box>
          <Button variant="subtle" size="xs" onClick={() => onChange(null)}>
            {tt('common.change')}
          </Button>
        </Group>
      </Paper>
    );
  const items = hits.data?.items ?? [];
  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(id) => {
        const p = items.find((x) => x.id === id);
        if (p) onChange(p);
        combobox.closeDropdown();
      }}
    >
      <Combobox.Target>
        <TextInput
          label={tt('orders.person')}
          placeholder={tt('orders.personPlaceholder')}
          description={tt('orders.personHint')}
          value={text}
          error={error}
          withAsterisk
          onChange={(e) => {
            setText(e.currentTarget.value);
            combobox.openDropdown();
          }}
          onFocus={() => combobox.openDropdown()}
          rightSection={hits.isFetching ? <Loader size="xs" /> : null}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={q.length < 2}>
        <Combobox.Options>
          {items.length === 0 && !hits.isFetching ? (
            <Combobox.Empty>{tt('orders.noPerson')}</Combobox.Empty>
          ) : (
            items.map((p) => (
              <Combobox.Option value={p.id} key={p.id}>
                <Text size="sm" fw={600}>
                  {p.fullName}
                </Text>
                <Text size="xs" c="dimmed">
                  {tt('orders.personLine', { year: p.birthYear, id: p.idNumber ?? p.phone ?? '—' })}
                </Text>
              </Combobox.Option>
            ))
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}

/** Percent with one decimal, e.g. 0.125 → "12,5 %". */
export function formatRatio(r: number | null | undefined): string {
  if (r === null || r === undefined) return '—';
  return `${(Math.round(r * 1000) / 10).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN')} %`;
}
