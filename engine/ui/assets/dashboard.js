// The Sluice dashboard page: the query lists and the selected run's charts, kept live by the
// server's event stream (/api/events); the selected run's history comes from /api/queries/:id.
import { drawChart } from './charts.js';
import { fmtBytes, fmtMs, fmtNum, fmtSeconds, fmtSpan, fmtTime } from './format.js';

const PHASES = ['latestOffset', 'walCommit', 'getBatch', 'queryPlanning', 'addBatch', 'commitOffsets'];

const state = {
  runs: new Map(),
  selected: null,
  history: [],
  historySize: 500,
  historyRequest: 0,
  drawPending: false,
  chartsDirty: true,
  // Watermark delay measured from the trigger time (Spark's "global watermark gap") or from the newest event; null: not chosen yet.
  watermarkBase: null,
};

const $ = (id) => document.getElementById(id);

function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  tr.appendChild(td);
  return td;
}

function statusOf(q) {
  if (q.status === 'active' && q.idleSince) return 'idle';
  return q.status;
}

function elapsed(q) {
  const end = q.endedAt ? Date.parse(q.endedAt) : Date.now();
  return end - Date.parse(q.startedAt);
}

function renderLists() {
  const runs = [...state.runs.values()].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  const active = runs.filter((q) => q.status === 'active');
  const finished = runs.filter((q) => q.status !== 'active');
  fillTable('active-queries', active);
  fillTable('finished-queries', finished);
  $('active-count').textContent = String(active.length);
  $('finished-count').textContent = String(finished.length);
  $('active-empty').hidden = active.length > 0;
  $('finished-empty').hidden = finished.length > 0;
  document.body.dataset.activeQueries = String(active.length);
  document.body.dataset.finishedQueries = String(finished.length);
}

function fillTable(id, runs) {
  const body = $(id).querySelector('tbody');
  body.replaceChildren();
  $(id).hidden = runs.length === 0;
  for (const q of runs) {
    const tr = document.createElement('tr');
    tr.dataset.runId = q.runId;
    tr.dataset.queryId = q.id;
    tr.dataset.status = statusOf(q);
    tr.dataset.batches = String(q.numBatches);
    if (q.runId === state.selected) tr.className = 'selected';
    cell(tr, q.name ?? '(unnamed)');
    const badge = document.createElement('span');
    badge.className = 'badge ' + statusOf(q);
    badge.textContent = statusOf(q);
    cell(tr, '').appendChild(badge);
    cell(tr, q.id.slice(0, 8)).title = q.id;
    cell(tr, q.runId.slice(0, 8)).title = q.runId;
    cell(tr, fmtTime(q.startedAt));
    cell(tr, fmtSpan(elapsed(q)), 'num duration');
    const p = q.lastProgress;
    cell(tr, p ? fmtNum(p.inputRowsPerSecond) : '–', 'num');
    cell(tr, p ? fmtNum(p.processedRowsPerSecond) : '–', 'num');
    cell(tr, p ? String(p.batchId) : '–', 'num');
    const err = cell(tr, q.lastError ? q.lastError.message : '', 'err');
    if (q.lastError) err.title = q.lastError.message;
    tr.addEventListener('click', () => {
      location.hash = 'run=' + q.runId;
    });
    body.appendChild(tr);
  }
}

function stat(dl, label, value) {
  const div = document.createElement('div');
  const dt = document.createElement('dt');
  const dd = document.createElement('dd');
  dt.textContent = label;
  dd.textContent = value;
  dd.title = value;
  div.append(dt, dd);
  dl.appendChild(div);
}

