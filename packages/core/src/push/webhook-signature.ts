/**
 * Verification of Infisical's signed webhooks: `x-infisical-signature: t=<ms>;<hex
 * HMAC-SHA256(secret, exact body)>`, checked with Web Crypto and a constant-time compare, inside
 * a replay window, and the body read as Infisical's `{ event, project, timestamp }` payload.
 *
 * @module
 */
import { InfisicalError } from '../errors/infisical-error.js';

/** The body of an Infisical webhook delivery (keys and values of secrets are never in it). */
export interface InfisicalWebhookPayload {
  /** `secrets.modified` on a change; `test` from the webhook's test button. */
  event: string;
  project: {
    /** The project id. */
    workspaceId: string;
    /** The environment slug of the webhook (the folder that changed, or one that imports or references it). */
    environment: string;
    /** The folder path of the webhook. */
    secretPath: string;
  };
  /** When it was sent, in ms since the epoch (the `t=` of the signature). */
  timestamp: number;
}

/** Why a delivery was refused (`details.reason` of `WEBHOOK_REJECTED`). */
export type WebhookRejection =
  | 'missing-signature'
  | 'malformed-signature'
  | 'bad-signature'
  | 'expired'
  | 'replayed'
  | 'malformed-body';

/** Input of {@link verifyInfisicalWebhook}. */
export interface VerifyWebhookInput {
  /** The raw request body, exactly as received (a re-serialised object would not match). */
  body: string | Uint8Array;
  /** The `x-infisical-signature` header. */
  signature: string | null | undefined;
  /** The webhook's secret key, as set in Infisical. */
  secret: string;
  /**
   * How far the signature's timestamp may be from `now`, either way, in ms.
   * @default 300000 (5 minutes)
   */
  toleranceMs?: number;
  /** The current time in ms since the epoch. @default Date.now() */
  now?: number;
}

/** The default replay window. */
export const DEFAULT_WEBHOOK_TOLERANCE_MS = 5 * 60_000;

const SIGNATURE = /^t=(\d{1,16});([0-9a-f]{64})$/i;

/**
 * Verifies a webhook delivery and returns its payload.
 *
 * @throws InfisicalError `WEBHOOK_REJECTED` with `details.reason` ({@link WebhookRejection}); the
 * message never quotes the body, the header or the secret. `CONFIG_INVALID` for an empty secret.
 */
export async function verifyInfisicalWebhook(
  input: VerifyWebhookInput,
): Promise<InfisicalWebhookPayload> {
  const { secret } = input;
  if (typeof secret !== 'string' || secret === '') {
    throw new InfisicalError(
      'CONFIG_INVALID',
      'The webhook secret is empty or not a string. Fix: pass the secret key set on the Infisical webhook (the server signs nothing when the webhook has none; set one).',
      { details: { option: 'secret' } },
    );
  }
  const header = typeof input.signature === 'string' ? input.signature.trim() : '';
  if (header === '')
    throw rejected('missing-signature', 'it carries no x-infisical-signature header');
  const match = SIGNATURE.exec(header);
  if (match === null) {
    throw rejected(
      'malformed-signature',
      'its x-infisical-signature is not t=<ms>;<64 hex digits>',
    );
  }
  const [, stamp = '', hex = ''] = match;
  const bytes = typeof input.body === 'string' ? new TextEncoder().encode(input.body) : input.body;
  const expected = await hmacHex(secret, bytes);
  if (!constantTimeEqual(expected, hex.toLowerCase())) {
    throw rejected('bad-signature', 'its signature does not match the body under this secret');
  }
  const toleranceMs = input.toleranceMs ?? DEFAULT_WEBHOOK_TOLERANCE_MS;
  const now = input.now ?? Date.now();
  const sentAt = Number(stamp);
  if (!(Math.abs(now - sentAt) <= toleranceMs)) {
    throw rejected(
      'expired',
      `it was signed ${Math.round((now - sentAt) / 1000)} s from now, outside the ${toleranceMs / 1000} s window`,
    );
  }
  const payload = parsePayload(bytes);
  if (payload === undefined || payload.timestamp !== sentAt) {
    throw rejected(
      'malformed-body',
      "its body is not Infisical's webhook payload for this signature",
    );
  }
  return payload;
}

/** A `WEBHOOK_REJECTED` error: what was wrong, never the delivery's content. */
export function rejected(reason: WebhookRejection, why: string): InfisicalError {
  return new InfisicalError(
    'WEBHOOK_REJECTED',
    `Refused an Infisical webhook delivery: ${why}. Fix: check that the receiver's secret is the webhook's secret key, that the raw body reaches it unchanged, and that the clocks agree.`,
    { details: { reason } },
  );
}

async function hmacHex(secret: string, body: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new Uint8Array(body)));
  let hex = '';
  for (const byte of mac) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Compares two strings of equal length without an early exit. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function parsePayload(bytes: Uint8Array): InfisicalWebhookPayload | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { event, project, timestamp } = parsed as Record<string, unknown>;
  if (typeof event !== 'string' || typeof timestamp !== 'number') return undefined;
  if (typeof project !== 'object' || project === null) return undefined;
  const { workspaceId, environment, secretPath } = project as Record<string, unknown>;
  if (
    typeof workspaceId !== 'string' ||
    typeof environment !== 'string' ||
    typeof secretPath !== 'string'
  )
    return undefined;
  return { event, project: { workspaceId, environment, secretPath }, timestamp };
}
