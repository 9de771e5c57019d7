// The snapci web UI: a few views chosen by the URL's fragment (#/, #/runs/<id>, #/snapshots, #/schedules), so
// every link stays relative and the page works wherever it is mounted. Each view returns a function that stops
// its timers and streams when the user leaves it.

import {getJson, health, token, Unauthorized} from './api.js';
import {showListing} from './listing.js';
import {showRun} from './run.js';
import {showRuns} from './runs.js';

const view = document.getElementById('view');
const login = document.getElementById('login');
const loginForm = document.getElementById('login-form');
const loginError = document.getElementById('login-error');
const tokenInput = document.getElementById('token');
const signOut = document.getElementById('sign-out');
const serverState = document.getElementById('server-state');

let stopView = () => {};
let serverHealth = null;
const context = {signedOut: showLogin, health: async () => serverHealth || (serverHealth = await health())};

function route() {
  stopView();
  stopView = () => {};
  if (!token.get()) return showLogin('');
  login.hidden = true;
  signOut.hidden = false;
  view.hidden = false;
  view.replaceChildren();
  const fragment = location.hash.replace(/^#\/?/, '');
  let current = 'runs';
  if (fragment.startsWith('runs/')) {
    stopView = showRun(view, decodeURIComponent(fragment.slice('runs/'.length)), context);
  } else if (fragment === 'snapshots' || fragment === 'schedules') {
    current = fragment;
    stopView = showListing(view, fragment, context);
  } else {
    stopView = showRuns(view, context);
  }
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.dataset.view === current);
  }
}

/** Back to the sign-in form, forgetting the token; message says why (the API's answer to a refused token). */
function showLogin(message) {
  stopView();
  stopView = () => {};
  token.clear();
  view.hidden = true;
  view.replaceChildren();
  signOut.hidden = true;
  login.hidden = false;
  loginError.textContent = message || '';
  tokenInput.focus();
}

loginForm.addEventListener('submit', async event => {
  event.preventDefault();
  const value = tokenInput.value.trim();
  tokenInput.value = '';
  if (!value) return;
  token.set(value);
  try {
    await getJson('v1/runs?limit=1');   // the cheapest call that checks the token
    loginError.textContent = '';
    route();
  } catch (e) {
    if (e instanceof Unauthorized) showLogin(e.message);
    else loginError.textContent = `Cannot reach the snapci API: ${e.message}`;
  }
});

signOut.addEventListener('click', () => showLogin('Signed out.'));

async function refreshHealth() {
  serverHealth = await health();
  serverState.textContent = !serverHealth ? 'server unreachable'
      : serverHealth.status !== 'ok' ? `${serverHealth.mode} mode · ${serverHealth.status}`
      : `${serverHealth.mode} mode · ${serverHealth.executing} executing · ${serverHealth.queued} queued`;
}

window.addEventListener('hashchange', route);
setInterval(() => { if (!document.hidden) refreshHealth(); }, 5000);
refreshHealth();
route();
