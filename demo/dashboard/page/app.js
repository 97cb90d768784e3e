/**
 * The demo dashboard's page. It holds no secret and no token: it draws the snapshots the
 * dashboard server streams (`GET /events`), whose values are the apps' own masked answers, and
 * sends the four actions as JSON requests to the same server. Every piece of data is written
 * with textContent, never parsed as HTML.
 *
 * @module dashboard/page
 */

/** @typedef {import('../snapshot.js').Snapshot} Snapshot */
/** @typedef {import('../snapshot.js').AppView} AppView */
/** @typedef {import('../snapshot.js').RotationView} RotationView */

/** @type {Record<string, number>} */
const shownCounts = {};
/** Loads of the framed page: the first one, then one per reload. */
const frame = { element: /** @type {HTMLIFrameElement | null} */ (null), loads: 0, lastAt: '' };

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function $(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element;
}

/**
 * Creates an element; strings and numbers among the children become text nodes.
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attributes]
 * @param {...(Node | string | number | null | undefined | false)} children
 * @returns {HTMLElement}
 */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/**
 * @param {HTMLElement} element
 * @param {...(Node | string | null | undefined | false)} children
 */
function fill(element, ...children) {
  element.replaceChildren(
    ...children
      .filter((child) => child !== null && child !== undefined && child !== false)
      .map((child) => /** @type {Node | string} */ (child)),
  );
}

/** @param {string | null | undefined} iso */
function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : '–';
}

/** @param {number} ms */
function seconds(ms) {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/**
 * @param {string} from
 * @param {string} to
 */
function between(from, to) {
  return seconds(Math.max(0, Date.parse(to) - Date.parse(from)));
}

/** @param {number} n */
function count(n) {
  return n.toLocaleString('en-US');
}

// ---- drawing -----------------------------------------------------------------------------------

/** @param {Snapshot} snapshot */
function draw(snapshot) {
  drawInfisicalState(snapshot);
  drawCounters(snapshot);
  drawLog(snapshot);
  drawRotation(snapshot);
  drawOutage(snapshot);
  drawFlood(snapshot);
  drawMatrix(snapshot);
  drawFrame(snapshot);
  const { settings } = snapshot;
  $('rotate-help').textContent =
    `New values in Infisical for ${settings.rotates.private} (private: every app shows it masked) and ${settings.rotates.public} (public: the Vite page shows it). No app restarts.`;
  $('flood').textContent = `Flood: ${count(settings.floodReads)} reads per app`;
  $('settings').textContent =
    `The apps' cache TTL is ${settings.cacheTtl} s (INFISICAL_CACHE_TTL); this page reads every app's /api/secrets every ${seconds(settings.pollMs)}, which costs Infisical nothing either.`;
}

/** @param {Snapshot} snapshot */
function drawInfisicalState({ emulator, outage }) {
  const pill = $('infisical-state');
  const others = emulator.faults.length - (outage && !outage.until ? 1 : 0);
  if (!emulator.connected) {
    pill.dataset.state = 'unknown';
    pill.textContent = 'Infisical: no event stream';
  } else if (outage && !outage.until) {
    pill.dataset.state = 'down';
    pill.textContent = `Infisical: down (${outage.mode})`;
  } else if (others > 0) {
    pill.dataset.state = 'degraded';
    pill.textContent = `Infisical: ${others} fault${others === 1 ? '' : 's'} on`;
  } else {
    pill.dataset.state = 'up';
    pill.textContent = 'Infisical: up';
  }
  $('emulator-url').textContent = emulator.connected ? 'the emulator, live' : 'reconnecting…';
}

/** @param {Snapshot} snapshot */
function drawCounters({ emulator }) {
  for (const [id, value] of /** @type {const} */ ([
    ['logins', emulator.logins],
    ['lists', emulator.lists],
    ['failed', emulator.failed],
    ['total', emulator.total],
  ])) {
    const element = $(`count-${id}`);
    element.textContent = count(value);
    element.dataset.value = String(value);
    if (shownCounts[id] !== undefined && shownCounts[id] !== value) {
      const box = /** @type {HTMLElement} */ (element.parentElement);
      box.classList.remove('bump');
      void box.offsetWidth;
      box.classList.add('bump');
    }
    shownCounts[id] = value;
  }
}

/** @param {Snapshot} snapshot */
function drawLog({ emulator }) {
  const rows = [...emulator.recent].reverse().slice(0, 8);
  fill(
    $('log'),
    ...(rows.length === 0
      ? [h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'No request yet.'))]
      : rows.map((entry) =>
          h(
            'tr',
            { class: entry.faulted || entry.status === 0 || entry.status >= 400 ? 'failed' : null },
            h('td', {}, clock(entry.at)),
            h('td', { class: 'path' }, `${entry.method} ${entry.path}`),
            h('td', {}, entry.status === 0 ? 'reset' : String(entry.status)),
          ),
        )),
  );
}

