// End-to-end test of the web application in headless Debian chromium (playwright-core):
// sign in, filter the map and see the markers change, open an incident and characterise it,
// submit the form invalid then valid, read an agreement and its preview, switch the language, sign out.
//
// It drives a real `liaison serve` started by crates/liaison-cli/tests/browser.rs, which
// passes the address and the demo users' password:
//
//   LIAISON_E2E_URL=http://127.0.0.1:PORT LIAISON_E2E_PASSWORD=… \
//   LIAISON_E2E_ARTIFACTS=DIR node web/e2e/app.mjs
//
// Screenshots go to LIAISON_E2E_ARTIFACTS (kept as CI artifacts), with timings.json holding
// the measured first map render and filter changes. Exits 1 at the first failed step, naming it.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const base = process.env.LIAISON_E2E_URL;
const password = process.env.LIAISON_E2E_PASSWORD;
const artifacts = process.env.LIAISON_E2E_ARTIFACTS || 'target/e2e';
const FIRST_RENDER_GOAL_MS = 2000;
const FILTER_GOAL_MS = 300;
if (!base || !password) {
  console.error('LIAISON_E2E_URL and LIAISON_E2E_PASSWORD are required');
  process.exit(2);
}
await mkdir(artifacts, { recursive: true });

const timings = { filters: {} };
let step = 'start';
const log = (msg) => console.log(`e2e: ${msg}`);
function check(cond, what) {
  if (!cond) throw new Error(`${step}: ${what}`);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 800 } });
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
// Refusals (401, 403, 422) are answers the steps expect; a script error or a server failure is not.
page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
page.on('response', (r) => { if (r.status() >= 500 || r.status() === 404) errors.push(`${r.status()} ${r.url()}`); });
const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });

