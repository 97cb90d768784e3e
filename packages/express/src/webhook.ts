/**
 * The Express receiver of Infisical's signed webhooks, `secrets.webhook({ secret })`: reads the
 * raw body (or takes the one `express.raw()`/`express.text()` read; a body `express.json()`
 * parsed is re-serialised, which matches Infisical's compact JSON), and hands it to core's
 * receiver, which verifies it and refreshes the handle.
 *
 * @module
 */
import {
  createWebhookReceiver,
  type Secrets,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookReceiverOptions,
} from '@infisical/core';

/** What the receiver needs of Express's request and response (4 and 5 alike). */
interface WebhookRequest extends AsyncIterable<Uint8Array | string> {
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
  readableEnded?: boolean;
}
interface WebhookResponse {
  status(code: number): { json(body: unknown): unknown };
}

/** An Express route handler for Infisical's webhook deliveries. */
export type InfisicalWebhookHandler = (
  req: object,
  res: object,
  next: (error?: unknown) => void,
) => void;

/** The webhook handler of one handle; `options` as core's `createWebhookReceiver`. */
export function webhookHandler(
  handle: Secrets<string>,
  options: WebhookReceiverOptions,
): InfisicalWebhookHandler {
  const receiver = createWebhookReceiver(handle, options);
  return (req, res, next) => {
    const request = req as WebhookRequest;
    rawBody(request)
      .then((body) => {
        const header = request.headers[WEBHOOK_SIGNATURE_HEADER];
        return receiver.receive({ body, signature: Array.isArray(header) ? header[0] : header });
      })
      .then((outcome) => (res as WebhookResponse).status(outcome.status).json(outcome.body), next);
  };
}

async function rawBody(req: WebhookRequest): Promise<Uint8Array | string> {
  const { body } = req;
  if (body instanceof Uint8Array || typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null && Object.keys(body).length > 0)
    return JSON.stringify(body);
  if (req.readableEnded) return '';
  const chunks: Uint8Array[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}