function renderDetail() {
  const q = state.runs.get(state.selected);
  const section = $('detail');
  if (!q) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  section.dataset.runId = q.runId;
  section.dataset.status = statusOf(q);
  $('detail-name').textContent = q.name ?? '(unnamed query)';
  const badge = $('detail-status');
  badge.className = 'badge ' + statusOf(q);
  badge.textContent = statusOf(q);
  const h = state.history;
  const p = h[h.length - 1] ?? q.lastProgress;
  const dl = $('detail-stats');
  dl.replaceChildren();
  stat(dl, 'Query id', q.id);
  stat(dl, 'Run id', q.runId);
  stat(dl, 'Started', fmtTime(q.startedAt));
  stat(dl, q.endedAt ? 'Ran for' : 'Running for', fmtSpan(elapsed(q)));
  stat(dl, 'Batches', fmtNum(q.numBatches));
  stat(dl, 'Latest batch', p ? String(p.batchId) : '–');
  stat(dl, 'Input rows/s', p ? fmtNum(p.inputRowsPerSecond) : '–');
  stat(dl, 'Processed rows/s', p ? fmtNum(p.processedRowsPerSecond) : '–');
  stat(dl, 'Batch duration', p ? fmtMs(p.batchDuration) : '–');
  stat(dl, 'Watermark', p?.eventTime?.watermark && Date.parse(p.eventTime.watermark) > 0 ? fmtTime(p.eventTime.watermark) : 'none');
  stat(dl, 'Sink', p ? p.sink.description : '–');
  if (q.idleSince) stat(dl, 'Idle since', fmtTime(q.idleSince));
  $('detail-error').hidden = q.lastError === null;
  $('detail-error-text').textContent = q.lastError ? '[' + q.lastError.code + '] ' + q.lastError.message : '';
  $('detail-plan').textContent = q.plan ?? '(plan not available)';
  const sources = $('detail-sources').querySelector('tbody');
  sources.replaceChildren();
  for (const s of p ? p.sources : []) {
    const tr = document.createElement('tr');
    cell(tr, s.description);
    cell(tr, s.startOffset ?? '–');
    cell(tr, s.endOffset ?? '–');
    cell(tr, s.latestOffset ?? '–');
    cell(tr, fmtNum(s.numInputRows), 'num');
    cell(tr, fmtNum(s.inputRowsPerSecond), 'num');
    sources.appendChild(tr);
  }
  if (state.chartsDirty) {
    state.chartsDirty = false;
    drawCharts();
  }
}

/** Seconds from `later` (ISO) back to the watermark, null when there is no watermark yet. */
function gap(watermark, later) {
  const wm = watermark ? Date.parse(watermark) : 0;
  if (!(wm > 0) || !later) return null;
  return (Date.parse(later) - wm) / 1000;
}

function operatorSeries(h, pick) {
  const width = h.reduce((m, p) => Math.max(m, p.stateOperators.length), 0);
  const out = [];
  for (let k = 0; k < width; k++) {
    const name = h.find((p) => p.stateOperators[k])?.stateOperators[k].operatorName ?? 'operator';
    out.push({ name: '#' + k + ' ' + name, values: h.map((p) => (p.stateOperators[k] ? pick(p.stateOperators[k]) : null)) });
  }
  return out;
}

function drawCharts() {
  const h = state.history;
  const xs = h.map((p) => p.batchId);
  const q = state.runs.get(state.selected);
  const none = q && q.status !== 'active' ? 'No batch completed' : 'No batches yet';
  drawChart($('chart-rates'), {
    kind: 'line',
    xs,
    empty: none,
    format: fmtNum,
    series: [
      { name: 'Input rows/s', values: h.map((p) => p.inputRowsPerSecond) },
      { name: 'Processed rows/s', values: h.map((p) => p.processedRowsPerSecond) },
    ],
  });
  const phases = PHASES.map((k) => ({ name: k, values: h.map((p) => p.durationMs[k]) }));
  phases.push({
    name: 'other',
    values: h.map((p) => Math.max(0, p.durationMs.triggerExecution - PHASES.reduce((s, k) => s + (p.durationMs[k] || 0), 0))),
  });
  drawChart($('chart-durations'), { kind: 'stacked', xs, empty: none, format: (v) => fmtMs(v), series: phases });
  const triggerGaps = h.map((p) => gap(p.eventTime?.watermark, p.timestamp));
  const eventGaps = h.map((p) => gap(p.eventTime?.watermark, p.eventTime?.max));
  const hasWatermark = triggerGaps.some((g) => g !== null);
  if (state.watermarkBase === null && hasWatermark) {
    // Replayed or historical event times lag the wall clock by days; then the gap to the newest event says more.
    const newest = triggerGaps.filter((g) => g !== null).at(-1);
    state.watermarkBase = newest > 86400 ? 'event' : 'trigger';
    $('watermark-base').value = state.watermarkBase;
  }
  const byEvent = state.watermarkBase === 'event';
  drawChart($('chart-watermark'), {
    kind: 'line',
    xs,
    format: fmtSeconds,
    empty: 'No watermark (the query has no withWatermark)',
    series: hasWatermark ? [{ name: byEvent ? 'newest event time − watermark' : 'trigger time − watermark', values: byEvent ? eventGaps : triggerGaps }] : [],
  });
  const stateful = h.some((p) => p.stateOperators.length > 0);
  const noState = h.length === 0 ? none : 'No stateful operators in this query';
  drawChart($('chart-late'), {
    kind: 'stacked',
    xs,
    integer: true,
    format: fmtNum,
    empty: noState,
    series: stateful ? operatorSeries(h, (o) => o.numRowsDroppedByWatermark) : [],
  });
  drawChart($('chart-state-rows'), { kind: 'line', xs, integer: true, format: fmtNum, empty: noState, series: operatorSeries(h, (o) => o.numRowsTotal) });
  drawChart($('chart-state-memory'), { kind: 'line', xs, format: fmtBytes, empty: noState, series: operatorSeries(h, (o) => o.memoryUsedBytes) });
}

