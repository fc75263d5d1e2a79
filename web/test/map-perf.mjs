// Browser check of the built map bundle: correctness of the filters and the
// performance goals, in headless Debian chromium driven by playwright-core.
//
// It serves web/test/fixture.html (the server's page contract), the built files in
// crates/liaison-web/static/dist/ and 10,000 generated incidents from a tiny local
// HTTP server, so it tests exactly what would be embedded in the binary. Each filter
// change is checked against counts computed here, independently of the bundle.
//
//   node web/test/map-perf.mjs [--screenshot FILE] [--serve]
//
// Prints {"first_render_ms":…, "filter_ms":[…]} on stdout; exits 1 on a wrong count,
// a page error, or a missed goal (first render > 2000 ms, a filter change > 300 ms).

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { expectedCount, generate, hotspotsJson, zonesGeoJson } from './fixture-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(here, '../../crates/liaison-web/static/dist');
const FIRST_RENDER_GOAL_MS = 2000;
const FILTER_GOAL_MS = 300;

const args = process.argv.slice(2);
const screenshotAt = args.indexOf('--screenshot');
const screenshotPath = screenshotAt >= 0 ? args[screenshotAt + 1] : null;
const serveOnly = args.includes('--serve');

const data = generate();
const bodies = {
  '/ui/data/incidents.json': JSON.stringify(data),
  '/ui/data/zones.json': JSON.stringify(zonesGeoJson()),
  '/ui/data/hotspots.json': JSON.stringify(hotspotsJson()),
};
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.html': 'text/html' };

async function handle(req, res) {
  const path = new URL(req.url, 'http://x').pathname;
  const send = (status, type, body) => {
    res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(body);
  };
  if (path === '/' || path === '/map' || path === '/broken') {
    let html = await readFile(join(here, 'fixture.html'), 'utf8');
    // Same page with a missing incidents URL, to check the visible error.
    if (path === '/broken') html = html.replace('/ui/data/incidents.json', '/ui/data/missing.json');
    return send(200, 'text/html', html);
  }
  if (path === '/favicon.ico') {
    res.writeHead(204);
    return res.end();
  }
  if (bodies[path]) return send(200, 'application/json', bodies[path]);
  if (path.startsWith('/static/dist/')) {
    const file = normalize(join(DIST, path.slice('/static/dist/'.length)));
    if (file.startsWith(DIST + '/')) {
      try {
        return send(200, TYPES[extname(file)] || 'application/octet-stream', await readFile(file));
      } catch (_) {
        // fall through to 404
      }
    }
  }
  return send(404, 'text/plain', 'not found');
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    res.writeHead(500);
    res.end(String(err));
  });
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;
if (serveOnly) {
  console.error(`serving the fixture at ${base}/map (Ctrl-C to stop)`);
  await new Promise(() => {});
}

