// One run's page: where its time went (a bar of its phases), its timeline, details, tests and logs. While the run is live it follows the run's event stream
// (one connection); when the run has ended, the logs are read from the run's files instead, which hold every
// line (a slow stream may have dropped some) and both of the test command's streams.

import {runActions} from './actions.js';
import {ApiError, followEvents, getJson, getText, token, Unauthorized} from './api.js';
import {phaseBar, phaseLegend} from './charts.js';
import {el, notice, phaseBadge} from './dom.js';
import * as f from './format.js';

const LOG_TAIL_BYTES = 256 * 1024;
const MAX_LIVE_LINES = 5000;

export function showRun(container, runId, context) {
  const aborter = new AbortController();
  const path = `v1/runs/${encodeURIComponent(runId)}`;
  let run = null;
  let stopped = false;
  let liveLines = 0;
  const notes = [];   // progress notes seen on the stream: {phase, note}

  const badge = el('span', {id: 'run-phase'});
  const outcome = el('p', {id: 'run-outcome', class: 'outcome'});
  const problems = el('div', {id: 'run-problems'});
  const timeline = el('ol', {id: 'run-timeline', class: 'timeline'});
  const picture = el('div', {id: 'run-phase-picture'});
  const facts = el('dl', {id: 'run-facts', class: 'facts'});
  const testsSummary = el('p', {id: 'run-tests-summary'});
  const failing = el('div', {id: 'failing-tests'});
  const log = el('pre', {id: 'run-log', class: 'log'});
  const stderr = el('div', {id: 'run-stderr'});
  const logTabs = {
    tests: el('button', {type: 'button', class: 'tab active', onclick: () => showLog('tests')}, 'Test output'),
    cassandra: el('button', {type: 'button', class: 'tab', onclick: () => showLog('cassandra')}, 'Cassandra'),
  };
  let logShown = 'tests';
  let ended = false;
  const actions = runActions(runId, path, problems, {...context, token: token.get});

  container.append(
      el('p', {}, el('a', {href: '#/'}, '← all runs')),
      el('div', {class: 'run-head'}, el('h1', {}, 'Run ', el('code', {}, runId)), badge),
      outcome, problems, actions.element,
      el('section', {class: 'phase-picture'}, el('h2', {}, 'Where the time went'), picture),
      el('div', {class: 'columns'},
          el('section', {}, el('h2', {}, 'Timeline'), timeline),
          el('section', {}, el('h2', {}, 'Details'), facts)),
      el('section', {}, el('h2', {}, 'Tests'), testsSummary, failing),
      el('section', {}, el('h2', {}, 'Logs'), el('div', {class: 'tabs'}, logTabs.tests, logTabs.cassandra), log,
          stderr));

  let durationCell = null;

  function render() {
    if (!run) return;
    const now = Date.now();
    badge.replaceChildren(phaseBadge(run.phase));
    outcome.textContent = f.outcome(run);
    outcome.className = `outcome outcome-${run.phase.toLowerCase()}`;
    renderTimeline(now);
    renderFacts(now);
    renderTests();
    actions.update(run);
  }

  function renderTimeline(now) {
    picture.replaceChildren(...[phaseBar(run, now), phaseLegend(run, now)].filter(Boolean));
    const start = f.createdAt(run);
    timeline.replaceChildren(...run.history.map((change, i) => {
      const at = Date.parse(change.at);
      const next = run.history[i + 1];
      const live = !next && !f.isTerminal(run.phase);
      const spent = next ? Date.parse(next.at) - at : live ? now - at : null;
      return el('li', {dataset: {phase: change.phase}, class: live ? 'current' : null},
          phaseBadge(change.phase),
          el('span', {class: 'at', title: f.dateTime(at)}, f.time(at)),
          el('span', {class: 'muted'}, `+${f.duration(at - start)}`),
          spent != null ? el('span', {class: 'spent'}, `${f.duration(spent)}${live ? ' so far' : ''}`) : null,
          notes.filter(n => n.phase === change.phase).map(n => el('div', {class: 'note'}, n.note)),
          !next && f.isTerminal(run.phase) && run.message ? el('div', {class: 'note'}, run.message) : null);
    }));
  }

  function renderFacts(now) {
    const spec = run.spec || {};
    const labels = Object.entries(spec.labels || {}).map(([k, v]) => v ? `${k}=${v}` : k).join(', ');
    const rows = [
      ['Source', f.source(run)],
      ['Snapshot', run.snapshot],
      ['Masking', f.masking(run)],
      ['Snapshot age at test start', f.snapshotAge(run, now)],
      ['Test command', el('code', {}, spec.testCommand || '')],
      ['Work directory', spec.workDir],
      ['JUnit reports', spec.junitGlob],
      ['Labels', labels],
      ['Submitted', f.dateTime(f.createdAt(run))],
      ['Duration', f.duration(f.runDuration(run, now))],
      ['Cassandra ready after', run.cassandraReadyMillis != null ? f.duration(run.cassandraReadyMillis) : null],
      ['Test exit code', run.testExitCode],
      ['Copy deleted', f.isTerminal(run.phase) ? (run.cleanedUp ? 'yes' : 'not yet') : null],
      ['Placement', run.placement
          ? `${run.placement.hostname} (agent ${run.placement.agentId}, attempt ${run.placement.attempt})` : null],
    ];
    facts.replaceChildren(...rows.filter(([, value]) => value != null && value !== '')
        .flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
    durationCell = [...facts.children].find(dt => dt.textContent === 'Duration').nextElementSibling;
  }

  /** Between events only the clocks move: the rest stays put, so its text can be selected and copied. */
  function tick() {
    if (!run || ended || document.hidden) return;
    const now = Date.now();
    renderTimeline(now);
    durationCell.textContent = f.duration(f.runDuration(run, now));
  }

  function renderTests() {
    testsSummary.textContent = run.tests ? f.tests(run)
        : f.isTerminal(run.phase) ? (run.spec && run.spec.junitGlob ? 'No JUnit report was read.'
            : 'No JUnit reports: the run spec has no junitGlob.')
        : 'Not known yet.';
    const t = run.tests;
    const listed = (t && t.failed) || [];
    failing.replaceChildren(
        listed.length ? el('ul', {class: 'failures'}, listed.map(failure => el('li', {},
            el('strong', {}, `${failure.className}.${failure.testName}`),
            failure.message ? el('pre', {}, failure.message) : null))) : '',
        t && t.failures + t.errors > listed.length && f.isTerminal(run.phase)
            ? el('p', {class: 'muted'}, `The first ${listed.length} failing tests are listed; the run's JUnit XML `
                + `(GET ${path}/junit) has all ${t.failures + t.errors}.`) : '');
  }

  function appendLiveLine(stream, line) {
    if (logShown !== 'tests') return;
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.append(el('span', {class: stream === 'stderr' ? 'stderr' : null}, line + '\n'));
    if (++liveLines > MAX_LIVE_LINES) log.firstChild.remove();
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  /** The logs from the run's files: the ended run's whole output, or the Cassandra node's log at any time. */
  async function showLog(which) {
    logShown = which;
    for (const [name, tab] of Object.entries(logTabs)) tab.classList.toggle('active', name === which);
    stderr.replaceChildren();
    if (which === 'tests' && !ended) {
      log.textContent = '';
      liveLines = 0;   // live lines arrive from the stream from here on
      return;
    }
    log.textContent = 'Loading…';
    try {
      const text = await getText(`${path}/logs?task=${which}&tail=${LOG_TAIL_BYTES}`);
      if (logShown !== which) return;
      log.textContent = text || '(empty)';
      if (which === 'tests') {
        const err = await readOrNull(`${path}/logs?task=tests&stream=stderr&tail=${LOG_TAIL_BYTES}`);
        if (err) stderr.replaceChildren(el('h3', {}, 'Standard error'), el('pre', {class: 'log stderr'}, err));
      }
    } catch (e) {
      if (e instanceof Unauthorized) return context.signedOut(e.message);
      log.textContent = '';
      log.append(e instanceof ApiError && e.status === 404 ? e.message : `Cannot read the log: ${e.message}`);
    }
  }

  async function readOrNull(logPath) {
    try {
      return await getText(logPath);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }

  function onEvent(name, data) {
    switch (name) {
      case 'status':
        run = data;
        break;
      case 'phase':
        if (!run.history.some(h => h.phase === data.phase)) run.history.push({phase: data.phase, at: data.at});
        run.phase = data.phase;
        if (data.message) run.message = data.message;
        break;
      case 'tests':
        run.tests = {...data, failed: (run.tests && run.tests.failed) || []};
        break;
      case 'progress':
        notes.push({phase: run.phase, note: data.note});
        run.message = data.note;
        break;
      case 'log':
        appendLiveLine(data.stream, data.line);
        return;
      case 'end':
        run.phase = data.phase;
        run.message = data.message;
        ended = true;
        break;
      default:
        return;
    }
    render();
  }

  /** Follows the stream until the run's end; a dropped connection is resumed after the last event handled. */
  async function follow() {
    const cursor = {lastEventId: null};
    while (!stopped && !ended) {
      try {
        await followEvents(runId, onEvent, aborter.signal, cursor);
        problems.replaceChildren();
      } catch (e) {
        if (stopped) return;
        if (e instanceof Unauthorized) return context.signedOut(e.message);
        if (e instanceof ApiError && e.status === 404) {
          problems.replaceChildren(notice('error', e.message));
          return;
        }
        problems.replaceChildren(notice('error', `Lost the run's event stream (reconnecting): ${e.message}`));
      }
      if (!ended) await new Promise(resolve => setTimeout(resolve, 2000));
    }
    if (stopped) return;
    // The ended run's full record (failing tests, exit code) and its logs from the files.
    try {
      run = await getJson(path);
      render();
    } catch (e) {
      if (e instanceof Unauthorized) return context.signedOut(e.message);
      problems.replaceChildren(notice('error', `Cannot read the run: ${e.message}`));
    }
    showLog(logShown);
  }

  const timer = setInterval(tick, 1000);
  follow();
  return () => { stopped = true; clearInterval(timer); aborter.abort(); };
}
