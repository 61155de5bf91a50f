/**
 * The fields of a person record, shared by "Thêm người" and "Sửa thông tin": what the officer
 * types, how it becomes the API's body, and the checks made before sending.
 */
import {
  Fieldset,
  Group,
  MaskInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ID_TYPES, SEXES, type IdType, type Sex } from '../../../domain/people.ts';
import { ApiError, type Me } from '../../api.ts';
import { formatDate, parseDisplayDate } from '../../format.ts';
import { codeLabel, usePT, type PT } from '../t.ts';
import type { Person } from '../types.ts';
import { initialPlace, PlaceSelects, type PlaceValue } from './places.tsx';

export interface PersonFormValues {
  fullName: string;
  /** dd/mm/yyyy as typed */
  birthDate: string;
  birthYear: string;
  sex: Sex | null;
  idType: IdType | null;
  idNumber: string;
  phone: string;
  nationality: string;
  place: PlaceValue;
  street: string;
  workplace: string;
}

export function emptyPersonForm(me: Me): PersonFormValues {
  return {
    fullName: '',
    birthDate: '',
    birthYear: '',
    sex: null,
    idType: 'cccd',
    idNumber: '',
    phone: '',
    nationality: 'VN',
    place: initialPlace(me),
    street: '',
    workplace: '',
  };
}

export function personToForm(p: Person): PersonFormValues {
  return {
    fullName: p.fullName,
    birthDate: p.birthDate ? formatDate(p.birthDate) : '',
    birthYear: p.birthDate ? '' : String(p.birthYear),
    sex: p.sex,
    idType: p.idType,
    idNumber: p.idNumber ?? '',
    phone: p.phone ?? '',
    nationality: p.nationality,
    place: {
      provinceCode: p.address.provinceCode,
      districtCode: p.address.districtCode,
      communeCode: p.address.communeCode,
      villageId: p.address.villageId,
    },
    street: p.address.street ?? '',
    workplace: p.workplace ?? '',
  };
}

/** Errors found before sending, by the API's field paths. */
export function checkPersonForm(v: PersonFormValues, pt: PT, required: string, badDate: string) {
  const out: Record<string, string> = {};
  if (!v.fullName.trim()) out.fullName = required;
  if (!v.sex) out.sex = required;
  if (v.birthDate.trim() && !parseDisplayDate(v.birthDate)) out.birthDate = badDate;
  if (!v.birthDate.trim()) {
    if (!v.birthYear.trim()) out.birthYear = pt('people.missingBirth');
    else if (!/^\d{4}$/.test(v.birthYear.trim())) out.birthYear = pt('people.invalidYear');
  }
  if (v.idType && !v.idNumber.trim()) out.idNumber = required;
  if (!v.place.communeCode) out['address.communeCode'] = required;
  return out;
}

const orNull = (s: string) => s.trim() || null;

export function personCreateBody(v: PersonFormValues, clientId: string) {
  const birthDate = parseDisplayDate(v.birthDate);
  return {
    fullName: v.fullName.trim(),
    ...(birthDate ? { birthDate } : { birthYear: Number(v.birthYear.trim()) }),
    sex: v.sex,
    idType: v.idNumber.trim() ? v.idType : null,
    idNumber: v.idType ? orNull(v.idNumber) : null,
    phone: orNull(v.phone),
    nationality: v.nationality.trim().toUpperCase() || 'VN',
    address: {
      communeCode: v.place.communeCode,
      villageId: v.place.villageId,
      street: orNull(v.street),
    },
    workplace: orNull(v.workplace),
    clientId,
  };
}

/** Only what changed, as PATCH /persons/:id takes it. */
export function personPatchBody(v: PersonFormValues, p: Person) {
  const body: Record<string, unknown> = {};
  const was = personToForm(p);
  if (v.fullName.trim() !== p.fullName) body.fullName = v.fullName.trim();
  if (v.sex !== p.sex) body.sex = v.sex;
  const birthDate = parseDisplayDate(v.birthDate);
  if (birthDate) {
    if (birthDate !== p.birthDate) body.birthDate = birthDate;
  } else if (p.birthDate || v.birthYear.trim() !== was.birthYear) {
    body.birthDate = null;
    body.birthYear = Number(v.birthYear.trim());
  }
  const idType = v.idNumber.trim() ? v.idType : null;
  const idNumber = v.idType ? orNull(v.idNumber) : null;
  if (idType !== p.idType || (idNumber ?? '') !== (p.idNumber ?? '')) {
    body.idType = idType;
    body.idNumber = idNumber;
  }
  if (v.phone.trim() !== was.phone) body.phone = orNull(v.phone);
  const nationality = v.nationality.trim().toUpperCase() || 'VN';
  if (nationality !== p.nationality) body.nationality = nationality;
  if (v.workplace.trim() !== was.workplace) body.workplace = orNull(v.workplace);
  const address: Record<string, unknown> = {};
  if (v.place.communeCode !== p.address.communeCode) address.communeCode = v.place.communeCode;
  if (v.place.villageId !== p.address.villageId) address.villageId = v.place.villageId;
  if (v.street.trim() !== was.street) address.street = orNull(v.street);
  if (Object.keys(address).length) body.address = address;
  return body;
}