/** @param {Snapshot} snapshot */
function drawRotation({ rotation, apps }) {
  const result = $('rotate-result');
  if (!rotation) return fill(result);
  const done = apps.every((app) => rotation.reached[app.id]);
  const restarted = apps.filter((app) => rotation.sameProcess[app.id] === false);
  result.dataset.done = String(done);
  fill(
    result,
    h('p', {}, `Rotation ${rotation.number} at ${clock(rotation.at)}: reached`),
    h(
      'div',
      { class: 'reach' },
      ...apps.map((app) => {
        const at = rotation.reached[app.id];
        return h(
          'span',
          { class: at ? 'chip ok' : 'chip', 'data-app': app.id, 'data-reached': Boolean(at) },
          at ? `${app.label} ✓ ${between(rotation.at, at)}` : `${app.label} … waiting`,
        );
      }),
    ),
    done
      ? h(
          'p',
          { class: 'muted' },
          restarted.length === 0
            ? 'Every app serves the new values, and none restarted (its loaded time is unchanged).'
            : `Restarted: ${restarted.map((app) => app.label).join(', ')}.`,
        )
      : h('p', { class: 'muted' }, 'Each app refetches within its cache TTL.'),
  );
}

/** @param {Snapshot} snapshot */
function drawOutage({ outage, emulator }) {
  const result = $('outage-result');
  if (!outage) {
    result.dataset.state = 'none';
    return fill(result);
  }
  const failed = emulator.failed - outage.failedAtStart;
  const answered = `the apps answered ${count(outage.pollsOk)} of ${count(outage.polls)} reads with their last values`;
  if (!outage.until) {
    result.dataset.state = 'down';
    return fill(
      result,
      h(
        'p',
        {},
        h('span', { class: 'chip bad' }, `Down since ${clock(outage.since)}: ${outage.mode}`),
      ),
      h(
        'p',
        {},
        `So far ${answered}; `,
        h('strong', { id: 'outage-failed' }, count(failed)),
        ' requests to Infisical failed.',
      ),
    );
  }
  result.dataset.state = outage.recoveredAt ? 'recovered' : 'back';
  return fill(
    result,
    h(
      'p',
      {},
      h('span', { class: 'chip ok' }, `Back at ${clock(outage.until)}`),
      ` after ${between(outage.since, outage.until)} down.`,
    ),
    h('p', {}, `Meanwhile ${answered}; ${count(failed)} requests to Infisical failed.`),
    h(
      'p',
      { class: 'muted', id: 'outage-recovery' },
      outage.recoveredAt
        ? `First successful refetch ${between(outage.until, outage.recoveredAt)} later: the apps are live again.`
        : "Waiting for the apps' first refetch…",
    ),
  );
}

