// Country boundaries (Natural Earth 1:50m, from world-atlas) drawn on their own canvas.
//
// There is no tile layer — the node works offline — so these polygons are the whole
// base map. The 1:50m world is ~80,000 vertices and Leaflet projects every vertex of
// every polygon on each zoom, visible or not; doing that for Russia or Antarctica
// before the first paint of a Sahel view is wasted time. So the countries near the
// initial view are drawn first, and the rest of the world is added just after the
// first render, before anyone can pan there.

import * as L from 'leaflet/dist/leaflet-src.esm.js';
import { feature } from 'topojson-client';

const STYLE = { color: '#8d8d8d', weight: 0.8, opacity: 1, fillColor: '#f5f2ea', fillOpacity: 1 };

// Natural Earth cuts Russia and Fiji at the antimeridian inside one ring, so a ring
// jumps from +180 to -180 and Leaflet would draw that jump as a line across the whole
// world. Making the longitudes continuous (e.g. 179 -> 181) keeps each ring in one
// piece. Rings reaching a pole (Antarctica) really do run along ±180 and are left alone.
function unwrapRing(ring) {
  let jumps = false;
  for (let i = 1; i < ring.length; i++) if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) jumps = true;
  if (!jumps || ring.some((c) => Math.abs(c[1]) > 89)) return ring;
  let shift = 0;
  let prev = ring[0][0];
  return ring.map(([lon, lat]) => {
    const d = lon + shift - prev;
    if (d > 180) shift -= 360;
    else if (d < -180) shift += 360;
    prev = lon + shift;
    return [prev, lat];
  });
}

function unwrap(geometry) {
  if (!geometry) return geometry;
  if (geometry.type === 'Polygon') {
    return { type: 'Polygon', coordinates: geometry.coordinates.map(unwrapRing) };
  }
  if (geometry.type === 'MultiPolygon') {
    return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((poly) => poly.map(unwrapRing)) };
  }
  return geometry;
}

// Bounding box of every arc, read straight from the (delta-encoded, quantised)
// TopoJSON, so countries can be sorted into near/far before converting any of them.
function arcBoxes(topo) {
  const t = topo.transform;
  return topo.arcs.map((arc) => {
    let x = 0, y = 0, w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    for (const p of arc) {
      if (t) { x += p[0]; y += p[1]; } else { x = p[0]; y = p[1]; }
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
    if (!t) return [w, s, e, n];
    const [sx, sy] = t.scale, [tx, ty] = t.translate;
    return [w * sx + tx, s * sy + ty, e * sx + tx, n * sy + ty];
  });
}

function geometryBounds(geometry, boxes) {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const walk = (arcs) => {
    for (const a of arcs) {
      if (Array.isArray(a)) { walk(a); continue; }
      const b = boxes[a < 0 ? ~a : a];
      if (b[0] < w) w = b[0];
      if (b[1] < s) s = b[1];
      if (b[2] > e) e = b[2];
      if (b[3] > n) n = b[3];
    }
  };
  walk(geometry.arcs || []);
  return w === Infinity ? null : L.latLngBounds([s, w], [n, e]);
}

// Adds the boundaries near the map's current view at once; returns a function that
// adds the others (call it once the first render is done).
export function addBoundaries(map, topo) {
  // Non-interactive and in a low pane: the markers' canvas above still gets every
  // click, and redrawing markers never repaints the countries.
  map.createPane('boundaries');
  map.getPane('boundaries').style.zIndex = '250';
  const renderer = L.canvas({ pane: 'boundaries' });
  const boxes = arcBoxes(topo);
  const view = map.getBounds().pad(0.5);
  const near = [], far = [];
  for (const g of topo.objects.countries.geometries) {
    const b = geometryBounds(g, boxes);
    if (b) (view.intersects(b) ? near : far).push(g);
  }
  const layer = (geometries, attribution) => {
    const { features } = feature(topo, { type: 'GeometryCollection', geometries });
    for (const f of features) f.geometry = unwrap(f.geometry);
    return L.geoJSON({ type: 'FeatureCollection', features }, {
      renderer, interactive: false, attribution, style: STYLE,
    }).addTo(map);
  };
  layer(near, 'Natural Earth');
  return () => {
    if (far.length) layer(far, undefined);
  };
}
