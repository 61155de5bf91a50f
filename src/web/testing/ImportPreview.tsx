/**
 * The first rows of the chosen file as the uploader's spreadsheet shows them, with each column
 * headed by the field it will fill (official names) or "not used" — so a wrong mapping shows
 * before the upload, not in the report after it.
 */
import { ScrollArea, Table, Text } from '@mantine/core';
import type { ImportField } from '../../domain/testing.ts';
import type { FileSample } from './headers.ts';
import { codeLabel, useTT } from './t.ts';

export function ImportPreview({
  sample,
  mapping,
}: {
  sample: FileSample;
  mapping: Partial<Record<ImportField, string>>;
}) {
  const tt = useTT();
  const fieldOf = new Map(
    Object.entries(mapping)
      .filter(([, key]) => key)
      .map(([field, key]) => [key!, field]),
  );
  return (
    <div data-testid="import-preview">
      <Text fw={600} size="sm">
        {tt('imports.preview', { count: sample.rows.length })}
      </Text>
      <ScrollArea type="auto" offsetScrollbars>
        <Table withTableBorder withColumnBorders striped fz="xs" miw={sample.headers.length * 110}>
          <Table.Thead>
            <Table.Tr>
              {sample.headers.map((h) => {
                const f = fieldOf.get(h.key);
                return (
                  <Table.Th key={h.key} data-testid="preview-column">
                    <Text size="xs" fw={700}>
                      {h.label}
                    </Text>
                    <Text size="xs" c={f ? 'teal.8' : 'dimmed'}>
                      {f ? `→ ${codeLabel(tt, 'field', f)}` : tt('imports.unused')}
                    </Text>
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sample.rows.map((r, i) => (
              <Table.Tr key={i}>
                {sample.headers.map((h) => (
                  <Table.Td key={h.key}>{r[h.key]}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </div>
  );
}
