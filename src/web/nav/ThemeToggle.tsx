/** Light / dark, remembered by Mantine's colour scheme manager (localStorage) — issue 16. */
import { ActionIcon, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useNT } from './t.ts';

export function ThemeToggle() {
  const { nt } = useNT();
  const { setColorScheme } = useMantineColorScheme();
  const dark = useComputedColorScheme('light') === 'dark';
  const label = dark ? nt('theme.light') : nt('theme.dark');
  return (
    <ActionIcon
      variant="default"
      size={44}
      radius="md"
      aria-label={label}
      title={label}
      data-testid="theme-toggle"
      onClick={() => setColorScheme(dark ? 'light' : 'dark')}
    >
      <span aria-hidden style={{ fontSize: 20, lineHeight: 1 }}>
        {dark ? '☀' : '☾'}
      </span>
    </ActionIcon>
  );
}
