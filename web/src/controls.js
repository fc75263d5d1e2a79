// Map controls around the incident layer: legend, time slider, status line and the
// optional overlays (zones, hotspots, and the joint command's operations, patrol sectors
// and deconfliction notices from layers.js).
//
// The form and the status line are server-rendered; this module only wires them up,
// so the page still shows its filters (and can submit them) without JavaScript.

import * as L from 'leaflet/dist/leaflet-src.esm.js';
import { PALETTE, TYPE_ORDER } from './clusters.js';
import { fetchJson, formatDay, lastDayOfMonth, monthDate, monthOfDay, parseDay } from './data.js';
import { buildAlerts, buildNotices, buildOperations, buildSectors } from './layers.js';

// Legend of the seven incident types, labelled from the page's translations.
export function addLegend(map, i18n) {
  const legend = L.control({ position: 'topright' });
  legend.onAdd = () => {
    const box = L.DomUtil.create('div', 'leaflet-control liaison-legend');
    const title = L.DomUtil.create('div', 'liaison-legend-title', box);
    title.textContent = i18n.t('legend');
    const list = L.DomUtil.create('ul', '', box);
    for (const type of TYPE_ORDER) {
      const item = L.DomUtil.create('li', '', list);
      const swatch = L.DomUtil.create('span', 'liaison-swatch', item);
      swatch.style.backgroundColor = PALETTE[type].fill;
      item.append(document.createTextNode(i18n.typeLabel(type)));
    }
    // Clicks and scrolls on the legend must not pan or zoom the map underneath.
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  legend.addTo(map);
  return legend;
}

export function createStatus(el) {
  return {
    set(text) {
      if (!el) return;
      el.textContent = text;
      el.removeAttribute('data-state');
    },
    // Errors stay visible (and are announced, #map-status is aria-live) rather than
    // leaving an empty map that looks like "no incidents".
    error(text) {
      if (!el) return;
      el.textContent = text;
      el.setAttribute('data-state', 'error');
    },
  };
}

// The time slider steps through months from the first to the last incident month.
// Moving it writes the month's last day into #f-to, so the form (and the URL) stay
// the single source of truth for the filter.
export function createTimeSlider({ slider, label, toInput, data, i18n }) {
  if (!slider) return { syncFromTo() {}, syncToFromSlider() {} };
  const hasData = data.count > 0;
  const first = hasData ? monthOfDay(data.minDay) : 0;
  const last = hasData ? monthOfDay(data.maxDay) : 0;
  slider.min = '0';
  slider.max = String(last - first);
  slider.step = '1';
  slider.disabled = !hasData;

  function showLabel() {
    if (!hasData) {
      if (label) label.textContent = '';
      return;
    }
    const text = i18n.t('slider', { date: i18n.month(monthDate(first + Number(slider.value))) });
    if (label) label.textContent = text;
    slider.setAttribute('aria-valuetext', text);
  }

  // #f-to -> slider position (on load and when the date is typed in).
  function syncFromTo() {
    const to = toInput ? parseDay(toInput.value) : null;
    const month = to === null ? last : Math.min(Math.max(monthOfDay(to), first), last);
    slider.value = String(month - first);
    showLabel();
  }

  // slider position -> #f-to.
  function syncToFromSlider() {
    if (toInput) toInput.value = formatDay(lastDayOfMonth(first + Number(slider.value)));
    showLabel();
  }

  syncFromTo();
  return { syncFromTo, syncToFromSlider };
}

// An overlay that is fetched the first time it is switched on and then kept.
// `build(json)` returns the Leaflet layer; failures are reported, and the next
// toggle retries.
function lazyOverlay({ map, checkbox, url, build, status, i18n, restack }) {
  if (!checkbox || !url) return null;
  let layer = null;
  let loading = null;

  async function ensure() {
    if (layer) return layer;
    if (!loading) {
      loading = fetchJson(url).then(build).then(
        (built) => { layer = built; loading = null; return built; },
        (err) => { loading = null; throw err; },
      );
    }
    return loading;
  }

  async function update() {
    if (!checkbox.checked) {
      if (layer) map.removeLayer(layer);
      return;
    }
    try {
      const l = await ensure();
      // The box may have been unticked while the data was on its way.
      if (checkbox.checked && !map.hasLayer(l)) {
        l.addTo(map);
        restack();
      }
    } catch (err) {
      status.error(i18n.errorText());
      console.error('liaison map:', err);
    }
  }

  checkbox.addEventListener('change', update);
  if (checkbox.checked) update();
  return { get layer() { return layer; } };
}

// The overlays share the interactive canvas with the incidents. Canvas hit-testing
// picks the topmost shape, so keep overlays underneath the markers: zones at the very
// bottom, then sectors, operations, notices, hotspots and alerts just under the markers.
export function addOverlays({
  map, renderer, i18n, status, zonesUrl, hotspotsUrl, zonesBox, hotspotsBox,
  operationsUrl, sectorsUrl, noticesUrl, operationsBox, sectorsBox, noticesBox,
  alertsUrl, alertsBox,
}) {
  let zones = null, hotspots = null, operations = null, sectors = null, notices = null;
  let alerts = null;
  const restack = () => {
    // bringToBack in reverse order: the last one sent back ends up lowest.
    for (const o of [alerts, hotspots, notices, operations, sectors, zones]) {
      if (o && o.layer && map.hasLayer(o.layer)) o.layer.bringToBack();
    }
  };
  const text = (s) => document.createTextNode(s);

  zones = lazyOverlay({
    map, status, i18n, restack, checkbox: zonesBox, url: zonesUrl,
    build: (geojson) => L.geoJSON(geojson, {
      renderer,
      style: { color: '#5b3a8e', weight: 1.5, opacity: 0.9, fillColor: '#8e6cc0', fillOpacity: 0.12 },
      onEachFeature: (feature, layer) => {
        const p = feature.properties || {};
        const name = p.name != null ? String(p.name) : String(p.id || '');
        layer.bindTooltip(() => text(name), { sticky: true });
      },
    }),
  });

  hotspots = lazyOverlay({
    map, status, i18n, restack, checkbox: hotspotsBox, url: hotspotsUrl,
    build: (json) => {
      const group = L.featureGroup();
      for (const h of (json && json.hotspots) || []) {
        const countries = (h.countries || []).join(', ');
        let label = i18n.t('hotspot', { count: h.count, countries });
        if (h.cross_border) label += ` · ${i18n.t('cross_border')}`;
        L.circle([h.lat, h.lon], {
          renderer,
          radius: h.radius_km * 1000,
          color: '#a50f15',
          weight: 2,
          opacity: 0.85,
          dashArray: h.cross_border ? '6 5' : null,
          fillColor: '#de2d26',
          fillOpacity: 0.08,
        }).bindTooltip(() => text(label), { sticky: true }).addTo(group);
      }
      return group;
    },
  });

  const ctx = { renderer, i18n };
  operations = lazyOverlay({
    map, status, i18n, restack, checkbox: operationsBox, url: operationsUrl,
    build: (geojson) => buildOperations(geojson, ctx),
  });
  sectors = lazyOverlay({
    map, status, i18n, restack, checkbox: sectorsBox, url: sectorsUrl,
    build: (geojson) => buildSectors(geojson, ctx),
  });
  notices = lazyOverlay({
    map, status, i18n, restack, checkbox: noticesBox, url: noticesUrl,
    build: (geojson) => buildNotices(geojson, ctx),
  });
  alerts = lazyOverlay({
    map, status, i18n, restack, checkbox: alertsBox, url: alertsUrl,
    build: (geojson) => buildAlerts(geojson, ctx),
  });

  return { restack };
}
