/**
 * The webhook receiver of `InfisicalModule.forRoot({ webhook: { path, secret } })`: a controller
 * made for the path given, which hands each delivery to core's receiver (verification, replay
 * window) and refreshes the module's secrets. Works on the Express and Fastify platforms.
 *
 * @module
 */
import {
  checkReceiverOptions,
  createWebhookReceiver,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from '@infisical/core';
import { Controller, Inject, Post, Req, Res, type Type } from '@nestjs/common';
import { InfisicalService } from './infisical.service.js';

/** The `webhook` option of `InfisicalModule`: core's receiver options and the route path. */
export interface InfisicalWebhookOptions extends WebhookReceiverOptions {
  /** Where Infisical posts deliveries. @default 'infisical/webhook' */
  path?: string;
}

/** What the controller reads of the platform's request and response. */
interface WebhookRequest {
  rawBody?: Uint8Array;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}
interface WebhookResponse {
  status(code: number): unknown;
}

/** A controller class receiving Infisical's webhooks at `options.path`. */
export function webhookController(options: InfisicalWebhookOptions): Type<unknown> {
  const { path = 'infisical/webhook', ...receiverOptions } = options;
  checkReceiverOptions(receiverOptions);

  @Controller(path)
  class InfisicalWebhookController {
    readonly #receiver: WebhookReceiver;

    constructor(@Inject(InfisicalService) service: InfisicalService) {
      this.#receiver = createWebhookReceiver(service.handle, receiverOptions);
    }

    @Post()
    async receive(
      @Req() req: WebhookRequest,
      @Res({ passthrough: true }) res: WebhookResponse,
    ): Promise<unknown> {
      // Nest parses JSON bodies; `rawBody: true` at NestFactory.create keeps the exact bytes.
      const body =
        req.rawBody ?? (typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? {}));
      const header = req.headers[WEBHOOK_SIGNATURE_HEADER];
      const outcome = await this.#receiver.receive({
        body,
        signature: Array.isArray(header) ? header[0] : header,
      });
      res.status(outcome.status);
      return outcome.body;
    }
  }
  return InfisicalWebhookController;
}
