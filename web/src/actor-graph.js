// The actor graph page (/ui/actors/{id}/graph): draws the neighbourhood served as Cytoscape.js
// elements by /ui/actors/{id}/graph.json. The page's table lists the same links, so nothing is
// lost when this script does not run; this file only draws.

import cytoscape from 'cytoscape';

// Relations read from a source are arrows; co-occurrences and shared UCDP ids are plain lines.
const STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 11,
      'text-wrap': 'wrap',
      'text-max-width': 120,
      'background-color': '#5b7083',
      width: 18,
      height: 18,
    },
  },
  { selector: 'node[kind = "person"]', style: { shape: 'ellipse', 'background-color': '#b5651d' } },
  { selector: 'node[kind = "armed_group"]', style: { shape: 'round-rectangle', 'background-color': '#a11' } },
  { selector: 'node[kind = "criminal_network"]', style: { shape: 'diamond', 'background-color': '#7a3e9d' } },
  { selector: 'node[kind = "government"]', style: { shape: 'rectangle', 'background-color': '#1d5fa1' } },
  { selector: 'node[?known]', style: { 'border-width': 0 } },
  { selector: 'node[!known]', style: { 'background-color': '#fff', 'border-width': 1, 'border-color': '#777' } },
  { selector: 'node[depth = 0]', style: { width: 28, height: 28, 'font-weight': 'bold' } },
  {
    selector: 'edge',
    style: {
      label: 'data(kind)',
      'font-size': 9,
      'curve-style': 'bezier',
      width: 1.5,
      'line-color': '#888',
      'target-arrow-color': '#888',
      'text-rotation': 'autorotate',
    },
  },
  { selector: 'edge[?directed]', style: { 'target-arrow-shape': 'triangle' } },
  {
    selector: 'edge[kind = "co_occurs"]',
    style: { 'line-style': 'dashed', label: 'data(weight)', width: 'mapData(weight, 1, 20, 1, 6)' },
  },
  { selector: 'edge[kind = "same_ucdp_id"]', style: { 'line-style': 'dotted', label: '' } },
];

function strings() {
  const island = document.getElementById('actor-graph-i18n');
  try {
    return island ? JSON.parse(island.textContent) : {};
  } catch (_) {
    return {};
  }
}

async function draw() {
  const box = document.getElementById('actor-graph');
  if (!box) return;
  // Sized here rather than by a style attribute, which the site's CSP (style-src 'self')
  // refuses; setting properties through the DOM is allowed.
  // Cytoscape.js would add a <style> of its own (position: relative on its container), which
  // the site's Content-Security-Policy refuses. It skips that when an element with its
  // stylesheet's id exists: give it a marker (the container's position is set below).
  if (!document.getElementById('__________cytoscape_stylesheet')) {
    const marker = document.createElement('meta');
    marker.id = '__________cytoscape_stylesheet';
    document.head.appendChild(marker);
  }
  box.style.height = '32rem';
  box.style.border = '1px solid #ccc';
  box.style.borderRadius = '6px';
  // Cytoscape.js positions its layers against the container.
  box.style.position = 'relative';
  const status = document.getElementById('actor-graph-status');
  const t = strings();
  if (status) status.textContent = t.loading || '';
  try {
    const resp = await fetch(box.dataset.url, { credentials: 'same-origin' });
    if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
    const doc = await resp.json();
    cytoscape({
      container: box,
      elements: doc.elements,
      style: STYLE,
      // Built-in force-directed layout, seeded by the fixed element order so a reload draws alike.
      layout: { name: 'cose', animate: false, randomize: false, nodeDimensionsIncludeLabels: true },
    });
    if (status) status.textContent = '';
  } catch (e) {
    if (status) status.textContent = t.error || String(e);
  }
}

draw();
