// The snapci API as the page uses it. Every call but the health check carries "Authorization: Bearer <token>",
// the only way the API authenticates. So event streams are read with fetch() and parsed here: EventSource cannot
// send headers, and a token in a query string would end up in access logs, proxies and browser history.
//
// The token is kept in sessionStorage: this tab only, forgotten when it closes, never written to a URL, a cookie
// (which the browser would send on its own) or localStorage (which outlives the session).

const TOKEN_KEY = 'snapci.token';

/** The API refused the token (401): the user has to sign in (again). */
export class Unauthorized extends Error {}

/** Any other error answer; message is the API's own, which says what to do. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: value => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** Paths are relative ("v1/runs"), so the page works wherever it is mounted. */
async function request(path, options = {}) {
  const headers = {...options.headers, Authorization: `Bearer ${token.get()}`};
  const response = await fetch(path, {...options, headers, cache: 'no-store'});
  if (response.status === 401) throw new Unauthorized(await problemMessage(response));
  if (!response.ok) throw new ApiError(response.status, await problemMessage(response));
  return response;
}

async function problemMessage(response) {
  const text = await response.text();
  try {
    const problem = JSON.parse(text);
    return problem.message || problem.error || text;
  } catch {
    // Not the API's JSON: a proxy's error page, for instance. Its HTML is no use to show.
    return `${response.status} ${response.statusText || 'error'}`.trim();
  }
}

export async function getJson(path) {
  return (await request(path, {headers: {Accept: 'application/json'}})).json();
}

export async function getText(path) {
  return (await request(path, {headers: {Accept: 'text/plain'}})).text();
}

/** A file to save (logs, JUnit XML), as the server sends it. */
export async function getBlob(path) {
  return (await request(path, {headers: {Accept: '*/*'}})).blob();
}

export async function deleteJson(path) {
  return (await request(path, {method: 'DELETE', headers: {Accept: 'application/json'}})).json();
}

/** The health check needs no token: it says the mode before anyone signs in. Null if it cannot be read. */
export async function health() {
  try {
    const response = await fetch('v1/health', {cache: 'no-store'});
    return await response.json();
  } catch {
    return null;
  }
}

/**
 * Follows a run's server-sent events, calling onEvent(name, data) for each, until the server closes the stream
 * (it does after the "end" event) or signal aborts it. Throws what request() throws, or a network error.
 * cursor.lastEventId is the id of the last event handled: given again on the next call (as Last-Event-ID, what
 * EventSource would send), the stream goes on right after it, so no log line is lost or shown twice.
 */
export async function followEvents(runId, onEvent, signal, cursor = {lastEventId: null}) {
  const headers = {Accept: 'text/event-stream'};
  if (cursor.lastEventId) headers['Last-Event-ID'] = cursor.lastEventId;
  const response = await request(`v1/runs/${encodeURIComponent(runId)}/events`, {headers, signal});
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    buffer += value;
    // An event ends at a blank line; what follows the last one is kept for the next chunk.
    const blocks = buffer.split(/\r?\n\r?\n/);
    buffer = blocks.pop();
    for (const block of blocks) {
      const event = parseEvent(block);
      if (!event) continue;
      onEvent(event.name, event.data);
      if (event.id) cursor.lastEventId = event.id;
    }
  }
}

/** One event block as the SSE format has it: "event:" names it, "data:" lines carry JSON, ":" lines are comments. */
function parseEvent(block) {
  let name = 'message';
  let id = null;
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? {name, id, data: JSON.parse(data.join('\n'))} : null;
}
