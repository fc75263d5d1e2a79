// Build of the map page bundle, embedded by crates/liaison-web into the binary.
//
// Outputs (crates/liaison-web/static/dist/): map.js (one minified IIFE), map.css
// (Leaflet's CSS + src/map.css), countries-50m.json (Natural Earth 1:50m TopoJSON
// from world-atlas), and actor-graph.js (the actor graph page, with Cytoscape.js). The output must be byte-for-byte reproducible, because it is
// committed and `node build.mjs --check` (CI) rebuilds it into a temp dir and fails on
// any difference: no source maps, no timestamps, no absolute paths, pinned esbuild.

import { build } from 'esbuild';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(here, '../crates/liaison-web/static/dist');
const OUTPUTS = ['map.js', 'map.css', 'countries-50m.json', 'actor-graph.js'];
// Bundled packages, named in the bundle's banner for their licences.
const BUNDLED = ['leaflet', 'supercluster', 'kdbush', 'topojson-client'];
// The actor graph page has its own bundle, so the map page does not carry Cytoscape.js.
const GRAPH_BUNDLED = ['cytoscape'];

async function pkg(name) {
  return JSON.parse(await readFile(join(here, 'node_modules', name, 'package.json'), 'utf8'));
}

async function buildInto(outdir) {
  await mkdir(outdir, { recursive: true });
  const credits = [];
  for (const name of BUNDLED) {
    const p = await pkg(name);
    credits.push(`${name} ${p.version} (${p.license})`);
  }
  const result = await build({
    absWorkingDir: here,
    entryPoints: { map: 'src/map.js' },
    outdir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: false,
    // Licence comments (Leaflet's copyright) kept at the end of the file.
    legalComments: 'eof',
    banner: {
      js: `/*! Liaison map bundle. Includes ${credits.join(', ')}. */`,
      css: '/*! Liaison map styles. Includes Leaflet\'s CSS (BSD-2-Clause). */',
    },
    // Leaflet's CSS names marker/layer-control images we never use (no default
    // markers, no layers control); leave those url()s alone instead of bundling them.
    external: ['*.png', '*.svg'],
    logLevel: 'warning',
    write: false,
  });
  const graphCredits = [];
  for (const name of GRAPH_BUNDLED) {
    const p = await pkg(name);
    graphCredits.push(`${name} ${p.version} (${p.license})`);
  }
  const graph = await build({
    absWorkingDir: here,
    entryPoints: { 'actor-graph': 'src/actor-graph.js' },
    outdir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: false,
    legalComments: 'eof',
    banner: { js: `/*! Liaison actor graph bundle. Includes ${graphCredits.join(', ')}. */` },
    logLevel: 'warning',
    write: false,
  });
  const written = new Set();
  for (const file of [...result.outputFiles, ...graph.outputFiles]) {
    await writeFile(file.path, file.contents);
    written.add(file.path.slice(outdir.length + 1));
  }
  await copyFile(join(here, 'node_modules/world-atlas/countries-50m.json'), join(outdir, 'countries-50m.json'));
  written.add('countries-50m.json');
  for (const name of OUTPUTS) {
    if (!written.has(name)) throw new Error(`build did not produce ${name}`);
  }
  for (const name of written) {
    if (!OUTPUTS.includes(name)) throw new Error(`build produced an unexpected file: ${name}`);
  }
}

async function check() {
  const tmp = await mkdtemp(join(tmpdir(), 'liaison-web-'));
  try {
    await buildInto(tmp);
    const problems = [];
    for (const name of OUTPUTS) {
      const fresh = await readFile(join(tmp, name));
      let committed;
      try {
        committed = await readFile(join(DIST, name));
      } catch (_) {
        problems.push(`${name}: missing from ${DIST}`);
        continue;
      }
      if (!fresh.equals(committed)) problems.push(`${name}: differs from a fresh build`);
    }
    let present = [];
    try {
      present = await readdir(DIST);
    } catch (_) {
      // Reported above as missing files.
    }
    for (const name of present) {
      if (!OUTPUTS.includes(name)) problems.push(`${name}: not produced by the build`);
    }
    if (problems.length) {
      console.error('static/dist is out of date; run scripts/build-web and commit the result:');
      for (const p of problems) console.error(`  ${p}`);
      process.exitCode = 1;
    } else {
      console.log(`static/dist is up to date (${OUTPUTS.join(', ')})`);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args.some((a) => a !== '--check')) {
  console.error('usage: node build.mjs [--check]');
  process.exit(2);
}
if (args.includes('--check')) {
  await check();
} else {
  await buildInto(DIST);
  for (const name of OUTPUTS) {
    const size = (await readFile(join(DIST, name))).length;
    console.log(`${name.padEnd(20)} ${String(size).padStart(8)} bytes`);
  }
}
