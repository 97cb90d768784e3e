/**
 * Replaying captured exchanges of a real Infisical server against the emulator: placeholders in
 * the capture (`<PROJECT_ID>`, `<ACCESS_TOKEN>`, `<ID_7>`, `<100 x K>`) are bound to the
 * emulator's values as they first appear and must then stay the same; answers are compared
 * field by field.
 *
 * @module test/conformance/replay
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Emulator } from '../../src/index.ts';

/** A captured exchange. */
export interface Capture {
  description?: string;
  request: {
    method?: string;
    path: string;
    query?: Record<string, string>;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  };
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** What the emulator answered. */
export interface Answer {
  status: number;
  body: unknown;
  text: string;
}

const PLACEHOLDER = /^<[A-Z][A-Z0-9_]*>$/;
const REPEAT = /^<(\d+) x '?(.)'?>$/;
const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Reads a capture file of a fixture folder. */
export function loadCapture(folder: URL, file: string): Capture {
  return JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as Capture;
}

/** Placeholder → emulator value, shared by every exchange of one replay. */
export class Bindings {
  readonly #values = new Map<string, string>();
  readonly #aliases = new Map<string, string>();

  /** Binds a placeholder (later exchanges must show the same value). */
  set(placeholder: string, value: string): void {
    this.#values.set(placeholder, value);
  }

  /** The bound value, if any (an alias reads its target). */
  get(placeholder: string): string | undefined {
    const alias = this.#aliases.get(placeholder);
    return this.#values.get(alias ?? placeholder);
  }

  /** Makes `placeholder` stand for whatever `target` is bound to. */
  alias(placeholder: string, target: string): void {
    this.#aliases.set(placeholder, target);
  }

  /** A captured string with the placeholders bound so far replaced (others left as they are). */
  fill(text: string): string {
    return text.replace(
      /<[A-Z][A-Z0-9_]*>/g,
      (placeholder) => this.get(placeholder) ?? placeholder,
    );
  }

  /** A request part with placeholders replaced: bound ones by their value, unknown ids by fresh ones. */
  materialise(value: unknown): unknown {
    if (typeof value === 'string') {
      return value
        .replace(/<(\d+) x '?(.)'?>/g, (_, count: string, char: string) =>
          char.repeat(Number(count)),
        )
        .replace(/<[A-Z][A-Z0-9_]*>/g, (placeholder) => {
          const bound = this.get(placeholder);
          if (bound !== undefined) return bound;
          // A placeholder nothing bound is a value the capture made up: a random id or secret.
          const fresh = /^<ID_\d+>$/.test(placeholder)
            ? randomUUID()
            : /CLIENT_SECRET/.test(placeholder)
              ? randomBytes(32).toString('hex')
              : placeholder;
          this.#values.set(placeholder, fresh);
          return fresh;
        });
    }
    if (Array.isArray(value)) return value.map((item) => this.materialise(item));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.materialise(v)]));
    return value;
  }
}

/** Sends a capture's request (with placeholders materialised) to the emulator. */
export async function replay(
  emulator: Emulator,
  capture: Capture,
  bindings: Bindings,
  rawBody?: string,
): Promise<Answer> {
  const request = bindings.materialise(capture.request) as Capture['request'];
  const url = new URL(request.path, emulator.url);
  for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
  let body: string | undefined;
  if (rawBody !== undefined) {
    body = rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (request.rawBody !== undefined) body = request.rawBody;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, {
    method: request.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: compared as text
  }
  return { status: res.status, body: parsed, text };
}

/** Field-by-field differences between a captured body (`real`) and the emulator's (`ours`); binds new placeholders. */
export function differences(real: unknown, ours: unknown, bindings: Bindings, path = ''): string[] {
  if (typeof real === 'string' && PLACEHOLDER.test(real)) {
    if (typeof ours !== 'string' || ours === '')
      return [`${path}: expected an id or token, got ${show(ours)}`];
    const bound = bindings.get(real);
    if (bound === undefined) {
      bindings.set(real, ours);
      return [];
    }
    return bound === ours
      ? []
      : [`${path}: expected the value bound to ${real}, got ${show(ours)}`];
  }
  if (typeof real === 'string' && REPEAT.test(real)) {
    const [, count, char] = REPEAT.exec(real) as RegExpExecArray;
    return ours === (char as string).repeat(Number(count)) ? [] : [`${path}: expected ${real}`];
  }
  if (typeof real === 'string' && /<[A-Z][A-Z0-9_]*>/.test(real)) {
    const filled = bindings.fill(real);
    return filled === ours ? [] : [`${path}: real ${show(filled)}, emulator ${show(ours)}`];
  }
  if (typeof real === 'string' && ISO_DATE.test(real))
    return typeof ours === 'string' && ISO_DATE.test(ours)
      ? []
      : [`${path}: expected an ISO date, got ${show(ours)}`];
  if (Array.isArray(real)) {
    if (!Array.isArray(ours) || ours.length !== real.length)
      return [`${path}: expected ${real.length} items, got ${show(ours)}`];
    const keyed = real.every((item) => item && typeof item === 'object' && 'secretKey' in item);
    const used = new Set<number>();
    return real.flatMap((item, i) => {
      let index = i;
      if (keyed) {
        const key = (item as { secretKey: string }).secretKey;
        const value = (item as { secretValue?: unknown }).secretValue;
        const candidates = ours
          .map((o, j) => ({ o, j }))
          .filter(({ o, j }) => !used.has(j) && (o as { secretKey?: string })?.secretKey === key);
        index =
          (
            candidates.find(({ o }) => (o as { secretValue?: unknown }).secretValue === value) ??
            candidates[0]
          )?.j ?? -1;
        if (index === -1) return [`${path}[${key}]: missing`];
        used.add(index);
      }
      const label = keyed ? (item as { secretKey: string }).secretKey : String(i);
      return differences(item, ours[index], bindings, `${path}[${label}]`);
    });
  }
  if (real && typeof real === 'object') {
    if (!ours || typeof ours !== 'object' || Array.isArray(ours))
      return [`${path}: expected an object, got ${show(ours)}`];
    const out: string[] = [];
    for (const [key, value] of Object.entries(real)) {
      if (!(key in ours)) out.push(`${path}.${key}: missing`);
      else
        out.push(
          ...differences(value, (ours as Record<string, unknown>)[key], bindings, `${path}.${key}`),
        );
    }
    for (const key of Object.keys(ours))
      if (!(key in real)) out.push(`${path}.${key}: not in the real answer`);
    return out;
  }
  return real === ours ? [] : [`${path}: real ${show(real)}, emulator ${show(ours)}`];
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
