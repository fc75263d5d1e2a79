// The map's speed on a real node: signs in to a running `liaison serve`, loads the map page
// RUNS times in fresh browser contexts (nothing cached), and each time records the first
// complete render (ms since navigation start, data fetched from the node included) and the
// cost of each filter change, as the page itself measures them (#map data-render-ms and
// data-filter-ms). Run by scripts/bench-web, which makes the node.
//
//   node web/test/app-perf.mjs URL USER PASSWORD [RUNS]
//
// Prints one JSON object: the incidents shown, every run's figures, medians and maxima, and
// whether the goals hold (first render ≤ 2000 ms, every filter change ≤ 300 ms).

import { chromium } from 'playwright-core';

const [base, user, password, runsArg] = process.argv.slice(2);
const RUNS = Number(runsArg || 5);
const FIRST_RENDER_GOAL_MS = 2000;
const FILTER_GOAL_MS = 300;
if (!base || !user || !password) {
  console.error('usage: node web/test/app-perf.mjs URL USER PASSWORD [RUNS]');
  process.exit(2);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const runs = [];
let shown = 0;
for (let r = 0; r < RUNS; r++) {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${base}/ui/login`);
  await page.getByLabel('Name', { exact: true }).fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/ui/`);
  // The measured load: a fresh navigation to the map with the session open.
  await page.goto(`${base}/ui/`);
  await page.waitForSelector('#map[data-ready="true"]', { timeout: 30000 });
  const first = await page.$eval('#map', (m) => ({ ms: Number(m.dataset.renderMs), shown: Number(m.dataset.shown) }));
  shown = first.shown;
  const filters = {};
  const change = async (label, act) => {
    const before = await page.$eval('#map', (m) => `${m.dataset.filterMs}|${m.dataset.shown}|${m.dataset.markers}`);
    await act();
    await page.waitForFunction((b) => {
      const m = document.querySelector('#map');
      return `${m.dataset.filterMs}|${m.dataset.shown}|${m.dataset.markers}` !== b;
    }, before, { timeout: 5000 }).catch(() => {});
    filters[label] = await page.$eval('#map', (m) => Number(m.dataset.filterMs));
  };
  await change('country', () => page.selectOption('#f-country', 'MLI'));
  await change('type', () => page.selectOption('#f-type', 'battle'));
  await change('zone', () => page.selectOption('#f-zone', 'liptako-gourma'));
  await change('originator', () => page.selectOption('#f-originator', { index: 1 }));
  await change('from', () => page.fill('#f-from', '2015-01-01'));
  await change('to', () => page.fill('#f-to', '2020-12-31'));
  await change('slider', async () => {
    const slider = page.locator('#time-slider');
    await slider.focus();
    await page.keyboard.press('Home');
  });
  await change('clear', async () => {
    await page.goto(`${base}/ui/`);
    await page.waitForSelector('#map[data-ready="true"]');
    await page.selectOption('#f-type', 'attack');
  });
  runs.push({ first_render_ms: first.ms, filter_ms: filters });
  await context.close();
}
await browser.close();

const firsts = runs.map((r) => r.first_render_ms);
const allFilters = runs.flatMap((r) => Object.values(r.filter_ms));
const result = {
  incidents: shown,
  runs,
  first_render_ms: { median: median(firsts), max: Math.max(...firsts) },
  filter_ms: { median: median(allFilters), max: Math.max(...allFilters) },
  goals_met: Math.max(...firsts) <= FIRST_RENDER_GOAL_MS && Math.max(...allFilters) <= FILTER_GOAL_MS,
};
console.log(JSON.stringify(result));
process.exit(result.goals_met ? 0 : 1);
