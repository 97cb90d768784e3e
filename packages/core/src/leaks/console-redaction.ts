/**
 * Redaction of `console.log`, `info`, `warn`, `error`, `debug` and `trace`: each call's output
 * is formatted once, redacted, and printed as is when it holds no secret.
 *
 * Where `node:util` is reachable (Node, Bun, Deno, through `process.getBuiltinModule`), a call
 * with several arguments or with objects is formatted with `util.formatWithOptions` (what
 * `console` itself does: format strings, `util.inspect` of objects, `Error` stacks and causes);
 * when that text holds a secret, the redacted text is printed instead of the arguments (on the
 * global console, the formatted text is printed in any case: formatting once). Elsewhere
 * (edge runtimes, browsers) each argument is redacted on its own: strings, `Error` stacks and
 * messages, and the JSON of objects.
 *
 * The patched methods are shared by every redactor installed on the same console, across
 * duplicate copies of this package: installing twice is safe, and the last uninstall puts the
 * original methods back (unless something patched them since; then ours pass calls through).
 *
 * @module
 */

/** The console methods redacted. */
export const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** One of {@link CONSOLE_METHODS}. */
export type ConsoleMethod = (typeof CONSOLE_METHODS)[number];

/** A console: any object with some of the {@link CONSOLE_METHODS}. */
export type ConsoleLike = { [method in ConsoleMethod]?: (...args: unknown[]) => void };

/** What console redaction needs of a redactor. */
export interface ConsoleRedactor {
  redact(text: string): string;
  redactValue(value: unknown): unknown;
}

interface NodeUtil {
  formatWithOptions(options: { colors: boolean }, ...args: unknown[]): string;
}

interface ColorStream {
  isTTY?: boolean;
  getColorDepth?: () => number;
}

/** The state of a patched console, shared by every copy of this module. */
interface ConsoleState {
  readonly originals: Map<ConsoleMethod, (...args: unknown[]) => void>;
  readonly wrappers: Map<ConsoleMethod, (...args: unknown[]) => void>;
  /** Installed redactors, with how many times each was installed. */
  readonly redactors: Map<ConsoleRedactor, number>;
}

const STATE: unique symbol = Symbol.for('@infisical/core.console-redaction') as never;

type Patched = ConsoleLike & { [STATE]?: ConsoleState };

let util: NodeUtil | null | undefined;

function nodeUtil(): NodeUtil | null {
  if (util === undefined) {
    const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process;
    util = (process?.getBuiltinModule?.('node:util') as NodeUtil | undefined) ?? null;
  }
  return util;
}

/** Whether Node's console would print `method`'s output in colour. */
function colorsFor(method: ConsoleMethod): boolean {
  const process = (globalThis as { process?: unknown }).process as
    | { stdout?: ColorStream; stderr?: ColorStream }
    | undefined;
  const out = method === 'log' || method === 'info' || method === 'debug';
  const stream = out ? process?.stdout : process?.stderr;
  if (stream?.isTTY !== true) return false;
  return typeof stream.getColorDepth === 'function' ? stream.getColorDepth() > 2 : true;
}

function redactText(state: ConsoleState, text: string): string {
  let out = text;
  for (const redactor of state.redactors.keys()) out = redactor.redact(out);
  return out;
}

/**
 * The arguments to print: `args` themselves when they show no secret, or (`formatted`) the text
 * already formatted, which prints the same and spares a second formatting.
 */
function redactArgs(
  state: ConsoleState,
  method: ConsoleMethod,
  args: unknown[],
  formatted: boolean,
): unknown[] {
  if (args.length === 0) return args;
  if (args.length === 1 && typeof args[0] === 'string') {
    const redacted = redactText(state, args[0]);
    return redacted === args[0] ? args : [redacted];
  }
  const format = nodeUtil();
  if (format !== null) {
    const text = format.formatWithOptions({ colors: colorsFor(method) }, ...args);
    const redacted = redactText(state, text);
    return redacted === text && !formatted ? args : [redacted];
  }
  let changed = false;
  const out = args.map((arg) => {
    let value = arg;
    for (const redactor of state.redactors.keys()) value = redactor.redactValue(value);
    changed ||= value !== arg;
    return value;
  });
  return changed ? out : args;
}

function patch(target: Patched): ConsoleState {
  const state: ConsoleState = { originals: new Map(), wrappers: new Map(), redactors: new Map() };
  // Only the global console is known to print in colour exactly when `colorsFor` says so.
  const formatted = target === globalThis.console;
  for (const method of CONSOLE_METHODS) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    const wrapper = function (this: unknown, ...args: unknown[]): void {
      original.apply(
        this,
        state.redactors.size === 0 ? args : redactArgs(state, method, args, formatted),
      );
    };
    state.originals.set(method, original);
    state.wrappers.set(method, wrapper);
    target[method] = wrapper;
  }
  Object.defineProperty(target, STATE, { value: state, configurable: true });
  return state;
}

function unpatch(target: Patched, state: ConsoleState): void {
  for (const [method, wrapper] of state.wrappers) {
    if (target[method] === wrapper) target[method] = state.originals.get(method);
  }
  delete target[STATE];
}

/**
 * Redacts the output of `target`'s log methods with `redactor` until the returned function is
 * called. Each call of the returned function after the first does nothing.
 */
export function installConsoleRedaction(
  redactor: ConsoleRedactor,
  target: ConsoleLike = globalThis.console,
): () => void {
  const patched = target as Patched;
  const state = patched[STATE] ?? patch(patched);
  state.redactors.set(redactor, (state.redactors.get(redactor) ?? 0) + 1);
  let installed = true;
  return () => {
    if (!installed) return;
    installed = false;
    const count = (state.redactors.get(redactor) ?? 1) - 1;
    if (count > 0) state.redactors.set(redactor, count);
    else state.redactors.delete(redactor);
    if (state.redactors.size === 0 && patched[STATE] === state) unpatch(patched, state);
  };
}
