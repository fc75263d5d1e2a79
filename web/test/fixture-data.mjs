// Deterministic fixture data for the map page test (web/test/map-perf.mjs).
//
// 10,000 incidents over the Sahel (lon -17..16, lat 10..25), 7 types, 1989–2023,
// in the exact wire shape of /ui/data/incidents.json, plus zones and hotspots. A
// seeded PRNG keeps every run identical, so expected counts are stable. A few rows
// carry HTML in their id/place to catch any innerHTML use in popups.

export const TYPES = ['attack', 'explosion', 'battle', 'abduction', 'interdiction', 'unrest', 'strategic'];
export const COUNTRIES = ['BFA', 'MLI', 'MRT', 'NER', 'NGA', 'SEN', 'TCD'];
export const ZONES = [
  { id: 'liptako-gourma', name: 'Liptako-Gourma', box: [-3, 11.5, 3, 16] },
  { id: 'central-mali', name: 'Central Mali <b>(test)</b>', box: [-6, 13, -2, 16] },
  { id: 'lake-chad', name: 'Lake Chad basin', box: [12, 11, 16, 14.5] },
];

const DAY = 86400000;
const FIRST_DAY = Date.UTC(1989, 0, 1) / DAY;
const LAST_DAY = Date.UTC(2023, 11, 31) / DAY;

// mulberry32: small, fast, good enough for test data.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Rough country bands; only consistency with the filters matters here.
function countryAt(lon, lat) {
  if (lon < -12) return lat < 16.5 ? 'SEN' : 'MRT';
  if (lon < -5) return lat < 15.5 ? 'MLI' : 'MRT';
  if (lon < 0) return lat < 14.5 ? 'BFA' : 'MLI';
  if (lon < 4) return lat < 13 ? 'BFA' : lat < 15.5 ? 'NER' : 'MLI';
  if (lon < 13) return lat < 13 ? 'NGA' : 'NER';
  return lat < 12.5 ? 'NGA' : 'TCD';
}

export function generate(n = 10000, seed = 20240611) {
  const rnd = prng(seed);
  const centres = [[-1.5, 14.2], [-4.2, 14.4], [2.1, 13.5], [13.6, 12.6], [-0.3, 12.4], [6.9, 13.5], [-11.4, 15.3], [15.1, 13.2]];
  const typeWeights = [0.3, 0.12, 0.22, 0.1, 0.06, 0.14, 0.06];
  const pickType = () => {
    let x = rnd();
    for (let i = 0; i < typeWeights.length; i++) {
      x -= typeWeights[i];
      if (x < 0) return i;
    }
    return typeWeights.length - 1;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
  const rows = [];
  for (let i = 0; i < n; i++) {
    let lon, lat;
    if (rnd() < 0.6) {
      const c = centres[Math.floor(rnd() * centres.length)];
      lon = clamp(c[0] + gauss() * 0.9, -17, 16);
      lat = clamp(c[1] + gauss() * 0.7, 10, 25);
    } else {
      lon = -17 + rnd() * 33;
      lat = 10 + rnd() * 15;
    }
    lon = Math.round(lon * 1e4) / 1e4;
    lat = Math.round(lat * 1e4) / 1e4;
    const country = COUNTRIES.indexOf(countryAt(lon, lat));
    const originator = rnd() < 0.8 ? country : Math.floor(rnd() * COUNTRIES.length);
    // Skewed towards recent years, as real conflict data is.
    const day = Math.floor(FIRST_DAY + Math.sqrt(rnd()) * (LAST_DAY - FIRST_DAY + 1));
    const fatalities = rnd() < 0.15 ? null : Math.floor(-Math.log(1 - rnd()) * 6);
    let zoneMask = 0;
    ZONES.forEach((z, bit) => {
      const [w, s, e, no] = z.box;
      if (lon >= w && lon <= e && lat >= s && lat <= no) zoneMask |= 1 << bit;
    });
    const id = i % 997 === 0 ? `inc-${i}/<script>&"x"` : `inc-${String(i).padStart(5, '0')}`;
    const place = rnd() < 0.1 ? null : i % 991 === 0 ? `<img src=x onerror="document.title='XSS'">Town ${i}` : `Village ${i % 1500}`;
    rows.push([id, lat, lon, pickType(), country, originator, day, fatalities, zoneMask, place]);
  }
  return {
    types: TYPES,
    countries: COUNTRIES,
    originators: COUNTRIES,
    zones: ZONES.map((z) => z.id),
    rows,
  };
}

export function zonesGeoJson() {
  return {
    type: 'FeatureCollection',
    features: ZONES.map(({ id, name, box: [w, s, e, n] }) => ({
      type: 'Feature',
      properties: { id, name },
      geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
    })),
  };
}

export function hotspotsJson() {
  return {
    hotspots: [
      { id: 'h1', lat: 14.3, lon: -1.4, count: 812, radius_km: 120, countries: ['BFA', 'MLI'], cross_border: true },
      { id: 'h2', lat: 12.7, lon: 13.7, count: 455, radius_km: 90, countries: ['NGA', 'TCD'], cross_border: true },
      { id: 'h3', lat: 14.4, lon: -4.2, count: 390, radius_km: 80, countries: ['MLI'], cross_border: false },
    ],
  };
}

// Independent reference filter (deliberately not src/data.js) used to compute the
// expected data-shown of each step.
export function expectedCount(data, f) {
  const idx = (list, v) => (v ? list.indexOf(v) : -1);
  const dayOf = (s) => (s ? Date.parse(`${s}T00:00:00Z`) / DAY : null);
  const from = dayOf(f.from), to = dayOf(f.to);
  const type = idx(data.types, f.type), country = idx(data.countries, f.country);
  const originator = idx(data.originators, f.originator), zone = idx(data.zones, f.zone);
  if ((f.type && type < 0) || (f.country && country < 0) || (f.originator && originator < 0) || (f.zone && zone < 0)) return 0;
  let n = 0;
  for (const r of data.rows) {
    if (from !== null && r[6] < from) continue;
    if (to !== null && r[6] > to) continue;
    if (type >= 0 && r[3] !== type) continue;
    if (country >= 0 && r[4] !== country) continue;
    if (originator >= 0 && r[5] !== originator) continue;
    if (zone >= 0 && !(r[8] & (1 << zone))) continue;
    n++;
  }
  return n;
}
