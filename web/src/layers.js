// The joint command's map layers: operations (areas coloured by status), patrol sectors,
// deconfliction notices and open alerts (at their incidents, coloured by state), each a GeoJSON FeatureCollection served by the node
// (/ui/map/layers/*.geojson) and fetched the first time its box is ticked.
//
// The server sends labels already in the page's language (kind, status, dates) and never an
// operation's objective; this module only draws and words the tooltips from the page's
// message templates. An empty collection draws nothing and is not an error.

import * as L from 'leaflet/dist/leaflet-src.esm.js';

// Status -> stroke and fill. Cancelled operations are drawn faint and dashed: still there
// (they were declared) but not forces on the ground.
export const STATUS_STYLE = {
  planned: { color: '#1f5fa8', fillColor: '#4a90d9', fillOpacity: 0.12, dashArray: null },
  active: { color: '#b3261e', fillColor: '#e0574f', fillOpacity: 0.18, dashArray: null },
  completed: { color: '#4d4d4d', fillColor: '#8c8c8c', fillOpacity: 0.1, dashArray: null },
  cancelled: { color: '#9e9e9e', fillColor: '#cfcfcf', fillOpacity: 0.05, dashArray: '4 4' },
};
const UNKNOWN_STATUS = STATUS_STYLE.planned;

const text = (s) => document.createTextNode(s);

function props(feature) {
  return (feature && feature.properties) || {};
}

// The tooltip of an operation: "Operation X of MLI · raid · active · 1 Jan to 3 Jan",
// with the participants when there are any.
export function operationLabel(i18n, p) {
  let label = i18n.t('operation', {
    id: p.id || '', member: p.member || '', kind: p.kind || '', status: p.status_label || p.status || '',
    from: p.from || '', to: p.to || '',
  });
  if (p.participants) label += ` · ${i18n.t('operation_with', { participants: p.participants })}`;
  return label;
}

export function buildOperations(geojson, { renderer, i18n }) {
  return L.geoJSON(geojson && geojson.features ? geojson : { type: 'FeatureCollection', features: [] }, {
    renderer,
    style: (feature) => {
      const s = STATUS_STYLE[props(feature).status] || UNKNOWN_STATUS;
      return { ...s, weight: 2, opacity: 0.9 };
    },
    onEachFeature: (feature, layer) => {
      const p = props(feature);
      const label = operationLabel(i18n, p);
      layer.bindTooltip(() => text(label), { sticky: true });
      // A click opens the operation's row on the operations screen.
      if (p.href) layer.on('click', () => { window.location.assign(p.href); });
    },
  });
}

export function buildSectors(geojson, { renderer, i18n }) {
  return L.geoJSON(geojson && geojson.features ? geojson : { type: 'FeatureCollection', features: [] }, {
    renderer,
    style: { color: '#1b7837', weight: 2, opacity: 0.9, fillColor: '#5aae61', fillOpacity: 0.08, dashArray: '8 4' },
    onEachFeature: (feature, layer) => {
      const p = props(feature);
      const label = i18n.t('sector', { name: p.name || p.id || '', countries: p.countries || '', contacts: Number(p.contacts) || 0 });
      layer.bindTooltip(() => text(label), { sticky: true });
      if (p.href) layer.on('click', () => { window.location.assign(p.href); });
    },
  });
}

export function buildNotices(geojson, { renderer, i18n }) {
  return L.geoJSON(geojson && geojson.features ? geojson : { type: 'FeatureCollection', features: [] }, {
    renderer,
    style: { color: '#b35806', weight: 2, opacity: 0.9, fillColor: '#fdb863', fillOpacity: 0.1, dashArray: '2 4' },
    onEachFeature: (feature, layer) => {
      const p = props(feature);
      let label = i18n.t('notice', {
        declared_by: p.declared_by || '', recipients: p.recipients || '', from: p.from || '', to: p.to || '',
      });
      if (p.kind) label += ` · ${p.kind}`;
      layer.bindTooltip(() => text(label), { sticky: true });
    },
  });
}

// Open alerts at their incidents' points: raised ones red, acknowledged orange, action taken
// yellow (closed alerts are not sent). A click opens the alert.
export const ALERT_STYLE = {
  raised: '#d7191c',
  acknowledged: '#fdae61',
  action_taken: '#e6c619',
};

export function buildAlerts(geojson, { renderer, i18n }) {
  return L.geoJSON(geojson && geojson.features ? geojson : { type: 'FeatureCollection', features: [] }, {
    pointToLayer: (feature, latlng) => {
      const colour = ALERT_STYLE[props(feature).state] || ALERT_STYLE.raised;
      return L.circleMarker(latlng, {
        renderer, radius: 9, color: '#1a1a1a', weight: 2, fillColor: colour, fillOpacity: 0.9,
      });
    },
    onEachFeature: (feature, layer) => {
      const p = props(feature);
      const label = i18n.t('alert', {
        id: p.id != null ? String(p.id) : '', state: p.state_label || p.state || '',
        origin: p.origin || '', incident: p.incident || '', raised: p.raised || '',
      });
      layer.bindTooltip(() => text(label), { sticky: true });
      if (p.href) layer.on('click', () => { window.location.assign(p.href); });
    },
  });
}
