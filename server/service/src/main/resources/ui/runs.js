// The runs list: newest first, as GET v1/runs returns it, under a small chart per source of its recent ended runs. It polls every 2 s rather than opening an event stream
// per run: a browser keeps at most 6 connections to a server over HTTP/1.1, and each open stream holds one.
// Durations tick every second between polls. Rows are updated in place, so a click is never lost to a redraw.

import {getJson, Unauthorized} from './api.js';
import {recentBySource, sourceChart} from './charts.js';
import {el, notice, phaseBadge} from './dom.js';
import * as f from './format.js';

const FILTERS = {
  '': 'all runs',
  [f.ACTIVE_PHASES.join(',')]: 'active',
  PASSED: 'passed',
  FAILED: 'failed',
  ERROR: 'error',
  CANCELLED: 'cancelled',
};
const COLUMNS = ['Run', 'Phase', 'Source', 'Snapshot age', 'Submitted', 'Duration', 'Tests', 'Outcome'];

let stateFilter = '';   // kept while the user moves between views

export function showRuns(container, context) {
  let runs = null;
  let error = null;
  let updatedAt = null;
  let stopped = false;
  const rows = new Map();

  const filter = el('select', {id: 'state-filter', onchange: () => { stateFilter = filter.value; refresh(); }},
      Object.entries(FILTERS).map(([value, label]) => el('option', {value, selected: value === stateFilter}, label)));
  const summary = el('span', {id: 'runs-summary', class: 'muted'});
  const problems = el('div');
  const charts = el('div', {id: 'source-charts', class: 'source-charts'});
  let chartsKey = null;
  const body = el('tbody', {id: 'runs-body'});
  container.append(
      el('div', {class: 'toolbar'}, el('h1', {}, 'Runs'), el('label', {}, 'Show ', filter), summary),
      problems, charts,
      el('table', {class: 'runs'}, el('thead', {}, el('tr', {}, COLUMNS.map(c => el('th', {}, c)))), body));

  async function refresh() {
    try {
      const query = stateFilter ? `&state=${encodeURIComponent(stateFilter)}` : '';
      runs = (await getJson(`v1/runs?limit=100${query}`)).runs;
      error = null;
      updatedAt = Date.now();
    } catch (e) {
      if (stopped) return;
      if (e instanceof Unauthorized) return context.signedOut(e.message);
      error = e.message;
    }
    if (!stopped) render();
  }

  function render() {
    const now = Date.now();
    problems.replaceChildren(...(error ? [notice('error', 'Cannot read the runs (retrying): ' + error)] : []));
    if (runs == null) return;
    const ordered = runs.map(run => {
      const row = rows.get(run.id) || newRow(run);
      rows.set(run.id, row);
      update(row, run, now);
      return row;
    });
    const ids = new Set(runs.map(r => r.id));
    for (const id of [...rows.keys()]) if (!ids.has(id)) rows.delete(id);
    const current = [...body.querySelectorAll('tr[data-run-id]')];
    if (current.length !== ordered.length || current.some((row, i) => row !== ordered[i])) {
      body.replaceChildren(...ordered);
    }
    if (!ordered.length) {
      body.replaceChildren(el('tr', {}, el('td', {colspan: COLUMNS.length, class: 'muted'},
          stateFilter ? 'No runs match.' : 'No runs yet: CI jobs submit them with POST v1/runs.')));
    }
    summary.textContent = `${runs.length} run${runs.length === 1 ? '' : 's'} · updated ${f.time(updatedAt)}`;
    renderCharts();
  }

  /** Per source, the listed runs' outcomes and ready-to-test times; redrawn only when an ended run comes or goes. */
  function renderCharts() {
    const groups = recentBySource(runs);
    const key = JSON.stringify(groups.map(g => [g.source, g.runs.map(r => r.id + ' ' + r.phase)]));
    if (key === chartsKey) return;
    chartsKey = key;
    charts.replaceChildren(...groups.map(g => sourceChart(g.source, g.runs)));
  }

  // Polls every other second; between polls only the clocks move. Nothing while the tab is hidden.
  let tick = 0;
  const timer = setInterval(() => {
    if (document.hidden) return;
    if (++tick % 2 === 0) refresh(); else render();
  }, 1000);
  const onShown = () => { if (!document.hidden) refresh(); };   // back to the tab: fresh at once
  document.addEventListener('visibilitychange', onShown);
  refresh();
  return () => { stopped = true; clearInterval(timer); document.removeEventListener('visibilitychange', onShown); };
}

function newRow(run) {
  const link = el('a', {href: `#/runs/${encodeURIComponent(run.id)}`}, run.id);
  const labels = Object.entries((run.spec && run.spec.labels) || {})
      .filter(([key]) => !key.startsWith('snapci.'))
      .map(([key, value]) => value ? `${key}=${value}` : key).join(' ');
  const cells = COLUMNS.map(() => el('td'));
  cells[0].append(link, labels ? el('div', {class: 'labels muted'}, labels) : '');
  return el('tr', {dataset: {runId: run.id}}, cells);
}

function update(row, run, now) {
  const cells = row.children;
  if (row.dataset.phase !== run.phase) {
    row.dataset.phase = run.phase;
    cells[1].replaceChildren(phaseBadge(run.phase));
  }
  setText(cells[2], f.source(run));
  setText(cells[3], f.snapshotAge(run, now));
  setText(cells[4], f.time(f.createdAt(run)));
  cells[4].title = f.dateTime(f.createdAt(run));
  setText(cells[5], f.duration(f.runDuration(run, now)));
  setText(cells[6], f.tests(run));
  setText(cells[7], f.outcome(run));
  cells[7].className = `outcome outcome-${run.phase.toLowerCase()}`;
}

function setText(cell, text) {
  if (cell.textContent !== text) cell.textContent = text;
}
