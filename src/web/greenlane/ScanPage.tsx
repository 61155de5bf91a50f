/**
 * /luong-xanh/quet — a checkpoint, yard or gate officer on a phone scans a permit QR. The
 * signature and validity are checked on the device with the cached public keys (works offline);
 * the passage goes to the outbox (IndexedDB, clientId) and reaches the server exactly once.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useMe } from '../auth.tsx';
import { useOnline } from '../entry/offline.ts';
import { outbox, useOnSent, useOutbox, type SentEvent } from '../entry/outbox.ts';
import { QrImageButton, QrScanModal } from '../entry/scan.tsx';
import { formatDateTime } from '../format.ts';
import { useGT } from './t.ts';
import {
  cachedKeys,
  cachedRevocations,
  refreshKeys,
  refreshRevocations,
  verifyOffline,
  type OfflineCheck,
  type PermitKey,
  type Revocations,
} from './verify.ts';

const POINTS: Record<string, ('first_checkpoint' | 'yard' | 'gate' | 'out')[]> = {
  checkpoint: ['first_checkpoint', 'out'],
  border_post: ['first_checkpoint', 'out'],
  transit_yard: ['yard'],
  border_gate: ['gate', 'out'],
};

interface ServerAnswer {
  checkMode: 'permit' | 'per_person';
  crew: { fullName: string; test: { fresh: boolean } }[];
  alerts: { reason: { vi: string; en: string } }[];
  /** item 4: the yard entered, flagged when it was full */
  yard: { full: boolean; reason: { vi: string; en: string } | null } | null;
}

