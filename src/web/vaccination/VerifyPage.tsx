/**
 * /kiem-tra-chung-nhan — public (no login): anyone checks a vaccination certificate (EU-DCC,
 * "Hộ chiếu vắc xin") by scanning its QR with the phone camera, choosing an image of it, or
 * pasting its text. Shows valid / not valid, each check the verifier ran, and only what the
 * certificate prints.
 */
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  List,
  Paper,
  Stack,
  Text,
  Textarea,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ApiError } from '../api.ts';
import { errorMessage } from '../components/ErrorAlert.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { decodeQrFromFile } from '../entry/qr.ts';
import { QrScanModal } from '../entry/scan.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { formatBirth } from './CertificatePage.tsx';
import { productByMp } from './components.tsx';
import { codeLabel, useVT, type VT } from './t.ts';
import type { StepName, VerifyResult } from './types.ts';
import './t.ts';

const STEPS: StepName[] = [
  'image',
  'prefix',
  'base45',
  'decompress',
  'decode',
  'signature',
  'schema',
  'expiry',
  'keyUsage',
];

const readBase64 = (file: Blob) =>
  new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read'));
    r.readAsDataURL(file);
  });

export function VerifyPage() {
  const vt = useVT();
  const { t } = useTranslation();
  const [scanning, setScanning] = useState(false);
  const [pasted, setPasted] = useState('');
  const [noQr, setNoQr] = useState(false);
  const [reading, setReading] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const verify = useMutation({
    mutationFn: (body: { qr?: string; png?: string }) =>
      api<VerifyResult>('/api/v1/public/certificates/verify', { method: 'POST', body }),
  });

  const check = (body: { qr?: string; png?: string }) => {
    setNoQr(false);
    verify.mutate(body);
  };

  /** Read on the device; a PNG the device cannot read goes to the server, which reads it too. */
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setReading(true);
    try {
      const text = await decodeQrFromFile(file).catch(() => null);
      if (text) check({ qr: text.trim() });
      else if (file.type === 'image/png') check({ png: await readBase64(file) });
      else setNoQr(true);
    } finally {
      setReading(false);
      if (input.current) input.current.value = '';
    }
  };

  const r = verify.data;
  const tooMany = verify.error instanceof ApiError && verify.error.status === 429;

  return (
    <Box bg="gray.0" mih="100dvh">
      <Box maw={560} mx="auto" p={{ base: 'sm', sm: 'md' }}>
        <Group justify="space-between" mb="sm" wrap="nowrap">
          <Anchor component={Link} to="/kiem-tra-chung-nhan" underline="never">
            <Title order={3} c="teal.8" style={{ letterSpacing: '-0.02em' }}>
              {t('app.name')}
            </Title>
          </Anchor>
          <LanguageSwitch />
        </Group>
        <Stack>
          <div>
            <Title order={1} size="h2">
              {vt('verify.title')}
            </Title>
            <Text c="dimmed" size="sm">
              {vt('verify.subtitle')}
            </Text>
          </div>
          <Paper withBorder p="md" radius="md">
            <Stack>
              <Button size="md" onClick={() => setScanning(true)}>
                {vt('verify.scan')}
              </Button>
              <input
                ref={input}
                type="file"
                accept="image/*"
                hidden
                aria-label={vt('verify.chooseImage')}
                data-testid="qr-image-input"
                onChange={(e) => void pick(e.currentTarget.files?.[0])}
              />
              <Button
                size="md"
                variant="default"
                loading={reading}
                onClick={() => input.current?.click()}
              >
                {vt('verify.chooseImage')}
              </Button>
              <Textarea
                label={vt('verify.paste')}
                placeholder="HC1:…"
                value={pasted}
                onChange={(e) => setPasted(e.currentTarget.value)}
                autosize
                minRows={2}
                maxRows={6}
                styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
              />
              <Button
                variant="light"
                disabled={!pasted.trim()}
                onClick={() => check({ qr: pasted.trim() })}
                loading={verify.isPending}
              >
                {vt('verify.check')}
              </Button>
            </Stack>
          </Paper>
          {noQr && (
            <Alert color="red" variant="light" role="alert">
              {vt('verify.noQr')}
            </Alert>
          )}
          {verify.isError && (
            <Alert color="red" variant="light" role="alert">
              {tooMany ? vt('verify.tooMany') : errorMessage(verify.error, t)}
            </Alert>
          )}
          {r && !verify.isError && <Result vt={vt} r={r} />}
        </Stack>
      </Box>
      <QrScanModal
        opened={scanning}
        onClose={() => setScanning(false)}
        onText={(text) => check({ qr: text })}
        title={vt('verify.scanTitle')}
      />
    </Box>
  );
}

type Rows = [string, string][];
const str = (x: unknown) => (typeof x === 'string' ? x : '');

