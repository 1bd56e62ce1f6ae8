// The operator console's shell: session (sign in/out), organization switcher, navigation and
// the hash router that renders one view at a time (each view may leave a cleanup, e.g. a poll).
import { API, ApiError, getAll, post, request, setCsrfToken, whenUnauthorized } from './api.js';
import { $, el, notify, render } from './dom.js';
import { canAdminister, canOperate, pickOrganization, roleIn } from './roles.js';
import { href, parseHash, section } from './router.js';
import { signinView } from './views/signin.js';
import { categoriesView, buildsView, buildView } from './views/builds.js';
import { devicesView, deviceView, credentialsView } from './views/devices.js';
import { operationView } from './views/operation.js';
import { batchesView, batchView } from './views/batches.js';
import { wizardView } from './views/wizard.js';

const ORG_KEY = 'fwhub.console.organization';
const VIEWS = {
  devices: devicesView,
  device: deviceView,
  credentials: credentialsView,
  categories: categoriesView,
  builds: buildsView,
  build: buildView,
  wizard: wizardView,
  operation: operationView,
  batches: batchesView,
  batch: batchView,
};

const session = { me: null, organizations: [], organization: null };
let cleanup = null;
let generation = 0;

function storedOrganization() {
  try {
    return localStorage.getItem(ORG_KEY);
  } catch {
    return null;
  }
}

function context(route) {
  const organization = session.organization;
  return {
    route,
    me: session.me,
    organization,
    role: organization ? roleIn(session.me, organization.id) : null,
    canAdmin: organization ? canAdminister(session.me, organization.id) : false,
    canOperate: organization ? canOperate(session.me, organization.id) : false,
    go: (hash) => {
      window.location.hash = hash;
    },
    refresh: () => show(),
  };
}

function showSession(signedIn) {
  $('session').hidden = !signedIn;
  $('nav').hidden = !signedIn;
  if (!signedIn) return;
  $('username').textContent = session.me.username;
  const select = $('organization');
  select.replaceChildren(...session.organizations.map((o) => el('option', { value: o.slug, text: o.name })));
  if (session.organization) select.value = session.organization.slug;
  const role = session.organization ? roleIn(session.me, session.organization.id) : null;
  $('role').textContent = role || '';
}

async function startSession(me) {
  session.me = me;
  setCsrfToken(me.csrf_token);
  session.organizations = await getAll(`${API}/organizations/`, 'ordering=name');
  session.organization = pickOrganization(session.organizations, storedOrganization());
  showSession(true);
}

function endSession() {
  session.me = null;
  session.organizations = [];
  session.organization = null;
  setCsrfToken('');
  showSession(false);
}

/** Renders the view of the current address. */
async function show() {
  const mine = ++generation;
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const route = parseHash(window.location.hash);
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.section === section(route.name)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!session.me) {
    signinView({ onSignedIn: signedIn });
    return;
  }
  if (route.name === 'signin') {
    window.location.hash = href('devices');
    return;
  }
  const view = VIEWS[route.name];
  if (!view) {
    render('Page not found', el('p', {}, 'No page here. ', el('a', { href: href('devices'), text: 'Go to the devices.' })));
    return;
  }
  if (!session.organization) {
    render('No organization', el('p', { text: 'Your account belongs to no organization yet. An administrator can add you to one.' }));
    return;
  }
  try {
    const result = await view(context(route));
    if (mine === generation) cleanup = typeof result === 'function' ? result : null;
    else if (typeof result === 'function') result();
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof ApiError && error.status === 401) return;
    render(error instanceof ApiError && error.status === 404 ? 'Not found' : 'Something went wrong', el('p', { className: 'error', role: 'alert', text: error.message }));
  }
}

async function signedIn(me) {
  await startSession(me);
  notify('');
  if (parseHash(window.location.hash).name === 'signin' || !window.location.hash) window.location.hash = href('devices');
  else show();
}

async function signOut() {
  try {
    await post(`${API}/auth/logout`);
  } catch {
    // The session is gone on the server either way (expired or deleted).
  }
  endSession();
  notify('You are signed out.');
  window.location.hash = href('signin');
}

async function boot() {
  whenUnauthorized(() => {
    if (!session.me) return;
    endSession();
    notify('Your session ended. Please sign in again.', 'error');
    show();
  });
  $('signout').addEventListener('click', signOut);
  // The skip link moves the focus without touching the address (the hash is the router's).
  $('skip').addEventListener('click', (event) => {
    event.preventDefault();
    $('main').focus();
  });
  $('organization').addEventListener('change', (event) => {
    session.organization = session.organizations.find((o) => o.slug === event.target.value) || session.organization;
    try {
      localStorage.setItem(ORG_KEY, session.organization.slug);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    showSession(true);
    // Objects of one organization are not pages of another: go to the list of the section.
    const route = parseHash(window.location.hash);
    const list = section(route.name);
    if (list !== route.name && VIEWS[list]) window.location.hash = href(list);
    else show();
  });
  window.addEventListener('hashchange', show);
  try {
    const me = (await request('GET', `${API}/auth/me`, { quiet401: true })).body;
    await startSession(me);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) notify(`The server could not be reached: ${error.message}`, 'error');
  }
  await show();
  document.body.dataset.ready = 'true';
}

boot();
