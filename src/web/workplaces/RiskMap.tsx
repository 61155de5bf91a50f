/**
 * The risk map: the area's districts (the public map's boundaries, Leaflet, no tile server)
 * coloured by the highest risk among their workplaces, and a dot per workplace that has
 * coordinates (red: outbreak).
 */
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import { RANK_HEX } from './types.ts';

export interface RiskMapData {
  districts: {
    districtCode: string;
    workplaces: number;
    outbreaks: number;
    worstRank: number;
    overdue: number;
  }[];
  markers: {
    id: string;
    name: string;
    latitude: number;
    longitude: number;
    riskRank: number;
    outbreak: boolean;
  }[];
}
type Geo = GeoJSON.FeatureCollection;

export function RiskMap({
  geo,
  data,
  districtLabel,
}: {
  geo: Geo;
  data: RiskMapData;
  districtLabel: (d: RiskMapData['districts'][number]) => string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const byCode = new Map(data.districts.map((d) => [d.districtCode, d]));
    const map = L.map(ref.current, { zoomControl: true, attributionControl: true });
    const layer = L.geoJSON(geo, {
      style: (f) => {
        const d = byCode.get(String(f?.properties?.code));
        return {
          color: '#fff',
          weight: 1.5,
          fillOpacity: 0.75,
          fillColor: RANK_HEX[d?.worstRank ?? 0],
        };
      },
      onEachFeature: (f, l) => {
        const d = byCode.get(String(f.properties?.code));
        l.bindTooltip(`${f.properties?.name}${d ? ` · ${districtLabel(d)}` : ''}`);
      },
    }).addTo(map);
    map.attributionControl.addAttribution('Ranh giới: dvhcvn (GPL-3.0), gis.chinhphu.vn');
    // the view first: a vector marker cannot be added to a map without one
    if (layer.getLayers().length) map.fitBounds(layer.getBounds());
    else map.setView([21.4, 103.0], 8);
    for (const m of data.markers)
      L.circleMarker([m.latitude, m.longitude], {
        radius: m.outbreak ? 8 : 5,
        color: '#fff',
        weight: 1,
        fillColor: RANK_HEX[m.riskRank],
        fillOpacity: 1,
      })
        .bindTooltip(m.name)
        .addTo(map);
    return () => void map.remove();
  }, [geo, data, districtLabel]);
  return (
    <div
      ref={ref}
      data-testid="risk-map"
      style={{ height: 420, background: '#f1f3f5', borderRadius: 4 }}
    />
  );
}