async function signIn(name) {
  await page.goto(`${base}/ui/`);
  check(page.url().includes('/ui/login'), 'an anonymous visit is sent to the sign-in page');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/ui/`);
}

async function mapReady() {
  await page.waitForSelector('#map[data-ready="true"]', { timeout: 15000 });
  return page.$eval('#map', (m) => ({
    shown: Number(m.dataset.shown),
    markers: Number(m.dataset.markers),
    renderMs: Number(m.dataset.renderMs),
  }));
}

/** Changes a filter and waits for the map to redraw; returns the new state. */
async function filter(selector, value, label) {
  const before = await page.$eval('#map', (m) => m.dataset.filterMs + '|' + m.dataset.shown + '|' + m.dataset.markers);
  await page.selectOption(selector, value);
  await page.waitForFunction(
    (b) => { const m = document.querySelector('#map'); return (m.dataset.filterMs + '|' + m.dataset.shown + '|' + m.dataset.markers) !== b; },
    before, { timeout: 5000 },
  ).catch(() => {});
  const state = await page.$eval('#map', (m) => ({ shown: Number(m.dataset.shown), markers: Number(m.dataset.markers), ms: Number(m.dataset.filterMs) }));
  timings.filters[label] = state.ms;
  return state;
}

try {
  step = 'sign in';
  await signIn('demo-analyst');
  log('signed in as demo-analyst');

  step = 'map';
  const first = await mapReady();
  timings.first_render_ms = first.renderMs;
  timings.incidents = first.shown;
  check(first.shown > 4000, `the map shows the demo's incidents (${first.shown})`);
  check(first.markers > 0, 'markers are drawn');
  check(first.renderMs <= FIRST_RENDER_GOAL_MS, `first render ${first.renderMs} ms ≤ ${FIRST_RENDER_GOAL_MS} ms`);
  await shot('map-en');
  const mali = await filter('#f-country', 'MLI', 'country');
  check(mali.shown < first.shown && mali.shown > 0, `filtering on Mali changes the markers (${first.shown} → ${mali.shown})`);
  const battles = await filter('#f-type', 'battle', 'type');
  check(battles.shown < mali.shown, `then on battles (${mali.shown} → ${battles.shown})`);
  // The address is rewritten once the filters settle (a quarter of a second).
  await page.waitForURL(/country=MLI.*type=battle|type=battle.*country=MLI/, { timeout: 3000 }).catch(() => {});
  check(page.url().includes('country=MLI') && page.url().includes('type=battle'), 'the URL keeps the filters');
  await shot('map-filtered');
  await filter('#f-type', '', 'type-reset');
  const zone = await filter('#f-country', '', 'country-reset');
  check(zone.shown === first.shown, 'clearing the filters shows everything again');
  for (const [label, ms] of Object.entries(timings.filters)) {
    check(ms <= FILTER_GOAL_MS, `filter change ${label} took ${ms} ms ≤ ${FILTER_GOAL_MS} ms`);
  }
  log(`map: ${first.shown} incidents, first render ${first.renderMs} ms, filters ${JSON.stringify(timings.filters)} ms`);

  step = 'map layers';
  const zonesLoaded = page.waitForResponse((r) => r.url().includes('/ui/data/zones.json') && r.status() === 200);
  await page.check('#layer-zones');
  await zonesLoaded;
  const hotspotsLoaded = page.waitForResponse((r) => r.url().includes('/ui/data/hotspots.json') && r.status() === 200);
  await page.check('#layer-hotspots');
  const hotspots = await (await hotspotsLoaded).json();
  check(hotspots.hotspots.length > 0, 'the demo data has hotspots');
  await page.waitForTimeout(300);
  check(await page.$eval('#map-status', (e) => e.dataset.state !== 'error'), 'the layers loaded without error');
  await shot('map-layers');
  await page.uncheck('#layer-zones');
  await page.uncheck('#layer-hotspots');
  // The joint command's layers: the scenario's operations (never their objectives), the
  // sectors and notices (possibly none: an empty layer is not an error).
  const opsLoaded = page.waitForResponse((r) => r.url().includes('/ui/map/layers/operations.geojson') && r.status() === 200);
  await page.check('#layer-operations');
  const opsLayer = await (await opsLoaded).json();
  check(opsLayer.features.length >= 3, `the scenario's operations are a layer (${opsLayer.features.length})`);
  check(!JSON.stringify(opsLayer).includes('objective'), 'the operations layer carries no objective');
  for (const name of ['sectors', 'notices']) {
    const loaded = page.waitForResponse((r) => r.url().includes(`/ui/map/layers/${name}.geojson`) && r.status() === 200);
    await page.check(`#layer-${name}`);
    await loaded;
  }
  await page.waitForTimeout(300);
  check(await page.$eval('#map-status', (e) => e.dataset.state !== 'error'), 'the operations layers loaded without error');
  await shot('map-operations');
  for (const name of ['operations', 'sectors', 'notices']) await page.uncheck(`#layer-${name}`);

  step = 'open an incident';
  await page.getByRole('link', { name: 'Incidents', exact: true }).click();
  await page.waitForSelector('#incident-list');
  await page.getByLabel('Words').fill('Aguelhok');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForSelector('#incident-list a');
  const title = (await page.textContent('#incident-list tbody tr a')).trim();
  await page.click('#incident-list tbody tr a');
  await page.waitForSelector('#incident-title');
  check((await page.textContent('#incident-title')).trim() === title, 'the detail shows the incident chosen');
  check(await page.isVisible('#sources'), 'sources with their grades are shown');
  check(await page.isVisible('#versions'), 'versions are shown');
  log(`opened «${title}»`);

  step = 'characterise the incident';
  await page.locator('#readings summary').click();
  await page.selectOption('#r-category', 'insurgency');
  await page.fill('#r-rationale', 'Claimed by an armed group fighting the state for the north');
  await page.fill('#r-term', 'rébellion armée');
  await page.locator('#reading-form button[type="submit"]').click();
  await page.waitForSelector('#reading-list');
  check((await page.textContent('#reading-list')).includes('Insurgency'), "this member's reading is listed");
  await page.locator('#readings').scrollIntoViewIfNeeded();
  await shot('incident');

  step = 'form, invalid';
  await page.getByRole('link', { name: 'New incident' }).click();
  await page.waitForSelector('#f-title');
  await page.fill('#f-lat', '123');
  await page.fill('#f-lon', '-0.04');
  await page.fill('#f-date_start', '2026-11-20');
  await page.fill('#f-date_end', '2026-11-01');
  await page.locator('form button[type="submit"].primary').click();
  await page.waitForSelector('#error-summary');
  check(await page.locator('#f-title[aria-invalid="true"]').count() === 1, 'the empty title is marked invalid');
  check(await page.locator('#f-lat[aria-invalid="true"]').count() === 1, 'the latitude is marked invalid');
  check(await page.locator('#f-date_end[aria-invalid="true"]').count() === 1, 'the end date is marked invalid');
  check((await page.inputValue('#f-lat')) === '123', 'what was typed is kept');
  await shot('form-invalid');

  step = 'form, valid';
  await page.fill('#f-title', 'Attaque contre un poste militaire près de Gao');
  await page.selectOption('#f-sub_type', 'armed_attack');
  await page.fill('#f-lat', '16.27');
  await page.fill('#f-date_end', '2026-11-20');
  await page.fill('#f-place_name', 'Gao');
  await page.fill('#f-fatalities_best', '4');
  await page.locator('form button[type="submit"].primary').click();
  await page.waitForSelector('#incident-title');
  check((await page.textContent('#incident-title')).includes('Gao'), 'the new incident is shown');
  check(page.url().includes('/ui/incidents/'), 'redirected to the incident');
  await shot('form-saved');
  log('form refused the invalid entry, then saved the valid one');

  step = 'sign out';
  await page.locator('#sign-out').click();
  await page.waitForURL(/\/ui\/login/);
  await page.goto(`${base}/ui/`);
  check(page.url().includes('/ui/login'), 'after sign-out the pages need signing in again');

  step = 'agreement';
  await signIn('demo-liaison');
  await page.getByRole('link', { name: 'Agreements' }).click();
  await page.waitForURL(/\/ui\/agreements/);
  const agreementLink = page.locator('main table a[href^="/ui/agreements/"]').first();
  await agreementLink.click();
  await page.waitForSelector('pre.code');
  check((await page.textContent('pre.code')).includes('permit'), 'the Cedar policy is shown');
  await shot('agreement');

  step = 'preview';
  await page.goto(`${base}/ui/agreements/preview?to=NER`);
  const body = await page.textContent('main');
  check(/NER/.test(body), 'the preview names the partner');
  check(await page.locator('main pre.code, main details').count() > 0, 'the preview shows what would leave');
  await shot('preview');
  log('agreement and preview read');

  step = 'alerts';
  await page.goto(`${base}/ui/alerts`);
  check(await page.locator('main table tbody tr').count() > 0, 'the demo\'s watch rules raised alerts');
  await shot('alerts');

  step = 'actor graph';
  await page.goto(`${base}/ui/actors/sahel-2012:aqim/graph`);
  // Cytoscape.js draws on canvases inside the container once the graph's JSON has arrived.
  await page.waitForSelector('#actor-graph canvas', { timeout: 15000 });
  check((await page.textContent('main')).includes('Abdelkarim Targui'), 'the graph lists AQIM\'s links');
  await shot('actor-graph');
  log('alerts and the actor graph shown');

  step = 'language';
  await page.goto(`${base}/ui/`);
  await page.getByRole('link', { name: 'Français' }).click();
  await page.waitForSelector('html[lang="fr"]');
  await mapReady();
  check((await page.textContent('nav')).includes('Carte'), 'the navigation is in French');
  check((await page.textContent('#map-status')).includes('incidents affichés'), 'the map status is in French');
  await shot('map-fr');
  await page.goto(`${base}/ui/stats`);
  await shot('stats-fr');
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForSelector('html[lang="en"]');

  step = 'sign out, liaison';
  await page.locator('#sign-out').click();
  await page.waitForURL(/\/ui\/login/);

  check(errors.length === 0, `no script errors (${errors.join('; ')})`);
  await writeFile(join(artifacts, 'timings.json'), JSON.stringify(timings, null, 2));
  log(`passed; screenshots and timings in ${artifacts}`);
  console.log(JSON.stringify(timings));
} catch (e) {
  await shot('failure').catch(() => {});
  console.error(`e2e FAILED at ${e.message}`);
  await browser.close();
  process.exit(1);
}
await browser.close();
