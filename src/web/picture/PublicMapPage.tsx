/**
 * /ban-do — the public map (no login): districts of the home province coloured by their
 * published level, drawn from the boundaries without a tile server (Leaflet), and every
 * commune's level, new cases (small counts suppressed) and coverage. Aggregates only.
 */
import { Anchor, Container, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import { api } from '../api.ts';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { formatDate } from '../format.ts';
import { LevelBadge, pct } from './components.tsx';
import { LEVEL_HEX, usePT } from './t.ts';

interface MapUnit {
  code: string;
  name: string;
  districtCode: string | null;
  level: number;
  cases7d: number | string;
  cov18OneDose: number | null;
}
interface PublicMap {
  province: MapUnit | null;
  weekEnd: string | null;
  from: string | null;
  districts: MapUnit[];
  communes: MapUnit[];
}
type Geo = GeoJSON.FeatureCollection & { licence: string };

function LevelMap({ geo, districts }: { geo: Geo; districts: MapUnit[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const level = new Map(districts.map((d) => [d.code, d]));
    const map = L.map(ref.current, { zoomControl: true, attributionControl: true });
    const layer = L.geoJSON(geo, {
      style: (f) => ({
        color: '#fff',
        weight: 1.5,
        fillOpacity: 0.8,
        fillColor: LEVEL_HEX[level.get(String(f?.properties?.code))?.level ?? 0] ?? '#ced4da',
      }),
      onEachFeature: (f, l) => {
        const d = level.get(String(f.properties?.code));
        l.bindTooltip(`${f.properties?.name}${d ? ` · ${d.level}` : ''}`);
      },
    }).addTo(map);
    map.attributionControl.addAttribution('Ranh giới: dvhcvn (GPL-3.0), gis.chinhphu.vn');
    map.fitBounds(layer.getBounds());
    return () => void map.remove();
  }, [geo, districts]);
  return (
    <div
      ref={ref}
      data-testid="map"
      style={{ height: 360, background: '#f1f3f5', borderRadius: 4 }}
    />
  );
}

export function PublicMapPage() {
  const { pt } = usePT();
  const map = useQuery({
    queryKey: ['public-map'],
    queryFn: () => api<PublicMap>('/api/v1/public/map'),
  });
  const geo = useQuery({
    queryKey: ['public-geo'],
    queryFn: () => api<Geo>('/api/v1/public/map/boundaries'),
    staleTime: Infinity,
  });
  const m = map.data;
  return (
    <Container size="md" p="sm">
      <Stack>
        <Group justify="space-between">
          <Title order={2}>{pt('map.title')}</Title>
          <LanguageSwitch />
        </Group>
        {(map.isLoading || geo.isLoading) && <Loader size="sm" />}
        {m && !m.weekEnd && <Text>{pt('map.none')}</Text>}
        {m?.weekEnd && (
          <>
            <Text size="sm">
              {m.province?.name} ·{' '}
              {pt('map.week', { from: formatDate(m.from), to: formatDate(m.weekEnd) })}
            </Text>
            {m.province && <LevelBadge level={m.province.level} size="lg" />}
            {geo.data && <LevelMap geo={geo.data} districts={m.districts} />}
            <Group gap="xs">
              {[1, 2, 3, 4].map((l) => (
                <LevelBadge key={l} level={l} size="sm" />
              ))}
            </Group>
            <Paper withBorder>
              <Table striped data-testid="communes">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{pt('levels.unitCol')}</Table.Th>
                    <Table.Th>{pt('nav.levels')}</Table.Th>
                    <Table.Th ta="right">{pt('map.cases')}</Table.Th>
                    <Table.Th ta="right">{pt('levels.cov18')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {m.communes.map((c) => (
                    <Table.Tr key={c.code} data-unit={c.code}>
                      <Table.Td>{c.name}</Table.Td>
                      <Table.Td>
                        <LevelBadge level={c.level} size="sm" />
                      </Table.Td>
                      <Table.Td ta="right">{c.cases7d}</Table.Td>
                      <Table.Td ta="right">{pct(c.cov18OneDose)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          </>
        )}
        <Text size="xs" c="dimmed">
          {pt('map.note')} {pt('levels.denominator')}{' '}
          <Anchor href="https://github.com/daohoangson/dvhcvn" size="xs">
            dvhcvn (GPL-3.0)
          </Anchor>
        </Text>
      </Stack>
    </Container>
  );
}