function scheduleDraw(charts = true) {
  if (charts) state.chartsDirty = true;
  if (state.drawPending) return;
  state.drawPending = true;
  requestAnimationFrame(() => {
    state.drawPending = false;
    renderLists();
    renderDetail();
  });
}

async function select(runId) {
  if (runId !== state.selected) state.watermarkBase = null;
  state.selected = runId;
  state.history = [];
  const request = ++state.historyRequest;
  scheduleDraw();
  if (!runId) return;
  const res = await fetch('/api/queries/' + encodeURIComponent(runId));
  if (!res.ok || request !== state.historyRequest) return;
  const detail = await res.json();
  state.runs.set(detail.runId, { ...detail, progress: undefined });
  // Events that arrived while fetching are newer than the fetched history: keep both, in order.
  const newer = state.history.filter((p) => p.batchId > (detail.progress.at(-1)?.batchId ?? -1));
  state.history = detail.progress.concat(newer).slice(-state.historySize);
  scheduleDraw();
}

function selectFromHash() {
  const m = /run=([^&]+)/.exec(location.hash);
  const wanted = m ? decodeURIComponent(m[1]) : null;
  if (wanted && state.runs.has(wanted)) return select(wanted);
  if (state.selected && state.runs.has(state.selected)) return select(state.selected);
  const runs = [...state.runs.values()].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  const first = runs.find((q) => q.status === 'active') ?? runs[0];
  return select(first ? first.runId : null);
}

function connect() {
  const events = new EventSource('/api/events');
  events.addEventListener('snapshot', (e) => {
    const data = JSON.parse(e.data);
    if (data.app) $('app-name').textContent = data.app;
    if (data.historySize) state.historySize = data.historySize;
    state.runs = new Map(data.queries.map((q) => [q.runId, q]));
    document.body.dataset.connection = 'live';
    $('connection').textContent = 'live';
    selectFromHash();
  });
  events.addEventListener('query', (e) => {
    const q = JSON.parse(e.data);
    state.runs.set(q.runId, q);
    if (state.selected === null) selectFromHash();
    scheduleDraw();
  });
  events.addEventListener('progress', (e) => {
    const { runId, progress } = JSON.parse(e.data);
    const q = state.runs.get(runId);
    if (q) state.runs.set(runId, { ...q, lastProgress: progress, numBatches: q.numBatches + 1, idleSince: null });
    const selected = runId === state.selected && progress.batchId > (state.history.at(-1)?.batchId ?? -1);
    if (selected) {
      state.history.push(progress);
      if (state.history.length > state.historySize) state.history.splice(0, state.history.length - state.historySize);
    }
    scheduleDraw(selected);
  });
  events.onerror = () => {
    document.body.dataset.connection = 'reconnecting';
    $('connection').textContent = 'reconnecting';
  };
}

window.addEventListener('hashchange', selectFromHash);
$('watermark-base').addEventListener('change', (e) => {
  state.watermarkBase = e.target.value;
  scheduleDraw();
});
window.addEventListener('resize', () => scheduleDraw());
// Durations of active runs grow while nothing else happens (the charts stay as they are).
setInterval(() => {
  if ([...state.runs.values()].some((q) => q.status === 'active')) scheduleDraw(false);
}, 1000);
connect();
