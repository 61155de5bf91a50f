/**
 * /tiem-chung/nguoi/:id — one person's vaccination: history with the next dose and its due day,
 * the screening before a dose (khám sàng lọc) with consent, the dose record, reactions after
 * vaccination, and issuing the certificate.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Loader,
  Modal,
  NativeSelect,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { ScreeningOutcome, UnvaccinatedReason } from '../../domain/vaccination.ts';
import { UNVACCINATED_REASONS } from '../../domain/vaccination.ts';
import { api, ApiError, qs, type Site } from '../api.ts';
import { useMe } from '../auth.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatDate } from '../format.ts';
import { fieldErrors, unshownFields, uuid } from '../util.ts';
import { useCanV } from './access.tsx';
import { parseVnDate, PRODUCT_OPTIONS, productName, StatusBadge, todayIso } from './components.tsx';
import { rememberCertificate } from './CertificatePage.tsx';
import { codeLabel, doseLabel, useBi, useVT, type VaccinationKey, type VT } from './t.ts';
import type {
  Dose,
  DoseResult,
  IssuedCertificate,
  PersonVaccinations,
  ScreeningResult,
} from './types.ts';

const vnDate = (iso: string) => iso.split('-').reverse().join('/');

/** The checklist: each item and what it means for today's dose. */
const CHECKS: { key: VaccinationKey; effect: ScreeningOutcome | 'comorbidity' }[] = [
  { key: 'screening.anaphylaxis', effect: 'contraindicated' },
  { key: 'screening.fever', effect: 'postpone' },
  { key: 'screening.covid', effect: 'postpone' },
  { key: 'screening.immuno', effect: 'postpone' },
  { key: 'screening.pregnant', effect: 'postpone' },
  { key: 'screening.unstable', effect: 'postpone' },
  { key: 'screening.comorbidity', effect: 'comorbidity' },
];

function outcomeOf(checked: Set<VaccinationKey>): ScreeningOutcome {
  const effects = CHECKS.filter((c) => checked.has(c.key)).map((c) => c.effect);
  if (effects.includes('contraindicated')) return 'contraindicated';
  if (effects.includes('postpone')) return 'postpone';
  return 'eligible';
}

