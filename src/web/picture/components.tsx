import { Badge, Button, Group, Paper, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { LEVEL_HEX, usePT, type PictureKey } from './t.ts';

/** A level as its colour and number: "Cấp 3 · Cam". */
export function LevelBadge({ level, size = 'md' }: { level: number; size?: 'sm' | 'md' | 'lg' }) {
  const { pt } = usePT();
  return (
    <Badge
      size={size}
      variant="filled"
      color={LEVEL_HEX[level]}
      c={level === 2 ? 'dark' : 'white'}
      data-level={level}
    >
      {pt('levels.level', { level })} · {pt(`levels.colour.${level}` as PictureKey)}
    </Badge>
  );
}

export const pct = (n: number | null | undefined) =>
  n === null || n === undefined
    ? '—'
    : `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(n)} %`;

/** The unit-code form of the picture pages: a province, district or commune code, then "Xem". */
export function UnitCodeForm({
  initial,
  onUnit,
}: {
  initial: string;
  onUnit: (code: string) => void;
}) {
  const { pt } = usePT();
  const [text, setText] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (/^\d{2}(\d|\d{3})?$/.test(text.trim())) onUnit(text.trim());
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit}>
      <Group align="flex-end" wrap="nowrap">
        <TextInput
          label={pt('levels.unit')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value.replace(/\D/g, '').slice(0, 5))}
          inputMode="numeric"
          style={{ flex: 1 }}
        />
        <Button type="submit" h={44}>
          {pt('levels.show')}
        </Button>
      </Group>
    </Paper>
  );
}