/** @param {Snapshot} snapshot */
function drawFlood({ flood, apps }) {
  const result = $('flood-result');
  if (!flood) return fill(result);
  const total = flood.reads * apps.length;
  const done = Object.values(flood.apps).reduce((sum, app) => sum + app.done, 0);
  const ok = Object.values(flood.apps).reduce((sum, app) => sum + app.ok, 0);
  result.dataset.running = String(flood.running);
  if (flood.running) {
    const bar = h('span');
    bar.style.width = `${Math.round((done / total) * 100)}%`;
    return fill(
      result,
      h('div', { class: 'progress' }, bar),
      h('p', {}, `${count(done)} of ${count(total)} reads…`),
    );
  }
  if (flood.error)
    return fill(result, h('p', { class: 'error' }, `The flood failed: ${flood.error}`));
  const lists = (flood.lists.after ?? 0) - flood.lists.before;
  const logins = (flood.logins.after ?? 0) - flood.logins.before;
  const duration = flood.durationMs ?? 0;
  result.dataset.reads = String(ok);
  result.dataset.lists = String(lists);
  result.dataset.logins = String(logins);
  result.dataset.durationMs = String(duration);
  const rate = flood.listRateBefore;
  return fill(
    result,
    h(
      'p',
      { class: 'big' },
      `${count(ok)} reads → ${count(lists)} secret list${lists === 1 ? '' : 's'}, ${count(logins)} login${logins === 1 ? '' : 's'}`,
    ),
    h(
      'p',
      { class: 'muted' },
      `${ok === total ? `All ${count(total)}` : `${count(ok)} of ${count(total)}`} answered in ${seconds(duration)}. The lists come from the apps' refetch timers, not from reads${
        rate === null
          ? ''
          : `: ${rate.toFixed(1)}/s before the flood, ≈${count(Math.round((rate * duration) / 1000))} in as long`
      }. Without a cache: ${count(ok)} lists.`,
    ),
  );
}

/** @param {Snapshot} snapshot */
function drawMatrix({ apps, rotation }) {
  fill(
    $('matrix-head'),
    h('tr', {}, h('th', { class: 'key-col' }, 'Secret'), ...apps.map((app) => appHead(app))),
  );
  const rotated = new Map((rotation?.keys ?? []).map((key) => [key.key, key]));
  /** @type {Set<string>} */
  const keys = new Set();
  /** @type {Set<string>} */
  const publicKeys = new Set();
  for (const app of apps) {
    for (const key of Object.keys(app.report?.values ?? {})) keys.add(key);
    for (const key of Object.keys(app.report?.public ?? {})) {
      keys.add(key);
      publicKeys.add(key);
    }
  }
  const order = [...keys].sort(
    (a, b) => Number(rotated.has(b)) - Number(rotated.has(a)) || a.localeCompare(b),
  );
  if (order.length === 0) {
    return fill(
      $('matrix-body'),
      h(
        'tr',
        {},
        h('td', { colspan: apps.length + 1, class: 'muted' }, 'Waiting for the apps to answer…'),
      ),
    );
  }
  fill(
    $('matrix-body'),
    ...order.map((key) => {
      const change = rotated.get(key);
      return h(
        'tr',
        { class: change ? 'rotated' : null, 'data-key': key },
        h(
          'td',
          { class: 'key' },
          key,
          publicKeys.has(key) ? h('span', { class: 'tag' }, 'public') : null,
        ),
        ...apps.map((app) => {
          const masked = app.report?.values[key];
          const plain = app.report?.public[key];
          const shown = plain ?? masked;
          if (shown === undefined) return h('td', { class: 'absent', 'data-app': app.id }, '—');
          const fresh =
            change && (masked === change.mask || (change.value !== null && plain === change.value));
          return h(
            'td',
            { class: change ? (fresh ? 'new' : 'old') : null, 'data-app': app.id },
            shown,
          );
        }),
      );
    }),
  );
}