const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.error(`FAIL: ${msg}`);
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  const attr = (name) => page.getAttribute('#map', name);

  await page.goto(`${base}/map`);
  await page.waitForSelector('#map[data-ready="true"]', { timeout: 20000 });
  const firstRender = Number(await attr('data-render-ms'));
  const total = data.rows.length;
  if (Number(await attr('data-shown')) !== total) fail(`initial data-shown ${await attr('data-shown')} != ${total}`);
  if (!(Number(await attr('data-markers')) > 0)) fail('no markers drawn');
  const status = await page.textContent('#map-status');
  const wantStatus = `${new Intl.NumberFormat('en').format(total)} incidents shown of ${new Intl.NumberFormat('en').format(total)}`;
  if (status !== wantStatus) fail(`status "${status}" != "${wantStatus}"`);

  // The slider's months run from the first to the last incident month.
  const days = data.rows.map((r) => r[6]);
  const monthOf = (d) => {
    const x = new Date(d * 86400000);
    return x.getUTCFullYear() * 12 + x.getUTCMonth();
  };
  const firstMonth = monthOf(Math.min(...days));
  const sliderMonth = 2005 * 12 + 5; // June 2005
  const empty = { from: '', to: '', type: '', country: '', zone: '', originator: '' };
  const ids = { from: 'f-from', to: 'f-to', type: 'f-type', country: 'f-country', zone: 'f-zone', originator: 'f-originator' };

  // Each step sets the whole form state, then fires input+change on one control the way
  // a user edit would; the slider step moves the slider instead and expects #f-to to follow.
  const steps = [
    { name: 'type', set: { type: 'battle' }, on: 'type' },
    { name: 'country', set: { country: 'MLI' }, on: 'country' },
    { name: 'from/to', set: { from: '2010-01-01', to: '2015-12-31' }, on: 'to' },
    { name: 'slider', slider: sliderMonth - firstMonth, expectTo: '2005-06-30' },
    { name: 'zone', set: { zone: 'liptako-gourma' }, on: 'zone' },
    { name: 'originator', set: { originator: 'NER' }, on: 'originator' },
    { name: 'no-match', set: { country: 'GHA' }, on: 'country' },
    // Back to everything, then a near-total set: the costliest rebuilds (10,000 points).
    { name: 'reset', set: {}, on: 'type' },
    { name: 'from-1990', set: { from: '1990-01-01' }, on: 'from' },
    { name: 'combined', set: { type: 'attack', country: 'BFA', from: '2015-01-01', zone: 'liptako-gourma' }, on: 'type' },
  ];
  const filterMs = [];
  let lastState = empty;
  for (const step of steps) {
    const state = { ...empty, ...(step.set || {}) };
    if (step.expectTo) state.to = step.expectTo;
    const want = expectedCount(data, state);
    const t0 = Date.now();
    await page.evaluate(({ step, ids, state }) => {
      document.getElementById('map').removeAttribute('data-filter-ms');
      const fire = (el) => {
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      };
      for (const [key, id] of Object.entries(ids)) {
        if (!step.slider || key !== 'to') document.getElementById(id).value = state[key];
      }
      if (step.slider !== undefined) {
        const slider = document.getElementById('time-slider');
        slider.value = String(step.slider);
        fire(slider);
      } else {
        fire(document.getElementById(ids[step.on]));
      }
    }, { step, ids, state });
    await page.waitForSelector('#map[data-filter-ms]', { timeout: 5000 });
    const wall = Date.now() - t0;
    const ms = Number(await attr('data-filter-ms'));
    const shown = Number(await attr('data-shown'));
    filterMs.push(ms);
    console.error(`${step.name.padEnd(11)} shown ${String(shown).padStart(5)} (expected ${String(want).padStart(5)})  ${ms} ms in page, ${wall} ms round trip`);
    if (shown !== want) fail(`${step.name}: data-shown ${shown} != expected ${want}`);
    if (step.expectTo) {
      const to = await page.inputValue('#f-to');
      if (to !== step.expectTo) fail(`slider: #f-to is "${to}", expected "${step.expectTo}"`);
      const label = await page.textContent('#time-slider-label');
      if (label !== 'Until June 2005') fail(`slider label "${label}" != "Until June 2005"`);
    }
    lastState = state;
  }

  // The URL follows the filters (written once they settle) and reloading it restores them.
  await page.waitForTimeout(400);
  const search = new URL(page.url()).searchParams;
  for (const [key, value] of Object.entries(lastState)) {
    if ((search.get(key) || '') !== value) fail(`URL ${key}="${search.get(key)}", expected "${value}"`);
  }
  await page.reload();
  await page.waitForSelector('#map[data-ready="true"]', { timeout: 20000 });
  const reloaded = Number(await attr('data-shown'));
  if (reloaded !== expectedCount(data, lastState)) fail(`reloaded URL shows ${reloaded}, expected ${expectedCount(data, lastState)}`);
  if ((await page.inputValue('#f-type')) !== lastState.type) fail('reloaded URL did not restore #f-type');

  // Overlays load lazily and must not raise errors.
  await page.goto(`${base}/map`);
  await page.waitForSelector('#map[data-ready="true"]', { timeout: 20000 });
  await page.check('#layer-zones');
  await page.check('#layer-hotspots');
  await page.waitForTimeout(300);
  if ((await page.getAttribute('#map-status', 'data-state')) === 'error') fail('overlay load reported an error');

  if (screenshotPath) {
    await page.screenshot({ path: screenshotPath, fullPage: true });
    console.error(`screenshot: ${screenshotPath}`);
  }

  // A popup: filter down to row 0 (whose id and place carry markup) through the URL.
  // With one incident the view is fitted on it, so it sits at the centre of #map.
  const row = data.rows[0];
  const iso = new Date(row[6] * 86400000).toISOString().slice(0, 10);
  const only = { ...empty, from: iso, to: iso, type: data.types[row[3]], country: data.countries[row[4]] };
  if (expectedCount(data, only) !== 1) fail('fixture: row 0 is not unique under its filter');
  await page.goto(`${base}/map?${new URLSearchParams(only)}`);
  await page.waitForSelector('#map[data-ready="true"]', { timeout: 20000 });
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('.leaflet-popup-content', { timeout: 3000 }).catch(() => fail('clicking the point opened no popup'));
  const popupText = await page.textContent('.leaflet-popup-content').catch(() => '');
  if (!popupText.includes(row[9])) fail(`popup lacks the place as text: "${popupText}"`);
  const href = await page.getAttribute('.leaflet-popup-content a', 'href').catch(() => null);
  if (href !== `/ui/incidents/${encodeURIComponent(row[0])}`) fail(`popup link ${href}`);
  if (screenshotPath) {
    await page.waitForTimeout(400); // let the popup fade in
    const popupShot = screenshotPath.replace(/(\.png)?$/, '-popup.png');
    await page.screenshot({ path: popupShot });
    console.error(`screenshot: ${popupShot}`);
  }
  if (await page.title() === 'XSS') fail('markup in data was executed');
  if (pageErrors.length) fail(`page errors: ${pageErrors.join(' | ')}`);

  // A failed fetch is shown, not swallowed.
  const broken = await browser.newPage();
  broken.on('console', () => {});
  await broken.goto(`${base}/broken`);
  await broken.waitForSelector('#map-status[data-state="error"]', { timeout: 10000 }).catch(() => {});
  const brokenText = await broken.textContent('#map-status');
  if (brokenText !== 'Map data could not be loaded') fail(`broken page status "${brokenText}"`);

  if (firstRender > FIRST_RENDER_GOAL_MS) fail(`first render ${firstRender} ms > ${FIRST_RENDER_GOAL_MS} ms`);
  filterMs.forEach((ms, i) => {
    if (ms > FILTER_GOAL_MS) fail(`${steps[i].name} filter ${ms} ms > ${FILTER_GOAL_MS} ms`);
  });
  console.log(JSON.stringify({ first_render_ms: firstRender, filter_ms: filterMs }));
} finally {
  await browser.close();
  server.close();
}
process.exit(failures.length ? 1 : 0);
