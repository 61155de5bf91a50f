/** Dialogs of the testing pages: order a test, record the sample, enter a result. */
import {
  Button,
  Checkbox,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { fieldErrors, uuid } from '../util.ts';
import { useCanT } from './access.tsx';
import { F0Decision, PersonPicker, ResultBadge, useTestTypes } from './components.tsx';
import { codeLabel, useBi, useTT } from './t.ts';
import type {
  Campaign,
  Order,
  OrderReasonInput,
  Page,
  PersonHit,
  ResultValue,
  Specimen,
  TestResult,
} from './types.ts';

const REASONS: OrderReasonInput[] = ['follow_up', 'contact', 'screening', 'workplace', 'request'];

/** Full screen on a phone. */
function useFullScreen() {
  return useMediaQuery('(max-width: 36em)') ?? false;
}

/** The error to show above the button: none when the server named a field shown beside its input. */
export function unplaced(error: unknown, shown: string[]) {
  if (!error) return null;
  const fe = fieldErrors(error);
  return shown.some((p) => fe[p]) ? null : error;
}

const nowLocal = () => dayjs().format('YYYY-MM-DDTHH:mm');

export function OrderModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const tt = useTT();
  const bi = useBi();
  const full = useFullScreen();
  const queryClient = useQueryClient();
  const canCampaigns = useCanT('tests.order');
  const types = useTestTypes();
  const [clientId, setClientId] = useState(uuid);
  const [person, setPerson] = useState<PersonHit | null>(null);
  const [testType, setTestType] = useState<string | null>('rt_pcr');
  const [reason, setReason] = useState<string | null>(null);
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [sampleNow, setSampleNow] = useState(false);
  const [sampling, setSampling] = useState<Order | null>(null);
  const campaigns = useQuery({
    queryKey: ['test-campaigns', 'options'],
    queryFn: () => api<Page<Campaign>>('/api/v1/test-campaigns?limit=50'),
    enabled: opened && canCampaigns && reason === 'screening',
  });

  const reset = () => {
    setClientId(uuid());
    setPerson(null);
    setReason(null);
    setCampaignId(null);
    setNote('');
  };
  const save = useMutation({
    mutationFn: () =>
      api<Order>('/api/v1/test-orders', {
        method: 'POST',
        body: {
          clientId,
          personId: person?.id,
          testType,
          reason,
          campaignId: campaignId ?? undefined,
          note: note.trim() || undefined,
        },
      }),
    onSuccess: (o) => {
      void queryClient.invalidateQueries({ queryKey: ['test-orders'] });
      notifications.show({
        color: 'teal',
        message: tt('orders.created', { name: person?.fullName }),
      });
      reset();
      onClose();
      if (sampleNow)
        setSampling({
          ...o,
          person:
            o.person ??
            (person ? { fullName: person.fullName, birthYear: person.birthYear } : undefined),
        });
    },
  });
  const fe = fieldErrors(save.error);
  const shown = ['personId', 'testType', 'reason', 'campaignId', 'note'];

  return (
    <>
      <Modal opened={opened} onClose={onClose} title={tt('orders.new')} fullScreen={full} size="lg">
        <Stack>
          <PersonPicker
            value={person}
            onChange={setPerson}
            error={
              fe.personId ?? (save.isError && !person ? tt('orders.personRequired') : undefined)
            }
          />
          <Select
            label={tt('orders.testType')}
            data={(types.data ?? []).map((x) => ({ value: x.code, label: bi(x.name) }))}
            value={testType}
            onChange={setTestType}
            withAsterisk
            allowDeselect={false}
            error={fe.testType}
          />
          <Select
            label={tt('orders.reason')}
            data={REASONS.map((r) => ({ value: r, label: codeLabel(tt, 'reason', r) }))}
            value={reason}
            onChange={setReason}
            withAsterisk
            placeholder={tt('common.pick')}
            error={fe.reason}
          />
          {reason === 'screening' && (
            <Select
              label={tt('orders.campaign')}
              data={(campaigns.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={campaignId}
              onChange={setCampaignId}
              clearable
              placeholder={tt('orders.noCampaign')}
              error={fe.campaignId}
            />
          )}
          <Textarea
            label={tt('orders.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={fe.note}
            autosize
            minRows={2}
          />
          <Checkbox
            label={tt('orders.sampleNow')}
            checked={sampleNow}
            onChange={(e) => setSampleNow(e.currentTarget.checked)}
          />
          <ErrorAlert error={unplaced(save.error, shown)} showFields />
          <Button
            size="md"
            loading={save.isPending}
            disabled={!person || !reason || !testType}
            onClick={() => save.mutate()}
          >
            {tt('orders.submit')}
          </Button>
        </Stack>
      </Modal>
      <SampleModal order={sampling} onClose={() => setSampling(null)} />
    </>
  );
}

/** Record the sample of an order: when, by whom, where, and the code of a pre-printed label. */
export function SampleModal({ order, onClose }: { order: Order | null; onClose: () => void }) {
  const tt = useTT();
  const full = useFullScreen();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [clientId] = useState(uuid);
  const [code, setCode] = useState('');
  const [at, setAt] = useState(nowLocal);
  const [by, setBy] = useState('');
  const [place, setPlace] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api<Specimen>('/api/v1/specimens', {
        method: 'POST',
        body: {
          clientId,
          orderId: order!.id,
          code: code.trim() || undefined,
          sampledAt: dayjs(at).format('YYYY-MM-DDTHH:mm:ssZ'),
          sampledBy: by.trim() || undefined,
          samplePlace: place.trim() || undefined,
        },
      }),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: ['test-orders'] });
      void queryClient.invalidateQueries({ queryKey: ['specimens'] });
      onClose();
      void navigate(`/xet-nghiem/mau/${s.id}`);
    },
  });
  const fe = fieldErrors(save.error);
  return (
    <Modal opened={!!order} onClose={onClose} title={tt('specimens.record')} fullScreen={full}>
      {order && (
        <Stack>
          <Text fw={600}>
            {order.person?.fullName} · {order.person?.birthYear}
          </Text>
          <TextInput
            label={tt('specimens.code')}
            description={tt('specimens.codeHint')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
            error={fe.code}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          <TextInput
            type="datetime-local"
            label={tt('specimens.sampledAt')}
            value={at}
            onChange={(e) => setAt(e.currentTarget.value)}
            error={fe.sampledAt}
            withAsterisk
          />
          <TextInput
            label={tt('specimens.sampledBy')}
            value={by}
            onChange={(e) => setBy(e.currentTarget.value)}
            error={fe.sampledBy}
          />
          <TextInput
            label={tt('specimens.place')}
            value={place}
            onChange={(e) => setPlace(e.currentTarget.value)}
            error={fe.samplePlace}
          />
          <ErrorAlert
            error={unplaced(save.error, ['code', 'sampledAt', 'sampledBy', 'samplePlace'])}
            showFields
          />
          <Button size="md" loading={save.isPending} onClick={() => save.mutate()} disabled={!at}>
            {tt('specimens.save')}
          </Button>
        </Stack>
      )}
    </Modal>
  );
}

