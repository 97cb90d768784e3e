/**
 * Log redaction for Nest's own logger (`redactLogs`). Nest's `ConsoleLogger` — behind `Logger`
 * and the application's logs — writes to `process.stdout` directly, past core's console
 * redaction; so its two printing steps (`printMessages`, `printStackTrace`) are wrapped on the
 * prototype to redact their messages and stacks first. The wrap is shared by every handle with
 * `redactLogs`, and removed when the last one closes.
 *
 * @module
 */
import type { Redactor } from '@infisical/core';
import { ConsoleLogger } from '@nestjs/common';

/** The printing steps of `ConsoleLogger`, as the wrap sees them. */
interface Printing {
  printMessages(messages: unknown[], ...rest: unknown[]): void;
  printStackTrace(stack: string): void;
  resolveMessage(message: unknown): unknown;
}

const redactors = new Set<Pick<Redactor, 'redactValue'>>();
let originals: Pick<Printing, 'printMessages' | 'printStackTrace'> | undefined;

/** `value` through every installed redactor. */
function redacted(value: unknown): unknown {
  let out = value;
  for (const redactor of redactors) out = redactor.redactValue(out);
  return out;
}

/**
 * Redacts what Nest's `ConsoleLogger` prints with `redactor` (messages, lazy messages once
 * resolved, `Error` stacks) until the returned function is called.
 */
export function installNestLoggerRedaction(redactor: Pick<Redactor, 'redactValue'>): () => void {
  const prototype = ConsoleLogger.prototype as unknown as Printing;
  if (originals === undefined) {
    const saved = {
      printMessages: prototype.printMessages,
      printStackTrace: prototype.printStackTrace,
    };
    originals = saved;
    prototype.printMessages = function (this: Printing, messages, ...rest) {
      const shown = messages.map((message) =>
        redacted(typeof message === 'function' ? this.resolveMessage(message) : message),
      );
      const [context, level, stream, stack, ...more] = rest;
      saved.printMessages.call(this, shown, context, level, stream, redacted(stack), ...more);
    };
    prototype.printStackTrace = function (this: Printing, stack) {
      saved.printStackTrace.call(this, redacted(stack) as string);
    };
  }
  redactors.add(redactor);
  return () => {
    redactors.delete(redactor);
    if (redactors.size > 0 || originals === undefined) return;
    prototype.printMessages = originals.printMessages;
    prototype.printStackTrace = originals.printStackTrace;
    originals = undefined;
  };
}
