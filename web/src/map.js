// Entry point of the map page bundle (built by web/build.mjs into static/dist/map.js).
//
// The server renders the filter form, the status line and an empty #map whose data-*
// attributes name the JSON to load; this script turns that into a Leaflet map with no
// tile layer (the node runs offline), country boundaries from Natural Earth, clustered
// incidents and client-side filtering. Progress is published as data-* attributes on
// #map (data-ready, data-shown, data-markers, data-render-ms, data-filter-ms) so tests
// and monitoring can read it without hooking into the code.

import 'leaflet/dist/leaflet.css';
import './map.css';
import * as L from 'leaflet/dist/leaflet-src.esm.js';
import { createI18n } from './i18n.js';
import {
  applyQueryToForm, decodeIncidents, extentOf, fetchJson, filterFeatures, filtersToUrl, readFilters,
} from './data.js';
import { addBoundaries } from './boundaries.js';
import { IncidentLayer, LabelCanvas } from './clusters.js';
import { addLegend, addOverlays, createStatus, createTimeSlider } from './controls.js';

// Fallback view when there is nothing to fit: the Sahel, west Atlantic coast to Darfur.
const SAHEL = [[9, -18], [28, 25]];

// Wait until the canvas renderers have painted (Leaflet redraws on the next animation
// frame; our callback is queued after theirs), so timings include the actual drawing.
function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

// Phases of the first render, visible in the browser's performance panel.
function mark(name) {
  if (performance.mark) performance.mark(`liaison-map:${name}`);
}

function createMap(el) {
  // The default renderer draws the interactive layers (incidents, zones, hotspots) and
  // the cluster counts; boundaries get a canvas of their own (boundaries.js).
  const map = L.map(el, {
    preferCanvas: true,
    renderer: new LabelCanvas(),
    minZoom: 2,
    maxZoom: 14,
    zoomSnap: 1,
  });
  map.attributionControl.setPrefix('Leaflet');
  el.classList.add('liaison-map');
  return map;
}

async function boot() {
  const el = document.getElementById('map');
  if (!el) return;
  const form = document.getElementById('map-filters');
  const status = createStatus(document.getElementById('map-status'));
  const i18n = createI18n(document);
  const ds = el.dataset;
  // Start both downloads before anything else; they run in parallel and a failure of
  // one still lets the other show.
  const downloads = Promise.allSettled([
    fetchJson(ds.incidentsUrl),
    ds.boundariesUrl ? fetchJson(ds.boundariesUrl) : Promise.resolve(null),
  ]);

  if (form) applyQueryToForm(form, window.location.search);
  const map = createMap(el);
  addLegend(map, i18n);
  addOverlays({
    map,
    renderer: map.options.renderer,
    i18n,
    status,
    zonesUrl: ds.zonesUrl,
    hotspotsUrl: ds.hotspotsUrl,
    zonesBox: document.getElementById('layer-zones'),
    hotspotsBox: document.getElementById('layer-hotspots'),
    operationsUrl: ds.operationsUrl,
    sectorsUrl: ds.sectorsUrl,
    noticesUrl: ds.noticesUrl,
    operationsBox: document.getElementById('layer-operations'),
    sectorsBox: document.getElementById('layer-sectors'),
    noticesBox: document.getElementById('layer-notices'),
    alertsUrl: ds.alertsUrl,
    alertsBox: document.getElementById('layer-alerts'),
  });

  const [incidentsRes, topoRes] = await downloads;
  mark('fetched');
  // Boundaries need the map's view to know what is near; they are added once it is set.
  let failed = false;
  let addOtherBoundaries = () => {};
  const boundaries = () => {
    if (topoRes.status === 'rejected') {
      failed = true;
      console.error('liaison map: boundaries', topoRes.reason);
    } else if (topoRes.value) {
      try {
        addOtherBoundaries = addBoundaries(map, topoRes.value);
      } catch (err) {
        failed = true;
        console.error('liaison map: boundaries', err);
      }
    }
  };
  if (incidentsRes.status === 'rejected') {
    map.fitBounds(SAHEL);
    boundaries();
    status.error(i18n.errorText());
    el.setAttribute('data-error', 'true');
    console.error('liaison map: incidents', incidentsRes.reason);
    addOtherBoundaries();
    return;
  }

  const data = decodeIncidents(incidentsRes.value || {});
  const layer = new IncidentLayer({
    map,
    renderer: map.options.renderer,
    data,
    i18n,
    urlPrefix: ds.incidentUrlPrefix,
    container: el,
  });
  const slider = createTimeSlider({
    slider: document.getElementById('time-slider'),
    label: document.getElementById('time-slider-label'),
    toInput: document.getElementById('f-to'),
    data,
    i18n,
  });

  // Rebuild the clusters from the rows that pass the filters and publish the counts.
  function show(features) {
    layer.setFeatures(features);
    el.setAttribute('data-shown', String(features.length));
    if (!failed) status.set(i18n.t('shown', { shown: features.length, total: data.count }));
  }
  const currentFilters = () => (form ? readFilters(form) : {});

  // First render: fit the view to what the filters let through (so a shared, filtered
  // link opens on its incidents), else to everything, else to the Sahel. The view must
  // exist before the clusters are drawn.
  mark('decoded');
  const initial = filterFeatures(data, currentFilters());
  const extent = extentOf(initial) || extentOf(data.features);
  map.fitBounds(extent || SAHEL, { padding: [24, 24], maxZoom: 8 });
  boundaries();
  mark('boundaries');
  show(initial);
  mark('clustered');
  map.on('moveend', () => layer.redraw());
  if (failed) status.error(i18n.errorText());

  await afterPaint();
  el.setAttribute('data-render-ms', String(Math.round(performance.now())));
  el.setAttribute('data-ready', 'true');
  // The rest of the world, off screen for now (see boundaries.js).
  setTimeout(addOtherBoundaries, 0);

  if (!form) return;

  // Selects fire both input and change for one edit, and a dragged slider fires many
  // inputs: coalesce them into one refilter per task, timed from the first event.
  let pending = null;
  let started = 0;
  let urlTimer = null;
  form.addEventListener('submit', (e) => e.preventDefault());
  const onFormEvent = (e) => {
    // The overlay checkboxes live in the form too but have their own handlers.
    if (e.target && /^layer-/.test(e.target.id || '')) return;
    if (e.target && e.target.id === 'time-slider') slider.syncToFromSlider();
    else if (e.target && e.target.id === 'f-to') slider.syncFromTo();
    if (pending !== null) return;
    started = performance.now();
    pending = setTimeout(async () => {
      pending = null;
      const t0 = started;
      const filters = currentFilters();
      show(filterFeatures(data, filters));
      // Browsers rate-limit history updates (Safari throws), so a slider drag
      // writes the URL once it settles.
      clearTimeout(urlTimer);
      urlTimer = setTimeout(() => {
        try {
          window.history.replaceState(window.history.state, '', filtersToUrl(window.location.href, filters));
        } catch (err) {
          console.warn('liaison map: could not update the URL', err);
        }
      }, 250);
      await afterPaint();
      el.setAttribute('data-filter-ms', String(Math.round(performance.now() - t0)));
    }, 0);
  };
  form.addEventListener('input', onFormEvent);
  form.addEventListener('change', onFormEvent);
}

function start() {
  boot().catch((err) => {
    // Anything unexpected still ends up in front of the user, not only in the console.
    const statusEl = document.getElementById('map-status');
    if (statusEl) {
      const i18n = createI18n(document);
      statusEl.textContent = i18n.errorText();
      statusEl.setAttribute('data-state', 'error');
    }
    console.error('liaison map:', err);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
