/**
 * Request bodies as the server's HTTP stack reads them: at most 1 MiB; JSON (rejecting
 * prototype-poisoning keys), URL-encoded forms and plain text are parsed; anything else, a body
 * past the limit, malformed JSON or an empty JSON body fails with a 500, as the server's error
 * handler turns every parser error into one. Parsing waits until a route reads the body, so
 * authentication is checked first, as the server's `onRequest` hooks are.
 *
 * @module http/body
 */
import type { IncomingMessage } from 'node:http';
import { serverError } from './api-error.js';

/** The server's body limit (Fastify's default `bodyLimit`). */
export const MAX_BODY_BYTES = 1_048_576;

/** A request body as read from the socket. */
export interface RawBody {
  text: string;
  /** Bytes received (all of them, also past the limit). */
  bytes: number;
  tooLarge: boolean;
}

/** Reads a body, keeping at most {@link MAX_BODY_BYTES}. */
export async function readBody(req: IncomingMessage): Promise<RawBody> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req) {
    bytes += (chunk as Buffer).length;
    if (bytes <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes, tooLarge: bytes > MAX_BODY_BYTES };
}

/** Parses a read body by its content type; throws the server's 500 where its parsers fail. */
export function parseBody(req: IncomingMessage, raw: RawBody): unknown {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const declared = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'];
  if (type === '' && raw.bytes === 0) return undefined;
  if (raw.tooLarge) throw serverError();
  if (type === 'application/json' || type.endsWith('+json')) {
    if (raw.text === '') {
      if (!declared) return undefined;
      throw serverError();
    }
    return parseJson(raw.text);
  }
  if (type === 'application/x-www-form-urlencoded') return parseForm(raw.text);
  if (type === 'text/plain') return raw.text;
  throw serverError();
}

/** JSON as `secure-json-parse` reads it: `__proto__` and `constructor.prototype` are refused. */
function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw serverError();
  }
  if (text.includes('__proto__') || text.includes('constructor')) rejectPoisoning(value);
  return value;
}

function rejectPoisoning(value: unknown): void {
  const stack = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Object.hasOwn(node, '__proto__')) throw serverError();
    const ctor = (node as Record<string, unknown>).constructor;
    if (Object.hasOwn(node, 'constructor') && ctor !== null && typeof ctor === 'object') {
      if (Object.hasOwn(ctor, 'prototype')) throw serverError();
    }
    for (const child of Object.values(node)) stack.push(child);
  }
}

/** A URL-encoded form: repeated keys become arrays; the object has no prototype. */
function parseForm(text: string): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  }
  return out;
}

/** The query string as the server parses it: repeated keys become arrays. */
export function parseQuery(params: URLSearchParams): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of params) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  }
  return out;
}
