/**
 * The emulator's test-control API over HTTP, as the dashboard server uses it: rotation, faults,
 * request counters and the live event stream. The control token travels in the `Authorization`
 * header of these server-side requests only; it is never part of an error message.
 *
 * @module dashboard/control-api
 */

/** @typedef {import('@infisical/emulator').Fault} Fault */
/** @typedef {import('@infisical/emulator').FaultSpec} FaultSpec */
/** @typedef {import('@infisical/emulator').LoggedRequest} LoggedRequest */

/**
 * One `update` event of `GET /_emulator/events`.
 * @typedef {object} ControlUpdate
 * @property {number} total every Infisical request answered since the start
 * @property {Record<string, number>} counts requests per route template
 * @property {LoggedRequest[]} recent the newest log entries, oldest first
 * @property {Fault[]} faults the active faults with their hits
 * @property {number} stateVersion moves when projects, folders or secrets change
 */

/** A client of one emulator's control API. */
export class ControlApi {
  /** @type {string} */
  #url;
  /** @type {string} */
  #token;

  /**
   * @param {string} url - the emulator's base URL
   * @param {string} token - its control token
   */
  constructor(url, token) {
    this.#url = url;
    this.#token = token;
  }

  /**
   * Creates or changes a secret from outside (a rotation: a new version).
   * @param {{ project: string; environment: string; key: string; value: string }} input
   * @returns {Promise<{ key: string; version: number; created: boolean }>}
   */
  setSecret(input) {
    return this.#call('PUT', '/_emulator/secrets', input);
  }

  /**
   * Injects a fault.
   * @param {FaultSpec} spec
   * @returns {Promise<Fault>}
   */
  async addFault(spec) {
    const { fault } = await this.#call('POST', '/_emulator/faults', spec);
    return fault;
  }

  /**
   * Removes one fault.
   * @param {string} id
   * @returns {Promise<void>}
   */
  async removeFault(id) {
    await this.#call('DELETE', `/_emulator/faults/${encodeURIComponent(id)}`);
  }

  /**
   * The active faults.
   * @returns {Promise<Fault[]>}
   */
  async faults() {
    const { faults } = await this.#call('GET', '/_emulator/faults');
    return faults;
  }

  /**
   * The request counters (the log is dropped).
   * @returns {Promise<{ total: number; counts: Record<string, number> }>}
   */
  async counters() {
    const { total, counts } = await this.#call('GET', '/_emulator/requests');
    return { total, counts };
  }

  /**
   * Reads the event stream until `signal` aborts or the stream ends, calling `onUpdate` for
   * every `update` event. Read with `fetch` (not `EventSource`) so the token stays in a header.
   * @param {(update: ControlUpdate) => void} onUpdate
   * @param {AbortSignal} signal
   * @returns {Promise<void>} settles when the stream ends; rejects when it cannot be opened
   */
  async events(onUpdate, signal) {
    const res = await fetch(`${this.#url}/_emulator/events`, {
      headers: { authorization: `Bearer ${this.#token}`, accept: 'text/event-stream' },
      signal,
    });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new Error(`the emulator's event stream answered ${res.status}`);
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event.name === 'update' && event.data) onUpdate(JSON.parse(event.data));
        end = buffer.indexOf('\n\n');
      }
    }
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<any>}
   */
  async #call(method, path, body) {
    /** @type {Record<string, string>} */
    const headers = { authorization: `Bearer ${this.#token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.#url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = await res.json().catch(() => null);
    if (!res.ok) {
      const reason = answer && typeof answer.message === 'string' ? `: ${answer.message}` : '';
      throw new Error(
        `the emulator's control API answered ${method} ${path} with ${res.status}${reason}`,
      );
    }
    return answer;
  }
}

/**
 * One Server-Sent Event block: its `event:` name and `data:` lines joined.
 * @param {string} block
 * @returns {{ name: string; data: string }}
 */
function parseEvent(block) {
  let name = 'message';
  /** @type {string[]} */
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return { name, data: data.join('\n') };
}
