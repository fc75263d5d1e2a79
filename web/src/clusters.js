// Incident clusters and points, drawn on a Leaflet canvas.
//
// 10,000 incidents cannot be one DOM element each, and even one canvas path each
// is slow to pan, so points are clustered with supercluster for the current view
// and zoom and only the few hundred visible clusters/points become canvas circles.
// Cluster counts are painted on the same canvas by a small Canvas renderer
// subclass (below) instead of divIcons, which keeps every marker off the DOM.

import * as L from 'leaflet/dist/leaflet-src.esm.js';
import Supercluster from 'supercluster';

// Okabe–Ito palette: distinguishable under the common colour-vision deficiencies.
// `ink` is the label colour that stays readable on that fill.
export const PALETTE = {
  attack: { fill: '#D55E00', ink: '#ffffff' }, // vermillion
  explosion: { fill: '#E69F00', ink: '#000000' }, // orange
  battle: { fill: '#0072B2', ink: '#ffffff' }, // blue
  abduction: { fill: '#CC79A7', ink: '#000000' }, // reddish purple
  interdiction: { fill: '#009E73', ink: '#ffffff' }, // bluish green
  unrest: { fill: '#F0E442', ink: '#000000' }, // yellow
  strategic: { fill: '#56B4E9', ink: '#000000' }, // sky blue
};
export const TYPE_ORDER = Object.keys(PALETTE);
const UNKNOWN = { fill: '#777777', ink: '#ffffff' };

export function colourOf(type) {
  return PALETTE[type] || UNKNOWN;
}