/** Paths the form shows beside an input; anything else goes in the alert above it. */
export const PERSON_FORM_PATHS = [
  'fullName',
  'birthDate',
  'birthYear',
  'sex',
  'idType',
  'idNumber',
  'phone',
  'nationality',
  'workplace',
  'address.communeCode',
  'address.villageId',
  'address.street',
];

/** Is every problem of a failed request shown under its input (so no alert is needed)? */
export function besideInputs(error: unknown, unshown: number): boolean {
  return error instanceof ApiError && error.fields.length > 0 && unshown === 0;
}

export function PersonFields({
  value,
  onChange,
  errors,
  dateKey = 0,
}: {
  value: PersonFormValues;
  onChange: (patch: Partial<PersonFormValues>, paths: string[]) => void;
  errors: Record<string, string | undefined>;
  /** Change to reset the (uncontrolled) date input. */
  dateKey?: number;
}) {
  const pt = usePT();
  const { t } = useTranslation();
  const set = (patch: Partial<PersonFormValues>, ...paths: string[]) => onChange(patch, paths);

  return (
    <Stack gap="sm">
      <TextInput
        label={pt('field.fullName')}
        value={value.fullName}
        onChange={(e) => set({ fullName: e.currentTarget.value }, 'fullName')}
        error={errors.fullName}
        autoComplete="off"
        required
        data-autofocus
      />
      <SimpleGrid cols={2} spacing="sm">
        <MaskInput
          key={dateKey}
          label={pt('field.birthDate')}
          mask="99/99/9999"
          placeholder={t('common.dateFormat')}
          inputMode="numeric"
          defaultValue={value.birthDate}
          onChangeRaw={(raw, masked) =>
            set({ birthDate: raw ? masked.replace(/_/g, '') : '' }, 'birthDate', 'birthYear')
          }
          error={errors.birthDate}
        />
        <TextInput
          label={pt('field.birthYear')}
          description={pt('field.birthYearHint')}
          inputMode="numeric"
          maxLength={4}
          value={value.birthYear}
          onChange={(e) =>
            set({ birthYear: e.currentTarget.value.replace(/\D/g, '') }, 'birthYear')
          }
          disabled={!!parseDisplayDate(value.birthDate)}
          error={errors.birthYear}
          inputWrapperOrder={['label', 'input', 'error', 'description']}
        />
      </SimpleGrid>
      <Radio.Group
        label={pt('field.sex')}
        value={value.sex ?? ''}
        onChange={(s) => set({ sex: s as Sex }, 'sex')}
        error={errors.sex}
        required
      >
        <Group gap="lg" mt={6}>
          {SEXES.map((s) => (
            <Radio key={s} value={s} label={codeLabel(pt, 'sex', s)} />
          ))}
        </Group>
      </Radio.Group>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Select
          label={pt('field.idType')}
          data={ID_TYPES.map((k) => ({ value: k, label: codeLabel(pt, 'idTypeLong', k) }))}
          value={value.idType}
          onChange={(k) => set({ idType: (k as IdType | null) ?? null }, 'idType', 'idNumber')}
          placeholder={pt('field.noIdType')}
          clearable
          error={errors.idType}
          data-testid="person-id-type"
        />
        <TextInput
          label={pt('field.idNumber')}
          value={value.idNumber}
          onChange={(e) => set({ idNumber: e.currentTarget.value }, 'idNumber', 'idType')}
          inputMode={value.idType === 'cccd' || value.idType === 'cmnd' ? 'numeric' : 'text'}
          autoCapitalize="characters"
          autoComplete="off"
          disabled={!value.idType}
          error={errors.idNumber}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <TextInput
          label={pt('field.phone')}
          type="tel"
          inputMode="tel"
          value={value.phone}
          onChange={(e) => set({ phone: e.currentTarget.value }, 'phone')}
          error={errors.phone}
          autoComplete="off"
        />
        <TextInput
          label={pt('field.nationality')}
          description={pt('field.nationalityHint')}
          value={value.nationality}
          maxLength={2}
          autoCapitalize="characters"
          onChange={(e) => set({ nationality: e.currentTarget.value.toUpperCase() }, 'nationality')}
          error={errors.nationality}
          inputWrapperOrder={['label', 'input', 'error', 'description']}
        />
      </SimpleGrid>
      <Fieldset legend={pt('field.address')} variant="filled" p="sm">
        <Stack gap="sm">
          <PlaceSelects
            value={value.place}
            onChange={(place) => set({ place }, 'address.communeCode', 'address.villageId')}
            communeError={errors['address.communeCode']}
            villageError={errors['address.villageId']}
            testIdPrefix="address"
            compact
          />
          <TextInput
            label={pt('field.street')}
            value={value.street}
            onChange={(e) => set({ street: e.currentTarget.value }, 'address.street')}
            error={errors['address.street']}
          />
        </Stack>
      </Fieldset>
      <TextInput
        label={pt('field.workplace')}
        value={value.workplace}
        onChange={(e) => set({ workplace: e.currentTarget.value }, 'workplace')}
        error={errors.workplace}
      />
    </Stack>
  );
}