/** @param {AppView} app */
function appHead(app) {
  const label = {
    starting: 'starting…',
    live: 'serving live values',
    stale: 'serving its last values',
    unreachable: `not answering${app.error ? ` (${app.error})` : ''}`,
  }[app.state];
  const report = app.report;
  return h(
    'th',
    { class: 'app-head', 'data-app': app.id, 'data-state': app.state },
    h(
      'div',
      { class: 'name' },
      app.label,
      h('a', { href: app.url, target: '_blank', rel: 'noopener noreferrer' }, 'open ↗'),
    ),
    h('div', { class: 'runs muted' }, app.runs),
    h('span', { class: 'state', 'data-state': app.state }, label),
    h(
      'div',
      { class: 'facts' },
      report
        ? `source ${report.source ?? '–'} · loaded ${clock(report.loadedAt)} · changed ${report.changedAt ? clock(report.changedAt) : 'not yet'}`
        : '',
    ),
  );
}

/** @param {Snapshot} snapshot */
function drawFrame({ apps }) {
  const app = apps.find((candidate) => candidate.framed);
  if (!app || app.state === 'starting' || frame.element) return;
  const element = /** @type {HTMLIFrameElement} */ (
    h('iframe', { src: app.url, title: `${app.label} page`, id: 'app-frame' })
  );
  element.addEventListener('load', () => {
    frame.loads++;
    frame.lastAt = new Date().toISOString();
    const text =
      frame.loads === 1
        ? 'loaded once'
        : `reloaded by ${app.label} ${frame.loads - 1}× (last at ${clock(frame.lastAt)})`;
    const loads = $('frame-loads');
    loads.textContent = text;
    loads.dataset.loads = String(frame.loads);
  });
  frame.element = element;
  fill($('frame-wrap'), element);
}

// ---- actions -----------------------------------------------------------------------------------

/**
 * Sends an action; shows its error in `resultId` if it fails.
 * @param {string} method
 * @param {string} path
 * @param {Record<string, unknown>} body
 * @param {string} resultId
 * @param {HTMLButtonElement[]} buttons - disabled while it runs
 */
async function act(method, path, body, resultId, buttons) {
  for (const button of buttons) button.disabled = true;
  try {
    const res = await fetch(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) {
      const answer = await res.json().catch(() => ({}));
      throw new Error(answer.error ?? `HTTP ${res.status}`);
    }
  } catch (error) {
    const result = $(resultId);
    result.prepend(
      h('p', { class: 'error' }, error instanceof Error ? error.message : 'The action failed.'),
    );
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

/** @param {string} id */
function button(id) {
  return /** @type {HTMLButtonElement} */ ($(id));
}

function wire() {
  const rotate = button('rotate');
  rotate.addEventListener(
    'click',
    () => void act('POST', '/api/rotate', {}, 'rotate-result', [rotate]),
  );
  const outage = [button('down-503'), button('down-reset'), button('up')];
  button('down-503').addEventListener(
    'click',
    () => void act('POST', '/api/outage', { mode: '503' }, 'outage-result', outage),
  );
  button('down-reset').addEventListener(
    'click',
    () => void act('POST', '/api/outage', { mode: 'reset' }, 'outage-result', outage),
  );
  button('up').addEventListener(
    'click',
    () => void act('DELETE', '/api/outage', {}, 'outage-result', outage),
  );
  const floodButton = button('flood');
  floodButton.addEventListener(
    'click',
    () => void act('POST', '/api/flood', {}, 'flood-result', [floodButton]),
  );

  const live = $('live');
  const events = new EventSource('/events');
  events.addEventListener('open', () => {
    live.dataset.state = 'on';
    live.textContent = 'live';
  });
  events.addEventListener('error', () => {
    live.dataset.state = 'off';
    live.textContent = 'reconnecting';
  });
  events.addEventListener('snapshot', (event) =>
    draw(JSON.parse(/** @type {MessageEvent} */ (event).data)),
  );
}

wire();
