// Snapshots and schedules: GET v1/snapshots and GET v1/schedules belong to the Portworx driver. A server without
// them (local mode copies directories; it keeps no snapshots) answers with an error, shown as the server's message.
// The answer's shape is read loosely: its first list, one row per item, one column per field.

import {ApiError, getJson, Unauthorized} from './api.js';
import {el, notice} from './dom.js';

const MAX_COLUMNS = 10;

export function showListing(container, kind, context) {
  let stopped = false;
  const title = kind[0].toUpperCase() + kind.slice(1);
  const content = el('div', {id: `${kind}-content`});
  const refresh = el('button', {type: 'button', onclick: () => load()}, 'Refresh');
  container.append(el('div', {class: 'toolbar'}, el('h1', {}, title), refresh), content);

  async function load() {
    content.replaceChildren(el('p', {class: 'muted'}, 'Loading…'));
    let body;
    try {
      body = await getJson(`v1/${kind}`);
    } catch (e) {
      if (stopped) return;
      if (e instanceof Unauthorized) return context.signedOut(e.message);
      content.replaceChildren(unavailable(kind, e, await context.health()));
      return;
    }
    if (stopped) return;
    const items = Array.isArray(body) ? body : Object.values(body || {}).find(Array.isArray) || [];
    content.replaceChildren(
        el('p', {class: 'muted', id: `${kind}-count`}, `${items.length} ${items.length === 1 ? kind.slice(0, -1) : kind}`),
        items.length ? table(items) : '');
  }

  load();
  return () => { stopped = true; };
}

function unavailable(kind, error, health) {
  if (error instanceof ApiError && (error.status === 404 || error.status === 501)) {
    const local = health && health.mode === 'local';
    return notice('info', `${kind[0].toUpperCase() + kind.slice(1)} are not available ${local
        ? 'in local mode: it copies data directories and keeps no snapshots' : 'on this server'}.`, error.message);
  }
  return notice('error', `Cannot read the ${kind}: ${error.message}`);
}

function table(items) {
  const columns = [];
  for (const item of items) {
    for (const key of Object.keys(item || {})) if (!columns.includes(key)) columns.push(key);
  }
  const shown = columns.slice(0, MAX_COLUMNS);
  return el('table', {class: 'listing'},
      el('thead', {}, el('tr', {}, shown.map(c => el('th', {}, c)))),
      el('tbody', {}, items.map(item => el('tr', {}, shown.map(c => el('td', {}, cell(item && item[c])))))));
}

function cell(value) {
  if (value == null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
