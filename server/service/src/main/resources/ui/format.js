// How runs are shown: pure functions from the API's run records (docs/api.md) to text.

export const ACTIVE_PHASES = ['QUEUED', 'SNAPSHOTTING', 'PLACING', 'STARTING_CASSANDRA', 'MASKING', 'TESTING'];

export function isTerminal(phase) {
  return !ACTIVE_PHASES.includes(phase);
}

/** "850 ms", "6.2 s", "4 min 05 s", "2 h 10 min". */
export function duration(ms) {
  if (ms == null || Number.isNaN(ms)) return '—';
  const s = Math.max(0, ms) / 1000;
  if (s < 1) return `${Math.round(ms)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.floor(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  if (whole < 86400) return `${Math.floor(whole / 3600)} h ${Math.floor(whole % 3600 / 60)} min`;
  return `${Math.floor(whole / 86400)} d ${Math.floor(whole % 86400 / 3600)} h`;
}

export function time(instant) {
  return instant ? new Date(instant).toLocaleTimeString() : '—';
}

export function dateTime(instant) {
  return instant ? new Date(instant).toLocaleString() : '—';
}

function enteredAt(run, phase) {
  const change = (run.history || []).find(h => h.phase === phase);
  return change ? Date.parse(change.at) : null;
}

export function createdAt(run) {
  return run.history && run.history.length ? Date.parse(run.history[0].at) : null;
}

/** From submission to the end, or to now while the run is live. */
export function runDuration(run, now) {
  const start = createdAt(run);
  if (start == null) return null;
  const last = run.history[run.history.length - 1];
  return (isTerminal(run.phase) ? Date.parse(last.at) : now) - start;
}

export function source(run) {
  const s = run.spec && run.spec.source;
  if (!s) return 'empty Cassandra';
  const age = s.maxAge ? ` (max age ${s.maxAge})` : '';
  if (s.volume) return `volume ${s.volume}` + age;
  if (s.volumes) return `${s.volumes.length} volumes ${s.volumes.join(', ')}` + age;
  if (s.volumesSelector) return `volumes labelled ${s.volumesSelector}` + age;
  if (s.dataDirs) return `${s.dataDirs.length} nodes ${s.dataDirs.join(', ')}`;
  return s.dataDir || 'empty Cassandra';
}

/**
 * How the copy was masked before its tests (docs/masking.md): the operator's rule set it named, and each column's
 * transform and row filter (its value left out: it is a value of the data). Null for a run without masking.
 */
export function masking(run) {
  const m = run.spec && run.spec.mask;
  if (!m) return null;
  const rules = (m.rules || []).map(r => `${r.keyspace}.${r.table}.${r.column}: ${r.transform}${r.argument != null ? `(${r.argument})` : ''}`);
  const filters = (m.filters || []).map(x => `delete ${x.keyspace}.${x.table} where ${x.column} = …`);
  const all = rules.concat(filters);
  if (!all.length && !m.ruleSet) return null;
  const count = `${all.length} rule${all.length === 1 ? '' : 's'}`;
  return (m.ruleSet ? `rule set ${m.ruleSet}, ` : '') + count + (all.length ? `: ${all.join('; ')}` : '');
}

/**
 * How old production's data was when the tests started (still ticking before they start): what the metric
 * snapci_snapshot_age_at_test_start_seconds measures. The record keeps no timestamp for the data, so it is read
 * from the snapshot's description ("data taken <instant>", Portworx) or, for a local copy, taken as the moment the
 * run started copying (a local copy is the source as of then). Null for a run on an empty Cassandra.
 */
export function snapshotAgeMs(run, now) {
  if (!run.spec || !run.spec.source) return null;
  const described = /data taken (\S+?)[,;)]?(\s|$)/.exec(run.snapshot || '');
  const taken = described && !Number.isNaN(Date.parse(described[1])) ? Date.parse(described[1])
      : enteredAt(run, 'SNAPSHOTTING');
  if (taken == null) return null;
  const testsStarted = enteredAt(run, 'TESTING');
  return (testsStarted != null ? testsStarted : (isTerminal(run.phase) ? null : now)) - taken;
}

export function snapshotAge(run, now) {
  if (!run.spec || !run.spec.source) return 'no snapshot';
  const ms = snapshotAgeMs(run, now);
  return ms == null || Number.isNaN(ms) ? '—' : duration(ms);
}

/** "2 passed, 1 failed" (errors count as failed, as the CLI says it), or "—" before the reports are read. */
export function tests(run) {
  const t = run.tests;
  if (!t) return '—';
  const failed = t.failures + t.errors;
  const passed = Math.max(0, t.tests - failed - t.skipped);
  return `${passed} passed, ${failed} failed` + (t.skipped ? `, ${t.skipped} skipped` : '');
}

/** What came of the run, in words; while it is live, its latest progress note. */
export function outcome(run) {
  switch (run.phase) {
    case 'PASSED': return 'tests passed';
    case 'FAILED': return 'tests failed' + (run.testExitCode != null ? ` (exit ${run.testExitCode})` : '');
    case 'ERROR': return run.message || 'snapci could not run the tests';
    case 'CANCELLED': return run.message || 'cancelled';
    default: return run.message || '';
  }
}

export function phaseLabel(phase) {
  return phase.toLowerCase().replace(/_/g, ' ');
}

/** What each phase spent its time on, as the pictures name it. */
export const SEGMENT_NAMES = {
  QUEUED: 'queued', SNAPSHOTTING: 'copy', PLACING: 'placing', STARTING_CASSANDRA: 'boot', MASKING: 'mask', TESTING: 'tests',
};

/**
 * The run's time split by phase, from its history: each entry lasts until the next one, the last live one until
 * now. [{phase, name, start, ms, live}], in order (a run sent to another agent has PLACING twice). The copy is
 * deleted before the terminal phase is recorded; the record's cleanupStartedAt says when that began, and the time
 * from there is its own segment (phase CLEANUP, name cleanup). A record without it (written before snapci kept it)
 * has the cleanup in its last segment.
 */
export function phaseSegments(run, now) {
  const history = run.history || [];
  const cleanupAt = run.cleanupStartedAt ? Date.parse(run.cleanupStartedAt) : null;
  const segments = [];
  history.forEach((change, i) => {
    if (isTerminal(change.phase)) return;
    const start = Date.parse(change.at);
    const next = history[i + 1];
    const end = next ? Date.parse(next.at) : isTerminal(run.phase) ? null : now;
    if (end == null) return;
    const lastBeforeEnd = !next || isTerminal(next.phase);
    if (lastBeforeEnd && cleanupAt != null && cleanupAt >= start && cleanupAt <= end) {
      segments.push({phase: change.phase, name: SEGMENT_NAMES[change.phase] || phaseLabel(change.phase), start,
        ms: Math.max(0, cleanupAt - start), live: false});
      segments.push({phase: 'CLEANUP', name: 'cleanup', start: cleanupAt, ms: Math.max(0, end - cleanupAt),
        live: !next});
      return;
    }
    segments.push({phase: change.phase, name: SEGMENT_NAMES[change.phase] || phaseLabel(change.phase), start,
      ms: Math.max(0, end - start), live: !next});
  });
  return segments;
}

/** From submission until the tests started ("ready to test"), or null for a run whose tests never started. */
export function readyToTestMs(run) {
  const start = createdAt(run);
  const testing = enteredAt(run, 'TESTING');
  return start == null || testing == null ? null : testing - start;
}
