// Incident data and filtering, kept free of Leaflet so it can be reasoned about alone.
//
// The server sends incidents as compact rows with indices into lookup tables
// (see the page contract). We unpack them once into typed arrays so that a filter
// change is a single tight loop over 10,000+ rows, and we prebuild the GeoJSON
// point features supercluster wants so a refilter only picks existing objects.

export const MS_PER_DAY = 86400000;

// Columns of a row in incidents.json, in order.
const ID = 0, LAT = 1, LON = 2, TYPE = 3, COUNTRY = 4, ORIGINATOR = 5, DAY = 6,
  FATALITIES = 7, ZONE_MASK = 8, PLACE = 9;

export function decodeIncidents(json) {
  const rows = Array.isArray(json && json.rows) ? json.rows : [];
  const n = rows.length;
  const data = {
    types: json.types || [],
    countries: json.countries || [],
    originators: json.originators || [],
    zones: json.zones || [],
    count: n,
    ids: new Array(n),
    places: new Array(n),
    lat: new Float64Array(n),
    lon: new Float64Array(n),
    type: new Int16Array(n),
    country: new Int16Array(n),
    originator: new Int16Array(n),
    day: new Int32Array(n),
    // -1 stands for "unknown" so a real count of 0 killed stays distinguishable.
    fatalities: new Int32Array(n),
    // 32-bit mask: the contract sets bit i for zones[i], so at most 32 zones.
    zoneMask: new Int32Array(n),
    features: new Array(n),
    minDay: Infinity,
    maxDay: -Infinity,
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    data.ids[i] = String(r[ID]);
    data.places[i] = r[PLACE] == null ? null : String(r[PLACE]);
    data.lat[i] = r[LAT];
    data.lon[i] = r[LON];
    data.type[i] = r[TYPE];
    data.country[i] = r[COUNTRY];
    data.originator[i] = r[ORIGINATOR];
    data.day[i] = r[DAY];
    data.fatalities[i] = r[FATALITIES] == null ? -1 : r[FATALITIES];
    data.zoneMask[i] = r[ZONE_MASK] | 0;
    if (r[DAY] < data.minDay) data.minDay = r[DAY];
    if (r[DAY] > data.maxDay) data.maxDay = r[DAY];
    // `r` (row index) lets a clicked point find its strings; `t` feeds the
    // cluster colour reducer.
    data.features[i] = {
      type: 'Feature',
      properties: { r: i, t: r[TYPE] },
      geometry: { type: 'Point', coordinates: [r[LON], r[LAT]] },
    };
  }
  return data;
}

// "YYYY-MM-DD" (what <input type=date> gives) to days since the epoch, or null.
export function parseDay(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  return Number.isFinite(ms) ? Math.floor(ms / MS_PER_DAY) : null;
}

export function formatDay(day) {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

// Months are counted as year*12 + month so the slider is a plain integer range.
export function monthOfDay(day) {
  const d = new Date(day * MS_PER_DAY);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export function lastDayOfMonth(month) {
  return Math.floor(Date.UTC(Math.floor(month / 12), (month % 12) + 1, 0) / MS_PER_DAY);
}

export function monthDate(month) {
  return new Date(Date.UTC(Math.floor(month / 12), month % 12, 1));
}

// The filter keys that live in the form and in the query string.
export const FILTER_KEYS = ['from', 'to', 'type', 'country', 'zone', 'originator'];

// Read the current filter values from the form controls (by name, as the server renders them).
export function readFilters(form) {
  const out = {};
  for (const key of FILTER_KEYS) {
    const el = form.elements.namedItem(key);
    out[key] = el && typeof el.value === 'string' ? el.value : '';
  }
  return out;
}

// Apply values from a query string to the form, so a shared link restores the view
// even if the server did not pre-fill it. Select values that have no option are ignored.
export function applyQueryToForm(form, search) {
  const params = new URLSearchParams(search);
  for (const key of FILTER_KEYS) {
    if (!params.has(key)) continue;
    const el = form.elements.namedItem(key);
    if (!el) continue;
    const value = params.get(key);
    if (el.tagName === 'SELECT' && !Array.from(el.options).some((o) => o.value === value)) continue;
    el.value = value;
  }
}

// Keep the address bar in step with the filters so the view can be shared and
// reloaded. Other parameters (e.g. a language switch) are preserved.
export function filtersToUrl(href, filters) {
  const url = new URL(href);
  for (const key of FILTER_KEYS) {
    if (filters[key]) url.searchParams.set(key, filters[key]);
    else url.searchParams.delete(key);
  }
  return url.pathname + url.search + url.hash;
}

// Turn form values into indices against this data set. A value the data does not
// know (a country with no incident) maps to -2 so that it matches nothing.
function compile(data, f) {
  const index = (list, value) => {
    if (!value) return -1;
    const i = list.indexOf(value);
    return i === -1 ? -2 : i;
  };
  const zone = index(data.zones, f.zone);
  return {
    from: parseDay(f.from),
    to: parseDay(f.to),
    type: index(data.types, f.type),
    country: index(data.countries, f.country),
    originator: index(data.originators, f.originator),
    // Bits beyond 31 cannot be represented in the mask; treat them as unknown.
    zoneBit: zone === -1 ? 0 : zone >= 0 && zone < 32 ? 1 << zone : -2,
  };
}

// Returns the features of the rows that pass every filter.
export function filterFeatures(data, filters) {
  const c = compile(data, filters);
  const out = [];
  if (c.type === -2 || c.country === -2 || c.originator === -2 || c.zoneBit === -2) return out;
  const from = c.from === null ? -Infinity : c.from;
  const to = c.to === null ? Infinity : c.to;
  const { type, country, originator, day, zoneMask, features } = data;
  for (let i = 0, n = data.count; i < n; i++) {
    const d = day[i];
    if (d < from || d > to) continue;
    if (c.type >= 0 && type[i] !== c.type) continue;
    if (c.country >= 0 && country[i] !== c.country) continue;
    if (c.originator >= 0 && originator[i] !== c.originator) continue;
    if (c.zoneBit !== 0 && (zoneMask[i] & c.zoneBit) === 0) continue;
    out.push(features[i]);
  }
  return out;
}

// [[south, west], [north, east]] of a set of features, or null when empty.
export function extentOf(features) {
  if (!features.length) return null;
  let s = Infinity, w = Infinity, n = -Infinity, e = -Infinity;
  for (const f of features) {
    const [lon, lat] = f.geometry.coordinates;
    if (lat < s) s = lat;
    if (lat > n) n = lat;
    if (lon < w) w = lon;
    if (lon > e) e = lon;
  }
  return [[s, w], [n, e]];
}

// Fetch JSON the way the page expects (session cookie, no cache tricks) and fail
// loudly on HTTP errors, which fetch itself does not treat as failures.
export async function fetchJson(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}
