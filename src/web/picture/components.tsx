import { Badge } from '@mantine/core';
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