export function ScanPage() {
  const me = useMe();
  const { gt, bi } = useGT();
  const online = useOnline();
  const box = useOutbox(me.id);
  const points = POINTS[me.siteKind ?? ''] ?? ['first_checkpoint'];
  const [point, setPoint] = useState(points[0]!);
  const [keys, setKeys] = useState<PermitKey[]>(cachedKeys);
  const [revocations, setRevocations] = useState<Revocations>(cachedRevocations);
  const [scanning, setScanning] = useState(false);
  const [noQr, setNoQr] = useState(false);
  const [scan, setScan] = useState<{ qr: string; check: OfflineCheck } | null>(null);
  const [recorded, setRecorded] = useState<string | null>(null);
  const [answer, setAnswer] = useState<ServerAnswer | null>(null);
  // issue 17 item 3: the people counted on board (fewer than the permit binds is alerted)
  const [onBoard, setOnBoard] = useState<number | ''>('');

  useEffect(() => {
    if (!online) return;
    void refreshKeys().then(setKeys);
    void refreshRevocations().then(setRevocations);
  }, [online]);
  useOnSent(
    useCallback(
      (e: SentEvent) => {
        if (e.item.clientId === recorded) setAnswer(e.response as ServerAnswer);
      },
      [recorded],
    ),
  );
  const onText = async (qr: string) => {
    setNoQr(false);
    setRecorded(null);
    setAnswer(null);
    const check = await verifyOffline(qr, keys, Date.now(), revocations);
    setOnBoard(check.ok ? check.crew : '');
    setScan({ qr, check });
  };
  const record = async () => {
    if (!scan?.check.ok) return;
    const clientId = crypto.randomUUID();
    setRecorded(clientId);
    await outbox.add({
      clientId,
      kind: 'green-lane-passage',
      url: '/api/v1/green-lane/passages',
      body: {
        clientId,
        point,
        plate: scan.check.plate,
        qr: scan.qr,
        at: new Date().toISOString(),
        ...(onBoard === '' ? {} : { peopleOnBoard: onBoard }),
      },
      label: `${scan.check.plate} · ${gt(`point.${point}`)}`,
    });
  };
  const c = scan?.check;
  const pending = box.items.length;
  return (
    <Stack maw={520}>
      <Title order={2}>{gt('scan.title')}</Title>
      {!online && (
        <Alert color="yellow" data-testid="gl-offline">
          {gt('scan.offline')}
        </Alert>
      )}
      <Text size="sm" c={keys.length ? 'dimmed' : 'red'}>
        {keys.length ? gt('scan.keys', { count: keys.length }) : gt('scan.noKeys')}
      </Text>
      {revocations.at && (
        <Text size="sm" c="dimmed" data-testid="gl-revocations">
          {gt('scan.revocations', {
            count: Object.keys(revocations.revoked).length,
            at: formatDateTime(revocations.at),
          })}
        </Text>
      )}
      {points.length > 1 && (
        <SegmentedControl
          fullWidth
          value={point}
          onChange={(v) => setPoint(v as typeof point)}
          data={points.map((p) => ({ value: p, label: gt(`point.${p}`) }))}
        />
      )}
      <Button size="lg" h={56} onClick={() => setScanning(true)}>
        {gt('scan.scan')}
      </Button>
      <QrImageButton
        variant="default"
        size="md"
        h={48}
        onText={(t) => void onText(t)}
        onNotFound={() => setNoQr(true)}
        testId="gl-qr-image"
      >
        {gt('scan.chooseImage')}
      </QrImageButton>
      <QrScanModal
        opened={scanning}
        onClose={() => setScanning(false)}
        onText={(t) => void onText(t)}
        title={gt('scan.scan')}
      />
      {noQr && <Alert color="red">{gt('scan.noQr')}</Alert>}
      {c && !c.ok && (
        <Alert color="red" title={gt('scan.refusedTitle')} data-testid="gl-result">
          {c.problem === 'no_keys' ? gt('scan.noKeys') : gt('permit.refused')}
        </Alert>
      )}
      {c && c.ok && (
        <Card withBorder data-testid="gl-result" bg={c.validity.valid ? 'green.0' : 'orange.0'}>
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={3}>{c.plate}</Title>
              <Badge size="lg" color={c.validity.valid ? 'green' : 'orange'}>
                {gt(`permit.${c.validity.status}`)}
              </Badge>
            </Group>
            <Text fw={700}>{gt(c.validity.valid ? 'scan.validTitle' : 'scan.fallbackTitle')}</Text>
            <Text size="sm">{bi(c.validity.reason)}</Text>
            <Text size="sm" c="dimmed">
              {gt('scan.window')}: {formatDateTime(c.windowFrom)} – {formatDateTime(c.windowTo)}
            </Text>
            {!recorded && (
              <NumberInput
                label={gt('scan.onBoard', { count: c.crew })}
                value={onBoard}
                onChange={(v) => setOnBoard(typeof v === 'number' ? v : '')}
                min={0}
                max={60}
                size="md"
                inputMode="numeric"
                data-testid="gl-on-board"
              />
            )}
            {!recorded && (
              <Button size="md" h={48} onClick={() => void record()}>
                {gt('scan.record')}
              </Button>
            )}
          </Stack>
        </Card>
      )}
      {recorded && (
        <Alert color={pending ? 'blue' : 'green'} data-testid="gl-queue">
          {pending ? gt('scan.queued', { count: pending }) : gt('scan.allSent')}
        </Alert>
      )}
      {answer && answer.checkMode === 'per_person' && (
        <Card withBorder>
          {answer.crew.map((p) => (
            <Text key={p.fullName} size="sm">
              {p.fullName}: {p.test.fresh ? '✓' : '✗'}
            </Text>
          ))}
        </Card>
      )}
      {answer?.yard?.full && answer.yard.reason && (
        <Alert color="orange" data-testid="gl-yard-full">
          {bi(answer.yard.reason)}
        </Alert>
      )}
      {answer?.alerts.map((a) => (
        <Alert key={a.reason.vi} color="red">
          {bi(a.reason)}
        </Alert>
      ))}
    </Stack>
  );
}
