// Small SVG charts for the dashboard: lines (null values break the line) and stacked bars,
// with axes, a legend and a hover read-out. No library.

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 190;
const M = { left: 58, right: 10, top: 8, bottom: 22 };
/** Series colours, in order. */
export const PALETTE = ['#1f6feb', '#e8590c', '#2f9e44', '#ae3ec9', '#d6336c', '#0c8599', '#f08c00', '#5c7cfa', '#868e96'];

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

/** The smallest "nice" number (1, 2, 2.5 or 5 times a power of ten) at or above v. */
function niceCeil(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * Draws `spec` into the figure's `.plot` element, replacing what was there.
 * spec: { kind: 'line' | 'stacked', xs: batch ids, series: [{ name, values }], format: value -> text, empty: text when no data,
 *   integer: true for counts (whole-number ticks) }.
 * The figure gets data-points (number of batches drawn), data-last-batch and data-series for scripts and tests.
 */
export function drawChart(fig, spec) {
  const plot = fig.querySelector('.plot');
  plot.replaceChildren();
  fig.querySelector('.legend')?.remove();
  fig.querySelector('.tooltip')?.remove();
  const xs = spec.xs;
  const n = xs.length;
  fig.dataset.points = String(n);
  fig.dataset.lastBatch = n > 0 ? String(xs[n - 1]) : '';
  fig.dataset.series = String(spec.series.length);
  const width = Math.max(240, Math.round(plot.clientWidth || 520));
  const svg = el('svg', { viewBox: '0 0 ' + width + ' ' + HEIGHT, role: 'img' }, plot);
  const pw = width - M.left - M.right;
  const ph = HEIGHT - M.top - M.bottom;
  if (n === 0 || spec.series.length === 0) {
    el('text', { x: M.left + pw / 2, y: M.top + ph / 2, 'text-anchor': 'middle', class: 'note' }, svg).textContent = spec.empty || 'No batches yet';
    return;
  }
  const stacked = spec.kind === 'stacked';
  let max = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const s of spec.series) {
      const v = s.values[i];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      if (stacked) sum += Math.max(0, v);
      else max = Math.max(max, v);
    }
    if (stacked) max = Math.max(max, sum);
  }
  // Counts (spec.integer) get whole-number ticks: four equal steps of a whole nice number.
  const top = spec.integer ? 4 * Math.max(1, Math.ceil(niceCeil(max / 4))) : niceCeil(max);
  const y = (v) => M.top + ph - (Math.max(0, v) / top) * ph;
  const step = pw / n;
  const cx = (i) => M.left + step * (i + 0.5);
  const axis = el('g', { class: 'axis' }, svg);
  for (let t = 0; t <= 4; t++) {
    const v = (top * t) / 4;
    el('line', { x1: M.left, x2: M.left + pw, y1: y(v), y2: y(v), class: t === 0 ? 'axis-line' : 'grid' }, axis);
    el('text', { x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, axis).textContent = spec.format(v);
  }
  const labelAt = (i, anchor) => {
    el('text', { x: cx(i), y: HEIGHT - 6, 'text-anchor': anchor }, axis).textContent = String(xs[i]);
  };
  labelAt(0, n === 1 ? 'middle' : 'start');
  if (n > 2) labelAt(Math.floor((n - 1) / 2), 'middle');
  if (n > 1) labelAt(n - 1, 'end');
  const colors = spec.series.map((s, k) => s.color || PALETTE[k % PALETTE.length]);
  if (stacked) drawStacked(svg, spec, colors, { n, step, y, M });
  else drawLines(svg, spec, colors, { n, cx, y });
  const legend = document.createElement('div');
  legend.className = 'legend';
  spec.series.forEach((s, k) => {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = colors[k];
    item.append(swatch, s.name);
    legend.appendChild(item);
  });
  fig.appendChild(legend);
  addHover(fig, svg, spec, { n, step, cx, pw, ph, colors });
}

function drawLines(svg, spec, colors, g) {
  spec.series.forEach((s, k) => {
    let d = '';
    let run = 0;
    const singles = [];
    for (let i = 0; i < g.n; i++) {
      const v = s.values[i];
      if (v === null || v === undefined || !Number.isFinite(v)) {
        if (run === 1) singles.push(i - 1);
        run = 0;
        continue;
      }
      d += (run === 0 ? 'M' : 'L') + g.cx(i).toFixed(1) + ' ' + g.y(v).toFixed(1) + ' ';
      run++;
    }
    if (run === 1) singles.push(g.n - 1);
    if (d !== '') el('path', { d, fill: 'none', stroke: colors[k], 'stroke-width': 1.8, 'stroke-linejoin': 'round', class: 'series' }, svg);
    for (const i of singles) el('circle', { cx: g.cx(i), cy: g.y(s.values[i]), r: 2.5, fill: colors[k] }, svg);
  });
}

function drawStacked(svg, spec, colors, g) {
  const gap = g.step > 4 ? Math.min(2, g.step * 0.2) : 0;
  const w = Math.max(0.8, g.step - gap);
  for (let i = 0; i < g.n; i++) {
    let base = 0;
    spec.series.forEach((s, k) => {
      const v = s.values[i];
      if (v === null || v === undefined || !(v > 0)) return;
      const y0 = g.y(base);
      const y1 = g.y(base + v);
      el(
        'rect',
        { x: (g.M.left + g.step * i + gap / 2).toFixed(2), y: y1.toFixed(2), width: w.toFixed(2), height: Math.max(0.5, y0 - y1).toFixed(2), fill: colors[k] },
        svg,
      );
      base += v;
    });
  }
}

function addHover(fig, svg, spec, g) {
  const line = el('line', { x1: 0, x2: 0, y1: M.top, y2: M.top + g.ph, class: 'hover-line', visibility: 'hidden' }, svg);
  const zone = el('rect', { x: M.left, y: M.top, width: g.pw, height: g.ph, fill: 'transparent' }, svg);
  const tip = document.createElement('div');
  tip.className = 'tooltip';
  tip.hidden = true;
  fig.appendChild(tip);
  zone.addEventListener('mousemove', (ev) => {
    const box = svg.getBoundingClientRect();
    const scale = box.width > 0 ? svg.viewBox.baseVal.width / box.width : 1;
    const i = Math.min(g.n - 1, Math.max(0, Math.floor(((ev.clientX - box.left) * scale - M.left) / g.step)));
    line.setAttribute('x1', String(g.cx(i)));
    line.setAttribute('x2', String(g.cx(i)));
    line.setAttribute('visibility', 'visible');
    const rows = ['batch ' + spec.xs[i]];
    spec.series.forEach((s) => {
      const v = s.values[i];
      rows.push(s.name + ': ' + (v === null || v === undefined ? '–' : spec.format(v)));
    });
    tip.replaceChildren(...rows.flatMap((r, k) => (k === 0 ? [r] : [document.createElement('br'), r])));
    tip.hidden = false;
    const figBox = fig.getBoundingClientRect();
    const left = ev.clientX - figBox.left + 12;
    tip.style.left = Math.min(left, figBox.width - tip.offsetWidth - 4) + 'px';
    tip.style.top = ev.clientY - figBox.top + 12 + 'px';
  });
  zone.addEventListener('mouseleave', () => {
    line.setAttribute('visibility', 'hidden');
    tip.hidden = true;
  });
}
