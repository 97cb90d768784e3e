/**
 * The Infisical emulator's web UI. It talks only to the control API, with the control token as
 * `Authorization: Bearer`; the token arrives in the URL fragment (`#token=...`, which no request,
 * log or Referer carries), moves to sessionStorage and leaves the address bar. Secret values and
 * client secrets are fetched one at a time, when clicked, and never sit in the page before that.
 * Every piece of data is written with textContent, never parsed as HTML.
 *
 * @module
 */

const TOKEN_KEY = 'infisical-emulator-control-token';
const MASK = '••••••••';

/** Fault presets: a spec each; switched on by adding it, off by removing every fault equal to it. */
const PRESETS = [
  {
    id: 'down',
    label: 'Infisical down: every API request answers 503',
    spec: { route: '*', status: 503 },
  },
  {
    id: 'slow',
    label: 'Slow: 1.5 s latency on every request',
    spec: { route: '*', latencyMs: 1500 },
  },
  {
    id: 'limited',
    label: 'Rate limited: 429 with Retry-After: 2',
    spec: { route: '*', retryAfter: 2 },
  },
  {
    id: 'reset',
    label: 'Network drops: every connection reset',
    spec: { route: '*', reset: true },
  },
  {
    id: 'login',
    label: 'Logins refused: 401 on Universal Auth login',
    spec: { route: 'POST /api/v1/auth/universal-auth/login', status: 401 },
  },
];
const FAULT_FIELDS = [
  'route',
  'status',
  'latencyMs',
  'retryAfter',
  'reset',
  'times',
  'rate',
  'body',
];
const COMMON_ROUTES = [
  '*',
  '/api/*',
  'GET /api/v3/secrets/raw',
  'GET /api/v3/secrets/raw/:secretName',
  'GET /api/v4/secrets',
  'POST /api/v1/auth/universal-auth/login',
  'POST /api/v1/auth/token/renew',
];

const ui = {
  token: null,
  state: null,
  stateVersion: -1,
  faults: [],
  counts: {},
  selection: { project: null, environment: null, path: '/' },
  credentials: { identity: null, project: null, environment: null, secret: null },
  /** What the tree and the secrets table last showed, so an unchanged state is not redrawn (a revealed value stays). */
  drawn: { tree: '', secrets: '' },
  /** Aborts the event stream when the token is forgotten. */
  stream: null,
};

const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element;
};

