/**
 * /tiem-chung/chung-nhan/:id — the certificate just issued: its QR image and a printable page in
 * Vietnamese and English with what the certificate carries (name, date of birth, vaccine, doses,
 * date, issuer, certificate id, validity). The API gives the QR only when it issues it, so the
 * page shows what this browser tab received (kept in sessionStorage for a reload).
 */
import { Alert, Anchor, Box, Button, Group, Image, Paper, Stack, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { Link } from 'react-router';
import { formatDate } from '../format.ts';
import { productByMp } from './components.tsx';
import { both, useVT, type VaccinationKey } from './t.ts';
import type { IssuedCertificate } from './types.ts';

const KEY = 'epiguard.certificate.';

type Kept = IssuedCertificate & { personId?: string };

export function rememberCertificate(c: IssuedCertificate, personId: string) {
  try {
    sessionStorage.setItem(KEY + c.id, JSON.stringify({ ...c, personId }));
  } catch {
    // storage full or disabled: the page will say the certificate is gone
  }
}

function recall(id: string): Kept | null {
  try {
    const s = sessionStorage.getItem(KEY + id);
    return s ? (JSON.parse(s) as Kept) : null;
  } catch {
    return null;
  }
}

/** Hides the app's frame when printing: only the certificate goes on paper. */
const PRINT_CSS = `@media print {
  .mantine-AppShell-header, .mantine-AppShell-navbar, .no-print { display: none !important; }
  .mantine-AppShell-main { padding: 0 !important; }
  body { background: white; }
}`;

function Row({ label, value, testId }: { label: VaccinationKey; value: string; testId?: string }) {
  return (
    <Box py={4} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
      <Text size="xs" c="dimmed">
        {both(label)}
      </Text>
      <Text fw={600} data-testid={testId} style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </Box>
  );
}

export function CertificatePage() {
  const { id = '' } = useParams();
  const vt = useVT();
  const c = recall(id);
  if (!c)
    return (
      <Stack>
        <Alert color="orange" variant="light">
          {vt('cert.gone')}
        </Alert>
        <Anchor component={Link} to="/tiem-chung">
          {vt('person.back')}
        </Anchor>
      </Stack>
    );
  const p = c.printed;
  const v = p?.vaccination;
  const product = productByMp(v?.product);
  const verifyUrl = `${window.location.origin}/kiem-tra-chung-nhan`;
  const png = `data:image/png;base64,${c.png}`;
  return (
    <Stack maw={640}>
      <style>{PRINT_CSS}</style>
      {c.personId && (
        <Anchor
          className="no-print"
          component={Link}
          to={`/tiem-chung/nguoi/${c.personId}`}
          size="sm"
        >
          ← {vt('person.back')}
        </Anchor>
      )}
      <Alert className="no-print" color="teal" variant="light">
        {vt('cert.issued')}
      </Alert>
      <Group className="no-print" grow>
        <Button onClick={() => window.print()}>{vt('cert.print')}</Button>
        <Button component="a" href={png} download={`chung-nhan-${c.id}.png`} variant="default">
          {vt('cert.downloadQr')}
        </Button>
      </Group>
      <Paper withBorder p="md" radius="md" data-testid="certificate">
        <Stack gap="xs">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase">
              {both('cert.passport')}
            </Text>
            <Title order={2} size="h3">
              {both('cert.title')}
            </Title>
          </div>
          <Box ta="center">
            <Image
              src={png}
              alt="QR"
              maw={300}
              mx="auto"
              data-testid="certificate-qr"
              style={{ imageRendering: 'pixelated' }}
            />
            <Text size="xs" c="dimmed">
              {vt('cert.scanHint', { url: verifyUrl })}
            </Text>
          </Box>
          <Row label="cert.name" value={p?.name ?? '—'} testId="cert-name" />
          {p?.nameTransliterated && (
            <Text size="xs" ff="monospace">
              {p.nameTransliterated}
            </Text>
          )}
          <Row label="cert.dob" value={p?.dateOfBirth ? formatBirth(p.dateOfBirth) : '—'} />
          <Row label="cert.disease" value={vt('cert.diseaseValue')} />
          <Row label="cert.product" value={product?.name ?? v?.product ?? '—'} />
          <Row label="cert.manufacturer" value={product?.manufacturer ?? v?.manufacturer ?? '—'} />
          <Row
            label="cert.doses"
            value={v ? vt('cert.dosesValue', { n: v.doseNumber, of: v.totalDoses }) : '—'}
            testId="cert-doses"
          />
          <Row label="cert.date" value={v ? formatDate(v.date) : '—'} />
          <Row
            label="cert.country"
            value={v?.country === 'VN' ? both('cert.vietnam') : (v?.country ?? '—')}
          />
          <Row label="cert.issuer" value={v?.issuer ?? '—'} />
          <Row label="cert.id" value={v?.certificateId ?? c.uvci} testId="cert-id" />
          <Row
            label="cert.validity"
            value={both('cert.validityValue', {
              from: formatDate(c.issuedAt),
              to: formatDate(c.expiresAt),
            })}
          />
        </Stack>
      </Paper>
    </Stack>
  );
}

/** A DCC date of birth: YYYY-MM-DD, YYYY-MM or YYYY. */
export function formatBirth(dob: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(dob)) return formatDate(dob);
  if (/^\d{4}-\d{2}$/.test(dob)) return dob.split('-').reverse().join('/');
  return dob;
}
