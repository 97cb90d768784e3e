/**
 * The webhook receiver every adapter mounts: verifies a delivery (signature, replay window,
 * replayed signatures), then refreshes what it names — the cached folders of that environment
 * and path, or every cached folder of the project when none matches (the change may reach a
 * cached folder through an import or a reference). Refusals are reported without the payload.
 *
 * @module
 */
import { clientInternals, InfisicalClient } from '../client/infisical-client.js';
import { checkOptionNames } from '../config/option-names.js';
import { InfisicalError } from '../errors/infisical-error.js';
import type { Secrets } from '../loader/secrets-handle.js';
import { affectedFolders } from './affected-folders.js';
import {
  DEFAULT_WEBHOOK_TOLERANCE_MS,
  type InfisicalWebhookPayload,
  rejected,
  verifyInfisicalWebhook,
  type WebhookRejection,
} from './webhook-signature.js';

/** The header Infisical signs its deliveries with. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-infisical-signature';

/** Options of {@link createWebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** The webhook's secret key, as set in Infisical (required: an unsigned delivery is refused). */
  secret: string;
  /** How far a signature's timestamp may be from now, in ms. @default 300000 */
  toleranceMs?: number;
  /**
   * Hears each refused delivery (`WEBHOOK_REJECTED`, `details.reason`); the error never holds
   * the body or the header.
   * @default a `console.warn` line
   */
  onRejected?: (error: InfisicalError) => void;
  /** The clock, in ms since the epoch. @default Date.now */
  now?: () => number;
}

/** One delivery, as the HTTP framework received it. */
export interface WebhookDelivery {
  /** The raw body, exactly as received. */
  body: string | Uint8Array;
  /** The `x-infisical-signature` header. */
  signature: string | null | undefined;
}

/** What to answer Infisical: 200 when accepted, 401 when refused. */
export interface WebhookOutcome {
  status: 200 | 401;
  body: { ok: true; event: string; refreshed: number } | { ok: false; error: WebhookRejection };
}

/** Receives Infisical's webhook deliveries for one client or secrets handle. */
export interface WebhookReceiver {
  /** Verifies one delivery and, when accepted, refreshes what it names (awaited). */
  receive(delivery: WebhookDelivery): Promise<WebhookOutcome>;
  /** The same for a Fetch API `Request` (Next route handlers, Workers, Deno, Bun). */
  handleRequest(request: Request): Promise<Response>;
}

/** Signatures seen within the replay window are remembered, at most this many. */
const MAX_SEEN = 10_000;

/**
 * A webhook receiver for `target`: a client (the folders a delivery names are refreshed) or a
 * secrets handle (its folder is refreshed). Duplicate deliveries are harmless: a replayed
 * signature is refused, and a refresh finds no change the second time.
 *
 * @throws InfisicalError `CONFIG_INVALID` for a missing secret or an unknown option name.
 */
export function createWebhookReceiver(
  target: InfisicalClient | Secrets,
  options: WebhookReceiverOptions,
): WebhookReceiver {
  checkReceiverOptions(options);
  const { secret } = options;
  const toleranceMs = options.toleranceMs ?? DEFAULT_WEBHOOK_TOLERANCE_MS;
  const now = options.now ?? Date.now;
  const onRejected =
    options.onRejected ?? ((error: InfisicalError) => console.warn(`[infisical] ${error.message}`));
  /** Signature → when it leaves the replay window. */
  const seen = new Map<string, number>();

  const remember = (signature: string, sentAt: number): boolean => {
    const at = now();
    for (const [known, until] of seen) {
      if (until > at && seen.size < MAX_SEEN) break;
      seen.delete(known);
    }
    if (seen.has(signature)) return false;
    seen.set(signature, sentAt + toleranceMs);
    return true;
  };

  const receive = async (delivery: WebhookDelivery): Promise<WebhookOutcome> => {
    let payload: InfisicalWebhookPayload;
    try {
      payload = await verifyInfisicalWebhook({
        body: delivery.body,
        signature: delivery.signature,
        secret,
        toleranceMs,
        now: now(),
      });
      if (!remember(String(delivery.signature).trim().toLowerCase(), payload.timestamp)) {
        throw rejected('replayed', 'its signature was received before');
      }
    } catch (error) {
      const refusal =
        error instanceof InfisicalError && error.code === 'WEBHOOK_REJECTED'
          ? error
          : InfisicalError.from(error, 'Verifying an Infisical webhook failed');
      try {
        onRejected(refusal);
      } catch {
        // A throwing hook does not change the answer.
      }
      const reason = (refusal.details as { reason?: WebhookRejection } | undefined)?.reason;
      return { status: 401, body: { ok: false, error: reason ?? 'bad-signature' } };
    }
    const refreshed = payload.event === 'test' ? 0 : await refreshFor(target, payload);
    return { status: 200, body: { ok: true, event: payload.event, refreshed } };
  };

  return {
    receive,
    handleRequest: async (request) => {
      const body = new Uint8Array(await request.arrayBuffer());
      const outcome = await receive({
        body,
        signature: request.headers.get(WEBHOOK_SIGNATURE_HEADER),
      });
      return new Response(JSON.stringify(outcome.body), {
        status: outcome.status,
        headers: { 'content-type': 'application/json' },
      });
    },
  };
}

/** Refreshes what a delivery names; returns how many folders were refetched. */
async function refreshFor(
  target: InfisicalClient | Secrets,
  payload: InfisicalWebhookPayload,
): Promise<number> {
  if (!(target instanceof InfisicalClient)) {
    await target.refresh();
    return 1;
  }
  const { folders } = clientInternals(target);
  const { workspaceId, environment, secretPath } = payload.project;
  const refs = affectedFolders(folders.tracked(), workspaceId, environment, secretPath);
  await Promise.all(refs.map((ref) => folders.refresh(ref)));
  return refs.length;
}

const RECEIVER_OPTION_NAMES = ['secret', 'toleranceMs', 'onRejected', 'now'];

/**
 * Checks receiver options without making a receiver (adapters check at mount time and make the
 * receiver later).
 *
 * @throws InfisicalError `CONFIG_INVALID` for a missing secret, a bad `toleranceMs` or an unknown name.
 */
export function checkReceiverOptions(options: WebhookReceiverOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'The webhook receiver needs options: { secret }. Fix: pass the secret key set on the Infisical webhook.',
    );
  }
  checkOptionNames(options, RECEIVER_OPTION_NAMES, 'webhook receiver options');
  if (typeof options.secret !== 'string' || options.secret === '') {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'The webhook receiver needs secret: the secret key set on the Infisical webhook. Fix: pass { secret: process.env.INFISICAL_WEBHOOK_SECRET } (unsigned deliveries are refused).',
      { details: { option: 'secret' } },
    );
  }
  const { toleranceMs } = options;
  if (
    toleranceMs !== undefined &&
    (typeof toleranceMs !== 'number' || !Number.isFinite(toleranceMs) || toleranceMs < 0)
  ) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'toleranceMs must be a number of milliseconds, 0 or more. Fix: pass e.g. 300000 or leave it out.',
      { details: { option: 'toleranceMs' } },
    );
  }
}