/** Creates an element; strings and numbers among the children become text nodes. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function say(id, text, isError = false) {
  const element = $(id);
  element.textContent = text;
  element.classList.toggle('error', isError);
}

// ---- the token -------------------------------------------------------------------------------

/** Moves a `#token=` fragment into sessionStorage and out of the address bar and history. */
function takeToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const given = fragment.get('token');
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function showLogin(message) {
  ui.token = null;
  ui.stream?.abort();
  sessionStorage.removeItem(TOKEN_KEY);
  $('app').hidden = true;
  $('forget-token').hidden = true;
  $('login').hidden = false;
  const error = $('login-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  $('token-input').focus();
}

class TokenRefused extends Error {}

/** Calls the control API; answers its JSON body, throws its message. */
async function control(method, path, body) {
  const headers = { authorization: `Bearer ${ui.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (res.status === 401) {
    showLogin(data?.message ?? 'The control token was refused.');
    throw new TokenRefused('control token refused');
  }
  if (!res.ok) {
    const message = data?.message;
    throw new Error(typeof message === 'string' ? message : JSON.stringify(message ?? res.status));
  }
  return data;
}

// ---- state: projects, environments, folders, secrets -------------------------------------------

async function loadState() {
  ui.state = await control('GET', '/_emulator/state');
  $('site-url').textContent = ui.state.url;
  const { project, environment } = ui.selection;
  const known = ui.state.projects.find((p) => p.slug === project);
  if (!known?.environments.some((e) => e.slug === environment)) {
    const first = ui.state.projects[0];
    ui.selection = {
      project: first?.slug ?? null,
      environment: first?.environments[0]?.slug ?? null,
      path: '/',
    };
  }
  redraw();
  renderCredentialChoices();
}

/** Redraws the tree and the secrets table where what they show changed. */
function redraw() {
  const tree = JSON.stringify([ui.selection, ui.state.projects]);
  if (tree !== ui.drawn.tree) {
    ui.drawn.tree = tree;
    renderTree();
  }
  const secrets = JSON.stringify([ui.selection, currentFolder()]);
  if (secrets !== ui.drawn.secrets) {
    ui.drawn.secrets = secrets;
    renderSecrets();
  }
}

function currentFolder() {
  const project = ui.state?.projects.find((p) => p.slug === ui.selection.project);
  const environment = project?.environments.find((e) => e.slug === ui.selection.environment);
  return environment?.folders.find((f) => f.path === ui.selection.path) ?? environment?.folders[0];
}

function select(project, environment, path) {
  ui.selection = { project, environment, path };
  redraw();
}

function renderTree() {
  const items = ui.state.projects.map((project) =>
    h(
      'div',
      {},
      h('div', { class: 'project' }, project.name || project.slug),
      h(
        'ul',
        {},
        project.environments.map((environment) =>
          h(
            'li',
            {},
            h('span', { class: 'muted' }, environment.name || environment.slug),
            h(
              'ul',
              {},
              environment.folders.map((folder) => {
                const current =
                  project.slug === ui.selection.project &&
                  environment.slug === ui.selection.environment &&
                  folder.path === ui.selection.path;
                return h(
                  'li',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      'data-folder': `${project.slug}/${environment.slug}${folder.path}`,
                      'aria-current': current ? 'true' : 'false',
                      onclick: () => select(project.slug, environment.slug, folder.path),
                    },
                    `${folder.path} (${folder.secrets.length})`,
                  ),
                );
              }),
            ),
          ),
        ),
      ),
    ),
  );
  $('projects').replaceChildren(...items);
}

function secretRef(secret) {
  return {
    project: ui.selection.project,
    environment: ui.selection.environment,
    path: ui.selection.path,
    key: secret.key,
    ...(secret.type === 'personal' ? { type: 'personal', user: secret.user } : {}),
  };
}

function renderSecrets() {
  const folder = currentFolder();
  if (folder) ui.selection.path = folder.path;
  $('location').textContent =
    `${ui.selection.project ?? ''} / ${ui.selection.environment ?? ''} ${folder?.path ?? ''}`;
  $('imports').textContent = folder?.imports.length
    ? `imports ${folder.imports.map((i) => `${i.environment}:${i.path}`).join(', ')}`
    : '';
  const rows = (folder?.secrets ?? []).map(secretRow);
  $('secrets')
    .querySelector('tbody')
    .replaceChildren(...rows);
  $('no-secrets').hidden = rows.length > 0;
}

function secretRow(secret) {
  const value = h(
    'button',
    { type: 'button', class: 'value masked', 'data-action': 'reveal', title: 'click to show' },
    MASK,
  );
  value.addEventListener('click', () => toggleValue(secret, value));
  const label = secret.type === 'personal' ? ` (personal: ${secret.user})` : '';
  const row = h(
    'tr',
    { 'data-key': secret.key, 'data-type': secret.type },
    h('td', { class: 'mono' }, secret.key, h('span', { class: 'muted' }, label)),
    h('td', { class: 'value-cell' }, value),
    h('td', {}, `v${secret.version}`),
    h(
      'td',
      { class: 'muted' },
      [secret.comment, secret.tags.map((t) => `#${t}`).join(' ')].filter(Boolean).join(' '),
    ),
    h(
      'td',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', 'data-action': 'edit', onclick: () => editValue(secret, row) },
        'Edit',
      ),
      h(
        'button',
        { type: 'button', 'data-action': 'rotate', onclick: () => rotate(secret) },
        'Rotate',
      ),
      secret.type === 'shared'
        ? h(
            'button',
            {
              type: 'button',
              class: 'danger',
              'data-action': 'delete',
              onclick: (e) => remove(secret, e.currentTarget),
            },
            'Delete',
          )
        : null,
    ),
  );
  return row;
}

async function toggleValue(secret, button) {
  if (!button.classList.contains('masked')) {
    button.textContent = MASK;
    button.classList.add('masked');
    return;
  }
  try {
    const { value } = await control('POST', '/_emulator/secrets/value', secretRef(secret));
    button.textContent = value === '' ? '(empty)' : value;
    button.classList.remove('masked');
  } catch (error) {
    if (!(error instanceof TokenRefused)) say('secrets-message', error.message, true);
  }
}