/** Enter one result by the specimen code; a positive shows what the F0 definition decided. */
export function ResultModal({
  opened,
  onClose,
  code: initial = '',
}: {
  opened: boolean;
  onClose: () => void;
  code?: string;
}) {
  const tt = useTT();
  const full = useFullScreen();
  const queryClient = useQueryClient();
  const [clientId, setClientId] = useState(uuid);
  const [code, setCode] = useState(initial);
  const [result, setResult] = useState<ResultValue>('negative');
  const [ct, setCt] = useState<number | string>('');
  const [symptomatic, setSymptomatic] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      api<TestResult>('/api/v1/results', {
        method: 'POST',
        body: {
          clientId,
          specimenCode: code.trim().toUpperCase(),
          result,
          ctValue: typeof ct === 'number' ? ct : undefined,
          symptomatic: symptomatic || undefined,
        },
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['test-results'] });
      void queryClient.invalidateQueries({ queryKey: ['specimens'] });
      void queryClient.invalidateQueries({ queryKey: ['pools'] });
      void queryClient.invalidateQueries({ queryKey: ['pool'] });
    },
  });
  const next = () => {
    save.reset();
    setClientId(uuid());
    setCode('');
    setResult('negative');
    setCt('');
    setSymptomatic(false);
  };
  const close = () => {
    next();
    onClose();
  };
  const fe = fieldErrors(save.error);
  const done = save.data;
  return (
    <Modal opened={opened} onClose={close} title={tt('results.enter')} fullScreen={full}>
      {done ? (
        <Stack data-testid="result-saved">
          <Text fw={600}>
            {done.person?.fullName} · {done.person?.birthYear}
          </Text>
          <ResultBadge result={done.result} />
          <F0Decision f0={done.f0} />
          <Button onClick={next}>{tt('results.another')}</Button>
          <Button variant="default" onClick={close}>
            {tt('common.close')}
          </Button>
        </Stack>
      ) : (
        <Stack>
          <TextInput
            label={tt('results.specimenCode')}
            description={tt('results.specimenCodeHint')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
            error={fe.specimenCode ?? fe.specimenId}
            withAsterisk
            styles={{ input: { fontFamily: 'monospace' } }}
            data-autofocus
          />
          <div>
            <Text size="sm" fw={500} mb={4}>
              {tt('results.result')}
            </Text>
            <SegmentedControl
              fullWidth
              value={result}
              onChange={(v) => setResult(v as ResultValue)}
              data={(['negative', 'positive', 'invalid'] as const).map((r) => ({
                value: r,
                label: codeLabel(tt, 'result', r),
              }))}
              color={result === 'positive' ? 'red' : 'teal'}
            />
          </div>
          <NumberInput
            label={tt('results.ct')}
            description={tt('results.ctHint')}
            value={ct}
            onChange={setCt}
            min={0}
            max={60}
            decimalScale={1}
            error={fe.ctValue}
          />
          <Checkbox
            label={tt('results.symptomatic')}
            checked={symptomatic}
            onChange={(e) => setSymptomatic(e.currentTarget.checked)}
          />
          <ErrorAlert
            error={unplaced(save.error, ['specimenCode', 'specimenId', 'ctValue'])}
            showFields
          />
          <Button
            size="md"
            loading={save.isPending}
            disabled={code.trim().length < 3}
            onClick={() => save.mutate()}
          >
            {tt('results.save')}
          </Button>
        </Stack>
      )}
    </Modal>
  );
}
