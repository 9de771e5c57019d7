// Pictures as plain inline SVG, drawn from the API's run records (no library: a bar and a row of marks need
// none). Sizes are in the SVG's own units; the page's CSS colours them by class, the same classes the badges use.

import * as f from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const BAR_WIDTH = 1000;   // the phase bar's viewBox width: a segment's width is its share of the run, in 1/1000
const BAR_HEIGHT = 22;
const MARK_WIDTH = 10;
const MARK_GAP = 4;
const CHART_HEIGHT = 44;
const RECENT_RUNS = 20;

/** An SVG element; children may be elements or text. */
function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value != null) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child != null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/**
 * The run's phases side by side, each as wide as its share of the run's time so far: where the time went.
 * Null before anything has taken time.
 */
export function phaseBar(run, now) {
  const segments = f.phaseSegments(run, now);
  const total = segments.reduce((sum, s) => sum + s.ms, 0);
  if (!segments.length || total <= 0) return null;
  let x = 0;
  const ended = f.isTerminal(run.phase);
  const rects = segments.map((s, i) => {
    const width = s.ms / total * BAR_WIDTH;
    const label = `${segmentLabel(s, ended && i === segments.length - 1)}: ${f.duration(s.ms)}`;
    const rect = svg('rect', {x: x.toFixed(3), y: 0, width: width.toFixed(3), height: BAR_HEIGHT,
      class: `seg seg-${s.name}${s.live ? ' live' : ''}`, 'data-phase': s.phase}, svg('title', {}, label));
    x += width;
    return rect;
  });
  return svg('svg', {id: 'run-phase-bar', class: 'phase-bar', viewBox: `0 0 ${BAR_WIDTH} ${BAR_HEIGHT}`,
    preserveAspectRatio: 'none', role: 'img', 'aria-label': `where the run's ${f.duration(total)} went`}, rects);
}

/** The legend under the bar: each phase's name and time, in the bar's colours. */
export function phaseLegend(run, now) {
  const segments = f.phaseSegments(run, now);
  const ended = f.isTerminal(run.phase);
  const legend = document.createElement('ul');
  legend.id = 'run-phase-legend';
  legend.className = 'phase-legend';
  segments.forEach((s, i) => {
    const item = document.createElement('li');
    item.dataset.phase = s.phase;
    item.append(svg('svg', {class: 'swatch', viewBox: '0 0 10 10', width: 10, height: 10},
        svg('rect', {width: 10, height: 10, class: `seg seg-${s.name}`})),
        ` ${segmentLabel(s, ended && i === segments.length - 1)} ${f.duration(s.ms)}${s.live ? ' so far' : ''}`);
    legend.append(item);
  });
  return legend;
}

/** Records written before snapci kept cleanupStartedAt have the cleanup in their last segment: say so. */
function segmentLabel(segment, lastOfEnded) {
  return lastOfEnded && segment.phase !== 'QUEUED' && segment.phase !== 'CLEANUP' ? `${segment.name} + cleanup`
      : segment.name;
}

/**
 * The ended runs of the listing by source, newest first as listed: [{source, runs}], each source's most recent
 * RECENT_RUNS runs. Sources appear in the order of their newest run.
 */
export function recentBySource(runs) {
  const bySource = new Map();
  for (const run of runs) {
    if (!f.isTerminal(run.phase)) continue;
    const key = f.source(run);
    if (!bySource.has(key)) bySource.set(key, []);
    const list = bySource.get(key);
    if (list.length < RECENT_RUNS) list.push(run);
  }
  return [...bySource].map(([source, list]) => ({source, runs: list}));
}

/**
 * One source's recent runs, oldest left: a mark per run, coloured by its outcome, as tall as its time from
 * submission to the tests' start (the same scale for every mark of the chart). A run whose tests never started
 * gets a low flat mark. Each mark links to its run's page.
 */
export function sourceChart(source, runs) {
  // By submission: the listing's order is by id, which ties runs submitted in the same second.
  const ordered = [...runs].reverse().sort((a, b) => (f.createdAt(a) || 0) - (f.createdAt(b) || 0));
  const ready = ordered.map(f.readyToTestMs);
  const known = ready.filter(ms => ms != null);
  const max = known.length ? Math.max(...known, 1) : 1;
  const width = Math.max(1, ordered.length * (MARK_WIDTH + MARK_GAP) - MARK_GAP);
  const marks = ordered.map((run, i) => {
    const ms = ready[i];
    const height = ms == null ? 3 : Math.max(3, ms / max * (CHART_HEIGHT - 2));
    const title = `${run.id}: ${f.outcome(run) || f.phaseLabel(run.phase)}; `
        + (ms == null ? 'the tests never started' : `ready to test after ${f.duration(ms)}`);
    return svg('a', {href: `#/runs/${encodeURIComponent(run.id)}`},
        svg('rect', {x: i * (MARK_WIDTH + MARK_GAP), y: (CHART_HEIGHT - height).toFixed(2), width: MARK_WIDTH,
          height: height.toFixed(2), rx: 1.5, class: `mark outcome-${run.phase.toLowerCase()}`
              + (ms == null ? ' not-ready' : ''), 'data-run-id': run.id, 'data-ready-ms': ms},
            svg('title', {}, title)));
  });
  const figure = document.createElement('figure');
  figure.className = 'source-chart';
  figure.dataset.source = source;
  const caption = document.createElement('figcaption');
  const median = known.length ? [...known].sort((a, b) => a - b)[Math.floor((known.length - 1) / 2)] : null;
  caption.append(Object.assign(document.createElement('strong'), {textContent: source}),
      ` · ${ordered.length} run${ordered.length === 1 ? '' : 's'}`
      + (median != null ? ` · ready to test: median ${f.duration(median)}, slowest ${f.duration(max)}` : ''));
  figure.append(caption, svg('svg', {class: 'outcomes', viewBox: `0 0 ${width} ${CHART_HEIGHT}`, width,
    height: CHART_HEIGHT, role: 'img', 'aria-label': `recent runs of ${source}`}, marks));
  return figure;
}
