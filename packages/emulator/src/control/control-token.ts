/**
 * The control API's token: generated at start (32 random bytes, base64url) unless the user sets
 * one (`controlToken`, `--control-token`, `INFISICAL_EMULATOR_CONTROL_TOKEN`).
 *
 * @module control/control-token
 */
import { randomBytes } from 'node:crypto';

/** Where the control API lives; never mixed with Infisical paths. */
export const CONTROL_PREFIX = '/_emulator';

/** The environment variable the CLI reads the control token from (safer than argv, which `ps` shows). */
export const CONTROL_TOKEN_ENV = 'INFISICAL_EMULATOR_CONTROL_TOKEN';

const TOKEN_PATTERN = /^[\x21-\x7e]{16,512}$/;

/** A fresh, unguessable control token. */
export function createControlToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Checks a user-chosen control token: 16 to 512 visible ASCII characters (it travels in a header). */
export function checkControlToken(value: unknown, name = 'controlToken'): string {
  if (typeof value !== 'string' || !TOKEN_PATTERN.test(value)) {
    throw new TypeError(
      `${name} must be a string of 16 to 512 visible ASCII characters without spaces (generate one with \`openssl rand -hex 24\`), or left out to let the emulator generate one`,
    );
  }
  return value;
}
