/**
 * Project webhooks, declared in the seed, delivered as the 2024-10 server delivers them: a
 * `POST` with `Content-Type: application/json`, `User-Agent: axios/1.7.4` and, when the webhook
 * has a secret, `x-infisical-signature: t=<ms>;<hex HMAC-SHA256(secret, body)>`; body
 * `{"event":"secrets.modified","project":{workspaceId,environment,secretPath},"timestamp"}`.
 * A write fires the webhooks of its folder and of the folders importing it; writes to one folder
 * within the delay collapse into one delivery (the server queues one job per folder, ~2 s).
 * Faults: an extra delay, a duplicate delivery.
 *
 * @module events/webhooks
 */
import { createHmac } from 'node:crypto';
import type { Folder } from '../state/model.js';
import type { Store } from '../state/store.js';
import type { SecretChange } from './changes.js';

/** A webhook of a project, as the seed declares it. */
export interface WebhookSpec {
  /** Where deliveries are POSTed. */
  url: string;
  /** The webhook's secret key: deliveries are signed with it (unsigned without one). */
  secret?: string | undefined;
  /** The environment slug it watches. */
  environment: string;
  /** The folder path it watches: a glob (`/`, `/backend/**`, `/apps/*`). @default '/' */
  secretPath?: string | undefined;
}

/** A fault of the webhook deliveries. */
export interface WebhookFault {
  /** Deliver this much later, in ms. */
  delayMs?: number;
  /** Deliver every matching delivery twice (the same bytes). */
  duplicate?: boolean;
  /** Apply to the next N deliveries only. */
  times?: number;
}

/** One delivery attempt, as the counters show it (no secret, no signature). */
export interface WebhookDeliveryRecord {
  url: string;
  event: string;
  environment: string;
  secretPath: string;
  /** The receiver's status, or 0 when it could not be reached. */
  status: number;
  signed: boolean;
  at: number;
}

/** The delivery headers of the captured server (axios 1.7.4). */
const USER_AGENT = 'axios/1.7.4';
/** The server's default: the queued sync job, then the webhook job 1 s later. */
export const DEFAULT_WEBHOOK_DELAY_MS = 2000;
const MAX_RECORDS = 500;

/** Sends the webhooks of one emulator state. */
export class WebhookDispatcher {
  readonly #store: Store;
  readonly #hooks: ReadonlyMap<string, readonly WebhookSpec[]>;
  readonly #delayMs: number;
  readonly #now: () => number;
  readonly #pending = new Map<string, NodeJS.Timeout>();
  readonly #records: WebhookDeliveryRecord[];
  readonly #faults: WebhookFault[];
  #closed = false;

  /**
   * @param hooks - the webhooks per project id.
   * @param shared - the records and faults, kept across resets by the emulator.
   */
  constructor(
    store: Store,
    hooks: ReadonlyMap<string, readonly WebhookSpec[]>,
    options: {
      delayMs: number;
      now: () => number;
      records: WebhookDeliveryRecord[];
      faults: WebhookFault[];
    },
  ) {
    this.#store = store;
    this.#hooks = hooks;
    this.#delayMs = options.delayMs;
    this.#now = options.now;
    this.#records = options.records;
    this.#faults = options.faults;
  }

  /** A change happened: schedules the deliveries of its folder and of the folders importing it. */
  changed(change: SecretChange): void {
    if (this.#closed) return;
    const hooks = this.#hooks.get(change.folder.projectId);
    if (!hooks || hooks.length === 0) return;
    for (const folder of [change.folder, ...this.#store.importersOf(change.folder)]) {
      hooks.forEach((hook, index) => {
        if (hook.environment !== folder.environment) return;
        if (!globMatches(hook.secretPath ?? '/', folder.path)) return;
        this.#schedule(`${index}\u0000${folder.id}`, hook, folder);
      });
    }
  }

  /** Cancels pending deliveries. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }

  #schedule(key: string, hook: WebhookSpec, folder: Folder): void {
    if (this.#pending.has(key)) return; // collapsed into the pending delivery
    const fault = this.#takeFault();
    const timer = setTimeout(
      () => {
        this.#pending.delete(key);
        void this.#deliver(hook, folder, fault?.duplicate === true);
      },
      this.#delayMs + (fault?.delayMs ?? 0),
    );
    timer.unref();
    this.#pending.set(key, timer);
  }

  #takeFault(): WebhookFault | undefined {
    const fault = this.#faults[0];
    if (fault === undefined) return undefined;
    if (fault.times !== undefined) {
      fault.times--;
      if (fault.times <= 0) this.#faults.shift();
    }
    return fault;
  }

  async #deliver(hook: WebhookSpec, folder: Folder, duplicate: boolean): Promise<void> {
    if (this.#closed) return;
    const timestamp = this.#now();
    const body = JSON.stringify({
      event: 'secrets.modified',
      project: {
        workspaceId: folder.projectId,
        environment: folder.environment,
        secretPath: folder.path,
      },
      timestamp,
    });
    const headers: Record<string, string> = {
      accept: 'application/json, text/plain, */*',
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
    };
    if (hook.secret) {
      const mac = createHmac('sha256', hook.secret).update(body).digest('hex');
      headers['x-infisical-signature'] = `t=${timestamp};${mac}`;
    }
    for (let copy = 0; copy < (duplicate ? 2 : 1); copy++) {
      let status = 0;
      try {
        const response = await fetch(hook.url, { method: 'POST', headers, body });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      this.#records.push({
        url: hook.url,
        event: 'secrets.modified',
        environment: folder.environment,
        secretPath: folder.path,
        status,
        signed: hook.secret !== undefined && hook.secret !== '',
        at: this.#now(),
      });
      if (this.#records.length > MAX_RECORDS) this.#records.shift();
    }
  }
}

/** Whether `path` matches the webhook's glob (`*` one segment's characters, `**` any depth). */
export function globMatches(glob: string, path: string): boolean {
  const normalise = (text: string) => (text.length > 1 ? text.replace(/\/+$/, '') : text);
  const pattern = normalise(glob.trim() === '' ? '/' : glob.trim());
  if (pattern === '/**' || pattern === '**') return true;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*' && pattern[i + 1] === '*') {
      // `/**` also matches the folder itself.
      if (source.endsWith('/')) source = `${source.slice(0, -1)}(?:/.*)?`;
      else source += '.*';
      i++;
    } else if (char === '*') source += '[^/]*';
    else source += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(normalise(path));
}
