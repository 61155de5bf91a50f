/**
 * The national domestic health declaration form (tờ khai y tế nội địa): personal block, travel,
 * provinces visited, symptoms, the three exposure questions, vaccination, last test and the
 * commitment. Used by the public page (/khai-bao) and by a checkpoint declaring for someone
 * without a phone ("Khai hộ"). Field errors, the browser's and the server's, appear under the
 * inputs they belong to (the server's `fields[].path`, e.g. `person.communeCode`).
 */
import {
  Alert,
  Autocomplete,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { dateOfInstant } from '../../domain/dates.ts';
import { SYMPTOMS, TRAVEL_MODES, type Symptom } from '../../domain/declaration.ts';
import { ID_TYPES, type IdType, type Sex } from '../../domain/people.ts';
import { ApiError } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import {
  EMPTY_PATH,
  inputDate,
  toDisplayDate,
  UnitCascade,
  useUnits,
  VnDateInput,
  type UnitPath,
} from './components.tsx';
import type { DeclarationBody, NationalQrValue } from './types.ts';

type YesNo = 'yes' | 'no' | null;

/** What the form holds: text as typed, dates as dd/mm/yyyy. */
export interface DeclarationDraft {
  onBehalf: boolean;
  declarant: { fullName: string; phone: string; relation: string };
  person: {
    fullName: string;
    birthDate: string;
    birthYear: string;
    sex: Sex | null;
    idType: IdType | null;
    idNumber: string;
    phone: string;
    nationality: string;
    home: UnitPath;
    street: string;
    workplace: string;
  };
  travel: {
    mode: string | null;
    vehicleNumber: string;
    seat: string;
    date: string;
    from: UnitPath;
    fromPlace: string;
    to: UnitPath;
    toAddress: string;
  };
  visitedProvinces: string[];
  symptoms: Symptom[];
  exposure: { caseContact: YesNo; fromOutbreakArea: YesNo; symptomaticContact: YesNo };
  vaccination: { doses: string; vaccine: string; lastDoseDate: string };
  lastTest: {
    type: 'none' | 'pcr' | 'rapid';
    date: string;
    result: 'negative' | 'positive' | null;
  };
  consent: boolean;
}

export function emptyDraft(destinationProvince: string | null = null): DeclarationDraft {
  return {
    onBehalf: false,
    declarant: { fullName: '', phone: '', relation: '' },
    person: {
      fullName: '',
      birthDate: '',
      birthYear: '',
      sex: null,
      idType: 'cccd',
      idNumber: '',
      phone: '',
      nationality: 'VN',
      home: EMPTY_PATH,
      street: '',
      workplace: '',
    },
    travel: {
      mode: null,
      vehicleNumber: '',
      seat: '',
      date: toDisplayDate(dateOfInstant(Date.now())),
      from: EMPTY_PATH,
      fromPlace: '',
      to: { ...EMPTY_PATH, provinceCode: destinationProvince },
      toAddress: '',
    },
    visitedProvinces: [],
    symptoms: [],
    exposure: { caseContact: null, fromOutbreakArea: null, symptomaticContact: null },
    vaccination: { doses: '0', vaccine: '', lastDoseDate: '' },
    lastTest: { type: 'none', date: '', result: null },
    consent: false,
  };
}

/** A national personal QR (QĐ 1405) fills in name, ID number and birth. */
export function prefillFromNationalQr(d: DeclarationDraft, q: NationalQrValue): DeclarationDraft {
  const idType: IdType = /^\d{12}$/.test(q.idNumber)
    ? 'cccd'
    : /^\d{9}$/.test(q.idNumber)
      ? 'cmnd'
      : /^[A-Z]/.test(q.idNumber)
        ? 'passport'
        : 'other';
  return {
    ...d,
    person: {
      ...d.person,
      fullName: q.name,
      idType,
      idNumber: q.idNumber,
      birthDate: q.birthDate ? toDisplayDate(q.birthDate) : d.person.birthDate,
      birthYear: q.birthYear ? String(q.birthYear) : d.person.birthYear,
    },
  };
}

type Errors = Record<string, string | undefined>;

/** Builds the API body, or the client-side errors (by API path) that stop it. */
export function draftToBody(
  d: DeclarationDraft,
  msg: { required: string; date: string; answer: string },
): { body: DeclarationBody | null; errors: Errors } {
  const errors: Errors = {};
  const req = (path: string, ok: unknown) => {
    if (!ok) errors[path] = msg.required;
  };
  const date = (path: string, text: string, required: boolean) => {
    const v = inputDate(text);
    if (v === undefined) {
      if (required) errors[path] = msg.required;
      return undefined;
    }
    if (v === null) errors[path] = msg.date;
    return v ?? undefined;
  };
  const p = d.person;
  req('person.fullName', p.fullName.trim());
  req('person.sex', p.sex);
  req('person.communeCode', p.home.communeCode);
  const birthDate = date('person.birthDate', p.birthDate, false);
  const birthYear = birthDate ? Number(birthDate.slice(0, 4)) : Number(p.birthYear);
  if (!birthDate && !p.birthYear.trim()) errors['person.birthYear'] = msg.required;
  else if (!Number.isInteger(birthYear) || birthYear < 1900) errors['person.birthYear'] = msg.date;
  req('travel.mode', d.travel.mode);
  req('travel.fromProvinceCode', d.travel.from.provinceCode);
  req('travel.toCommuneCode', d.travel.to.communeCode);
  const travelDate = date('travel.date', d.travel.date, true);
  for (const k of ['caseContact', 'fromOutbreakArea', 'symptomaticContact'] as const) {
    if (!d.exposure[k]) errors[`exposure.${k}`] = msg.answer;
  }
  const doses = Number(d.vaccination.doses);
  const lastDoseDate = date('vaccination.lastDoseDate', d.vaccination.lastDoseDate, doses > 0);
  const testDate =
    d.lastTest.type === 'none' ? undefined : date('lastTest.date', d.lastTest.date, true);
  if (d.lastTest.type !== 'none') req('lastTest.result', d.lastTest.result);
  if (d.onBehalf) {
    req('declarant.fullName', d.declarant.fullName.trim());
    req('declarant.phone', d.declarant.phone.trim());
  }
  if (!d.consent) errors['consent'] = msg.required;
  if (Object.keys(errors).length) return { body: null, errors };

  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  const body: DeclarationBody = {
    person: {
      fullName: p.fullName.trim(),
      birthDate,
      birthYear,
      sex: p.sex!,
      idType: opt(p.idNumber) ? (p.idType ?? undefined) : undefined,
      idNumber: opt(p.idNumber),
      phone: opt(p.phone),
      nationality: opt(p.nationality.toUpperCase()),
      communeCode: p.home.communeCode!,
      street: opt(p.street),
      workplace: opt(p.workplace),
    },
    onBehalf: d.onBehalf,
    declarant: d.onBehalf
      ? {
          fullName: d.declarant.fullName.trim(),
          phone: d.declarant.phone.trim(),
          relation: opt(d.declarant.relation),
        }
      : undefined,
    travel: {
      mode: d.travel.mode!,
      vehicleNumber: opt(d.travel.vehicleNumber),
      seat: opt(d.travel.seat),
      fromProvinceCode: d.travel.from.provinceCode!,
      fromDistrictCode: d.travel.from.districtCode ?? undefined,
      fromCommuneCode: d.travel.from.communeCode ?? undefined,
      fromPlace: opt(d.travel.fromPlace),
      toCommuneCode: d.travel.to.communeCode!,
      toAddress: opt(d.travel.toAddress),
      date: travelDate!,
    },
    visitedProvinces: d.visitedProvinces,
    symptoms: d.symptoms,
    exposure: {
      caseContact: d.exposure.caseContact === 'yes',
      fromOutbreakArea: d.exposure.fromOutbreakArea === 'yes',
      symptomaticContact: d.exposure.symptomaticContact === 'yes',
    },
    vaccination: {
      doses,
      vaccine: doses > 0 ? opt(d.vaccination.vaccine) : undefined,
      lastDoseDate: doses > 0 ? lastDoseDate : undefined,
    },
    lastTest:
      d.lastTest.type !== 'none' && testDate && d.lastTest.result
        ? { type: d.lastTest.type, date: testDate, result: d.lastTest.result }
        : undefined,
    consent: true,
  };
  return { body, errors: {} };
}

/** Field errors of a server answer by path; `prefix` is dropped (`declaration.` in an entry). */
export function serverFieldErrors(error: unknown, prefix = ''): Errors {
  if (!(error instanceof ApiError)) return {};
  const out: Errors = {};
  for (const f of error.fields) {
    const path = prefix && f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path;
    // visitedProvinces.3 → under the multi-select
    const key = path.replace(/^visitedProvinces\.\d+$/, 'visitedProvinces');
    out[key] ??= f.message;
  }
  return out;
}

/** The paths this form shows under an input; the others go to the alert at the top. */
const SHOWN = new Set([
  'person.fullName',
  'person.birthDate',
  'person.birthYear',
  'person.sex',
  'person.idType',
  'person.idNumber',
  'person.phone',
  'person.nationality',
  'person.communeCode',
  'person.street',
  'person.workplace',
  'declarant',
  'declarant.fullName',
  'declarant.phone',
  'declarant.relation',
  'travel.mode',
  'travel.vehicleNumber',
  'travel.seat',
  'travel.fromProvinceCode',
  'travel.fromDistrictCode',
  'travel.fromCommuneCode',
  'travel.fromPlace',
  'travel.toCommuneCode',
  'travel.toAddress',
  'travel.date',
  'visitedProvinces',
  'symptoms',
  'exposure.caseContact',
  'exposure.fromOutbreakArea',
  'exposure.symptomaticContact',
  'vaccination.doses',
  'vaccination.vaccine',
  'vaccination.lastDoseDate',
  'lastTest.type',
  'lastTest.date',
  'lastTest.result',
  'consent',
]);

const VACCINES = [
  'AstraZeneca',
  'Pfizer-BioNTech (Comirnaty)',
  'Moderna (Spikevax)',
  'Sinopharm (Vero Cell)',
  'Sputnik V',
  'Janssen',
  'Abdala',
  'Hayat-Vax',
];

/** Brings the first input with an error into view (after React has drawn it). */
function scrollToFirstError() {
  requestAnimationFrame(() =>
    document
      .querySelector('[aria-invalid="true"], .mantine-InputWrapper-error')
      ?.scrollIntoView({ block: 'center' }),
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p={{ base: 'sm', sm: 'md' }} radius="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function YesNoQuestion({
  label,
  value,
  onChange,
  error,
  testId,
}: {
  label: string;
  value: YesNo;
  onChange: (v: YesNo) => void;
  error?: string;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Radio.Group
      label={label}
      value={value}
      onChange={(v) => onChange(v as YesNo)}
      error={error}
      required
      data-testid={testId}
    >
      <Group mt={6} gap="xl">
        <Radio value="no" label={t('entry.declare.no')} />
        <Radio value="yes" label={t('entry.declare.yes')} />
      </Group>
    </Radio.Group>
  );
}

export function DeclarationForm({
  draft,
  onDraft,
  onSubmit,
  submitting,
  error,
  errorPrefix = '',
  mode,
  submitLabel,
  extraTop,
}: {
  draft: DeclarationDraft;
  onDraft: (d: DeclarationDraft) => void;
  onSubmit: (body: DeclarationBody) => void;
  submitting?: boolean;
  /** The server's answer to the last submit. */
  error?: unknown;
  errorPrefix?: string;
  /** `public`: a traveller (may declare for someone); `checkpoint`: an officer declaring for them. */
  mode: 'public' | 'checkpoint';
  submitLabel: string;
  /** Above the personal block (the "scan the national QR" button). */
  extraTop?: ReactNode;
}) {
  const { t } = useTranslation();
  const [local, setLocal] = useState<Errors>({});
  const [shownServerError, setShownServerError] = useState<unknown>(null);
  const provinces = useUnits(null);
  const server = error && error === shownServerError ? serverFieldErrors(error, errorPrefix) : {};
  const errors: Errors = { ...server, ...local };
  const d = draft;
  const set = (patch: Partial<DeclarationDraft>) => onDraft({ ...d, ...patch });
  const setPerson = (patch: Partial<DeclarationDraft['person']>) =>
    set({ person: { ...d.person, ...patch } });
  const setTravel = (patch: Partial<DeclarationDraft['travel']>) =>
    set({ travel: { ...d.travel, ...patch } });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors: found } = draftToBody(d, {
      required: t('common.required'),
      date: t('common.invalidDate'),
      answer: t('entry.declare.answerRequired'),
    });
    setLocal(found);
    if (!body) {
      scrollToFirstError();
      return;
    }
    setShownServerError(null);
    onSubmit(body);
  };
  // A new server error replaces the previous one (and the browser's checks).
  if (error && error !== shownServerError) {
    setShownServerError(error);
    setLocal({});
  }
  useEffect(() => {
    if (error) scrollToFirstError();
  }, [error]);

  const unshown =
    error instanceof ApiError
      ? error.fields.filter((f) => {
          const path =
            errorPrefix && f.path.startsWith(errorPrefix)
              ? f.path.slice(errorPrefix.length)
              : f.path;
          return !SHOWN.has(path.replace(/^visitedProvinces\.\d+$/, 'visitedProvinces'));
        })
      : [];
  const provinceOptions = (provinces.data ?? []).map((u) => ({ value: u.code, label: u.name }));
  const doses = Number(d.vaccination.doses);

  return (
    <form onSubmit={submit} noValidate data-testid="declaration-form">
      <Stack>
        {!!error &&
          (error instanceof ApiError && error.fields.length > 0 && unshown.length === 0 ? (
            // Every problem is marked under its input: say so rather than list API paths.
            <Alert color="red" variant="light" role="alert" title={t('entry.declare.failed')}>
              {t('entry.declare.fixMarked')}
            </Alert>
          ) : (
            <ErrorAlert
              error={error}
              title={t('entry.declare.failed')}
              showFields={unshown.length > 0}
            />
          ))}
        {mode === 'public' && (
          <Section title={t('entry.declare.whoTitle')}>
            <Switch
              label={t('entry.declare.onBehalf')}
              description={t('entry.declare.onBehalfHint')}
              checked={d.onBehalf}
              onChange={(e) => set({ onBehalf: e.currentTarget.checked })}
            />
            {d.onBehalf && (
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                <TextInput
                  label={t('entry.declare.declarantName')}
                  value={d.declarant.fullName}
                  onChange={(e) =>
                    set({ declarant: { ...d.declarant, fullName: e.currentTarget.value } })
                  }
                  error={errors['declarant.fullName'] ?? errors['declarant']}
                  required
                />
                <TextInput
                  label={t('entry.declare.declarantPhone')}
                  type="tel"
                  inputMode="tel"
                  value={d.declarant.phone}
                  onChange={(e) =>
                    set({ declarant: { ...d.declarant, phone: e.currentTarget.value } })
                  }
                  error={errors['declarant.phone']}
                  required
                />
                <TextInput
                  label={t('entry.declare.declarantRelation')}
                  placeholder={t('entry.declare.declarantRelationHint')}
                  value={d.declarant.relation}
                  onChange={(e) =>
                    set({ declarant: { ...d.declarant, relation: e.currentTarget.value } })
                  }
                  error={errors['declarant.relation']}
                />
              </SimpleGrid>
            )}
          </Section>
        )}

        <Section title={t('entry.declare.personTitle')}>
          {extraTop}
          <TextInput
            label={t('entry.declare.fullName')}
            value={d.person.fullName}
            onChange={(e) => setPerson({ fullName: e.currentTarget.value })}
            error={errors['person.fullName']}
            autoComplete="name"
            required
          />
          <SimpleGrid cols={2} spacing="sm">
            <VnDateInput
              label={t('entry.declare.birthDate')}
              value={d.person.birthDate}
              onChange={(birthDate) => {
                const iso = inputDate(birthDate);
                setPerson({
                  birthDate,
                  birthYear: iso ? iso.slice(0, 4) : d.person.birthYear,
                });
              }}
              error={errors['person.birthDate']}
            />
            <TextInput
              label={t('entry.declare.birthYear')}
              inputMode="numeric"
              maxLength={4}
              value={d.person.birthYear}
              onChange={(e) =>
                setPerson({ birthYear: e.currentTarget.value.replace(/\D/g, '').slice(0, 4) })
              }
              error={errors['person.birthYear']}
              required
            />
          </SimpleGrid>
          <Radio.Group
            label={t('entry.declare.sex')}
            value={d.person.sex}
            onChange={(v) => setPerson({ sex: v as Sex })}
            error={errors['person.sex']}
            required
            data-testid="person-sex"
          >
            <Group mt={6} gap="xl">
              <Radio value="male" label={t('entry.sex.male')} />
              <Radio value="female" label={t('entry.sex.female')} />
              <Radio value="other" label={t('entry.sex.other')} />
            </Group>
          </Radio.Group>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <Radio.Group
              label={t('entry.declare.idType')}
              value={d.person.idType}
              onChange={(v) => setPerson({ idType: v as IdType })}
              error={errors['person.idType']}
            >
              <Group mt={6} gap="md">
                {ID_TYPES.map((k) => (
                  <Radio key={k} value={k} label={t(`entry.idType.${k}`)} />
                ))}
              </Group>
            </Radio.Group>
            <TextInput
              label={t('entry.declare.idNumber')}
              value={d.person.idNumber}
              onChange={(e) => setPerson({ idNumber: e.currentTarget.value })}
              error={errors['person.idNumber']}
              autoCapitalize="characters"
            />
          </SimpleGrid>
          <SimpleGrid cols={2} spacing="sm">
            <TextInput
              label={t('entry.declare.phone')}
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              value={d.person.phone}
              onChange={(e) => setPerson({ phone: e.currentTarget.value })}
              error={errors['person.phone']}
            />
            <TextInput
              label={t('entry.declare.nationality')}
              title={t('entry.declare.nationalityHint')}
              placeholder="VN"
              maxLength={2}
              value={d.person.nationality}
              onChange={(e) => setPerson({ nationality: e.currentTarget.value.toUpperCase() })}
              error={errors['person.nationality']}
            />
          </SimpleGrid>
          <Text fw={600} size="sm" mt="xs">
            {t('entry.declare.homeAddress')}
          </Text>
          <UnitCascade
            value={d.person.home}
            onChange={(home) => setPerson({ home })}
            errors={{ commune: errors['person.communeCode'] }}
            testId="home"
          />
          <TextInput
            label={t('entry.declare.street')}
            value={d.person.street}
            onChange={(e) => setPerson({ street: e.currentTarget.value })}
            error={errors['person.street']}
            autoComplete="street-address"
          />
          <TextInput
            label={t('entry.declare.workplace')}
            value={d.person.workplace}
            onChange={(e) => setPerson({ workplace: e.currentTarget.value })}
            error={errors['person.workplace']}
          />
        </Section>

        <Section title={t('entry.declare.travelTitle')}>
          <Radio.Group
            label={t('entry.declare.mode')}
            value={d.travel.mode}
            onChange={(mode) => setTravel({ mode })}
            error={errors['travel.mode']}
            required
            data-testid="travel-mode"
          >
            <SimpleGrid cols={2} mt={6} spacing="xs">
              {TRAVEL_MODES.map((m) => (
                <Radio key={m} value={m} label={t(`entry.mode.${m}`)} />
              ))}
            </SimpleGrid>
          </Radio.Group>
          <SimpleGrid cols={2} spacing="sm">
            <TextInput
              label={t('entry.declare.vehicleNumber')}
              placeholder={t('entry.declare.vehicleNumberHint')}
              value={d.travel.vehicleNumber}
              onChange={(e) => setTravel({ vehicleNumber: e.currentTarget.value })}
              error={errors['travel.vehicleNumber']}
            />
            <TextInput
              label={t('entry.declare.seat')}
              value={d.travel.seat}
              onChange={(e) => setTravel({ seat: e.currentTarget.value })}
              error={errors['travel.seat']}
            />
          </SimpleGrid>
          <VnDateInput
            label={t('entry.declare.travelDate')}
            value={d.travel.date}
            onChange={(date) => setTravel({ date })}
            error={errors['travel.date']}
            required
            testId="travel-date"
          />
          <Text fw={600} size="sm" mt="xs">
            {t('entry.declare.from')}
          </Text>
          <UnitCascade
            value={d.travel.from}
            onChange={(from) => setTravel({ from })}
            required={1}
            errors={{
              province: errors['travel.fromProvinceCode'],
              district: errors['travel.fromDistrictCode'],
              commune: errors['travel.fromCommuneCode'],
            }}
            labels={{
              province: t('entry.declare.fromProvince'),
            }}
            testId="from"
          />
          <TextInput
            label={t('entry.declare.fromPlace')}
            value={d.travel.fromPlace}
            onChange={(e) => setTravel({ fromPlace: e.currentTarget.value })}
            error={errors['travel.fromPlace']}
          />
          <Text fw={600} size="sm" mt="xs">
            {t('entry.declare.to')}
          </Text>
          <UnitCascade
            value={d.travel.to}
            onChange={(to) => setTravel({ to })}
            errors={{ commune: errors['travel.toCommuneCode'] }}
            labels={{ commune: t('entry.declare.toCommune') }}
            testId="to"
          />
          <TextInput
            label={t('entry.declare.toAddress')}
            value={d.travel.toAddress}
            onChange={(e) => setTravel({ toAddress: e.currentTarget.value })}
            error={errors['travel.toAddress']}
          />
        </Section>

        <Section title={t('entry.declare.healthTitle')}>
          <MultiSelect
            label={t('entry.declare.visited')}
            description={t('entry.declare.visitedHint')}
            placeholder={d.visitedProvinces.length ? undefined : t('entry.unit.pick')}
            data={provinceOptions}
            value={d.visitedProvinces}
            onChange={(visitedProvinces) => set({ visitedProvinces })}
            searchable
            clearable
            error={errors['visitedProvinces']}
            nothingFoundMessage="—"
            data-testid="visited-provinces"
          />
          <Checkbox.Group
            label={t('entry.declare.symptoms')}
            description={t('entry.declare.symptomsHint')}
            value={d.symptoms}
            onChange={(v) => set({ symptoms: v as Symptom[] })}
            error={errors['symptoms']}
          >
            <SimpleGrid cols={2} mt={6} spacing="xs">
              {SYMPTOMS.map((s) => (
                <Checkbox key={s} value={s} label={t(`entry.symptom.${s}`)} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Text fw={600} size="sm" mt="xs">
            {t('entry.declare.exposureIntro')}
          </Text>
          <YesNoQuestion
            label={t('entry.declare.caseContact')}
            value={d.exposure.caseContact}
            onChange={(caseContact) => set({ exposure: { ...d.exposure, caseContact } })}
            error={errors['exposure.caseContact']}
            testId="exposure-caseContact"
          />
          <YesNoQuestion
            label={t('entry.declare.fromOutbreakArea')}
            value={d.exposure.fromOutbreakArea}
            onChange={(fromOutbreakArea) => set({ exposure: { ...d.exposure, fromOutbreakArea } })}
            error={errors['exposure.fromOutbreakArea']}
            testId="exposure-fromOutbreakArea"
          />
          <YesNoQuestion
            label={t('entry.declare.symptomaticContact')}
            value={d.exposure.symptomaticContact}
            onChange={(symptomaticContact) =>
              set({ exposure: { ...d.exposure, symptomaticContact } })
            }
            error={errors['exposure.symptomaticContact']}
            testId="exposure-symptomaticContact"
          />
        </Section>

        <Section title={t('entry.declare.vaccinationTitle')}>
          <Radio.Group
            label={t('entry.declare.doses')}
            value={d.vaccination.doses}
            onChange={(v) => set({ vaccination: { ...d.vaccination, doses: v } })}
            error={errors['vaccination.doses']}
            data-testid="vaccination-doses"
          >
            <Group mt={6} gap="md">
              <Radio value="0" label={t('entry.declare.dose0')} />
              <Radio value="1" label={t('entry.declare.doseN', { n: 1 })} />
              <Radio value="2" label={t('entry.declare.doseN', { n: 2 })} />
              <Radio value="3" label={t('entry.declare.doseN', { n: 3 })} />
            </Group>
          </Radio.Group>
          {doses > 0 && (
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <Autocomplete
                label={t('entry.declare.vaccine')}
                data={VACCINES}
                value={d.vaccination.vaccine}
                onChange={(vaccine) => set({ vaccination: { ...d.vaccination, vaccine } })}
                error={errors['vaccination.vaccine']}
              />
              <VnDateInput
                label={t('entry.declare.lastDoseDate')}
                value={d.vaccination.lastDoseDate}
                onChange={(lastDoseDate) =>
                  set({ vaccination: { ...d.vaccination, lastDoseDate } })
                }
                error={errors['vaccination.lastDoseDate']}
                required
              />
            </SimpleGrid>
          )}
          <Radio.Group
            label={t('entry.declare.lastTest')}
            value={d.lastTest.type}
            onChange={(v) =>
              set({ lastTest: { ...d.lastTest, type: v as 'none' | 'pcr' | 'rapid' } })
            }
            error={errors['lastTest.type']}
            data-testid="last-test"
          >
            <Group mt={6} gap="md">
              <Radio value="none" label={t('entry.declare.testNone')} />
              <Radio value="pcr" label={t('entry.testType.pcr')} />
              <Radio value="rapid" label={t('entry.testType.rapid')} />
            </Group>
          </Radio.Group>
          {d.lastTest.type !== 'none' && (
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <VnDateInput
                label={t('entry.declare.testDate')}
                value={d.lastTest.date}
                onChange={(date) => set({ lastTest: { ...d.lastTest, date } })}
                error={errors['lastTest.date']}
                required
              />
              <Radio.Group
                label={t('entry.declare.testResult')}
                value={d.lastTest.result}
                onChange={(v) =>
                  set({ lastTest: { ...d.lastTest, result: v as 'negative' | 'positive' } })
                }
                error={errors['lastTest.result']}
                required
              >
                <Group mt={6} gap="md">
                  <Radio value="negative" label={t('entry.result.negative')} />
                  <Radio value="positive" label={t('entry.result.positive')} />
                </Group>
              </Radio.Group>
            </SimpleGrid>
          )}
        </Section>

        <Paper withBorder p={{ base: 'sm', sm: 'md' }} radius="md" bg="gray.0">
          <Checkbox
            label={
              mode === 'public' ? t('entry.declare.consent') : t('entry.declare.consentOfficer')
            }
            checked={d.consent}
            onChange={(e) => set({ consent: e.currentTarget.checked })}
            error={errors['consent']}
            data-testid="consent"
          />
        </Paper>
        <Button type="submit" size="lg" fullWidth loading={submitting}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}