function editValue(secret, row) {
  const cell = row.querySelector('.value-cell');
  const input = h('input', {
    class: 'edit-value',
    'aria-label': `new value of ${secret.key}`,
    autocomplete: 'off',
  });
  const save = async () => {
    try {
      const result = await control('PUT', '/_emulator/secrets', {
        ...secretRef(secret),
        value: input.value,
      });
      say('secrets-message', `${secret.key} saved: version ${result.secret.version}`);
      await loadState();
    } catch (error) {
      if (!(error instanceof TokenRefused)) say('secrets-message', error.message, true);
    }
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') save();
    if (event.key === 'Escape') renderSecrets();
  });
  cell.replaceChildren(
    input,
    h('button', { type: 'button', 'data-action': 'save', onclick: save }, 'Save'),
    h('button', { type: 'button', class: 'quiet', onclick: () => renderSecrets() }, 'Cancel'),
  );
  input.focus();
}

/** A new random value, as a rotation would set (the page never shows it unless clicked). */
function freshValue() {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return `rotated-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

async function rotate(secret) {
  try {
    const result = await control('PUT', '/_emulator/secrets', {
      ...secretRef(secret),
      value: freshValue(),
    });
    say('secrets-message', `${secret.key} rotated: version ${result.secret.version}`);
    await loadState();
  } catch (error) {
    if (!(error instanceof TokenRefused)) say('secrets-message', error.message, true);
  }
}

async function remove(secret, button) {
  if (button.dataset.armed !== 'true') {
    button.dataset.armed = 'true';
    button.textContent = 'Delete?';
    return;
  }
  try {
    await control('DELETE', '/_emulator/secrets', secretRef(secret));
    say('secrets-message', `${secret.key} deleted`);
    await loadState();
  } catch (error) {
    if (!(error instanceof TokenRefused)) say('secrets-message', error.message, true);
  }
}

async function addSecret(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  try {
    await control('PUT', '/_emulator/secrets', {
      project: ui.selection.project,
      environment: ui.selection.environment,
      path: ui.selection.path,
      key: String(data.get('key')).trim(),
      value: String(data.get('value') ?? ''),
    });
    say('secrets-message', `${String(data.get('key')).trim()} added`);
    form.reset();
    await loadState();
  } catch (error) {
    if (!(error instanceof TokenRefused)) say('secrets-message', error.message, true);
  }
}

// ---- faults ----------------------------------------------------------------------------------

function sameSpec(fault, spec) {
  return FAULT_FIELDS.every((field) => fault[field] === spec[field]);
}

function describeFault(fault) {
  const what = fault.reset
    ? 'connection reset'
    : fault.retryAfter !== undefined
      ? `429, Retry-After ${fault.retryAfter} s`
      : fault.status !== undefined
        ? `status ${fault.status}`
        : '';
  const delay = fault.latencyMs ? `${fault.latencyMs} ms latency` : '';
  const limits = [
    fault.times ? `${fault.times} times` : '',
    fault.rate !== undefined ? `rate ${fault.rate}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${fault.route}: ${[what, delay].filter(Boolean).join(' after ')}${limits ? ` (${limits})` : ''}`;
}

function renderFaults() {
  for (const preset of PRESETS) {
    const box = document.querySelector(`input[data-preset="${preset.id}"]`);
    if (box) box.checked = ui.faults.some((fault) => sameSpec(fault, preset.spec));
  }
  const items = ui.faults.map((fault) =>
    h(
      'li',
      { 'data-fault': fault.id },
      h('span', {}, describeFault(fault), h('span', { class: 'muted' }, ` · hits ${fault.hits}`)),
      h(
        'button',
        { type: 'button', class: 'quiet', onclick: () => removeFault(fault.id) },
        'remove',
      ),
    ),
  );
  $('faults').replaceChildren(...items);
}

function renderPresets() {
  const labels = PRESETS.map((preset) => {
    const box = h('input', { type: 'checkbox', 'data-preset': preset.id });
    box.addEventListener('change', () => togglePreset(preset, box.checked));
    return h('label', {}, box, preset.label);
  });
  $('presets').replaceChildren(...labels);
}

async function togglePreset(preset, on) {
  try {
    if (on) await control('POST', '/_emulator/faults', preset.spec);
    else {
      for (const fault of ui.faults.filter((f) => sameSpec(f, preset.spec)))
        await control('DELETE', `/_emulator/faults/${encodeURIComponent(fault.id)}`);
    }
    await loadFaults();
    say('faults-message', `${preset.label}: ${on ? 'on' : 'off'}`);
  } catch (error) {
    if (!(error instanceof TokenRefused)) say('faults-message', error.message, true);
  }
}

async function loadFaults() {
  ui.faults = (await control('GET', '/_emulator/faults')).faults;
  renderFaults();
}

async function removeFault(id) {
  try {
    await control('DELETE', `/_emulator/faults/${encodeURIComponent(id)}`);
    await loadFaults();
  } catch (error) {
    if (!(error instanceof TokenRefused)) say('faults-message', error.message, true);
  }
}

async function addFault(event) {
  event.preventDefault();
  const data = new FormData(event.currentTarget);
  const kind = String(data.get('kind'));
  const amount = Number(
    data.get('amount') || (kind === 'status' ? 503 : kind === 'latencyMs' ? 1000 : 1),
  );
  const times = Number(data.get('times') || 0);
  const spec = {
    route: String(data.get('route')).trim(),
    [kind]: kind === 'reset' ? true : amount,
  };
  if (times > 0) spec.times = times;
  try {
    await control('POST', '/_emulator/faults', spec);
    await loadFaults();
    say('faults-message', `added: ${describeFault(spec)}`);
  } catch (error) {
    if (!(error instanceof TokenRefused)) say('faults-message', error.message, true);
  }
}

// ---- requests: counters and log, live ----------------------------------------------------------

function renderRequests(update) {
  $('total').textContent = String(update.total);
  const counts = Object.entries(update.counts).sort((a, b) => b[1] - a[1]);
  $('counts')
    .querySelector('tbody')
    .replaceChildren(
      ...counts.map(([route, n]) => h('tr', {}, h('td', { class: 'mono' }, route), h('td', {}, n))),
    );
  const rows = [...update.recent].reverse().map((entry) =>
    h(
      'tr',
      {
        class: entry.status === 0 || entry.status >= 400 ? 'failed' : undefined,
        'data-seq': entry.seq,
      },
      h('td', {}, entry.seq),
      h('td', {}, new Date(entry.at).toLocaleTimeString()),
      h('td', { class: 'mono' }, `${entry.method} ${entry.path}`),
      h('td', {}, entry.status === 0 ? 'reset' : entry.status, entry.fault ? ' (fault)' : ''),
      h('td', {}, entry.durationMs),
    ),
  );
  $('log')
    .querySelector('tbody')
    .replaceChildren(...rows);
  const routes = new Set([...COMMON_ROUTES, ...Object.keys(update.counts)]);
  $('routes').replaceChildren(...[...routes].map((route) => h('option', { value: route })));
}

async function applyUpdate(update) {
  renderRequests(update);
  ui.faults = update.faults;
  renderFaults();
  if (update.stateVersion !== ui.stateVersion) {
    ui.stateVersion = update.stateVersion;
    await loadState();
  }
}

/** Reads the control event stream with fetch (EventSource cannot send the token header). */
async function follow() {
  while (ui.token) {
    ui.stream = new AbortController();
    try {
      const res = await fetch('/_emulator/events', {
        headers: { authorization: `Bearer ${ui.token}` },
        cache: 'no-store',
        credentials: 'omit',
        signal: ui.stream.signal,
      });
      if (res.status === 401) {
        showLogin('The control token was refused.');
        return;
      }
      if (!res.ok || !res.body) throw new Error(`event stream answered ${res.status}`);
      $('live').dataset.state = 'on';
      $('live').textContent = 'live';
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const event = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event.type === 'update') await applyUpdate(JSON.parse(event.data));
        }
      }
    } catch (error) {
      if (error instanceof TokenRefused) return;
    }
    $('live').dataset.state = 'off';
    $('live').textContent = 'reconnecting';
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function parseEvent(block) {
  const event = { type: 'message', data: '' };
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event.type = line.slice(6).trim();
    else if (line.startsWith('data:')) event.data += line.slice(5).trimStart();
  }
  return event;
}

// ---- credentials to paste into an app ---------------------------------------------------------

function fillSelect(select, options, current) {
  select.replaceChildren(
    ...options.map(([value, label]) => h('option', { value, selected: value === current }, label)),
  );
}

function renderCredentialChoices() {
  const identities = ui.state.identities.filter((identity) => identity.clientId !== null);
  const c = ui.credentials;
  if (!identities.some((i) => i.name === c.identity)) c.identity = null;
  if (!ui.state.projects.some((p) => p.slug === c.project)) c.project = null;
  fillSelect(
    $('cred-identity'),
    identities.map((i) => [i.name, `${i.name}${i.user ? ' (user)' : ''}`]),
    c.identity,
  );
  fillSelect(
    $('cred-project'),
    ui.state.projects.map((p) => [p.slug, p.slug]),
    c.project,
  );
  const project = ui.state.projects.find((p) => p.slug === c.project);
  fillSelect(
    $('cred-environment'),
    (project?.environments ?? []).map((e) => [e.slug, e.slug]),
    c.environment,
  );
}

async function loadCredentials() {
  const c = ui.credentials;
  const query = new URLSearchParams();
  for (const name of ['identity', 'project', 'environment']) if (c[name]) query.set(name, c[name]);
  try {
    const connection = await control('GET', `/_emulator/connection?${query}`);
    Object.assign(c, {
      identity: connection.identity,
      project: connection.project,
      environment: connection.environment,
      lines: connection.lines,
      secret: null,
    });
    renderCredentialChoices();
    renderCredentials();
  } catch (error) {
    if (!(error instanceof TokenRefused)) say('credentials-message', error.message, true);
  }
}

function credentialText(reveal) {
  return (ui.credentials.lines ?? [])
    .map(
      (line) =>
        `${line.name}=${line.secret ? (reveal ? ui.credentials.secret : MASK) : line.value}`,
    )
    .join('\n');
}

function renderCredentials() {
  const shown = ui.credentials.secret !== null;
  $('credentials').textContent = credentialText(shown);
  $('reveal-client-secret').textContent = shown ? 'Hide client secret' : 'Show client secret';
}

async function fetchClientSecret() {
  const name = encodeURIComponent(ui.credentials.identity);
  ui.credentials.secret = (
    await control('POST', `/_emulator/identities/${name}/client-secret`)
  ).clientSecret;
}

async function toggleClientSecret() {
  try {
    if (ui.credentials.secret !== null) ui.credentials.secret = null;
    else await fetchClientSecret();
    renderCredentials();
  } catch (error) {
    if (!(error instanceof TokenRefused)) say('credentials-message', error.message, true);
  }
}

async function copyCredentials() {
  try {
    const shown = ui.credentials.secret !== null;
    if (!shown) await fetchClientSecret();
    const text = credentialText(true);
    if (!shown) ui.credentials.secret = null;
    if (!navigator.clipboard)
      throw new Error(
        'the clipboard needs a secure context (open the UI on 127.0.0.1 or localhost)',
      );
    await navigator.clipboard.writeText(`${text}\n`);
    say('credentials-message', 'copied, with the client secret');
  } catch (error) {
    if (!(error instanceof TokenRefused)) say('credentials-message', error.message, true);
  }
}

// ---- start -----------------------------------------------------------------------------------

async function open() {
  $('login').hidden = true;
  $('app').hidden = false;
  $('forget-token').hidden = false;
  try {
    await loadState();
    await loadCredentials();
    await loadFaults();
  } catch (error) {
    if (!(error instanceof TokenRefused)) say('secrets-message', error.message, true);
    return;
  }
  follow();
}

function start() {
  renderPresets();
  $('add-secret').addEventListener('submit', addSecret);
  $('add-fault').addEventListener('submit', addFault);
  $('clear-requests').addEventListener('click', () =>
    control('DELETE', '/_emulator/requests').catch(() => {}),
  );
  $('reveal-client-secret').addEventListener('click', toggleClientSecret);
  $('copy-credentials').addEventListener('click', copyCredentials);
  for (const name of ['identity', 'project', 'environment']) {
    $(`cred-${name}`).addEventListener('change', (event) => {
      ui.credentials[name] = event.currentTarget.value;
      if (name === 'project') ui.credentials.environment = null;
      loadCredentials();
    });
  }
  $('forget-token').addEventListener('click', () => showLogin());
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token-input').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token-input').value = '';
    ui.token = token;
    open();
  });
  ui.token = takeToken();
  if (ui.token) open();
  else showLogin();
}

start();
