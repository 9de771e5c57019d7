// What a user can do from a run's page: cancel it while it is live (after saying yes; a read-only token sees the
// button disabled), download its JUnit XML and logs (fetched with the token: a plain link cannot send it), and copy
// the CLI command that submits the same run again.

import {ApiError, deleteJson, getBlob, getJson, Unauthorized} from './api.js';
import {cliCommand} from './clicommand.js';
import {el, notice} from './dom.js';
import * as f from './format.js';

/** What the token may do, asked once per token. */
const callers = new Map();
function caller(tokenValue) {
  if (!callers.has(tokenValue)) callers.set(tokenValue, getJson('v1/caller').catch(e => {
    callers.delete(tokenValue);
    throw e;
  }));
  return callers.get(tokenValue);
}

/**
 * The action bar of run runId; update(run) keeps it in step with the run. problems shows what went wrong,
 * context.signedOut handles a refused token, context.token() is the current token.
 */
export function runActions(runId, path, problems, context) {
  let run = null;
  let canWrite = false;
  const cancel = el('button', {type: 'button', id: 'run-cancel', class: 'danger', onclick: askToCancel}, 'Cancel run');
  const confirmBar = el('div', {id: 'run-cancel-confirm', class: 'confirm', hidden: true},
      el('span', {}, 'Cancel this run? Its tests and Cassandra are stopped and its copy is deleted.'),
      el('button', {type: 'button', id: 'run-cancel-yes', class: 'danger', onclick: doCancel}, 'Yes, cancel the run'),
      el('button', {type: 'button', id: 'run-cancel-no', onclick: () => { confirmBar.hidden = true; }},
          'Keep it running'));
  const downloads = {
    junit: download('download-junit', 'JUnit XML', `${path}/junit`, `${runId}-junit.xml`),
    stdout: download('download-stdout', 'Test output', `${path}/logs?task=tests`, `${runId}-tests-stdout.log`),
    stderr: download('download-stderr', 'Test stderr', `${path}/logs?task=tests&stream=stderr`,
        `${runId}-tests-stderr.log`),
    cassandra: download('download-cassandra', 'Cassandra log', `${path}/logs?task=cassandra`,
        `${runId}-cassandra.log`),
  };
  const command = el('code', {id: 'run-cli-command'});
  const copy = el('button', {type: 'button', id: 'copy-cli', onclick: copyCommand}, 'Copy CLI command');
  const element = el('section', {id: 'run-actions', class: 'actions'},
      el('div', {class: 'action-row'}, cancel, el('span', {class: 'muted'}, 'Download:'),
          Object.values(downloads)),
      confirmBar,
      el('div', {class: 'action-row cli'}, copy, command));

  caller(context.token()).then(who => {
    canWrite = who.canWrite;
    render();
  }).catch(e => {
    if (e instanceof Unauthorized) context.signedOut(e.message);
  });

  function render() {
    if (!run) return;
    const live = !f.isTerminal(run.phase);
    cancel.hidden = !live;
    if (!live) confirmBar.hidden = true;
    cancel.disabled = !canWrite;
    cancel.title = canWrite ? 'Stop the run: its tests and Cassandra are killed, its copy deleted'
        : 'This token may only read: cancelling a run needs a token that may change things';
    downloads.junit.hidden = !(run.spec && run.spec.junitGlob);
    command.textContent = cliCommand(run, location.href);
  }

  function askToCancel() {
    if (canWrite) confirmBar.hidden = false;
  }

  async function doCancel() {
    confirmBar.hidden = true;
    cancel.disabled = true;
    try {
      await deleteJson(path);
      problems.replaceChildren(notice('info', 'Cancelling: the run ends CANCELLED once its copy is deleted.'));
    } catch (e) {
      if (e instanceof Unauthorized) return context.signedOut(e.message);
      problems.replaceChildren(notice('error', `Cannot cancel the run: ${e.message}`));
      cancel.disabled = !canWrite;
    }
  }

  function download(id, label, url, fileName) {
    return el('button', {type: 'button', id, class: 'link', onclick: async () => {
      try {
        const blob = await getBlob(url);
        const href = URL.createObjectURL(blob);
        const a = el('a', {href, download: fileName, hidden: true});
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(href), 60_000);   // the download may start after the click returns
      } catch (e) {
        if (e instanceof Unauthorized) return context.signedOut(e.message);
        problems.replaceChildren(notice('error', e instanceof ApiError && e.status === 404 ? e.message
            : `Cannot download the ${label}: ${e.message}`));
      }
    }}, label);
  }

  async function copyCommand() {
    const text = command.textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard API here (plain http to a non-local host): select the text for Ctrl+C instead.
      getSelection().selectAllChildren(command);
      copy.textContent = 'Selected: press Ctrl+C';
      return;
    }
    copy.textContent = 'Copied';
    setTimeout(() => { copy.textContent = 'Copy CLI command'; }, 2000);
  }

  return {element, update: newRun => { run = newRun; render(); }};
}
