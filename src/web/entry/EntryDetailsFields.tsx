/** The details of a passage: direction, vehicle, companions, rapid test, destination, paper book. */
import {
  Alert,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth.tsx';
import { VEHICLE_TYPES, type Details } from './checkpoint-model.ts';
import { EMPTY_PATH, UnitCascade } from './components.tsx';
import { noPastRecord, PastRecordFields } from './PastRecord.tsx';

export function EntryDetailsFields({
  details,
  onChange: setDetails,
  lodging,
  fieldError,
}: {
  details: Details;
  onChange: (d: Details) => void;
  lodging: boolean;
  fieldError: (path: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const dirOptions = (['in', 'out'] as const).map((value) => ({
    value,
    label: t(
      lodging
        ? value === 'in'
          ? 'entry.checkpoint.checkIn'
          : 'entry.checkpoint.checkOut'
        : value === 'in'
          ? 'entry.checkpoint.in'
          : 'entry.checkpoint.out',
    ),
  }));
  return (
    <>
      <SegmentedControl
        fullWidth
        size="md"
        value={details.direction}
        onChange={(v) => setDetails({ ...details, direction: v as 'in' | 'out' })}
        data={dirOptions}
        aria-label={t('entry.checkpoint.direction')}
        data-testid="direction"
      />
      {!lodging && (
        <Group grow align="flex-start" gap="xs">
          <TextInput
            label={t('entry.checkpoint.plate')}
            placeholder="27A-123.45"
            value={details.plate}
            onChange={(e) => setDetails({ ...details, plate: e.currentTarget.value.toUpperCase() })}
            error={fieldError('vehicle.plate')}
            autoCapitalize="characters"
            autoComplete="off"
          />
          <Select
            label={t('entry.checkpoint.vehicleType')}
            placeholder={t('entry.unit.pick')}
            data={VEHICLE_TYPES.map((v) => ({
              value: v,
              label: t(`entry.vehicle.${v}`),
            }))}
            value={details.vehicleType}
            onChange={(vehicleType) => setDetails({ ...details, vehicleType })}
            clearable
          />
        </Group>
      )}
      <NumberInput
        label={lodging ? t('entry.checkpoint.guests') : t('entry.checkpoint.companions')}
        min={0}
        max={100}
        value={details.companions}
        onChange={(v) => setDetails({ ...details, companions: Number(v) || 0 })}
        error={fieldError('companions')}
        allowDecimal={false}
        allowNegative={false}
      />
      {!lodging && details.direction === 'in' && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('entry.checkpoint.rapidTest')}
          </Text>
          <SegmentedControl
            fullWidth
            value={details.rapidTest}
            onChange={(v) => setDetails({ ...details, rapidTest: v as Details['rapidTest'] })}
            data={[
              { value: 'none', label: t('entry.checkpoint.noTest') },
              { value: 'negative', label: t('entry.result.negative') },
              { value: 'positive', label: t('entry.result.positive') },
            ]}
            color={
              details.rapidTest === 'positive'
                ? 'red'
                : details.rapidTest === 'negative'
                  ? 'teal'
                  : undefined
            }
            aria-label={t('entry.checkpoint.rapidTest')}
          />
        </Stack>
      )}
      {!lodging && (
        <>
          <Switch
            label={t('entry.checkpoint.otherDestination')}
            checked={details.otherDestination}
            onChange={(e) => setDetails({ ...details, otherDestination: e.currentTarget.checked })}
          />
          {details.otherDestination && (
            <>
              <UnitCascade
                value={
                  details.destination.provinceCode
                    ? details.destination
                    : { ...EMPTY_PATH, provinceCode: me.scope.provinceCode }
                }
                onChange={(destination) => setDetails({ ...details, destination })}
                errors={{ commune: fieldError('destination.communeCode') }}
              />
              <TextInput
                label={t('entry.declare.toAddress')}
                value={details.destinationAddress}
                onChange={(e) =>
                  setDetails({ ...details, destinationAddress: e.currentTarget.value })
                }
              />
            </>
          )}
        </>
      )}
      <PastRecordFields
        value={details.past ?? noPastRecord()}
        onChange={(past) => setDetails({ ...details, past })}
        errors={{
          at: fieldError('at') ?? undefined,
          backdateReason: fieldError('backdateReason') ?? undefined,
        }}
      />
      {fieldError('at') && !details.past?.on && (
        <Alert color="red" variant="light" p="xs">
          {fieldError('at')}
        </Alert>
      )}
    </>
  );
}