/** A test certificate (issued by the testing module): type, result, sample time, centre. */
function testRows(vt: VT, t: unknown): Rows {
  if (!t || typeof t !== 'object') return [];
  const x = t as Record<string, unknown>;
  const type =
    x.tt === 'LP6464-4'
      ? vt('cert.testPcr')
      : x.tt === 'LP217198-3'
        ? vt('cert.testRapid')
        : str(x.tt);
  const result =
    x.tr === '260415000'
      ? vt('cert.testNegative')
      : x.tr === '260373001'
        ? vt('cert.testPositive')
        : str(x.tr);
  return [
    [vt('cert.testType'), type],
    [vt('cert.testResult'), result],
    [vt('cert.sampledAt'), formatDateTime(str(x.sc))],
    [vt('cert.testCentre'), str(x.tc) || '—'],
    [vt('cert.issuer'), str(x.is)],
    [vt('cert.id'), str(x.ci)],
  ];
}

/** A recovery certificate (issued by the cases module): first positive test, validity. */
function recoveryRows(vt: VT, r: unknown): Rows {
  if (!r || typeof r !== 'object') return [];
  const x = r as Record<string, unknown>;
  return [
    [vt('cert.firstPositive'), formatDate(str(x.fr))],
    [
      vt('cert.recoveryValid'),
      vt('cert.validityValue', { from: formatDate(str(x.df)), to: formatDate(str(x.du)) }),
    ],
    [vt('cert.issuer'), str(x.is)],
    [vt('cert.id'), str(x.ci)],
  ];
}

function Result({ vt, r }: { vt: VT; r: VerifyResult }) {
  const failed = STEPS.filter((s) => r.steps[s] === false);
  const c = r.certificate;
  const v = c?.vaccination;
  const product = productByMp(v?.product);
  const rows: [string, string][] = c
    ? [
        [vt('cert.name'), c.name],
        [vt('cert.dob'), c.dateOfBirth ? formatBirth(c.dateOfBirth) : '—'],
        ...(v
          ? ([
              [vt('cert.product'), product?.name ?? v.product],
              [vt('cert.doses'), vt('cert.dosesValue', { n: v.doseNumber, of: v.totalDoses })],
              [vt('cert.date'), formatDate(v.date)],
              [vt('cert.country'), v.country === 'VN' ? vt('cert.vietnam') : v.country],
              [vt('cert.issuer'), v.issuer],
              [vt('cert.id'), v.certificateId],
            ] as [string, string][])
          : []),
        ...testRows(vt, c.test),
        ...recoveryRows(vt, c.recovery),
        ...(r.issuedAt && r.expiresAt
          ? ([
              [
                vt('cert.validity'),
                vt('cert.validityValue', {
                  from: formatDate(r.issuedAt),
                  to: formatDate(r.expiresAt),
                }),
              ],
            ] as [string, string][])
          : []),
      ]
    : [];
  return (
    <Paper withBorder p="md" radius="md" data-testid="verify-result">
      <Stack>
        <Badge
          size="xl"
          color={r.valid ? 'teal' : 'red'}
          variant="filled"
          h="auto"
          py={10}
          fullWidth
          data-testid={r.valid ? 'certificate-valid' : 'certificate-invalid'}
        >
          {r.valid ? vt('verify.valid') : vt('verify.invalid')}
        </Badge>
        {!r.valid && failed.length > 0 && (
          <Text fw={600} c="red.8">
            {vt('verify.failed', { steps: failed.map((s) => codeLabel(vt, 'step', s)).join(', ') })}
          </Text>
        )}
        {rows.length > 0 && (
          <Stack gap={4}>
            {rows.map(([label, value]) => (
              <div key={label}>
                <Text size="xs" c="dimmed">
                  {label}
                </Text>
                <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                  {value}
                </Text>
              </div>
            ))}
            <Text size="xs" c="dimmed">
              {vt('verify.onlyPrinted')}
            </Text>
          </Stack>
        )}
        <div>
          <Text fw={600} mb={4}>
            {vt('verify.steps')}
          </Text>
          <List spacing={6} size="sm" center lh={1.35}>
            {/* "image" does not apply to a code read on the device or pasted */}
            {STEPS.filter((s) => s !== 'image' || r.steps.image !== null).map((s) => {
              const ok = r.steps[s];
              return (
                <List.Item
                  key={s}
                  icon={
                    <ThemeIcon
                      size={20}
                      radius="xl"
                      color={ok === true ? 'teal' : ok === false ? 'red' : 'gray'}
                    >
                      <Text size="xs" c="white" fw={700}>
                        {ok === true ? '✓' : ok === false ? '✗' : '–'}
                      </Text>
                    </ThemeIcon>
                  }
                >
                  {codeLabel(vt, 'step', s)}:{' '}
                  {ok === true
                    ? vt('verify.stepOk')
                    : ok === false
                      ? vt('verify.stepFail')
                      : vt('verify.stepSkip')}
                </List.Item>
              );
            })}
          </List>
        </div>
        {r.reasons.length > 0 && (
          <div>
            <Text size="xs" c="dimmed">
              {vt('verify.reasons')}
            </Text>
            {r.reasons.map((x) => (
              <Text key={x} size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                {x}
              </Text>
            ))}
          </div>
        )}
      </Stack>
    </Paper>
  );
}