// A canvas renderer that can also write a short label in the middle of a circle.
// Leaflet's own hit-testing, panning and partial redraws keep working because we
// only add to how a circle is painted.
export const LabelCanvas = L.Canvas.extend({
  _updateCircle(layer) {
    L.Canvas.prototype._updateCircle.call(this, layer);
    const label = layer.options.label;
    if (!label || !this._drawing || layer._empty()) return;
    const ctx = this._ctx;
    const p = layer._point;
    ctx.globalAlpha = 1;
    ctx.fillStyle = layer.options.labelColor || '#000';
    ctx.font = `bold ${label.length > 4 ? 10 : 11}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(label, p.x, p.y + 0.5);
  },
});

// Bigger clusters get bigger circles, on a log scale so 10,000 does not swamp 10.
function clusterRadius(count) {
  return 9 + 4.5 * Math.log10(count);
}

export class IncidentLayer {
  // `data` comes from decodeIncidents; `urlPrefix` + encoded id gives the incident page.
  constructor({ map, renderer, data, i18n, urlPrefix, container }) {
    this.map = map;
    this.renderer = renderer;
    this.data = data;
    this.i18n = i18n;
    this.urlPrefix = urlPrefix || '';
    this.container = container;
    this.index = null;
    this.colours = data.types.map(colourOf);
    // Palette slot (index in TYPE_ORDER) of each type index in this data set; 7 = other.
    this.slots = data.types.map((t) => (TYPE_ORDER.indexOf(t) === -1 ? 7 : TYPE_ORDER.indexOf(t)));
    // One FeatureGroup so click/hover are handled once for all markers, rather than
    // binding a popup and a tooltip to each of hundreds of short-lived layers.
    this.group = L.featureGroup().addTo(map);
    this.tooltip = L.tooltip({ direction: 'top', offset: [0, -6], opacity: 0.95 });
    this.group.on('click', (e) => this._onClick(e.layer));
    this.group.on('mouseover', (e) => this._onHover(e.layer));
    this.group.on('mouseout', () => map.closeTooltip(this.tooltip));
  }

  // Rebuild the cluster index from the rows that passed the filters, then redraw.
  setFeatures(features) {
    const slots = this.slots;
    this.index = new Supercluster({
      radius: 50,
      // Leaflet's tiles are 256 px; with supercluster's default 512 extent the radius
      // would be 25 screen pixels.
      extent: 256,
      maxZoom: 12,
      minZoom: Math.max(0, Math.floor(this.map.getMinZoom())),
      // Per-cluster counts by type, so a cluster can take its dominant type's colour.
      // Fixed-shape objects (one field per palette slot, s7 = any other type) keep
      // the reducer monomorphic: it runs ~10,000 times per zoom level on each refilter.
      map: (p) => {
        const o = { s0: 0, s1: 0, s2: 0, s3: 0, s4: 0, s5: 0, s6: 0, s7: 0 };
        switch (slots[p.t]) {
          case 0: o.s0 = 1; break;
          case 1: o.s1 = 1; break;
          case 2: o.s2 = 1; break;
          case 3: o.s3 = 1; break;
          case 4: o.s4 = 1; break;
          case 5: o.s5 = 1; break;
          case 6: o.s6 = 1; break;
          default: o.s7 = 1;
        }
        return o;
      },
      reduce: (a, p) => {
        a.s0 += p.s0; a.s1 += p.s1; a.s2 += p.s2; a.s3 += p.s3;
        a.s4 += p.s4; a.s5 += p.s5; a.s6 += p.s6; a.s7 += p.s7;
      },
    }).load(features);
    this.redraw();
  }

  // Draw the clusters/points for the current view. Called on moveend (which also
  // follows every zoom) and after each refilter.
  redraw() {
    if (!this.index) return;
    const map = this.map;
    this.map.closeTooltip(this.tooltip);
    this.group.clearLayers();
    const b = map.getBounds();
    const bbox = [b.getWest(), Math.max(b.getSouth(), -85), b.getEast(), Math.min(b.getNorth(), 85)];
    const zoom = Math.round(map.getZoom());
    const found = this.index.getClusters(bbox, zoom);
    for (const f of found) {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      let marker;
      if (p.cluster) {
        // Dominant type; ties go to the earlier type in the legend, so colours are stable.
        const counts = [p.s0, p.s1, p.s2, p.s3, p.s4, p.s5, p.s6, p.s7];
        let best = 0;
        for (let k = 1; k < counts.length; k++) if (counts[k] > counts[best]) best = k;
        const c = best < TYPE_ORDER.length ? PALETTE[TYPE_ORDER[best]] : UNKNOWN;
        marker = L.circleMarker([lat, lon], {
          renderer: this.renderer,
          radius: clusterRadius(p.point_count),
          fillColor: c.fill,
          fillOpacity: 0.9,
          // A wide, faint ring of the same colour reads as a halo and widens the hit area.
          color: c.fill,
          opacity: 0.35,
          weight: 6,
          label: this.i18n.number(p.point_count),
          labelColor: c.ink,
        });
        marker.clusterId = p.cluster_id;
        marker.count = p.point_count;
      } else {
        const c = this.colours[p.t] || UNKNOWN;
        marker = L.circleMarker([lat, lon], {
          renderer: this.renderer,
          radius: 5.5,
          fillColor: c.fill,
          fillOpacity: 0.95,
          color: '#ffffff',
          opacity: 1,
          weight: 1.2,
        });
        marker.row = p.r;
      }
      this.group.addLayer(marker);
    }
    if (this.container) this.container.setAttribute('data-markers', String(found.length));
  }

  _onHover(layer) {
    const text = layer.clusterId !== undefined
      ? this.i18n.t('cluster', { count: layer.count })
      : `${this.i18n.typeLabel(this.data.types[this.data.type[layer.row]])} · ${this.i18n.day(this.data.day[layer.row])}`;
    // A text node, never HTML: labels come from translations and data.
    this.tooltip.setLatLng(layer.getLatLng()).setContent(document.createTextNode(text));
    this.map.openTooltip(this.tooltip);
  }

  _onClick(layer) {
    this.map.closeTooltip(this.tooltip);
    if (layer.clusterId !== undefined) {
      const zoom = Math.min(this.index.getClusterExpansionZoom(layer.clusterId), this.map.getMaxZoom());
      this.map.setView(layer.getLatLng(), zoom);
      return;
    }
    L.popup({ maxWidth: 280, className: 'liaison-popup' })
      .setLatLng(layer.getLatLng())
      .setContent(this._popupContent(layer.row))
      .openOn(this.map);
  }

  // Popup built from DOM nodes and textContent: ids and place names are user data.
  _popupContent(row) {
    const d = this.data;
    const i18n = this.i18n;
    const type = d.types[d.type[row]];
    const root = document.createElement('div');
    root.className = 'liaison-popup-body';

    const title = document.createElement('div');
    title.className = 'liaison-popup-type';
    const swatch = document.createElement('span');
    swatch.className = 'liaison-swatch';
    swatch.style.backgroundColor = colourOf(type).fill;
    title.append(swatch, document.createTextNode(i18n.typeLabel(type)));
    root.append(title);

    const line = (cls, text) => {
      const el = document.createElement('div');
      el.className = cls;
      el.textContent = text;
      root.append(el);
    };
    line('liaison-popup-date', i18n.day(d.day[row]));
    if (d.places[row]) line('liaison-popup-place', d.places[row]);
    if (d.fatalities[row] >= 0) line('liaison-popup-fatalities', i18n.t('fatalities', { count: d.fatalities[row] }));

    const link = document.createElement('a');
    link.className = 'liaison-popup-open';
    link.href = this.urlPrefix + encodeURIComponent(d.ids[row]);
    link.textContent = i18n.t('open');
    root.append(link);
    return root;
  }
}