export function PersonVaccinationPage() {
  const { id = '' } = useParams();
  const vt = useVT();
  const bi = useBi();
  const canWrite = useCanV('vaccinations.write');
  const canIssue = useCanV('certificates.issue');
  const key = ['person-vaccinations', id];
  const data = useQuery({
    queryKey: key,
    queryFn: () => api<PersonVaccinations>(`/api/v1/persons/${id}/vaccinations`),
  });
  const [aefiDose, setAefiDose] = useState<Dose | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  if (data.isLoading) return <Loader />;
  if (data.error || !data.data) return <ErrorAlert error={data.error} />;
  const { person, doses, state, certificates } = data.data;

  return (
    <Stack>
      <Anchor component={Link} to="/tiem-chung" size="sm">
        ← {vt('person.back')}
      </Anchor>
      <div>
        <Title order={2}>{person.fullName}</Title>
        <Text c="dimmed" size="sm">
          {vt('person.born')}:{' '}
          {person.birthDate ? formatDate(person.birthDate) : String(person.birthYear)}
        </Text>
      </div>
      <Paper withBorder p="md">
        <Stack gap="xs">
          <StatusBadge vt={vt} state={state} data-testid="vacc-status" />
          {state.next?.kind === 'booster' && (
            <Text size="sm">
              {vt('status.boosterFrom', { date: formatDate(state.next.earliest) })}
            </Text>
          )}
          {state.next?.kind === 'primary' && state.next.earliest !== state.next.due && (
            <Text size="sm" c="dimmed">
              {vt('status.earliest', { date: formatDate(state.next.earliest) })}
            </Text>
          )}
          {state.next && (
            <Text size="sm" c="dimmed">
              {vt('dose.allowed', { products: state.next.products.map(productName).join(', ') })}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {bi(state.explanation)}
          </Text>
        </Stack>
      </Paper>

      {saved && (
        <Alert
          color="teal"
          variant="light"
          withCloseButton
          onClose={() => setSaved(null)}
          data-testid="dose-saved"
        >
          {saved}
        </Alert>
      )}
      <Title order={3} size="h4">
        {vt('person.history')}
      </Title>
      {doses.length === 0 ? (
        <Text c="dimmed">{vt('person.noDoses')}</Text>
      ) : (
        <Stack gap="xs" data-testid="vacc-history">
          {doses.map((d) => (
            <Paper key={d.id} withBorder p="sm">
              <Group gap="xs">
                <Text fw={700}>{doseLabel(vt, d.doseNumber, d.kind)}</Text>
                <Text>{formatDate(d.date)}</Text>
              </Group>
              <Text size="sm">{d.productName}</Text>
              <Text size="sm" c="dimmed">
                {[
                  d.lotNumber && `${vt('person.lot')} ${d.lotNumber}`,
                  d.vaccinator && `${vt('person.vaccinator')}: ${d.vaccinator}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
              {canWrite && (
                <Button
                  size="compact-sm"
                  variant="subtle"
                  px={0}
                  mt={4}
                  onClick={() => setAefiDose(d)}
                >
                  {vt('aefi.add')}
                </Button>
              )}
            </Paper>
          ))}
        </Stack>
      )}

      {canWrite && (
        <VaccinateCard
          vt={vt}
          personId={person.id}
          data={data.data}
          onDone={(message) => {
            setSaved(message);
            void data.refetch();
            window.scrollTo({ top: 0, behavior: 'smooth' });
          }}
        />
      )}

      {((canIssue && doses.length > 0) || certificates.length > 0) && (
        <CertificatesCard vt={vt} data={data.data} canIssue={canIssue && doses.length > 0} />
      )}

      <AefiModal vt={vt} dose={aefiDose} onClose={() => setAefiDose(null)} />
    </Stack>
  );
}

/** Screening, consent, then the dose: one card, in the order they happen at the table. */
function VaccinateCard({
  vt,
  personId,
  data,
  onDone,
}: {
  vt: VT;
  personId: string;
  data: PersonVaccinations;
  onDone: (message: string) => void;
}) {
  const me = useMe();
  const qc = useQueryClient();
  const next = data.state.next;
  const doseNumber = next?.doseNumber ?? data.state.dosesGiven + 1;
  const kind = next?.kind ?? 'primary';
  const [dateText, setDateText] = useState(vnDate(todayIso()));
  const [checked, setChecked] = useState<Set<VaccinationKey>>(new Set());
  const [consent, setConsent] = useState(false);
  const [consentBy, setConsentBy] = useState('');
  const [screening, setScreening] = useState<ScreeningResult | null>(null);
  const [screenId, setScreenId] = useState(uuid);
  const [doseId, setDoseId] = useState(uuid);
  const allowed = next?.products.length ? next.products : PRODUCT_OPTIONS.map((p) => p.value);
  const lastProduct = data.doses.at(-1)?.product;
  const [product, setProduct] = useState<string | null>(
    lastProduct && allowed.includes(lastProduct) ? lastProduct : (allowed[0] ?? null),
  );
  const [lot, setLot] = useState('');
  const [vaccinator, setVaccinator] = useState(me.fullName);
  const [siteId, setSiteId] = useState<string | null>(null);
  const [reason, setReason] = useState<UnvaccinatedReason | null>(null);
  const date = parseVnDate(dateText);
  const outcome = outcomeOf(checked);
  const comorbidity = checked.has('screening.comorbidity');
  const atSite = me.scope.level === 'site';
  const canSites = useCanV('sites.read');

  const sites = useQuery({
    queryKey: ['vacc-sites', data.person.communeCode],
    enabled: !atSite && canSites,
    queryFn: () =>
      api<{ items: Site[] }>(
        `/api/v1/sites${qs({ kind: 'vaccination_site', commune: data.person.communeCode })}`,
      ).then((r) => r.items),
  });

  const screen = useMutation({
    mutationFn: () =>
      api<ScreeningResult>('/api/v1/vaccination-screenings', {
        method: 'POST',
        body: {
          clientId: screenId,
          personId,
          date: date ?? undefined,
          siteId: siteId ?? undefined,
          outcome,
          findings: CHECKS.filter((c) => checked.has(c.key)).map((c) => vt(c.key)),
          comorbidity,
          consent,
          consentBy: consentBy.trim() || undefined,
        },
      }),
    onSuccess: (r) => {
      // Said in the card, not in a toast: a toast would sit over the dose button on a phone.
      setScreening(r);
      if (r.outcome === 'postpone') setReason('postponed');
      if (r.outcome === 'contraindicated') setReason('contraindicated');
    },
  });

  const give = useMutation({
    mutationFn: () =>
      api<DoseResult>('/api/v1/vaccinations', {
        method: 'POST',
        body: {
          clientId: doseId,
          personId,
          product,
          date,
          doseNumber,
          lotNumber: lot.trim() || undefined,
          vaccinator: vaccinator.trim() || undefined,
          siteId: siteId ?? undefined,
          screeningId: screening?.id,
        },
      }),
    onSuccess: (r) => {
      setScreening(null);
      setChecked(new Set());
      setConsent(false);
      setScreenId(uuid());
      setDoseId(uuid());
      setLot('');
      setDateText(vnDate(todayIso()));
      void qc.invalidateQueries({ queryKey: ['vacc-lists'] });
      // Said on the page, not in a toast: a toast sits over the next button on a phone.
      onDone(
        r.replayed
          ? vt('dose.replayed')
          : vt('dose.saved', { dose: doseLabel(vt, r.dose.doseNumber, r.dose.kind) }),
      );
    },
  });

  const exempt = useMutation({
    mutationFn: () =>
      api('/api/v1/vaccination-exemptions', {
        method: 'POST',
        body: { clientId: uuid(), personId, reason, comorbidity, date: date ?? undefined },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: vt('screening.reasonSaved') });
      void qc.invalidateQueries({ queryKey: ['vacc-lists'] });
    },
  });

  const fe = fieldErrors(give.error);
  const sfe = fieldErrors(screen.error);
  const ready = screening && screening.outcome === 'eligible' && screening.consent;
  const other = unshownFields(give.error, (p) =>
    ['product', 'date', 'doseNumber', 'lotNumber', 'vaccinator', 'siteId'].includes(p),
  );

  return (
    <Paper withBorder p="md" data-testid="vacc-vaccinate">
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4">
            {vt('screening.title')}
          </Title>
          <Badge size="lg" variant="light" tt="none">
            {doseLabel(vt, doseNumber, kind)}
          </Badge>
        </Group>
        <TextInput
          label={vt('dose.date')}
          value={dateText}
          onChange={(e) => setDateText(e.currentTarget.value)}
          inputMode="numeric"
          disabled={!!screening}
          error={(dateText && !date ? vt('dose.dateInvalid') : undefined) ?? fe.date ?? sfe.date}
        />
        {!atSite && (sites.data?.length ?? 0) > 0 && (
          <Select
            label={vt('dose.site')}
            data={(sites.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={siteId}
            onChange={setSiteId}
            clearable
            error={fe.siteId ?? sfe.siteId}
          />
        )}
        <Text size="sm" c="dimmed">
          {vt('screening.hint')}
        </Text>
        <Stack gap="xs">
          {CHECKS.map((c) => (
            <Checkbox
              key={c.key}
              label={vt(c.key)}
              checked={checked.has(c.key)}
              disabled={!!screening}
              onChange={(e) => {
                const s = new Set(checked);
                if (e.currentTarget.checked) s.add(c.key);
                else s.delete(c.key);
                setChecked(s);
              }}
            />
          ))}
        </Stack>
        <Divider />
        <Checkbox
          label={vt('screening.consent')}
          checked={consent}
          disabled={!!screening}
          onChange={(e) => setConsent(e.currentTarget.checked)}
          fw={600}
        />
        <TextInput
          label={vt('screening.consentBy')}
          value={consentBy}
          disabled={!!screening}
          onChange={(e) => setConsentBy(e.currentTarget.value)}
        />
        <Alert
          variant="light"
          color={
            outcome === 'contraindicated'
              ? 'red'
              : outcome === 'postpone' || !consent
                ? 'orange'
                : 'teal'
          }
          data-testid="screening-outcome"
        >
          {vt('screening.result', { outcome: codeLabel(vt, 'outcome', outcome) })}
          {outcome === 'eligible' && !consent && <Text size="sm">{vt('screening.noConsent')}</Text>}
        </Alert>
        <ErrorAlert error={screen.error} showFields />
        {!screening ? (
          <Button onClick={() => screen.mutate()} loading={screen.isPending} disabled={!date}>
            {vt('screening.save')}
          </Button>
        ) : (
          <Button
            variant="subtle"
            onClick={() => {
              setScreening(null);
              setScreenId(uuid());
            }}
          >
            {vt('screening.again')}
          </Button>
        )}

        {screening && !ready && (
          <Stack gap="xs">
            <Alert color="orange" variant="light">
              {screening.consent ? vt('screening.notEligible') : vt('screening.noConsent')}
            </Alert>
            {data.state.dosesGiven === 0 && (
              <Group align="flex-end" wrap="nowrap">
                <Select
                  label={vt('unvacc.reason')}
                  data={UNVACCINATED_REASONS.map((r) => ({
                    value: r,
                    label: codeLabel(vt, 'reason', r),
                  }))}
                  value={reason}
                  onChange={(v) => setReason(v as UnvaccinatedReason | null)}
                  style={{ flex: 1 }}
                />
                <Button
                  variant="light"
                  disabled={!reason}
                  loading={exempt.isPending}
                  onClick={() => exempt.mutate()}
                >
                  {vt('screening.recordReason')}
                </Button>
              </Group>
            )}
            <ErrorAlert error={exempt.error} showFields />
          </Stack>
        )}

        {ready && (
          <Stack data-testid="vacc-dose-form">
            <Alert color="teal" variant="light">
              {vt('screening.saved', { outcome: codeLabel(vt, 'outcome', screening.outcome) })}
            </Alert>
            <Divider />
            <Title order={3} size="h4">
              {vt('dose.title')}
            </Title>
            <NativeSelect
              label={vt('dose.product')}
              data={PRODUCT_OPTIONS.filter((p) => allowed.includes(p.value))}
              value={product ?? ''}
              onChange={(e) => setProduct(e.currentTarget.value)}
              error={fe.product}
              size="md"
            />
            <TextInput
              label={vt('dose.lot')}
              value={lot}
              onChange={(e) => setLot(e.currentTarget.value)}
              error={fe.lotNumber}
              autoCapitalize="characters"
            />
            <TextInput
              label={vt('dose.vaccinator')}
              value={vaccinator}
              onChange={(e) => setVaccinator(e.currentTarget.value)}
              error={fe.vaccinator}
            />
            {fe.doseNumber && (
              <Alert color="red" variant="light">
                {fe.doseNumber}
              </Alert>
            )}
            {give.error &&
              (other.length > 0 ||
                !(give.error instanceof ApiError) ||
                !give.error.fields.length) && <ErrorAlert error={give.error} showFields />}
            <Button
              size="md"
              onClick={() => give.mutate()}
              loading={give.isPending}
              disabled={!product || !date}
            >
              {vt('dose.save')}
            </Button>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function CertificatesCard({
  vt,
  data,
  canIssue,
}: {
  vt: VT;
  data: PersonVaccinations;
  canIssue: boolean;
}) {
  const navigate = useNavigate();
  const [clientId] = useState(uuid);
  const issue = useMutation({
    mutationFn: () =>
      api<IssuedCertificate>('/api/v1/certificates', {
        method: 'POST',
        body: { clientId, personId: data.person.id },
      }),
    onSuccess: (c) => {
      rememberCertificate(c, data.person.id);
      void navigate(`/tiem-chung/chung-nhan/${c.id}`);
    },
  });
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {vt('person.certificates')}
        </Title>
        {data.certificates.map((c) => (
          <div key={c.id}>
            <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {c.uvci}
            </Text>
            <Text size="sm" c="dimmed">
              {vt('person.issuedOn', {
                date: formatDate(c.issuedAt),
                until: formatDate(c.expiresAt),
              })}
            </Text>
          </div>
        ))}
        <ErrorAlert error={issue.error} />
        {/* issue 16 item 3: the doses as a printed confirmation */}
        {data.doses.length > 0 && (
          <Button
            component="a"
            href={`/api/v1/persons/${data.person.id}/vaccination-certificate.docx`}
            download
            variant="default"
            data-testid="vaccination-docx"
          >
            {vt('person.confirmationDocx')}
          </Button>
        )}
        {canIssue && (
          <Button variant="light" onClick={() => issue.mutate()} loading={issue.isPending}>
            {vt('cert.issue')}
          </Button>
        )}
      </Stack>
    </Paper>
  );
}

const SEVERITIES = ['common', 'serious'] as const;
const AEFI_OUTCOMES = ['recovered', 'recovering', 'hospitalised', 'died', 'unknown'] as const;

function AefiModal({ vt, dose, onClose }: { vt: VT; dose: Dose | null; onClose: () => void }) {
  const phone = useMediaQuery('(max-width: 36em)');
  const [onset, setOnset] = useState('');
  const [severity, setSeverity] = useState<string | null>('common');
  const [symptoms, setSymptoms] = useState('');
  const [outcome, setOutcome] = useState<string | null>('recovering');
  const [note, setNote] = useState('');
  const [clientId, setClientId] = useState(uuid);
  const onsetIso = parseVnDate(onset);
  const save = useMutation({
    mutationFn: () =>
      api('/api/v1/vaccination-reactions', {
        method: 'POST',
        body: {
          clientId,
          doseId: dose!.id,
          onsetOn: onsetIso,
          severity,
          symptoms: symptoms
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
          outcome,
          note: note.trim() || undefined,
        },
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: vt('aefi.saved') });
      setClientId(uuid());
      setSymptoms('');
      setNote('');
      onClose();
    },
  });
  const fe = fieldErrors(save.error);
  return (
    <Modal opened={!!dose} onClose={onClose} title={vt('aefi.add')} fullScreen={!!phone} size="md">
      {dose && (
        <Stack>
          <Text size="sm">
            {doseLabel(vt, dose.doseNumber, dose.kind)} · {dose.productName} ·{' '}
            {formatDate(dose.date)}
          </Text>
          <TextInput
            label={vt('aefi.onset')}
            value={onset}
            onChange={(e) => setOnset(e.currentTarget.value)}
            placeholder={vnDate(todayIso())}
            inputMode="numeric"
            error={(onset && !onsetIso ? vt('dose.dateInvalid') : undefined) ?? fe.onsetOn}
          />
          <Select
            label={vt('aefi.severity')}
            data={SEVERITIES.map((s) => ({ value: s, label: codeLabel(vt, 'severity', s) }))}
            value={severity}
            onChange={setSeverity}
            allowDeselect={false}
          />
          <Textarea
            label={vt('aefi.symptoms')}
            value={symptoms}
            onChange={(e) => setSymptoms(e.currentTarget.value)}
            autosize
            minRows={3}
            error={fe.symptoms}
          />
          <Select
            label={vt('aefi.outcome')}
            data={AEFI_OUTCOMES.map((s) => ({ value: s, label: codeLabel(vt, 'aefiOutcome', s) }))}
            value={outcome}
            onChange={setOutcome}
            allowDeselect={false}
          />
          <TextInput
            label={vt('aefi.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <ErrorAlert error={save.error} />
          <Button
            onClick={() => save.mutate()}
            loading={save.isPending}
            disabled={!onsetIso || !symptoms.trim()}
          >
            {vt('aefi.save')}
          </Button>
        </Stack>
      )}
    </Modal>
  );
}
